"""Stage 2b: a README row -> the record the list alone supports. No network.

This is what every row exports as when no source has answered (offline, a cache miss, an
unresolved row): title, venue and year as the list gives them, the link, the identifiers the
link carries, taxonomy and code. It never has authors: the list does not name them, and an
invented author is worse than none.
"""

from __future__ import annotations

import re

from prune2bib import taxonomy
from prune2bib.identify import Identifier
from prune2bib.readme import Entry
from prune2bib.record import PAPER_CONFERENCE, CodeLink, Record, WEBPAGE

# 'https://https://github.com/…': a doubled scheme is an unambiguous slip; `check` still reports it.
_DOUBLED_SCHEME = re.compile(r"^(https?://)+(?=https?://)", re.IGNORECASE)


def record_from_entry(entry: Entry, ident: Identifier) -> Record:
    known = taxonomy.venue(entry.venue)
    short = known.short_name(entry.year) if known else entry.venue
    return Record(
        type=PAPER_CONFERENCE if entry.venue else WEBPAGE,
        title=entry.title,
        issued=(entry.year,) if entry.year is not None else (),
        container_title=known.long_name(entry.year) if known else entry.venue,
        container_title_short=short,
        event_title=f"{short} {entry.year}" if short and entry.year is not None else short,
        url=entry.url,
        doi=ident.value if ident.kind == "doi" else "",
        arxiv_id=ident.value if ident.kind == "arxiv" else "",
        openreview_id=ident.value if ident.kind == "openreview" else "",
        venue_note=entry.venue_note,
        types=entry.types,
        code=tuple(_repaired(link) for link in entry.code),
    )


def _repaired(link: CodeLink) -> CodeLink:
    url = _DOUBLED_SCHEME.sub("", link.url)
    return link if url == link.url else CodeLink(link.label, url, link.status)

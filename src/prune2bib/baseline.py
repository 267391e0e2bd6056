"""Stage 2b: a README row -> the record the list alone supports. No network.

This is what every row exports as when no source has answered (offline, a cache miss, an
unresolved row): title, venue and year as the list gives them, the link, the identifiers the
link carries, taxonomy and code. It never has authors: the list does not name them, and an
invented author is worse than none.

The venue table (`venues.py`) decides the entry type from the Venue cell:
- a conference or a workshop -> a conference paper (@inproceedings) with the venue's long name
  of that year as booktitle and its acronym as short name;
- a journal -> a journal article (@article + journal);
- a preprint server -> the preprint form of an arXiv-only row (CSL `article`, @misc with eprint),
  publisher the server (arXiv for an arXiv link);
- no venue ('-', '', 'Unknown', or no Venue column) -> the venue the link proves (a CVF, NeurIPS,
  PMLR, IJCAI or AAAI page) when there is one, else the preprint form;
- a venue the table does not know -> the venue the link proves when there is one, else no venue
  with the publisher when the cell names a publisher ('IEEE', 'Springer'), else a journal article
  when the list's column is 'Journal' (`Entry.venue_kind`), else a plain conference paper named as
  the cell names it; `check` reports these (`errata`: unknown-venue).
Resolution still wins: a source's published record replaces all of this (`merge`).
"""

from __future__ import annotations

import re

from prune2bib import venues
from prune2bib.identify import Identifier, implied_venue
from prune2bib.readme import Entry
from prune2bib.record import ARTICLE_JOURNAL, PREPRINT, CodeLink, Record

# 'https://https://github.com/…': a doubled scheme is an unambiguous slip; `check` still reports it.
_DOUBLED_SCHEME = re.compile(r"^(https?://)+(?=https?://)", re.IGNORECASE)


def record_from_entry(entry: Entry, ident: Identifier) -> Record:
    cell = venues.parse_cell(entry.venue)
    year = entry.year if entry.year is not None else cell.year
    base = Record(
        title=entry.title,
        issued=(year,) if year is not None else (),
        url=entry.url,
        doi=ident.value if ident.kind == "doi" else "",
        arxiv_id=ident.value if ident.kind == "arxiv" else "",
        openreview_id=ident.value if ident.kind == "openreview" else "",
        venue_note=entry.venue_note or cell.note,
        types=entry.types,
        code=tuple(_repaired(link) for link in entry.code),
    )
    named = cell.venue if cell.venue is not None and cell.venue.id != venues.NO_VENUE else None
    venue = named or _proved_by_link(ident) or cell.venue
    if venue is None and venues.is_publisher(cell.name):  # 'IEEE': who published it, not in what
        return base.with_(type=PREPRINT, publisher=cell.name)
    if venue is None:
        fields = venues.unknown_venue_fields(cell.name, year)
        if entry.venue_kind == "journal" and cell.name:  # the list's column is 'Journal': an article
            fields = dict(fields, type=ARTICLE_JOURNAL, event_title="")
        return base.with_(**fields)
    return base.with_(**venues.record_fields(venue, year, arxiv=bool(base.arxiv_id)))


def _proved_by_link(ident: Identifier) -> venues.Venue | None:
    """The venue a proceedings page link shows (a CVF, NeurIPS, PMLR, IJCAI or AAAI page)."""
    try:
        shown = implied_venue(ident)
    except ValueError:  # an identifier value that does not parse as its kind's
        return None
    return venues.lookup(shown[0]) if shown else None


def _repaired(link: CodeLink) -> CodeLink:
    url = _DOUBLED_SCHEME.sub("", link.url)
    return link if url == link.url else CodeLink(link.label, url, link.status)

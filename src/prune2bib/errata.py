"""The README's errata, as `prune2bib check` reports them. Pure: entries in, errata out.

Sources: each row's own `Anomaly`s (found by `readme.read_list`), the rows it skipped, and checks across rows
or against what a row's link proves (`identify.implied_venue`):

- `shared-link`: one link used by rows with different titles (a copy-paste slip);
- `duplicate-row`: the same link and title listed twice;
- `venue-mismatch`: the link is a NeurIPS / CVF / PMLR-ICML / IJCAI / AAAI page of another venue
  than the Venue cell names (OpenReview, arXiv and DOI links prove no venue);
- `year-mismatch`: the link shows a year other than the row's year;
- `unknown-type`: a Type code the list's legend does not define, once per code (with its rows);
  a list without a legend has no such finding, nor does a list whose legend defines every code;
- `skipped-row`: a table row that is not exported (no title and no link, outside any table, …);
- `unknown-venue`: a Venue cell the venue table (`venues.py`) does not know; the row is exported
  as the venue its link proves, else as a plain conference paper named as the cell names it (a
  journal article under a 'Journal' column; no venue, with the publisher, for a publisher's name);
- `space-before-punctuation`, `glued-words`, `title-case`: slips in a title, judged against the
  list's own titles and data/proper-nouns.txt (`titles`); the export carries the fixed title.

Messages are one line and stable (tests compare them). Errata come sorted by line, then code.
"""

from __future__ import annotations


from typing import Iterable

from msgspec import Struct

from prune2bib import taxonomy, venues
from prune2bib.identify import identify, implied_venue
from prune2bib.readme import Entry, Skipped
from prune2bib.taxonomy import Taxonomy
from prune2bib.titles import title_errata


class Erratum(Struct, frozen=True):
    line: int  # 1-based README line of the row at fault
    code: str  # machine name, e.g. 'shared-link', 'duplicated-title'
    message: str  # one line, for people
    related_lines: tuple[int, ...] = ()  # other rows involved (e.g. the first user of a link)

    def format(self) -> str:
        return f"line {self.line}: {self.code}: {self.message}"


def find_errata(
    entries: list[Entry], types: Taxonomy | None = None, skipped: Iterable[Skipped] = ()
) -> list[Erratum]:
    """Every erratum of the parsed list, sorted by (line, code, message).

    `types`: the list's taxonomy (`ParsedList.taxonomy`), for codes its legend does not define;
    `skipped`: the rows the reader did not export (`ParsedList.skipped`).
    """
    # The venue finding is the venue table's (below), whatever the parser flagged.
    found = [Erratum(e.line, a.code, a.message) for e in entries for a in e.anomalies if a.code != UNKNOWN_VENUE]
    found += [Erratum(line, code, message) for line, code, message in title_errata(entries)]
    found += [erratum for entry in entries for erratum in _unknown_venue(entry)]
    found += [Erratum(s.line, "skipped-row", f"not exported: {s.reason}") for s in skipped]
    found += unknown_types(entries, types)
    found += _repeated_links(entries)
    for entry in entries:
        found += _link_disagreements(entry)
    return sorted(found, key=lambda e: (e.line, e.code, e.message))


UNKNOWN_VENUE = "unknown-venue"


def _unknown_venue(entry: Entry) -> list[Erratum]:
    if not entry.venue.strip() or venues.lookup(entry.venue) is not None:
        return []
    name = venues.split_cell(entry.venue)[0]
    shown = _venue_of_link(entry)
    if shown is not None:
        exported = f"exported as a {shown[0]} paper, as its link shows"
    elif venues.is_publisher(entry.venue):
        exported = f"a publisher, not a venue: exported without a venue, publisher {name!r}"
    elif entry.venue_kind == "journal":
        exported = "exported as an article in a journal of that name"
    else:
        exported = "exported as a conference paper of that name"
    return [Erratum(entry.line, UNKNOWN_VENUE, f"unknown venue {name!r} (not in the venue table): {exported}")]


def _venue_of_link(entry: Entry) -> tuple[str, int | None] | None:
    try:
        return implied_venue(identify(entry.url)) if entry.url else None
    except ValueError:  # an identifier value that does not parse as its kind's
        return None


def unknown_types(entries: list[Entry], types: Taxonomy | None) -> list[Erratum]:
    """One erratum per Type code the legend does not define, at its first row, naming the others."""
    if types is None or not types.defined:
        return []
    rows: dict[str, list[int]] = {}
    for entry in entries:
        for code in entry.types:
            if code not in types.defined:
                rows.setdefault(code, []).append(entry.line)
    found = []
    for code, lines in rows.items():
        shown = ", ".join(str(n) for n in lines[:8]) + (", …" if len(lines) > 8 else "")
        message = (f"type code {code!r} is not in the list's legend ({', '.join(types.codes[: len(types.defined)])}): "
                   f"kept as its own group; {len(lines)} row{'s' if len(lines) > 1 else ''} (lines {shown})")  # fmt: skip
        found.append(Erratum(lines[0], "unknown-type", message, tuple(lines[1:])))
    return found


def _repeated_links(entries: list[Entry]) -> list[Erratum]:
    """A later row reusing an earlier row's link: a different paper, or the same one twice."""
    first_use: dict[str, Entry] = {}
    found = []
    for entry in entries:
        if not entry.url:
            continue
        # Compare identifiers, so that /abs/ and /pdf/ forms of one arXiv paper count as one link.
        earlier = first_use.setdefault(str(identify(entry.url)), entry)
        if earlier is entry:
            continue
        if _same_title(earlier.title, entry.title):
            message = f"the same paper is already listed on line {earlier.line}"
            found.append(Erratum(entry.line, "duplicate-row", message, (earlier.line,)))
        else:
            message = f"link {entry.url} is also used by {earlier.title!r} on line {earlier.line}"
            found.append(Erratum(entry.line, "shared-link", message, (earlier.line,)))
    return found


def _same_title(a: str, b: str) -> bool:
    return a.casefold().split() == b.casefold().split()


def _link_disagreements(entry: Entry) -> list[Erratum]:
    if not entry.url:
        return []
    identifier = identify(entry.url)
    shown = implied_venue(identifier)
    if shown is None:
        return []
    link_venue, link_year = shown
    found = []
    cell_venue = taxonomy.venue(entry.venue)
    cell_name = cell_venue.short if cell_venue else entry.venue
    if entry.venue and cell_name.casefold() != link_venue.casefold():
        message = f"the link is in the {link_venue} proceedings ({identifier}) but the Venue cell says {entry.venue}"
        found.append(Erratum(entry.line, "venue-mismatch", message))
    if link_year is not None and entry.year is not None and link_year != entry.year:
        message = f"the link shows the year {link_year} but the row is under {entry.year}"
        found.append(Erratum(entry.line, "year-mismatch", message))
    return found


def mislinked(outcomes) -> list[Erratum]:
    """Rows whose link resolved to a paper other than the row's title (`check --resolve`).

    `outcomes` are `pipeline.RowOutcome`s; the resolver flags a title mismatch and names the
    paper the link points to in its reason.
    """
    return [
        Erratum(o.entry.line, "mislinked", f"{o.identifier}: {o.reason}")
        for o in outcomes
        if getattr(o, "title_mismatch", False)
    ]

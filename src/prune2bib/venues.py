"""The venue table: what a Venue cell or a source's container title names, and its names.

Stage: shared vocabulary of baseline (entry type of a row the list alone describes), merge (one
booktitle per venue and year, whatever source filled the record), match (is a candidate at the
row's venue), the DBLP resolver (`venues_dblp`) and the `--venue` filter. Pure; no network.

The data is `data/venues.toml` (its header documents every field and names the public sources).
A name is matched case-, accent-, space- and punctuation-blind ('ICLR-W' = 'ICLRW', 'IEEE Trans.
Pattern Anal. Mach. Intell.' = 'IEEE Trans Pattern Anal Mach Intell'); a Venue cell is matched
with its year ('CVPR 2023', "NeurIPS'22", 'ECCV2022') and its notes ('**(Oral)**', 'Spotlight')
stripped. A cell that names a workshop the table does not list ('… Workshop on X') is a workshop
of its own name, one with a journal's word ('IEEE Transactions on Fuzzy Systems', data/venues.toml
`journal_words`) a journal of its own name; a publisher ('IEEE', 'Springer') is no venue
(`is_publisher`); anything else unknown is None, and the caller decides (`check` flags it).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import lru_cache
from typing import Iterable

from msgspec import Struct
from msgspec.structs import replace

from prune2bib import datafiles
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE
from prune2bib.record import PREPRINT as PREPRINT_TYPE

# The table is edited as data/venues.toml and read as data/venues.json, its exact copy (tomllib's
# pure-Python parse was a twelfth of a warm export's work). `python tests/tools/compile_venues.py`
# writes the copy; tests/test_venues.py fails while the two differ.
SOURCE, COMPILED = "venues.toml", "venues.json"

CONFERENCE, WORKSHOP, JOURNAL, PREPRINT = "conference", "workshop", "journal", "preprint"
KINDS = (CONFERENCE, WORKSHOP, JOURNAL, PREPRINT)
NO_VENUE = "none"  # the id of the table's row for cells that name no venue ('-', 'Unknown', '')

_YEAR = re.compile(r"(?<![0-9])(19[5-9][0-9]|20[0-9][0-9])(?![0-9])")
_BRACKETED = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_MARKUP = re.compile(r"<[^>]*>|[*_`]+")
_WORDS = re.compile(r"[a-z]+")
# Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export
# needs none of them. The short year and the note words were a third of the time spent compiling
# patterns at every start (1.4 ms); `split_cell` rules most cells out without them.
_APOSTROPHES = "'’‘`´"
_SHORT_YEAR = rf"\s*[{_APOSTROPHES}]\s?([0-9]{{2}})(?![0-9])"  # NeurIPS'22, ICLR ’21
_NOTE_WORDS = (
    r"(?i)[\s,:;-]+(oral|spotlight|poster|highlight|best (?:student )?paper(?: award)?(?: candidate)?|"
    r"outstanding paper(?: award)?|notable[ -]top[ -]?\d+%?)\s*$"
)
_NOTE_STARTS = ("oral", "spotlight", "poster", "highlight", "best", "outstanding", "notable")  # (the words above)
_TOKEN = r"[A-Za-z][A-Za-z0-9]*"
_PROCEEDINGS_OF = r"(?i)^\s*proceedings\s+of\s+(?:the\s+)?"
_NOT_KEY = re.compile(r"[^0-9a-z]+")


class DblpFacts(Struct, frozen=True):
    """DBLP's facts about one venue (see the table's header)."""

    stream: str
    venue: str = ""  # DBLP's spelling in a hit's `venue` field, when not the venue's id
    series: str = ""
    toc: str = ""
    toc_until: tuple[tuple[int, str], ...] = ()
    toc_years: str = ""  # 'odd' for biennial venues held in odd years
    toc_parts: tuple[tuple[int, int], ...] = ()
    proceedings: tuple[tuple[int, str], ...] = ()

    def toc_names(self, year: int) -> tuple[str, ...]:
        """Proceedings page names of one year ('cvpr2019',); () when DBLP has no page for it."""
        pattern = _by_year(self.toc_until, year) or self.toc
        if not pattern or (self.toc_years == "odd" and year % 2 == 0):
            return ()
        if "{part}" in pattern:
            parts = dict(self.toc_parts).get(year, 0)
            return tuple(pattern.format(year=year, part=n) for n in range(1, parts + 1))
        return (pattern.format(year=year),)

    def proceedings_title(self, year: int) -> str:
        return dict(self.proceedings).get(year, "")


class Venue(Struct, frozen=True):
    """One row of the venue table."""

    id: str
    kind: str
    long: str
    short: str = ""
    long_until: tuple[tuple[int, str], ...] = ()
    event_until: tuple[tuple[int, str], ...] = ()
    aliases: tuple[str, ...] = ()
    of: str = ""  # workshops: the conference's id
    publisher: str = ""  # preprints: the server
    source: str = ""
    dblp: DblpFacts | None = None

    def long_name(self, year: int | None = None) -> str:
        """The long name for a year (the current name when the year is unknown)."""
        return (_by_year(self.long_until, year) if year is not None else "") or self.long

    def short_name(self, year: int | None = None) -> str:
        """The acronym: one per venue, whatever the year (the short style's booktitle)."""
        return self.short

    def event_name(self, year: int | None = None) -> str:
        """The event's name in a year: 'NIPS 2017', 'NeurIPS 2018'; the acronym alone without a year."""
        if year is None:
            return self.short
        return f"{_by_year(self.event_until, year) or self.short} {year}"

    @property
    def published(self) -> bool:
        """A venue that publishes papers (not a preprint server, not 'no venue')."""
        return self.kind != PREPRINT

    def names(self) -> tuple[str, ...]:
        """Every name this venue answers to (id, short, long names, aliases)."""
        longs = (self.long, *(name for _, name in self.long_until), *(name for _, name in self.event_until))
        dblp = (self.dblp.venue, self.dblp.series) if self.dblp else ()
        return tuple(dict.fromkeys(n for n in (self.id, self.short, *longs, *self.aliases, *dblp) if n or self.id == NO_VENUE))


def _by_year(table: tuple[tuple[int, object], ...], year: int | None):
    """The value of the smallest year key >= year; None when every key is earlier."""
    if year is None:
        return None
    for until, value in sorted(table):
        if year <= until:
            return value
    return None


# ---------------------------------------------------------------------- the table


class Table(Struct, frozen=True):
    venues: tuple[Venue, ...]
    by_key: dict[str, Venue]  # name key -> venue
    by_acronym: dict[str, Venue]  # an acronym as written ('CVPR', 'MM') -> conference or workshop
    workshops: dict[str, Venue]  # conference id -> its workshop venue
    series: frozenset[str] = frozenset()  # keys of book series names (LNCS …)
    journal_words: tuple[str, ...] = ()  # words that make an unlisted name a journal's
    meeting_words: tuple[str, ...] = ()  # … unless one of these is in it too
    publishers: frozenset[str] = frozenset()  # keys of publishers' names ('IEEE', 'Springer')


@lru_cache(maxsize=1)
def table() -> Table:
    """The table (read once per process), with the name index `compiled` wrote beside its rows:
    working out the index's ~900 name keys took ~6 ms of every run, about 2 % of a warm export."""
    data = json.loads(datafiles.read_text(COMPILED))
    rows = tuple(_venue(row) for row in data["venue"])
    by_id = {v.id: v for v in rows}
    index = data["index"]
    by_key = {name_key: by_id[venue_id] for name_key, venue_id in index["by_key"].items()}
    by_acronym = {name: by_id[venue_id] for name, venue_id in index["by_acronym"].items()}
    return _with_words(Table(rows, by_key, by_acronym, _workshops(rows), frozenset(key(s) for s in data.get("series", ()))), data)


def _with_words(built: Table, data: dict) -> Table:
    words = {name: tuple(_words(w) for w in data.get(name, ())) for name in ("journal_words", "meeting_words")}
    return replace(built, **words, publishers=frozenset(key(p) for p in data.get("publishers", ())))


def source_data() -> dict:
    """data/venues.toml, parsed: what data/venues.json must hold."""
    import tomllib

    return tomllib.loads(datafiles.read_text(SOURCE))


def built(data: dict) -> Table:
    """The table built from the parsed TOML (or JSON) rows alone: what `table()` must equal."""
    return _with_words(build_table(data["venue"], data.get("series", ())), data)


def compiled(data: dict) -> str:
    """The text of data/venues.json for the parsed TOML `data` (deterministic: one venue a line),
    with the name index `build_table` works out from the rows (name key / acronym -> venue id)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in data["venue"])
    rest = {k: v for k, v in data.items() if k != "venue"}
    made = build_table(data["venue"], data.get("series", ()))
    index = {"by_key": {k: v.id for k, v in made.by_key.items()}, "by_acronym": {k: v.id for k, v in made.by_acronym.items()}}
    return ('{"venue":[\n' + lines + "\n],\n" + json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:-1]
            + ',\n"index":' + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "}\n")  # fmt: skip


def build_table(rows: list[dict], series: Iterable[str] = ()) -> Table:
    venues = tuple(_venue(row) for row in rows)
    by_id = {v.id: v for v in venues}
    by_key: dict[str, Venue] = {}
    for venue in venues:
        for name in venue.names():
            _index(by_key, key(name), venue)
    for venue in venues:  # a long name without its acronym ('Proceedings of the … (CVPR)')
        for name in venue.names():
            by_key.setdefault(key(_BRACKETED.sub(" ", name)), venue)
    workshops = _workshops(venues)
    for conference_id, workshop in workshops.items():
        for name in by_id[conference_id].names():
            for suffix in ("W", " Workshop", " Workshops"):
                by_key.setdefault(key(name + suffix), workshop)
    by_acronym = {
        name: v
        for v in venues
        if v.kind in (CONFERENCE, WORKSHOP)
        for name in (v.id, v.short, *v.aliases)
        if re.fullmatch(_TOKEN, name) and sum(ch.isupper() for ch in name) >= 2
    }
    return Table(venues, by_key, by_acronym, workshops, frozenset(key(s) for s in series))


def _workshops(venues: tuple[Venue, ...]) -> dict[str, Venue]:
    """Conference id -> its workshop venue."""
    return {v.of: v for v in venues if v.kind == WORKSHOP and v.of}


def _index(by_key: dict[str, Venue], name_key: str, venue: Venue) -> None:
    other = by_key.setdefault(name_key, venue)
    if other is not venue:
        raise ValueError(f"venue table: {name_key!r} names both {other.id} and {venue.id}")


def _venue(row: dict) -> Venue:
    if row.get("kind") not in KINDS:
        raise ValueError(f"venue table: {row.get('id')!r} has kind {row.get('kind')!r}; expected one of {KINDS}")
    dblp = row.get("dblp")
    return Venue(
        id=row["id"],
        kind=row["kind"],
        long=row.get("long", ""),
        short=row.get("short", row["id"]),
        long_until=_year_items(row.get("long_until", {})),
        event_until=_year_items(row.get("event_until", {})),
        aliases=tuple(row.get("aliases", ())),
        of=row.get("of", ""),
        publisher=row.get("publisher", ""),
        source=row.get("source", ""),
        dblp=_dblp(dblp) if dblp else None,
    )


def _dblp(row: dict) -> DblpFacts:
    return DblpFacts(
        stream=row["stream"],
        venue=row.get("venue", ""),
        series=row.get("series", ""),
        toc=row.get("toc", ""),
        toc_until=_year_items(row.get("toc_until", {})),
        toc_years=row.get("toc_years", ""),
        toc_parts=_year_items(row.get("toc_parts", {})),
        proceedings=_year_items(row.get("proceedings", {})),
    )


def _year_items(mapping: dict) -> tuple:
    return tuple(sorted((int(year), value) for year, value in mapping.items()))


def key(name: str) -> str:
    """The comparison form of a name: 'IEEE Trans. Pattern Anal.' -> 'ieeetranspatternanal'."""
    text = name.replace("&", " and ")
    if not text.isascii():  # accents off: 'Montréal' = 'Montreal'
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _NOT_KEY.sub("", text.casefold())


# ---------------------------------------------------------------------- cells and names


class Cell(Struct, frozen=True):
    """A Venue cell read: the name with its year and notes taken out, and the venue it names."""

    name: str  # 'NeurIPS' for "NeurIPS'22 **(Oral)**"; '' for an empty cell
    year: int | None = None  # the year the cell itself shows
    note: str = ""  # 'Oral'
    venue: Venue | None = None  # None: a venue the table does not know


def split_cell(text: str) -> tuple[str, int | None, str]:
    """'CVPR 2023 **(Oral)**' -> ('CVPR', 2023, 'Oral'); "NeurIPS'22" -> ('NeurIPS', 2022, '')."""
    text = " ".join(_MARKUP.sub(" ", text).split())
    notes = [m.group(1).strip() for m in _BRACKETED.finditer(text) if m.group(1).strip()]
    text = _BRACKETED.sub(" ", text)
    year = None
    found = _YEAR.search(text)
    if found:
        year, text = int(found.group(1)), text[: found.start()] + " " + text[found.end() :]
    else:
        short = re.search(_SHORT_YEAR, text) if any(mark in text for mark in _APOSTROPHES) else None
        if short:
            year, text = 2000 + int(short.group(1)), text[: short.start()] + " " + text[short.end() :]
    word = re.search(_NOTE_WORDS, " " + text) if _may_hold_note_word(text) else None
    if word:
        notes.insert(0, word.group(1))
        text = (" " + text)[: word.start()]
    name = " ".join(text.split()).strip(" ,;:-–—/")
    return name or _dash_only(text), year, (notes[0] if notes else "")


def _may_hold_note_word(text: str) -> bool:
    """False only when `_NOTE_WORDS` cannot match: ASCII text holding none of its words in any
    case (re.I matches a few non-ASCII letters to ASCII ones, 'ſ' to 's': such text is searched)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered for word in _NOTE_STARTS)


def _dash_only(text: str) -> str:
    return text.strip() if text.strip() in ("-", "–", "—", "?") else ""


def parse_cell(text: str) -> Cell:
    name, year, note = split_cell(text)
    return Cell(name, year, note, lookup(text))


@lru_cache(maxsize=8192)
def lookup(text: str, *, generic: bool = True) -> Venue | None:
    """The venue a Venue cell or a source's venue name names; None when the table does not know it.

    The whole text is tried first ('Proceedings of the … (CVPR)' is a name), then the text with
    its year and notes taken out (and without 'Proceedings of the'; a long name is known without
    its '(CVPR)' too). A workshop the table does not list is a workshop of its own name, a name
    with a journal's word a journal of its own name (unless `generic` is False: a source's volume
    title is no name to print as it is).
    """
    found = table().by_key.get(key(text))
    if found is not None:
        return found
    name, _, _ = split_cell(text)
    found = table().by_key.get(key(name)) or table().by_key.get(key(re.sub(_PROCEEDINGS_OF, "", name)))
    if found is not None or not generic:
        return found
    if "workshop" in key(name):
        return Venue(id=name, kind=WORKSHOP, long=name, short=name, source="the list's own Venue cell")
    if _names_a_journal(name):
        return Venue(id=name, kind=JOURNAL, long=name, short=name, source="the list's own Venue cell")
    return None


def _words(name: str) -> str:
    return " " + " ".join(_WORDS.findall(name.casefold())) + " "


def _names_a_journal(name: str) -> bool:
    """'IEEE Transactions on Fuzzy Systems', 'Journal of Signal Processing Systems': a name with a
    journal's word (data/venues.toml `journal_words`) and no meeting's ('… Conference …')."""
    words = _words(name)
    meeting = any(w in words for w in table().meeting_words)
    return not meeting and any(w in words for w in table().journal_words)


def is_publisher(text: str) -> bool:
    """A Venue cell that names a publisher, not a venue ('IEEE', 'Springer', 'ScienceDirect')."""
    return key(split_cell(text)[0]) in table().publishers


def is_series(name: str) -> bool:
    """A book series that holds proceedings volumes ('Lecture Notes in Computer Science')."""
    return key(name) in table().series


def by_id(venue_id: str) -> Venue | None:
    return next((v for v in table().venues if v.id == venue_id), None)


def is_preprint(text: str) -> bool:
    """A cell naming a preprint server or no venue at all ('arXiv', 'CoRR', '-', 'Unknown', '')."""
    found = lookup(text)
    return found is not None and found.kind == PREPRINT


def _acronym_in(text: str) -> Venue | None:
    for token in re.findall(_TOKEN, text):
        found = table().by_acronym.get(token)
        if found is None:
            continue
        if found.kind == CONFERENCE and "workshop" in text.lower():
            return table().workshops.get(found.id, found)
        return found
    return None


def venue_of_names(*names: str) -> Venue | None:
    """The venue a source's names point to: the first that the table knows as a whole name, else
    the first acronym of a conference or workshop found among their words."""
    names = tuple(n for n in names if n and n.strip())
    for name in names:
        found = lookup(name, generic=False)
        if found is not None and found.published:
            return found
    for name in names:
        found = _acronym_in(name)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------- record fields


def record_fields(venue: Venue, year: int | None, *, arxiv: bool = False) -> dict:
    """The record fields (entry type and names) a venue gives a paper of that year.

    conference, workshop -> paper-conference, booktitle the long name of that year, short name the
    acronym, event '<acronym> <year>'; journal -> article-journal with the journal's names;
    preprint -> the preprint form (CSL 'article'), publisher the server ('arXiv' for an arXiv id).
    """
    if venue.kind == PREPRINT:
        publisher = venue.publisher or ("arXiv" if arxiv else "")
        return dict(type=PREPRINT_TYPE, container_title="", container_title_short="", event_title="", publisher=publisher)
    short = venue.short_name(year)
    if venue.kind == JOURNAL:
        return dict(type=ARTICLE_JOURNAL, container_title=venue.long_name(year), container_title_short=short, event_title="")
    return dict(type=PAPER_CONFERENCE, container_title=venue.long_name(year), container_title_short=short,
                event_title=venue.event_name(year))  # fmt: skip


def unknown_venue_fields(name: str, year: int | None) -> dict:
    """A venue the table does not know: a conference paper named as the cell names it."""
    event = f"{name} {year}" if year is not None else name
    return dict(type=PAPER_CONFERENCE, container_title=name, container_title_short=name, event_title=event)


# ---------------------------------------------------------------------- the --venue filter


def display_name(cell_text: str) -> str:
    """The name `--venue` and `list` show for a cell: the venue's id, or the cell's own name; ''
    for a cell that names no venue ('-', 'Unknown')."""
    found = lookup(cell_text)
    if found is not None:
        return found.id if found.id != NO_VENUE else ""
    return split_cell(cell_text)[0]


def same_venue(wanted: str, cell_text: str) -> bool:
    """Does a `--venue` value name the venue of this cell? Through the aliases (NIPS = NeurIPS),
    case-insensitive, with the cell's year and notes taken out."""
    a, b = lookup(wanted), lookup(cell_text)
    if a is not None and b is not None:
        return a.id == b.id
    return key(split_cell(wanted)[0]) == key(split_cell(cell_text)[0])


def valid_names(cells: Iterable[str]) -> list[str]:
    """The venue names a `--venue` filter can take for these cells (sorted, case-insensitively)."""
    return sorted({display_name(c) for c in cells} - {""}, key=str.casefold)

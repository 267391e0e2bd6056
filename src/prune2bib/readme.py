"""Stage 1: a paper list (markdown) -> `Entry` rows. No network.

Any awesome list that keeps its papers in markdown tables is read (he-y/Awesome-Pruning first
of all, and the lists built like it or not):

- **Tables by meaning**: a paper table is any table with a title-like column; its columns are
  mapped by header name in any order (`lists.columns`, synonyms in data/columns.json), unknown
  columns kept on each row; `columns=` (the CLI's `--columns title=Paper,venue=Conf`) overrides.
- **Years however written**: a row's year comes from its venue cell (`CVPR 2023`, `NeurIPS'22`),
  else its Year/Date cell, else the heading it sits under (`### 2021`, `## 2021 Venues`,
  `<h3>2024</h3>`, `**2023**`, `###### Topic 2024`); a span heading (`2012-2016`, `Before 2020`)
  or a heading without a year leaves it unknown (`None`). Rows under any heading are read.
- **The list's own taxonomy**: its legend table names the Type codes (`lists.legend`); codes the
  legend does not define are kept as their own groups.
- **Title cells of every shape** (`lists.cells`): badges, HTML anchors, `Title [[pdf]](u)`.
- **No silent loss**: every table row is an `Entry` or a `Skipped` with its line and reason;
  `ParsedList.summary()` says how many rows were seen, read and skipped.

What is wrong where (the contract `check` and the exit codes rely on):

- **The document** cannot be trusted -> `ReadmeError` (one line): empty, binary (NUL or other
  control bytes), not UTF-8, no paper row at all (the message says which tables were seen and how
  to map their columns), or beyond the work limits (`lists.blocks.MAX_BLOCKS`,
  `lists.inline.MAX_MARKUP`), which keep parsing linear in the input's size.
- **One row** is wrong but the table around it is fine -> the row still becomes an `Entry`
  carrying `Anomaly`s that `errata.find_errata` reports: wrong number of cells, no link, an empty
  link, empty title, stray text, malformed URL, unknown venue, a blank line splitting the table.
  A row that cannot be a paper (no title, no link) is `Skipped`.

Awesome-Pruning's Type codes follow its legend: `WF` -> ('F', 'W'); `FO` -> ('F', 'Other').
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from msgspec import Struct

from prune2bib import collector
from prune2bib import taxonomy as taxonomy_module
from prune2bib.errors import ReadmeError
from prune2bib.lists import cells as cell_parsing
from prune2bib.lists.blocks import Heading, Row, Table, scan, split_cells
from prune2bib.lists.cells import (  # noqa: F401 - re-exported: the stage's public names
    Anomaly,
    doubled_half,
    is_web_url,
    normalise_space,
    repaired_title,
    title_anomalies,
)
from prune2bib.lists.columns import ColumnMap, is_journal_header, map_columns, parse_overrides
from prune2bib.lists.inline import Budget, Piece, plain, plain_text, row_pieces
from prune2bib.lists.legend import could_be_legend, parse_type_cell, read_legend, taxonomy_from
from prune2bib.lists.years import HeadingYear, cell_year, heading_year, split_venue_year
from prune2bib.record import CodeLink
from prune2bib.taxonomy import Taxonomy

# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_CONTROL_BYTES = rb"[\x00-\x08\x0e-\x1f]"
# The same bytes for `bytes.translate`, which finds that a README has none ~10x faster than the
# pattern's search (14 ms for a 1 MB list): the pattern then runs only to say where one is.
_CONTROL_BYTE_VALUES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])
_HTML_TABLE = r"(?i)<table\b"
_HEADING_MARKUP = re.compile(r"<[^<>]*>|\]\([^()\s]*\)|[\[\]*_`]")
# A cell GitHub shows as nothing: empty, or only a markdown comment ('[//]: #Recommend', '<!-- … -->').
_INVISIBLE_CELL = r"\s*(?:\[//\]:\s*#.*|<!--.*?-->)?\s*"
_BADGE_VENUE = r"(?i)/badge/(?:conference|journal|venue|workshop|publish(?:ed)?)-(.+)-[^-/]+$"


class Entry(Struct, frozen=True):
    """One paper row of the list."""

    line: int  # 1-based line number in the README
    year: int | None  # from the venue cell, the Year/Date cell or the heading; None if unknown
    title: str  # whitespace normalised, as the list writes it
    url: str  # the title's link
    venue: str  # 'CVPR' (a year written in the cell is moved to `year`)
    types: tuple[str, ...]  # the list's type codes, in its taxonomy's order
    venue_note: str = ""  # 'Oral', 'Spotlight', 'Best'
    extra_urls: tuple[tuple[str, str], ...] = ()  # (label, url) of further links in the title cell
    code: tuple[CodeLink, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()
    authors: str = ""  # as the list writes them (an Authors column, or under the title)
    columns: tuple[tuple[str, str], ...] = ()  # (header, text) of the row's unknown columns
    venue_kind: str = ""  # 'journal' when the list's own column says so ('| Journal | Title |')


class Skipped(Struct, frozen=True):
    """A table row that is not exported, and why."""

    line: int  # 1-based
    reason: str


class TableSeen(Struct, frozen=True):
    line: int  # 1-based line of the header
    headers: tuple[str, ...]
    kind: str  # 'papers', 'legend' or 'other'
    rows: int


class ParsedList(Struct, frozen=True):
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...]
    tables: tuple[TableSeen, ...]
    taxonomy: Taxonomy

    @property
    def rows_seen(self) -> int:
        return len(self.entries) + len(self.skipped)

    def summary(self) -> str:
        """'280 table rows seen: 278 papers read, 2 skipped (line 40: no title; …)'."""
        papers = sum(1 for t in self.tables if t.kind == "papers")
        line = f"{self.rows_seen} table rows seen in {papers} paper table{'s' if papers != 1 else ''}: {len(self.entries)} papers read, {len(self.skipped)} skipped"
        if self.skipped:
            shown = "; ".join(f"line {s.line}: {s.reason}" for s in self.skipped[:3])
            more = f"; … {len(self.skipped) - 3} more (prune2bib check lists them)" if len(self.skipped) > 3 else ""
            line += f" ({shown}{more})"
        return line


# ---------------------------------------------------------------- bytes -> text


def load_readme_text(data: bytes) -> str:
    """Decode README bytes: UTF-8 with or without BOM; CRLF and CR become LF.

    Raises ReadmeError for empty, binary (NUL or control bytes) or non-UTF-8 input.
    """
    if not data.strip():
        raise ReadmeError("the README is empty")
    control = len(data.translate(None, _CONTROL_BYTE_VALUES)) != len(data) and re.search(_CONTROL_BYTES, data)
    if control:
        raise ReadmeError(
            f"the README looks binary: control byte 0x{control.group()[0]:02x} at offset {control.start()}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadmeError(f"the README is not UTF-8 text: invalid byte at offset {exc.start}") from None
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # (one scan, not four, for LF text)


# ---------------------------------------------------------------- text -> entries


def parse_readme(text: str, columns: str | None = None) -> list[Entry]:
    """Every paper row of every table, in README order (`read_list` says what was skipped)."""
    return list(read_list(text, columns).entries)


def read_list(text: str, columns: str | None = None) -> ParsedList:
    """The list's paper rows, the rows skipped and why, the tables seen and the taxonomy.

    `columns`: 'title=Paper,venue=Conf' maps headers to fields before the synonyms do.
    """
    if not text.strip():
        raise ReadmeError("the README is empty")
    if "\x00" in text:
        raise ReadmeError("the README looks binary: it contains NUL characters")
    text = normalise_newlines(text.lstrip("\ufeff"))
    with collector.paused():  # 60,000 rows of objects and no cycle (see collector.py)
        document = scan(text)
        reader = _Reader(parse_overrides(columns), Budget.for_document(text))
        reader.read(document.blocks)
    reader.skipped += [Skipped(n + 1, "a table row outside any table (no header and delimiter row above it)")
                       for n in document.stray_rows]  # fmt: skip
    skipped = tuple(sorted(reader.skipped, key=lambda s: s.line))
    tables = sorted(reader.tables, key=lambda t: t.line)
    if not reader.entries:
        raise ReadmeError(_nothing_found(tables, skipped, html=re.search(_HTML_TABLE, text) is not None))
    used = (code for e in reader.entries for code in e.types)
    return ParsedList(tuple(reader.entries), skipped, tuple(tables), reader.taxonomy.with_codes(used))


def count_cells(raw_line: str) -> int:
    """Cells in a GFM table row: split on unescaped pipes, minus the optional outer ones."""
    return len(split_cells(raw_line)) if raw_line.strip() else 0


def _nothing_found(tables: list[TableSeen], skipped: tuple[Skipped, ...], html: bool = False) -> str:
    if not tables:
        found = f"{len(skipped)} table-shaped lines but no table" if skipped else "no markdown table"
        found = "an HTML <table> but no markdown table; HTML tables are not read" if html and not skipped else found
        return f"no paper table found: the README has {found} (a table needs a header row, then a delimiter row like |---|---|)"
    shown = "; ".join(f"line {t.line}: {' | '.join(t.headers)} ({t.rows} rows)" for t in tables[:4])
    more = f"; … {len(tables) - 4} more" if len(tables) > 4 else ""
    count = f"{len(tables)} table{'s' if len(tables) != 1 else ''}"
    return (f"no paper rows found: saw {count} ({shown}{more}); a paper table needs a title column "
            "(Title, Paper, Name, …): map one with --columns title=HEADER")  # fmt: skip


class _Reader:
    """Walks the blocks: keeps the heading stack for years, reads legends, then paper tables."""

    def __init__(self, overrides: dict[str, str], budget: Budget):
        self.overrides, self.budget = overrides, budget
        self.entries: list[Entry] = []
        self.skipped: list[Skipped] = []
        self.tables: list[TableSeen] = []
        self.taxonomy = Taxonomy()
        self._years: dict[int, HeadingYear] = {}
        # A list repeats a few venue and type cells in row after row ('CVPR', '`F`'): each
        # distinct one is read once (the taxonomy is fixed before the first paper table).
        self.venue_cells: dict[str, tuple] = {}
        self.type_cells: dict[str, tuple[str, ...]] = {}
        self.cell_texts: dict[str, str] = {}  # a cell as written -> its plain text (`_RowReader.text`)

    def read(self, blocks: list[Heading | Table]) -> None:
        tables = [(b, [plain_text(h, self.budget) for h in b.header]) for b in blocks if isinstance(b, Table)]
        legends = [legend for table, header in tables if (legend := self._legend(table, header))]
        self.taxonomy = taxonomy_from(legends) if legends else Taxonomy()
        headers = {id(table): header for table, header in tables}
        stack: list[Heading] = []
        for block in blocks:
            if isinstance(block, Heading):
                while stack and stack[-1].level >= block.level:
                    stack.pop()
                stack.append(block)
            else:
                self._table(block, headers[id(block)], self._section_year(stack))

    def _legend(self, table: Table, header: list[str]) -> dict[str, str] | None:
        if len(header) < 2 or len(table.rows) > 64 or not could_be_legend(header):
            return None
        rows = [[plain_text(c, self.budget) for c in row.cells[: len(header)]] for row in table.rows]
        legend = read_legend(header, rows)
        if legend:
            self.tables.append(TableSeen(table.line + 1, tuple(h.strip() for h in header), "legend", len(table.rows)))
            table.rows = []  # read: not a paper table
            table.header = []
        return legend

    def _section_year(self, stack: list[Heading]) -> HeadingYear:
        for heading in reversed(stack):
            said = self._years.get(id(heading))
            if said is None:
                said = self._years[id(heading)] = heading_year(_HEADING_MARKUP.sub(" ", heading.text))
            if said.says_something:
                return said
        return HeadingYear()

    def _table(self, table: Table, header: list[str], section: HeadingYear) -> None:
        if not table.header:
            return  # a legend, already read
        shape = map_columns(header, self.overrides)
        kind = "papers" if shape.is_paper_table else "other"
        self.tables.append(TableSeen(table.line + 1, tuple(h.strip() for h in header), kind, len(table.rows)))
        if not shape.is_paper_table:
            return
        rows = _RowReader(self, header, shape, section)
        for row in table.rows:
            entry = rows.read(row)
            if isinstance(entry, Skipped):
                self.skipped.append(entry)
            else:
                self.entries.append(entry)


class _RowReader:
    """The rows of one paper table, one at a time -> an Entry (with anomalies) or a Skipped."""

    def __init__(self, reader: _Reader, header: list[str], shape: ColumnMap, section: HeadingYear):
        self.reader, self.header, self.shape, self.section = reader, header, shape, section
        self.budget = reader.budget
        # What the table's header says for all its rows:
        venue = shape.fields.get("venue")
        self.venue_kind = "journal" if venue is not None and is_journal_header(header[venue]) else ""
        self.authors_after_title = "author" in header[shape.fields["title"]].casefold()

    def cell(self, field: str) -> list[Piece] | None:
        """The pieces of the row's cell for `field`; None when the table has no such column."""
        index = self.shape.fields.get(field)
        if index is None:
            return None
        return self.parts[index] if index < len(self.parts) else []

    def text(self, field: str) -> str | None:
        """The plain text of the row's cell for `field`, worked out once per distinct cell of the
        list (a list repeats its venue and type cells in row after row); None: no such column."""
        index = self.shape.fields.get(field)
        if index is None:
            return None
        if index >= len(self.parts):
            return ""
        raw = self.cells[index]
        known = self.reader.cell_texts.get(raw)
        if known is None:
            known = self.reader.cell_texts[raw] = normalise_space(plain(self.parts[index]))
        return known

    def read(self, row: Row) -> Entry | Skipped:
        line = row.line + 1
        joined = "".join(row.cells)  # (two C calls rule out both for most rows, which hold letters)
        if not joined.strip():
            return Skipped(line, "an empty table row")
        if not joined.replace(":", "").replace("-", "").strip() and all(c.strip().strip(":").strip("-") == "" for c in row.cells):
            return Skipped(line, "a second delimiter row inside the table")
        anomalies: list[Anomaly] = []
        if len(row.cells) != len(self.header) and not self._invisible_excess(row.cells):
            expected = " | ".join(h.strip() for h in self.header)
            anomalies.append(Anomaly("cell-count", f"row has {len(row.cells)} cells; expected {len(self.header)} ({expected})"))
        if row.after_split is not None:
            anomalies.append(Anomaly("table-split", f"the blank line {row.after_split + 1} splits the table: GitHub shows this row as text"))
        self.cells, self.parts = row.cells, row_pieces(row.cells, self.budget)
        title_cell = cell_parsing.parse_title_cell(self.cell("title") or [])
        title, url, extras = title_cell.title, title_cell.url, list(title_cell.extra_urls)
        title_anomalies_ = list(title_cell.anomalies)
        url, extras, title_anomalies_ = self._link_columns(row, url, extras, title_anomalies_)
        if not title and not url:
            return Skipped(line, "no title and no link")
        venue_anomalies: list[Anomaly] = []
        venue, note, year = self._venue(title_cell.badges, venue_anomalies)
        types = self._types()
        code, code_anomalies = self._code()
        return Entry(
            line=line,
            year=year,
            title=title,
            url=url,
            venue=venue,
            types=types,
            venue_note=note,
            extra_urls=tuple(extras),
            code=code,
            anomalies=tuple(anomalies + title_anomalies_ + venue_anomalies + code_anomalies),
            authors=self._authors(title_cell),
            columns=self._unknown(),
            venue_kind=self.venue_kind,
        )

    def _invisible_excess(self, cells: list[str]) -> bool:
        """Cells past the header's that GitHub would show as nothing (it drops excess cells):
        horseee/Awesome-Efficient-LLM ends every row with '| [//]: #Recommend'."""
        extra = cells[len(self.header) :]
        return bool(extra) and all(re.fullmatch(_INVISIBLE_CELL, cell) for cell in extra)

    def _link_columns(self, row: Row, url: str, extras: list, anomalies: list[Anomaly]):
        """A 'Paper'/'PDF'/'Link' column gives the link when the title cell has none."""
        for index in self.shape.links:
            if index >= len(self.parts):
                continue
            for piece in self.parts[index]:
                if piece.kind != "link" or piece.badge or not piece.href:
                    continue
                if not url:
                    url = piece.href
                    anomalies = [a for a in anomalies if a.code not in ("missing-link", "empty-link")]
                    if not is_web_url(url):
                        anomalies.append(Anomaly("bad-url", f"the paper link {url!r} is not a valid http(s) URL"))
                else:
                    extras.append((normalise_space(piece.text) or self.header[index].strip(), piece.href))
        return url, extras, anomalies

    def _venue(self, badges: tuple[str, ...], anomalies: list[Anomaly]) -> tuple[str, str, int | None]:
        raw = self.text("venue")
        text = raw or ""
        if not text:
            text = _badge_venue(badges)
        if raw is not None or text:
            venue, note, venue_year, found, checks = self._venue_cell(text)
            if raw is not None and not text:
                anomalies.extend(found)
            anomalies.extend(checks)
        else:
            (venue, venue_year), note = split_venue_year(text), ""
        year_text = self.text("year")
        year = venue_year or (cell_year(year_text) if year_text else None) or self.section.year
        return venue, note, year

    def _venue_cell(self, text: str) -> tuple[str, str, int | None, tuple[Anomaly, ...], tuple[Anomaly, ...]]:
        """(venue, note, year, the cell's own anomalies, the venue's and note's checks)."""
        known = self.reader.venue_cells.get(text)
        if known is None:
            venue_with_year, note, found = cell_parsing.parse_venue_cell(text, lambda v: True)
            venue, venue_year = split_venue_year(venue_with_year)
            checks = []
            if venue and taxonomy_module.venue(venue) is None:
                checks.append(Anomaly("unknown-venue", f"unknown venue {venue!r}"))
            if note and note not in cell_parsing.VENUE_NOTES:
                checks.append(Anomaly("unknown-venue-note", f"unknown venue note {note!r}; expected Oral, Spotlight or Best"))
            known = self.reader.venue_cells[text] = (venue, note, venue_year, tuple(found), tuple(checks))
        return known

    def _types(self) -> tuple[str, ...]:
        raw = self.text("type")
        if raw is None:
            return ()
        codes = self.reader.type_cells.get(raw)
        if codes is None:
            codes = self.reader.type_cells[raw] = parse_type_cell(raw, self.reader.taxonomy)[0]
        return codes

    def _code(self) -> tuple[tuple[CodeLink, ...], list[Anomaly]]:
        found = self.cell("code")
        if not found:
            return (), []
        return cell_parsing.parse_code_cell(found)

    def _authors(self, title_cell: cell_parsing.TitleCell) -> str:
        raw = self.text("authors")
        if raw is not None:
            return raw
        return title_cell.after if self.authors_after_title else title_cell.authors

    def _unknown(self) -> tuple[tuple[str, str], ...]:
        found = []
        for index, header in self.shape.unknown:
            if index < len(self.parts):
                text = normalise_space(plain(self.parts[index]))
                if text:
                    found.append((header, text))
        return tuple(found)


def _badge_venue(badges: tuple[str, ...]) -> str:
    """A shields.io 'Conference-ICML'23' badge -> "ICML'23" (lists without a Venue column)."""
    for image in badges:
        found = re.search(_BADGE_VENUE, image.split("?")[0])
        if found:
            return unquote(found.group(1)).replace("--", "\0").replace("__", "\1").replace("_", " ").replace("\0", "-").replace("\1", "_")
    return ""

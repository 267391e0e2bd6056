"""Markdown text -> the blocks a paper list is made of: headings and tables. Linear time.

A line scanner rather than a full markdown parser, for two reasons (measured, see
benchmarks/bench_parse.py): markdown-it-py needs ~2.3 s per MB just for block parsing in pure
Python, and a paper list must be read *by lines* anyway so that nothing is lost in silence —
rows after a blank line inside a table, and table-shaped lines markdown does not read as a table,
are reported with their line rather than dropped.

What it knows of markdown (GFM tables: https://github.github.com/gfm/#tables-extension-):
ATX headings (`## 2021 Venues`), HTML headings (`<h3 align="center">2024</h3>`, also inside
`**…**`), a bold line or a bare year line acting as a heading (`**2023**`, `2012-2016`),
fenced code blocks and HTML comments (their contents are skipped), and tables: a header row,
a delimiter row with as many cells, then rows up to a blank line or another block.

Work is bounded: every line is looked at a constant number of times (interesting lines are found
by one regular expression over the whole text, table rows are read once), and a document with
more than `MAX_BLOCKS` blocks (table rows, headings, code blocks, comments) is refused early.
"""

from __future__ import annotations

import re
from functools import lru_cache

from msgspec import Struct, field

from prune2bib.errors import ReadmeError

# A real list of 10 MiB holds 27,000 (Awesome-Pruning's rows, ~380 bytes) to 53,000 rows (~200 bytes)
# and a few hundred headings; more blocks (table rows, headings, code blocks, comments) are refused
# as not a paper list, which bounds the work done per block (cells, entries, heading years).
MAX_BLOCKS = 60_000

# Lines worth a look: headings, HTML, emphasis, fences, a year at the start, or any pipe.
_INTERESTING = re.compile(r"^[ \t]{0,3}(?:[#<*_`~]|(?:19|20)\d\d)[^\n]*|^[^\n|]*\|[^\n]*", re.M)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_ENDS_TABLE = r"(?i)^[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|>|`{3,}|~{3,}|<!--|<h[1-6]\b)"
_ATX = re.compile(r"[ \t]{0,3}(#{1,6})(?=[ \t]|$)")
_HTML_HEADING = r"(?is)<h([1-6])\b[^>]*>(.*)</h\1\s*>"
_YEAR_LINE = r"(?i)(?:19|20)\d\d(?:\s*(?:-|–|—|~|to)\s*(?:(?:19|20)\d\d|now|present))?"
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*+")  # possessive: no backtracking state per line (4x faster, linear)
_DELIMITER_CHARS = re.compile(r"[|\-: \t]+")
_DELIMITER_CELL = re.compile(r":?-+:?")
PSEUDO_LEVEL = 7  # a bold line or a bare year line: inside every real heading's section


class Heading(Struct):
    line: int  # 0-based
    level: int  # 1-6, or PSEUDO_LEVEL
    text: str  # the heading's markdown text


class Row(Struct):
    line: int  # 0-based
    cells: list[str]  # raw markdown of each cell, as GFM splits them (escaped pipes kept)
    after_split: int | None = None  # 0-based line of the blank line that split the table before it


class Table(Struct):
    line: int  # 0-based line of the header row
    header: list[str]
    rows: list[Row] = field(default_factory=list)


class Document(Struct):
    """The blocks in document order, and the table-shaped lines that belong to no table."""

    blocks: list[Heading | Table]
    stray_rows: list[int]  # 0-based lines that look like table rows outside any table
    line_count: int


def split_cells(line: str) -> list[str]:
    """A GFM table row -> its cells: split on unescaped pipes, minus the optional outer ones.

    A pipe after an odd run of backslashes is escaped ('a \\| b' is one cell); the split itself
    is done by `str.split`, so a long row costs C-speed work.
    """
    text = line.strip()
    if "\\|" in text:  # (rare: most rows have no escaped pipe, and skip the loop)
        cells: list[str] = []
        for piece in text.split("|"):
            if cells and _escapes_pipe(cells[-1]):
                cells[-1] += "|" + piece
            else:
                cells.append(piece)
    else:
        cells = text.split("|")
    if len(cells) > 1 and not cells[0].strip():
        cells.pop(0)
    if len(cells) > 1 and not cells[-1].strip():
        cells.pop()
    return cells


def _escapes_pipe(piece: str) -> bool:
    return piece.endswith("\\") and (len(piece) - len(piece.rstrip("\\"))) % 2 == 1


class _Lines:
    """Line access by position in one text, without splitting it (a 10 MiB file of newlines
    would otherwise become ten million string objects)."""

    def __init__(self, text: str):
        self.text = text

    def end_of(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def line_at(self, pos: int) -> str:
        return self.text[pos : self.end_of(pos)]


def scan(text: str) -> Document:
    """Headings and tables of `text` (newlines already normalised to LF), in one pass."""
    lines = _Lines(text)
    blocks: list[Heading | Table] = []
    stray: list[int] = []
    state = _State()
    line_no, last_pos, resume = 0, 0, 0
    while (match := _INTERESTING.search(text, resume)) is not None:
        pos = match.start()
        line_no += text.count("\n", last_pos, pos)
        last_pos, resume = pos, match.end()
        line = match.group()
        first = line.lstrip()[:1]
        if first in ("`", "~"):
            fence = _FENCE.match(line)
            if fence:
                state.count(1)
                resume = _end_of_fence(text, lines, pos, fence.group(1))  # its lines are code
                continue
        elif first == "<" and line.lstrip().startswith("<!--"):
            state.count(1)
            end = text.find("-->", pos)
            resume = len(text) if end < 0 else lines.end_of(end)
            continue
        if first != "|":
            heading = _heading(line, line_no)
            if heading is not None:
                state.count(1)
                blocks.append(heading)
                continue
        if "|" not in line:
            continue
        table_end = _table(text, lines, pos, line_no, line, blocks, state)
        if table_end is not None:
            resume = table_end
        elif _row_shaped(line):
            stray.append(line_no)
            state.count(1)
    return Document(blocks, stray, text.count("\n") + 1)


class _State:
    rows = 0

    def count(self, n: int) -> None:
        self.rows += n
        if self.rows > MAX_BLOCKS:
            raise ReadmeError(
                f"more than {MAX_BLOCKS:,} table rows, headings and other blocks: too large for a paper list "
                f"(prune2bib reads up to {MAX_BLOCKS:,})"
            )


def _row_shaped(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.count("|") >= 2


def _heading(line: str, line_no: int) -> Heading | None:
    """An ATX, HTML, bold-line or bare-year heading. String operations and anchored patterns
    only: a hostile line of spaces must not make a regular expression backtrack."""
    atx = _ATX.match(line)
    if atx:
        return Heading(line_no, len(atx.group(1)), _without_closing_hashes(line[atx.end() :].strip()))
    text = line.strip()
    bold = _unbolded(text)
    html = re.fullmatch(_HTML_HEADING, bold or text) if (bold or text).startswith("<") else None
    if html:
        return Heading(line_no, int(html.group(1)), html.group(2))
    if bold and "|" not in bold and "**" not in bold and "__" not in bold:
        return Heading(line_no, PSEUDO_LEVEL, bold)
    if text[:2] in ("19", "20") and re.fullmatch(_YEAR_LINE, text):
        return Heading(line_no, PSEUDO_LEVEL, text)
    return None


def _without_closing_hashes(text: str) -> str:
    """'2021 ##' -> '2021' (an ATX closing sequence); '#' alone -> ''."""
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        return bare.rstrip()
    return text


def _unbolded(text: str) -> str:
    """'**2023**' (or '**2023**:', '__2023__') -> '2023'; '' when the line is not bold as a whole."""
    text = text[:-1].rstrip() if text.endswith(":") else text
    for mark in ("**", "__"):
        if len(text) > 4 and text.startswith(mark) and text.endswith(mark):
            return text[2:-2].strip()
    return ""


def _is_delimiter(line: str) -> bool:
    """A GFM delimiter row: cells of dashes with optional colons ('|:--|:--:|')."""
    text = line.strip()
    if "-" not in text or not _DELIMITER_CHARS.fullmatch(text):
        return False
    return all(_DELIMITER_CELL.fullmatch(cell.strip()) for cell in split_cells(text))


def _end_of_fence(text: str, lines: _Lines, pos: int, opener: str) -> int:
    """Position after the fence that closes the one at `pos` (or the end: CommonMark)."""
    found = _closing_fence(opener[0], len(opener)).search(text, lines.end_of(pos) + 1)
    return len(text) if found is None else found.end()


@lru_cache(maxsize=64)
def _closing_fence(char: str, length: int) -> re.Pattern:
    return re.compile(rf"^[ \t]{{0,3}}{re.escape(char)}{{{length},}}[ \t]*$", re.M)


def _table(text, lines: _Lines, pos, line_no, header_line, blocks, state) -> int | None:
    """Read the table whose header is at `pos`; return the position after it, or None if the
    line does not start a table (no delimiter row with as many cells right below it)."""
    next_pos = lines.end_of(pos) + 1
    if next_pos > len(text):
        return None
    delimiter = lines.line_at(next_pos)
    if not _is_delimiter(delimiter):
        return None
    header = split_cells(header_line)
    if len(split_cells(delimiter)) != len(header) or ("|" not in delimiter and len(header) > 1):
        return None
    table = Table(line_no, header)
    blocks.append(table)
    state.count(2)
    return _read_rows(text, lines, lines.end_of(next_pos) + 1, line_no + 2, table, state)


def _read_rows(text: str, lines: _Lines, pos: int, line_no: int, table: Table, state: _State) -> int:
    """Rows up to the table's end. Rows after blank lines are read on (marked split) when they
    are table-shaped and do not start a new table: GitHub shows them as text, yet they are the
    list's papers."""
    split_at = None
    while pos <= len(text):
        line = lines.line_at(pos)
        end = pos + len(line) + 1
        if not line.strip():
            resume = _after_blank(text, lines, end, line_no + 1)
            if resume is None:
                return pos
            split_at = line_no
            pos, line_no = resume
            continue
        if line[:1] != "|" and re.match(_ENDS_TABLE, line):  # (a row that starts with its pipe ends nothing)
            return pos
        state.count(1)
        table.rows.append(Row(line_no, split_cells(line), split_at))
        pos, line_no = end, line_no + 1
    return len(text)


def _after_blank(text: str, lines: _Lines, pos: int, line_no: int) -> tuple[int, int] | None:
    """Where a table goes on after blank lines: the next line if it is a row of it, else None."""
    blank = _BLANK_LINES.match(text, pos)
    line_no += text.count("\n", pos, blank.end())
    pos = blank.end()
    if pos >= len(text):
        return None
    line = lines.line_at(pos)
    if not _row_shaped(line) or re.match(_ENDS_TABLE, line):
        return None
    following = lines.end_of(pos) + 1
    if following <= len(text) and _is_delimiter(lines.line_at(following)):
        return None  # a new table starts here
    return pos, line_no

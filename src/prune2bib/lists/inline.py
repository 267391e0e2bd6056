"""One table cell's inline markdown -> pieces: text, links (badges marked), line breaks.

Parsed by pyromark (pulldown-cmark, a CommonMark parser in Rust whose work is linear in its
input: https://monosans.github.io/pyromark). The cell is handed over as the only cell of a
one-column table, so that it is read exactly as GFM reads a cell: inline content only, escaped
pipes unescaped, never a list, heading or HTML block. Raw HTML inside a cell is read for the
shapes lists use: `<a href="u">Title</a>` is a link, `<br>` a line break, `<img>` a badge; other
tags are dropped and their text kept.

Cost is bounded twice: a cell without markup characters never reaches the parser, and the
markup characters of all parsed cells are counted against `MAX_MARKUP` (pathological markup
costs pulldown-cmark up to ~1 µs per character, real lists hold under 8 % markup), so a hostile
document is refused in bounded time instead of being parsed for minutes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import pyromark

from prune2bib.errors import ReadmeError

MAX_MARKUP = 2_000_000
_MARKUP_CHARS = "[]()<>*_`!\\&~:"
# Cells that are only plain links ('[Title](url), [Extension1](url2)') are the bulk of every list:
# they are read by this pattern, which accepts only what CommonMark reads the same way (no nested
# brackets, emphasis, escapes, entities, images or HTML in the label; no space, parenthesis,
# angle bracket, escape or entity in the URL). Anything else goes to pyromark.
# tests/test_parse_linear.py checks that both give the same pieces.
_SIMPLE_LINK = r"\[([^\[\]\\`*_<>!&~]*)\]\(([^()\s<>\\&`]*)\)"
_SIMPLE_CELL = re.compile(rf"[ \t]*(?:{_SIMPLE_LINK}[ \t]*,?[ \t]*)+")
_SIMPLE_LINKS = re.compile(rf"{_SIMPLE_LINK}([ \t]*,?[ \t]*)")
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_HREF = r"""(?i)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"""
_TAG_NAME = r"</?\s*([a-zA-Z][a-zA-Z0-9]*)"
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
_UNSAFE_LINK = re.compile(r"\]\(\s*(?:javascript|vbscript|data|file):", re.I)  # not a link: the slow path says so


class Piece(NamedTuple):
    """A run of a cell. kind: 'text', 'link' (text = its label) or 'break' (`<br>`).
    (A named tuple: a long list makes one per link, and tuples are cheap to make.)"""

    kind: str
    text: str = ""
    href: str = ""
    badge: bool = False  # a link whose label is only an image (a shields.io badge, a star count)
    image: str = ""  # for a link with an image label: the image's URL


class Budget:
    """Markup characters parsed so far in one document."""

    def __init__(self, limit: int | None = None):
        self.limit = MAX_MARKUP if limit is None else limit
        self.used = 0

    def spend(self, markup: int) -> None:
        self.used += markup
        if self.used > self.limit:
            raise ReadmeError(
                f"more than {self.limit:,} markup characters in table cells: not a paper list "
                "(real lists hold under 8 % markup)"
            )

    def spend_on(self, cell: str) -> None:
        self.spend(markup_count(cell))

    @classmethod
    def for_document(cls, text: str, limit: int | None = None) -> Budget:
        """The budget of a document's cells. A document that holds no more markup characters than
        the limit cannot spend more in its cells, which are parts of it: its budget counts
        nothing (one count of the whole text instead of one per cell)."""
        budget = cls(limit)
        if len(text) <= budget.limit:
            return _Ample(budget.limit)  # (no need to count: every list but a hostile one)
        # Counted in the UTF-8 bytes (the markup characters are ASCII, and so one byte each): a
        # bytes.translate is one C pass, where str.translate looks each character up in a dict.
        data = text.encode("utf-8", "surrogatepass")
        markup = len(data) - len(data.translate(None, _MARKUP_BYTES))
        return _Ample(budget.limit) if markup <= budget.limit else budget


class _Ample(Budget):
    """The budget of a document whose whole text is within the limit (`Budget.for_document`)."""

    def spend_on(self, cell: str) -> None:
        pass


_MARKUP = re.compile("[" + re.escape(_MARKUP_CHARS) + "]")


_NO_MARKUP = str.maketrans("", "", _MARKUP_CHARS)
_MARKUP_BYTES = _MARKUP_CHARS.encode("ascii")


def markup_count(cell: str) -> int:
    return len(cell) - len(cell.translate(_NO_MARKUP))


def pieces(cell: str, budget: Budget) -> list[Piece]:
    """The cell's pieces; text runs are not yet whitespace-normalised."""
    return row_pieces([cell], budget)[0]


def row_pieces(cells: list[str], budget: Budget) -> list[list[Piece]]:
    """The pieces of each cell of a row, in one parse: the cells with markup are handed to
    pyromark together, as the one row of a table (what GFM does with them)."""
    out: list[list[Piece]] = []
    marked: list[int] = []
    for index, cell in enumerate(cells):
        if not _MARKUP.search(cell):
            out.append([Piece("text", cell)] if cell.strip() else [])
        elif is_simple(cell):
            budget.spend_on(cell)
            out.append(simple_links(cell))
        elif len(cell) <= _SHORT_CELL:
            budget.spend_on(cell)
            out.append(list(_short_cell(cell)))
        else:
            marked.append(index)
            out.append([])
    if marked:
        for index in marked:
            budget.spend_on(cells[index])
        parsed = _parse_cells([cells[i] for i in marked])
        if len(parsed) != len(marked):  # a cell that reads as a delimiter row (':--'): one by one
            parsed = [_parse_cells([cells[i]]) or [[Piece("text", cells[i])]] for i in marked]
            parsed = [found[0] for found in parsed]
        for index, found in zip(marked, parsed):
            out[index] = found
    return out


# A type or venue cell ('`WF`', 'CVPR **(Oral)**'): a list repeats a few dozen such cells in all
# its rows, so each is parsed once (GFM reads a table's cells one by one: a cell reads the same
# alone as in its row; tests/test_parse_linear.py compares the two).
_SHORT_CELL = 48


@lru_cache(maxsize=1024)
def _short_cell(cell: str) -> tuple[Piece, ...]:
    parsed = _parse_cells([cell]) or [[Piece("text", cell)]]  # (a cell that reads as a delimiter row: text)
    return tuple(parsed[0])


def is_simple(cell: str) -> bool:
    """Whether the cell is only plain links and separators, read by `simple_links`."""
    return bool(_SIMPLE_CELL.fullmatch(cell)) and not _UNSAFE_LINK.search(cell)


def simple_links(cell: str) -> list[Piece]:
    """The pieces of a cell `_SIMPLE_CELL` matches: its links, and the separators between them."""
    found: list[Piece] = []
    for label, href, after in _SIMPLE_LINKS.findall(cell.strip(" \t")):
        found.append(Piece("link", label, href))
        if after:
            found.append(Piece("text", after))
    return found


def parsed_by_pyromark(cell: str) -> list[Piece]:
    """The cell's pieces from pyromark alone (tests compare the fast path with it)."""
    return _parse_cells([cell])[0]


def _parse_cells(cells: list[str]) -> list[list[Piece]]:
    source = "|" + "|".join(cells) + "|\n" + "|-" * len(cells) + "|\n"
    return _Reader().read(pyromark.events(source, options=_OPTIONS))


def plain_text(cell: str, budget: Budget) -> str:
    """The cell as plain text: link labels kept, markup, badges and tags dropped."""
    return plain(pieces(cell, budget))


def plain(found: list[Piece]) -> str:
    return " ".join(p.text for p in found if p.kind != "break" and not p.badge)


class _Reader:
    """Folds pyromark's events of one table cell into pieces."""

    def __init__(self):
        self.out: list[Piece] = []
        self.text: list[str] = []
        self.link: str | None = None  # href of the open link
        self.link_image = ""
        self.link_has_text = False
        self.in_image = 0

    def read(self, events) -> list[list[Piece]]:
        """Pieces per table cell. A tight loop: a real list sends ~10 events per row."""
        cells: list[list[Piece]] = []
        text = self.text
        for event in events:
            if type(event) is not dict:
                continue  # 'Rule', breaks of the wrapper table
            for name, value in event.items():
                if name == "Text" or name == "Code":
                    if not self.in_image:
                        text.append(value)
                        if not self.link_has_text and value.strip():
                            self.link_has_text = True
                elif name == "Start":
                    if value == "TableCell":
                        self.out, self.link = [], None
                    elif type(value) is dict:
                        self._start(value)
                elif name == "End":
                    if value == "TableCell":
                        self._close_link()
                        self._flush_text()
                        cells.append([p for p in self.out if p.kind != "text" or p.text])
                    else:
                        self._end(value)
                elif name == "InlineHtml" or name == "Html":
                    self._html(value)
                elif name == "SoftBreak":
                    text.append(" ")
                elif name == "HardBreak":
                    self._break()
            text = self.text
        return cells

    def _start(self, value) -> None:
        if isinstance(value, dict) and "Link" in value:
            self._open_link(value["Link"].get("dest_url", ""))
        elif isinstance(value, dict) and "Image" in value:
            self.in_image += 1
            if self.link is not None and not self.link_image:
                self.link_image = value["Image"].get("dest_url", "")

    def _end(self, value) -> None:
        if value == "Link":
            self._close_link()
        elif value == "Image":
            self.in_image = max(0, self.in_image - 1)

    def _open_link(self, href: str) -> None:
        self._close_link()
        self._flush_text()
        if href.strip().lower().startswith(_UNSAFE_SCHEMES):
            return  # not a link: its label stays as text
        self.link, self.link_image, self.link_has_text = href, "", False

    def _close_link(self) -> None:
        if self.link is None:
            return
        label = "".join(self.text)
        badge = bool(self.link_image) and not self.link_has_text
        self.out.append(Piece("link", label, self.link, badge=badge, image=self.link_image))
        self.text, self.link = [], None

    def _flush_text(self) -> None:
        if self.link is None and self.text:
            self.out.append(Piece("text", "".join(self.text)))
            self.text = []

    def _break(self) -> None:
        self._close_link()
        self._flush_text()
        self.out.append(Piece("break"))

    def _html(self, tag: str) -> None:
        name = re.match(_TAG_NAME, tag.strip())
        if not name:
            if not tag.lstrip().startswith("<!--"):
                self.text.append(tag)
            return
        element, closing = name.group(1).lower(), tag.lstrip().startswith("</")
        if element == "br":
            self._break()
        elif element == "a" and closing:
            self._close_link()
        elif element == "a":
            href = re.search(_HREF, tag)
            if href:
                self._open_link(next(g for g in href.groups() if g is not None))
        elif element == "img" and self.link is not None and not self.link_image:
            self.link_image = "img"

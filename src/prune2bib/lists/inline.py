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
from dataclasses import dataclass

import pyromark

from prune2bib.errors import ReadmeError

MAX_MARKUP = 2_000_000
_MARKUP_CHARS = "[]()<>*_`!\\&~:"
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9]*)")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


@dataclass(frozen=True)
class Piece:
    """A run of a cell. kind: 'text', 'link' (text = its label) or 'break' (`<br>`)."""

    kind: str
    text: str = ""
    href: str = ""
    badge: bool = False  # a link whose label is only an image (a shields.io badge, a star count)
    image: str = ""  # for a link with an image label: the image's URL


class Budget:
    """Markup characters parsed so far in one document."""

    def __init__(self, limit: int = MAX_MARKUP):
        self.limit = limit
        self.used = 0

    def spend(self, markup: int) -> None:
        self.used += markup
        if self.used > self.limit:
            raise ReadmeError(
                f"more than {self.limit:,} markup characters in table cells: not a paper list "
                "(real lists hold under 8 % markup)"
            )


def markup_count(cell: str) -> int:
    return sum(map(cell.count, _MARKUP_CHARS))


def pieces(cell: str, budget: Budget) -> list[Piece]:
    """The cell's pieces; text runs are not yet whitespace-normalised."""
    markup = markup_count(cell)
    if not markup:
        return [Piece("text", cell)] if cell.strip() else []
    budget.spend(markup)
    return _Reader().read(pyromark.events(f"|{cell}|\n|-|\n", options=_OPTIONS))


def plain_text(cell: str, budget: Budget) -> str:
    """The cell as plain text: link labels kept, markup, badges and tags dropped."""
    return " ".join(p.text for p in pieces(cell, budget) if p.kind != "break" and not p.badge)


class _Reader:
    """Folds pyromark's events of one table cell into pieces."""

    def __init__(self):
        self.out: list[Piece] = []
        self.text: list[str] = []
        self.link: str | None = None  # href of the open link
        self.link_image = ""
        self.link_has_text = False
        self.in_image = 0

    def read(self, events) -> list[Piece]:
        for event in events:
            if isinstance(event, dict):
                self._event(event)
        self._flush_text()
        return [p for p in self.out if p.kind != "text" or p.text]

    def _event(self, event: dict) -> None:
        (name, value), = event.items()
        if name in ("Text", "Code"):
            if not self.in_image:
                self.text.append(value)
                self.link_has_text = self.link_has_text or bool(value.strip())
        elif name in ("InlineHtml", "Html"):
            self._html(value)
        elif name in ("SoftBreak",):
            self.text.append(" ")
        elif name == "HardBreak":
            self._break()
        elif name == "Start":
            self._start(value)
        elif name == "End":
            self._end(value)

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
        name = _TAG_NAME.match(tag.strip())
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
            href = _HREF.search(tag)
            if href:
                self._open_link(next(g for g in href.groups() if g is not None))
        elif element == "img" and self.link is not None and not self.link_image:
            self.link_image = "img"

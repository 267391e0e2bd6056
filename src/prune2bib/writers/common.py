"""Field values shared by the three writers: taxonomy tags, the code note, page ranges.

Stage: helper of `writers/`. Pure functions of a `record.Record`, so that BibTeX, CSL-JSON and
RIS say the same thing about a paper.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

from ..record import CodeLink, Record
from .latex import clean_text

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def tag_names(record: Record, type_names: Mapping[str, str]) -> list[str]:
    """The record's taxonomy types as human tag names, in taxonomy order ('filter pruning')."""
    return [clean_text(type_names.get(code, code)) for code in record.types]


def code_note(record: Record, text: Callable[[str], str] = str, url: Callable[[str], str] = str) -> str:
    """'Code: https://github.com/a/b (PyTorch(Author))' for all code links, '' when none.

    `text` and `url` render the labels and the URLs (the BibTeX writer passes LaTeX escapers).
    """
    parts = [_code_part(link, text, url) for link in record.code]
    parts = [p for p in parts if p]
    return "Code: " + "; ".join(parts) if parts else ""


def _code_part(link: CodeLink, text: Callable[[str], str], url: Callable[[str], str]) -> str:
    label, link_url, status = clean_text(link.label), clean_text(link.url), clean_text(link.status)
    part = url(link_url) if link_url else ""
    if label and label != link_url:
        part = f"{part} ({text(label)})" if part else text(label)
    if status and status != label:
        part = f"{part} [{text(status)}]" if part else text(status)
    return part


_RANGE = re.compile(r"^\s*([^\s\-\u2013\u2014]+)\s*(?:-+|\u2013|\u2014)\s*([^\s\-\u2013\u2014]+)\s*$")


def page_range(page: str) -> tuple[str, str]:
    """'123-130' (or with an en dash) -> ('123', '130'); '42' -> ('42', ''); '' -> ('', '')."""
    first, _, last = page.partition("-")
    if first.isdigit() and last.isdigit():  # '123-130', nearly every page range: no regex pass
        return first, last
    page = clean_text(page)
    match = _RANGE.match(page)
    if match:
        return match.group(1), match.group(2)
    return page, ""


def month_of(record: Record) -> int | None:
    """The month (1-12) of the record's date when it is known and valid."""
    if len(record.issued) >= 2 and 1 <= record.issued[1] <= 12:
        return record.issued[1]
    return None


def venue_name(record: Record, style: str = "long") -> str:
    """The container's name in the chosen style, falling back to whichever is known."""
    names = (record.container_title, record.container_title_short, record.event_title)
    if style == "short":
        names = (record.container_title_short, record.container_title, record.event_title)
    for name in names:  # (a loop, not a generator: this runs twice per entry)
        if name := clean_text(name):
            return name
    return ""


def arxiv_base(arxiv_id: str) -> str:
    """'1608.08710v2' -> '1608.08710' (the version suffix dropped)."""
    return re.sub(r"v\d+$", "", arxiv_id.strip())

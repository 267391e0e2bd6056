"""Writers: records (already filtered and keyed) -> BibTeX, CSL-JSON or RIS text.

Stage: the last one. `render` gives one file's text; `render_split` one text per group for
`--split DIR`. Grouping and order come from `writers.grouping`; the formats from
`writers.bibtex`, `writers.csljson` and `writers.ris`. Output depends only on the records and
the options, so two runs give the same bytes.
"""

from __future__ import annotations

import importlib
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping

from msgspec import Struct, field

from .. import citekeys, collector
from ..errors import UsageError
from ..record import Record
from ..taxonomy import TYPE_NAMES, TYPE_ORDER
from .grouping import GROUP_BY, Group, group_records

FORMATS = ("bibtex", "csljson", "ris")
EXTENSIONS = {"bibtex": ".bib", "csljson": ".json", "ris": ".ris"}
_SUFFIX_FORMATS = {".bib": "bibtex", ".bibtex": "bibtex", ".json": "csljson", ".ris": "ris"}
# Each format's writer module is loaded when that format is written (a .bib run needs no rispy).
_RENDERERS = {"bibtex": ".bibtex:render_bibtex", "csljson": ".csljson:render_csljson", "ris": ".ris:render_ris"}
VENUE_STYLES = ("long", "short")


class WriteOptions(Struct, frozen=True):
    """How to write. `selected_types`: a record goes under the first of its types listed here."""

    group_by: str = "type"  # type | year | venue | none
    selected_types: tuple[str, ...] = TYPE_ORDER
    ascii: bool = False  # BibTeX: LaTeX accents instead of UTF-8
    jabref_groups: bool = False  # BibTeX: append the legacy JabRef groups tree
    type_names: Mapping[str, str] = field(default_factory=lambda: dict(TYPE_NAMES))
    # --jabref-groups: each collection named as the list's legend names the type (default: type_names)
    group_names: Mapping[str, str] = field(default_factory=dict)
    type_order: tuple[str, ...] = TYPE_ORDER  # the list's taxonomy order (its legend's, then other codes)
    venue_style: str = "long"  # long | short container names


def format_for_path(path: str | Path) -> str | None:
    """The format a file name asks for ('refs.bib' -> 'bibtex'), or None if unknown."""
    return _SUFFIX_FORMATS.get(Path(path).suffix.lower())


def render(records: Iterable[Record], fmt: str, options: WriteOptions | None = None) -> str:
    """Records -> the text of one file in format `fmt` (one of FORMATS)."""
    options = _checked(fmt, options)
    with collector.paused():
        return _renderer(fmt)(_groups(records, options), options)


def render_split(records: Iterable[Record], fmt: str, options: WriteOptions | None = None) -> dict[str, str]:
    """Records -> {file name: text}, one file per group ('F.bib', '2019.json', 'CVPR.ris')."""
    options = _checked(fmt, options)
    files: dict[str, str] = {}
    with collector.paused():
        for group in _groups(records, options):
            name = _free_name(group.name, EXTENSIONS[fmt], files)
            files[name] = _renderer(fmt)([group], options)
    return files


def ascii_warnings(records: Iterable[Record], options: WriteOptions | None = None) -> list[str]:
    """For `--ascii` BibTeX: one line per character LaTeX cannot spell, which the output holds
    as its nearest ASCII instead ('ả' as 'a'), naming the character and the entries holding it."""
    from .bibtex import bibtex_texts
    from .latex import inexact_characters

    options = options or WriteOptions()
    found: dict[str, tuple[str, list[str]]] = {}
    for record in records:
        for ch, written in inexact_characters(" ".join(bibtex_texts(record, options))).items():
            found.setdefault(ch, (written, []))[1].append(record.id or record.title)
    lines = []
    for ch, (written, where) in sorted(found.items()):
        name = unicodedata.name(ch, "unnamed character")
        more = f" and {len(where) - 1} more" if len(where) > 1 else ""
        lines.append(f"--ascii: '{ch}' (U+{ord(ch):04X} {name}) has no LaTeX spelling; written as '{written}' in {where[0]}{more}")
    return lines


def _renderer(fmt: str):
    module, _, name = _RENDERERS[fmt].partition(":")
    return getattr(importlib.import_module(module, __name__), name)


def _checked(fmt: str, options: WriteOptions | None) -> WriteOptions:
    options = options or WriteOptions()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if options.group_by not in GROUP_BY:
        raise UsageError(f"unknown grouping {options.group_by!r}; choose one of {', '.join(GROUP_BY)}")
    if options.venue_style not in VENUE_STYLES:
        raise UsageError(f"unknown venue style {options.venue_style!r}; choose long or short")
    return options


def _groups(records: Iterable[Record], options: WriteOptions) -> list[Group]:
    records = _keyed(list(records))
    return group_records(records, options.group_by, options.selected_types, options.type_names, options.type_order)


def _keyed(records: list[Record]) -> list[Record]:
    """Records as given when all have distinct keys; keys assigned when none has one."""
    keys = [r.id for r in records]
    if all(keys) and len(set(keys)) == len(keys):
        return records
    if not any(keys):
        return citekeys.assign_keys(records, None)
    missing = sum(1 for k in keys if not k)
    duplicates = sorted({k for k in keys if k and keys.count(k) > 1})
    raise UsageError(
        f"citation keys must be set and distinct: {missing} missing, duplicates: {', '.join(duplicates) or 'none'}"
    )


def _free_name(stem: str, ext: str, taken: Mapping[str, str]) -> str:
    name, n = stem + ext, 2
    while name.casefold() in {t.casefold() for t in taken}:
        name, n = f"{stem}-{n}{ext}", n + 1
    return name

"""A table's header -> which column holds which field. The synonyms are data (data/columns.json).

A table is a paper table when one of its columns is title-like ('Title', 'Paper', 'Name',
'Title & Authors', …). Columns are matched by name in any order; a header that names no known
field is an unknown column, kept as (header, text) on each row. `--columns title=Paper,venue=Conf`
maps headers by the user's say-so first.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from msgspec import Struct

from prune2bib import datafiles
from prune2bib.errors import UsageError

FIELDS = ("title", "venue", "year", "type", "code", "authors", "link", "index")
_NOT_WORD = re.compile(r"[^\w&#]+")


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    data = json.loads(datafiles.read_text("columns.json"))
    return {name: tuple(normalise(s) for s in data[name]) for name in FIELDS}


def normalise(header: str) -> str:
    """'Title & Authors' -> 'title & authors'; 'Pub.' -> 'pub'; '<div>Title</div>' must be
    flattened by the caller first."""
    return " ".join(_NOT_WORD.sub(" ", header.casefold()).split())


class ColumnMap(Struct, frozen=True):
    """Column index per field (title, venue, …); `links` are further link columns; `unknown`
    are (index, header) of columns that name no field."""

    fields: dict[str, int]
    links: tuple[int, ...]
    unknown: tuple[tuple[int, str], ...]

    @property
    def is_paper_table(self) -> bool:
        return "title" in self.fields


def parse_overrides(spec: str | None) -> dict[str, str]:
    """'title=Paper,venue=Conf' -> {'title': 'paper', 'venue': 'conf'} (normalised headers)."""
    overrides: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, sep, header = part.partition("=")
        name = name.strip().lower()
        if not sep or name not in FIELDS or not header.strip():
            raise UsageError(
                f"--columns takes FIELD=HEADER pairs with FIELD one of {', '.join(FIELDS)}, not {part.strip()!r}"
            )
        overrides[name] = normalise(header)
    return overrides


def map_columns(headers: list[str], overrides: dict[str, str] | None = None) -> ColumnMap:
    """Headers (plain text) -> ColumnMap. The user's overrides win, then the synonyms."""
    names = [normalise(h) for h in headers]
    fields: dict[str, int] = {}
    taken: set[int] = set()
    links: list[int] = []
    for name, wanted in (overrides or {}).items():
        if wanted in names:
            if name == "link":
                links.append(names.index(wanted))
            else:
                fields[name] = names.index(wanted)
            taken.add(names.index(wanted))
    title_like = []
    for index, header in enumerate(names):
        if index in taken:
            continue
        field = _field_of(header)
        if field == "title" and "title" not in fields:
            title_like.append(index)
        elif field in ("link", "title"):
            links.append(index)
        elif field and field not in fields:
            fields[field] = index
    if title_like:
        # Two title-like columns ('Title' and 'Paper'): the better name is the title, the other
        # holds links (a 'Paper' column of '[Link](…)' beside a plain 'Title'), or the venue when
        # its name is also a venue's ('Publication' beside 'Title') and no column names one.
        ranked = sorted(title_like, key=lambda i: synonyms()["title"].index(names[i]))
        fields["title"] = ranked[0]
        for index in ranked[1:]:
            if "venue" not in fields and names[index] in synonyms()["venue"]:
                fields["venue"] = index
            else:
                links.append(index)
    taken.update(fields.values())
    taken.update(links)
    unknown = tuple((i, headers[i].strip()) for i in range(len(headers)) if i not in taken)
    return ColumnMap(fields, tuple(sorted(links)), unknown)


def _field_of(header: str) -> str | None:
    for name, names in synonyms().items():
        if header in names:
            return name
    return None


def is_journal_header(header: str) -> bool:
    """'Journal', 'Journals': the venue column of a table of journal papers."""
    return normalise(header) in ("journal", "journals", "journal name")

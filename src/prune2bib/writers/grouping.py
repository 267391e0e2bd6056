"""Grouping and ordering of records for output.

Stage: first step of every writer. Groups come by taxonomy type (in the list's own order:
F, W, S, Other for Awesome-Pruning), by year
(newest first), by venue (alphabetical) or as one group; inside a group records are ordered by
year (newest first), venue, title and key, so the output is the same on every run.

A record with several types is placed once, under the first of its types that the user
selected (a `WF` row sits under F, or under W when only W was asked for).
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from msgspec import Struct

from ..record import Record
from ..taxonomy import TYPE_ORDER
from .common import venue_name

GROUP_BY = ("type", "year", "venue", "none")
UNTYPED = "Untyped"  # records without any taxonomy type: never dropped, listed last
UNDATED = "undated"
NO_VENUE = "unknown venue"


class Group(Struct, frozen=True):
    """One output section: `name` is the file stem for --split, `title` the heading text."""

    name: str
    title: str
    records: tuple[Record, ...]


def record_order(record: Record) -> tuple:
    """Sort key inside a group: year newest first (undated last), venue, title, key."""
    year = record.year
    return (
        year is None,
        -(year or 0),
        venue_name(record, "short").casefold(),
        record.title.casefold(),
        record.id,
    )


def group_records(
    records: Iterable[Record],
    group_by: str,
    selected_types: Sequence[str],
    type_names: Mapping[str, str],
    type_order: Sequence[str] = TYPE_ORDER,
) -> list[Group]:
    """Records -> ordered, non-empty groups. `group_by` is one of GROUP_BY; type groups come in
    the order of `selected_types`, then of the list's `type_order`."""
    records = list(records)
    if group_by == "none":
        return [Group("all", "all papers", tuple(sorted(records, key=record_order)))] if records else []
    keyer = {
        "type": lambda r: _type_of(r, selected_types),
        "year": lambda r: str(r.year) if r.year is not None else UNDATED,
        "venue": lambda r: venue_name(r, "short") or NO_VENUE,
    }[group_by]
    buckets: dict[str, list[Record]] = {}
    for record in records:
        buckets.setdefault(keyer(record), []).append(record)
    names = sorted(buckets, key=_group_order(group_by, selected_types, type_order))
    return [
        Group(_file_stem(name), _title(name, group_by, type_names), tuple(sorted(buckets[name], key=record_order)))
        for name in names
    ]


def _type_of(record: Record, selected_types: Sequence[str]) -> str:
    for code in record.types:
        if code in selected_types:
            return code
    # Not filtered by type upstream: keep the record under its own first type.
    return record.types[0] if record.types else UNTYPED


def _group_order(group_by: str, selected_types: Sequence[str], type_order: Sequence[str]):
    if group_by == "type":
        order = list(selected_types) + [t for t in type_order if t not in selected_types]
        return lambda name: (name == UNTYPED, order.index(name) if name in order else len(order), name)
    if group_by == "year":
        return lambda name: (name == UNDATED, -int(name) if name != UNDATED else 0)
    return lambda name: (name == NO_VENUE, name.casefold(), name)


def _title(name: str, group_by: str, type_names: Mapping[str, str]) -> str:
    if group_by == "type" and name in type_names:
        return f"{name}: {type_names[name]}"
    return name


def _file_stem(name: str) -> str:
    """A group name -> a portable file name stem ('CVPR', '2019', 'F', 'unknown-venue')."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return stem or "group"

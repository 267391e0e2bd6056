"""What an export or update changed in the bibliography, for people: one line per change.

Stage: project. Kinds, in the order they are printed:

    added      a new row (with its key)
    removed    a row that left the list (its key is retired, never reused for another paper)
    retitled   the row's title changed (same link)
    relinked   the row's link changed (same title and year)
    moved      the row's types changed (W -> F): it moves between the bibliography's groups
    venue      the row's venue or year changed
    upgraded   the record went from preprint (or unresolved) to the published version
    changed    the record's fields changed (which ones)
    key        a key changed: provisional -> author key, once the paper has authors
"""

from __future__ import annotations

from msgspec import Struct

from prune2bib.record import Record

from . import csl
from .lockfile import PUBLISHED_SOURCES, Paper

KINDS = ("added", "removed", "retitled", "relinked", "moved", "venue", "upgraded", "changed", "key")
# The list's own fields of a record: their changes show as the row's (moved, venue), not the record's.
_LIST_FIELDS = ("id", "url", "types", "code", "venue_note")


class Change(Struct, frozen=True):
    kind: str  # one of KINDS
    key: str  # the paper's key now (its old key for `removed`)
    text: str  # what changed, for people

    def line(self) -> str:
        return f"  {self.kind:<9} {self.key:<24} {self.text}"


def compare(old: Paper | None, new: Paper, replaced_key: str = "") -> list[Change]:
    """The changes from a row's old lock entry (None: a new row) to its new one."""
    key = new.key
    if old is not None and (old is new or (old.record is new.record and old.row == new.row)) and not replaced_key:
        return []  # taken from the lock as it was: the warm path's usual case, without comparing fields
    if old is None:
        return [Change("added", key, f"{_quoted(new.row.title)} ({_place(new)}){_state(new)}")]
    changes = []
    if old.row.title != new.row.title:
        changes.append(Change("retitled", key, f"{_quoted(old.row.title)} -> {_quoted(new.row.title)}"))
    if old.row.link != new.row.link:
        changes.append(Change("relinked", key, f"{old.row.link or '(no link)'} -> {new.row.link or '(no link)'}"))
    if old.row.types != new.row.types:
        changes.append(Change("moved", key, f"types {_types(old)} -> {_types(new)}"))
    if (old.row.venue, old.row.year) != (new.row.venue, new.row.year):
        changes.append(Change("venue", key, f"{_place(old)} -> {_place(new)}"))
    if new.published and not old.published:
        was = "preprint" if old.status in ("resolved", "partial") else f"{old.status}"
        changes.append(Change("upgraded", key, f"{was} -> published: {_venue_of(new.record)} ({_published_by(new)})"))
    else:
        changed = record_changes(old.record, new.record)
        if old.row.title != new.row.title:
            changed = [name for name in changed if name != "title"]  # said by the `retitled` line
        if changed:
            changes.append(Change("changed", key, "record: " + ", ".join(changed)))
    if replaced_key:
        changes.append(Change("key", key, f"{replaced_key} -> {key} (the paper has authors now)"))
    return changes


def removed(paper: Paper) -> Change:
    return Change("removed", paper.key, f"{_quoted(paper.row.title)} ({_place(paper)}); the key stays retired")


def record_changes(old: Record, new: Record) -> list[str]:
    """The lock names of the record fields that differ, the list's own fields aside."""
    return [csl.lock_name(name) for name in Record.__struct_fields__ if name not in _LIST_FIELDS and getattr(old, name) != getattr(new, name)]


def ordered(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (KINDS.index(c.kind), c.key.casefold(), c.key))


_LABELS = {"venue": ("venue changed", "venues changed"), "key": ("key changed", "keys changed")}


def counts(changes: list[Change]) -> str:
    """'2 added, 1 removed, 1 key changed' (in KINDS order), or 'no changes'."""
    parts = []
    for kind in KINDS:
        n = sum(1 for c in changes if c.kind == kind)
        if n:
            one, many = _LABELS.get(kind, (kind, kind))
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) or "no changes"


def _quoted(title: str) -> str:
    return f'"{title}"'


def _place(paper: Paper) -> str:
    return " ".join(str(x) for x in (paper.row.venue, paper.row.year) if x) or "no venue"


def _types(paper: Paper) -> str:
    return "".join(paper.row.types) if all(len(t) == 1 for t in paper.row.types) else ",".join(paper.row.types) or "none"


def _state(paper: Paper) -> str:
    return ", provisional key: no authors yet" if paper.key_state == "provisional" else ""


def _venue_of(record: Record) -> str:
    name = record.container_title_short or record.container_title or "?"
    return f"{name} {record.year}" if record.year else name


def _published_by(paper: Paper) -> str:
    """The service that gave the published version (its record type first: DBLP, say, rather than
    Crossref that filled the pages)."""
    return next((s.name for _, s in paper.sources if s.name in PUBLISHED_SOURCES), "?")

"""Citation keys of a project: kept in the lock, provisional until the paper has authors.

Stage: project, between merge and the writers. Rules (README "Keys"):

- A row the lock holds keeps its key — through retitles, new links, rows inserted around it.
- A key given while the paper had no authors (`filterpruning2019`) is *provisional*: once a run
  gives the paper authors, it is replaced by the author key (`he2019filter`) and the change is
  announced, old -> new. The old key is retired, never given to another paper.
- An author key never changes afterwards; a *pinned* key (`prune2bib keys pin`) never changes.
- A new row first gets back a retired key of the same paper (it left the list and came back, or
  moved to another year's table), then a key of the old per-machine key file (migration), matched
  by DOI, arXiv ID, OpenReview forum, or normalised title *and* year; else a fresh key from the
  scheme (`citekeys`), never one the lock holds or retired.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from msgspec import Struct

from prune2bib import citekeys
from prune2bib.record import Record

from .lockfile import AUTHOR, PINNED, PROVISIONAL, Retired


class Slot(Struct, frozen=True):
    """A row to key: its record now, and the key the lock gave it ('' for a new row)."""

    record: Record
    key: str = ""
    state: str = ""


class Given(Struct, frozen=True):
    key: str
    state: str
    replaced: str = ""  # the provisional key this one replaces ('' when none)


class Keying(Struct, frozen=True):
    given: tuple[Given, ...]  # one per slot, in order
    retired: tuple[Retired, ...]  # the lock's retired keys after this run
    migrated: int = 0  # keys taken from the old key file


def assign(
    slots: Sequence[Slot],
    reserved: Sequence[str] = (),
    retired: Sequence[Retired] = (),
    legacy: Mapping[str, Sequence[str]] | None = None,
) -> Keying:
    """Keys for `slots`. `reserved`: keys of lock entries not being keyed now (other rows)."""
    pool = {r.key: r for r in retired}
    taken = {k.casefold() for k in reserved} | {r.key.casefold() for r in retired}
    taken |= {s.key.casefold() for s in slots if s.key}
    keys = [s.key for s in slots]
    states = [s.state for s in slots]
    migrated = 0
    # New rows: a retired key of the same paper first, then one of the old key file.
    new = [i for i, s in enumerate(slots) if not s.key]
    back = citekeys.match_known([slots[i].record for i in new], {k: r.identities for k, r in pool.items()})
    for i, key in zip(new, back):
        if key:
            keys[i], states[i] = key, pool.pop(key).key_state
    if legacy:
        still = [i for i in new if not keys[i]]
        old = citekeys.match_known([slots[i].record for i in still], legacy, claimed=taken)
        for i, key in zip(still, old):
            if key:
                keys[i], states[i] = key, PROVISIONAL  # judged below like any provisional key
                taken.add(key.casefold())
                migrated += 1
    # Provisional keys of papers that now have authors: the author key, announced.
    replaced = [""] * len(slots)
    fresh = [i for i in range(len(slots)) if not keys[i]]
    for i in range(len(slots)):
        if keys[i] and states[i] == PROVISIONAL and slots[i].record.authors:
            if citekeys.is_author_key(keys[i], slots[i].record):
                states[i] = AUTHOR  # the key it has is already its author key
            else:
                replaced[i] = keys[i]
                fresh.append(i)
    retiring = [Retired(replaced[i], PROVISIONAL, _identities(slots[i].record)) for i in range(len(slots)) if replaced[i]]
    for i in sorted(fresh, key=lambda i: citekeys.fresh_order(slots[i].record)):
        keys[i] = citekeys.next_free(citekeys.base_key(slots[i].record), taken)
        taken.add(keys[i].casefold())
        states[i] = AUTHOR if slots[i].record.authors else PROVISIONAL
    given = tuple(Given(k, s, r) for k, s, r in zip(keys, states, replaced))
    return Keying(given, tuple(pool.values()) + tuple(retiring), migrated)


def retire(key: str, state: str, record: Record) -> Retired:
    """The retired form of a lock entry whose row left the list."""
    return Retired(key, state, _identities(record))


def _identities(record: Record) -> tuple[str, ...]:
    return tuple(citekeys.identities(record))


__all__ = ["AUTHOR", "PINNED", "PROVISIONAL", "Given", "Keying", "Slot", "assign", "retire"]


def pin(lock, wanted: Sequence[str], pinned: bool = True):
    """The lock with `wanted` keys pinned (or unpinned: back to author or provisional, by whether
    the record has authors). UsageError names a key no paper has."""
    from msgspec.structs import replace

    from prune2bib.errors import UsageError

    by_key = {p.key.casefold(): p for p in lock.papers}
    unknown = [k for k in wanted if k.casefold() not in by_key]
    if unknown:
        raise UsageError(f"no paper in the lock has the key {unknown[0]!r}" + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""))
    chosen = {k.casefold() for k in wanted}

    def state(paper) -> str:
        if pinned:
            return PINNED
        if paper.key_state != PINNED:
            return paper.key_state
        return AUTHOR if citekeys.is_author_key(paper.key, paper.record) else PROVISIONAL

    papers = tuple(replace(p, key_state=state(p)) if p.key.casefold() in chosen else p for p in lock.papers)
    return replace(lock, papers=papers)

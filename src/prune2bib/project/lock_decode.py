"""The lock read in one typed pass (msgspec): the fast path for a lock as prune2bib writes it.

Stage: project (the lock's reader, `lockfile.parse`). msgspec decodes the JSON straight into
the structs below, checking every type as it goes; what is left in Python is a few constructors
per paper. Anything this path does not take — a type or a name out of place, a bad or repeated
key, bytes that are not UTF-8 JSON — makes it return None, and `lockfile` reads the lock again
with its checked reader, which names the first problem in one line. So the two readers must
accept the same locks and give the same `Lock`: tests/test_lock_decode.py holds them equal on
hand-broken and fuzzed locks. (The checked reader alone took ~3/4 of a warm ×10 export's lock read:
a `json.loads`, then a dict walk and a type test per field for ~30,000 fields.)
"""

from __future__ import annotations

from typing import Literal

import msgspec
import msgspec.structs
from msgspec import UNSET, Struct, UnsetType

from prune2bib.record import CodeLink, Person, Record
from prune2bib.taxonomy import Taxonomy

from . import csl
from .lockfile import AUTHOR, BAD_KEY, KEY_STATES, PREFER, STATUSES, VERSION, Lock, Paper, Retired, Row, Source

_KeyState = Literal[KEY_STATES]  # type: ignore[valid-type]
_Status = Literal[STATUSES]  # type: ignore[valid-type]
_Prefer = Literal[PREFER]  # type: ignore[valid-type]
_Version = Literal[VERSION]  # type: ignore[valid-type]


class _Code(Struct, forbid_unknown_fields=True):  # (not CodeLink: the lock may leave out its label or URL)
    label: str = ""
    url: str = ""
    status: str = ""


class _Issued(Struct, rename={"date_parts": "date-parts"}):
    date_parts: tuple[tuple[int, ...]]  # one date: exactly one list of parts


# The record as `csl.from_record` writes it: Record's fields but `id` (the last), in Record's order,
# under their lock names; the four that are not plain strings typed as the lock spells them.
# Authors are decoded as the record's own Person (most of a lock's structs).
_TYPED = {"authors": (tuple[Person, ...], ()), "issued": (_Issued | UnsetType, UNSET),
          "types": (tuple[str, ...], ()), "code": (tuple[_Code, ...], ())}  # fmt: skip
_LockRecord = msgspec.defstruct(
    "_LockRecord",
    [(name, *_TYPED.get(name, (str, getattr(Record(), name)))) for name in csl.FIELDS],
    rename=csl.LOCK_NAMES,
    forbid_unknown_fields=True,
)
_ISSUED, _CODE = (csl.FIELDS.index(name) for name in ("issued", "code"))


# The sources of a record, by field: a struct of its own, so that a name no Record field has is
# refused in the decoding, and the sources come out in Record order (as the checked reader sorts them).
_LockSources = msgspec.defstruct(
    "_LockSources", [(name, Source | UnsetType, UNSET) for name in csl.FIELDS], rename=csl.LOCK_NAMES, forbid_unknown_fields=True
)


class _Paper(Struct, rename={"key_state": "key-state"}):
    key: str
    key_state: _KeyState
    row: Row
    status: _Status
    record: _LockRecord  # type: ignore[valid-type]
    reason: str = ""
    checked: str = ""
    sources: _LockSources = msgspec.field(default_factory=_LockSources)  # type: ignore[valid-type]


class _Retired(Struct, rename={"key_state": "key-state"}):
    key: str
    key_state: _KeyState = AUTHOR
    identities: tuple[str, ...] = ()


class _Taxonomy(Struct):
    codes: tuple[str, ...] = ()
    names: dict[str, str] = {}
    defined: tuple[str, ...] = ()


class _Lock(Struct, rename={"version": "prune2bib-lock", "retired": "retired-keys"}):
    version: _Version
    prefer: _Prefer = "published"
    taxonomy: _Taxonomy | UnsetType = UNSET
    papers: tuple[_Paper, ...] = ()
    retired: tuple[_Retired, ...] = ()


_DECODER = msgspec.json.Decoder(_Lock)


class _NotTaken(Exception):
    """What the checked reader must look at (and will name)."""


def decoded(data: bytes) -> Lock | None:
    """The lock in `data`, or None when the checked reader must read it (see the docstring)."""
    try:
        top = _DECODER.decode(data)
        papers = tuple([_paper(p) for p in top.papers])
        retired = tuple([Retired(_key(r.key), r.key_state, r.identities) for r in top.retired])
    except (msgspec.DecodeError, _NotTaken):
        return None
    keys = [p.key.casefold() for p in papers] + [r.key.casefold() for r in retired]
    if len(set(keys)) != len(keys):
        return None
    found = top.taxonomy
    taxonomy = None if found is UNSET else Taxonomy(found.codes, dict(found.names), frozenset(found.defined))
    return Lock(papers, retired, top.prefer, taxonomy)


def _paper(paper: _Paper) -> Paper:
    return Paper(_key(paper.key), paper.key_state, paper.row, paper.status, _record(paper.record, paper.key), paper.reason, paper.checked,
                 _sources(paper.sources))  # fmt: skip


def _record(record, key: str) -> Record:
    values = list(msgspec.structs.astuple(record))
    issued = values[_ISSUED]
    values[_ISSUED] = issued.date_parts[0] if issued is not UNSET else ()
    if values[_CODE]:
        values[_CODE] = tuple([CodeLink(c.label, c.url, c.status) for c in values[_CODE]])
    return Record(*values, key)


def _sources(sources) -> tuple[tuple[str, Source], ...]:
    """(Record field, Source) in Record order, the fields no source gave left out."""
    return tuple([(name, source) for name, source in zip(csl.FIELDS, msgspec.structs.astuple(sources)) if source is not UNSET])


def _key(key: str) -> str:
    if not key or BAD_KEY.search(key):
        raise _NotTaken
    return key

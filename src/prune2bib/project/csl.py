"""`Record` <-> the lock's CSL-shaped record: CSL-JSON variable names where CSL has one
(`author`, `issued`, `container-title`, `DOI`, `URL`, …), prune2bib's own names, hyphenated, for
what CSL lacks (`arxiv-id`, `openreview-id`, `venue-note`, `types`, `code`).

Stage: project (the lock). The conversion is lossless — `to_record(from_record(r)) == r` for every
record (tests/test_lock_format.py checks it for arbitrary records) — since `--frozen` must give
the same bytes as the run that wrote the lock. Empty fields are left out. The citation key is not
part of the record here: it is the lock entry's own `key`.
"""

from __future__ import annotations

from typing import Any

from prune2bib.record import CodeLink, Person, Record

# Record field -> lock name, where the name is not the field's own with '-' for '_'.
_NAMES = {"authors": "author", "doi": "DOI", "url": "URL"}
_SKIPPED = ("id",)
FIELDS = tuple(name for name in Record.__struct_fields__ if name not in _SKIPPED)
LOCK_NAMES = {name: _NAMES.get(name, name.replace("_", "-")) for name in FIELDS}
FIELD_OF = {lock: name for name, lock in LOCK_NAMES.items()}  # 'container-title' -> 'container_title'


class RecordFormatError(ValueError):
    """A lock record that does not have the shape written by `from_record`."""


def lock_name(field_name: str) -> str:
    return LOCK_NAMES.get(field_name, field_name.replace("_", "-"))


def from_record(record: Record) -> dict[str, Any]:
    """The record as a CSL-shaped dict, fields in `Record` order, empty ones left out."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(record, name)
        if value in ("", (), None):
            continue
        out[LOCK_NAMES[name]] = _dump(name, value)
    return out


def to_record(data: Any, key: str = "") -> Record:
    """A CSL-shaped dict -> Record with `id=key`; RecordFormatError names the first bad field."""
    if not isinstance(data, dict):
        raise RecordFormatError("the record is not an object")
    values: dict[str, Any] = {}
    for lock, value in data.items():
        name = FIELD_OF.get(lock)
        if name is None:
            raise RecordFormatError(f"unknown record field {lock!r}")
        try:
            values[name] = _load(name, value)
        except (TypeError, ValueError, KeyError) as err:
            raise RecordFormatError(f"record field {lock!r}: {err}") from None
    return Record(**values, id=key)


def _dump(name: str, value: Any) -> Any:
    if name == "authors":
        return [_person(p) for p in value]
    if name == "code":
        return [{k: v for k, v in (("label", c.label), ("url", c.url), ("status", c.status)) if v} for c in value]
    if name == "issued":
        return {"date-parts": [list(value)]}
    if isinstance(value, tuple):
        return list(value)
    return value


def _load(name: str, value: Any) -> Any:
    if type(value) is str and name in _STRING_FIELDS:  # most fields: one test, first
        return value
    if name == "authors":
        return tuple(Person(**_strings(p, _PERSON_FIELDS)) for p in _list(value))
    if name == "code":
        return tuple(CodeLink(**{"label": "", "url": "", **_strings(c, _CODE_FIELDS)}) for c in _list(value))
    if name == "issued":
        parts = value["date-parts"] if isinstance(value, dict) else None
        if not (isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], list)):
            raise ValueError('expected {"date-parts": [[year, month, day]]}')
        if not all(isinstance(p, int) and not isinstance(p, bool) for p in parts[0]):
            raise ValueError("date parts must be integers")
        return tuple(parts[0])
    if name == "types":
        if not all(isinstance(t, str) for t in _list(value)):
            raise ValueError("expected a list of strings")
        return tuple(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a string, not {type(value).__name__}")
    return value


def _person(person: Person) -> dict[str, str]:
    return {k: v for k, v in (("family", person.family), ("given", person.given), ("literal", person.literal)) if v}


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


_PERSON_FIELDS = frozenset(("family", "given", "literal"))
_CODE_FIELDS = frozenset(("label", "url", "status"))
_NAMED = {_PERSON_FIELDS: "family, given, literal", _CODE_FIELDS: "label, url, status"}
_STRING_FIELDS = frozenset(FIELDS) - {"authors", "code", "issued", "types"}


def _strings(item: Any, allowed: frozenset[str]) -> dict[str, str]:
    # `str.join` raises TypeError for a value that is not a string: one C call per object, where a
    # generator of isinstance checks was most of the time of reading a 2,780-paper lock.
    try:
        if type(item) is dict and item.keys() <= allowed:
            "".join(item.values())
            return item
    except TypeError:
        pass
    raise ValueError(f"expected objects with string fields {_NAMED[allowed]}")

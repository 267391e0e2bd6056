"""The lock's two readers take the same locks and give the same Lock: the typed pass
(project/lock_decode.py), which reads every lock prune2bib writes, and the checked reader
(`lockfile.parse_checked`), which reads what the typed pass leaves and names the problem."""

from __future__ import annotations

import json

import msgspec.structs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_lock_format import BROKEN, HAND_BROKEN, LOCK, hand_broken

from prune2bib.project import lock_decode, lockfile
from prune2bib.project.lockfile import Lock
from prune2bib.taxonomy import AWESOME_PRUNING

WITH_TAXONOMY = msgspec.structs.replace(LOCK, taxonomy=AWESOME_PRUNING)


def checked(data: bytes) -> Lock | None:
    try:
        return lockfile.parse_checked(data)
    except ValueError:  # lockfile._Problem: what the CLI reports as a broken lock
        return None


def same(a: Lock, b: Lock) -> bool:
    return a == b and [p.row.identity for p in a.papers] == [p.row.identity for p in b.papers]


def test_a_written_lock_is_read_by_the_typed_pass():
    data = lockfile.render(LOCK).encode()
    typed = lock_decode.decoded(data)
    assert typed is not None and same(typed, checked(data))
    assert lockfile.render(typed) == data.decode()


def test_the_warm_read_never_runs_the_checked_reader(monkeypatch):
    data = lockfile.render(WITH_TAXONOMY).encode()
    expected = checked(data)

    def refuse(data):
        raise AssertionError("the checked reader ran")

    monkeypatch.setattr(lockfile, "parse_checked", refuse)
    assert same(lockfile.parse(data), expected) and expected.taxonomy.codes == AWESOME_PRUNING.codes


@pytest.mark.parametrize("data", [d for d, _ in BROKEN.values()] + [hand_broken(c) for c, _ in HAND_BROKEN.values()],
                         ids=list(BROKEN) + list(HAND_BROKEN))  # fmt: skip
def test_a_broken_lock_is_left_to_the_checked_reader(data):
    assert lock_decode.decoded(data) is None and checked(data) is None


def test_what_only_the_standard_json_reader_takes_is_read_by_the_checked_reader():
    # Python's json takes NaN and integers of any size; msgspec refuses them. The checked reader
    # reads such a lock as before.
    data = json.loads(lockfile.render(LOCK))
    data["papers"][0]["row"]["year"] = 2**70
    data["about"] = float("nan")
    text = json.dumps(data).encode()
    assert lock_decode.decoded(text) is None
    assert lockfile.parse(text).papers[0].row.year == 2**70


VALUES = st.sampled_from([None, True, False, 0, 7, -1, 1.5, "", "x", "F", "author", "resolved", [], ["x"], [1], [[2019]],
                          {}, {"x": "y"}, {"source": "dblp"}, {"family": "He"}, {"date-parts": [[2019, 1]]}])  # fmt: skip


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


_WRITTEN = json.loads(lockfile.render(WITH_TAXONOMY))
_PATHS = sorted(set(_paths(_WRITTEN)) - {()}, key=repr)


def _mutated(path, how, value):
    data = json.loads(json.dumps(_WRITTEN))
    *head, last = path
    parent = data
    for step in head:
        parent = parent[step]
    if how == "delete":
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent["zz-" + str(last)] = value
    elif how == "rename" and isinstance(parent, dict):
        parent[str(last).upper()] = parent.pop(last)
    else:
        parent[last] = value
    return json.dumps(data).encode()


@given(st.sampled_from(_PATHS), st.sampled_from(["set", "delete", "add", "rename"]), VALUES)
@example(("papers", 0, "record", "issued", "date-parts"), "set", [[2019], [2020]])
@example(("papers", 0, "record", "issued", "date-parts"), "set", [[True]])
@example(("papers", 0, "record", "author", 0, "family"), "set", 7)
@example(("papers", 0, "sources", "title"), "rename", None)
@example(("papers", 0, "key"), "set", "")
@example(("retired-keys", 0, "key"), "set", "k0")
@example(("taxonomy", "names", "F"), "set", 1)
@example(("papers", 0, "record", "issued"), "delete", None)
@example(("retired-keys", 0, "key"), "set", "a,b")
@example(("retired-keys", 0, "key-state"), "delete", None)
@example(("prefer",), "set", "x")
@example(("papers", 0, "record", "code"), "set", [{"label": "PyTorch", "url": "https://github.com/x/y", "status": "(Releasing)"}])
@example(("prefer",), "set", "preprint")
def test_both_readers_take_the_same_locks_and_read_them_the_same(path, how, value):
    data = _mutated(path, how, value)
    typed, reference = lock_decode.decoded(data), checked(data)
    if reference is None:
        assert typed is None  # the checked reader names the problem
    else:
        assert typed is not None and same(typed, reference)

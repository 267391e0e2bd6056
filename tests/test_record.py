"""Record.with_: the same copy as dataclasses.replace, made without calling __init__ again."""

from __future__ import annotations

import dataclasses
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from writer_records import ALL

from prune2bib.record import CodeLink, Person, Record

TEXT_FIELDS = [f.name for f in dataclasses.fields(Record) if f.type == "str"]
changes = st.dictionaries(st.sampled_from(TEXT_FIELDS), st.text(max_size=20), max_size=4) | st.fixed_dictionaries(
    {"authors": st.lists(st.builds(Person, st.text(max_size=8), st.text(max_size=8)), max_size=3).map(tuple),
     "issued": st.lists(st.integers(1, 2100), min_size=1, max_size=3).map(tuple),
     "code": st.lists(st.builds(CodeLink, st.text(max_size=8), st.text(max_size=8)), max_size=2).map(tuple)})  # fmt: skip


@given(st.sampled_from(ALL), changes)
def test_with_gives_what_dataclasses_replace_gives(record, change):
    copy = record.with_(**change)
    assert copy == dataclasses.replace(record, **change) and type(copy) is Record
    assert hash(copy) == hash(dataclasses.replace(record, **change))
    assert record == ALL[ALL.index(record)]  # the original is untouched
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.title = "changed"


def test_with_an_unknown_field_is_refused_as_replace_refuses_it():
    with pytest.raises(TypeError, match="journal"):
        ALL[0].with_(journal="x")


def test_record_has_nothing_a_copy_of_its_dict_would_get_wrong():
    # with_ copies __dict__: a __post_init__ would not run, a cached value would go stale.
    assert not hasattr(Record, "__post_init__")
    assert not any(isinstance(v, functools.cached_property) for v in vars(Record).values())

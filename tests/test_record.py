"""Record and the other record types: msgspec Structs, frozen, copied with `with_`; and no
dataclass is made while the CLI starts (each cost ~1.5 ms of `exec` on Python 3.11)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st
from writer_records import ALL

from prune2bib.record import CodeLink, Person, Record

TEXT_FIELDS = [name for name in Record.__struct_fields__ if isinstance(getattr(Record(), name), str)]
changes = st.dictionaries(st.sampled_from(TEXT_FIELDS), st.text(max_size=20), max_size=4) | st.fixed_dictionaries(
    {"authors": st.lists(st.builds(Person, st.text(max_size=8), st.text(max_size=8)), max_size=3).map(tuple),
     "issued": st.lists(st.integers(1, 2100), min_size=1, max_size=3).map(tuple),
     "code": st.lists(st.builds(CodeLink, st.text(max_size=8), st.text(max_size=8)), max_size=2).map(tuple)})  # fmt: skip


@given(st.sampled_from(ALL), changes)
def test_with_changes_the_fields_named_and_keeps_the_others(record, change):
    copy = record.with_(**change)
    assert type(copy) is Record
    for name in Record.__struct_fields__:
        assert getattr(copy, name) == change.get(name, getattr(record, name))
    assert hash(copy) == hash(Record(**{n: getattr(copy, n) for n in Record.__struct_fields__}))
    assert record == ALL[ALL.index(record)]  # the original is untouched
    with pytest.raises(AttributeError):
        copy.title = "changed"


def test_with_an_unknown_field_is_refused():
    with pytest.raises(TypeError, match="journal"):
        ALL[0].with_(journal="x")


_COUNT_DATACLASSES = textwrap.dedent("""
    import dataclasses, importlib, sys
    made = []
    process = dataclasses._process_class
    dataclasses._process_class = lambda cls, *a, **k: (made.append(cls.__qualname__), process(cls, *a, **k))[1]
    for module in sys.argv[1:]:
        importlib.import_module(module)
    print(" ".join(made))
""")


@pytest.mark.parametrize(("modules", "allowed"), [
    (["prune2bib.__main__", "prune2bib.cli"], set()),  # what every command loads
    (["prune2bib.resolve"], {"Http"}),  # the resolve stack: its HTTP client, a service object tests subclass
])  # fmt: skip
def test_no_dataclass_is_made_while_the_cli_starts(modules, allowed):
    made = subprocess.run([sys.executable, "-c", _COUNT_DATACLASSES, *modules], capture_output=True, text=True, check=True)
    assert set(made.stdout.split()) <= allowed, "prune2bib's own types are msgspec Structs (record.py)"

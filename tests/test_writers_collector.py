"""Rendering runs without the cyclic garbage collector (collector.paused, in writers.render).

A 2,780-entry .bib allocates ~35,000 objects; with the collector on, they triggered a full
collection that rescanned every object of the run during the render. These tests count the
collections (the work done), never the time; they fail on the writers without the pause.
"""

from __future__ import annotations

import gc

import msgspec.structs
import pytest

from prune2bib import writers
from writer_records import ALL


def _many_records(n: int):
    return [msgspec.structs.replace(ALL[i % len(ALL)], id=f"key{i}", title=f"{ALL[i % len(ALL)].title} {i}") for i in range(n)]


def _collections_during(call) -> list[int]:
    """The generations collected while `call` runs."""
    seen: list[int] = []

    def count(phase, info):
        if phase == "start":
            seen.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        call()
    finally:
        gc.callbacks.remove(count)
    return seen


@pytest.mark.parametrize("fmt", writers.FORMATS)
def test_rendering_runs_no_collection(fmt):
    records = _many_records(1500)  # ~18,000 objects: many collections with the collector on
    options = writers.WriteOptions(jabref_groups=fmt == "bibtex")
    # At most one collection of the youngest generation, when the collector comes back on (it
    # scans only what the render allocated and kept); never one of the older objects.
    assert _collections_during(lambda: writers.render(records, fmt, options)) in ([], [0])
    assert _collections_during(lambda: writers.render_split(records, fmt)) in ([], [0])
    assert gc.isenabled()


def test_a_paused_collector_stays_paused():
    gc.disable()
    try:
        writers.render(_many_records(3), "bibtex")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_comes_back_after_an_error():
    with pytest.raises(Exception):
        writers.render([msgspec.structs.replace(r, id="same") for r in ALL], "bibtex")
    assert gc.isenabled()

"""Python's cyclic garbage collector, kept out of the way.

prune2bib makes many objects and no reference cycles (rows, records, lock entries, rendered
fields: all freed by reference counting), and keeps most of them to the end of a run. At the
default thresholds the collector rescans all of them again and again for nothing (0.15 s of a
2,780-row warm export, 0.13 s of a 0.33 s BibTeX render, measured). The stages that allocate the
most pause it (`paused`); a command raises its thresholds for the whole run (`rare`). Both put
things back as they were: the tests run many of them in one process.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    """No collection at all meanwhile (a stage that allocates a lot and keeps no cycle)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def rare():
    """Collections now and then meanwhile, not every 700 allocations (a whole command)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 50)
    try:
        yield
    finally:
        gc.set_threshold(*before)

"""Python's cyclic garbage collector, kept out of the way.

prune2bib makes many objects and no reference cycles (rows, records, lock entries, rendered
fields: all freed by reference counting), and keeps most of them to the end of a run. At the
default thresholds the collector rescans all of them again and again for nothing (0.15 s of a
2,780-row warm export, 0.13 s of a 0.33 s BibTeX render, measured). So:

- a command raises the thresholds for its whole run (`rare`), and first freezes what the imports
  made (modules, classes, functions: they live as long as the process);
- the stages that allocate the most pause it (`paused`); inside a command, what such a stage kept
  is then frozen too, so that no later collection scans it again;
- the process's own entry point (`__main__.run`) imports the CLI with the collector off and
  freezes what the imports made (~40 collections while they load, and one 18 ms scan of all of
  it after); `cli.console` leaves everything frozen at exit (`until_the_process_ends`), so that
  the interpreter's last collection does not scan the whole run a final time (0.03 s of a
  2,780-row export, 0.15 s of its 0.19 s in the collector).

Everything is put back as it was otherwise: the tests run many commands in one process.
`gc.freeze` is the interpreter's own tool for this (https://docs.python.org/3/library/gc.html#gc.freeze);
a frozen object is still freed by reference counting, only never scanned for cycles.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

_state = {"commands": 0, "process_ends_after": False}


@contextmanager
def paused():
    """No collection at all meanwhile (a stage that allocates a lot and keeps no cycle)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _state["commands"]:
            gc.freeze()  # the stage's rows or entries live to the end of the command
        if collecting:
            gc.enable()


@contextmanager
def rare():
    """Collections now and then meanwhile, not every 700 allocations (a whole command)."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    _state["commands"] += 1
    try:
        yield
    finally:
        _state["commands"] -= 1
        if _state["process_ends_after"]:
            gc.freeze()  # before the thresholds come down: nothing left to scan
        elif not _state["commands"]:
            gc.unfreeze()
        gc.set_threshold(*before)


@contextmanager
def until_the_process_ends():
    """For the process's entry point: what a command froze stays frozen (see above)."""
    _state["process_ends_after"] = True
    yield

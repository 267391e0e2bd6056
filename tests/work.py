"""Work done, counted instead of timed: tests assert how much work a call does, never how long it took.

`operations(fn)` counts the function calls (Python and C) made while `fn` runs, through
`sys.setprofile`: the same code on the same input gives the same count on any machine, however
busy. Linearity is asserted as a ratio of two counts (a 4× input must cost about 4× the calls);
a quadratic loop in Python shows up as 16×. Speed itself is measured in `benchmarks/`.
"""

from __future__ import annotations

import sys
from typing import Callable


def operations(fn: Callable[[], object]) -> int:
    """Function calls (Python and built-in) made while `fn()` runs."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(previous)
    return count


def growth(make: Callable[[int], object], run: Callable[[object], object], small: int, factor: int = 4) -> float:
    """operations(run(make(factor * small))) / operations(run(make(small))), after one warm-up."""
    run(make(small))  # lazy set-up (imports, compiled patterns) is not the input's work
    little, big = make(small), make(factor * small)
    return operations(lambda: run(big)) / operations(lambda: run(little))

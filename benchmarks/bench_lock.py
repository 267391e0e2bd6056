"""Warm exports from the lock (issue 9): the whole list, and the list ×10 (2,780 rows).

A first export writes the lock (`--lock FILE`) with a warm cache of real-size listings; then
whole `prune2bib export --lock FILE` processes read it: median wall, CPU and peak RSS. Goals from
issue 9: whole list ≤ 0.3 s and ≤ 64 MiB; ×10 ≤ 1 s. Until `prune2bib export` has `--lock`
(the lock work of issue 9), every measure here is reported as skipped, with the reason.

    python benchmarks/bench_lock.py [--quick]
"""

from __future__ import annotations

import subprocess
import sys

import common

GOAL_WALL_S = 0.3
GOAL_RSS_MIB = 64
GOAL_X10_WALL_S = 1.0


def lock_supported() -> bool:
    done = subprocess.run([sys.executable, "-m", "prune2bib", "export", "--help"], capture_output=True, text=True)
    return "--lock" in done.stdout


def run(quick: bool = False) -> list[dict]:
    measures = [(1, "whole list", GOAL_WALL_S, GOAL_RSS_MIB), (10, "list ×10", GOAL_X10_WALL_S, None)]
    if not lock_supported():
        why = "`prune2bib export` has no --lock option in this build (the lockfile of issue 9 has not landed)"
        return [common.skipped(f"warm export from the lock, {name}: {kind}", unit, goal if kind == "wall" else rss, why)
                for _, name, goal, rss in measures for kind, unit in (("wall", "s"), ("peak RSS", "MiB"))]  # fmt: skip
    results = []
    for times, name, goal, rss_goal in measures:
        try:
            results += measure(times, name, goal, rss_goal, quick)
        except RuntimeError as err:  # e.g. a list the build refuses: a failed row, the other measures still run
            results.append({"measure": f"warm export from the lock, {name}", "value": None, "unit": "s", "goal": goal,
                            "ok": False, "note": " ".join(str(err).split())})  # fmt: skip
    return results


def measure(times: int, name: str, goal: float, rss_goal: float | None, quick: bool) -> list[dict]:
    s = common.scenario(times)
    s.fill_cache()
    lock = s.work / "bench.lock"
    s.export("bibtex", "lock-first", lock=lock)  # writes the lock (from the warm cache; unmeasured)
    s.export("bibtex", "lock", lock=lock)  # unmeasured: the first run from the lock
    runs = [s.export("bibtex", "lock", lock=lock) for _ in range(5 if quick else 15)]
    what = f"warm export from the lock, {name} ({s.rows} rows)"
    shape = "the list's table padding removed (else over the README size limit)" if s.unpadded else ""
    return [
        common.result(f"{what}: wall", [r.wall for r, _ in runs], "s", goal, readme=True, note=shape),
        common.result(f"{what}: CPU", [r.cpu for r, _ in runs], "s", None, readme=True),
        common.result(f"{what}: peak RSS", [r.rss for r, _ in runs], "MiB", rss_goal, readme=rss_goal is not None),
        common.result(f"{what}: requests", [sum(sum(c.values()) for _, c in runs)], "requests", 0),
    ]


if __name__ == "__main__":
    common.show(run(quick="--quick" in sys.argv))

"""Warm export without a lock: every record cached, DBLP listings of real size in the cache.

The cache holds the list's 37 venue-year proceedings (about 39,000 DBLP records, as issue 9
measured them), filled by one cold run against the simulator plus the venue-years the list has a
single row of. Then whole `prune2bib export` processes, one per format, each series after one
unmeasured run: median and spread of wall time, CPU time (user + system: what the machine's load
disturbs least) and peak RSS; and the import time of `prune2bib.cli`.

    python benchmarks/bench_warm.py [--quick]
"""

from __future__ import annotations

import os
import subprocess
import sys

import common

GOAL_WALL_S = 0.6  # issue 9: "a warm export without a lock but with a warm cache ≤ 0.6 s"
GOAL_RSS_MIB = 96  # the goal benchmarks/ held before real-size listings (issue 9 measured 126 MiB)
GOAL_RECORDS = 35_000  # issue 9: "≥ 35,000 DBLP records over ≥ 35 venue-years"
GOAL_VENUE_YEARS = 35


def run(quick: bool = False) -> list[dict]:
    s = common.scenario(1)
    s.fill_cache()
    tables, records = s.cached_listings()
    results = [
        common.result("cache: DBLP venue-year listings", [tables], "listings", GOAL_VENUE_YEARS, more_is_better=True),
        common.result("cache: DBLP records in them", [records], "records", GOAL_RECORDS, more_is_better=True,
                      note=common.data_note(s)),  # fmt: skip
    ]
    repeats = 5 if quick else 15
    for fmt in (("bibtex",) if quick else tuple(common.FORMATS)):
        s.export(fmt, f"warm-{fmt}")  # unmeasured: bytecode and disk caches as every later run finds them
        runs, asked = [], 0
        for _ in range(repeats):
            run_, counts = s.export(fmt, f"warm-{fmt}")
            runs.append(run_)
            asked += sum(counts.values())
        what = f"warm export, {fmt}, whole list ({s.rows} rows), no lock"
        results += [
            common.result(f"{what}: wall", [r.wall for r in runs], "s", GOAL_WALL_S, readme=fmt == "bibtex"),
            common.result(f"{what}: CPU", [r.cpu for r in runs], "s", None, readme=fmt == "bibtex"),
            common.result(f"{what}: peak RSS", [r.rss for r in runs], "MiB", GOAL_RSS_MIB, readme=fmt == "bibtex"),
            common.result(f"{what}: requests", [asked], "requests", 0),
        ]
    results.append(common.result("import of prune2bib.cli (python -X importtime)", import_times(5 if quick else 9), "ms", None))
    return results


def import_times(repeats: int) -> list[float]:
    """Milliseconds to import the CLI, as `-X importtime` reports it, in fresh processes."""
    env = common.bench_env(dict(os.environ))
    times = []
    for _ in range(repeats + 1):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import prune2bib.cli"],
                              capture_output=True, text=True, env=env)  # fmt: skip
        total = [int(line.split("|")[1]) for line in done.stderr.splitlines() if line.rstrip().endswith("| prune2bib.cli")]
        times.append(total[0] / 1000 if total else float("nan"))
    return times[1:]  # the first one writes the bytecode


if __name__ == "__main__":
    common.show(run(quick="--quick" in sys.argv))

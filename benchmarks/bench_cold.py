"""Cold export of the whole list: requests per row, and wall time against the rate-limit floor.

Against the simulator with DBLP listings of real size (a venue-year of 2,700 papers is three
`toc:` pages of 1000) and 150-400 ms of latency per request. The request plan is counted on the
simulator. At the real per-service minimum intervals (DBLP's is the bottleneck) the run takes
minutes; `--quick` reads the plan of the cache-filling run instead (intervals scaled by 1/20:
the same requests) and leaves the wall-time ratio out.

    python benchmarks/bench_cold.py [--quick]
"""

from __future__ import annotations

import sys

import common

GOAL_REQUESTS_PER_ROW = 0.5
GOAL_WALL_OVER_FLOOR = 1.15  # the run adds at most 15 % to what the services' pacing forces


def run(quick: bool = False) -> list[dict]:
    s = common.scenario(1)
    if quick:
        s.fill_cache()
        counts, wall = s.cold_counts, None
    else:
        cold, counts = s.export("bibtex", "cold", home=s.work / "cold")  # an empty cache of its own
        wall = cold.wall
    total = sum(counts.values())
    plan = ", ".join(f"{service} {n}" for service, n in counts.items())
    results = [common.result(f"cold export, whole list ({s.rows} rows): requests per row", [total / s.rows], "requests/row",
                             GOAL_REQUESTS_PER_ROW, note=f"{total} requests: {plan}", readme=True)]  # fmt: skip
    floor, per = common.floor_seconds(counts)
    if wall is None:
        results.append(common.skipped("cold export at real intervals: wall / rate-limit floor", "×", GOAL_WALL_OVER_FLOOR,
                                      "real intervals take minutes; not with --quick"))  # fmt: skip
    else:
        results += [
            common.result("cold export at real intervals: wall", [wall], "s", None,
                          note=f"rate-limit floor {floor:.0f} s (" + ", ".join(f"{k} {v:.0f} s" for k, v in per.items()) + ")"),
            common.result("cold export at real intervals: wall / rate-limit floor", [wall / floor], "×", GOAL_WALL_OVER_FLOOR, readme=True),
        ]  # fmt: skip
    return results


if __name__ == "__main__":
    common.show(run(quick="--quick" in sys.argv))

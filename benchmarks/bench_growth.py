"""How cost grows with the list: ×1, ×4, ×16 rows (distinct synthetic copies of every row).

For each size: a cold export (per-service intervals scaled by 1/20, so ×16 takes minutes, not
hours; the request plan is the same) counts the requests per row, then warm exports (no lock)
measure wall and CPU time. DBLP listings stay at their real size whatever the list's size (the
copies take the place of distractors). Growth is judged on warm CPU time per row against ×1:
linear or better means a ratio ≤ 1 (fixed costs such as imports are shared by more rows).

    python benchmarks/bench_growth.py [--quick]      # --quick: ×1 and ×4 only
"""

from __future__ import annotations

import sys

import common

GOAL_REQUESTS_PER_ROW = 0.5
GOAL_PER_ROW_RATIO = 1.0


def run(quick: bool = False) -> list[dict]:
    results, per_row = [], {}
    for times in (1, 4) if quick else (1, 4, 16):
        try:
            results += measure(times, quick, per_row)
        except RuntimeError as err:  # a failed size is a failed row; the other sizes still count
            results.append({"measure": f"list ×{times}", "value": None, "unit": "", "goal": None, "ok": False,
                            "note": " ".join(str(err).split())})  # fmt: skip
    return results


def measure(times: int, quick: bool, per_row: dict[int, float]) -> list[dict]:
    s = common.scenario(times)
    s.fill_cache()
    total = sum(s.cold_counts.values())
    s.export("bibtex", "growth-warmup")
    warm = [s.export("bibtex", "growth")[0] for _ in range(3 if quick else 5)]
    what = f"list ×{times} ({s.rows} rows)"
    shape = "; the list's table padding removed (else over the README size limit)" if s.unpadded else ""
    results = [
        common.result(f"{what}: cold requests per row", [total / s.rows], "requests/row", GOAL_REQUESTS_PER_ROW,
                      note=f"{total} requests, intervals ×{common.COLD_SCALE:g}{shape}"),  # fmt: skip
        common.result(f"{what}: warm wall, no lock", [r.wall for r in warm], "s", None),
        common.result(f"{what}: warm CPU, no lock", [r.cpu for r in warm], "s", None),
        common.result(f"{what}: warm peak RSS, no lock", [r.rss for r in warm], "MiB", None),
    ]
    per_row[times] = sorted(r.cpu for r in warm)[len(warm) // 2] / s.rows
    if times > 1 and 1 in per_row:
        results.append(common.result(f"{what}: warm CPU per row / at ×1", [per_row[times] / per_row[1]], "×", GOAL_PER_ROW_RATIO))
    return results


if __name__ == "__main__":
    common.show(run(quick="--quick" in sys.argv))

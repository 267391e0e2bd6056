"""Parse speed of the list and of hostile input: the wall-time checks that used to live in tests/.

    python benchmarks/bench_hostile_parse.py           # best of 5 (list) / 3 (the rest)
    python benchmarks/bench_hostile_parse.py --quick   # one run each

Tests assert the work these parses do (tests/work.py: a 4× input costs about 4× the calls);
this file measures how long they take, on this machine, against the goals the tests once had:
the bundled list in ≤ 0.5 s, each hostile row of tests/test_readme.py in ≤ 3 s, each kind of
adversarial input of tests/test_hostile.py at 20 kB in ≤ 3 s. (Hostile documents at the 10 MiB
README limit, ≤ 5 s each, are benchmarks/bench_parse.py's.) Each figure is the best of a few
runs, so a busy machine inflates it less.

`run(quick)` returns one dict per measure (`measure`, `value`, `unit`, `goal`, `ok`), the interface
`benchmarks/run.py` collects.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from prune2bib.readme import load_readme_text, parse_readme, read_list  # noqa: E402

SECOND_ROW = "| [B](https://arxiv.org/abs/2) | CVPR | `W` | - |"  # as tests/test_readme.py: a row of pipes alone is skipped


def best_of(repeats: int, fn) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def measure(name: str, seconds: float, goal: float) -> dict:
    return {"measure": name, "value": round(seconds, 3), "unit": "s", "goal": f"<= {goal:g} s", "ok": seconds <= goal}


def run(quick: bool = False) -> list[dict]:
    import test_hostile
    import test_readme

    text = load_readme_text((ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md").read_bytes())
    parse_readme(text)  # imports and compiled patterns are not the list's cost
    repeats = 1 if quick else 3
    results = [measure(f"parse: the list ({len(text.encode()) // 1000} kB, {len(parse_readme(text))} rows)",
                       best_of(1 if quick else 5, lambda: parse_readme(text)), 0.5)]  # fmt: skip
    for kind, row in test_readme.HOSTILE.items():
        document = test_readme.table(row, SECOND_ROW)
        results.append(measure(f"parse: hostile row '{kind}' ({len(document) // 1000} kB)", best_of(repeats, lambda: read_list(document)), 3.0))
    for kind, document in test_hostile.adversarial(20_000).items():
        data = document.encode("utf-8")
        results.append(measure(f"parse: adversarial '{kind}' ({len(data) // 1000} kB)",
                               best_of(repeats, lambda: test_hostile.parse_bytes(data)), 3.0))  # fmt: skip
    return results


def main() -> int:
    results = run(quick="--quick" in sys.argv[1:])
    width = max(len(r["measure"]) for r in results)
    for r in results:
        print(f"{r['measure']:<{width}}  {r['value']:>8.3f} {r['unit']}  goal {r['goal']:<9} {'ok' if r['ok'] else 'MISSED'}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

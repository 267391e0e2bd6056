"""Run every benchmark and generate benchmarks/RESULTS.md (never edited by hand).

    python benchmarks/run.py                 # everything (the cold run at real intervals takes minutes)
    python benchmarks/run.py --quick         # fewer repeats, no ×16, no cold run at real intervals
    python benchmarks/run.py --only warm     # the modules whose name contains 'warm'
    python benchmarks/run.py --readme        # also copy the README's figures from the results

Each measure lives in `benchmarks/bench_<name>.py`, runnable alone, exposing
`run(quick: bool = False) -> list[dict]`; each dict has `measure`, `value` (the median; None when
skipped), `unit`, `goal` (None: no goal), `ok` (True/False, None without goal or when skipped),
and optionally `n`, `min`, `max` (the spread of the runs), `more_is_better`, `note`, `readme`
(README quotes this figure). The runner imports the modules in name order, in one process (so
they share the simulator scenarios of `common.py`), and writes the date, the machine, the load
average before and after, the command, and one table row per measure, with its verdict.
A module that raises is reported as a failed row; the others still run.
"""

from __future__ import annotations

import argparse
import importlib
import shlex
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import figures  # noqa: E402


def modules(only: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if not only or any(o in n for o in only)]


def run_module(name: str, quick: bool) -> tuple[list[dict], float, str]:
    """(results, seconds, the module's first docstring line)."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(name)
        doc = (module.__doc__ or name).strip().splitlines()[0]
        results = list(module.run(quick=quick))
    except Exception as err:  # a broken benchmark is a failed row, not a lost report
        doc = name
        detail = traceback.format_exception_only(type(err), err)[-1].strip()
        results = [{"measure": f"{name}: the module failed", "value": None, "unit": "", "goal": None, "ok": False, "note": detail}]
    return results, time.perf_counter() - started, doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="modules whose name contains NAME")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--readme", action="store_true", help="copy the quoted figures into README.md")
    opts = parser.parse_args(argv)
    command = "python benchmarks/run.py" + "".join(f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:]))
    started, load_before, speed_before = datetime.now(timezone.utc), common.load(), common.reference_seconds()
    sections = []
    for name in modules(opts.only):
        print(f"== {name}", flush=True)
        results, seconds, doc = run_module(name, opts.quick)
        try:
            common.show(results)
        except Exception as err:  # a result the console cannot show still goes into RESULTS.md
            print(f"({name}: results not shown: {err})")
        sections.append((name, doc, seconds, results))
    text = figures.results_markdown(
        date=f"{started:%Y-%m-%d %H:%M} UTC", machine=common.machine(), commit=common.commit(), command=command,
        load=(load_before, common.load()), speed=(speed_before, common.reference_seconds()),
        simulator=_simulator_line(), sections=sections,
    )  # fmt: skip
    opts.out.write_text(text, encoding="utf-8")
    print(f"wrote {opts.out}")
    if opts.readme:
        readme = HERE.parent / "README.md"
        readme.write_text(figures.with_readme_block(readme.read_text(encoding="utf-8"), text), encoding="utf-8")
        print(f"updated the benchmark figures in {readme}")
    failed = [r for *_, results in sections for r in results if r.get("ok") is False]
    return 1 if failed else 0


def _simulator_line() -> str:
    scenarios = [s for s in common._SCENARIOS.values() if s.proceedings is not None]
    if not scenarios:
        return "no simulator scenario was used"
    latency = f"latency {common.LATENCY[0]:g}-{common.LATENCY[1]:g} s per request on every service"
    return f"tests/simulator (loopback only), {latency}; {common.data_note(scenarios[0])}"


if __name__ == "__main__":
    sys.exit(main())

"""A whole export when no service can be reached: every host refuses the connection.

Issue 10: a host that refused connections cost about 72 s (4 tries with backoff per service, one
service after another) before the README-only bibliography was written. Now a refused
connection, a DNS failure or no route is known at the first attempt. Measured: whole
`python -m prune2bib export` processes of the whole list (278 rows) with every service URL (and
the README's) on a loopback port nobody listens on, a fresh cache each run; wall time (goal
≤ 3 s), exit status (4: no service could be reached) and the entries written (all rows, from
the README's data). `tests/test_unreachable.py` counts the attempts per service (one each).

    python benchmarks/bench_unreachable.py [--quick]
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM = ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md"
GUARD = ROOT / "tests" / "simulator" / "loopback_only"  # a sitecustomize refusing any non-loopback address
GOAL_WALL_S = 3.0
SERVICES = ("ARXIV", "CROSSREF", "OPENREVIEW", "OPENREVIEW2", "DBLP", "WEB", "README")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRUNE2BIB_")}
    url = f"http://127.0.0.1:{closed_port()}"
    env.update({f"PRUNE2BIB_{s}_URL": url for s in SERVICES})
    env.update(
        PRUNE2BIB_CACHE_DIR=str(workdir / "cache"),
        PRUNE2BIB_DATA_DIR=str(workdir / "data"),
        PRUNE2BIB_MAILTO="bench@example.org",
        PYTHONPATH=os.pathsep.join(filter(None, [str(GUARD), str(ROOT / "src"), env.get("PYTHONPATH", "")])),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed copy has its bytecode
    return env


def one_run(workdir: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, exit status, entries written) of one dead-network export."""
    out = workdir / "out.bib"
    args = [sys.executable, "-m", "prune2bib", "export", "--readme", str(UPSTREAM), "-o", str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=dead_env(workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)  # the child's own CPU time: what a loaded machine disturbs least
    wall = time.perf_counter() - started
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    entries = sum(1 for line in text.splitlines() if line.startswith("@") and not line.lower().startswith(("@comment", "@string", "@preamble")))
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), entries


def result(measure: str, values: list[float], unit: str, goal: float | None, *, more_is_better: bool = False) -> dict:
    value = statistics.median(values)
    ok = None if goal is None else (value >= goal if more_is_better else value <= goal)
    return {"measure": measure, "value": value, "unit": unit, "goal": goal, "ok": ok,
            "n": len(values), "min": min(values), "max": max(values)}  # fmt: skip


def run(quick: bool = False) -> list[dict]:
    runs = []
    with tempfile.TemporaryDirectory(prefix="prune2bib-unreachable-") as tmp:
        for n in range((3 if quick else 7) + 1):
            workdir = Path(tmp) / f"run{n}"
            workdir.mkdir()
            runs.append(one_run(workdir))
    runs = runs[1:]  # the first one writes the bytecode
    what = "export of the whole list (278 rows), every service refusing connections"
    return [
        result(f"{what}: wall", [r[0] for r in runs], "s", GOAL_WALL_S),
        result(f"{what}: CPU (user + system)", [r[1] for r in runs], "s", None),
        result(f"{what}: exit status", [r[2] for r in runs], "code", None),
        result(f"{what}: entries written (README data)", [r[3] for r in runs], "entries", 278, more_is_better=True),
    ]


def show(results: list[dict]) -> None:
    for r in results:
        verdict = "" if r["ok"] is None else ("  ok" if r["ok"] else "  MISSED")
        goal = "" if r["goal"] is None else f" (goal {r['goal']:g})"
        print(f"{r['measure']}: {r['value']:.3g} {r['unit']} [min {r['min']:.3g}, max {r['max']:.3g}, n={r['n']}]{goal}{verdict}")


if __name__ == "__main__":
    show(run(quick="--quick" in sys.argv))

"""Unreachable hosts: a whole export when no service can be reached (every host refuses).

Issue 10: a host that refused connections cost about 72 s (4 tries with backoff per service, one
service after another) before the README-only bibliography was written. Now a refused
connection, a DNS failure or no route is known at the first attempt. Measured: whole
`python -m prune2bib export` processes of the whole list (278 rows) with every service URL (and
the README's) on a loopback port nobody listens on, a fresh cache and no lock each run: wall
time (goal ≤ 3 s) and CPU time (what a loaded machine disturbs least), the exit status (4: no
service could be reached) and the entries written (every row, from the README's data).
`tests/test_unreachable.py` counts the attempts per service (one each) on a fake clock.

    python benchmarks/bench_unreachable.py [--quick]
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

import common

GOAL_WALL_S = 3.0  # issue 10: "with every service refusing connections, the whole export takes ≤ 3 s"
ROWS = 278


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dead_env(workdir: Path) -> dict[str, str]:
    """Every service (and the README URL) on a closed loopback port, a private cache and data dir,
    the loopback guard on PYTHONPATH (simulator.child.child_env without a simulator)."""
    from simulator.child import child_env

    url = f"http://127.0.0.1:{closed_port()}"
    dead = {f"PRUNE2BIB_{s}_URL": url for s in ("ARXIV", "CROSSREF", "OPENREVIEW", "OPENREVIEW2", "DBLP", "WEB", "README")}
    return common.bench_env(child_env(None, workdir, **dead))


def entries_in(path: Path) -> int:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return sum(1 for line in text.splitlines() if line.startswith("@") and not line.lower().startswith(("@comment", "@string", "@preamble")))


def run(quick: bool = False) -> list[dict]:
    runs, entries = [], []
    with tempfile.TemporaryDirectory(prefix="prune2bib-unreachable-") as tmp:
        for n in range((3 if quick else 7) + 1):
            workdir = Path(tmp) / f"run{n}"
            workdir.mkdir()
            out = workdir / "out.bib"
            args = ["export", "--readme", str(common.UPSTREAM), "-o", str(out), "--no-lock"]
            runs.append(common.run_child(args, dead_env(workdir)))
            entries.append(entries_in(out))
    runs, entries = runs[1:], entries[1:]  # the first run writes the bytecode
    what = f"export of the whole list ({ROWS} rows), every service refusing connections"
    note = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end: wall time waits for CPU on a loaded machine"
    return [
        common.result(f"{what}: wall", [r.wall for r in runs], "s", GOAL_WALL_S, note=note, readme=True),
        common.result(f"{what}: CPU (user + system)", [r.cpu for r in runs], "s", None),
        common.result(f"{what}: exit status", [r.code for r in runs], "code", None, note="4: no service could be reached"),
        common.result(f"{what}: entries written (README data)", entries, "entries", ROWS, more_is_better=True),
    ]


if __name__ == "__main__":
    common.show(run(quick="--quick" in sys.argv))

"""Running `python -m prune2bib` as a child process against the simulator, loopback only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from simulator.server import Simulator

GUARD = Path(__file__).resolve().parent / "loopback_only"
TESTS = Path(__file__).resolve().parent.parent


def child_env(sim: Simulator | None, workdir: Path, **extra: str) -> dict[str, str]:
    """os.environ with every service URL on the simulator, a private cache and key file, and
    the loopback guard (sitecustomize) on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRUNE2BIB_")}
    if sim is not None:
        env.update(sim.env())
    else:  # no simulator: every service on a closed loopback port
        env.update({f"PRUNE2BIB_{s}_URL": "http://127.0.0.1:9" for s in ("ARXIV", "CROSSREF", "OPENREVIEW", "OPENREVIEW2", "DBLP", "WEB", "README")})
    env.update(
        PRUNE2BIB_CACHE_DIR=str(workdir / "cache"),
        PRUNE2BIB_DATA_DIR=str(workdir / "data"),
        PRUNE2BIB_MAILTO="simulator@example.org",
    )
    env.update(extra)
    # tests/ only for the scaled twin (a module of tests/): on the path, every top-level import of
    # a child looks there first, which cost a timed warm export ~4 M instructions (0.7 %).
    tests = str(TESTS) if _scaled(env) else ""
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), tests, env.get("PYTHONPATH", "")]))
    return env


def _scaled(env: dict[str, str]) -> bool:
    return env.get("PRUNE2BIB_SIM_INTERVAL_SCALE", "1") not in ("", "1")


def command(env: dict[str, str]) -> list[str]:
    """`python -m prune2bib`, or its interval-scaled twin when PRUNE2BIB_SIM_INTERVAL_SCALE is set."""
    return [sys.executable, "-m", "simulator.prune2bib_scaled" if _scaled(env) else "prune2bib"]


def prune2bib(*args: str, env: dict[str, str], timeout: float = 600, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*command(env), *args], env=env, input=stdin, capture_output=True, timeout=timeout)


def start(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([*command(env), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

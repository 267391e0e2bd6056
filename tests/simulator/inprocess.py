"""`prune2bib` run in this process against the simulator, on a fake clock: no real sleep.

For tests where pacing is not under test and a child process would add only its start-up and
the real-clock waits between requests (`simulator.child` is for what needs a real process: a
signal, a fresh interpreter's imports, a file lock held by another process).

    clock = FakeClock()
    on_fake_clock(monkeypatch, clock)
    with Simulator(dataset, clock=clock) as sim:
        done = run(workdir, cli_env(sim, workdir), "export", "-o", "refs.bib")
    done.returncode, done.stdout, done.stderr   # as subprocess.CompletedProcess has them

The network guard is pytest-recording's --block-network (loopback only, tests/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple

import msgspec.structs
import pytest
from click.testing import CliRunner

from simulator.server import Simulator

SERVICE_VARS = ("ARXIV", "CROSSREF", "OPENREVIEW", "OPENREVIEW2", "DBLP", "WEB", "README")


class Done(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def on_fake_clock(monkeypatch: pytest.MonkeyPatch, clock: Callable[[], float], **overrides: object) -> None:
    """Every `Http` the CLI makes (resolve.Http) waits on `clock` (a FakeClock) instead of sleeping;
    `overrides` change fields of its RetryPolicy (e.g. timeout=5.0)."""
    from prune2bib import resolve
    from prune2bib.http import Http, RetryPolicy

    def etiquette(*args, policy: RetryPolicy | None = None, **kwargs):
        policy = msgspec.structs.replace(policy or RetryPolicy(), **overrides)
        return Http(*args, policy=policy, clock=clock, sleep=clock.sleep, **kwargs)

    monkeypatch.setattr(resolve, "Http", etiquette)


def cli_env(sim: Simulator | None, workdir: Path, **extra: str) -> dict[str, str | None]:
    """The `PRUNE2BIB_*` environment of one run (what `simulator.child.child_env` gives a child):
    every service on the simulator, or on a closed loopback port without one; the cache and the
    key file under `workdir`. Any other `PRUNE2BIB_*` variable is unset for the run."""
    env: dict[str, str | None] = {name: None for name in os.environ if name.startswith("PRUNE2BIB_")}
    if sim is not None:
        env.update(sim.env())
    else:
        env.update({f"PRUNE2BIB_{s}_URL": "http://127.0.0.1:9" for s in SERVICE_VARS})
    env.update(PRUNE2BIB_CACHE_DIR=str(workdir / "cache"), PRUNE2BIB_DATA_DIR=str(workdir / "data"),
               PRUNE2BIB_MAILTO="simulator@example.org", **extra)  # fmt: skip
    return env


def run(cwd: Path, env: dict[str, str | None], *args: str) -> Done:
    """`prune2bib *args` in `cwd` with `env` (click's runner; an uncaught exception fails the test)."""
    from prune2bib.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    return Done(result.exit_code, result.stdout, result.stderr)

"""Faults of a process and of its cache file: SIGKILL mid-run, Ctrl-C, a damaged or locked cache file.

`python -m prune2bib export` runs as a child against the simulator (every service URL points at
it; a sitecustomize in the child refuses any non-loopback connection). The simulator logs which
records each request asked for, so a re-run can be checked for asking again what was committed.
What needs no process of its own runs in this one (click's runner): the uninterrupted reference
run, and the damaged cache file's export, `cache clear` and export again.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import UPSTREAM
from fakeserver import FakeClock
from prune2bib.readme import load_readme_text, parse_readme
from simulator import Dataset, Faults, Simulator, readmes
from simulator.child import child_env, prune2bib, start
from simulator.inprocess import cli_env, on_fake_clock, run

FULL_TEXT = load_readme_text(UPSTREAM.read_bytes())
SMALL_TEXT = readmes.per_kind(FULL_TEXT, 4)  # 36 rows, every link kind
LATENCY = Faults(latency=(0.02, 0.06))
# Commits and signals are under test here, not pacing: intervals at 1/100 of the real ones (DBLP's
# 5 s is 0.05 s, about a simulated answer's latency).
FAST = {"PRUNE2BIB_SIM_INTERVAL_SCALE": "0.01"}


def simulator(text: str, latency: Faults = LATENCY, **kwargs) -> Simulator:
    return Simulator(Dataset.from_readme(text), faults={h: latency for h in ("arxiv", "crossref", "openreview", "openreview2", "dblp")}, lifetime=600, **kwargs)


def export_args(workdir: Path, readme: Path, tag: str) -> list[str]:
    return ["export", "--readme", str(readme), "-o", str(workdir / f"{tag}.bib"), "--report", str(workdir / f"{tag}.jsonl")]


def report(workdir: Path, tag: str) -> dict[str, tuple[str, str]]:
    rows = [json.loads(x) for x in (workdir / f"{tag}.jsonl").read_text(encoding="utf-8").splitlines()]
    return {r["title"]: (r["status"].replace("cached", "resolved"), r["source"]) for r in rows}


def committed_keys(cache_dir: Path) -> set[str]:
    """Every key the cache file holds (results and listings), read by a fresh connection."""
    path = cache_dir / "records.sqlite3"
    if not path.exists():
        return set()
    with sqlite3.connect(path) as conn:
        tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {k for t in ("results", "listings") if t in tables for (k,) in conn.execute(f"SELECT key FROM {t}")}


def asked_form(key: str) -> set[str]:
    """A cache key in the simulator's vocabulary of asked records ('' when it has no such form)."""
    if key.startswith(("arxiv:", "doi:", "openreview:")):
        return {key}
    if key.startswith("dblp:toc:"):
        return {f"dblp:toc:{k}" for k in key[len("dblp:toc:") :].split(",")}
    return set()


def wait_for_requests(sim: Simulator, n: int, proc, limit: float = 600.0) -> None:
    """Until the child has sent `n` requests (or ended). `limit` only bounds a hang: a child on a
    loaded machine took 5-11 s to its 6th request; a kill before it would test another point."""
    deadline = time.monotonic() + limit
    while len(sim.log) < n and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def uninterrupted(tmp_path: Path, text: str) -> dict[str, tuple[str, str]]:
    """Outcomes of a run that nobody kills (its own simulator and cache). It runs in this process
    on a fake clock: only the killed run needs a process of its own, and pacing changes no outcome."""
    work = tmp_path / "reference"
    work.mkdir()
    readme = work / "README.md"
    readme.write_text(text, encoding="utf-8")
    clock = FakeClock()
    with pytest.MonkeyPatch.context() as monkeypatch:
        on_fake_clock(monkeypatch, clock)
        with simulator(text, Faults(), clock=clock) as sim:  # no latency: nothing is killed mid-request
            done = run(work, cli_env(sim, work), *export_args(work, readme, "ref"))
    assert done.returncode == 0, done.stderr
    return report(work, "ref")


def kill_and_rerun(tmp_path: Path, text: str, kill_after: int, reference: dict, sig=signal.SIGKILL, rng: random.Random | None = None) -> None:
    work = tmp_path / f"killed-{kill_after}-{sig}"
    work.mkdir()
    readme = work / "README.md"
    readme.write_text(text, encoding="utf-8")
    with simulator(text) as sim:
        env = child_env(sim, work, **FAST)
        proc = start(*export_args(work, readme, "first"), env=env)
        wait_for_requests(sim, kill_after, proc)
        time.sleep((rng or random).uniform(0, 0.05))  # land anywhere inside the request/commit cycle
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
        committed = committed_keys(work / "cache")
        first_run = len(sim.log)
        rerun = prune2bib(*export_args(work, readme, "second"), env=env)
        second_asked = [k for e in sim.log[first_run:] for k in e.asked]
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert report(work, "second") == reference, "the re-run lost records"
    repeated = sorted({k for key in committed for k in asked_form(key)} & set(second_asked))
    assert not repeated, f"asked again after being committed: {repeated}"
    return proc.returncode, stderr.decode(), committed


@pytest.fixture(scope="module")
def small_reference(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """The outcomes of an uninterrupted run over SMALL_TEXT, made once for the module's tests
    (before the per-test isolation fixture runs: its child gets a private home here)."""
    tmp = tmp_path_factory.mktemp("small")
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            monkeypatch.setenv(name, str(tmp / "home"))
        return uninterrupted(tmp, SMALL_TEXT)


def test_sigkill_at_a_random_point_then_rerun_loses_nothing_and_repeats_nothing(tmp_path, small_reference):
    seed = int(os.environ.get("PRUNE2BIB_KILL_SEED", time.time_ns() % 10_000))
    print(f"PRUNE2BIB_KILL_SEED={seed}")  # shown with any failure: the seed replays this kill point
    rng = random.Random(seed)
    reference = small_reference
    kill_after = rng.randint(1, 10)
    code, _, committed = kill_and_rerun(tmp_path, SMALL_TEXT, kill_after, reference, rng=rng)
    assert code == -signal.SIGKILL, f"seed {seed}: the child ended before the kill"


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 2, 3, 5, 8, 13, 21, 34])
def test_sigkill_loop_over_the_whole_list(tmp_path, kill_after):
    reference = uninterrupted(tmp_path, FULL_TEXT)
    code, _, _ = kill_and_rerun(tmp_path, FULL_TEXT, kill_after, reference)
    assert code in (-signal.SIGKILL, 0)


def test_ctrl_c_exits_130_with_one_line_and_keeps_what_was_done(tmp_path, small_reference):
    code, stderr, committed = kill_and_rerun(tmp_path, SMALL_TEXT, 6, small_reference, sig=signal.SIGINT)
    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr.splitlines()[-1]
    assert committed, "nothing done before Ctrl-C was kept in the cache"


# -------------------------------------------------------------------- the cache file


def _export_offline(work: Path, *, child: bool = True):
    """An offline export of the small list, in a child process or (child=False) in this one."""
    readme = work / "README.md"
    readme.write_text(SMALL_TEXT, encoding="utf-8")
    if child:
        return prune2bib(*export_args(work, readme, "out"), "--offline", env=child_env(None, work))
    return run(work, cli_env(None, work), *export_args(work, readme, "out"), "--offline")


def _one_line_error(done, code: int, *phrases: str) -> None:
    stderr = done.stderr if isinstance(done.stderr, str) else done.stderr.decode()
    assert done.returncode == code, stderr
    assert "Traceback" not in stderr
    last = [line for line in stderr.splitlines() if line.startswith("prune2bib:")][-1]
    assert all(p in last for p in phrases), last


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"this is not a database\x00" * 100),
        lambda path: path.write_bytes(path.read_bytes()[:2048] + b"\xff" * 4096),  # header kept, pages garbled
    ],
    ids=["garbage", "garbled-pages"],
)
def test_damaged_cache_file_is_one_line_then_cache_clear_rebuilds_it(tmp_path, damage):
    work = tmp_path / "w"
    (work / "cache").mkdir(parents=True)
    sqlite3.connect(work / "cache" / "records.sqlite3").executescript(
        "PRAGMA journal_mode=DELETE; CREATE TABLE results (key TEXT PRIMARY KEY, v TEXT);"
        + "".join(f"INSERT INTO results VALUES ('k{i}', '{'x' * 500}');" for i in range(50))
    ).connection.close()
    damage(work / "cache" / "records.sqlite3")
    _one_line_error(_export_offline(work, child=False), 5, "damaged", "prune2bib cache clear")
    cleared = run(work, cli_env(None, work), "cache", "clear", "--yes")
    assert cleared.returncode == 0, cleared.stderr
    done = _export_offline(work, child=False)
    assert done.returncode == 0, done.stderr
    assert len(report(work, "out")) == len(parse_readme(SMALL_TEXT))


def test_cache_locked_by_another_process_is_one_line(tmp_path):
    work = tmp_path / "w"
    (work / "cache").mkdir(parents=True)
    holder = sqlite3.connect(work / "cache" / "records.sqlite3", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # held until we let go: nobody else can read or write
    try:
        _one_line_error(_export_offline(work), 5, "locked by another process")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_cache_path_that_is_a_file_is_one_line(tmp_path):
    work = tmp_path / "w"
    work.mkdir()
    (work / "cache").write_text("a file where the cache directory should be")
    _one_line_error(_export_offline(work), 5, "cache")

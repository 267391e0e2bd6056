"""Acceptance (issue 10): against a DBLP that allows one request per 5 s, a cold export of the whole
list gets at most 3 DBLP 429s and still resolves every row; a stricter DBLP costs a 429 once,
not on every request, and the next run starts at the learned pace.

The CLI runs in-process against the service simulator (tests/simulator/, loopback), whose DBLP
answers rate-limited requests with its HTML 429 page and a Retry-After; the client's HTTP layer
and the simulator's rate limiter share one fake clock, so every wait is counted, none is slept.
"""

from __future__ import annotations

import json

import msgspec.structs
import pytest
from click.testing import CliRunner

from conftest import UPSTREAM
from fakeserver import FakeClock
from prune2bib import resolve
from prune2bib.cli import main
from prune2bib.http import Http, RetryPolicy
from prune2bib.readme import load_readme_text
from simulator import Dataset, Faults, Simulator

TEXT = load_readme_text(UPSTREAM.read_bytes())
DATASET = Dataset.from_readme(TEXT)


class Run:
    """One simulator and one fake clock; `export()` runs `prune2bib export` against them."""

    def __init__(self, tmp_path, monkeypatch, dblp: Faults):
        self.tmp, self.clock = tmp_path, FakeClock()
        self.readme = tmp_path / "README.md"
        self.readme.write_text(TEXT, encoding="utf-8")
        self.sim = Simulator(DATASET, faults={"dblp": dblp}, clock=self.clock, lifetime=120, max_requests=2000)
        self.warnings: list[str] = []
        clock, warnings = self.clock, self.warnings

        def etiquette(*args, policy: RetryPolicy | None = None, **kwargs):
            policy = msgspec.structs.replace(policy or RetryPolicy(), timeout=5.0)
            return Http(*args, policy=policy, clock=clock, sleep=clock.sleep, warn=warnings.append, **kwargs)

        monkeypatch.setattr(resolve, "Http", etiquette)
        self.runs = 0

    def export(self, *extra: str) -> tuple[int, dict[str, dict]]:
        self.runs += 1
        report = self.tmp / f"report{self.runs}.jsonl"
        args = ["export", "--readme", str(self.readme), "-o", str(self.tmp / f"out{self.runs}.bib"), "--report", str(report), *extra]
        env = self.sim.env() | {"PRUNE2BIB_MAILTO": "simulator@example.org"}
        result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
        rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
        return result.exit_code, {f"{r['line']}": r for r in rows}

    def dblp(self) -> tuple[int, int]:
        """(DBLP requests, of which 429s) so far."""
        log = self.sim.requests("dblp")
        return len(log), sum(1 for e in log if e.status == 429)


def outcome(row: dict) -> tuple:
    return row["status"].replace("cached", "resolved"), row["source"], tuple(sorted(set(row["fields"].values())))


@pytest.fixture(scope="module")
def unlimited(tmp_path_factory):
    """Every row's outcome against a DBLP without a rate limit (the reference)."""
    tmp = tmp_path_factory.mktemp("unlimited")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PRUNE2BIB_CACHE_DIR", str(tmp / "cache"))
        monkeypatch.setenv("PRUNE2BIB_DATA_DIR", str(tmp / "data"))
        run = Run(tmp, monkeypatch, Faults())
        with run.sim:
            code, rows = run.export()
        assert code == 0 and run.dblp()[1] == 0
        return rows


def test_one_request_per_5_s_costs_at_most_3_429s_and_every_row_resolves(tmp_path, monkeypatch, unlimited):
    run = Run(tmp_path, monkeypatch, Faults(rate=1, window=5.0, retry_after=5))
    with run.sim:
        code, rows = run.export()
    requests, limited = run.dblp()
    assert code == 0 and requests >= 30  # the whole list asks DBLP for dozens of listings
    assert limited <= 3, (requests, limited)
    assert {k: outcome(r) for k, r in rows.items()} == {k: outcome(r) for k, r in unlimited.items()}
    assert sum(r["status"] == "resolved" for r in rows.values()) >= 200


def test_a_stricter_dblp_costs_one_429_then_the_learned_pace_holds_and_is_remembered(tmp_path, monkeypatch, unlimited):
    """One request per 12 s, Retry-After 12: the first 429 raises the interval to 12 s for the run
    (one line on stderr says so), and the next run (--refresh: everything asked again) starts there."""
    run = Run(tmp_path, monkeypatch, Faults(rate=1, window=12.0, retry_after=12))
    with run.sim:
        code, rows = run.export()
        requests, limited = run.dblp()
        assert code == 0 and limited == 1, (requests, limited)
        assert any("dblp is rate limiting us: one request every 12 s from now on (remembered for 7 days)" in w for w in run.warnings)
        assert any("dblp answered HTTP 429 and asked to wait 12 s (Retry-After); waiting" in w for w in run.warnings)
        assert {k: outcome(r) for k, r in rows.items()} == {k: outcome(r) for k, r in unlimited.items()}
        log = run.sim.requests("dblp")
        gaps = [b.at - a.at for a, b in zip(log, log[1:])]
        first_429 = next(i for i, e in enumerate(log) if e.status == 429)
        assert min(gaps[first_429:]) >= 12.0  # never faster again after the 429
        run.clock.sleep(3600)  # an hour later
        code, _ = run.export("--refresh")
        assert code == 0 and run.dblp()[1] == limited  # the second run: no 429 at all
        again = run.sim.requests("dblp")[requests:]
        assert len(again) >= 30 and min(b.at - a.at for a, b in zip(again, again[1:])) >= 12.0  # at the learned pace from the start

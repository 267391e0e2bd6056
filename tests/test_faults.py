"""Fault tests: every service fault the simulator can play is survived, each row says why.

The CLI runs in-process (click's runner) against the simulator, on a fake clock shared by the
client's HTTP layer and the simulator's rate limiter, so Retry-After waits, backoff and
per-service intervals cost no real time. Only timeouts use real time: a hanging answer lasts
until the client gives up (the simulator then drops it), so each costs exactly the client's
timeout: `CLIENT_TIMEOUT`, far above what a normal answer takes on a busy machine, or
`HANGING_TIMEOUT` for a service that hangs on every request. Each test reads the `--report`
file: one JSON line per row with its status and reason.
"""

from __future__ import annotations

import json
import re

import msgspec.structs
import pytest
from click.testing import CliRunner

from conftest import UPSTREAM
from fakeserver import FakeClock
from prune2bib import resolve
from prune2bib.cli import main
from prune2bib.http import Http, RetryPolicy
from prune2bib.readme import load_readme_text
from simulator import Dataset, Faults, Simulator, readmes

SERVICES = ("arxiv", "crossref", "openreview", "openreview2", "dblp")
# Real seconds. A normal answer of the in-process simulator took <= 0.05 s with the machine at
# load 6 on 2 cores: 1 s leaves a margin a loaded CI machine does not eat (0.3 s did not leave
# one by construction: a spurious timeout turns a fault on one service into changes on another).
CLIENT_TIMEOUT = 1.0
# The timeout of a service whose every answer hangs (a lasting timeout fault). A short one cannot
# fire where the long one would not: nothing that service sends is answered in time anyway. Its
# 2 requests x 4 attempts then cost 0.8 s of real time instead of 8 s.
HANGING_TIMEOUT = 0.1
HANG = 60.0  # longer than any client waits: the timeout always fires; ends when the client leaves
FULL_TEXT = load_readme_text(UPSTREAM.read_bytes())
# Three rows of every link kind, and one OpenReview row moved to ICLR 2024: the list itself stops
# at API v1's venue-years, and without a v2-era row the `openreview2` cases would test nothing.
ROWS_TEXT = readmes.with_copy_in_year(readmes.per_kind(FULL_TEXT, 3), "openreview", 2024)


class World:
    """The simulator, a fake clock, and the CLI pointed at both."""

    def __init__(self, tmp_path, monkeypatch, text: str = ROWS_TEXT, dataset: Dataset | None = None):
        self.tmp, self.clock = tmp_path, FakeClock()
        self.readme = tmp_path / "README.md"
        self.readme.write_text(text, encoding="utf-8")
        self.dataset = dataset or Dataset.from_readme(text)
        self.sim = Simulator(self.dataset, clock=self.clock, lifetime=60)
        self.runs = 0
        self.timeouts: dict[str, float] = {}  # service -> its own client timeout (default: CLIENT_TIMEOUT)
        clock, timeouts = self.clock, self.timeouts

        def etiquette(*args, policy: RetryPolicy | None = None, **kwargs):
            policy = msgspec.structs.replace(policy or RetryPolicy(), timeout=CLIENT_TIMEOUT)
            return ServiceTimeouts(*args, policy=policy, clock=clock, sleep=clock.sleep, timeouts=timeouts, **kwargs)

        monkeypatch.setattr(resolve, "Http", etiquette)
        monkeypatch.setenv("PRUNE2BIB_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("PRUNE2BIB_MAILTO", "simulator@example.org")

    def __enter__(self):
        self.sim.__enter__()
        return self

    def __exit__(self, *exc):
        self.sim.__exit__(*exc)

    def export(self, *extra: str) -> tuple[int, list[dict], str]:
        """Exit code, report rows, and the .bib text of one `prune2bib export` run."""
        self.runs += 1
        out, report = self.tmp / f"out{self.runs}.bib", self.tmp / f"report{self.runs}.jsonl"
        args = ["export", "--readme", str(self.readme), "-o", str(out), "--report", str(report), *extra]
        result = CliRunner().invoke(main, args, env=self.sim.env(), catch_exceptions=False)
        rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()] if report.exists() else []
        return result.exit_code, rows, out.read_text(encoding="utf-8") if out.exists() else ""


class ServiceTimeouts(Http):
    """`Http` with a client timeout of its own for some services (`timeouts`); the others keep the
    policy's. Each service has its own requests session, and Crossref alone uses the httpx2 client."""

    def __init__(self, *args, timeouts: dict[str, float], **kwargs):
        super().__init__(*args, **kwargs)
        self.timeouts = timeouts

    def session(self, service: str):
        session = super().session(service)
        if service in self.timeouts and not getattr(session, "own_timeout", False):
            request, seconds = session.request, self.timeouts[service]
            session.request = lambda method, url, **kw: request(method, url, **{**kw, "timeout": seconds})
            session.own_timeout = True
        return session

    def httpx2_client(self):
        if "crossref" in self.timeouts and self._httpx2_client is None:
            import httpx2

            self._httpx2_client = httpx2.Client(timeout=self.timeouts["crossref"])
        return super().httpx2_client()


@pytest.fixture
def world(tmp_path, monkeypatch):
    with World(tmp_path, monkeypatch) as w:
        yield w


def _asked_for(world: World, row: dict, asked: set[str]) -> bool:
    paper = next(p for p in world.dataset.papers if p.title == row["title"])
    keys = {f"arxiv:{paper.arxiv_id}", f"doi:{paper.doi.lower()}", f"openreview:{paper.forum}",
            f"crossref:title:{_words(paper.title)}", f"dblp:title:{_words(paper.title)}",
            *(f"dblp:toc:{k}" for k in paper.toc_keys())}  # fmt: skip
    ident = row["identifier"].split(":", 1)[1]
    keys |= {f"arxiv:{ident}"}
    return bool(keys & asked)


def _words(title: str) -> str:
    from simulator import words

    return words(title)


_CLEAN: dict[str, dict] = {}  # title -> report row of one fault-free run (shared by the tests)
_ASKED: dict[str, int] = {}  # service -> requests the fault-free run sent it


def clean_outcomes(world: World, service: str) -> dict[str, dict]:
    """The fault-free run's rows; fails when that run never asked `service` (a fault there would
    change nothing, and the test would pass while proving nothing)."""
    if not _CLEAN:
        world.sim.log.clear()
        code, rows, _ = world.export("--refresh")
        assert code == 0
        _CLEAN.update({r["title"]: r for r in rows})
        _ASKED.update(world.sim.counts())
        world.sim.log.clear()
    assert _ASKED.get(service), f"no row of this subset makes prune2bib ask {service}"
    return _CLEAN


def outcome(row: dict) -> tuple[str, str, frozenset[str]]:
    """What a row ended with: status, main source, and every source that gave it a field."""
    sources = frozenset(row["fields"].values()) - {"readme"}
    return row["status"].replace("cached", "resolved"), row["source"], sources


def assert_survived(code: int, rows: list[dict], bib: str) -> None:
    """Exit 0, every row reported and exported, every unresolved row with a one-line reason."""
    assert code == 0
    assert len(rows) == len(readmes.parse_readme(ROWS_TEXT))
    assert bib.count("\n@") + bib.startswith("@") >= len(rows) - bib.count("@comment")
    for row in rows:
        if row["status"] not in ("resolved", "cached"):
            assert row["reason"].strip() and "\n" not in row["reason"], row
            assert "Traceback" not in row["reason"] and "object at 0x" not in row["reason"], row


# -------------------------------------------------------------------- faults that retrying fixes


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    "faults",
    [
        Faults(latency=(0.01, 0.04)),
        Faults(throttled=2, retry_after=10),
        Faults(errors=2, error_status=503),
        Faults(errors=1, error_status=502),
        Faults(hangs=1, hang=HANG),
        Faults(body="truncated", body_requests=0),  # configured but applied to no request: a control
    ],
    ids=["latency", "rate-limit-429", "5xx-burst", "502-once", "timeout-once", "control"],
)
def test_transient_fault_is_retried_and_every_row_resolves(world, service, faults):
    clean = clean_outcomes(world, service)
    world.sim.set_faults(service, faults)
    code, rows, bib = world.export("--refresh")
    assert_survived(code, rows, bib)
    changed = {r["title"]: (outcome(clean[r["title"]]), outcome(r), r["reason"]) for r in rows if outcome(r) != outcome(clean[r["title"]])}
    assert not changed, changed
    faulted = [e for e in world.sim.requests(service) if e.fault]
    if faults.throttled or faults.errors or faults.hangs:
        assert faulted, "the fault never fired: the test proves nothing"
    if faults.throttled:
        _assert_waited_after_429(world, service, faults.retry_after)


def _assert_waited_after_429(world: World, service: str, retry_after: float) -> None:
    log = world.sim.requests(service)
    for before, after in zip(log, log[1:]):
        if before.fault == "rate-limit":
            assert after.at - before.at >= retry_after, (before, after)


# -------------------------------------------------------------------- faults that stay


# What a row whose service keeps failing must say (one line naming the problem).
PERSISTENT = {
    "5xx": (Faults(errors=10**6, error_status=503), r"HTTP 503|unreachable"),
    "rate-limit": (Faults(throttled=10**6, retry_after=30), r"HTTP 429|rate limit|unreachable"),
    "timeout": (Faults(hangs=10**6, hang=HANG), r"timed out|unreachable"),
    "truncated": (Faults(body="truncated"), r"non-JSON|not (JSON|valid|well-formed)|truncated|malformed|unreadable"),
    "malformed": (Faults(body="malformed"), r"non-JSON|not (JSON|valid|well-formed)|malformed|unreadable"),
    "html": (Faults(body="html"), r"HTML page|unreachable"),
    "empty": (Faults(body="empty"), r"not found|no note|no candidate|lists no paper"),
}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("fault", list(PERSISTENT))
def test_lasting_fault_leaves_rows_unresolved_with_a_reason_and_the_rest_resolved(world, service, fault):
    clean = clean_outcomes(world, service)
    faults, reason_pattern = PERSISTENT[fault]
    world.sim.set_faults(service, faults)
    if faults.hangs:
        world.timeouts[service] = HANGING_TIMEOUT
    code, rows, bib = world.export("--refresh")
    assert_survived(code, rows, bib)
    changed = [r for r in rows if outcome(r) != outcome(clean[r["title"]])]
    assert changed, f"a lasting {fault} on {service} changed no row: the test proves nothing"
    for row in changed:  # a row the fault cost its record, or a source's fields, says why
        assert re.search(reason_pattern, row["reason"], re.I), (row["title"], row["status"], row["reason"])
    resolved = [r for r in rows if r["status"] in ("resolved", "cached")]
    assert resolved, "a fault on one service must not stop the others"

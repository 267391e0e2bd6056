"""Unreachable hosts and the exit status of a run (README "Exit codes").

Every service on a loopback port nobody listens on (connection refused, as a machine without
network refuses or fails to resolve): each service is tried once, with no retry and no backoff
(counted per service on the HTTP layer, on a fake clock that records every sleep); the export
still writes the README's data; the summary names the dead services; the exit status is 4.
When some services answer, the run exits 0 (`--strict`: 8 if rows stay unresolved).
"""

from __future__ import annotations

import bibtexparser
import msgspec.structs
import pytest
from click.testing import CliRunner

from conftest import UPSTREAM
from fakeserver import FakeClock
from prune2bib import resolve
from prune2bib.cli import main
from prune2bib.http import SERVICES, Http, RetryPolicy
from prune2bib.readme import load_readme_text, parse_readme
from simulator import Dataset, Simulator, readmes

SERVICES_ASKED = ("arxiv", "crossref", "openreview", "openreview2", "dblp")


class Recorder:
    """resolve.Http stand-in: the real HTTP layer on a fake clock, each instance kept for counting."""

    def __init__(self, monkeypatch):
        self.clock, self.made = FakeClock(), []
        monkeypatch.setattr(resolve, "Http", self)

    def __call__(self, *args, policy: RetryPolicy | None = None, **kwargs):
        http = Http(*args, policy=policy or RetryPolicy(), clock=self.clock, sleep=self.clock.sleep, **kwargs)
        self.made.append(http)
        return http

    def sent(self, service: str) -> int:
        return sum(h.sent(service) for h in self.made)


def export(tmp_path, env: dict[str, str], *extra: str):
    out, report = tmp_path / "out.bib", tmp_path / "report.jsonl"
    args = ["export", "--readme", str(UPSTREAM), "-o", str(out), "--report", str(report), *extra]
    result = CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    return result, out, report


def dead_env(port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    return {s.env: url for s in SERVICES.values()} | {"PRUNE2BIB_README_URL": url + "/README.md", "PRUNE2BIB_MAILTO": "ops@example.org"}


def test_every_service_refusing_costs_one_attempt_each_and_exits_4_with_the_readme_data(tmp_path, monkeypatch, refused_port):
    http = Recorder(monkeypatch)
    result, out, report = export(tmp_path, dead_env(refused_port))
    assert result.exit_code == 4, result.stderr
    rows = parse_readme(UPSTREAM.read_text(encoding="utf-8"))
    assert len(bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries) == len(rows) == 278
    # one attempt each (OpenReview v2 is never reached: the list's forums are all v1-era, v2 is
    # only their fallback, and v1's batch failed as a whole)
    assert {s: http.sent(s) for s in SERVICES_ASKED} == {s: int(s != "openreview2") for s in SERVICES_ASKED}
    assert http.clock.sleeps == []  # no backoff, no pacing wait
    lines = result.stderr.splitlines()
    assert lines[-1] == (
        "prune2bib: no service could be reached (arxiv it refused the connection (nothing listens there); "
        "crossref it refused the connection (nothing listens there); dblp it refused the connection (nothing listens there); "
        "openreview it refused the connection (nothing listens there)): "
        "rows that needed one hold the README's data only"
    )
    assert "unreachable" in lines[-2] and "entries written to" in lines[-2]  # the summary counts why
    assert "Traceback" not in result.output


def test_a_second_dead_run_still_asks_each_service_once(tmp_path, monkeypatch, refused_port):
    """Nothing about a dead host is cached: the next run (network back or not) asks again, once."""
    http = Recorder(monkeypatch)
    env = dead_env(refused_port)
    export(tmp_path, env)
    before = {s: http.sent(s) for s in SERVICES_ASKED}
    result, _, _ = export(tmp_path, env)
    assert result.exit_code == 4
    assert {s: http.sent(s) - before[s] for s in SERVICES_ASKED} == {s: int(s != "openreview2") for s in SERVICES_ASKED}


def test_with_resolved_only_a_dead_network_is_exit_4_not_an_empty_selection(tmp_path, monkeypatch, refused_port):
    Recorder(monkeypatch)
    result, out, _ = export(tmp_path, dead_env(refused_port), "--resolved-only")
    assert result.exit_code == 4 and not out.exists()
    assert result.stderr.splitlines()[-1].startswith("prune2bib: no service could be reached (arxiv it refused")


def test_strict_with_no_service_reached_is_exit_4_not_8(tmp_path, monkeypatch, refused_port):
    """Both apply (every row unresolved, no service reached): the more telling code wins, as README says."""
    Recorder(monkeypatch)
    result, out, _ = export(tmp_path, dead_env(refused_port), "--strict")
    assert result.exit_code == 4 and out.exists()
    assert result.stderr.splitlines()[-1].startswith("prune2bib: no service could be reached")
    assert "--strict" not in result.stderr


# -------------------------------------------------------------------- some services answer

FULL_TEXT = load_readme_text(UPSTREAM.read_bytes())
ROWS_TEXT = readmes.per_kind(FULL_TEXT, 2)


@pytest.fixture
def sim_world(tmp_path, monkeypatch):
    http = Recorder(monkeypatch)
    readme = tmp_path / "README.md"
    readme.write_text(ROWS_TEXT, encoding="utf-8")
    with Simulator(Dataset.from_readme(ROWS_TEXT), clock=http.clock, lifetime=60) as sim:
        yield sim, readme, http


def run(tmp_path, env, readme, *extra):
    result = CliRunner().invoke(main, ["export", "--readme", str(readme), "-o", str(tmp_path / "o.bib"), *extra],
                                env=env | {"PRUNE2BIB_MAILTO": "ops@example.org"}, catch_exceptions=False)  # fmt: skip
    return result


def test_one_dead_service_among_live_ones_is_exit_0_and_its_rows_say_why(tmp_path, sim_world, refused_port):
    sim, readme, http = sim_world
    env = sim.env() | {"PRUNE2BIB_DBLP_URL": f"http://127.0.0.1:{refused_port}"}
    result = run(tmp_path, env, readme)
    assert result.exit_code == 0, result.stderr
    assert http.sent("dblp") == 1 and sim.counts()["arxiv"] >= 1
    assert "dblp unreachable" in result.stderr


def test_strict_turns_unresolved_rows_into_exit_8_and_still_writes_the_output(tmp_path, sim_world, refused_port):
    sim, readme, _ = sim_world
    env = sim.env() | {"PRUNE2BIB_DBLP_URL": f"http://127.0.0.1:{refused_port}"}
    result = run(tmp_path, env, readme, "--strict")
    assert result.exit_code == 8, result.stderr
    assert result.stderr.splitlines()[-1].startswith("prune2bib: --strict: ") and "rows not resolved" in result.stderr
    assert (tmp_path / "o.bib").read_text(encoding="utf-8").count("@") >= len(parse_readme(ROWS_TEXT))


def test_strict_with_every_row_resolved_is_exit_0(tmp_path, sim_world):
    sim, readme, _ = sim_world
    result = run(tmp_path, sim.env(), readme, "--strict")
    assert result.exit_code == 0, result.stderr


def test_strict_cannot_go_with_no_resolve(tmp_path):
    from clirun import assert_one_line_error

    result = CliRunner().invoke(main, ["export", "--readme", str(UPSTREAM), "--no-resolve", "--strict"], catch_exceptions=False)
    assert "--no-resolve resolves no row; it cannot be combined with --strict" in assert_one_line_error(result, 2)


def test_offline_cache_misses_are_not_a_network_failure(tmp_path):
    result = CliRunner().invoke(main, ["export", "--readme", str(UPSTREAM), "--offline", "-o", str(tmp_path / "o.bib")], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    strict = CliRunner().invoke(main, ["export", "--readme", str(UPSTREAM), "--offline", "--strict", "-o", str(tmp_path / "o.bib")],
                                catch_exceptions=False)  # fmt: skip
    assert strict.exit_code == 8


def test_reached_no_service_reads_the_rows():
    outcome = lambda status, reason="": msgspec.structs.replace(resolve.Outcome(status), reason=reason)  # noqa: E731
    dead = outcome("unresolved", "dblp is unreachable: it refused the connection (nothing listens there); not asked again this run")
    assert resolve.reached_no_service([dead, outcome("cached")])
    assert not resolve.reached_no_service([dead, outcome("resolved")])  # something came over the network
    assert not resolve.reached_no_service([outcome("unresolved", "dblp: HTTP 503 after 4 attempt(s) and 7 s of waiting")])
    assert resolve.unreachable_services([dead]) == {"dblp": "it refused the connection (nothing listens there)"}

"""The progress line (issue 12 point 6): its estimate follows the recent pace, keeps moving while
nothing completes, and a service that throttles is named with its countdown. All on a fake clock."""

from __future__ import annotations

import io
import sys

import pytest

from fakeserver import FakeServer, Reply
from prune2bib import http as http_module
from prune2bib import settings
from prune2bib.http import HttpEvent
from prune2bib.progress import Progress


def run_at(clock, progress: Progress, rows_per_second: float, seconds: int) -> None:
    """Rows completing at a steady pace for `seconds` seconds of the fake clock."""
    owed = 0.0
    for _ in range(seconds):
        clock.sleep(1.0)
        owed += rows_per_second
        progress.advance(int(owed))
        owed -= int(owed)


def test_estimate_grows_while_nothing_completes(clock):
    progress = Progress(100, clock=clock)
    run_at(clock, progress, 1.0, 10)
    assert progress.eta() == pytest.approx(90.0)
    before = progress.eta()
    clock.sleep(30.0)  # a service throttles: no row completes
    during = progress.eta()
    clock.sleep(60.0)
    later = progress.eta()
    # A frozen estimate (recomputed only when a row completes) would still say 90 s.
    assert before < during < later
    assert later == pytest.approx(90 * 100 / 10)  # the whole run's pace: 10 rows in 100 s


def test_estimate_follows_the_recent_pace_not_the_average(clock):
    progress = Progress(200, clock=clock)
    run_at(clock, progress, 5.0, 10)  # a fast start (a batch of cached rows)
    run_at(clock, progress, 1.0, 60)  # then one row a second
    assert progress.done == 110
    # The recent minute's pace (1 row/s), not the average 110/70 s, which would say 57 s.
    assert progress.eta() == pytest.approx(90.0)
    slow = progress.eta()
    run_at(clock, progress, 3.0, 20)  # the pace picks up: the estimate falls with it
    assert progress.done == 170
    # The last minute: 40 rows in 40 s, then 60 in 20 s -> 100 rows a minute.
    assert progress.eta() == pytest.approx(30 / (100 / 60)) and progress.eta() < slow * 30 / 90


def test_no_estimate_before_the_first_row():
    progress = Progress(10, clock=lambda: 5.0)
    assert progress.eta() is None
    assert "eta --" in progress.line()


def test_a_throttling_service_is_named_with_its_countdown(clock):
    progress = Progress(50, clock=clock)
    progress.on_http(HttpEvent("dblp", "retry", 30.0, "HTTP 429"))
    assert progress.throttling() == "dblp throttling (HTTP 429): next try in 30 s"
    clock.sleep(10.0)
    assert "dblp throttling (HTTP 429): next try in 20 s" in progress.line(200)
    progress.on_http(HttpEvent("arxiv", "retry", 4.0, "timed out"))  # a timeout is not throttling
    assert "arxiv" not in progress.line(200)
    progress.on_http(HttpEvent("dblp", "answer", detail="200"))
    assert progress.throttling() == "" and "throttling" not in progress.line(200)


def test_a_service_given_up_is_no_longer_shown_as_throttling(clock):
    progress = Progress(5, clock=clock)
    progress.on_http(HttpEvent("crossref", "retry", 2.0, "HTTP 503"))
    assert progress.throttling().startswith("crossref throttling (HTTP 503)")
    progress.on_http(HttpEvent("crossref", "failed", 0.0, "HTTP 503"))
    assert progress.throttling() == ""


def test_the_http_layer_reports_a_429_and_its_retry_after(http, clock, monkeypatch):
    """The real HTTP layer on the fake clock: its events name the service, the status and the
    wait that `Retry-After` asked for, and end with the answer that clears it."""
    progress = Progress(1, clock=clock)
    seen: list[tuple[HttpEvent, str]] = []

    def observer(event: HttpEvent) -> None:
        progress.on_http(event)
        seen.append((event, progress.throttling()))

    with FakeServer(clock=clock) as server:
        server.script("/search/publ/api", Reply(429, "<html>slow down</html>", {"Retry-After": "7", "Content-Type": "text/html"}),
                      Reply(200, {"result": {"hits": {"@total": "0"}}}))  # fmt: skip
        monkeypatch.setenv("PRUNE2BIB_DBLP_URL", server.url)
        with http_module.observe(observer):
            http.get_json("dblp", "/search/publ/api", {"q": "x"})
        http.get_json("dblp", "/search/publ/api", {"q": "y"})  # after the block: not observed
    kinds = [(e.service, e.kind, e.detail) for e, _ in seen]
    assert kinds == [("dblp", "request", ""), ("dblp", "retry", "HTTP 429"), ("dblp", "request", ""), ("dblp", "answer", "200")]
    retry, named = next((e, shown) for e, shown in seen if e.kind == "retry")
    assert retry.seconds == 7.0 and named == "dblp throttling (HTTP 429): next try in 7 s"
    assert seen[-1][1] == ""  # the answer ends the throttling
    assert len(server.log) == 3


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_the_terminal_line_shows_what_the_http_layer_says(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with settings.progress_bar(3) as advance:
        advance(1)
        http_module._notify("openreview", "retry", 12.0, "HTTP 429")
        assert "openreview throttling (HTTP 429): next try in 12 s" in terminal.getvalue()
        http_module._notify("openreview", "answer", detail="200")
        advance(2)
    last = terminal.getvalue().rsplit("\r", 1)[-1]
    assert "3/3" in last and "100%" in last and "throttling" not in last
    assert http_module._observers == []  # the observer is gone with the line


def visible_lines(output: str) -> list[str]:
    """What a terminal shows: per line, the text after the last carriage return, erasures removed."""
    return [line.rsplit("\r", 1)[-1].replace("\x1b[K", "").rstrip() for line in output.split("\n")]


def test_messages_during_the_progress_line_are_printed_above_it(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    message = "prune2bib: dblp answered HTTP 429 and asked to wait 30 s (Retry-After); waiting"
    with settings.progress_bar(4) as advance:
        advance(1)
        print(message, file=sys.stderr)  # as the HTTP layer's warn() prints it
        advance(1)
    shown = visible_lines(terminal.getvalue())
    assert message in shown  # a line of its own, not glued to the progress line
    assert shown[shown.index(message) + 1].startswith("resolving ")  # the progress line drawn again below
    assert sys.stderr is terminal


def test_a_tick_between_a_message_and_its_newline_does_not_draw_over_the_message(clock):
    """print() writes a message and its newline in two calls; the ticker thread may draw between
    them. It must not: the progress line would overwrite the message on the screen."""
    from prune2bib.progress import TerminalLine

    terminal = FakeTerminal()
    line = TerminalLine(Progress(4, clock=clock), terminal, tick=None)
    with line:
        line.messages.write("prune2bib: a message")
        line.draw()  # what the ticker does every second
        line.messages.write("\n")
    shown = visible_lines(terminal.getvalue())
    assert "prune2bib: a message" in shown
    assert shown[shown.index("prune2bib: a message") + 1].startswith("resolving ")


def test_the_service_being_asked_is_shown_while_no_row_completes(clock):
    progress = Progress(10, clock=clock)
    for _ in range(3):
        progress.on_http(HttpEvent("dblp", "request"))
    assert progress.line(200).endswith("asking dblp (3 requests)")
    progress.on_http(HttpEvent("dblp", "retry", 9.0, "HTTP 429"))
    assert progress.line(200).endswith("dblp throttling (HTTP 429): next try in 9 s")  # throttling first
    progress.on_http(HttpEvent("dblp", "answer", detail="200"))
    progress.on_http(HttpEvent("crossref", "request"))
    assert progress.line(200).endswith("asking crossref (1 request)")
    progress.advance(10)
    assert "asking" not in progress.line(200)


def test_rows_are_reported_done_as_they_settle_not_all_at_the_end(tmp_path, monkeypatch):
    """A cold run of the whole list against empty answers: rows waiting for their published
    version are reported one by one while the run still sends requests (searches, fills), so the
    line and its estimate follow the work. Before, 264 of 278 rows were reported after the last
    request."""
    from conftest import UPSTREAM
    from fakeserver import FakeClock
    from prune2bib.cache import open_cache
    from prune2bib.http import Http, RetryPolicy
    from prune2bib.identify import identify
    from prune2bib.readme import parse_readme
    from prune2bib.resolve import Settings, resolve_rows
    from test_published_economy import serve_empty

    rows = [(e, identify(e.url)) for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))]
    clock = FakeClock()
    with FakeServer(clock=clock, max_requests=400) as server:
        serve_empty(server, monkeypatch)
        http = Http(mailto="ops@example.org", clock=clock, sleep=clock.sleep, policy=RetryPolicy(attempts=2))
        sent_at_each_row: list[int] = []
        with open_cache(tmp_path / "records") as cache:
            resolve_rows(rows, Settings(), cache=cache, http=http, progress=lambda n: sent_at_each_row.extend([len(server.log)] * n))
        http.close()
        total = len(server.log)
    assert len(sent_at_each_row) == 278
    assert sum(1 for sent in sent_at_each_row if sent < total) > 200

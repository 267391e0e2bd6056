"""http.py: etiquette, retries, Retry-After, per-service spacing, base URL overrides.

Against a local fake server; time is a fake clock (sleeps advance it), except where a real
client timeout must fire.
"""

from __future__ import annotations

import socket

import habanero.request
import habanero.request_class
import httpx2
import pytest

from fakeserver import FakeClock, FakeServer, Reply
from prune2bib import __version__
from prune2bib.errors import NetworkError, UsageError
from prune2bib.http import SERVICES, Http, NotFound, RetryPolicy, ServiceError, Unreachable, base_url


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def warnings():
    return []


@pytest.fixture
def make_http(clock, warnings):
    made = []

    def make(mailto="ops@example.org", **policy):
        http = Http(mailto=mailto, policy=RetryPolicy(**policy), clock=clock, sleep=clock.sleep,
                    jitter=lambda: 0.0, warn=warnings.append)  # fmt: skip
        made.append(http)
        return http

    yield make
    for http in made:
        http.close()


@pytest.fixture
def server(clock, monkeypatch):
    with FakeServer(clock=clock) as srv:
        for service in SERVICES.values():
            monkeypatch.setenv(service.env, srv.url)
        yield srv


OK = Reply(200, {"ok": True})


def test_429_with_retry_after_seconds_waits_exactly_that_long(server, make_http, clock):
    server.script("/x", Reply(429, "slow down", {"Retry-After": "7"}), OK)
    assert make_http().get_json("crossref", "/x") == {"ok": True}
    assert clock.sleeps == [7.0]
    first, second = server.log
    assert second.at - first.at == 7.0


def test_retry_after_as_http_date_is_read_against_the_servers_date(server, make_http, clock):
    headers = {"Date": "Wed, 21 Oct 2015 07:28:00 GMT", "Retry-After": "Wed, 21 Oct 2015 07:28:12 GMT"}
    server.script("/x", Reply(503, "maintenance", headers), OK)
    assert make_http().get_json("crossref", "/x") == {"ok": True}
    assert clock.sleeps == [12.0]


def test_503_then_200_succeeds_after_one_backoff(server, make_http, clock):
    server.script("/x", Reply(503, "busy"), OK)
    assert make_http(backoff_base=1.5).get_json("dblp", "/x") == {"ok": True}
    assert len(server.log) == 2
    # 1.5 s of backoff (jitter 0); DBLP's 5 s spacing then adds the remaining 3.5 s.
    assert clock.sleeps == [1.5, 3.5]


def test_backoff_grows_exponentially_with_jitter(server, clock):
    server.script("/x", Reply(500, "oops"), Reply(502, "oops"), Reply(504, "oops"), OK)
    http = Http(mailto="a@example.org", clock=clock, sleep=clock.sleep, jitter=lambda: 0.5,
                policy=RetryPolicy(backoff_base=4.0, attempts=4))  # fmt: skip
    assert http.get_json("crossref", "/x") == {"ok": True}
    assert clock.sleeps == [5.0, 10.0, 20.0]  # 4·2^k · (1 + 0.5·0.5)


def test_a_timeout_is_retried(server, make_http, clock):
    # Margins wide enough for a busy machine: the fast answer has 1 s; the slow one would take
    # 60 s, so the timeout fires whatever the load (the server drops it when the client leaves).
    server.script("/slow", Reply(200, {"late": True}, delay=60.0), Reply(200, {"late": False}))
    assert make_http(timeout=1.0).get_json("crossref", "/slow") == {"late": False}
    assert len(server.log) == 2
    assert clock.sleeps == [1.0]


@pytest.mark.parametrize("service", ["arxiv", "crossref", "dblp"])
def test_a_refused_connection_is_known_at_the_first_attempt(monkeypatch, make_http, clock, service, refused_port):
    """Nothing listens: no retries, no backoff, and the service is not asked again this run."""
    monkeypatch.setenv(SERVICES[service].env, f"http://127.0.0.1:{refused_port}")
    http = make_http(attempts=4)
    with pytest.raises(Unreachable, match=rf"{service} is unreachable: it refused the connection"):
        http.get_text(service, "/x")
    with pytest.raises(Unreachable, match="not asked again this run"):
        http.get_text(service, "/y")
    assert http.sent(service) == 1 and clock.sleeps == []
    assert http.unreachable() == {service: "it refused the connection (nothing listens there)"}
    assert http.answered() == set()


def test_a_refused_connection_through_habanero_is_known_at_once_too(monkeypatch, make_http, clock, refused_port):
    monkeypatch.setenv("PRUNE2BIB_CROSSREF_URL", f"http://127.0.0.1:{refused_port}")
    http = make_http(attempts=4)
    with pytest.raises(Unreachable), http.crossref() as cr:
        cr.works(ids="10.5555/synthetic.1")
    assert http.sent("crossref") == 1 and clock.sleeps == []


@pytest.mark.parametrize(
    ("errno_name", "why"),
    [("EHOSTUNREACH", "no route to its host"), ("ENETUNREACH", "the network is unreachable")],
)
def test_no_route_is_known_at_the_first_attempt(make_http, clock, errno_name, why):
    import errno

    import requests

    calls = []

    def send():
        calls.append(1)
        try:
            raise OSError(getattr(errno, errno_name), "unreachable")
        except OSError as cause:
            raise requests.exceptions.ConnectionError("Max retries exceeded") from cause

    http = make_http(attempts=4)
    with pytest.raises(Unreachable, match=why):
        http.call("openreview", send)
    assert len(calls) == 1 and clock.sleeps == []


class DroppingServer:
    """Accepts connections and closes them without an answer (a dropped connection: worth a retry)."""

    def __enter__(self):
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.accepted = 0
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.recv(65536)
            conn.close()

    def __exit__(self, *exc):
        self.sock.close()


def test_dropped_connections_are_retried_then_reported(monkeypatch, make_http, clock):
    with DroppingServer() as dropping:
        monkeypatch.setenv("PRUNE2BIB_CROSSREF_URL", dropping.url)
        http = make_http(attempts=3)
        with pytest.raises(NetworkError, match=r"crossref: connection failed .* after 3 attempt"):
            http.get_json("crossref", "/x")
    assert http.sent("crossref") == 3
    assert clock.sleeps == [1.0, 2.0]
    assert http.unreachable() == {}


def test_retry_budget_is_bounded_by_attempts(server, make_http):
    server.script("/x", Reply(503, "down"))
    http = make_http(attempts=4)
    with pytest.raises(NetworkError, match=r"HTTP 503 after 4 attempt"):
        http.get_json("crossref", "/x")
    assert len(server.log) == 4


def test_retry_budget_is_bounded_in_time(server, make_http, clock):
    server.script("/x", Reply(429, "come back in an hour", {"Retry-After": "3600"}))
    http = make_http()
    with pytest.raises(NetworkError, match="HTTP 429 asking to wait 3600 s, beyond the 600 s"):
        http.get_json("crossref", "/x")
    assert clock.sleeps == []  # never sleeps an hour
    assert len(server.log) == 1
    with pytest.raises(NetworkError, match="not asked again this run"):
        http.get_json("crossref", "/x")  # it said when it would answer again: not before then
    assert len(server.log) == 1


def test_backoff_budget_is_bounded_in_time(server, make_http, clock):
    server.script("/x", Reply(503, "down"))
    with pytest.raises(NetworkError, match=r"HTTP 503 after 3 attempt\(s\) and 6 s"):
        make_http(attempts=10, backoff_base=2.0, max_total_wait=7).get_json("crossref", "/x")
    assert clock.sleeps == [2.0, 4.0]  # the next backoff (8 s) would pass 7 s in all


def test_a_service_that_keeps_failing_is_left_alone(server, make_http):
    server.script("/x", Reply(503, "down"))
    http = make_http(attempts=2, failures_to_give_up=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            http.get_json("dblp", "/x")
    with pytest.raises(NetworkError, match=r"not asked again this run .*last: HTTP 503"):
        http.get_json("dblp", "/x")
    assert len(server.log) == 4  # the third call sent nothing
    server.script("/y", OK)
    assert http.get_json("crossref", "/y") == {"ok": True}  # other services are unaffected


def test_client_errors_are_not_retried(server, make_http):
    server.script("/missing", Reply(404, "Resource not found."))
    server.script("/bad", Reply(400, "bad parameter"))
    http = make_http()
    with pytest.raises(NotFound):
        http.get_json("crossref", "/missing")
    with pytest.raises(ServiceError, match="HTTP 400.*bad parameter"):
        http.get_json("crossref", "/bad")
    assert len(server.log) == 2


@pytest.mark.parametrize("service", ["arxiv", "dblp", "openreview", "openreview2"])
def test_per_service_interval_is_never_violated(server, make_http, service):
    server.route("/", lambda request: OK)
    http = make_http()
    for _ in range(6):
        http.get_text(service, "/ping")
    times = [r.at for r in server.log]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 5
    assert min(gaps) >= SERVICES[service].min_interval


def test_retries_respect_the_interval_too(server, make_http):
    server.script("/x", Reply(503, "busy"), OK)
    make_http(backoff_base=0.5).get_text("arxiv", "/x")
    first, second = server.log
    assert second.at - first.at == 3.0  # backoff 0.5 s, but arXiv wants 3 s between requests


def test_crossref_interval_adapts_to_rate_limit_headers(server, make_http):
    server.script("/fast", Reply(200, {}, {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}))
    server.script("/slow", Reply(200, {}, {"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s"}))
    http = make_http()
    assert http.interval("crossref") == pytest.approx(0.2)
    http.get_json("crossref", "/fast")
    assert http.interval("crossref") == pytest.approx(0.02)
    http.get_json("crossref", "/slow")
    http.get_json("crossref", "/slow")
    assert http.interval("crossref") == pytest.approx(0.5)
    assert server.log[2].at - server.log[1].at == pytest.approx(0.5)


def test_user_agent_names_tool_version_and_contact(server, make_http):
    server.script("/x", OK)
    make_http(mailto="ops@example.org").get_json("crossref", "/x")
    ua = server.log[0].headers["user-agent"]
    assert ua.startswith(f"prune2bib/{__version__} (")
    assert ua.endswith("mailto:ops@example.org)")


def test_user_agent_names_this_project_never_the_lists_repository(server, make_http, monkeypatch):
    from prune2bib import http as http_module

    server.script("/x", OK)
    make_http(mailto="ops@example.org").get_json("crossref", "/x")
    ua = server.log[0].headers["user-agent"]
    assert ua.startswith(f"prune2bib/{__version__}") and "Awesome-Pruning" not in ua and "he-y" not in ua
    # Once the project declares its home page ([project.urls] Homepage), the agent carries it.
    monkeypatch.setattr(http_module, "project_url", lambda: "https://prune2bib.example.org")
    assert http_module.user_agent("ops@example.org") == f"prune2bib/{__version__} (https://prune2bib.example.org; mailto:ops@example.org)"
    assert http_module.user_agent("") == f"prune2bib/{__version__} (https://prune2bib.example.org)"


def test_habanero_is_bounded_to_the_releases_whose_hooks_we_wrap():
    """Http.crossref swaps habanero.request.httpx2 and habanero.request_class.httpx2 (2.9.2's own
    module-level `httpx2.get` calls): the dependency has an upper bound and the installed release
    is inside it and still has both hooks."""
    import importlib.metadata

    from packaging.requirements import Requirement

    (requirement,) = [Requirement(r) for r in importlib.metadata.requires("prune2bib") if r.startswith("habanero")]
    assert any(spec.operator in ("<", "<=", "~=", "==") for spec in requirement.specifier), requirement
    assert requirement.specifier.contains(importlib.metadata.version("habanero"))
    assert callable(habanero.request.httpx2.get) and callable(habanero.request_class.httpx2.get)


def test_mailto_comes_from_the_environment(server, make_http, monkeypatch):
    monkeypatch.setenv("PRUNE2BIB_MAILTO", "env@example.org")
    server.script("/x", OK)
    make_http(mailto="").get_json("crossref", "/x")
    assert "mailto:env@example.org" in server.log[0].headers["user-agent"]


def test_without_contact_warns_once_and_sends_no_mailto(server, make_http, warnings):
    server.script("/x", OK)
    http = make_http(mailto="")
    assert warnings == []  # nothing sent yet, nothing to warn about
    http.get_json("crossref", "/x")
    http.get_json("crossref", "/x")
    assert len(warnings) == 1 and "PRUNE2BIB_MAILTO" in warnings[0]
    assert "mailto" not in server.log[0].headers["user-agent"]


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_each_base_url_can_be_overridden(server, make_http, service, monkeypatch):
    monkeypatch.setenv(SERVICES[service].env, server.url + f"/{service}-mirror/")
    server.script(f"/{service}-mirror/probe", Reply(200, {"service": service}))
    assert base_url(service) == server.url + f"/{service}-mirror"
    assert make_http().get_json(service, "/probe") == {"service": service}
    assert [r.path for r in server.log] == [f"/{service}-mirror/probe"]


def test_a_base_url_without_scheme_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("PRUNE2BIB_DBLP_URL", "127.0.0.1:8080")
    with pytest.raises(UsageError, match="PRUNE2BIB_DBLP_URL must be an http"):
        base_url("dblp")


def test_default_base_urls(monkeypatch):
    assert base_url("arxiv") == "https://export.arxiv.org"
    assert base_url("crossref") == "https://api.crossref.org"
    assert base_url("openreview") == "https://api.openreview.net"
    assert base_url("openreview2") == "https://api2.openreview.net"
    assert base_url("dblp") == "https://dblp.org"


def test_requests_session_overrides_callers_user_agent_and_sets_a_timeout(server, make_http):
    server.script("/x", Reply(200, "fine"))
    session = make_http().session("arxiv")
    response = session.get(server.url + "/x", headers={"user-agent": "arxiv.py/4"})
    assert response.text == "fine"
    assert server.log[0].headers["user-agent"].startswith("prune2bib/")


def test_habanero_goes_through_the_policy_and_is_restored(server, make_http, clock):
    server.script("/works/10.5555/synthetic.1", Reply(503, "busy"), Reply(200, {"status": "ok", "message": {"DOI": "10.5555/synthetic.1"}}))
    http = make_http()
    with http.crossref() as cr:
        assert cr.works(ids="10.5555/synthetic.1")["message"]["DOI"] == "10.5555/synthetic.1"
    assert len(server.log) == 2 and clock.sleeps == [1.0]
    assert server.log[0].headers["user-agent"].startswith("prune2bib/")
    assert server.log[0].headers["x-user-agent"] == server.log[0].headers["user-agent"]
    assert habanero.request.httpx2 is httpx2 and habanero.request_class.httpx2 is httpx2


def test_a_host_name_that_does_not_resolve_is_given_up_at_once_without_retries():
    """No network (DNS fails): one attempt, no waiting, and the service is not asked again."""
    import socket

    import requests

    from fakeserver import FakeClock
    from prune2bib.errors import NetworkError
    from prune2bib.http import Http, RetryPolicy

    clock = FakeClock()
    http = Http(mailto="ops@example.org", clock=clock, sleep=clock.sleep, policy=RetryPolicy(attempts=4))
    calls = []

    def send():
        calls.append(1)
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as dns:
            raise requests.exceptions.ConnectionError("Max retries exceeded") from dns

    with pytest.raises(NetworkError, match="host name does not resolve"):
        http.call("dblp", send)
    with pytest.raises(NetworkError, match="not asked again"):
        http.call("dblp", send)
    assert len(calls) == 1 and clock.sleeps == []


# ---------------------------------------------------------------- DBLP's pace, 429s and learning


def test_dblp_requests_are_at_least_five_seconds_apart(server, make_http):
    """The documented DBLP interval (http.DBLP_INTERVAL_S; users of other DBLP clients needed 5-7 s
    in 2025-26) as a number, not as SERVICES compared with itself: halving it fails here."""
    server.route("/", lambda request: OK)
    http = make_http()
    for _ in range(4):
        http.get_text("dblp", "/search/publ/api")
    times = [r.at for r in server.log]
    assert [b - a for a, b in zip(times, times[1:])] == [5.0, 5.0, 5.0]
    assert http.interval("dblp") == 5.0


def test_a_429_retry_after_is_waited_with_a_line_on_stderr(server, make_http, clock, warnings):
    server.script("/search/publ/api", Reply(429, "<html>Too Many Requests</html>", {"Retry-After": "40"}), OK)
    http = make_http()
    assert http.get_json("dblp", "/search/publ/api") == {"ok": True}
    assert clock.sleeps == [40.0]
    assert "dblp answered HTTP 429 and asked to wait 40 s (Retry-After); waiting" in warnings
    first, second = server.log
    assert second.at - first.at == 40.0


def test_retry_after_waits_add_up_to_a_longer_budget_than_backoff(server, make_http, clock):
    """Three 200 s waits (600 s) fit the Retry-After budget although the backoff budget is 90 s."""
    server.script("/x", *[Reply(429, "slow", {"Retry-After": "200"})] * 3, OK)
    assert make_http(max_total_wait=90).get_json("dblp", "/x") == {"ok": True}
    assert clock.sleeps == [200.0, 200.0, 200.0]


def test_retry_after_waits_stop_at_their_budget(server, make_http, clock):
    server.script("/x", Reply(429, "slow", {"Retry-After": "250"}))
    with pytest.raises(NetworkError, match="asking to wait 250 s, beyond the 600 s"):
        make_http(attempts=4).get_json("dblp", "/x")
    assert clock.sleeps == [250.0, 250.0]  # a third wait would pass 600 s


def test_after_a_429_the_interval_rises_to_what_the_server_asked_for_and_stays(server, make_http, warnings):
    server.script("/x", Reply(429, "slow", {"Retry-After": "12"}), OK)
    server.script("/y", OK)
    http = make_http()
    http.get_json("dblp", "/x")
    assert http.interval("dblp") == 12.0 and http.rate_limited("dblp") == 1
    assert any("dblp is rate limiting us: one request every 12 s from now on" in w for w in warnings)
    for _ in range(3):
        http.get_json("dblp", "/y")
    times = [r.at for r in server.log]
    assert [b - a for a, b in zip(times, times[1:])] == [12.0] * 4


def test_a_429_asking_for_less_than_we_wait_still_slows_us(server, make_http):
    server.script("/x", Reply(429, "slow", {"Retry-After": "1"}), OK)
    http = make_http()
    http.get_json("dblp", "/x")
    assert http.interval("dblp") == 7.5  # 1.5 x 5 s: the server's advice was already our pace


def test_a_429_without_retry_after_doubles_the_interval_and_learning_is_capped(server, make_http):
    server.script("/x", Reply(429, "slow"), OK)
    server.script("/z", Reply(429, "blocked", {"Retry-After": "500"}), OK)
    http = make_http(max_retry_after_wait=1000)
    http.get_json("dblp", "/x")
    assert http.interval("dblp") == 10.0
    http.get_json("dblp", "/z")
    assert http.interval("dblp") == 60.0  # MAX_LEARNED_INTERVAL_S: a block is waited, not kept as a pace


def test_a_learned_interval_is_not_lowered_by_rate_limit_headers(server, make_http):
    server.script("/x", Reply(429, "slow", {"Retry-After": "2"}), Reply(200, {}, {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"}))
    http = make_http()
    http.get_json("crossref", "/x")
    assert http.interval("crossref") == 2.0


class Memory:
    def __init__(self, kept=None):
        self.kept, self.saved = dict(kept or {}), []

    def learned_interval(self, service):
        return self.kept.get(service)

    def remember_interval(self, service, seconds, days):
        self.saved.append((service, seconds, days))


def test_a_learned_interval_is_remembered_and_the_next_run_starts_at_it(server, make_http):
    server.script("/x", Reply(429, "slow", {"Retry-After": "9"}), OK)
    server.script("/y", OK)
    memory = Memory()
    first = make_http()
    first.memory = memory
    first.get_json("dblp", "/x")
    assert memory.saved == [("dblp", 9.0, 7.0)]
    second = make_http()
    second.memory = Memory({"dblp": 9.0})
    second.get_json("dblp", "/y")
    second.get_json("dblp", "/y")
    assert server.log[-1].at - server.log[-2].at == 9.0
    assert second.rate_limited("dblp") == 0


def test_a_remembered_interval_never_lowers_the_default(server, make_http):
    server.script("/y", OK)
    http = make_http()
    http.memory = Memory({"dblp": 1.0})
    http.get_json("dblp", "/y")
    assert http.interval("dblp") == 5.0


def test_the_cache_keeps_a_learned_interval_for_a_while(tmp_path):
    from datetime import datetime, timedelta, timezone

    from prune2bib.cache import Cache

    now = [datetime(2026, 1, 1, tzinfo=timezone.utc)]
    cache = Cache(tmp_path, now=lambda: now[0])
    assert cache.learned_interval("dblp") is None
    cache.remember_interval("dblp", 8.0, days=7)
    assert cache.learned_interval("dblp") == 8.0 and cache.learned_interval("arxiv") is None
    now[0] += timedelta(days=6, hours=23)
    assert cache.learned_interval("dblp") == 8.0
    now[0] += timedelta(hours=2)
    assert cache.learned_interval("dblp") is None  # expired: back to the default pace
    cache.remember_interval("dblp", 8.0, days=7)
    cache.clear()
    assert cache.learned_interval("dblp") is None
    cache.close()

"""HTTP etiquette for every source: the only module that knows how to be polite to a service.

Stage: resolve (network). Every request of every resolver goes through one `Http` object:

- a User-Agent naming this tool, its version and a contact address (`--mailto` /
  `PRUNE2BIB_MAILTO`); without one we warn once and land in Crossref's public pool
  (https://api.crossref.org/swagger-ui/index.html#/ "Etiquette");
- a timeout on every request;
- a minimum interval per *service* (arXiv: one request per 3 s on one connection,
  https://info.arxiv.org/help/api/tou.html; Crossref: adapted from its `x-rate-limit-limit` /
  `x-rate-limit-interval` headers; DBLP: `DBLP_INTERVAL_S`, see there; OpenReview: conservative);
- pacing that learns: a 429 raises the service's interval to what the server asked for
  (`Retry-After`, or 1.5x the interval when it asked for no more than we already wait) and it
  stays there for the run; a `PaceMemory` (the cache's meta table) keeps it for
  `LEARNED_PACE_DAYS`, so a stricter server costs one 429, not one per request or per run;
- retries with exponential backoff and jitter on timeouts, dropped connections and 5xx, within
  `RetryPolicy.max_total_wait` per request; a 429 or 503 that says `Retry-After` (seconds or an
  HTTP date, RFC 9110 §10.2.3) is waited exactly that long, with a line on stderr, within the
  longer `RetryPolicy.max_retry_after_wait`; a service that keeps failing is then left alone for
  the rest of the run;
- a host that cannot be reached at all (its name does not resolve, it refuses the connection,
  no route to it) is known at the first attempt: no retries, no backoff, and the service is not
  asked again this run (`Unreachable`), so an export without network ends in a second or two.

The `arxiv` client (requests) gets an `EtiquetteSession`; `habanero` calls the module-level
`httpx2.get` with no session or transport hook, so `Http.crossref()` routes habanero's httpx2
calls through `Http.call` for the duration of a `with` block. Base URLs come from the
environment (`PRUNE2BIB_<SERVICE>_URL`) so a mirror or a local simulator can stand in.
Clock, sleep and jitter are injectable so tests run on a fake clock.

`requests` and `httpx2` (and the package metadata behind the User-Agent) are loaded on first
use, not at import: a warm run answers every row from the cache and never sends a request, and
these imports were a quarter of its wall time. `EtiquetteSession`, `RETRYABLE_ERRORS` and
`PROJECT_URL` stay importable from this module; they are built when first asked for.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import random
import socket
import sys
import time
from dataclasses import dataclass, field

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterator

from msgspec import Struct

from prune2bib import __version__
from prune2bib.environment import DBLP_INTERVAL_S, MAILTO_ENV, SERVICES, Service, base_url  # noqa: F401 - the HTTP layer's names
from prune2bib.errors import NetworkError, UsageError

if TYPE_CHECKING:  # imported for real on first use (see the module docstring)
    import httpx2
    import requests


@functools.cache
def project_url() -> str:
    """The tool's own home page from its package metadata ([project.urls] Homepage in pyproject),
    or '' while it declares none. Never the list's repository: its maintainers do not run this tool."""
    import importlib.metadata  # reads the installed metadata files: only when a User-Agent is built

    try:
        meta = importlib.metadata.metadata("prune2bib")
    except importlib.metadata.PackageNotFoundError:
        meta = None
    for entry in (meta.get_all("Project-URL") or []) if meta else []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return url.strip()
    return ((meta.get("Home-page") if meta else None) or "").strip()


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@functools.cache
def retryable_errors() -> tuple[type[Exception], ...]:
    """Client errors worth another try: the connection or the read failed, not the request."""
    import httpx2
    import requests

    return (
        requests.exceptions.ConnectionError,
        requests.exceptions.Timeout,
        requests.exceptions.ChunkedEncodingError,
        httpx2.TransportError,
    )


@functools.cache
def _client_errors() -> tuple[type[Exception], ...]:
    """Every error either client raises for a request (the retryable ones included)."""
    import httpx2
    import requests

    return (requests.exceptions.RequestException, httpx2.HTTPError)


# How long a learned (raised) interval is remembered across runs, and the most a 429 may raise
# an interval to: a server asking for more than a minute between requests is blocking us, not
# pacing us (its Retry-After is still waited, within `RetryPolicy.max_retry_after_wait`).
LEARNED_PACE_DAYS = 7.0
MAX_LEARNED_INTERVAL_S = 60.0


def user_agent(mailto: str) -> str:
    """'prune2bib/<version> (<its home page>; mailto:<contact>)', the parts it has."""
    contact = "; ".join(part for part in (project_url(), f"mailto:{mailto}" if mailto else "") if part)
    return f"prune2bib/{__version__} ({contact})" if contact else f"prune2bib/{__version__}"


class ServiceError(NetworkError):
    """A service answered with an error status that retrying will not fix (e.g. 400)."""

    def __init__(self, service: str, status: int, url: str, detail: str = ""):
        self.service, self.status, self.url = service, status, url
        # One line however the body looked (an HTML page, a JSON decoder's message): the report
        # and the terminal show it as a row's reason.
        detail = " ".join(detail.split())
        detail = detail if len(detail) <= 160 else detail[:157] + "..."
        # Status 0: the answer arrived but could not be read (a client library's parse error).
        said = f"sent an unreadable answer for {url}" if status == 0 else f"answered HTTP {status} for {url}"
        super().__init__(f"{service} {said}" + (f": {detail}" if detail else ""))


class NotFound(ServiceError):
    """HTTP 404: the service does not know the thing asked for. Resolvers turn it into a result."""


UNREACHABLE = "is unreachable"  # in every Unreachable message: reasons that carry it name a dead host


class Unreachable(NetworkError):
    """The service's host cannot be reached at all (DNS, refused, no route): not asked again this run."""

    def __init__(self, service: str, why: str):
        self.service = service
        super().__init__(f"{service} {UNREACHABLE}: {why}; not asked again this run")


def is_unreachable_reason(reason: str) -> bool:
    """Whether a row's reason says a service could not be reached at all (see `Unreachable`)."""
    return UNREACHABLE in reason


class HttpEvent(Struct, frozen=True):
    """What the HTTP layer is doing, for observers such as the CLI's progress line (`observe`).

    kind: 'request' (an attempt is sent), 'wait' (pacing: `seconds` until the service's
    interval allows the next one), 'retry' (waiting `seconds` before another try; `detail` says
    why: 'HTTP 429', 'timed out'), 'answer' (a response that ends the request; `detail`: status),
    'failed' (the retry budget is spent; `detail`: the last problem).
    """

    service: str
    kind: str
    seconds: float = 0.0
    detail: str = ""


_observers: list[Callable[[HttpEvent], None]] = []


@contextlib.contextmanager
def observe(observer: Callable[[HttpEvent], None]) -> Iterator[None]:
    """Call `observer(event)` for every `HttpEvent` of every `Http` during the `with` block."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


def _notify(service: str, kind: str, seconds: float = 0.0, detail: str = "") -> None:
    for observer in tuple(_observers):
        observer(HttpEvent(service, kind, seconds, detail))


class RetryPolicy(Struct):
    attempts: int = 4  # tries per request, the first included
    backoff_base: float = 1.0  # seconds before the first retry; doubles each time
    backoff_cap: float = 30.0
    max_total_wait: float = 90.0  # seconds of backoff (5xx, timeouts, dropped connections) per request
    # Seconds a request may spend waiting as servers asked (429/503 with Retry-After), in all.
    # Longer than the backoff budget: a rate-limited service answers once we have waited, and
    # giving up after 90 s lost DBLP for the whole run. A Retry-After beyond it is not waited:
    # the request fails at once and says how long the server asked for.
    max_retry_after_wait: float = 600.0
    timeout: float = 30.0  # per request (connect and read)
    failures_to_give_up: int = 2  # consecutive failed requests before a service is left alone


class PaceMemory:
    """Where learned intervals outlive a run (the cache's meta table does it; see cache.py)."""

    def learned_interval(self, service: str) -> float | None:  # pragma: no cover - an interface
        return None

    def remember_interval(self, service: str, seconds: float, days: float) -> None:  # pragma: no cover
        pass


class _ServiceState(Struct):
    interval: float
    floor: float
    last_start: float | None = None
    consecutive_failures: int = 0
    sent: int = 0
    unreachable: str = ""  # why the host cannot be reached; set at the first such failure
    last_problem: str = ""
    answered: int = 0  # HTTP responses received (any status)
    rate_limited: int = 0  # 429 answers received
    remembered: bool = False  # the pace memory was consulted


@dataclass
class Http:  # (a dataclass, not a Struct: a service object with state, which tests subclass)
    """One per run: the etiquette shared by every request of every resolver."""

    mailto: str = ""
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random  # in [0, 1)
    warn: Callable[[str], None] = lambda msg: _stderr_line(msg)

    memory: PaceMemory | None = None  # learned intervals across runs (the cache); None: this run only

    def __post_init__(self):
        self.mailto = self.mailto or os.environ.get(MAILTO_ENV, "")
        self._states = {name: _ServiceState(s.min_interval, s.floor_interval) for name, s in SERVICES.items()}
        self._warned = False
        self._sessions: dict[str, requests.Session] = {}
        self._httpx2_client: httpx2.Client | None = None

    @property
    def user_agent(self) -> str:
        return user_agent(self.mailto)

    def sent(self, service: str | None = None) -> int:
        """Requests sent so far (every attempt counts), to one service or to all."""
        if service is not None:
            return self._states[service].sent
        return sum(s.sent for s in self._states.values())

    def interval(self, service: str) -> float:
        return self._states[service].interval

    def rate_limited(self, service: str) -> int:
        """429 answers received from the service so far."""
        return self._states[service].rate_limited

    def unreachable(self) -> dict[str, str]:
        """Services whose host could not be reached this run, with why."""
        return {name: s.unreachable for name, s in self._states.items() if s.unreachable}

    def answered(self) -> set[str]:
        """Services that sent at least one HTTP response this run (whatever its status)."""
        return {name for name, s in self._states.items() if s.answered}

    # ------------------------------------------------------------------ the policy

    def call(self, service: str, send: Callable[[], Any]) -> Any:
        """Run `send()` (one HTTP request returning a requests/httpx2 response) politely.

        Returns the first response whose status is not retryable (the caller decides what a
        400 or 404 means). Raises `NetworkError` once the retry budget is spent, and at once for
        a service that already failed `failures_to_give_up` requests in a row.
        """
        state = self._states[service]
        if state.unreachable:
            raise Unreachable(service, state.unreachable)
        if state.consecutive_failures >= self.policy.failures_to_give_up:
            raise NetworkError(f"{service}: not asked again this run after repeated failures (last: {state.last_problem})")
        if SERVICES[service].wants_contact:
            self._warn_without_mailto()
        self._recall(service, state)
        waited = asked = 0.0  # seconds of backoff; seconds the server asked us to wait
        for attempt in range(1, self.policy.attempts + 1):
            self._wait_for_slot(state, service)
            response, problem, delay, server_asked = self._attempt(service, state, send, attempt)
            if response is not None:
                _notify(service, "answer", detail=str(response.status_code))
                return response
            if delay is None:  # the host cannot be reached at all: retrying will not help
                state.unreachable = problem
                _notify(service, "failed", 0.0, problem)
                raise Unreachable(service, problem)
            if attempt == self.policy.attempts:
                break
            if server_asked:
                if asked + delay > self.policy.max_retry_after_wait:
                    state.consecutive_failures = self.policy.failures_to_give_up  # it said: not before then
                    state.last_problem = f"{problem} asking to wait {delay:g} s"
                    _notify(service, "failed", waited + asked, state.last_problem)
                    raise NetworkError(
                        f"{service}: {state.last_problem}, beyond the {self.policy.max_retry_after_wait:g} s "
                        "this tool waits per request; not asked again this run (try again later)"
                    )
                self.warn(f"{service} answered {problem} and asked to wait {delay:g} s (Retry-After); waiting")
                asked += delay
            elif waited + delay > self.policy.max_total_wait:
                break
            else:
                waited += delay
            _notify(service, "retry", delay, problem)
            self.sleep(delay)
        state.consecutive_failures += 1
        state.last_problem = f"{problem} after {attempt} attempt(s) and {waited + asked:g} s of waiting"
        _notify(service, "failed", waited + asked, problem)
        raise NetworkError(f"{service}: {state.last_problem}")

    def _attempt(self, service: str, state: _ServiceState, send, attempt: int) -> tuple[Any, str, float | None, bool]:
        """(response, '', 0, False) when done; (None, what went wrong, seconds to wait, whether the
        server asked for that wait) to retry; (None, why, None, False) when the host cannot be reached."""
        try:
            response = send()
        except retryable_errors() as err:  # an except clause's tuple is built only when something is raised
            dead = _unreachable_host(err)
            if dead:
                return None, dead, None, False
            return None, _describe(err), self._backoff(attempt), False
        except _client_errors() as err:
            # Not worth retrying (a bad URL, too many redirects): one line, not a traceback.
            raise NetworkError(f"{service}: {type(err).__name__}: {err}") from err
        state.answered += 1
        self._adapt(state, response.headers)
        if _html_instead_of_data(service, response):
            # A captive portal (hotel Wi-Fi) or a maintenance page: not an answer, and often brief.
            return None, "answered with an HTML page instead of its data format", self._backoff(attempt), False
        if response.status_code not in RETRY_STATUSES:
            state.consecutive_failures = 0
            return response, "", 0.0, False
        delay = _retry_after(response.headers)
        if response.status_code == 429:
            state.rate_limited += 1
            self._learn(service, state, delay)
        if delay is None:
            return None, f"HTTP {response.status_code}", self._backoff(attempt), False
        return None, f"HTTP {response.status_code}", delay, True

    def _learn(self, service: str, state: _ServiceState, asked: float | None) -> None:
        """A 429: pace at what the server asked for from now on (1.5x when it asked for no more
        than we already wait, 2x when it said nothing), at most MAX_LEARNED_INTERVAL_S."""
        old = state.interval
        if asked is not None and asked > old:
            wanted = asked
        else:
            wanted = old * (1.5 if asked is not None else 2.0) if old > 0 else 1.0
        new = min(wanted, max(MAX_LEARNED_INTERVAL_S, old))
        if new <= old:
            return
        state.interval = state.floor = new  # rate-limit headers may not lower it again this run
        self.warn(
            f"{service} is rate limiting us: one request every {new:g} s from now on"
            + (f" (remembered for {LEARNED_PACE_DAYS:g} days)" if self.memory is not None else "")
        )
        if self.memory is not None:
            self.memory.remember_interval(service, new, LEARNED_PACE_DAYS)

    def _recall(self, service: str, state: _ServiceState) -> None:
        """Before a service's first request: an interval learned by an earlier run, if still kept."""
        if state.remembered:
            return
        state.remembered = True
        learned = self.memory.learned_interval(service) if self.memory is not None else None
        if learned is not None and learned > state.interval:
            state.interval = state.floor = min(learned, max(MAX_LEARNED_INTERVAL_S, state.interval))

    def _wait_for_slot(self, state: _ServiceState, service: str = "") -> None:
        now = self.clock()
        if state.last_start is not None and now < state.last_start + state.interval:
            _notify(service, "wait", state.last_start + state.interval - now)
            self.sleep(state.last_start + state.interval - now)
        state.last_start = self.clock()
        state.sent += 1
        _notify(service, "request")

    def _backoff(self, attempt: int) -> float:
        # Exponential, capped, with up to +50 % jitter so that clients do not retry in step.
        base = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        return base * (1 + 0.5 * self.jitter())

    def _adapt(self, state: _ServiceState, headers) -> None:
        # Crossref: "x-rate-limit-limit: 5" and "x-rate-limit-interval: 1s" -> 0.2 s apart.
        limit, window = headers.get("x-rate-limit-limit"), headers.get("x-rate-limit-interval")
        if not limit or not window:
            return
        try:
            seconds = float(window.strip().rstrip("s"))
            per_request = seconds / int(limit)
        except (ValueError, ZeroDivisionError):
            return
        state.interval = max(state.floor, per_request)

    def _warn_without_mailto(self) -> None:
        if not self.mailto and not self._warned:
            self._warned = True
            self.warn(
                f"no contact address (--mailto or {MAILTO_ENV}); services will treat us as anonymous "
                "(Crossref's public pool, lower limits)"
            )

    # ------------------------------------------------------------------ clients

    def session(self, service: str) -> requests.Session:
        """An `EtiquetteSession`: a requests session whose every request follows this policy (one per service)."""
        if service not in self._sessions:
            self._sessions[service] = etiquette_session_class()(self, service)
        return self._sessions[service]

    def get(self, service: str, path: str, params: dict | None = None) -> requests.Response:
        """GET base_url(service) + path; raises NotFound (404) or ServiceError (other 4xx)."""
        url = base_url(service) + path
        response = self.session(service).get(url, params=params)
        if response.status_code == 404:
            raise NotFound(service, 404, response.url)
        if response.status_code >= 400:
            raise ServiceError(service, response.status_code, response.url, response.text[:200].strip())
        return response

    def get_json(self, service: str, path: str, params: dict | None = None) -> Any:
        response = self.get(service, path, params)
        try:
            return response.json()
        except ValueError as err:
            raise ServiceError(service, response.status_code, response.url, "body is not JSON") from err

    def get_text(self, service: str, path: str, params: dict | None = None) -> str:
        return self.get(service, path, params).text

    @contextlib.contextmanager
    def crossref(self) -> Iterator[Any]:
        """A `habanero.Crossref` whose HTTP calls follow this policy, for the `with` block.

        habanero calls `httpx2.get` at module level (habanero.request and
        habanero.request_class), with no session to hand over; for the block's duration both
        modules see a stand-in for httpx2 whose `get` goes through `call`. Resolution is
        sequential, so swapping and restoring the module attribute is safe here.
        """
        import habanero
        import habanero.request as by_ids
        import habanero.request_class as by_query

        shim = _Httpx2ThroughHttp(self, "crossref")
        saved = by_ids.httpx2, by_query.httpx2
        by_ids.httpx2 = by_query.httpx2 = shim
        try:
            yield habanero.Crossref(
                base_url=base_url("crossref"), mailto=self.mailto or None, timeout=self.policy.timeout
            )
        finally:
            by_ids.httpx2, by_query.httpx2 = saved

    def httpx2_client(self) -> httpx2.Client:
        if self._httpx2_client is None:
            import httpx2

            self._httpx2_client = httpx2.Client(timeout=self.policy.timeout)
        return self._httpx2_client

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()
        if self._httpx2_client is not None:
            self._httpx2_client.close()
            self._httpx2_client = None


@functools.cache
def etiquette_session_class() -> type[requests.Session]:
    """`EtiquetteSession`, defined when first needed: it subclasses `requests.Session`."""
    import requests
    from requests.adapters import HTTPAdapter

    class EtiquetteSession(requests.Session):
        """A requests session for one service: our User-Agent, a timeout, one connection, `Http.call`.

        Callers such as `arxiv.Client` pass their own User-Agent per request and no timeout; both
        are overridden here, so whoever holds the session cannot bypass the policy.
        """

        def __init__(self, http: Http, service: str):
            super().__init__()
            self._http, self._service = http, service
            one_connection = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
            self.mount("https://", one_connection)
            self.mount("http://", one_connection)

        def request(self, method, url, **kwargs):
            headers = dict(kwargs.pop("headers", None) or {})
            headers = {k: v for k, v in headers.items() if k.lower() != "user-agent"}
            headers["User-Agent"] = self._http.user_agent
            kwargs["timeout"] = kwargs.get("timeout") or self._http.policy.timeout
            send = lambda: requests.Session.request(self, method, url, headers=headers, **kwargs)  # noqa: E731
            return self._http.call(self._service, send)

    EtiquetteSession.__qualname__ = "EtiquetteSession"  # reprs name it as if defined at module level
    return EtiquetteSession


class TooLarge(NetworkError):
    """A document's body is larger than the caller accepts."""


def fetch_document(url: str, *, max_bytes: int, http: Http | None = None) -> tuple[bytes, str]:
    """GET a whole document by URL (the README): its bytes and Content-Type.

    A short retry budget, since a fallback (the bundled snapshot) is usually at hand. Error
    statuses raise `ServiceError`/`NotFound`; a body over `max_bytes` raises `TooLarge` after
    reading `max_bytes + 1` bytes of it, never more (an endless body costs no more than that).
    """
    http = http or Http(policy=RetryPolicy(attempts=2, backoff_base=0.5, max_total_wait=5.0, timeout=15.0))
    response = http.session("web").get(url, stream=True)
    with contextlib.closing(response):
        if response.status_code == 404:
            raise NotFound("web", 404, url)
        if response.status_code >= 400:
            raise ServiceError("web", response.status_code, url)
        body = bytearray()
        while len(body) <= max_bytes:  # at most max_bytes + 1 bytes are read, however long the body
            chunk = response.raw.read(min(64 * 1024, max_bytes + 1 - len(body)), decode_content=True)
            if not chunk:
                return bytes(body), response.headers.get("content-type", "")
            body += chunk
        raise TooLarge(f"{url}: the body is larger than {max_bytes} bytes")


class _Httpx2ThroughHttp:
    """Looks like the httpx2 module to habanero; only `get` differs (see `Http.crossref`)."""

    def __init__(self, http: Http, service: str):
        self._http, self._service = http, service

    def __getattr__(self, name: str):
        import httpx2

        return getattr(httpx2, name)  # exception classes habanero catches, __version__, ...

    def get(self, url, *, params=None, headers=None, **_ignored):
        ua = self._http.user_agent
        headers = {k: v for k, v in (headers or {}).items() if k.lower() not in ("user-agent", "x-user-agent")}
        headers.update({"User-Agent": ua, "X-USER-AGENT": ua})
        client = self._http.httpx2_client()
        return self._http.call(self._service, lambda: client.get(url, params=params, headers=headers))


def _stderr_line(message: str) -> None:
    """'prune2bib: <message>' on its own line of stderr; on a terminal the progress line being
    drawn there is cleared first (it is drawn again on its next tick)."""
    clear = "\r\x1b[K" if sys.stderr.isatty() else ""
    print(f"{clear}prune2bib: {message}", file=sys.stderr, flush=True)


def _html_instead_of_data(service: str, response) -> bool:
    content_type = (response.headers.get("content-type") or "").lower()
    return SERVICES[service].api and 200 <= response.status_code < 300 and "text/html" in content_type


# errno of a connection that can never succeed while the network stays as it is.
_DEAD_ERRNOS = {
    errno.ECONNREFUSED: "it refused the connection (nothing listens there)",
    errno.EHOSTUNREACH: "no route to its host",
    errno.ENETUNREACH: "the network is unreachable (no network?)",
}


def _unreachable_host(err: BaseException) -> str:
    """Why the host cannot be reached at all, from the exception's chain; '' for anything else
    (a timeout or a dropped connection may pass, so those are retried). requests wraps urllib3's
    NameResolutionError / NewConnectionError (from ConnectionRefusedError) in MaxRetryError.reason;
    httpx2 chains socket.gaierror or the OSError under its ConnectError."""
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror) or type(current).__name__ == "NameResolutionError":
            return "its host name does not resolve (no network?)"
        if isinstance(current, OSError) and current.errno in _DEAD_ERRNOS:
            return _DEAD_ERRNOS[current.errno]
        todo += [e for e in (current.__cause__, current.__context__, getattr(current, "reason", None)) if isinstance(e, BaseException)]
        todo += [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
    return ""


def _describe(err: Exception) -> str:
    import httpx2
    import requests

    if isinstance(err, (requests.exceptions.Timeout, httpx2.TimeoutException)):
        return "timed out"
    return f"connection failed ({type(err).__name__})"


def _retry_after(headers) -> float | None:
    """Seconds asked for by `Retry-After`: delay-seconds, or an HTTP date (relative to `Date`)."""
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    # Relative to the server's own clock when it sends one, so skew between clocks does not count.
    now = _http_date(headers.get("date") or "") or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _http_date(text: str) -> datetime | None:
    import email.utils  # 5 ms of imports that only a Retry-After date needs

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)  # HTTP dates are GMT


_LAZY = {
    "PROJECT_URL": project_url,
    "RETRYABLE_ERRORS": retryable_errors,
    "EtiquetteSession": etiquette_session_class,
}


def __getattr__(name: str) -> Any:
    """The module attributes built on first access (PEP 562), so importing this module is cheap."""
    if name in _LAZY:
        return _LAZY[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

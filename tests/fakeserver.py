"""A local HTTP server on 127.0.0.1 standing in for a web service in tests, and a fake clock.

    with FakeServer(clock=clock) as server:
        server.script("/works/10.5555/x", Reply(503), Reply(200, body))   # in order; last repeats
        server.route("/api/query", lambda req: Reply(200, feed_for(req)))  # dynamic, by prefix
        ... point PRUNE2BIB_*_URL at server.url ...
        assert len(server.log) == 2

Every request is logged (method, path, query, headers, and the time on `clock`, so tests on a
fake clock can check the spacing of requests). The server is bounded: after `max_requests` it
answers 503 and flags `overrun`; idle for `lifetime` seconds (no connection open), it shuts
itself down, so a server a test forgets does not linger. Unknown paths get 404.
"""

from __future__ import annotations

import contextlib
import json
import select
import socket
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: str | bytes | dict | list = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # real seconds to wait before answering (to provoke client timeouts); ends early if the client leaves

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return self.body, "application/octet-stream"


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float  # on the server's clock
    raw_query: str = ""  # the query string exactly as sent

    def param(self, name: str) -> str:
        return self.query.get(name, [""])[0]


class FakeClock:
    """Monotonic time that moves only when slept on: `clock()` reads, `clock.sleep(s)` advances."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(0.0, seconds)


@contextlib.contextmanager
def refusing_port() -> Iterator[int]:
    """A loopback port that refuses connections for as long as the block runs.

    Bound but never listening: a connection gets ECONNREFUSED, as from a port nobody listens on,
    and no other process can take the port meanwhile. (A port bound and closed again to learn a
    free number can be taken by any of the servers other tests on the machine start; a test would
    then talk to them instead of being refused.)
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def wait_unless_hung_up(connection: socket.socket, seconds: float) -> bool:
    """Wait `seconds` before answering, or less if the client closes the connection meanwhile;
    True when it did (a client that timed out): there is then no one left to answer.

    A hanging answer can then be made as long as one likes (longer than any client timeout, so
    the timeout fires whatever the machine's load) and still costs only the client's timeout.
    """
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([connection], [], [], left)
        if not readable:
            return False
        try:
            if not connection.recv(1, socket.MSG_PEEK):
                return True  # end of stream: the client closed its side
        except OSError:
            return True  # reset
        time.sleep(min(left, 0.05))  # the client sent more (a pipelined request): keep waiting
    return False


class _QuietOnHangUp(ThreadingHTTPServer):
    """A client that hangs up is normal, not an error of the server.

    `socketserver` prints a traceback to `sys.stderr` for any exception of a handler thread. A
    client that closes its connection with part of an answer unread (an error status it does not
    read the body of, a timeout) makes the kernel send a reset, and the handler's wait for the
    next keep-alive request raises `ConnectionResetError`. Whether the reset comes depends on
    whether the body's segment reached the client before it closed: a race. And while the CLI runs
    in click's `CliRunner`, `sys.stderr` *is* the captured output the test reads, so the traceback
    landed in the CLI's "one-line message" now and then. Hang-ups are dropped here; any other
    handler error goes to the real stderr (never the CLI's captured output) and is kept in
    `errors` for a test to look at.
    """

    daemon_threads = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.errors: list[BaseException] = []
        self._activity = threading.Lock()
        self._open = 0  # connections being served
        self._last = time.monotonic()  # when a connection last opened or closed

    def idle_for(self) -> float:
        """Seconds since the server last had a connection open (0 while one is)."""
        with self._activity:
            return 0.0 if self._open else time.monotonic() - self._last

    def process_request(self, request, client_address) -> None:
        # No Nagle: a handler writes its status and headers, then its body, in two sends; with
        # Nagle the body waits for the ACK of the headers, which the client delays by up to 40 ms
        # (delayed ACK). Every answer then cost ~40 ms of real time: about 10 s of idle wall time
        # in a whole-list run against the simulator. Real servers send the body at once too.
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._activity:
            self._open += 1
            self._last = time.monotonic()
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:  # after the handler, or when it could not start
        with self._activity:
            self._open -= 1
            self._last = time.monotonic()
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.errors.append(error)
        print(f"test server: error while answering {client_address}:", file=sys.__stderr__)
        traceback.print_exc(file=sys.__stderr__)


class LoopbackServer:
    """The life cycle shared by the test servers: a ThreadingHTTPServer on 127.0.0.1 (never another
    address), a context manager, and a watchdog that stops it once it has been idle (no connection
    open) for `lifetime` seconds, so a forgotten server does not linger. Subclasses give
    `_handler_class()` and set `lifetime`.

    Idle time, not age: a test that takes longer than `lifetime` on a loaded machine keeps its
    server as long as it uses it (an age limit shut servers down under tests that were merely slow).
    """

    lifetime: float
    _httpd: _QuietOnHangUp | None = None
    _stopped: threading.Event | None = None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def url(self) -> str:
        assert self._httpd is not None, f"{type(self).__name__} not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self):
        self._httpd = _QuietOnHangUp(("127.0.0.1", 0), self._handler_class())
        # shutdown() waits for the serving loop to look at its flag, once per poll_interval: 0.05 s
        # cost ~35 ms per server stopped (~8 s a run, ~250 servers); 0.01 s wakes a thread 100
        # times a second, a few microseconds of CPU each.
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        self._stopped = threading.Event()
        threading.Thread(target=self._watchdog, args=(self._httpd, self._stopped), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _watchdog(self, httpd: _QuietOnHangUp, stopped: threading.Event) -> None:
        while not stopped.wait(min(1.0, self.lifetime / 4)):
            if httpd.idle_for() > self.lifetime:
                self.stop()
                return

    _stopping = threading.Lock()  # the watchdog and __exit__ may both stop the server

    def stop(self) -> None:
        with self._stopping:
            httpd, self._httpd = self._httpd, None
        if httpd is not None:
            self._stopped.set()
            httpd.shutdown()
            httpd.server_close()


class FakeServer(LoopbackServer):
    def __init__(self, *, clock: Callable[[], float] = time.monotonic, max_requests: int = 1000, lifetime: float = 60.0):
        self.clock = clock
        self.max_requests = max_requests
        self.lifetime = lifetime
        self.log: list[Logged] = []
        self.exchanges: list[tuple[Logged, Reply]] = []  # every request with the reply it got
        self.overrun = False
        self._scripts: dict[str, list[Reply]] = {}
        self._routes: dict[str, Callable[[Logged], Reply]] = {}
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- set-up

    def script(self, path: str, *replies: Reply) -> "FakeServer":
        """Answer `path` (exact) with these replies in order; the last one repeats."""
        self._scripts[path] = list(replies)
        return self

    def route(self, prefix: str, handler: Callable[[Logged], Reply]) -> "FakeServer":
        """Answer every path starting with `prefix` with `handler(request)`."""
        self._routes[prefix] = handler
        return self

    def requests_to(self, path_prefix: str) -> list[Logged]:
        return [r for r in self.log if r.path.startswith(path_prefix)]

    # ---------------------------------------------------------------- answering

    def _answer(self, request: Logged) -> Reply:
        with self._lock:
            self.log.append(request)
            if len(self.log) > self.max_requests:
                self.overrun = True
                return Reply(503, "fake server: request budget exceeded")
            replies = self._scripts.get(request.path)
            if replies:
                return replies.pop(0) if len(replies) > 1 else replies[0]
        for prefix in sorted(self._routes, key=len, reverse=True):
            if request.path.startswith(prefix):
                return self._routes[prefix](request)
        return Reply(404, f"fake server: no script for {request.path}")

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                parts = urlsplit(self.path)
                logged = Logged(
                    "GET", parts.path, parse_qs(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()}, server.clock(), parts.query,
                )  # fmt: skip
                reply = server._answer(logged)
                with server._lock:
                    server.exchanges.append((logged, reply))
                if reply.delay and wait_unless_hung_up(self.connection, reply.delay):
                    self.close_connection = True
                    return
                body, default_type = reply.encoded()
                headers = {"Content-Type": default_type, **reply.headers, "Content-Length": str(len(body))}
                try:
                    self.send_response_only(reply.status)
                    headers.setdefault("Date", self.date_time_string())
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to do

            def log_message(self, *args):  # keep test output clean
                pass

        return Handler

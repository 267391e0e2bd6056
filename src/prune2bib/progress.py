"""The progress line on stderr while rows are resolved: rows done, an estimate, who is throttling.

Stage: presentation (the CLI). Rows complete in bursts (an arXiv batch of 100 at once, then
nothing while DBLP listings are fetched at one request every few seconds), and a service that
throttles can hold everything for a minute. So the estimate is redrawn every second, not only
when a row completes, and comes from the pace of the last `WINDOW_S` seconds, idle time
included: while nothing completes the estimate grows instead of freezing, and when the pace
picks up again it falls back. The HTTP layer's events (`http.observe`) name the service being
asked, and a service that answered 429/503 with how long until it is asked again.

    resolving [########..............]  112/278  40%  eta 3m 10s  asking dblp (14 requests)
    resolving [########..............]  112/278  40%  eta 3m 40s  dblp throttling (HTTP 429): next try in 25 s
"""

from __future__ import annotations

import shutil
import threading
import time
from collections import deque
from typing import Callable, TextIO

from prune2bib.http import HttpEvent

WINDOW_S = 60.0  # the estimate follows the pace of this much recent time
THROTTLE_STATUSES = ("HTTP 429", "HTTP 503")  # "too many requests", and arXiv's way of saying it


class Progress:
    """What the line shows, on an injectable clock (tests drive it without a terminal)."""

    def __init__(self, total: int, *, clock: Callable[[], float] = time.monotonic, window: float = WINDOW_S):
        self.total, self.clock, self.window = total, clock, window
        self.done = 0
        self.start = clock()
        self._samples: deque[tuple[float, int]] = deque([(self.start, 0)])
        self._throttled: dict[str, tuple[str, float]] = {}  # service -> (why, next try at)
        self._requests: dict[str, int] = {}  # service -> requests sent
        self._asking = ""  # the service asked last
        self.lock = threading.Lock()

    # ------------------------------------------------------------------ input

    def advance(self, n: int = 1) -> None:
        with self.lock:
            self.done = min(self.total, self.done + n)
            now = self.clock()
            self._samples.append((now, self.done))
            while len(self._samples) > 2 and self._samples[1][0] <= now - self.window:
                self._samples.popleft()  # keep one sample at or before the window's start

    def on_http(self, event: HttpEvent) -> None:
        with self.lock:
            if event.kind == "request":
                self._requests[event.service] = self._requests.get(event.service, 0) + 1
                self._asking = event.service
            elif event.kind == "retry" and event.detail.startswith(THROTTLE_STATUSES):
                self._throttled[event.service] = (event.detail, self.clock() + event.seconds)
            elif event.kind in ("answer", "failed"):
                self._throttled.pop(event.service, None)

    # ------------------------------------------------------------------ output

    def eta(self) -> float | None:
        """Seconds still needed at the recent pace; None before the first row completes."""
        with self.lock:
            now = self.clock()
            remaining = self.total - self.done
            if remaining <= 0:
                return 0.0
            since, done_then = self._window_start(now)
            recent = self.done - done_then
            if recent > 0 and now > since:
                rate = recent / (now - since)
            elif self.done > 0 and now > self.start:
                rate = self.done / (now - self.start)  # nothing in the window: the whole run's pace
            else:
                return None
            return remaining / rate

    def throttling(self) -> str:
        """'dblp throttling (HTTP 429): next try in 25 s', or '' when no service throttles."""
        with self.lock:
            now = self.clock()
            parts = []
            for service, (why, next_try) in sorted(self._throttled.items()):
                wait = f": next try in {_duration(next_try - now)}" if next_try > now + 0.5 else ""
                parts.append(f"{service} throttling ({why}){wait}")
            return "; ".join(parts)

    def asking(self) -> str:
        """'asking dblp (14 requests)': the work goes on while no row completes (a DBLP
        proceedings listing takes several requests before any of its rows is done)."""
        with self.lock:
            if not self._asking or self.done >= self.total:
                return ""
            sent = self._requests[self._asking]
            return f"asking {self._asking} ({sent} {'request' if sent == 1 else 'requests'})"

    def line(self, width: int = 100) -> str:
        percent = 100 * self.done // self.total if self.total else 100
        eta = self.eta()
        text = f"{self.done}/{self.total}  {percent}%  eta {_duration(eta) if eta is not None else '--'}"
        status = self.throttling() or self.asking()
        if status:
            text += f"  {status}"
        bar_width = max(0, min(30, width - len(text) - len("resolving [] ") - 1))
        filled = bar_width * self.done // self.total if self.total else bar_width
        bar = f"[{'#' * filled}{'.' * (bar_width - filled)}] " if bar_width >= 5 else ""
        return f"resolving {bar}{text}"[: max(width - 1, 0)]

    def _window_start(self, now: float) -> tuple[float, int]:
        """(time, rows done then) at the window's start, or the run's start if more recent."""
        edge = max(self.start, now - self.window)
        done_then = 0
        for at, done in self._samples:
            if at > edge:
                break
            done_then = done
        return edge, done_then


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


class TerminalLine:
    """Draws a `Progress` on one terminal line: on every change, and every `tick` seconds from a
    background thread, so the estimate and the countdown move while a request waits.

    Other messages on the same terminal (a service's "asked to wait 30 s" line) go through
    `messages`, a stand-in for the stream that clears the progress line first and draws it
    again below the message, so neither is garbled.
    """

    def __init__(self, progress: Progress, stream: TextIO, tick: float | None = 1.0):
        self.progress, self.stream, self.tick = progress, stream, tick
        self._stop = threading.Event()
        self._draw_lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._drawn = False  # the progress line is on the screen (the cursor at its end)
        self._mid_message = False  # a message's line is written up to its end but not its newline
        self.messages = _MessagesAbove(self)

    def __enter__(self) -> "TerminalLine":
        self.draw()
        if self.tick:
            self._thread = threading.Thread(target=self._ticker, name="prune2bib-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._mid_message:  # a message left without its newline: end it, then the last line
            self.stream.write("\n")
            self._mid_message = False
        self.draw()
        self.stream.write("\n")
        self.stream.flush()

    def advance(self, n: int = 1) -> None:
        self.progress.advance(n)
        self.draw()

    def on_http(self, event: HttpEvent) -> None:
        self.progress.on_http(event)
        if event.kind in ("request", "retry", "answer", "failed"):
            self.draw()

    def draw(self) -> None:
        width = shutil.get_terminal_size((100, 24)).columns
        with self._draw_lock:
            if self._mid_message:
                # print() writes a message and its newline in two calls; a tick between them would
                # draw over the message. The line is drawn again when the newline comes.
                return
            self.stream.write("\r" + self.progress.line(width).ljust(width - 1))
            self.stream.flush()
            self._drawn = True

    def write_message(self, text: str) -> None:
        with self._draw_lock:
            if self._drawn:
                self.stream.write(CLEAR_LINE)
                self._drawn = False
            self.stream.write(text)
            self._mid_message = not text.endswith("\n")
            if not self._mid_message:
                self.draw()
            else:
                self.stream.flush()

    def _ticker(self) -> None:
        while not self._stop.wait(self.tick):
            self.draw()


CLEAR_LINE = "\r\x1b[K"  # to the line's start, erase to its end (ANSI, every terminal since the VT100)


class _MessagesAbove:
    """A text stream whose writes appear above the progress line (see `TerminalLine`)."""

    def __init__(self, line: TerminalLine):
        self._line = line

    def write(self, text: str) -> int:
        if text:
            self._line.write_message(text)
        return len(text)

    def flush(self) -> None:
        self._line.stream.flush()

    def __getattr__(self, name: str):
        return getattr(self._line.stream, name)  # isatty, encoding, fileno, ...

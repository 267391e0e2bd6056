"""One local HTTP server that plays arXiv, Crossref, OpenReview v1/v2 and DBLP from a data set.

    sim = Simulator(dataset, faults={"dblp": Faults(rate=1, window=2.0, retry_after=2)})
    with sim:
        env = sim.env()          # PRUNE2BIB_*_URL -> http://127.0.0.1:<port>/<host>
        ... run prune2bib with env ...
    sim.requests("arxiv"), sim.asked("arxiv")

Each service lives under its own path prefix (`/arxiv/api/query`, `/crossref/works`,
`/openreview/notes`, `/openreview2/notes`, `/dblp/search/publ/api`, `/web/<doc>`), so one port
serves all of them and the client reaches each through its `PRUNE2BIB_<SERVICE>_URL` override.

Faults are configured per host (`Faults`): latency, a rate limit (429 with `Retry-After`; DBLP's
429 is an HTML page, OpenReview's JSON with `resetTime`), a burst of 5xx, hanging requests (the
client's timeout fires), truncated or malformed bodies, an HTML page with the wrong content
type, or valid but empty results. Every exchange is logged with the records it asked for.

Bounded: binds 127.0.0.1 only; after `max_requests` it answers 503 and sets `overrun`; idle for
`lifetime` seconds (no connection open), it shuts itself down.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from fakeserver import LoopbackServer, wait_unless_hung_up
from simulator import formats
from simulator.dataset import Dataset, Paper, words
from simulator.proceedings import RealSizeProceedings

HOSTS = ("arxiv", "crossref", "openreview", "openreview2", "dblp", "web")
ENV = {"arxiv": "PRUNE2BIB_ARXIV_URL", "crossref": "PRUNE2BIB_CROSSREF_URL", "openreview": "PRUNE2BIB_OPENREVIEW_URL",
       "openreview2": "PRUNE2BIB_OPENREVIEW2_URL", "dblp": "PRUNE2BIB_DBLP_URL", "web": "PRUNE2BIB_WEB_URL"}  # fmt: skip
BODY_FAULTS = ("", "truncated", "malformed", "html", "empty")
# Which API holds a venue-year (openreview-py docs): v1 until ICLR 2023 / NeurIPS 2022.
V1_LAST_YEAR = {"ICLR": 2023, "NeurIPS": 2022}


@dataclass
class Faults:
    latency: tuple[float, float] = (0.0, 0.0)  # seconds, uniform in [lo, hi], real time
    rate: int = 0  # requests allowed per `window` seconds (on the simulator's clock); 0: no limit
    window: float = 1.0
    retry_after: int = 1  # seconds, sent with every 429
    throttled: int = 0  # the first `throttled` requests get 429 whatever the rate
    errors: int = 0  # the first `errors` requests get `error_status` (a 5xx burst)
    error_status: int = 503
    hangs: int = 0  # the first `hangs` requests are answered only after `hang` seconds (or never, if the client leaves first)
    hang: float = 3.0
    body: str = ""  # one of BODY_FAULTS
    body_requests: int | None = None  # how many requests get the body fault (None: every one)
    listing_size: int = 0  # DBLP: pad each venue-year listing with filler papers up to this size


@dataclass(frozen=True)
class Exchange:
    host: str
    path: str  # below the host prefix
    query: dict[str, list[str]]
    status: int
    at: float  # simulator clock when the request arrived
    asked: tuple[str, ...]  # records the request asked for ('arxiv:1608.08710', 'doi:…', …)
    fault: str = ""  # the fault applied, '' for a normal answer


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    asked: tuple[str, ...] = ()


class Simulator(LoopbackServer):
    def __init__(
        self,
        dataset: Dataset,
        *,
        faults: dict[str, Faults] | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_requests: int = 5000,
        lifetime: float = 120.0,
        seed: int = 6,
        documents: dict[str, tuple[bytes, str]] | None = None,
        proceedings: RealSizeProceedings | None = None,
    ):
        self.dataset = dataset
        self.proceedings = proceedings  # real-size DBLP listings (simulator/proceedings.py), or the data set's papers only
        self.faults = {h: (faults or {}).get(h, Faults()) for h in HOSTS}
        self.clock, self.max_requests, self.lifetime = clock, max_requests, lifetime
        self.documents = documents or {}  # /web/<name> -> (body, content type)
        self.log: list[Exchange] = []
        self.overrun = False
        self._seen = {h: 0 for h in HOSTS}
        self._recent = {h: deque() for h in HOSTS}
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def _handler_class(self):
        return _handler(self)

    def env(self) -> dict[str, str]:
        """The environment that points prune2bib at this simulator (and nowhere else)."""
        urls = {var: f"{self.url}/{host}" for host, var in ENV.items()}
        urls["PRUNE2BIB_README_URL"] = f"{self.url}/web/README.md"
        return urls

    # ---------------------------------------------------------------- reading the log

    def requests(self, host: str | None = None) -> list[Exchange]:
        with self._lock:
            return [e for e in self.log if host is None or e.host == host]

    def counts(self) -> dict[str, int]:
        with self._lock:
            return {h: sum(1 for e in self.log if e.host == h) for h in HOSTS}

    def asked(self, host: str | None = None) -> list[str]:
        return [key for e in self.requests(host) for key in e.asked]

    def set_faults(self, host: str, faults: Faults) -> None:
        with self._lock:
            self.faults[host] = faults
            self._seen[host] = 0
            self._recent[host].clear()

    # ---------------------------------------------------------------- answering

    def answer(self, host: str, path: str, query: dict[str, list[str]]) -> tuple[Answer, float]:
        """The reply to one request, and how long to wait (real seconds) before sending it."""
        now = self.clock()
        with self._lock:
            faults = self.faults[host]
            index = self._seen[host]
            self._seen[host] += 1
            fault, early = self._early_fault(host, faults, index, now)
            delay = self._random.uniform(*faults.latency) if faults.latency[1] > 0 else 0.0
        if early is None:
            body_fault = faults.body if faults.body_requests is None or index < faults.body_requests else ""
            answer = self._serve(host, path, query, empty=body_fault == "empty", faults=faults)
            if body_fault and answer.status == 200:
                answer, fault = _spoil(answer, body_fault), body_fault
        else:
            answer = early
            answer.asked = self._serve(host, path, query, empty=True, faults=faults).asked
        if fault == "hang":
            delay += faults.hang
        with self._lock:
            self.log.append(Exchange(host, path, query, answer.status, now, answer.asked, fault))
        return answer, delay

    def _early_fault(self, host: str, faults: Faults, index: int, now: float) -> tuple[str, Answer | None]:
        if len(self.log) >= self.max_requests:
            self.overrun = True
            return "overrun", Answer(503, b"simulator: request budget exceeded", formats.TEXT)
        if index < faults.throttled:
            return "rate-limit", _rate_limited(host, faults.retry_after)
        if faults.rate:
            recent = self._recent[host]
            while recent and recent[0] <= now - faults.window:
                recent.popleft()
            if len(recent) >= faults.rate:
                return "rate-limit", _rate_limited(host, faults.retry_after)
            recent.append(now)
        if index < faults.errors:
            return f"http-{faults.error_status}", Answer(faults.error_status, b"Service Unavailable", formats.TEXT)
        if index < faults.hangs:
            return "hang", None
        return "", None

    def _serve(self, host: str, path: str, query: dict, *, empty: bool, faults: Faults) -> Answer:
        if host == "arxiv" and path == "/api/query":
            return self._arxiv(query, empty)
        if host == "crossref" and path.startswith("/works"):
            return self._crossref(path, query, empty)
        if host in ("openreview", "openreview2") and path == "/notes":
            return self._openreview("v1" if host == "openreview" else "v2", query, empty)
        if host == "dblp" and path == "/search/publ/api":
            return self._dblp(query, empty, faults.listing_size)
        if host == "web" and path.lstrip("/") in self.documents:
            body, content_type = self.documents[path.lstrip("/")]
            return Answer(200, body, content_type)
        return Answer(404, b"Not Found", formats.TEXT)

    # ---------------------------------------------------------------- the services

    def _arxiv(self, query: dict, empty: bool) -> Answer:
        ids = [i for i in _param(query, "id_list").split(",") if i]
        asked = tuple(f"arxiv:{i}" for i in ids)
        bad = [i for i in ids if not _ARXIV_ID(i)]
        if bad:  # one malformed id fails the whole batch, as on arXiv
            return Answer(400, formats.arxiv_error_feed(bad[0]).encode(), formats.ATOM, asked=asked)
        entries = []
        for asked_id in ids:
            bare, _, version = asked_id.partition("v") if "." in asked_id else (asked_id, "", "")
            paper = None if empty else self.dataset.by_arxiv.get(bare)
            if paper is not None and (not version or int(version) <= paper.arxiv_version):
                entries.append(formats.arxiv_entry(paper, int(version or paper.arxiv_version)))
        entries.reverse()  # arXiv promises no order
        start, size = int(_param(query, "start") or 0), int(_param(query, "max_results") or 10)
        feed = formats.arxiv_feed(entries[start : start + size], len(entries), start, _param(query, "id_list"))
        return Answer(200, feed.encode(), formats.ATOM, asked=asked)

    def _crossref(self, path: str, query: dict, empty: bool) -> Answer:
        limits = {"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s", "x-api-pool": "polite"}
        if path.startswith("/works/"):
            doi = unquote(path[len("/works/") :]).lower()
            paper = None if empty else self.dataset.by_doi.get(doi)
            if paper is None:
                return Answer(404, formats.CROSSREF_NOT_FOUND.encode(), formats.TEXT, limits, (f"doi:{doi}",))
            body = formats.crossref_envelope("work", formats.crossref_work(paper))
            return Answer(200, formats.dumps(body), formats.JSON, limits, (f"doi:{doi}",))
        title = _param(query, "query.bibliographic")
        years = _year_range(_param(query, "filter"))
        hits = [] if empty else [p for p in self.dataset.search_title(words(title)) if years[0] <= p.year <= years[1]]
        if hits:  # a plausible runner-up the client's match guard has to turn down
            hits.append(self.dataset.papers[(hits[0].n) % len(self.dataset.papers)])
        items = [formats.crossref_work(p, 60.0 - i) for i, p in enumerate(hits[: int(_param(query, "rows") or 20)])]
        return Answer(200, formats.dumps(formats.crossref_list(items, title)), formats.JSON, limits,
                      (f"crossref:title:{words(title)}",))  # fmt: skip

    def _openreview(self, api: str, query: dict, empty: bool) -> Answer:
        ids = [i for key in ("ids", "id", "forum") for i in _param(query, key).split(",") if i]
        notes = []
        for forum in ids:
            paper = None if empty else self.dataset.by_forum.get(forum)
            if paper is not None and _openreview_api(paper) == api:
                notes.append(formats.openreview_note(paper, api))
        return Answer(200, formats.dumps(formats.openreview_notes(notes)), formats.JSON,
                      asked=tuple(f"openreview:{i}" for i in ids))  # fmt: skip

    def _dblp(self, query: dict, empty: bool, listing_size: int) -> Answer:
        q = _param(query, "q")
        hits_wanted, first = min(int(_param(query, "h") or 30), 1000), int(_param(query, "f") or 0)
        if q.startswith("toc:"):
            key = q[len("toc:") :].rstrip(":")
            infos = [] if empty else self._listing(key, listing_size)
            asked = (f"dblp:toc:{key}",)
        else:
            title, venue, year = _dblp_terms(q)
            papers = [] if empty else [p for p in self.dataset.search_title(title)
                                       if (not venue or p.venue.lower() == venue.lower()) and (not year or p.year == year)]  # fmt: skip
            infos = [x for p in papers for x in (formats.dblp_info(p), formats.dblp_corr_copy(p))]
            asked = (f"dblp:title:{title}",)
        page = infos[first : first + hits_wanted]
        return Answer(200, formats.dumps(formats.dblp_result(q, page, len(infos), first)), formats.JSON, asked=asked)

    def _listing(self, key: str, size: int) -> list[dict]:
        papers = self.dataset.by_toc.get(key, [])
        if self.proceedings is not None and self.proceedings.knows(key):
            venue, year = self.proceedings.venue_year(key)
            own = [formats.dblp_info(p) for p in papers]
            return [formats.dblp_front_matter(key, venue, year), *own, *self.proceedings.others(key, papers)]
        venue, year = (papers[0].venue, papers[0].year) if papers else _toc_venue_year(key)
        if venue is None:
            return []
        infos = [formats.dblp_front_matter(key, venue, year)] + [formats.dblp_info(p) for p in papers]
        infos += [formats.dblp_filler(key, venue, year, k) for k in range(1, max(0, size - len(infos)) + 1)]
        return infos


# -------------------------------------------------------------------- helpers


def _param(query: dict, name: str) -> str:
    return query.get(name, [""])[0]


def _ARXIV_ID(text: str) -> bool:  # noqa: N802
    import re

    return bool(re.fullmatch(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Za-z-]+)?/\d{7})(v\d+)?", text))


def _year_range(filter_text: str) -> tuple[int, int]:
    lo, hi = 0, 9999
    for part in filter_text.split(","):
        name, _, value = part.partition(":")
        if name == "from-pub-date" and value[:4].isdigit():
            lo = int(value[:4])
        if name == "until-pub-date" and value[:4].isdigit():
            hi = int(value[:4])
    return lo, hi


def _dblp_terms(q: str) -> tuple[str, str, int]:
    """Title words, `venue:X:` and `year:Y:` of a DBLP query."""
    venue, year, rest = "", 0, []
    for token in q.split():
        if token.startswith("venue:"):
            venue = token[len("venue:") :].rstrip(":")
        elif token.startswith("year:") and token[5:9].isdigit():
            year = int(token[5:9])
        else:
            rest.append(token)
    return words(" ".join(rest)), venue, year


def _toc_venue_year(key: str) -> tuple[str | None, int]:
    import re

    from simulator.dataset import DBLP_CONF

    found = re.fullmatch(r"db/conf/(\w+)/[a-z]+(\d{4})(?:-\d+)?\.bht", key)
    if not found:
        return None, 0
    by_conf = {conf: venue for venue, conf in DBLP_CONF.items()}
    return by_conf.get(found.group(1)), int(found.group(2))


def _openreview_api(paper: Paper) -> str:
    return "v1" if paper.year <= V1_LAST_YEAR.get(paper.venue, 0) else "v2"


def _rate_limited(host: str, seconds: int) -> Answer:
    headers = {"Retry-After": str(seconds)}
    if host == "dblp":
        return Answer(429, formats.DBLP_429_PAGE.encode(), formats.HTML, headers)
    if host in ("openreview", "openreview2"):
        return Answer(429, formats.dumps(formats.openreview_rate_limited(seconds)), formats.JSON, headers)
    return Answer(429, b"Rate exceeded.", formats.TEXT, headers)


def _spoil(answer: Answer, fault: str) -> Answer:
    if fault == "truncated":  # cut mid-document; Content-Length matches, so only the content is broken
        return Answer(200, answer.body[: max(1, len(answer.body) // 2)], answer.content_type, answer.headers, answer.asked)
    if fault == "malformed":
        junk = b'{"status": ok, "message": <<<\x00\xff\xfe garbage' if "json" in answer.content_type else b"<?xml version='1.0'?><feed><entry><title>unclosed</feed>\x00\xff"
        return Answer(200, junk, answer.content_type, answer.headers, answer.asked)
    if fault == "html":
        return Answer(200, formats.MAINTENANCE_PAGE.encode(), formats.HTML, {}, answer.asked)
    return answer  # "empty" was served empty already


def _handler(sim: Simulator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            host, _, rest = parts.path.lstrip("/").partition("/")
            query = parse_qs(parts.query, keep_blank_values=True)
            if host not in HOSTS:
                answer, delay = Answer(404, b"simulator: unknown service", formats.TEXT), 0.0
            else:
                answer, delay = sim.answer(host, "/" + rest, query)
            if delay and wait_unless_hung_up(self.connection, delay):
                self.close_connection = True
                return  # the client gave up waiting (a hang fault): nobody to answer
            try:
                self.send_response_only(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.send_header("Date", self.date_time_string())
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and left

        def log_message(self, *args):
            pass

    return Handler

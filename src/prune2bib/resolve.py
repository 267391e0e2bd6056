"""Resolve rows to source records: cache first, then the source that the row's link calls for.

Stage: resolve (cache ▸ sources). `resolve_rows` returns one `Outcome` per row, in input order:

    status      resolved | cached | unresolved | cache-miss | skipped
    source      'arxiv', 'crossref' or ''
    record      the record as the source gave it (merge.py combines it with the README's)
    reason      one line when the row is not resolved

Routing (`ROUTES`, keyed by `Identifier.kind`; add a `Route` to support a new source):

    arxiv                    -> arXiv, batched; the record's title must match the row's
    doi                      -> Crossref /works/{doi}; likewise
    cvf, ijcai, aaai, url    -> Crossref bibliographic query; a candidate is taken only if
                                match.is_same_paper accepts it (title, venue, year)
    anything else            -> skipped, with the reason

`--offline` (Settings.offline) reads the cache only and sends nothing; `--refresh` ignores it.
Found and not-found results are cached as they arrive, one commit each; a failed request
(network, retry budget spent) is not cached, so the next run asks again, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Callable, Iterator

from prune2bib import cache as cache_module
from prune2bib.errors import NetworkError, UsageError
from prune2bib.http import Http, RetryPolicy
from prune2bib.identify import Identifier
from prune2bib.match import is_same_paper, normalize_title, same_title
from prune2bib.readme import Entry
from prune2bib.record import Provenance, Record
from prune2bib.resolvers import FAILED, FOUND, Lookup
from prune2bib.resolvers import arxiv as arxiv_source
from prune2bib.resolvers import crossref as crossref_source

RESOLVED, CACHED, UNRESOLVED, CACHE_MISS, SKIPPED = "resolved", "cached", "unresolved", "cache-miss", "skipped"
STATUSES = (RESOLVED, CACHED, UNRESOLVED, CACHE_MISS, SKIPPED)
PREPRINT_VENUES = ("", "arxiv", "corr")  # a row naming one of these is a preprint row


@dataclass(frozen=True)
class Settings:
    offline: bool = False  # cache only; no request at all
    refresh: bool = False  # ignore the cache (results are still written to it)
    mailto: str = ""  # contact for the User-Agent; '' -> PRUNE2BIB_MAILTO -> none (warned once)
    preprint_max_age_days: float | None = None  # None -> PRUNE2BIB_PREPRINT_MAX_AGE_DAYS or 30
    timeout: float = 30.0  # seconds per request
    crossref_rows: int = crossref_source.QUERY_ROWS  # candidates asked for per title query
    arxiv_batch_size: int = arxiv_source.MAX_BATCH


@dataclass(frozen=True)
class Outcome:
    status: str  # one of STATUSES
    source: str = ""
    record: Record | None = None
    reason: str = ""
    provenance: Provenance = field(default_factory=Provenance)
    requests: int = 0  # HTTP requests made for this row (a batch's request counts on one row)
    title_mismatch: bool = False  # the row's link points to a paper with another title
    key: str = ""  # the cache key ('arxiv:1608.08710', 'doi:10.…', 'crossref-query:…')


Row = tuple[Entry, Identifier]
Fetch = Callable[[list[Row], Http, Settings], Iterator[tuple[str, Lookup]]]


@dataclass(frozen=True)
class Route:
    source: str
    key: Callable[[Entry, Identifier], str]
    fetch: Fetch  # yields (key, Lookup) for distinct keys, as results arrive
    by_link: bool  # the link names the record: only its title is checked against the row's


def resolve_rows(
    rows: list[Row],
    settings: Settings | None = None,
    *,
    cache: cache_module.Cache | None = None,
    progress: Callable[[int], None] | None = None,
    http: Http | None = None,
) -> list[Outcome]:
    """One Outcome per row, in the order of `rows`. `progress(n)` is called as n rows complete.

    `cache` defaults to the user's cache (`cache.open_cache()`), `http` to a fresh `Http` with
    the settings' mailto and timeout; both are closed again if opened here.
    """
    settings = settings or Settings()
    if settings.offline and settings.refresh:
        raise UsageError("--offline and --refresh cannot be used together")
    own_cache, own_http = cache is None, http is None
    cache = cache if cache is not None else cache_module.open_cache()
    http = http if http is not None else Http(mailto=settings.mailto, policy=RetryPolicy(timeout=settings.timeout))
    try:
        return _Run(rows, settings, cache, http, progress or (lambda n: None)).outcomes()
    finally:
        if own_http:
            http.close()
        if own_cache:
            cache.close()


class _Run:
    def __init__(self, rows, settings, cache, http, progress):
        self.rows, self.settings, self.cache, self.http, self.progress = rows, settings, cache, http, progress
        self.results: list[Outcome | None] = [None] * len(rows)

    def outcomes(self) -> list[Outcome]:
        pending: dict[str, dict[str, list[int]]] = {}  # kind -> key -> row indices
        for i, (entry, ident) in enumerate(self.rows):
            route = ROUTES.get(ident.kind)
            if route is None:
                self._done([i], Outcome(SKIPPED, reason=f"no resolver for {ident.kind} links yet"))
                continue
            key = route.key(entry, ident)
            if not self._from_cache(i, route, key):
                pending.setdefault(ident.kind, {}).setdefault(key, []).append(i)
        for kind in sorted(pending, key=list(ROUTES).index):  # deterministic order
            self._fetch(ROUTES[kind], pending[kind])
        return [o for o in self.results if o is not None]

    def _from_cache(self, i: int, route: Route, key: str) -> bool:
        if self.settings.refresh:
            return False
        hit = self.cache.get(key, max_age_days=self.settings.preprint_max_age_days)
        if hit is not None and (not hit.stale or self.settings.offline):
            self._done([i], self._judge(i, route, key, hit.status, hit.record, hit.reason, hit.fetched, 0, CACHED))
            return True
        if self.settings.offline:
            self._done([i], Outcome(CACHE_MISS, route.source, reason="not in the cache (offline)", key=key))
            return True
        return False

    def _fetch(self, route: Route, by_key: dict[str, list[int]]) -> None:
        representatives = [self.rows[indices[0]] for indices in by_key.values()]
        for key, lookup in route.fetch(representatives, self.http, self.settings):
            fetched = ""
            if lookup.status == FOUND and lookup.record is not None:
                fetched = self.cache.put_found(key, route.source, lookup.record).fetched
            elif lookup.status != FAILED:
                fetched = self.cache.put_not_found(key, route.source, lookup.reason).fetched
            indices = by_key[key]
            for n, i in enumerate(indices):
                spent = lookup.requests if n == 0 else 0
                outcome = self._judge(i, route, key, lookup.status, lookup.record, lookup.reason, fetched, spent, RESOLVED)
                self._done([i], outcome)

    def _judge(self, i, route, key, status, record, reason, fetched, requests, ok_status) -> Outcome:
        entry, _ = self.rows[i]
        if status != FOUND or record is None:
            return Outcome(UNRESOLVED, route.source, None, reason, requests=requests, key=key)
        if route.by_link and not same_title(entry.title, record.title):
            mismatch = f'title mismatch: link points to "{record.title}"'
            return Outcome(UNRESOLVED, route.source, None, mismatch, requests=requests, title_mismatch=True, key=key)
        return Outcome(ok_status, route.source, record, "", provenance(record, route.source, fetched), requests, key=key)

    def _done(self, indices: list[int], outcome: Outcome) -> None:
        for i in indices:
            self.results[i] = outcome
        self.progress(len(indices))


def provenance(record: Record, source: str, fetched: str) -> Provenance:
    known = tuple((f.name, source) for f in fields(Record) if getattr(record, f.name) not in ("", (), None))
    return Provenance(fields=known, fetched=fetched)


# ---------------------------------------------------------------------- routes


def _fetch_arxiv(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    for arxiv_id, lookup in arxiv_source.resolve_ids([ident.value for _, ident in rows], http, batch_size=settings.arxiv_batch_size):
        yield f"arxiv:{arxiv_id}", lookup


def _fetch_dois(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    for _, ident in rows:
        yield f"doi:{ident.value.lower()}", crossref_source.resolve_doi(ident.value, http)


def _query_key(entry: Entry, ident: Identifier) -> str:
    return f"crossref-query:{normalize_title(entry.title)}|{entry.year}|{entry.venue.strip().lower()}"


def _fetch_by_query(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    for entry, ident in rows:
        yield _query_key(entry, ident), _best_candidate(entry, http, settings)


def _best_candidate(entry: Entry, http: Http, settings: Settings) -> Lookup:
    """The first candidate the match guard accepts; else the most telling rejection."""
    before = http.sent("crossref")
    try:
        candidates = crossref_source.search_bibliographic(entry.title, entry.year, http, rows=settings.crossref_rows)
    except NetworkError as err:
        return Lookup.failed(str(err), http.sent("crossref") - before)
    spent = http.sent("crossref") - before
    preprint = entry.venue.strip().lower() in PREPRINT_VENUES
    verdicts = [(c, *is_same_paper(entry.title, entry.venue, entry.year, c, preprint=preprint)) for c in candidates]
    for candidate, accepted, _ in verdicts:
        if accepted:
            return Lookup.found(candidate, spent)
    if not verdicts:
        return Lookup.not_found("not found on Crossref (no candidate for the title)", spent)
    # A candidate with the right title but the wrong year or venue says more than a title miss.
    same_titled = [reason for c, _, reason in verdicts if same_title(entry.title, c.title)]
    return Lookup.not_found(f"candidate rejected: {(same_titled or [verdicts[0][2]])[0]}", spent)


ARXIV = Route("arxiv", lambda e, i: f"arxiv:{i.value}", _fetch_arxiv, by_link=True)
DOI = Route("crossref", lambda e, i: f"doi:{i.value.lower()}", _fetch_dois, by_link=True)
CROSSREF_QUERY = Route("crossref", _query_key, _fetch_by_query, by_link=False)

ROUTES: dict[str, Route] = {
    "arxiv": ARXIV,
    "doi": DOI,
    "cvf": CROSSREF_QUERY,
    "ijcai": CROSSREF_QUERY,
    "aaai": CROSSREF_QUERY,
    "url": CROSSREF_QUERY,
}

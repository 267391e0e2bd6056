"""Resolve rows to source records: cache first, then the sources that the row's link calls for.

Stage: resolve (cache ▸ sources). `resolve_rows` returns one `Outcome` per row, in input order:

    status      resolved | cached | unresolved | cache-miss | skipped
    source      the source of the entry's record: 'dblp', 'crossref', 'openreview', 'arxiv' or ''
    record      every source's record combined (merge.combine): the published version when one
                was found, with the arXiv identity (eprint fields) kept
    records     each source's own record, (source, record), the entry's first: pipeline.py merges
                them with the README's record (`--prefer published|preprint`)
    provenance  which source gave which field of `record`
    reason      one line when the row is not (fully) resolved: not found, withdrawn, or why a
                published candidate was not taken ("not upgraded: DBLP has this title at …")

Two steps. First the row's own link (`ROUTES`, keyed by `Identifier.kind`):

    arxiv        -> arXiv, batched; the record's title must match the row's
    doi          -> Crossref /works/{doi}; likewise (the published record itself)
    openreview   -> OpenReview, batched over all venue-years (API v1 first for ICLR <= 2023 and
                    NeurIPS <= 2022, v2 otherwise, the other API for misses); withdrawn and
                    rejected submissions are reported, never exported as accepted papers

Then the published version of the venue the row names (`published.py`: DBLP listing per
venue-year or title search, Crossref to fill DOI and pages) for every row of a conference that
is not a DOI row: arXiv rows, venue pages (cvf, pmlr, neurips, ijcai, aaai), the PDF links, and
OpenReview rows of venues whose DBLP records add pages (not ICLR: its OpenReview record is the
published paper). A row whose link points to another paper is flagged (`title_mismatch`, the
reason names the linked paper) and resolved by its own title instead.

`--offline` (Settings.offline) reads the cache only and sends nothing; `--refresh` ignores it.
Found and not-found results are cached as they arrive, one commit each; a failed request
(network, retry budget spent) is not cached, so the next run asks again, and the run goes on.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from msgspec import Struct, field
from msgspec.structs import replace

from prune2bib import cache as cache_module
from prune2bib import merge, published, venues
from prune2bib.errors import NetworkError, UsageError
from prune2bib.http import UNREACHABLE, Http, NotFound, RetryPolicy, base_url
from prune2bib.identify import Identifier
from prune2bib.match import same_title
from prune2bib.readme import Entry
from prune2bib.record import Provenance, Record
from prune2bib.resolve_settings import Settings
from prune2bib.resolvers import FAILED, FOUND, Lookup
from prune2bib.resolvers import arxiv as arxiv_source
from prune2bib.resolvers import crossref as crossref_source
from prune2bib.resolvers import openreview as openreview_source

RESOLVED, CACHED, UNRESOLVED, CACHE_MISS, SKIPPED = "resolved", "cached", "unresolved", "cache-miss", "skipped"
STATUSES = (RESOLVED, CACHED, UNRESOLVED, CACHE_MISS, SKIPPED)


class Outcome(Struct, frozen=True):
    status: str  # one of STATUSES
    source: str = ""
    record: Record | None = None
    reason: str = ""
    provenance: Provenance = field(default_factory=Provenance)
    requests: int = 0  # HTTP requests made for this row (a batch's request counts on one row)
    title_mismatch: bool = False  # the row's link points to a paper with another title
    key: str = ""  # the cache key of the link's record ('arxiv:1608.08710', 'doi:10.…', 'openreview:…')
    records: tuple[tuple[str, Record], ...] = ()  # each source's record, the entry's first
    refused: bool = False  # OpenReview: withdrawn or rejected, never to be exported as accepted


Row = tuple[Entry, Identifier]
Fetch = Callable[[list[Row], Http, Settings], Iterator[tuple[str, Lookup]]]


class Route(Struct, frozen=True):
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
    if http.memory is None:
        http.memory = cache  # paces learned from 429s outlive the run (cache.remember_interval)
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
        self.primary: list[Outcome | None] = [None] * len(rows)  # what the row's own link gave
        self.results: list[Outcome | None] = [None] * len(rows)

    def outcomes(self) -> list[Outcome]:
        pending: dict[str, dict[str, list[int]]] = {}  # kind -> key -> row indices
        for i, (entry, ident) in enumerate(self.rows):
            route = self._route(i)
            if route is None:
                continue  # no link route: the published-version step alone resolves the row
            key = route.key(entry, ident)
            if not self._from_cache(i, route, key):
                pending.setdefault(ident.kind, {}).setdefault(key, []).append(i)
        for kind in sorted(pending, key=lambda k: (list(ROUTES).index(k) if k in ROUTES else len(ROUTES), k)):
            self._fetch(ROUTES.get(kind, CROSSREF_QUERY), pending[kind])  # deterministic order
        for i in range(len(self.rows)):
            self._settle(i)  # rows without a link route, and cached rows that need nothing more
        wants = [published.Want(i, e, ident) for i, (e, ident) in enumerate(self.rows) if self.results[i] is None]
        stage = published.Stage(self.cache, self.http, self._published_options())
        stage.resolve(wants, done=lambda i, found: self._done(i, self._final(i, found)))
        return [o for o in self.results if o is not None]

    def _published_options(self) -> published.Options:
        s = self.settings
        return published.Options(s.offline, s.refresh, s.preprint_max_age_days, s.crossref_rows, s.listing_min_rows)

    def _wants_published(self, i: int) -> bool:
        entry, ident = self.rows[i]
        first = self.primary[i]
        if venues.is_preprint(entry.venue) or published.venue_year(entry) is None:
            return False
        if ident.kind == "doi" or (first is not None and first.refused):
            return False  # a DOI names the published record; a withdrawn paper has none
        if ident.kind == "openreview" and first is not None and first.record is not None:
            return published.venue_year(entry)[0] not in OPENREVIEW_IS_PUBLISHER
        return self._route(i) is not CROSSREF_QUERY

    def _route(self, i: int) -> Route | None:
        entry, ident = self.rows[i]
        if ident.kind in ROUTES:
            return ROUTES[ident.kind]
        conference = not venues.is_preprint(entry.venue) and published.venue_year(entry) is not None
        # A page link of a row naming no conference DBLP knows: only a Crossref title query can help.
        return CROSSREF_QUERY if ident.kind in QUERY_KINDS and not conference else None

    def _settle(self, i: int) -> None:
        """Finish a row now if its link's record is all it needs (so progress and the cache keep pace)."""
        if self.results[i] is None and not self._wants_published(i):
            self._done(i, self._final(i, None))

    def _from_cache(self, i: int, route: Route, key: str) -> bool:
        if self.settings.refresh:
            return False
        hit = self.cache.get(key, max_age_days=self.settings.preprint_max_age_days)
        if hit is not None and (not hit.stale or self.settings.offline):
            self.primary[i] = self._judge(i, route, key, hit.status, hit.record, hit.reason, hit.fetched, 0, CACHED)
            return True
        if self.settings.offline:
            self.primary[i] = Outcome(CACHE_MISS, route.source, reason="not in the cache (offline)", key=key)
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
            for n, i in enumerate(by_key[key]):
                spent = lookup.requests if n == 0 else 0
                self.primary[i] = self._judge(i, route, key, lookup.status, lookup.record, lookup.reason, fetched, spent, RESOLVED)
                self._settle(i)

    def _judge(self, i, route, key, status, record, reason, fetched, requests, ok_status) -> Outcome:
        entry, _ = self.rows[i]
        if status != FOUND or record is None:
            refused = route.source == "openreview" and reason.startswith(openreview_source.REFUSED_REASONS)
            return Outcome(UNRESOLVED, route.source, None, reason, requests=requests, key=key, refused=refused)
        if route.by_link and not same_title(entry.title, record.title):
            mismatch = f'title mismatch: link points to "{record.title}"'
            return Outcome(UNRESOLVED, route.source, None, mismatch, requests=requests, title_mismatch=True, key=key)
        return Outcome(ok_status, route.source, record, "", provenance(record, route.source, fetched), requests, key=key)

    def _final(self, i: int, found: published.Found | None) -> Outcome:
        """The row's outcome: the link's record and the published version, combined."""
        entry, ident = self.rows[i]
        first = self.primary[i]
        if first is None and found is None:
            return Outcome(SKIPPED, reason=f"no resolver for {ident.kind} links of venue {entry.venue or 'none'!r}")
        if found is None:
            return first
        records = list(found.records)
        if first is not None and first.record is not None:
            records.append((first.source, first.record))
        requests = (first.requests if first else 0) + found.requests
        mismatch = bool(found.linked_title) or bool(first and first.title_mismatch)
        # The link's own source failed or found nothing: say so even when DBLP has the paper,
        # since its fields (eprint, OpenReview id) are missing from the entry.
        reasons = [first.reason] if first is not None and first.record is None and first.reason else []
        if found.linked_title:
            reasons.append(f'title mismatch: link points to "{found.linked_title}"')
        if mismatch and found.records:
            reasons.append("resolved by its own title on DBLP")
        if not records:
            reasons += [found.reason] if found.reason else []
            missed = found.missed or bool(first and first.status == CACHE_MISS)
            status = CACHE_MISS if missed and self.settings.offline else UNRESOLVED
            return Outcome(status, first.source if first else "dblp", None, "; ".join(reasons), requests=requests,
                           title_mismatch=mismatch, key=first.key if first else "")  # fmt: skip
        if found.reason:
            reasons.append(found.reason)
        combined, sources = merge.combine(records)
        fresh = found.fresh or bool(first and first.status == RESOLVED)
        fetched = first.provenance.fetched if first is not None else ""
        return Outcome(
            RESOLVED if fresh else CACHED, sources.get("title", records[0][0]), combined, "; ".join(reasons),
            Provenance(tuple(sources.items()), fetched), requests, mismatch, first.key if first else "", tuple(records),
        )  # fmt: skip

    def _done(self, i: int, outcome: Outcome) -> None:
        if outcome.record is not None and not outcome.records:
            outcome = replace(outcome, records=((outcome.source, outcome.record),))
        self.results[i] = outcome
        self.progress(1)


def provenance(record: Record, source: str, fetched: str) -> Provenance:
    known = tuple((name, source) for name in Record.__struct_fields__ if getattr(record, name) not in ("", (), None))
    return Provenance(fields=known, fetched=fetched)


# ---------------------------------------------------------------------- routes


def _fetch_arxiv(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    for arxiv_id, lookup in arxiv_source.resolve_ids([ident.value for _, ident in rows], http, batch_size=settings.arxiv_batch_size):
        yield f"arxiv:{arxiv_id}", lookup


def _fetch_dois(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    for _, ident in rows:
        yield f"doi:{ident.value.lower()}", crossref_source.resolve_doi(ident.value, http)


def openreview_fetch(http: Http):
    """`openreview`'s injected fetch, bound to the shared HTTP layer (v1 and v2 are two services)."""
    urls = openreview_source.api_urls()

    def fetch(url: str, params: dict):
        service = "openreview2" if url.startswith(urls["v2"] + "/") and urls["v2"] != urls["v1"] else "openreview"
        try:
            return http.get_json(service, url.removeprefix(base_url(service)), params)
        except NotFound:
            return {"notes": [], "count": 0}  # an id list none of which the API knows

    return fetch


def _fetch_openreview(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    wanted = [(ident.value, entry.venue, entry.year) for entry, ident in rows]
    before = http.sent("openreview") + http.sent("openreview2")
    try:
        results = openreview_source.resolve_forum_rows(wanted, openreview_fetch(http))
    except NetworkError as err:
        spent = http.sent("openreview") + http.sent("openreview2") - before
        for n, (forum, _, _) in enumerate(sorted(wanted)):
            yield f"openreview:{forum}", Lookup.failed(str(err), spent if n == 0 else 0)
        return
    for forum, result in sorted(results.items()):
        if result.status == FOUND and result.record is not None:
            yield f"openreview:{forum}", Lookup.found(result.record, result.requests)
        else:
            yield f"openreview:{forum}", Lookup.not_found(result.reason, result.requests)


ARXIV = Route("arxiv", lambda e, i: f"arxiv:{i.value}", _fetch_arxiv, by_link=True)
DOI = Route("crossref", lambda e, i: f"doi:{i.value.lower()}", _fetch_dois, by_link=True)
def _query_key(entry: Entry, ident: Identifier) -> str:
    return published.query_key(entry)


def _fetch_by_query(rows: list[Row], http: Http, settings: Settings) -> Iterator[tuple[str, Lookup]]:
    for entry, _ in rows:
        yield published.query_key(entry), published.best_candidate(entry, http, settings.crossref_rows)


CROSSREF_QUERY = Route("crossref", _query_key, _fetch_by_query, by_link=False)
QUERY_KINDS = frozenset({"cvf", "ijcai", "aaai", "url"})
OPENREVIEW = Route("openreview", lambda e, i: f"openreview:{i.value.strip()}", _fetch_openreview, by_link=True)

ROUTES: dict[str, Route] = {
    "arxiv": ARXIV,
    "doi": DOI,
    "openreview": OPENREVIEW,
}
# Venues whose papers OpenReview itself publishes (no other proceedings, no pages): the
# OpenReview record is the published version and DBLP is not asked for it.
OPENREVIEW_IS_PUBLISHER = frozenset({"ICLR"})


# ---------------------------------------------------------------------- what a run could reach

_UNREACHABLE_REASON = re.compile(rf"\b(arxiv|crossref|openreview2?|dblp|web) {UNREACHABLE}: ([^;]+)")


def unreachable_services(outcomes) -> dict[str, str]:
    """Services that could not be reached at all (DNS failure, refused connection, no route), with
    why, as the reasons of rows left without their data say (`http.Unreachable`); sorted by name."""
    found: dict[str, str] = {}
    for outcome in outcomes:
        if outcome.status in (RESOLVED, CACHED):
            continue
        for service, why in _UNREACHABLE_REASON.findall(outcome.reason):
            found.setdefault(service, why.strip())
    return dict(sorted(found.items()))


def reached_no_service(outcomes) -> bool:
    """The run needed the network and could reach no service: rows lack data because a service
    could not be reached at all, and no row was resolved over the network. (README: exit 4.)"""
    return bool(unreachable_services(outcomes)) and not any(o.status == RESOLVED for o in outcomes)

"""Request economy of a cold run over the whole list (278 rows) against a local fake server that
answers everything with an empty result — the worst case for fallbacks: every lookup misses.

Empty answers in each service's wire format: arXiv an empty Atom feed, Crossref 404 "Resource
not found." for a DOI and an empty work-list for a query, DBLP an empty `hits`, OpenReview an
empty `notes` list. The test prints the count per service (run with -s to see it).
"""

from __future__ import annotations

from collections import Counter

from conftest import UPSTREAM
from fakeserver import FakeClock, FakeServer, Reply
from prune2bib.cache import open_cache
from prune2bib.http import Http, RetryPolicy
from prune2bib.readme import parse_readme
from prune2bib.identify import identify
from prune2bib.resolve import Settings, resolve_rows
from wire import FakeArxiv, crossref_list, crossref_not_found
from wire_dblp import JSON_TYPE, dblp_hits

SERVICE_OF_PATH = {"/api/query": "arxiv", "/works": "crossref", "/search/publ/api": "dblp", "/notes": "openreview", "/v2/notes": "openreview2"}


def empty_server(server: FakeServer) -> None:
    server.route("/api/query", FakeArxiv({}))
    server.route("/works/", lambda r: crossref_not_found())
    server.route("/works", lambda r: crossref_list([]))
    server.route("/search/publ/api", lambda r: Reply(200, dblp_hits([]), JSON_TYPE))
    server.route("/notes", lambda r: Reply(200, {"notes": [], "count": 0}, JSON_TYPE))
    server.route("/v2/notes", lambda r: Reply(200, {"notes": [], "count": 0}, JSON_TYPE))


def serve_empty(server: FakeServer, monkeypatch) -> None:
    """Every service on `server`, answering empty results."""
    empty_server(server)
    for name in ("ARXIV", "CROSSREF", "DBLP", "OPENREVIEW"):
        monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", server.url)
    monkeypatch.setenv("PRUNE2BIB_OPENREVIEW2_URL", server.url + "/v2")


def test_a_cold_run_over_the_whole_list_costs_well_under_half_a_request_a_row(tmp_path, monkeypatch):
    rows = [(e, identify(e.url)) for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))]
    assert len(rows) == 278
    clock = FakeClock()
    with FakeServer(clock=clock, max_requests=400) as server:
        serve_empty(server, monkeypatch)
        http = Http(mailto="ops@example.org", clock=clock, sleep=clock.sleep, policy=RetryPolicy(attempts=2))
        with open_cache(tmp_path / "cache") as cache:
            outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
            cold = Counter(SERVICE_OF_PATH["/works" if r.path.startswith("/works") else r.path] for r in server.log)
            print(f"\ncold run, 278 rows, empty answers: {dict(sorted(cold.items()))}, total {sum(cold.values())}")
            assert not server.overrun and sum(cold.values()) == sum(o.requests for o in outcomes)
            assert sum(cold.values()) / len(rows) < 0.5
            assert cold["arxiv"] <= 4 and cold["openreview"] + cold["openreview2"] <= 4  # batched
            tocs = [r.param("q") for r in server.requests_to("/search/publ/api") if r.param("q").startswith("toc:")]
            assert len(tocs) == len(set(tocs))  # no venue-year listed twice
            # The second run asks only what is allowed to expire (not-found results re-checked after
            # the max age): with a max age of 30 days, nothing.
            before = len(server.log)
            resolve_rows(rows, Settings(), cache=cache, http=http)
            assert len(server.log) == before
        http.close()

"""Regression tests for single-line changes that once survived the whole suite (issue 10, point 11).

Each test names the change it catches; each was run against that change and failed:
- a failed Crossref fallback query cached (then never asked again while the entry lives);
- Crossref pages of another paper filled into a DBLP record (the title check dropped);
- an empty DBLP listing kept for good (a venue-year DBLP indexes later would never be listed);
- a DBLP title-search result kept for good (a paper DBLP adds later would never be found).
(The halved DBLP interval: tests/test_http.py::test_dblp_requests_are_at_least_five_seconds_apart.)

Against a local fake DBLP / Crossref (synthetic bodies in the services' wire formats).
`preprint_max_age_days=-1` makes every expiring cache entry stale: what expires is asked again.
"""

from __future__ import annotations

import pytest

from fakeserver import FakeServer, Reply
from prune2bib.identify import identify
from prune2bib.published import query_key
from prune2bib.readme import Entry
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import dblp
from wire import FakeArxiv, crossref_list, crossref_ok, crossref_work, synthetic_arxiv_id
from wire_dblp import FakeDblp, dblp_info

CVPR_2019 = "db/conf/cvpr/cvpr2019.bht"
ICML_2019 = "db/conf/icml/icml2019.bht"
EXPIRED = Settings(preprint_max_age_days=-1)  # every expiring entry is stale


@pytest.fixture
def retry_attempts():
    return 2


@pytest.fixture
def server(clock, monkeypatch):
    with FakeServer(clock=clock) as srv:
        for name in ("ARXIV", "CROSSREF", "DBLP", "OPENREVIEW", "OPENREVIEW2"):
            monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", srv.url)
        yield srv


def cvf_row(n: int, venue: str = "CVPR", year: int = 2019):
    url = f"https://openaccess.thecvf.com/content_{venue}_{year}/html/Synthetic_{n}_{venue}_{year}_paper.html"
    return Entry(n, year, f"Synthetic paper {n}", url, venue, ("F",)), identify(url)


def arxiv_row(n: int, venue: str = "CVPR", year: int = 2019):
    url = f"https://arxiv.org/abs/{synthetic_arxiv_id(n)}"
    return Entry(n, year, f"Synthetic paper {n}", url, venue, ("W",)), identify(url)


def dblp_requests(server) -> list[str]:
    return [r.param("q") for r in server.requests_to("/search/publ/api")]


# ------------------------------------------------------------------ failed Crossref queries


def test_a_failed_crossref_fallback_query_is_not_cached(server, http, cache):
    """Mutation caught: caching a FAILED lookup (published.Stage._crossref, `elif lookup.status != FAILED`)."""
    server.route("/search/publ/api", FakeDblp({}))  # DBLP lists nothing: the CVF page's Crossref query is the fallback
    server.route("/works", lambda r: Reply(503, "down"))
    (first,) = resolve_rows([cvf_row(30)], Settings(), cache=cache, http=http)
    assert first.status == "unresolved" and "HTTP 503" in first.reason
    assert cache.get(query_key(cvf_row(30)[0])) is None
    server.route("/works", lambda r: crossref_list([crossref_work(30)]))
    (second,) = resolve_rows([cvf_row(30)], Settings(), cache=cache, http=http)
    assert (second.status, second.source, second.record.doi) == ("resolved", "crossref", "10.5555/synthetic.30")


def test_a_failed_crossref_query_of_a_page_row_is_not_cached(server, http, cache):
    """The same through resolve.py's own route (a CVF page of a venue DBLP does not know)."""
    row = cvf_row(31, venue="WACV")
    server.route("/works", lambda r: Reply(503, "down"))
    (first,) = resolve_rows([row], Settings(), cache=cache, http=http)
    assert first.status == "unresolved" and cache.get(query_key(row[0])) is None
    server.route("/works", lambda r: crossref_list([crossref_work(31, container=("2019 IEEE Winter Conference on Applications of Computer Vision (WACV)",))]))
    (second,) = resolve_rows([row], Settings(), cache=cache, http=http)
    assert second.status == "resolved", second.reason


# ------------------------------------------------------------------ Crossref pages of another paper


def test_crossref_pages_of_another_paper_are_not_filled_into_a_dblp_record(server, http, cache):
    """Mutation caught: dropping `same_title(record.title, lookup.record.title)` in `_crossref_fill`.
    DBLP's record has a DOI but no pages; that DOI's Crossref work is another paper (a wrong DOI)."""
    info = dblp_info("Synthetic paper 32", "CVPR", 2019, n=32, doi="10.5555/synthetic.wrong")
    server.route("/search/publ/api", FakeDblp({CVPR_2019: [info]}))
    server.route("/works/", lambda r: crossref_ok(crossref_work(99, doi="10.5555/synthetic.wrong", page="777-789")))
    (outcome,) = resolve_rows([cvf_row(32)], Settings(), cache=cache, http=http)
    assert (outcome.source, outcome.record.title, outcome.record.page) == ("dblp", "Synthetic paper 32", "")
    assert [s for s, _ in outcome.records] == ["dblp"]
    assert outcome.reason == "no pages from Crossref: another title"


def test_crossref_pages_of_the_same_paper_are_filled(server, http, cache):
    """The control: the same DOI whose Crossref work has the row's title gives the pages."""
    info = dblp_info("Synthetic paper 33", "CVPR", 2019, n=33, doi="10.5555/synthetic.33")
    server.route("/search/publ/api", FakeDblp({CVPR_2019: [info]}))
    server.route("/works/", lambda r: crossref_ok(crossref_work(33, page="333-340")))
    (outcome,) = resolve_rows([cvf_row(33)], Settings(), cache=cache, http=http)
    assert (outcome.record.page, outcome.provenance.as_dict()["page"]) == ("333-340", "crossref")


# ------------------------------------------------------------------ what expires


def test_an_empty_listing_expires_and_a_full_one_is_kept_for_good(server, http, cache):
    """Mutation caught: `put_listing(..., expires=False)` for every listing (published.Stage._listing)."""
    server.route("/search/publ/api", FakeDblp({CVPR_2019: [dblp_info("Synthetic paper 34", "CVPR", 2019, n=34)]}))
    server.route("/works", lambda r: crossref_list([]))
    rows = [cvf_row(34), cvf_row(35, venue="ICCV")]  # CVPR 2019 is listed; ICCV 2019 is empty on DBLP
    resolve_rows(rows, Settings(), cache=cache, http=http)
    assert sorted(dblp_requests(server)) == ["toc:db/conf/cvpr/cvpr2019.bht:", "toc:db/conf/iccv/iccv2019.bht:"]
    assert cache.get_listing(dblp.listing_key("ICCV", 2019), max_age_days=-1).stale is True
    assert cache.get_listing(dblp.listing_key("CVPR", 2019), max_age_days=-1).stale is False
    before = len(dblp_requests(server))
    (_, iccv) = resolve_rows(rows, EXPIRED, cache=cache, http=http)
    assert dblp_requests(server)[before:] == ["toc:db/conf/iccv/iccv2019.bht:"]  # only the empty one, again
    assert "DBLP lists no paper of ICCV 2019" in iccv.reason


def test_a_title_search_result_expires(server, http, cache):
    """Mutation caught: `put_listing(cache_key, ..., expires=False)` for a title search (Stage._search)."""
    server.route("/search/publ/api", FakeDblp({ICML_2019: [dblp_info("Synthetic paper 36", "ICML", 2019, n=36)]}))
    server.route("/api/query", FakeArxiv({synthetic_arxiv_id(37): {"n": 37}}))
    rows = [arxiv_row(37, "ICML")]  # ICML 2019 (no DOIs: no Crossref) is listed, but this title is not there: one title search
    (first,) = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert dblp_requests(server) == [f"toc:{ICML_2019}:", "Synthetic paper 37"]
    assert first.reason == "not found on DBLP at ICML 2019"
    resolve_rows(rows, Settings(), cache=cache, http=http)
    assert len(dblp_requests(server)) == 2  # fresh: nothing asked again
    # DBLP adds the paper; once the search result has expired, the row finds it
    server.route("/search/publ/api", FakeDblp({ICML_2019: [dblp_info(f"Synthetic paper {n}", "ICML", 2019, n=n) for n in (36, 37)]}))
    (later,) = resolve_rows(rows, EXPIRED, cache=cache, http=http)
    # the search is asked again; its hit is not in the listing kept from the first run, so the
    # venue-year is listed anew (once) before the hit is judged
    assert dblp_requests(server)[2:] == ["Synthetic paper 37", f"toc:{ICML_2019}:"]
    assert (later.source, later.reason) == ("dblp", "")
    assert len(cache.get_listing(dblp.listing_key("ICML", 2019)).records) == 2

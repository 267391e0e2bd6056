"""The published-version routes against a local fake DBLP / OpenReview / Crossref / arXiv.

Bodies are synthetic (tests/wire_dblp.py, tests/wire.py): 'Synthetic …' titles, 'Synth …'
authors, DOIs under 10.5555 — except that the NeurIPS 2021 shared-link case uses the list's real
row titles; their DBLP records here (authors, keys, which hash belongs to which paper for
23e582ad…) are synthetic, since no DBLP data of NeurIPS 2021 could be sourced. The 5227b6aa… link
is GraNet's ("Sparse Training via Boosting Pruning Plasticity with Neuroregeneration") as a public
reference list shows it (proceedings.neurips.cc/paper/2021/hash/5227b6aa…-Abstract.html).
"""

from __future__ import annotations

import pytest

from conftest import UPSTREAM
from fakeserver import Reply
from prune2bib import pipeline
from prune2bib.identify import Identifier, identify
from prune2bib.readme import Entry, parse_readme
from prune2bib.record import PAPER_CONFERENCE, WEBPAGE
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import dblp
from wire import FakeArxiv, crossref_list, crossref_work, synthetic_arxiv_id
from wire_dblp import FakeDblp, FakeOpenReview, corr_info, dblp_info, openreview_note

NEURIPS_2021 = "db/conf/nips/neurips2021.bht"
CVPR_2019 = "db/conf/cvpr/cvpr2019.bht"


@pytest.fixture
def retry_attempts():
    return 2


@pytest.fixture
def server(fake_services):
    return fake_services


def cvf_row(n: int, title: str | None = None, venue: str = "CVPR", year: int = 2019):
    url = f"https://openaccess.thecvf.com/content_{venue}_{year}/html/Synthetic_{n}_{venue}_{year}_paper.html"
    return Entry(n, year, title or f"Synthetic paper {n}", url, venue, ("F",)), identify(url)


def arxiv_row(n: int, venue: str, year: int, title: str | None = None):
    url = f"https://arxiv.org/abs/{synthetic_arxiv_id(n)}"
    return Entry(n, year, title or f"Synthetic paper {n}", url, venue, ("W",)), identify(url)


def toc_requests(server):
    return [r.param("q") for r in server.requests_to("/search/publ/api") if r.param("q").startswith("toc:")]


# ---------------------------------------------------------------------- listing economy


def test_a_venue_year_is_listed_once_for_all_its_rows_and_not_again(server, http, cache):
    infos = [dblp_info(f"Synthetic paper {n}", "CVPR", 2019, n=n, doi=f"10.5555/synthetic.{n}", pages=f"{n}-{n + 9}",
                       ee=cvf_row(n)[0].url) for n in range(1, 6)]  # fmt: skip
    server.route("/search/publ/api", FakeDblp({CVPR_2019: infos}))
    rows = [cvf_row(n) for n in (1, 2, 3)] + [arxiv_row(4, "CVPR", 2019)]
    server.route("/api/query", FakeArxiv({synthetic_arxiv_id(4): {"n": 4}}))
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert toc_requests(server) == [f"toc:{CVPR_2019}:"]  # one listing for four rows
    assert len(server.requests_to("/search/publ/api")) == 1  # and no title search
    assert [o.record.doi for o in outcomes] == [f"10.5555/synthetic.{n}" for n in (1, 2, 3, 4)]
    assert [o.requests for o in outcomes] == [1, 0, 0, 1]  # the listing is charged to its first row
    assert cache.get_listing(dblp.listing_key("CVPR", 2019)).stale is False
    before = len(server.log)
    again = resolve_rows(rows, Settings(preprint_max_age_days=0), cache=cache, http=http)
    assert [o.record.doi for o in again] == [o.record.doi for o in outcomes]
    assert len(server.log) - before == 1  # only the (expiring) arXiv preprint is asked again
    assert toc_requests(server) == [f"toc:{CVPR_2019}:"]  # the listing is kept for good


def test_a_listing_pages_by_1000(server, http, cache):
    infos = [dblp_info(f"Synthetic paper {n}", "CVPR", 2019, n=n) for n in range(1, 1203)]
    server.route("/search/publ/api", FakeDblp({CVPR_2019: infos}))
    outcomes = resolve_rows([cvf_row(1200), cvf_row(7)], Settings(), cache=cache, http=http)
    assert [r.param("f") for r in server.requests_to("/search/publ/api")] == ["0", "1000"]
    assert [o.record.authors[0].family for o in outcomes] == ["Author1200", "Author7"]


def test_a_single_row_of_a_venue_year_costs_one_listing_request_and_no_search(server, http, cache):
    """A search hit would have to be checked against the table of contents anyway: list at once."""
    infos = [dblp_info(f"Synthetic paper {n}", "CVPR", 2019, n=n, doi=f"10.5555/x.{n}", pages="1-2") for n in (7, 8)]
    server.route("/search/publ/api", FakeDblp({CVPR_2019: infos}))
    (outcome,) = resolve_rows([cvf_row(8)], Settings(), cache=cache, http=http)
    (request,) = server.log
    assert request.param("q") == f"toc:{CVPR_2019}:" and request.param("h") == "1000"
    assert (outcome.status, outcome.source, outcome.record.doi, outcome.requests) == ("resolved", "dblp", "10.5555/x.8", 1)


def test_eccv_rows_are_searched_never_listed(server, http, cache):
    server.route("/search/publ/api", FakeDblp(extra=[dblp_info(f"Synthetic paper {n}", "ECCV (3)", 2020, n=n, doi=f"10.5555/e.{n}", pages="1-2") for n in (1, 2)]))
    outcomes = resolve_rows([cvf_row(1, venue="ECCV", year=2020), cvf_row(2, venue="ECCV", year=2020)], Settings(), cache=cache, http=http)
    assert toc_requests(server) == [] and len(server.log) == 2
    assert [o.record.container_title_short for o in outcomes] == ["ECCV", "ECCV"]


# ---------------------------------------------------------------------- what is never taken


def test_a_corr_copy_is_never_the_published_version(server, http, cache):
    server.route("/api/query", FakeArxiv({synthetic_arxiv_id(9): {"n": 9}}))
    icml = {"db/conf/icml/icml2019.bht": [dblp_info("Synthetic paper 90", "ICML", 2019, n=90)]}
    server.route("/search/publ/api", FakeDblp(icml, extra=[corr_info("Synthetic paper 9", 2019, n=9)]))
    (outcome,) = resolve_rows([arxiv_row(9, "ICML", 2019)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.source, outcome.record.type) == ("resolved", "arxiv", "article")
    assert outcome.reason == "not upgraded: DBLP has only a CoRR (arXiv) copy of this title, no ICML 2019 paper"
    assert [s for s, _ in outcome.records] == ["arxiv"]


def test_same_title_at_another_venue_or_year_is_not_upgraded_and_the_report_says_why(server, http, cache):
    server.route("/api/query", FakeArxiv({synthetic_arxiv_id(n): {"n": n} for n in (10, 11)}))
    tocs = {f"db/conf/nips/nips{y}.bht": [dblp_info(f"Synthetic paper {y}", "NeurIPS", y, n=y)] for y in (2018, 2019)}
    server.route("/search/publ/api", FakeDblp(tocs, extra=[
        dblp_info("Synthetic paper 10", "ICLR", 2019, n=10),  # the row says NeurIPS 2018
        dblp_info("Synthetic paper 11", "NeurIPS", 2020, n=11, pages="1-9"),  # the row says NeurIPS 2019
    ]))  # fmt: skip
    rows = [arxiv_row(10, "NeurIPS", 2018), arxiv_row(11, "NeurIPS", 2019)]
    first, second = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert first.reason == "not upgraded: DBLP has this title at ICLR 2019, not at NeurIPS 2018"
    assert second.reason == "not upgraded: DBLP has this title at NeurIPS 2020, not at NeurIPS 2019"
    assert [o.source for o in (first, second)] == ["arxiv", "arxiv"] and second.record.page == ""
    # and in the export: the conference the list names, filled from the preprint, no DBLP page
    outcome = pipeline._merged(*rows[1], second, "published")
    assert outcome.record.page == "" and '"reason": "not upgraded' in outcome.report_line()


def test_a_row_missing_from_its_venue_listing_is_searched_to_say_where_it_went(server, http, cache):
    infos = [dblp_info(f"Synthetic paper {n}", "CVPR", 2019, n=n) for n in (1, 2)]
    server.route("/search/publ/api", FakeDblp({CVPR_2019: infos}, extra=[dblp_info("Synthetic paper 3", "ICCV", 2019, n=3)]))
    outcomes = resolve_rows([cvf_row(1), cvf_row(3)], Settings(), cache=cache, http=http)
    assert outcomes[1].reason == "not upgraded: DBLP has this title at ICCV 2019, not at CVPR 2019"
    assert [r.param("q") for r in server.requests_to("/search/publ/api")] == [f"toc:{CVPR_2019}:", "Synthetic paper 3"]


def test_an_empty_listing_costs_no_dblp_search_per_row(server, http, cache):
    server.route("/search/publ/api", FakeDblp({}))
    server.route("/works", lambda r: crossref_list([]))  # the CVF pages' Crossref query finds nothing either
    outcomes = resolve_rows([cvf_row(n) for n in (1, 2, 3)], Settings(), cache=cache, http=http)
    assert len(server.requests_to("/search/publ/api")) == 1 and len(server.requests_to("/works")) == 3
    assert all(o.reason.startswith("DBLP lists no paper of CVPR 2019 (yet); Crossref: ") for o in outcomes)


def test_dblp_html_429_page_leaves_rows_unresolved_and_uncached(server, http, cache):
    server.route("/search/publ/api", lambda r: Reply(200, "<html><body>429 Too Many Requests</body></html>"))
    outcomes = resolve_rows([cvf_row(1), cvf_row(2)], Settings(), cache=cache, http=http)
    assert all("DBLP rate limit" in o.reason and o.status == "unresolved" for o in outcomes)
    assert cache.get_listing(dblp.listing_key("CVPR", 2019)) is None


# ---------------------------------------------------------------------- OpenReview


def openreview_row(forum: str, venue: str, year: int, title: str):
    url = f"https://openreview.net/forum?id={forum}"
    return Entry(1, year, title, url, venue, ("F",)), identify(url)


def test_a_v1_row_and_a_v2_row_resolve_in_one_batch_each(server, http, cache):
    v1 = openreview_note("synthV1", "Synthetic paper 21", venueid="ICLR.cc/2023/Conference", venue="ICLR 2023 poster")
    v2 = openreview_note("synthV2", "Synthetic paper 22", v2=True, venueid="ICLR.cc/2024/Conference", venue="ICLR 2024 spotlight")
    server.route("/notes", FakeOpenReview([v1]))
    server.route("/v2/notes", FakeOpenReview([v2]))
    rows = [openreview_row("synthV1", "ICLR", 2023, "Synthetic paper 21"), openreview_row("synthV2", "ICLR", 2024, "Synthetic paper 22")]
    first, second = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert [r.path for r in server.log] == ["/notes", "/v2/notes"]  # ICLR: no DBLP request
    assert (first.source, first.record.title, first.record.year, first.record.type) == ("openreview", "Synthetic paper 21", 2023, PAPER_CONFERENCE)
    assert (second.record.title, second.record.venue_note, [p.family for p in second.record.authors]) == (
        "Synthetic paper 22", "Spotlight", ["Author", "Coauthor"])  # fmt: skip


def test_openreview_falls_back_to_the_other_api(server, http, cache):
    late = openreview_note("synthV3", "Synthetic paper 23", v2=True, venueid="ICLR.cc/2023/Conference")
    server.route("/notes", FakeOpenReview([]))
    server.route("/v2/notes", FakeOpenReview([late]))
    (outcome,) = resolve_rows([openreview_row("synthV3", "ICLR", 2023, "Synthetic paper 23")], Settings(), cache=cache, http=http)
    assert [r.path for r in server.log] == ["/notes", "/v2/notes"] and outcome.record.title == "Synthetic paper 23"


def test_a_withdrawn_submission_is_reported_never_exported_as_accepted(server, http, cache):
    gone = openreview_note("synthW", "Synthetic paper 24", venueid="ICLR.cc/2023/Withdrawn_Submission", venue="ICLR 2023 Withdrawn Submission")
    server.route("/notes", FakeOpenReview([gone]))
    row = openreview_row("synthW", "ICLR", 2023, "Synthetic paper 24")
    (outcome,) = resolve_rows([row], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.refused, outcome.record) == ("unresolved", True, None)
    assert outcome.reason == "withdrawn submission (ICLR.cc/2023/Withdrawn_Submission)"
    assert len(server.log) == 1  # DBLP is not asked for a withdrawn paper
    exported = pipeline._merged(*row, outcome, "published").record
    assert (exported.type, exported.container_title, exported.venue_note) == (WEBPAGE, "", "Withdrawn submission")
    (cached,) = resolve_rows([row], Settings(offline=True), cache=cache, http=http)
    assert cached.refused and cached.reason == outcome.reason  # the cache remembers why


def test_a_neurips_openreview_row_gets_its_pages_from_dblp(server, http, cache):
    note = openreview_note("synthN", "Synthetic paper 25", venueid="NeurIPS.cc/2022/Conference", venue="NeurIPS 2022 Accept")
    server.route("/notes", FakeOpenReview([note]))
    toc = {"db/conf/nips/neurips2022.bht": [dblp_info("Synthetic paper 25", "NeurIPS", 2022, n=25, pages="100-110")]}
    server.route("/search/publ/api", FakeDblp(toc))
    (outcome,) = resolve_rows([openreview_row("synthN", "NeurIPS", 2022, "Synthetic paper 25")], Settings(), cache=cache, http=http)
    assert (outcome.record.page, outcome.record.openreview_id) == ("100-110", "synthN")
    assert outcome.provenance.as_dict()["page"] == "dblp" and outcome.provenance.as_dict()["openreview_id"] == "openreview"


# ---------------------------------------------------------------------- links shared by two papers


def test_neurips_2021_links_shared_by_two_papers(server, http, cache):
    entries = {e.line: e for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))}
    caught, randomly, granet, iccv = (entries[n] for n in (183, 184, 185, 201))
    assert caught.url == randomly.url and granet.url == iccv.url  # the list's own data
    neurips = [
        dblp_info(randomly.title, "NeurIPS", 2021, n=31, pages="1-2", ee=randomly.url.replace("papers.nips.cc", "proceedings.neurips.cc")),
        dblp_info(caught.title, "NeurIPS", 2021, n=32, pages="3-4", ee="https://proceedings.neurips.cc/paper/2021/hash/" + "0" * 32 + "-Abstract.html"),
        dblp_info(granet.title, "NeurIPS", 2021, n=33, pages="9908-9922", ee=granet.url),
    ]  # fmt: skip
    iccv_2021 = [dblp_info(iccv.title, "ICCV", 2021, n=34, pages="5-6", doi="10.5555/synthetic.iccv"),
                 dblp_info("Synthetic paper 35", "ICCV", 2021, n=35)]  # fmt: skip
    server.route("/search/publ/api", FakeDblp({NEURIPS_2021: neurips, "db/conf/iccv/iccv2021.bht": iccv_2021}))
    rows = [(e, identify(e.url)) for e in (caught, randomly, granet, iccv)]
    rows.append((Entry(1, 2021, "Synthetic paper 35", "https://arxiv.org/abs/x", "ICCV", ("F",)), Identifier("url", "x")))
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    by_title = {e.title: o for (e, _), o in zip(rows, outcomes)}
    wrong_1, wrong_2 = by_title[caught.title], by_title[iccv.title]
    assert wrong_1.title_mismatch and wrong_1.reason.startswith(f'title mismatch: link points to "{randomly.title}"')
    assert wrong_2.title_mismatch and wrong_2.reason.startswith(f'title mismatch: link points to "{granet.title}"')
    # ... each resolved by its own title, never as the other paper
    assert (wrong_1.record.title, wrong_1.record.page) == (caught.title, "3-4")
    assert (wrong_2.record.title, wrong_2.record.page, wrong_2.record.container_title_short) == (iccv.title, "5-6", "ICCV")
    assert not by_title[randomly.title].title_mismatch and by_title[randomly.title].record.page == "1-2"
    assert not by_title[granet.title].title_mismatch and by_title[granet.title].record.page == "9908-9922"
    assert len(toc_requests(server)) == 2
    # `check --resolve` lists exactly the two mislinked rows
    from prune2bib import errata

    merged = [pipeline._merged(e, i, o, "published") for (e, i), o in zip(rows, outcomes)]
    assert sorted(m.line for m in errata.mislinked(merged)) == [caught.line, iccv.line]


# ---------------------------------------------------------------------- Crossref as the candidate source


def test_a_cvf_row_dblp_does_not_have_is_resolved_through_a_crossref_query(server, http, cache):
    server.route("/search/publ/api", FakeDblp())  # DBLP finds nothing
    candidates = [crossref_work(31, title="Synthetic paper 31 Revisited"), crossref_work(30)]
    server.route("/works", lambda r: crossref_list(candidates))
    (outcome,) = resolve_rows([cvf_row(30)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.source) == ("resolved", "crossref"), outcome.reason
    assert (outcome.record.doi, outcome.record.page) == ("10.5555/synthetic.30", "100-108")
    assert outcome.reason.endswith("found through a Crossref query")
    (query,) = server.requests_to("/works")
    assert query.param("query.bibliographic") == "Synthetic paper 30"


def test_when_dblp_is_down_a_cvf_row_says_so_and_is_still_resolved_through_crossref(server, http, cache):
    server.route("/search/publ/api", lambda r: Reply(503, "down"))
    server.route("/works", lambda r: crossref_list([crossref_work(32)]))
    (outcome,) = resolve_rows([cvf_row(32)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.source, outcome.record.doi) == ("resolved", "crossref", "10.5555/synthetic.32")
    assert "HTTP 503" in outcome.reason


def test_a_crossref_candidate_of_another_venue_is_not_taken(server, http, cache):
    server.route("/search/publ/api", FakeDblp())
    iccv = crossref_work(33, container=("2019 IEEE/CVF International Conference on Computer Vision (ICCV)",))
    server.route("/works", lambda r: crossref_list([iccv]))
    (outcome,) = resolve_rows([cvf_row(33)], Settings(), cache=cache, http=http)
    assert outcome.status == "unresolved" and outcome.record is None
    assert "Crossref:" in outcome.reason

"""Crossref rows through resolve.resolve_rows against a fake Crossref (synthetic JSON in the real
wire format): DOI lookups, type mapping, bibliographic queries behind the match guard, errors,
and a process killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fakeserver import FakeServer, Reply
from prune2bib.cache import open_cache
from prune2bib.identify import Identifier
from prune2bib.readme import Entry
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, Person
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers.crossref import to_record
from prune2bib.published import query_key
from wire import JSON_TYPE, FakeArxiv, crossref_list, crossref_not_found, crossref_ok, crossref_work
from wire_dblp import FakeDblp, dblp_info

TESTS = Path(__file__).resolve().parent


def doi_row(n: int, doi: str | None = None, title: str | None = None, venue: str = "CVPR", year: int = 2019):
    doi = doi or f"10.5555/synthetic.{n}"
    entry = Entry(line=n, year=year, title=title or f"Synthetic paper {n}", url=f"https://doi.org/{doi}", venue=venue, types=("W",))
    return entry, Identifier("doi", doi)


def cvf_row(n: int, venue: str = "CVPR", year: int = 2019, kind: str = "cvf"):
    title = f"Synthetic paper {n}"
    url = f"https://openaccess.thecvf.com/content_CVPR_{year}/html/Synthetic_{n}_CVPR_{year}_paper.html"
    return Entry(line=n, year=year, title=title, url=url, venue=venue, types=("F",)), Identifier(kind, f"synthetic-{n}")


@pytest.fixture
def server(clock, monkeypatch):
    with FakeServer(clock=clock) as srv:
        monkeypatch.setenv("PRUNE2BIB_CROSSREF_URL", srv.url)
        monkeypatch.setenv("PRUNE2BIB_ARXIV_URL", srv.url)
        monkeypatch.setenv("PRUNE2BIB_DBLP_URL", srv.url)
        yield srv


# ---------------------------------------------------------------------- DOI rows


def test_a_doi_row_is_resolved_with_every_field(server, http, cache):
    server.script("/works/10.5555/synthetic.1", crossref_ok(crossref_work(1, page="100–108")))
    (outcome,) = resolve_rows([doi_row(1)], Settings(), cache=cache, http=http)
    record = outcome.record
    assert (outcome.status, outcome.source, outcome.key) == ("resolved", "crossref", "doi:10.5555/synthetic.1")
    assert record.type == PAPER_CONFERENCE and record.title == "Synthetic paper 1"
    assert record.authors == (Person("Author1", "Synth"), Person("Coauthor1", "Synth B."))
    assert record.issued == (2019, 6) and record.page == "100-108" and record.doi == "10.5555/synthetic.1"
    assert record.container_title == "2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert record.publisher == "Synthetic Publisher"
    assert server.log[0].headers["user-agent"].startswith("prune2bib/")
    assert "mailto:ops@example.org" in server.log[0].headers["user-agent"]


def test_a_doi_crossref_does_not_know_is_a_clean_not_found_and_cached(server, http, cache):
    server.script("/works/10.5555/synthetic.404", crossref_not_found())
    (outcome,) = resolve_rows([doi_row(404)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.reason, outcome.record) == ("unresolved", "not found on Crossref", None)
    assert cache.get("doi:10.5555/synthetic.404").status == "not-found"
    assert resolve_rows([doi_row(404)], Settings(), cache=cache, http=http)[0].reason == "not found on Crossref"
    assert len(server.log) == 1


def test_a_crossref_error_response_leaves_the_row_unresolved(server, http, cache):
    failure = {"status": "failed", "message-type": "validation-failure",
               "message": [{"type": "parameter-not-allowed", "value": "x", "message": "Synthetic validation failure"}]}  # fmt: skip
    server.script("/works/10.5555/synthetic.400", Reply(400, failure, JSON_TYPE))
    (outcome,) = resolve_rows([doi_row(400)], Settings(), cache=cache, http=http)
    assert outcome.status == "unresolved" and "crossref answered HTTP 400" in outcome.reason
    assert cache.get("doi:10.5555/synthetic.400") is None  # errors are not cached


def test_a_doi_that_points_to_another_paper_is_a_title_mismatch(server, http, cache):
    server.script("/works/10.5555/synthetic.2", crossref_ok(crossref_work(2)))
    (outcome,) = resolve_rows([doi_row(2, title="Synthetic paper 20")], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.title_mismatch) == ("unresolved", True)
    assert outcome.reason == 'title mismatch: link points to "Synthetic paper 2"'


def test_crossref_down_leaves_its_rows_unresolved_while_arxiv_rows_resolve(server, http, cache):
    server.route("/works/", lambda request: Reply(503, "synthetic outage"))
    server.route("/api/query", FakeArxiv({"2101.00001": {"n": 1}}))
    arxiv = (Entry(3, 2021, "Synthetic paper 1", "https://arxiv.org/abs/2101.00001", "arXiv", ("F",)), Identifier("arxiv", "2101.00001"))
    rows = [doi_row(1), doi_row(2), doi_row(3), arxiv]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert [o.status for o in outcomes] == ["unresolved", "unresolved", "unresolved", "resolved"]
    assert "HTTP 503 after 3 attempt" in outcomes[0].reason
    assert "not asked again this run" in outcomes[2].reason  # after two failed rows Crossref is left alone
    assert len(server.requests_to("/works/")) == 6


# ---------------------------------------------------------------------- type mapping


def test_lncs_chapters_are_conference_papers_in_a_series():
    message = crossref_work(3, kind="book-chapter", year=2022, page="328–345",
                            container=("Lecture Notes in Computer Science", "Computer Vision – ECCV 2022"))  # fmt: skip
    record = to_record(message)
    assert record.type == PAPER_CONFERENCE
    assert (record.container_title, record.collection_title) == ("Computer Vision – ECCV 2022", "Lecture Notes in Computer Science")
    assert record.page == "328-345"


@pytest.mark.parametrize(
    "kind, container, expected",
    [
        ("proceedings-article", "Synthetic Conference", PAPER_CONFERENCE),
        ("journal-article", "Synthetic Journal of Pruning", ARTICLE_JOURNAL),
        ("journal-article", "Proceedings of the AAAI Conference on Artificial Intelligence", PAPER_CONFERENCE),
        ("posted-content", "", PREPRINT),
    ],
)
def test_types_are_mapped(kind, container, expected):
    assert to_record(crossref_work(4, kind=kind, container=(container,) if container else ())).type == expected


def test_other_types_are_not_papers(server, http, cache):
    server.script("/works/10.5555/synthetic.5", crossref_ok(crossref_work(5, kind="dataset")))
    (outcome,) = resolve_rows([doi_row(5)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.reason) == ("unresolved", "Crossref type 'dataset' is not a paper")


def test_subtitles_markup_and_entities_are_folded_into_the_title():
    message = {**crossref_work(6, title="Synthetic <i>paper</i> 6 &amp; more"), "subtitle": ["A Synthetic Subtitle"]}
    assert to_record(message).title == "Synthetic paper 6 & more: A Synthetic Subtitle"


def test_authors_without_family_name_stay_literal():
    message = {**crossref_work(7), "author": [{"name": "Synthetic Consortium", "sequence": "first", "affiliation": []}]}
    assert to_record(message).authors == (Person(literal="Synthetic Consortium"),)


# ---------------------------------------------------------------------- bibliographic queries
# A CVF / IJCAI row is found on DBLP; when DBLP's record has no DOI, a Crossref bibliographic query
# fills it, and only a candidate the match guard accepts may do so.


def dblp_without_doi(server, n: int, venue: str = "CVPR", year: int = 2019):
    """DBLP lists the paper in its venue-year's table of contents, without a DOI."""
    from prune2bib import venues_dblp

    toc = venues_dblp.toc_keys(venue, year)[0]
    server.route("/search/publ/api", FakeDblp({toc: [dblp_info(f"Synthetic paper {n}", venue, year, n=n, pages="1-10")]}))


def test_a_cvf_row_is_resolved_through_a_query_and_the_match_guard(server, http, cache):
    dblp_without_doi(server, 8)
    server.script("/works", crossref_list([crossref_work(90, title="Synthetic paper 8 Revisited"), crossref_work(8)]))
    (outcome,) = resolve_rows([cvf_row(8)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.record.doi) == ("resolved", "10.5555/synthetic.8")  # the 2nd hit, not the top score
    assert (outcome.source, outcome.provenance.as_dict()["doi"], outcome.provenance.as_dict()["page"]) == ("dblp", "crossref", "dblp")
    (search, request) = server.log
    assert search.path == "/search/publ/api" and request.path == "/works"
    assert request.param("query.bibliographic") == "Synthetic paper 8"
    assert request.param("filter") == "from-pub-date:2018,until-pub-date:2020"
    assert request.param("rows") == "5"
    assert {"DOI", "title", "author", "issued", "container-title", "type"} <= set(request.param("select").split(","))
    again = resolve_rows([cvf_row(8)], Settings(), cache=cache, http=http)
    assert again[0].status == "cached" and again[0].record == outcome.record and len(server.log) == 2


def test_a_candidate_with_the_right_title_but_the_wrong_year_is_rejected(server, http, cache):
    dblp_without_doi(server, 9)
    server.script("/works", crossref_list([crossref_work(9, year=2018)]))
    (outcome,) = resolve_rows([cvf_row(9)], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.record.doi) == ("resolved", "")  # DBLP's record, without Crossref's DOI
    assert outcome.reason == "no DOI from Crossref: candidate rejected: year 2018 ≠ 2019"


def test_a_candidate_with_the_right_title_but_the_wrong_venue_is_rejected(server, http, cache):
    dblp_without_doi(server, 10)
    iccv = crossref_work(10, container=("2019 IEEE/CVF International Conference on Computer Vision (ICCV)",))
    server.script("/works", crossref_list([iccv]))
    (outcome,) = resolve_rows([cvf_row(10)], Settings(), cache=cache, http=http)
    assert outcome.reason == 'no DOI from Crossref: candidate rejected: venue "2019 IEEE/CVF International Conference on Computer Vision (ICCV)" is not CVPR'


def test_a_candidate_with_another_title_is_rejected(server, http, cache):
    dblp_without_doi(server, 11)
    server.script("/works", crossref_list([crossref_work(11, title="Synthetic paper 11 and Beyond")]))
    (outcome,) = resolve_rows([cvf_row(11)], Settings(), cache=cache, http=http)
    assert outcome.record.doi == "" and not outcome.title_mismatch
    assert outcome.reason == 'no DOI from Crossref: candidate rejected: title differs: "Synthetic paper 11 and Beyond"'


def test_no_candidate_at_all(server, http, cache):
    dblp_without_doi(server, 12, venue="IJCAI")
    server.script("/works", crossref_list([]))
    entry, ident = cvf_row(12, kind="ijcai", venue="IJCAI")
    (outcome,) = resolve_rows([(entry, ident)], Settings(), cache=cache, http=http)
    assert outcome.reason == "no DOI from Crossref: not found on Crossref (no candidate for the title)"
    assert cache.get(query_key(entry)).status == "not-found"


def test_a_page_link_of_a_row_naming_no_conference_gets_a_crossref_query(server, http, cache):
    server.script("/works", crossref_list([crossref_work(13)]))
    entry, ident = cvf_row(13, venue="arXiv")
    (outcome,) = resolve_rows([(entry, ident)], Settings(), cache=cache, http=http)
    assert [r.path for r in server.log] == ["/works"]  # DBLP is not asked for a preprint row
    assert (outcome.source, outcome.record.doi) == ("crossref", "10.5555/synthetic.13")


# ---------------------------------------------------------------------- killed mid-run

KILLED_RUN = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    from fakeserver import FakeServer
    from wire import crossref_ok, crossref_work
    import os
    from prune2bib.identify import Identifier
    from prune2bib.readme import Entry
    from prune2bib.resolve import Settings, resolve_rows

    with FakeServer() as server:
        for n in range(200):
            reply = crossref_ok(crossref_work(n))
            reply.delay = 0.02
            server.script(f"/works/10.5555/synthetic.{n}", reply)
        os.environ["PRUNE2BIB_CROSSREF_URL"] = server.url
        rows = [(Entry(n, 2019, f"Synthetic paper {n}", "", "CVPR", ("F",)), Identifier("doi", f"10.5555/synthetic.{n}"))
                for n in range(200)]
        done = [0]
        def progress(k):
            done[0] += k
            print(done[0], flush=True)   # rows are committed to the cache before progress is called
        resolve_rows(rows, Settings(mailto="ops@example.org"), progress=progress)
    """
)


def test_killing_the_process_mid_run_loses_no_committed_record(tmp_path):
    env = {**os.environ, "PRUNE2BIB_CACHE_DIR": str(tmp_path / "cache")}
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(TESTS)], stdout=subprocess.PIPE, text=True, env=env)
    done = 0
    try:
        for line in child.stdout:
            done = int(line)
            if done >= 15:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()
    assert done >= 15 and child.returncode == -signal.SIGKILL
    with open_cache(tmp_path / "cache") as cache:
        for n in range(done):
            assert cache.get(f"doi:10.5555/synthetic.{n}").record.title == f"Synthetic paper {n}"
        assert cache.info().total < 200  # it really was killed mid-run

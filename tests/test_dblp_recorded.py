"""Replays of *real* DBLP search-API answers: the tables of contents of IJCAI 2018, 2019, 2020.

Source: dataunitylab/paper-gender-analysis at commit a4f289341b6f940a50d201928b76e3a9950794e7,
`data/AI/ijcai-2018.json`, `ijcai-2019.json`, `ijcai-2020.json` (added 2021-01-25, commit c042fb1;
`data/` is CC0, its `data/LICENSE.md`; the records themselves are DBLP data, CC0). Each file is
the body `wget` saved for `https://dblp.org/search/publ/api?q=toc%3Adb/conf/ijcai/ijcai<year>.bht%3A
&h=1000&format=json` (the repository's `fetch-papers.sh`). They are stored byte for byte, gzipped, in
cassettes/sources/dblp/recorded/ (sha256 of each uncompressed body in cassettes/sources/SOURCES.md)
and served by a local fake DBLP on the fake clock.

What the real wire shows and these tests hold prune2bib to: XML character references in titles
("Global &amp; Dynamic Filter Pruning", "&apos;", "&quot;"); `doi` upper-cased beside a
lower-case doi.org `ee`; homonym numbers ("Yang He 0002"); one "Editorship" record naming the
proceedings; DBLP's ' - ' where the paper has ':' ("COP - Customized …"); `@sent` = `@total` for a
volume under 1000 papers (one request); the `query` echoed as `:facetid:toc:db"/"conf"/…`.
"""

from __future__ import annotations

import gzip

import pytest

from conftest import CASSETTES, UPSTREAM
from fakeserver import FakeServer, Logged, Reply
from prune2bib import venues_dblp
from prune2bib.identify import identify
from prune2bib.readme import parse_readme
from prune2bib.record import Person
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import dblp
from wire import FakeArxiv

RECORDED = CASSETTES / "sources" / "dblp" / "recorded"
PAPERS = {2018: 870, 2019: 965, 2020: 778}  # papers in each table of contents (+ 1 Editorship record)


def recorded(year: int) -> bytes:
    return gzip.decompress((RECORDED / f"toc-ijcai{year}.json.gz").read_bytes())


def fetch_recorded(url: str, params: dict) -> str:
    year = int(params["q"].removeprefix("toc:db/conf/ijcai/ijcai")[:4])
    assert params["f"] == 0, "a volume under 1000 papers is one request"
    return recorded(year).decode("utf-8")


@pytest.mark.parametrize("year", sorted(PAPERS))
def test_a_real_table_of_contents_lists_every_paper_with_the_proceedings_title(year):
    listing = dblp.list_proceedings("IJCAI", year, fetch_recorded)
    assert len(listing) == PAPERS[year]
    assert {r.container_title_short for r in listing} == {"IJCAI"} and {r.year for r in listing} == {year}
    assert {r.container_title for r in listing} == {venues_dblp.long_booktitle("IJCAI", year)}  # the Editorship record's title
    assert not [r.title for r in listing if "&amp;" in r.title or "&apos;" in r.title or "&quot;" in r.title]


def test_real_entities_doi_case_and_homonym_numbers():
    listing = dblp.list_proceedings("IJCAI", 2018, fetch_recorded)
    gdp = dblp.match_in_listing("Accelerating Convolutional Networks via Global & Dynamic Filter Pruning", listing)
    assert gdp.title == "Accelerating Convolutional Networks via Global & Dynamic Filter Pruning"  # "&amp;" on the wire
    assert (gdp.doi, gdp.page, gdp.url) == ("10.24963/ijcai.2018/336", "2425-2432", "https://doi.org/10.24963/ijcai.2018/336")
    assert gdp.authors[-1] == Person(family="Zhang", given="Baochang")  # "Baochang Zhang 0001"
    sfp = dblp.match_in_listing("Soft Filter Pruning for Accelerating Deep Convolutional Neural Networks", listing)
    assert [p.display() for p in sfp.authors] == ["Yang He", "Guoliang Kang", "Xuanyi Dong", "Yanwei Fu", "Yi Yang"]
    assert "Payoff Control in the Iterated Prisoner's Dilemma" in {r.title for r in listing}  # "&apos;"


def test_a_colon_dblp_wrote_as_a_dash_still_matches_the_rows_title():
    listing = dblp.list_proceedings("IJCAI", 2019, fetch_recorded)
    cop = dblp.match_in_listing("COP: Customized Deep Model Compression via Regularized Correlation-Based Filter-Level Pruning", listing)
    assert cop.title == "COP - Customized Deep Model Compression via Regularized Correlation-Based Filter-Level Pruning"
    assert (cop.doi, cop.page) == ("10.24963/ijcai.2019/525", "3785-3791")


# ------------------------------------------------------------------ the list's own rows, end to end


class RecordedDblp:
    """A fake DBLP answering `toc:` queries of IJCAI 2018-2020 with the recorded bodies, verbatim."""

    def __call__(self, request: Logged) -> Reply:
        q = request.param("q")
        for year in PAPERS:
            if q == f"toc:db/conf/ijcai/ijcai{year}.bht:" and request.param("f") == "0":
                return Reply(200, recorded(year), {"Content-Type": "application/json; charset=utf-8"})
        return Reply(404, "not recorded")


@pytest.fixture
def server(clock, monkeypatch):
    with FakeServer(clock=clock) as srv:
        for name in ("ARXIV", "CROSSREF", "DBLP", "OPENREVIEW", "OPENREVIEW2"):
            monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", srv.url)
        srv.route("/search/publ/api", RecordedDblp())
        srv.route("/api/query", FakeArxiv({}))  # arXiv is not what this test is about: it knows nothing
        yield srv


def test_the_lists_ijcai_rows_resolve_from_the_real_tables_of_contents(server, http, cache):
    entries = {e.line: e for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))}
    rows = [(entries[n], identify(entries[n].url)) for n in (252, 300, 330, 331)]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert [r.param("q") for r in server.requests_to("/search/publ/api")] == [
        f"toc:db/conf/ijcai/ijcai{y}.bht:" for y in (2018, 2019, 2020)
    ]  # one request per venue-year, no title search
    assert server.requests_to("/works") == []  # DBLP gave DOI and pages: Crossref is not asked
    got = {o.record.title: (o.source, o.record.doi, o.record.page) for o in outcomes}
    assert got == {
        "Channel Pruning via Automatic Structure Search": ("dblp", "10.24963/ijcai.2020/94", "673-679"),
        "COP - Customized Deep Model Compression via Regularized Correlation-Based Filter-Level Pruning": (
            "dblp", "10.24963/ijcai.2019/525", "3785-3791"),
        "Soft Filter Pruning for Accelerating Deep Convolutional Neural Networks": ("dblp", "10.24963/ijcai.2018/309", "2234-2240"),
        "Accelerating Convolutional Networks via Global & Dynamic Filter Pruning": ("dblp", "10.24963/ijcai.2018/336", "2425-2432"),
    }  # fmt: skip
    assert http.sent("dblp") == 3

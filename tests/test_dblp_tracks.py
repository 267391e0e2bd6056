"""A DBLP title-search hit is the row's conference paper only if it is in the *main* proceedings.

DBLP files a conference's workshop volumes in the conference's own stream (`conf/iclr/`, tables of
contents `iclr2017w`, `iclr2018w`, ...), with keys shaped like the main track's, and labels some
workshop-track papers plain "ICLR" (a term-level `venue:ICLR:` query finds 311 ICLR 2017 papers
for 198 accepted; see resolvers/dblp.py). Against a local fake DBLP (synthetic bodies in DBLP's
wire format, tests/wire_dblp.py): a hit with the main venue's name but absent from the main
table of contents, a hit labelled as a workshop, and a hit whose key lies in another stream are
refused, each with a reason in the report; a hit the table of contents lists is taken.
"""

from __future__ import annotations

import pytest

from fakeserver import FakeServer
from prune2bib import pipeline, venues_dblp
from prune2bib.identify import identify
from prune2bib.readme import Entry
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import dblp
from wire import FakeArxiv, synthetic_arxiv_id
from wire_dblp import FakeDblp, dblp_info

ICLR_2017 = "db/conf/iclr/iclr2017.bht"


@pytest.fixture
def retry_attempts():
    return 2


@pytest.fixture
def server(clock, monkeypatch):
    with FakeServer(clock=clock) as srv:
        for name in ("ARXIV", "CROSSREF", "DBLP", "OPENREVIEW", "OPENREVIEW2"):
            monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", srv.url)
        yield srv


def arxiv_row(n: int, venue: str = "ICLR", year: int = 2017):
    url = f"https://arxiv.org/abs/{synthetic_arxiv_id(n)}"
    return Entry(n, year, f"Synthetic paper {n}", url, venue, ("W",)), identify(url)


def main_track(*numbers: int) -> list[dict]:
    return [dblp_info(f"Synthetic paper {n}", "ICLR", 2017, n=n, ee=f"https://openreview.net/forum?id=synth{n}") for n in numbers]


def serve(server, tocs: dict, extra: list[dict], arxiv: tuple[int, ...]) -> None:
    server.route("/search/publ/api", FakeDblp(tocs, extra=extra))
    server.route("/api/query", FakeArxiv({synthetic_arxiv_id(n): {"n": n} for n in arxiv}))


def searches(server) -> list[str]:
    return [r.param("q") for r in server.requests_to("/search/publ/api")]


def test_a_workshop_track_hit_with_the_main_venue_name_is_refused_with_a_reason(server, http, cache):
    """DBLP labels the workshop paper plain 'ICLR', key conf/iclr/…17: only the toc tells."""
    workshop = dblp_info("Synthetic paper 40", "ICLR", 2017, n=40, ee="https://openreview.net/forum?id=synth40")
    serve(server, {ICLR_2017: main_track(41, 42), "db/conf/iclr/iclr2017w.bht": [workshop]}, [], (40, 41))
    rows = [arxiv_row(40), arxiv_row(41)]
    refused, taken = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert searches(server) == [f"toc:{ICLR_2017}:", "Synthetic paper 40"]
    assert (refused.source, [s for s, _ in refused.records]) == ("arxiv", ["arxiv"])  # the preprint, not the workshop paper
    assert refused.reason == (
        "not upgraded: DBLP has this title at ICLR 2017, but the main proceedings' table of contents "
        f"(toc:{ICLR_2017}, 2 papers) does not list it: a workshop track or another volume"
    )
    assert (taken.source, taken.record.type) == ("dblp", "paper-conference")
    exported = pipeline._merged(*rows[0], refused, "published")
    assert "does not list it: a workshop track" in exported.report_line()
    assert exported.provenance.as_dict().get("container_title") != "dblp"


def test_a_hit_labelled_as_a_workshop_volume_is_refused_and_says_so(server, http, cache):
    workshop = dblp_info("Synthetic paper 43", "ICLR (Workshop)", 2017, n=43, key="conf/iclr/Synth4317")
    serve(server, {ICLR_2017: main_track(44)}, [workshop], (43,))
    (outcome,) = resolve_rows([arxiv_row(43)], Settings(), cache=cache, http=http)
    assert outcome.source == "arxiv"
    assert outcome.reason == "not upgraded: DBLP has this title in a workshop volume (ICLR (Workshop) 2017), not in ICLR 2017's main proceedings"


@pytest.mark.parametrize("label", ["CVPR Workshops", "RML@ICLR", "ECCV Workshops (3)"])
def test_workshop_labels(label):
    assert dblp.is_workshop_label(label)
    record = dblp.record_from_info(dblp_info("Synthetic paper 1", label, 2019, n=1))
    assert dblp.is_workshop_label(record.container_title_short)  # so it names no main venue
    assert venues_dblp.dblp_venue(record.container_title_short) is None


@pytest.mark.parametrize(("label", "short"), [("ECCV (3)", "ECCV"), ("ICLR (Poster)", "ICLR"), ("ICLR (Oral)", "ICLR"), ("ICLR (Workshop)", "ICLR (Workshop)")])
def test_a_volume_or_presentation_qualifier_is_dropped_a_workshop_one_is_kept(label, short):
    assert dblp.record_from_info(dblp_info("Synthetic paper 1", label, 2018, n=1)).container_title_short == short


def test_a_hit_whose_key_lies_in_another_stream_is_refused_and_named(server, http, cache):
    stray = dblp_info("Synthetic paper 45", "ICLR", 2017, n=45, key="conf/iclrw/Synth4517")
    serve(server, {ICLR_2017: main_track(46)}, [stray], (45,))
    (outcome,) = resolve_rows([arxiv_row(45)], Settings(), cache=cache, http=http)
    assert outcome.reason == "not upgraded: DBLP has this title at ICLR under DBLP key conf/iclrw/Synth4517 2017, not at ICLR 2017"


def test_the_iclr_corr_keys_of_2013_to_2016_are_in_iclrs_stream():
    """DBLP files ICLR 2016 papers under CoRR keys (journals/corr/HanMD15, Deep Compression)."""
    assert dblp.in_own_stream({"key": "journals/corr/HanMD15"}, "ICLR", 2016)
    assert not dblp.in_own_stream({"key": "journals/corr/HanMD15"}, "ICLR", 2017)
    assert not dblp.in_own_stream({"key": "journals/corr/X19"}, "CVPR", 2019)
    assert dblp.in_own_stream({"key": "conf/nips/X19"}, "NeurIPS", 2019)


def test_a_search_hit_of_an_unlisted_venue_year_is_checked_against_its_toc_once(server, http, cache):
    """With listing postponed (listing_min_rows=5) the title search comes first; its hit is then
    confirmed by listing the venue-year once; that listing is kept for good like any other."""
    serve(server, {ICLR_2017: main_track(47, 48)}, [], (47,))
    settings = Settings(listing_min_rows=5)
    (outcome,) = resolve_rows([arxiv_row(47)], settings, cache=cache, http=http)
    assert searches(server) == ["Synthetic paper 47", f"toc:{ICLR_2017}:"]
    assert (outcome.source, outcome.record.url, outcome.requests) == ("dblp", "https://openreview.net/forum?id=synth47", 3)
    assert cache.get_listing(dblp.listing_key("ICLR", 2017)).stale is False
    before = len(server.log)
    (again,) = resolve_rows([arxiv_row(47)], settings, cache=cache, http=http)
    assert again.source == "dblp" and len(server.log) == before  # search and listing both cached


def test_without_the_toc_offline_the_hit_is_a_cache_miss_not_a_paper(server, http, cache):
    serve(server, {ICLR_2017: main_track(49)}, [], (49,))
    settings = Settings(listing_min_rows=5)
    cache.put_listing("dblp-search:synthetic paper 49", "dblp corr=0", dblp.search_records("Synthetic paper 49",
                      lambda url, params: {"result": {"hits": {"@total": "1", "hit": [{"info": main_track(49)[0]}]}}})[0], expires=True)  # fmt: skip
    (outcome,) = resolve_rows([arxiv_row(49)], Settings(offline=True, listing_min_rows=5), cache=cache, http=http)
    assert outcome.status == "cache-miss" and outcome.record is None and len(server.log) == 0
    assert "cannot check that DBLP's ICLR 2017 paper of this title is in the main proceedings" in outcome.reason
    assert settings  # the online run would list the toc (previous test)


def test_the_same_record_twice_in_a_toc_is_told_apart_by_its_link():
    """Two near-identical titles defeat the listing match; the search hit is still the listed one."""
    from prune2bib.published import _same_dblp_record

    a = dblp.record_from_info(dblp_info("Synthetic paper 50", "ICLR", 2017, n=50, ee="https://openreview.net/forum?id=a"))
    b = dblp.record_from_info(dblp_info("Synthetic paper 50", "ICLR", 2017, n=51, ee="https://openreview.net/forum?id=b"))
    assert _same_dblp_record(a, a) and not _same_dblp_record(a, b)


# ---------------------------------------------------------------- text as DBLP writes it


def test_xml_entities_in_titles_and_names_are_decoded():
    info = dblp_info("Pruning &amp; Quantization: Less &lt; More for Caf&#233; Nets.", "CVPR", 2019, n=1,
                     authors=("J&#246;rg M&#252;ller", "Ana &amp; Co"))  # fmt: skip
    record = dblp.record_from_info(info)
    assert record.title == "Pruning & Quantization: Less < More for Café Nets"
    assert [p.display() for p in record.authors] == ["Jörg Müller", "Ana & Co"]


def test_an_entity_title_still_matches_the_rows_title_in_a_search():
    info = dblp_info("Pruning &amp; Quantization for Synthetic Nets.", "CVPR", 2019, n=1)
    records, corr = dblp.search_records("Pruning & Quantization for Synthetic Nets",
                                        lambda url, params: {"result": {"hits": {"@total": "1", "hit": [{"info": info}]}}})  # fmt: skip
    assert [r.title for r in records] == ["Pruning & Quantization for Synthetic Nets"] and corr == 0


def test_an_upper_cased_doi_takes_the_spelling_of_its_doi_org_link():
    """DBLP's `doi` is upper-cased while its `ee` keeps the registrant's case (bibtex-dblp's
    live test: doi 10.1007/S10791-008-9048-X, ee https://doi.org/10.1007/s10791-008-9048-x)."""
    info = dblp_info("Synthetic paper 1", "CVPR", 2019, n=1, doi="10.5555/SYNTH.X-1", ee="https://doi.org/10.5555/synth.x-1")
    assert dblp.record_from_info(info).doi == "10.5555/synth.x-1"
    info = dblp_info("Synthetic paper 1", "CVPR", 2019, n=1, doi="10.5555/SYNTH.X-1", ee="https://example.org/x")
    assert dblp.record_from_info(info).doi == "10.5555/SYNTH.X-1"

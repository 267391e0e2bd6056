"""Real rows of the list, resolved through the real service URLs, replayed from cassettes.

The cassettes (cassettes/test_cassettes_resolve/) were assembled offline from sourced facts by
tests/tools/build_cassettes.py; the expected values below are those facts, as
cassettes/sources/SOURCES.md names their public sources. Network is blocked: a request the
cassette does not hold fails the test. To re-record live, see cassettes/README.md.
"""

from __future__ import annotations

import os
import time

import pytest

from conftest import UPSTREAM, recording
from fakeserver import FakeClock
from prune2bib.http import Http, RetryPolicy
from prune2bib.identify import identify
from prune2bib.readme import parse_readme
from prune2bib.record import PAPER_CONFERENCE, PREPRINT
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import arxiv as arxiv_source

pytestmark = pytest.mark.vcr
# Read at import: conftest clears PRUNE2BIB_MAILTO for every test, but a live re-recording should
# be polite (cassettes/README.md).
RECORDING_MAILTO = os.environ.get("PRUNE2BIB_MAILTO", "")

# The exported facts of each arXiv row since issue 4: the *published* version from DBLP (title,
# authors in order, the venue's year, DOI), with the arXiv primary category kept.
# (link in the list, title, authors in order, year, DOI, arXiv primary category)
ARXIV_FACTS = [
    ("https://arxiv.org/abs/1510.00149",
     "Deep Compression: Compressing Deep Neural Network with Pruning, Trained Quantization and Huffman Coding",
     ["Song Han", "Huizi Mao", "William J. Dally"], 2016, "", "cs.CV"),
    ("https://arxiv.org/abs/1608.04493", "Dynamic Network Surgery for Efficient DNNs",
     ["Yiwen Guo", "Anbang Yao", "Yurong Chen"], 2016, "", "cs.NE"),
    ("https://arxiv.org/abs/1608.08710", "Pruning Filters for Efficient ConvNets",
     ["Hao Li", "Asim Kadav", "Igor Durdanovic", "Hanan Samet", "Hans Peter Graf"], 2017, "", "cs.CV"),
    ("https://arxiv.org/abs/1811.00250",
     "Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration",
     ["Yang He", "Ping Liu", "Ziwei Wang", "Zhilan Hu", "Yi Yang"], 2019, "10.1109/CVPR.2019.00447", "cs.CV"),
    ("https://arxiv.org/abs/1903.10258", "MetaPruning: Meta Learning for Automatic Neural Network Channel Pruning",
     ["Zechun Liu", "Haoyuan Mu", "Xiangyu Zhang", "Zichao Guo", "Xin Yang", "Kwang-Ting Cheng", "Jian Sun"],
     2019, "10.1109/ICCV.2019.00339", "cs.CV"),
    ("https://arxiv.org/abs/1907.03141",
     "AutoCompress: An Automatic DNN Structured Pruning Framework for Ultra-High Compression Rates",
     ["Ning Liu", "Xiaolong Ma", "Zhiyuan Xu", "Yanzhi Wang", "Jian Tang", "Jieping Ye"], 2020, "", "cs.LG"),
    # No DBLP record of ECCV 2020 could be sourced (the cassette's DBLP answer is empty, and says
    # so): this row exports as the ECCV paper the list names, filled from the arXiv preprint.
    ("https://arxiv.org/abs/2007.02491", "EagleEye: Fast Sub-net Evaluation for Efficient Neural Network Pruning",
     ["Bailin Li", "Bowen Wu", "Jiang Su", "Guangrun Wang", "Liang Lin"], 2020, "", "cs.CV"),
]  # fmt: skip
UNSOURCED_ON_DBLP = {"2007.02491"}
# What arXiv itself says (the preprint record kept beside the published one): title, authors, v1 year.
ARXIV_PREPRINTS = {
    "1510.00149": ("Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding",
                   ["Song Han", "Huizi Mao", "William J. Dally"], 2015),
    "1608.04493": ("Dynamic Network Surgery for Efficient DNNs", ["Yiwen Guo", "Anbang Yao", "Yurong Chen"], 2016),
    "1608.08710": ("Pruning Filters for Efficient ConvNets",
                   ["Hao Li", "Asim Kadav", "Igor Durdanovic", "Hanan Samet", "Hans Peter Graf"], 2016),
    "1811.00250": ("Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration",
                   ["Yang He", "Ping Liu", "Ziwei Wang", "Zhilan Hu", "Yi Yang"], 2018),
    "1903.10258": ("MetaPruning: Meta Learning for Automatic Neural Network Channel Pruning",
                   ["Zechun Liu", "Haoyuan Mu", "Xiangyu Zhang", "Zichao Guo", "Xin Yang", "Tim Kwang-Ting Cheng", "Jian Sun"], 2019),
    "1907.03141": ("AutoCompress: An Automatic DNN Structured Pruning Framework for Ultra-High Compression Rates",
                   ["Ning Liu", "Xiaolong Ma", "Zhiyuan Xu", "Yanzhi Wang", "Jian Tang", "Jieping Ye"], 2019),
    "2007.02491": ("EagleEye: Fast Sub-net Evaluation for Efficient Neural Network Pruning",
                   ["Bailin Li", "Bowen Wu", "Jiang Su", "Guangrun Wang", "Liang Lin"], 2020),
}  # fmt: skip

# (link, title, authors, year, DOI, pages)
SPRINGER_FACTS = [
    ("https://link.springer.com/10.1007/978-3-031-20083-0_8", "Prune Your Model Before Distill It",
     ["Jinhyuk Park", "Albert No"], 2022, "10.1007/978-3-031-20083-0_8", "120-136"),
    ("https://link.springer.com/10.1007/978-3-031-20083-0_20", "Disentangled Differentiable Network Pruning",
     ["Shangqian Gao", "Feihu Huang", "Yanfu Zhang", "Heng Huang"], 2022, "10.1007/978-3-031-20083-0_20", "328-345"),
]  # fmt: skip

CVF_LINK = "https://openaccess.thecvf.com/content_CVPR_2019/html/Zhao_Variational_Convolutional_Neural_Network_Pruning_CVPR_2019_paper.html"
CVF_FACTS = ("Variational Convolutional Neural Network Pruning",
             ["Chenglong Zhao", "Bingbing Ni", "Jian Zhang", "Qiwei Zhao", "Wenjun Zhang", "Qi Tian"], 2019,
             "10.1109/CVPR.2019.00289")  # fmt: skip


@pytest.fixture(scope="module")
def vcr_config(vcr_config, pytestconfig):
    # conftest pins record_mode 'none', which would also override `--record-mode=rewrite`: let the
    # command line win, so that cassettes/README.md's re-recording command works.
    if pytestconfig.getoption("--record-mode", None) not in (None, "none"):
        return {k: v for k, v in vcr_config.items() if k != "record_mode"}
    return vcr_config


@pytest.fixture
def http(request):
    # Replaying: no real waiting. Re-recording live: real sleeps, so arXiv's 3 s spacing holds.
    # (addopts always passes --record-mode=none: replaying is that mode, or a test pinned to it.)
    live = recording(request)
    clock = FakeClock()
    client = Http(mailto=RECORDING_MAILTO if live else "", policy=RetryPolicy(attempts=2, failures_to_give_up=1),
                  clock=time.monotonic if live else clock, sleep=time.sleep if live else clock.sleep,
                  warn=lambda message: None)  # fmt: skip
    yield client
    client.close()


@pytest.fixture(scope="module")
def rows_by_link():
    return {e.url: (e, identify(e.url)) for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))}


def names(record):
    return [p.display() for p in record.authors]


def test_arxiv_rows_from_several_years(rows_by_link, http, cache):
    rows = [rows_by_link[link] for link, *_ in ARXIV_FACTS]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert http.sent("arxiv") == 1  # seven rows, one request
    assert http.sent("dblp") == 7  # each row is alone in its venue-year: one title search each
    for (link, title, authors, year, doi, category), outcome in zip(ARXIV_FACTS, outcomes):
        record, arxiv_id = outcome.record, link.rsplit("/", 1)[1]
        ((_, preprint),) = [(s, r) for s, r in outcome.records if s == "arxiv"]
        assert (preprint.title, names(preprint), preprint.year) == ARXIV_PREPRINTS[arxiv_id]
        assert preprint.type == PREPRINT and preprint.doi == ""
        if arxiv_id in UNSOURCED_ON_DBLP:
            assert (outcome.status, outcome.source, record.type) == ("resolved", "arxiv", PREPRINT)
            continue
        assert (outcome.status, outcome.source) == ("resolved", "dblp"), (link, outcome.reason)
        assert (record.title, names(record), record.year, record.doi) == (title, authors, year, doi)
        assert (record.type, record.arxiv_class, record.arxiv_id) == (PAPER_CONFERENCE, category, arxiv_id)

def test_springer_doi_rows(rows_by_link, http, cache):
    rows = [rows_by_link[link] for link, *_ in SPRINGER_FACTS]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    for (link, title, authors, year, doi, pages), outcome in zip(SPRINGER_FACTS, outcomes):
        record = outcome.record
        assert (outcome.status, outcome.source) == ("resolved", "crossref"), (link, outcome.reason)
        assert (record.title, names(record), record.year, record.doi, record.page) == (title, authors, year, doi, pages)
        assert record.type == PAPER_CONFERENCE
        assert (record.container_title, record.collection_title) == ("Computer Vision – ECCV 2022", "Lecture Notes in Computer Science")
        assert (record.volume, record.publisher) == ("13671", "Springer Nature Switzerland")


def test_cvf_row_through_a_crossref_query(rows_by_link, http, cache):
    # Named for its first life (issue 3: a CVF row went to a Crossref query). Since issue 4 a CVF row
    # is looked up on DBLP first; DBLP's record has the DOI and pages, so Crossref is not asked.
    entry, ident = rows_by_link[CVF_LINK]
    assert ident.kind == "cvf"
    (outcome,) = resolve_rows([(entry, ident)], Settings(), cache=cache, http=http)
    record = outcome.record
    assert (outcome.status, outcome.source) == ("resolved", "dblp"), outcome.reason
    assert (record.title, names(record), record.year, record.doi) == CVF_FACTS
    assert record.type == PAPER_CONFERENCE and record.page == "2780-2789"
    assert (http.sent("dblp"), http.sent("crossref")) == (1, 0)

@pytest.mark.vcr(record_mode="none")  # an outage cannot be re-recorded on demand: always replayed
def test_cvf_row_through_a_crossref_query_when_dblp_is_down(rows_by_link, http, cache):
    entry, ident = rows_by_link[CVF_LINK]
    (outcome,) = resolve_rows([(entry, ident)], Settings(), cache=cache, http=http)
    record = outcome.record
    assert (outcome.status, outcome.source) == ("resolved", "crossref"), outcome.reason
    assert (record.title, names(record), record.year, record.doi) == CVF_FACTS
    assert record.type == PAPER_CONFERENCE and record.publisher == "IEEE"
    assert "HTTP 503" in outcome.reason and outcome.reason.endswith("found through a Crossref query")
    assert http.sent("crossref") == 1


def test_arxiv_not_found(http):
    ((arxiv_id, lookup),) = list(arxiv_source.resolve_ids(["2101.99999"], http))
    assert (arxiv_id, lookup.status, lookup.reason) == ("2101.99999", "not-found", "not found on arXiv")


def test_arxiv_400_for_a_malformed_id_list(http):
    lookups = arxiv_source.fetch_batch(["1608.08710", "abc"], http)  # bypasses the validation on purpose
    assert {k: (v.status, v.reason) for k, v in lookups.items()} == {
        "1608.08710": ("failed", "arXiv answered HTTP 400"),
        "abc": ("failed", "arXiv answered HTTP 400"),
    }


def test_crossref_not_found(rows_by_link, http, cache):
    entry = rows_by_link[SPRINGER_FACTS[0][0]][0]
    (outcome,) = resolve_rows([(entry, identify("https://doi.org/10.5555/prune2bib-no-such-doi"))], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.reason, outcome.record) == ("unresolved", "not found on Crossref", None)
    assert cache.get("doi:10.5555/prune2bib-no-such-doi").status == "not-found"


@pytest.mark.vcr(record_mode="none")  # an outage cannot be re-recorded on demand: always replayed
def test_crossref_outage_leaves_rows_unresolved(rows_by_link, http, cache):
    rows = [rows_by_link[link] for link, *_ in SPRINGER_FACTS]
    first, second = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert first.status == "unresolved" and "crossref: HTTP 503 after 2 attempt" in first.reason
    assert second.status == "unresolved" and "not asked again this run" in second.reason
    assert http.sent("crossref") == 2

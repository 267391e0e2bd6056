"""One booktitle per venue per style in a whole export (issue 12 point 2), over every resolved
cassette row.

Every cassette of real rows is replayed (`cassettes/test_published_cassettes/`: 26 rows of every
link kind; `cassettes/test_cassettes_resolve/`: arXiv rows of several years, the two Springer
ECCV 2022 chapters, the CVF row through DBLP and, with DBLP down, through a Crossref query), so
the records come from DBLP volume titles ("5th International Conference on Learning
Representations, ICLR 2017, Toulon, France, …"), Crossref container titles ("Computer Vision –
ECCV 2022") and OpenReview's venue names. Exported together, in the long style each (venue, year) has exactly
one booktitle, the venue table's long name of that year; in the short style each venue one, its
acronym. The sources' own names stay in the report; LNCS stays series and volume.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import bibtexparser
import pytest
import vcr

from conftest import CASSETTES, UPSTREAM
from fakeserver import FakeClock
from latex_decode import decode as plain
from prune2bib import venues
from prune2bib.cache import open_cache
from prune2bib.http import Http, RetryPolicy
from prune2bib.identify import identify
from prune2bib.pipeline import RowOutcome, _merged
from prune2bib.readme import parse_readme
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.writers import WriteOptions, render

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import build_cassettes  # noqa: E402  (the rows the published-version cassette covers)
from test_cassettes_resolve import ARXIV_FACTS, CVF_LINK, SPRINGER_FACTS  # noqa: E402

RESOLVE = CASSETTES / "test_cassettes_resolve"
# (cassette, the rows' links): each replayed as its own test recorded it.
REPLAYS = [
    (CASSETTES / "test_published_cassettes" / "test_published_versions_of_real_rows.yaml", list(build_cassettes.PUBLISHED_LINKS)),
    (RESOLVE / "test_arxiv_rows_from_several_years.yaml", [link for link, *_ in ARXIV_FACTS]),
    (RESOLVE / "test_springer_doi_rows.yaml", [link for link, *_ in SPRINGER_FACTS]),
    (RESOLVE / "test_cvf_row_through_a_crossref_query.yaml", [CVF_LINK]),
    (RESOLVE / "test_cvf_row_through_a_crossref_query_when_dblp_is_down.yaml", [CVF_LINK]),
]
REPLAY = vcr.VCR(record_mode="none", match_on=("method", "scheme", "host", "port", "path", "query"),
                 decode_compressed_response=True)  # fmt: skip


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> list[RowOutcome]:
    """Every resolved cassette row, merged into the record it exports as (one cache per replay)."""
    by_link = {e.url: e for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))}
    merged: list[RowOutcome] = []
    for n, (cassette, links) in enumerate(REPLAYS):
        rows = [(by_link[link], identify(link)) for link in links]
        clock = FakeClock()
        http = Http(policy=RetryPolicy(attempts=2, failures_to_give_up=1), clock=clock, sleep=clock.sleep, warn=lambda m: None)
        with REPLAY.use_cassette(str(cassette)), open_cache(tmp_path_factory.mktemp(f"cache{n}")) as cache:
            found = resolve_rows(rows, Settings(), cache=cache, http=http)
        http.close()
        merged += [_merged(entry, ident, o, "published") for (entry, ident), o in zip(rows, found) if o.record is not None]
    return merged


def booktitles(outcomes: list[RowOutcome], style: str) -> dict[str, str]:
    records = [o.record.with_(id=f"row{i}") for i, o in enumerate(outcomes)]
    text = render(records, "bibtex", WriteOptions(venue_style=style, group_by="none"))
    return {e.key: plain(e.fields_dict["booktitle"].value) for e in bibtexparser.parse_string(text).entries if "booktitle" in e.fields_dict}


def venue_of(outcome: RowOutcome) -> str:
    return venues.lookup(outcome.entry.venue).id


def test_every_cassette_row_resolves(outcomes):
    assert len(outcomes) >= 35
    assert all(o.status == "resolved" for o in outcomes), [(o.entry.title, o.reason) for o in outcomes if o.status != "resolved"]
    # The sources named the venues in many ways: the report keeps them all.
    names = {pair for o in outcomes for pair in o.provenance.venue_names}
    assert ("crossref", "Computer Vision – ECCV 2022") in names
    assert ("openreview", "International Conference on Learning Representations") in names
    assert ("dblp", "5th International Conference on Learning Representations, ICLR 2017, Toulon, France, "
                    "April 24-26, 2017, Conference Track Proceedings") in names  # fmt: skip
    assert {source for source, _ in names} == {"dblp", "crossref", "openreview"}


def test_one_long_booktitle_per_venue_and_year(outcomes):
    titles = booktitles(outcomes, "long")
    seen: dict[tuple[str, int], set[str]] = defaultdict(set)
    for i, outcome in enumerate(outcomes):
        seen[(venue_of(outcome), outcome.record.year)].add(titles[f"row{i}"])
    assert len(titles) == len(outcomes)  # every row is a conference paper with a booktitle
    assert {key: names for key, names in seen.items() if len(names) != 1} == {}
    for (venue_id, year), (name,) in seen.items():
        assert name == venues.by_id(venue_id).long_name(year)
    assert len(seen) >= 15  # many venue-years, from every source


def test_one_short_booktitle_per_venue(outcomes):
    titles = booktitles(outcomes, "short")
    seen: dict[str, set[str]] = defaultdict(set)
    for i, outcome in enumerate(outcomes):
        seen[venue_of(outcome)].add(titles[f"row{i}"])
    assert seen == {venue_id: {venue_id} for venue_id in seen}
    assert {"CVPR", "ICCV", "ECCV", "ICLR", "NeurIPS", "ICML", "IJCAI", "AAAI"} <= set(seen)


def test_lncs_stays_series_and_volume_and_the_report_names_the_book(outcomes):
    springer = [o for o in outcomes if o.record.doi.startswith("10.1007/978-3-031-20083-0")]
    assert len(springer) >= 2
    records = [o.record.with_(id=f"s{i}") for i, o in enumerate(springer)]
    for entry in bibtexparser.parse_string(render(records, "bibtex", WriteOptions(group_by="none"))).entries:
        fields = {k: plain(f.value) for k, f in entry.fields_dict.items()}
        assert (fields["booktitle"], fields["series"], fields["volume"]) == (
            "Proceedings of the European Conference on Computer Vision (ECCV)", "Lecture Notes in Computer Science", "13671")
    for item in json.loads(render(records, "csljson", WriteOptions(group_by="none"))):
        assert (item["container-title"], item["collection-title"], item["volume"]) == (
            "Proceedings of the European Conference on Computer Vision (ECCV)", "Lecture Notes in Computer Science", "13671")
    report = json.loads(springer[0].report_line())
    assert report["venue_names"]["crossref"] == "Computer Vision – ECCV 2022"
    assert report["fields"]["container_title"] == "venues" and report["fields"]["volume"] == "crossref"

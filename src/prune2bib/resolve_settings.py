"""What a run asks of the resolve stage (`resolve.resolve_rows`), and the stage's tunable limits.

A light module of its own: the CLI builds these settings for every run, and a run whose rows all
come from the lock must not import the resolve stage, its HTTP layer or the cache (issue 9).
The resolvers take their defaults from here, so each limit has one home.
"""

from __future__ import annotations

from msgspec import Struct

CROSSREF_QUERY_ROWS = 5  # candidates asked for per Crossref title query
ARXIV_MAX_BATCH = 100  # ids per arXiv API request, at most
LISTING_MIN_ROWS = 1  # rows of a venue-year that make a DBLP proceedings listing worth fetching


class Settings(Struct, frozen=True):
    offline: bool = False  # cache only; no request at all
    refresh: bool = False  # ignore the cache (results are still written to it)
    mailto: str = ""  # contact for the User-Agent; '' -> PRUNE2BIB_MAILTO -> none (warned once)
    preprint_max_age_days: float | None = None  # None -> PRUNE2BIB_PREPRINT_MAX_AGE_DAYS or 30
    timeout: float = 30.0  # seconds per request
    crossref_rows: int = CROSSREF_QUERY_ROWS
    arxiv_batch_size: int = ARXIV_MAX_BATCH
    listing_min_rows: int = LISTING_MIN_ROWS

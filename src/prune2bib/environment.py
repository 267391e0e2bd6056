"""The `PRUNE2BIB_*` environment a run reads: each service's base URL (and its pacing), the contact
address, the preprint max age, the cache directory.

A light module on purpose (no HTTP client, no SQLite): every command checks the environment first
(`settings.check_environment`), and a run that resolves nothing — every row from the lock — must
not pay for importing the resolve stage.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from msgspec import Struct

from prune2bib.errors import UsageError

MAILTO_ENV = "PRUNE2BIB_MAILTO"
README_URL_ENV = "PRUNE2BIB_README_URL"  # a mirror of the upstream README
CACHE_DIR_ENV = "PRUNE2BIB_CACHE_DIR"
CACHE_FILE_NAME = "records.sqlite3"  # in the cache directory
MAX_AGE_ENV = "PRUNE2BIB_PREPRINT_MAX_AGE_DAYS"
DEFAULT_PREPRINT_MAX_AGE_DAYS = 30.0

# DBLP publishes no rate limit; it answers bursts with an HTML 429 page and may block an address
# for a while. Users of other DBLP clients in 2025-26 needed 5-7 s between requests:
# volkm/bibtex-dblp PR #20 (2025-12-18: "5-7 seconds delays in-between requests seem to work
# well"; its CLI default is 5 s, its own test suite uses 7 s, commit b81cb662, 2026-01-26), and
# kasnerz/reffix issue #28 (2026-07) hit DBLP's 429 on a 250-entry file without pacing. We take
# the low end, 5 s (a cold export of the whole list sends ~50 DBLP requests: about 4 minutes);
# a stricter DBLP costs one 429, after which the learned interval holds (see `Http._learn`).
DBLP_INTERVAL_S = 5.0


class Service(Struct, frozen=True):
    name: str
    env: str  # environment variable overriding the base URL
    default_url: str
    min_interval: float  # seconds between the starts of two requests
    floor_interval: float = 0.0  # what adaptive rate-limit headers may lower it to, at most
    wants_contact: bool = True  # a metadata API whose operators ask for a mailto
    api: bool = True  # answers in a data format: a 2xx HTML page is a portal or maintenance page


SERVICES = {
    s.name: s
    for s in (
        # arXiv's terms of use: "no more than one request every three seconds", one connection.
        Service("arxiv", "PRUNE2BIB_ARXIV_URL", "https://export.arxiv.org", 3.0, 3.0),
        # Crossref's public pool allows 5 requests/s (x-rate-limit headers say so and may change).
        Service("crossref", "PRUNE2BIB_CROSSREF_URL", "https://api.crossref.org", 0.2, 0.02),
        Service("openreview", "PRUNE2BIB_OPENREVIEW_URL", "https://api.openreview.net", 1.0, 1.0),
        Service("openreview2", "PRUNE2BIB_OPENREVIEW2_URL", "https://api2.openreview.net", 1.0, 1.0),
        Service("dblp", "PRUNE2BIB_DBLP_URL", "https://dblp.org", DBLP_INTERVAL_S, DBLP_INTERVAL_S),
        # Plain documents named by full URL (the README itself): no base URL of its own.
        Service("web", "PRUNE2BIB_WEB_URL", "https://raw.githubusercontent.com", 0.0, 0.0, wants_contact=False, api=False),
    )
}


def base_url(service: str) -> str:
    """The service's base URL without trailing slash; `PRUNE2BIB_<SERVICE>_URL` overrides it."""
    known = SERVICES[service]
    url = (os.environ.get(known.env) or known.default_url).strip().rstrip("/")
    if not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"{known.env} must be an http:// or https:// URL, not {url!r}")
    return url


def default_cache_dir() -> Path:
    return Path(os.environ.get(CACHE_DIR_ENV) or platformdirs.user_cache_dir("prune2bib"))


def preprint_max_age_days() -> float:
    """`PRUNE2BIB_PREPRINT_MAX_AGE_DAYS`, or 30; a bad value is a usage error, not a silent default."""
    raw = os.environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return DEFAULT_PREPRINT_MAX_AGE_DAYS
    try:
        days = float(raw)
    except ValueError:
        days = -1.0
    if days < 0:
        raise UsageError(f"{MAX_AGE_ENV} must be a number of days >= 0, not {raw!r}")
    return days

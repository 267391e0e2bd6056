"""User-facing settings: where the tool's files live, the environment, the progress line.

Every location can be moved by the environment (`PRUNE2BIB_CACHE_DIR`, `PRUNE2BIB_DATA_DIR`), so
tests and CI never touch a user's files. Every `PRUNE2BIB_*` value is checked before any work
(`check_environment`): a bad one is a usage error, never a silent default.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

from prune2bib import environment
from prune2bib.errors import UsageError

# The cache, the HTTP layer and the resolve stage are imported where they are used: a run that
# resolves nothing (every row from the lock) never loads them (issue 9: no HTTP client import).

DATA_DIR_ENV = "PRUNE2BIB_DATA_DIR"
CACHE_DIR_ENV = environment.CACHE_DIR_ENV
# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_MAILTO = r"[^@\s]+@[^@\s]+"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or platformdirs.user_data_dir("prune2bib"))


def cache_dir() -> Path:
    return environment.default_cache_dir()  # PRUNE2BIB_CACHE_DIR or the user cache dir


def cache_file() -> Path:
    return cache_dir() / environment.CACHE_FILE_NAME


def default_keyfile() -> Path:
    # Keys must outlive `cache clear`: they live with the user's data, not in the cache.
    return data_dir() / "citekeys.json"


def open_cache():
    from prune2bib import cache

    return cache.open_cache()  # PRUNE2BIB_CACHE_DIR or the user cache dir


def resolve_settings(*, offline: bool = False, refresh: bool = False, mailto: str | None = None):
    from prune2bib.resolve_settings import Settings

    return Settings(offline=offline, refresh=refresh, mailto=mailto or "")


# ---------------------------------------------------------------------- the environment


def url_variables() -> list[str]:
    """Every environment variable that names a base URL: one per service, and the README's."""
    return sorted({s.env for s in environment.SERVICES.values()} | {environment.README_URL_ENV})


def check_environment() -> None:
    """Raise UsageError for the first `PRUNE2BIB_*` value that cannot be used."""
    for name in url_variables():
        check_url(name, os.environ.get(name, ""))
    environment.preprint_max_age_days()  # raises UsageError for 'abc' or a negative number
    check_mailto(os.environ.get(environment.MAILTO_ENV, ""), environment.MAILTO_ENV)


def check_url(name: str, value: str) -> None:
    """An empty value means 'the default'; anything else must be an http(s) URL with a host."""
    if not value.strip():
        return
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        usable = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value.strip())
    except ValueError:
        usable = False
    if not usable:
        raise UsageError(f"{name} must be an http:// or https:// URL with a host name, not {value!r}")


def check_mailto(value: str, name: str = "--mailto") -> None:
    if value and not re.fullmatch(_MAILTO, value.strip()):
        raise UsageError(f"{name} must be an e-mail address (services contact you there), not {value!r}")


# ---------------------------------------------------------------------- the progress line


@contextlib.contextmanager
def progress_bar(total: int):
    """A progress line on stderr when it is a terminal; silent otherwise. Yields `advance(n)`.
    It follows the real pace and names a service that throttles (see progress.py)."""
    if not sys.stderr.isatty() or total == 0:
        yield lambda n=1: None
        return
    from prune2bib import http, progress

    line = progress.TerminalLine(progress.Progress(total), sys.stderr)
    with line, http.observe(line.on_http), contextlib.redirect_stderr(line.messages):
        yield line.advance  # other lines on stderr meanwhile are printed above the progress line

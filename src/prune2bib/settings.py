"""User-facing settings: where the cache and key file live, the progress bar, resolve options.

Every path can be moved by the environment (`PRUNE2BIB_CACHE_DIR`, `PRUNE2BIB_DATA_DIR`), so
tests and CI never touch a user's files.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click
import platformdirs

from prune2bib import cache, resolve


def data_dir() -> Path:
    return Path(os.environ.get("PRUNE2BIB_DATA_DIR") or platformdirs.user_data_dir("prune2bib"))


def default_keyfile() -> Path:
    # Keys must outlive `cache clear`: they live with the user's data, not in the cache.
    return data_dir() / "citekeys.json"


def open_cache():
    return cache.open_cache()  # PRUNE2BIB_CACHE_DIR or the user cache dir


def resolve_settings(*, offline: bool = False, refresh: bool = False, mailto: str | None = None):
    return resolve.Settings(offline=offline, refresh=refresh, mailto=mailto or "")


@contextlib.contextmanager
def progress_bar(total: int):
    """A progress bar on stderr when it is a terminal; silent otherwise. Yields `advance(n)`."""
    if not sys.stderr.isatty() or total == 0:
        yield lambda n=1: None
        return
    with click.progressbar(length=total, label="resolving", file=sys.stderr) as bar:
        yield bar.update

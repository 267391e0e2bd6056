"""Stage 0: where the README comes from — a path, a URL, stdin, or the default.

Default: the upstream README when it can be fetched, else the snapshot bundled with the
package; the caller prints which one was used. A URL that answers with HTML, an error status
or an enormous body is refused with a one-line message rather than parsed as a list.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from prune2bib import http
from prune2bib.errors import NetworkError, ReadmeError
from prune2bib.readme import load_readme_text

UPSTREAM_URL = "https://raw.githubusercontent.com/he-y/Awesome-Pruning/main/README.md"
UPSTREAM_ENV = "PRUNE2BIB_README_URL"  # a mirror of the upstream README
# The real list is ~107 kB. The limit also bounds parsing time: markdown-it (pure Python) needs
# up to ~6 s for a hostile 1 MiB document (benchmarks/RESULTS.md, tests/test_hostile.py).
MAX_README_BYTES = 1024 * 1024


def load(spec: str | None, *, offline: bool = False) -> tuple[str, str]:
    """The README text and a phrase naming where it came from."""
    if spec is None:
        return _default(offline)
    if spec == "-":
        return _from_stdin(), "README from stdin"
    if spec.startswith(("http://", "https://")):
        return _from_url(spec), spec
    return _from_path(Path(spec)), spec


def bundled() -> tuple[str, str]:
    data = resources.files("prune2bib").joinpath("data/awesome-pruning-README.md").read_bytes()
    return load_readme_text(data), "the snapshot bundled with prune2bib (upstream commit 45ac58b, 2024-04-04)"


def _default(offline: bool) -> tuple[str, str]:
    if offline:
        return bundled()
    upstream = os.environ.get(UPSTREAM_ENV) or UPSTREAM_URL
    try:
        return _from_url(upstream), upstream
    except (NetworkError, ReadmeError) as err:
        text, origin = bundled()
        return text, f"{origin} ({upstream} could not be used: {err})"


def _from_stdin() -> str:
    data = sys.stdin.buffer.read(MAX_README_BYTES + 1)
    if len(data) > MAX_README_BYTES:
        raise ReadmeError(f"stdin: more than {MAX_README_BYTES} bytes is too large for a README")
    return load_readme_text(data)


def _from_path(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_README_BYTES:
            raise ReadmeError(f"{path}: {size} bytes is too large for a README (limit {MAX_README_BYTES})")
        return load_readme_text(path.read_bytes())
    except OSError as err:
        raise ReadmeError(f"{path}: {err.strerror or err}") from None


def _from_url(url: str) -> str:
    try:
        body, content_type = http.fetch_document(url, max_bytes=MAX_README_BYTES)
    except http.TooLarge as err:
        raise ReadmeError(str(err)) from None
    except http.ServiceError as err:
        raise ReadmeError(f"{url}: the server answered HTTP {err.status}") from None
    if "html" in content_type.lower() or body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise ReadmeError(f"{url}: the server sent an HTML page, not a markdown README (use the raw file's URL)")
    return load_readme_text(body)

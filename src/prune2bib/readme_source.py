"""Stage 0: where the README comes from — a path, a URL, stdin, or the default.

Default: the upstream README when it can be fetched, else the snapshot bundled with the
package; the caller prints which one was used. A URL that answers with HTML, an error status
or an enormous body is refused with a one-line message rather than parsed as a list.

No source is trusted to say how big it is: `stat` says 0 for a device (`/dev/zero`) or a pipe,
and a server may stream without end. Every source is read through one capped reader that takes
at most `MAX_README_BYTES + 1` bytes (the extra byte tells "exactly at the limit" from "over
it") and refuses the rest unread (exit 3, `ReadmeError`).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO, Callable

from prune2bib import datafiles
from prune2bib.environment import README_URL_ENV
from prune2bib.errors import NetworkError, ReadmeError
from prune2bib.readme import load_readme_text

UPSTREAM_URL = "https://raw.githubusercontent.com/he-y/Awesome-Pruning/main/README.md"
UPSTREAM_ENV = README_URL_ENV
# The one limit on a README's size, for every source. The real list is ~107 kB; a list of 10 MiB
# holds some 27,000-53,000 rows. Parsing is linear in the size, within work limits that refuse a
# hostile document early (readme.py: lists.blocks.MAX_BLOCKS, lists.inline.MAX_MARKUP): a
# 10 MiB document is parsed or refused in <= 5 s (benchmarks/bench_parse.py).
MAX_README_BYTES = 10 * 2**20
CHUNK_BYTES = 64 * 1024  # one read() of the capped reader


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
    data = datafiles.read_bytes("awesome-pruning-README.md")
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


def read_capped(read: Callable[[int], bytes], what: str, limit: int | None = None) -> bytes:
    """At most `limit + 1` bytes from `read(n)` (which returns at most n bytes, b'' at the end);
    a source with more than `limit` bytes is refused without reading the rest."""
    limit = MAX_README_BYTES if limit is None else limit
    data = bytearray()
    while len(data) <= limit:
        chunk = read(min(CHUNK_BYTES, limit + 1 - len(data)))
        if not chunk:
            return bytes(data)
        data += chunk
    raise ReadmeError(f"{what}: more than {limit} bytes is too large for a README (limit {limit} bytes)")


def _unbuffered(stream: BinaryIO) -> BinaryIO:
    # A buffered reader reads ahead (8 KiB or more) beyond what is asked; its raw stream does not.
    return getattr(stream, "raw", stream)


def _from_stdin() -> str:
    return load_readme_text(read_capped(_unbuffered(sys.stdin.buffer).read, "stdin"))


def _open(path: Path) -> BinaryIO:
    return open(path, "rb", buffering=0)  # noqa: SIM115 (closed by the caller's with)


def _from_path(path: Path) -> str:
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_README_BYTES:
            # A regular file's size is known: refuse it before reading a byte. Devices and pipes
            # report 0 and are refused by the capped reader instead.
            raise ReadmeError(f"{path}: {info.st_size} bytes is too large for a README (limit {MAX_README_BYTES} bytes)")
        if stat.S_ISDIR(info.st_mode):
            raise ReadmeError(f"{path}: is a directory, not a README file")
        with _open(path) as stream:
            return load_readme_text(read_capped(stream.read, str(path)))
    except OSError as err:
        raise ReadmeError(f"{path}: {err.strerror or err}") from None


def _from_url(url: str) -> str:
    from prune2bib import http  # only a README read over the network loads the HTTP layer

    try:
        body, content_type = http.fetch_document(url, max_bytes=MAX_README_BYTES)
    except http.TooLarge as err:
        raise ReadmeError(str(err)) from None
    except http.ServiceError as err:
        raise ReadmeError(f"{url}: the server answered HTTP {err.status}") from None
    if "html" in content_type.lower() or body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise ReadmeError(f"{url}: the server sent an HTML page, not a markdown README (use the raw file's URL)")
    return load_readme_text(body)

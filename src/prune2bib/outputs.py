"""Output files: checked before any work, written atomically, and `--split`'s manifest.

Stage: the last one (after the writers). The CLI checks every path it will write (`-o`,
`--split`, `--report`, `--keys`, the lock) before it reads the README or asks any service, so a
path that cannot be written costs nothing: one line `cannot write …` and exit 2, and nothing is
created outside what the user named (a missing parent directory is an error, not a `mkdir -p`).
The tool's own locations (the key file in the data directory) may be created, parents included.

A path counts as writable only when a file can really be created beside it: `os.access` says
yes to root for a read-only directory and to anyone for `/proc`, so a probe file is created in
the directory and removed at once.

`--split DIR` keeps a manifest, `DIR/.prune2bib-split.json`, of the files it wrote and their
SHA-256. A later run removes the group files of the last run that it does not write again
(a group that no longer exists, another format), but only when they still hold what it wrote:
a file it did not write, or one edited since, is never deleted.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from pathlib import Path
from typing import Mapping

from msgspec import Struct, field

from prune2bib.errors import OutputError

MANIFEST_NAME = ".prune2bib-split.json"
MANIFEST_VERSION = 1


# ---------------------------------------------------------------------- checks before any work


def check_file(path: Path, option: str, *, create_parents: bool = False) -> None:
    """Raise OutputError unless a file can be written at `path`.

    `create_parents`: the directory may be missing (one of the tool's own locations, created
    when written); the nearest existing ancestor must then be a writable directory.
    """
    named, path = Path(path), _followed(path)  # messages name the path as the user gave it
    if path.is_dir():
        raise OutputError(f"cannot write {named} ({option}): it is a directory")
    if path.exists() and not path.is_file():
        raise OutputError(f"cannot write {named} ({option}): it is not a regular file")
    parent = _parent(path)
    if create_parents:
        parent = _nearest_existing(parent)
    _check_directory(parent, named, option)
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"cannot write {named} ({option}): the file is read-only")


def check_directory(path: Path, option: str) -> None:
    """Raise OutputError unless files can be written in directory `path`. The directory itself
    may be missing (it is created when written), its parent may not."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"cannot write into {path} ({option}): it is not a directory")
    if path.is_dir():
        _check_directory(path, path, option)
    else:
        _check_directory(_parent(path), path, option)


def check_distinct(named: Mapping[str, Path | None]) -> None:
    """Two options naming one file would overwrite each other: a usage error."""
    seen: dict[Path, str] = {}
    for option, path in named.items():
        if path is None:
            continue
        real = _followed(path)
        if real in seen:
            raise OutputError(f"{seen[real]} and {option} name the same file {path}")
        seen[real] = option


def _followed(path: Path) -> Path:
    """The file a path names, through symbolic links: `refs.bib -> ../paper/refs.bib` is written
    where it points, and the link stays."""
    return Path(os.path.realpath(path))


def _parent(path: Path) -> Path:
    return Path(os.path.dirname(os.path.abspath(path)))


def _nearest_existing(directory: Path) -> Path:
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    return directory


def _check_directory(directory: Path, target: Path, option: str) -> None:
    if not directory.exists():
        raise OutputError(f"cannot write {target} ({option}): directory {directory} does not exist")
    if not directory.is_dir():
        raise OutputError(f"cannot write {target} ({option}): {directory} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=".prune2bib-probe-", dir=directory)
    except OSError as err:
        why = "it does not accept new files" if err.errno == errno.ENOENT else (err.strerror or str(err)).lower()
        raise OutputError(f"cannot write {target} ({option}): directory {directory}: {why}") from None
    os.close(fd)
    os.unlink(probe)


# ---------------------------------------------------------------------- writing


def write_atomic(path: Path, text: str, option: str = "") -> None:
    """Write to a temporary file beside `path` and rename: a killed run never leaves half a file.
    The file gets the mode an ordinary `open()` would give it (or keeps its own)."""
    path = _followed(path)
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=_parent(path))
    except OSError as err:
        raise OutputError(f"cannot write {path}{f' ({option})' if option else ''}: {err.strerror or err}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"cannot write {path}{f' ({option})' if option else ''}: {err.strerror or err}") from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# ---------------------------------------------------------------------- --split


class SplitResult(Struct):
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # stale files of the last run
    kept: list[str] = field(default_factory=list)  # stale, but edited since: left alone


def write_split(directory: Path, files: Mapping[str, str], option: str = "--split") -> SplitResult:
    """Write one file per group into `directory` (created if missing, not its parents), then
    remove the files the last run wrote that this one does not, and record what was written."""
    directory = Path(directory)
    try:
        directory.mkdir(exist_ok=True)
    except OSError as err:
        raise OutputError(f"cannot write into {directory} ({option}): {err.strerror or err}") from None
    previous = read_manifest(directory)
    result = SplitResult()
    for name, text in files.items():
        write_atomic(directory / name, text, option)
        result.written.append(name)
    for name, digest in sorted(previous.items()):
        if name in files:
            continue
        stale = directory / name
        if not stale.is_file():
            continue
        if _digest(stale.read_bytes()) == digest:
            stale.unlink()
            result.removed.append(name)
        else:
            result.kept.append(name)
    manifest = {"version": MANIFEST_VERSION, "files": {n: _digest(t.encode("utf-8")) for n, t in sorted(files.items())}}
    write_atomic(directory / MANIFEST_NAME, json.dumps(manifest, indent=2, sort_keys=True) + "\n", option)
    return result


def read_manifest(directory: Path) -> dict[str, str]:
    """{file name: sha256} of the files the last `--split` run wrote here; {} if unknown.
    Only plain names count: a manifest can never point outside its directory."""
    try:
        data = json.loads((Path(directory) / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {
        str(name): str(digest)
        for name, digest in files.items()
        if isinstance(name, str) and name == os.path.basename(name) and name not in ("", ".", "..", MANIFEST_NAME)
    }


def _digest(data: bytes) -> str:
    import hashlib  # --split's manifest only

    return hashlib.sha256(data).hexdigest()

"""Where the lock lives: beside the output you name, so it is committed with it.

    -o refs.bib              -> prune2bib.lock in refs.bib's directory
    --split by-type/         -> prune2bib.lock beside the folder (in by-type's parent directory)
    (stdout)                 -> prune2bib.lock in the current directory
    --lock FILE              -> FILE
    --no-lock                -> none: keys from the records' content, nothing remembered

Two outputs in one directory (`refs.bib`, `refs.json`, `--split by-type`) share one lock, so they
share keys and records.
"""

from __future__ import annotations

from pathlib import Path

FILE_NAME = "prune2bib.lock"


def lock_path(output: Path | None = None, split: Path | None = None, lock: Path | None = None) -> Path:
    if lock is not None:
        return Path(lock)
    if split is not None:
        return Path(split).parent / FILE_NAME
    if output is not None:
        return Path(output).parent / FILE_NAME
    return Path(FILE_NAME)

"""The bibliography as a project: a lockfile beside the output, keys that belong to the project,
`update` with a diff, and `--frozen` rebuilds on any machine.

    location.py   where the lock lives (`-o refs.bib` -> refs.bib's directory / prune2bib.lock)
    lockfile.py   the lock's format: read (checked, one-line errors), render, atomic write
    csl.py        Record <-> the lock's CSL-shaped record, lossless
    identity.py   a row's identity: link identifier + normalised title
    rows.py       which lock entry is which row of a changed list
    keys.py       provisional / author / pinned keys, retired keys, the old key file's migration
    diff.py       what changed, one line per change
    session.py    one export or update: take final rows from the lock, resolve the rest, key, diff

The cache is this machine's memory of what services said; the lock is the project's decisions.
Delete the cache and nothing changes once a lock exists.
"""

from .location import FILE_NAME, lock_path
from .lockfile import Lock, read
from . import diff, keys, lockfile, session
from .session import Options, Result, entries_from_lock, export, load_list, write

__all__ = ["FILE_NAME", "Lock", "Options", "Result", "entries_from_lock", "export", "load_list", "lock_path", "read", "write"]

"""The package's data files (`data/`: the venue table, column synonyms, proper nouns, the bundled
README), read from beside this module.

Not `importlib.resources`: importing it (with zipfile and tempfile) and resolving a file through it
cost about a tenth of a warm export's instructions, on every run, for files that pip always
installs as plain files (a wheel is unpacked; an editable install is the source tree).
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_text(name: str) -> str:
    return (DATA_DIR / name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return (DATA_DIR / name).read_bytes()

"""Citation keys: readable, ASCII-only, collision-free and stable.

Stage: between merge and the writers; the key goes into `Record.id` and so into the BibTeX
key, the CSL `id` and the RIS `ID` alike.

Scheme (lower case, ASCII letters and digits only):
- with an author: `<first author's family name><year><first significant title word>`,
  e.g. `he2019filter` ("Filter Pruning via Geometric Median ...", He et al., 2019);
- without an author (a README-only row): `<two significant title words><year>`,
  e.g. `filterpruning2019` -- a shape no author key has, so the two never collide by accident;
- a key already taken gets a suffix `a`, `b`, ... `z`, `aa`, ... (`he2019filtera`). New keys
  with the same base are handed out in the order of (title, identity), not of README rows.

Stability: with a key file, a key once given stays with its paper. The file maps each key to
the paper's identities (`doi:`, `arxiv:` without version, `openreview:`, `title:` normalised
title + year). A paper keeps its key when any identity matches -- so a row inserted earlier in
the README, or a paper that later gains authors (and so would get another base), changes
nothing. Keys in the file are never handed to another paper, even after their row is gone.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from .errors import UsageError
from .record import Record

KEYFILE_VERSION = 1

# Words that do not name a paper's subject: skipped when picking the title word(s).
STOPWORDS = frozenset(
    """a an and are as at be beyond by can do does for from how in into is it its not of on
    or over the through to toward towards under up via what when where which while why with
    without you your""".split()
)
# Letters that NFKD does not decompose into an ASCII base letter.
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE",
                       "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i"})


def ascii_fold(text: str) -> str:
    """'Schrödinger-Łukasz' -> 'schrodingerlukasz': lower case, ASCII letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode().lower())


def title_words(title: str) -> list[str]:
    """The title's significant words, folded ('Towards Optimal Structured CNN Pruning' ->
    ['optimal', 'structured', 'cnn', 'pruning']): no stopwords, no single letters ('How I
    Learned ...' -> 'learned'); all words when no word is left."""
    words = [ascii_fold(w) for w in re.split(r"[\s\-/:]+", title)]
    words = [w for w in words if w]
    significant = [w for w in words if w not in STOPWORDS and len(w) > 1]
    return significant or words


def base_key(record: Record) -> str:
    """The key before any collision suffix (see the module docstring)."""
    year = str(record.year) if record.year is not None else ""
    words = title_words(record.title) or ["untitled"]
    family = _first_family(record)
    if family:
        return f"{family}{year}{words[0]}"
    return "".join(words[:2]) + year


def _first_family(record: Record) -> str:
    for person in record.authors[:1]:
        name = person.family or (person.literal.split()[-1] if person.literal.split() else "") or person.given
        return ascii_fold(name)
    return ""


IDENTITY_KINDS = ("doi:", "arxiv:", "openreview:", "title:")


def identities(record: Record) -> list[str]:
    """Stable names of the paper, strongest first. The README link itself is not one: the list
    uses one NeurIPS link for two different papers."""
    found = []
    if record.doi.strip():
        found.append("doi:" + record.doi.strip().lower())
    if record.arxiv_id.strip():
        found.append("arxiv:" + re.sub(r"v\d+$", "", record.arxiv_id.strip().lower()))
    if record.openreview_id.strip():
        found.append("openreview:" + record.openreview_id.strip())
    title = " ".join(ascii_fold(w) for w in record.title.split() if ascii_fold(w))
    if title:
        found.append(f"title:{title}|{record.year if record.year is not None else ''}")
    return found


def assign_keys(records: Sequence[Record], keyfile: Path | None = None) -> list[Record]:
    """Records -> the same records (same order) with distinct keys in `id`.

    With `keyfile`, keys recorded there are reused and the file is updated (written atomically)
    with every key handed out now. Without it, keys depend only on the records' content.
    """
    records = list(records)
    known = load_keyfile(keyfile) if keyfile else {}
    keys = _reuse_known_keys(records, known)
    taken = {k.casefold() for k in known} | {k.casefold() for k in keys if k}
    fresh = sorted((i for i, k in enumerate(keys) if k is None), key=lambda i: _fresh_order(records[i]))
    for i in fresh:
        keys[i] = _next_free(base_key(records[i]), taken)
        taken.add(keys[i].casefold())
    if keyfile:
        for record, key in zip(records, keys):
            known[key] = sorted(set(known.get(key, [])) | set(identities(record)))
        save_keyfile(keyfile, known)
    return [record.with_(id=key) for record, key in zip(records, keys)]


def _reuse_known_keys(records: list[Record], known: dict[str, list[str]]) -> list[str | None]:
    """Keys from the key file, matched strongest identity first (all DOIs, then arXiv IDs, ...),
    each key given to at most one record."""
    owners: dict[str, list[str]] = {}
    for key, idents in sorted(known.items()):
        for ident in idents:
            owners.setdefault(ident, []).append(key)
    keys: list[str | None] = [None] * len(records)
    claimed: set[str] = set()
    for kind in IDENTITY_KINDS:
        for i, record in enumerate(records):
            if keys[i] is not None:
                continue
            candidates = [k for x in identities(record) if x.startswith(kind) for k in owners.get(x, [])]
            key = next((k for k in candidates if k not in claimed), None)
            if key:
                keys[i] = key
                claimed.add(key)
    return keys


def _fresh_order(record: Record) -> tuple:
    return (base_key(record), record.title.casefold(), identities(record))


def _next_free(base: str, taken: set[str]) -> str:
    key, n = base, 0
    while key.casefold() in taken:
        n += 1
        key = base + _suffix(n)
    return key


def _suffix(n: int) -> str:
    """1 -> 'a', 26 -> 'z', 27 -> 'aa' (bijective base 26)."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return letters


def load_keyfile(path: Path) -> dict[str, list[str]]:
    """{key: [identity, ...]} from a key file; {} when it does not exist yet."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = data["keys"]
        if data.get("version") != KEYFILE_VERSION or not isinstance(keys, dict):
            raise ValueError("unsupported layout")
        return {str(k): [str(i) for i in v] for k, v in keys.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"key file {path} is unreadable ({exc}); fix or delete it") from None


def save_keyfile(path: Path, keys: dict[str, Iterable[str]]) -> None:
    """Write the key file atomically (temporary file + rename), sorted for clean diffs."""
    path = Path(path)
    data = {"version": KEYFILE_VERSION, "keys": {k: sorted(set(v)) for k, v in sorted(keys.items())}}
    text = json.dumps(data, indent=2, ensure_ascii=True, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write key file {path}: {exc}") from None

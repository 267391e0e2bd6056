"""Citation keys: readable, ASCII-only, collision-free — the scheme and the identities of a paper.

Stage: between merge and the writers; the key goes into `Record.id` and so into the BibTeX
key, the CSL `id` and the RIS `ID` alike.

Scheme (lower case, ASCII letters and digits only):
- with an author: `<first author's family name><year><first significant title word>`,
  e.g. `he2019filter` ("Filter Pruning via Geometric Median ...", He et al., 2019);
- without an author (a README-only row): `<two significant title words><year>`,
  e.g. `filterpruning2019` -- a shape no author key has, so the two never collide by accident;
- a key already taken gets a suffix `a`, `b`, ... `z`, `aa`, ... (`he2019filtera`). New keys
  with the same base are handed out in the order of (title, identity), not of README rows.

Stability is the lock's job (`project/keys.py`): keys live in the bibliography project's lock, a
README-only key is provisional until the paper has authors, an author key never changes. This
module gives the pieces: `base_key`, `identities` (how a paper is recognised: DOI, arXiv ID,
OpenReview forum, or normalised title *and year* — never the title alone, since the list holds
one title in two years), `match_known` and `next_free`. `load_keyfile` reads the per-machine key
file of earlier versions (`citekeys.json`), which the lock takes over once.
"""

from __future__ import annotations

import json
import re
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


# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_NOT_ALNUM = r"[^a-z0-9]"
_WORD_BREAKS = r"[\s\-/:]+"


def ascii_fold(text: str) -> str:
    """'Schrödinger-Łukasz' -> 'schrodingerlukasz': lower case, ASCII letters and digits only."""
    if not text.isascii():  # (ASCII text, most words: nothing to fold or decompose)
        text = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(_NOT_ALNUM, "", text.lower())


def title_words(title: str) -> list[str]:
    """The title's significant words, folded ('Towards Optimal Structured CNN Pruning' ->
    ['optimal', 'structured', 'cnn', 'pruning']): no stopwords, no single letters ('How I
    Learned ...' -> 'learned'); all words when no word is left."""
    words = [ascii_fold(w) for w in re.split(_WORD_BREAKS, title)]
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
    title = " ".join(filter(None, map(ascii_fold, record.title.split())))
    if title:
        found.append(f"title:{title}|{record.year if record.year is not None else ''}")
    return found


def assign_keys(records: Sequence[Record], taken: Iterable[str] | None = None) -> list[Record]:
    """Records -> the same records (same order) with distinct keys in `id`, chosen from their
    content alone; keys in `taken` are not handed out."""
    records = list(records)
    used = {k.casefold() for k in taken or ()}
    keys: list[str] = [""] * len(records)
    orders = [fresh_order(record) for record in records]
    for i in sorted(range(len(records)), key=orders.__getitem__):
        keys[i] = next_free(orders[i][0], used)  # (the order starts with the base key)
        used.add(keys[i].casefold())
    return [record.with_(id=key) for record, key in zip(records, keys)]


def match_known(records: Sequence[Record], known: dict[str, Sequence[str]], claimed: Iterable[str] = ()) -> list[str | None]:
    """For each record, a key of `known` ({key: identities}) that names the same paper, or None.
    Matched strongest identity first (all DOIs, then arXiv IDs, ...); each key goes to at most
    one record, and never one in `claimed`."""
    owners: dict[str, list[str]] = {}
    for key, idents in sorted(known.items()):
        for ident in idents:
            owners.setdefault(ident, []).append(key)
    keys: list[str | None] = [None] * len(records)
    used = {k.casefold() for k in claimed}
    for kind in IDENTITY_KINDS:
        for i, record in enumerate(records):
            if keys[i] is not None:
                continue
            candidates = [k for x in identities(record) if x.startswith(kind) for k in owners.get(x, [])]
            key = next((k for k in candidates if k.casefold() not in used), None)
            if key:
                keys[i] = key
                used.add(key.casefold())
    return keys


def is_author_key(key: str, record: Record) -> bool:
    """Whether `key` is the author key the scheme gives `record` (suffix allowed): false for a
    record without authors, and for a title key given before its authors were known."""
    return bool(record.authors) and re.fullmatch(re.escape(base_key(record)) + "[a-z]*", key) is not None


def fresh_order(record: Record) -> tuple:
    """The order new keys with one base are handed out in: content, not README position."""
    return (base_key(record), record.title.casefold(), identities(record))


def next_free(base: str, taken: set[str]) -> str:
    """`base`, or `base` with the first free suffix; `taken` holds case-folded keys."""
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
    """{key: [identity, ...]} from a key file of earlier versions; {} when it does not exist."""
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

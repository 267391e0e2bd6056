"""The list's own taxonomy, read from its legend table, and Type cells read with it.

Legends come in two shapes (both seen on lists built on the Awesome-Pruning template):

    | Type        | `F`            | `W`            | `Other`     |      | Symbol | Meaning        |
    |:----------- |:--------------:|:--------------:|:-----------:|      |:------:|:---------------|
    | Explanation | Filter pruning | Weight pruning | other types |      | `U`    | Unstructured … |

A Type cell holds one or more codes: code spans or words separated by spaces, commas, `/`, `&`
or `+` (`U/S`, `` `W`&`P` ``), or letters run together when each is a code of the legend (`WF`,
`WFC`). A single letter that is no code of the legend but the initial of exactly one of its
word codes abbreviates it (Awesome-Pruning's `FO`: filter pruning and `Other`). A code the legend
does not define is kept as written, as its own group; `-` means none.
"""

from __future__ import annotations

import re

from prune2bib.taxonomy import Taxonomy

_KEY_HEADERS = {"type", "types", "symbol", "symbols", "notation", "code", "codes", "abbreviation", "abbr",
                "tag", "tags", "category", "key", "label"}  # fmt: skip
_MEANING_HEADERS = {"explanation", "explanations", "meaning", "description", "definition", "name", "stands for"}
_SEPARATORS = re.compile(r"[\s,;/&+|]+")
_NO_TYPE = {"", "-", "–", "—", "n/a", "na", "none"}
MAX_CODE_LENGTH = 12


def _clean(text: str) -> str:
    return " ".join(text.replace("`", " ").split())


def _word(text: str) -> str:
    return re.sub(r"[^\w ]+", "", text.casefold()).strip()


def could_be_legend(header: list[str]) -> bool:
    """A legend's header starts with 'Type', 'Symbol', 'Notation', … (checked before its rows are read)."""
    return _word(header[0]) in _KEY_HEADERS


def read_legend(header: list[str], rows: list[list[str]]) -> dict[str, str] | None:
    """{code: name} when the table (plain-text cells) is a legend, else None."""
    if len(header) < 2 or not rows:
        return None
    key, first = _word(header[0]), _word(header[1])
    if key in _KEY_HEADERS and first in _MEANING_HEADERS and len(header) == 2:
        pairs = [(_clean(r[0]), _clean(r[1])) for r in rows if len(r) >= 2]
    elif key in _KEY_HEADERS and rows[0] and _word(rows[0][0]) in _MEANING_HEADERS:
        meanings = rows[0]
        pairs = [(_clean(code), _clean(meanings[i]) if i < len(meanings) else "") for i, code in enumerate(header) if i]
    else:
        return None
    legend = {code: name for code, name in pairs if code and len(code) <= MAX_CODE_LENGTH and " " not in code}
    return legend or None


def taxonomy_from(legends: list[dict[str, str]]) -> Taxonomy:
    """The legends of one list (usually one) -> its taxonomy; the first definition of a code wins."""
    names: dict[str, str] = {}
    labels: dict[str, str] = {}  # as the legend writes them: Zotero collections are named so
    for legend in legends:
        for code, name in legend.items():
            names.setdefault(code, tag_name(name) or code)
            labels.setdefault(code, name or code)
    return Taxonomy(tuple(names), names, frozenset(names), labels)


def tag_name(name: str) -> str:
    """A legend's explanation as a tag: 'Special Networks' -> 'special networks'. Words in
    capitals ('LLM', 'ViT') keep their case."""
    words = []
    for word in name.split():
        rest = word[1:]
        words.append(word[0].lower() + rest if word[:1].isupper() and rest == rest.lower() else word)
    return " ".join(words)


def parse_type_cell(text: str, taxonomy: Taxonomy) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A Type cell's text -> (codes in taxonomy order, the codes among them the legend does not
    define, as written)."""
    found: list[str] = []
    unknown: list[str] = []
    for token in _SEPARATORS.split(text.replace("`", " ")):
        if token.casefold() in _NO_TYPE:
            continue
        codes = _read_token(token, taxonomy)
        if codes is None:
            found.append(token)
            if taxonomy.defined:
                unknown.append(token)
        else:
            found.extend(codes)
    return taxonomy.ordered(found), tuple(dict.fromkeys(unknown))


def _read_token(token: str, taxonomy: Taxonomy) -> list[str] | None:
    if not taxonomy.defined:
        return None
    exact = taxonomy.lookup(token)
    if exact in taxonomy.defined:
        return [exact]
    return _run_together(token, taxonomy)


def _run_together(token: str, taxonomy: Taxonomy) -> list[str] | None:
    """'WF' -> ['W', 'F'] when every letter is a one-letter code (or abbreviates a word code)."""
    codes = []
    for letter in token:
        code = letter if letter in taxonomy.defined else _abbreviated(letter, taxonomy)
        if code is None:
            return None
        codes.append(code)
    return codes


def _abbreviated(letter: str, taxonomy: Taxonomy) -> str | None:
    if letter.upper() in taxonomy.defined or letter.lower() in taxonomy.defined:
        return letter.upper() if letter.upper() in taxonomy.defined else letter.lower()
    words = [c for c in taxonomy.defined if len(c) > 2 and c[0].casefold() == letter.casefold()]
    return words[0] if len(words) == 1 else None

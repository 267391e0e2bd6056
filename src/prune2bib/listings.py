"""Stage: resolve — DBLP listings indexed once, when stored, so a row is matched in O(1).

A venue-year's proceedings hold 1,000-3,000 papers (NeurIPS 2022 about 2,800) and a warm run
matches a few rows against each. Comparing a row with every listed title costs O(listing) per
row, every run; instead each record gets a few *index keys* when its listing is stored, and a
row looks up only its own keys:

- `c:<title without spaces>` — the same title, also across spacing ('ConvNets' / 'Conv Nets');
- `b<n>.<i>:<words>` — the normalised title's n words cut into 2k+1 contiguous blocks (at most
  n), where k is how many one-letter slips `match.same_title` allows for n words (2 from six
  words on, else 1). Two titles of n words that differ in at most k words differ in at most k
  blocks, so they share at least (blocks - k) of them: a row's candidates are the records that
  share that many of its blocks — the titles within a few words of its own, however large the
  listing (a common opening such as "On the" is one block, never enough on its own);
- `d:<word minus one letter>` — for one-word titles, whose one slip no block can absorb: two
  words one edit apart share a one-deletion variant;
- `id:<identifier>` — the identifier the record's link carries (NeurIPS hash, CVF page, PMLR key,
  IJCAI number, AAAI article): the record at a row's own link, without identifying every URL.

A lookup fetches the few records that share a key and judges only those (`choose`): a record
is the row's paper when `match.same_title` accepts it *and* the titles are near-identical
(rapidfuzz ratio ≥ `MATCH_MIN_RATIO`); several such records → the exact one (first listed),
else no answer (two near-identical candidates: refuse to guess). Listed titles are normalised
once, at storage; a lookup normalises only the row's title and decodes only the chosen record.

`MemoryListing` is the same index over records in memory; the cache's stored listings
(`cache.StoredListing`) answer the same questions with SQL.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from msgspec import Struct
from rapidfuzz import fuzz

from prune2bib import match
from prune2bib.identify import Identifier, identify
from prune2bib.record import Record

MATCH_MIN_RATIO = 97.0  # rapidfuzz ratio (0-100) for "near-identical" normalised titles


def normalized(title: str) -> str:
    """The title as the index and `match.same_title` compare it (one normalisation per title)."""
    return match.normalize_title(title)


class TitleQuery(Struct, frozen=True):
    """What a row asks of an index: records under any of `any_of`, or under `need` of `blocks`."""

    any_of: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    need: int = 1

    @property
    def keys(self) -> tuple[str, ...]:
        return self.any_of + self.blocks


def title_query(norm: str) -> TitleQuery:
    """The index keys of a normalised title (see the module docstring); empty for an empty title."""
    words = norm.split()
    if not words:
        return TitleQuery()
    compact = f"c:{''.join(words)}"
    n = len(words)
    if n == 1:
        word = words[0]
        return TitleQuery((compact, *sorted({f"d:{word[:i]}{word[i + 1:]}" for i in range(len(word))} | {f"d:{word}"})))
    slips = match.MAX_SLIPS if n >= match.LONG_TITLE_WORDS else 1
    count = min(n, 2 * slips + 1)
    blocks = tuple(f"b{n}.{i}:{' '.join(words[i * n // count:(i + 1) * n // count])}" for i in range(count))
    return TitleQuery((compact,), blocks, count - slips)


def title_keys(norm: str) -> list[str]:
    """Every index key a listed record gets for its title."""
    return list(title_query(norm).keys)


def link_key(ident: Identifier) -> str:
    return f"id:{ident}"


def record_keys(record: Record, norm: str) -> list[str]:
    """Every index key of one listed record: its title's and its link's (when the link names a paper)."""
    keys = title_keys(norm)
    if record.url:
        ident = identify(record.url)
        if ident.kind != "url":
            keys.append(link_key(ident))
    return keys


def choose(wanted: str, candidates: Iterable[tuple[int, str]]) -> int | None:
    """The position of the row's paper among (position, normalised title) candidates, or None."""
    alike = sorted(
        (-fuzz.ratio(wanted, title), n)
        for n, title in candidates
        if match.same_normalized_title(wanted, title) and fuzz.ratio(wanted, title) >= MATCH_MIN_RATIO
    )
    if not alike:
        return None
    if len(alike) > 1 and -alike[0][0] < 100:
        return None  # two near-identical candidates and neither exact: refuse to guess
    return alike[0][1]


class Indexed:
    """A listing that can be asked for a title or a link without reading all of it."""

    size: int = 0

    def match_title(self, title: str) -> Record | None:
        """The listed record that is the paper titled `title` (see `choose`), or None."""
        wanted = normalized(title)
        if not wanted:
            return None
        query = title_query(wanted)
        # Most rows: a record of exactly this title, which `choose` takes whatever near titles
        # the blocks bring (the first such, in listing order). It is among the records under the
        # compact key alone: one plain index lookup, not the blocks' count of shared keys.
        exact = [n for n, found in self.candidates(TitleQuery(query.any_of[:1])) if found == wanted]
        if exact:
            return self.record(exact[0])
        position = choose(wanted, self.candidates(query))
        return None if position is None else self.record(position)

    def at_link(self, ident: Identifier) -> Record | None:
        """The first listed record whose link carries `ident`, or None."""
        return self.first_with(link_key(ident))

    # What an index provides.
    def candidates(self, query: TitleQuery) -> list[tuple[int, str]]:
        """(position, normalised title) of the records indexed under any of `query.any_of`, or
        under at least `query.need` of `query.blocks`, in listing order."""
        raise NotImplementedError

    def record(self, position: int) -> Record:
        raise NotImplementedError

    def first_with(self, key: str) -> Record | None:
        raise NotImplementedError


class MemoryListing(Indexed):
    """The index over records held in memory (built once: O(listing) here, O(1) per lookup)."""

    def __init__(self, records: Iterable[Record]):
        self.records = tuple(records)
        self.size = len(self.records)
        self.titles = [normalized(r.title) for r in self.records]
        self.keys: dict[str, list[int]] = {}
        for n, (record, norm) in enumerate(zip(self.records, self.titles)):
            for key in dict.fromkeys(record_keys(record, norm)):
                self.keys.setdefault(key, []).append(n)

    def candidates(self, query: TitleQuery) -> list[tuple[int, str]]:
        shared: dict[int, int] = {}
        for key in query.blocks:
            for n in self.keys.get(key, ()):
                shared[n] = shared.get(n, 0) + 1
        positions = {n for n, count in shared.items() if count >= query.need}
        positions.update(n for key in query.any_of for n in self.keys.get(key, ()))
        return [(n, self.titles[n]) for n in sorted(positions)]

    def record(self, position: int) -> Record:
        return self.records[position]

    def first_with(self, key: str) -> Record | None:
        positions = self.keys.get(key)
        return self.records[positions[0]] if positions else None

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

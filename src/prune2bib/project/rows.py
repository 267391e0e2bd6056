"""Which lock entry is which row of the list, now that the list has changed.

Stage: project. Rows are matched by identity, never by line number, in three passes:

1. same link identifier and same normalised title -> `same` (the row may have moved, or changed
   its types, venue note or code); rows whose title and link are exactly the lock's are paired
   first without normalising anything;
2. same link identifier, another title -> `retitled` (when several rows share one link — the
   list gives two NeurIPS papers one link — the closest titles pair up);
3. same normalised title and the same year, another link -> `relinked`. Never the title alone:
   the list holds one title in two years (a preprint row and its venue row), and those are two
   entries with two keys.

Rows left over are new; entries left over left the list.
"""

from __future__ import annotations

from typing import Sequence

from msgspec import Struct

from .lockfile import Paper, Row

SAME, RETITLED, RELINKED, NEW = "same", "retitled", "relinked", "new"


class Match(Struct, frozen=True):
    paper: Paper | None  # the row's lock entry, None for a new row
    how: str  # SAME | RETITLED | RELINKED | NEW


def match_rows(rows: Sequence[Row], papers: Sequence[Paper]) -> tuple[list[Match], list[Paper]]:
    """One Match per row (in order), and the entries no row matched (sorted by key)."""
    papers = sorted(papers, key=lambda p: p.key)
    pairs: dict[int, tuple[int, str]] = {}  # row index -> (paper index, how)
    free = set(range(len(papers)))
    _pair_unchanged(rows, papers, pairs, free)
    if not free or len(pairs) == len(rows):  # the usual warm run: nothing left to normalise
        return [Match(papers[pairs[i][0]], SAME) if i in pairs else Match(None, NEW) for i in range(len(rows))], [papers[j] for j in sorted(free)]
    import difflib  # only when rows changed: a warm run returns above

    row_ids = [r.identity if i not in pairs else ("", "") for i, r in enumerate(rows)]
    paper_ids = [p.row.identity if j in free else ("", "") for j, p in enumerate(papers)]

    def pair_up(how: str, row_key, paper_key, score) -> None:
        buckets: dict[object, list[int]] = {}
        for j in sorted(free):
            k = paper_key(j)
            if k is not None:
                buckets.setdefault(k, []).append(j)
        candidates = []
        for i in range(len(rows)):
            k = row_key(i) if i not in pairs else None
            for j in buckets.get(k, []) if k is not None else []:
                candidates.append((tuple(-x for x in score(i, j)), i, j))
        for _, i, j in sorted(candidates):  # best first; ties by row, then key order
            if i not in pairs and j in free:
                pairs[i] = (j, how)
                free.discard(j)

    def closeness(i: int, j: int) -> tuple:
        row, paper = rows[i], papers[j]
        return (row.year == paper.row.year, row.venue == paper.row.venue, row.title == paper.row.title)

    pair_up(SAME, lambda i: row_ids[i], lambda j: paper_ids[j], closeness)
    pair_up(RETITLED, lambda i: row_ids[i][0] or None, lambda j: paper_ids[j][0] or None,
            lambda i, j: (round(difflib.SequenceMatcher(None, row_ids[i][1], paper_ids[j][1]).ratio(), 6), *closeness(i, j)))  # fmt: skip
    pair_up(RELINKED, lambda i: (row_ids[i][1], rows[i].year) if row_ids[i][1] else None,
            lambda j: (paper_ids[j][1], papers[j].row.year) if paper_ids[j][1] else None, closeness)  # fmt: skip
    matches = [Match(papers[pairs[i][0]], pairs[i][1]) if i in pairs else Match(None, NEW) for i in range(len(rows))]
    return matches, [papers[j] for j in sorted(free)]


def _pair_unchanged(rows: Sequence[Row], papers: Sequence[Paper], pairs: dict, free: set) -> None:
    """Rows whose title and link are exactly as the lock has them (same identity, trivially),
    paired in order without normalising anything: a warm run of 2,780 rows does no other work."""
    by_text: dict[tuple[str, str], list[int]] = {}
    for j, paper in enumerate(papers):
        by_text.setdefault((paper.row.title, paper.row.link), []).append(j)
    for i, row in enumerate(rows):
        candidates = by_text.get((row.title, row.link))
        if not candidates:
            continue
        j = candidates[0] if len(candidates) == 1 else next((j for j in candidates if papers[j].row.year == row.year), candidates[0])  # a twin row: its year
        candidates.remove(j)
        pairs[i] = (j, SAME)
        free.discard(j)

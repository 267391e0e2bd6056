"""The list's taxonomy (Type column) and its venues.

Stage: shared vocabulary for readme, writers and the resolvers' match guard. Pure data.

Type codes belong to the list being read: `Taxonomy` holds the codes its legend table defines
(he-y/Awesome-Pruning's "Type of Pruning": F, W, S, Other), in the legend's order, with their
names, plus any code the rows use that the legend does not define (kept under its own name,
never read with another list's meaning). `lists.legend` builds it from the list;
`AWESOME_PRUNING` is that list's legend, the default when no list is at hand. Venues are the
venue table's (`venues.py`, `data/venues.toml`).
"""

from __future__ import annotations

from msgspec import Struct, field

from prune2bib import venues

# he-y/Awesome-Pruning's legend. Order matters: output groups come in this order.
TYPE_ORDER = ("F", "W", "S", "Other")

TYPE_NAMES = {
    "F": "filter pruning",
    "W": "weight pruning",
    "S": "special networks",
    "Other": "other types",
}


class Taxonomy(Struct, frozen=True):
    """A list's type codes, in its order, with their names.

    `defined` are the codes the list's legend defines; `codes` are those plus the codes rows
    use without a definition, in order of first use. `names` are tag names ('special networks');
    `labels` the legend's own wording ('Special Networks'), which names Zotero collections.
    """

    codes: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    defined: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def label(self, code: str) -> str:
        """The type's name as the list's legend writes it (its tag name when the legend has none)."""
        return self.labels.get(code) or self.name(code)

    def ordered(self, codes) -> tuple[str, ...]:
        """Codes in taxonomy order (unknown ones last, as given), without repeats."""
        rank = {c: i for i, c in enumerate(self.codes)}
        unique = list(dict.fromkeys(codes))
        return tuple(sorted(unique, key=lambda c: (rank.get(c, len(rank)), unique.index(c))))

    def with_codes(self, used) -> "Taxonomy":
        """This taxonomy with the codes rows used appended (in first-use order)."""
        extra = tuple(c for c in dict.fromkeys(used) if c not in self.codes)
        return Taxonomy(self.codes + extra, dict(self.names), self.defined, dict(self.labels)) if extra else self

    def lookup(self, code: str) -> str | None:
        """The list's code for what a user typed ('f' -> 'F', 'other' -> 'Other'), or None."""
        if code in self.codes:
            return code
        folded = [c for c in self.codes if c.casefold() == code.strip().casefold()]
        return folded[0] if len(folded) == 1 else None


# The legend's own wording ("| Explanation | Filter pruning | Weight pruning | Special Networks | other types |").
TYPE_LABELS = {"F": "Filter pruning", "W": "Weight pruning", "S": "Special Networks", "Other": "other types"}

AWESOME_PRUNING = Taxonomy(TYPE_ORDER, dict(TYPE_NAMES), frozenset(TYPE_ORDER), dict(TYPE_LABELS))


def venue(name: str) -> venues.Venue | None:
    """The venue table's row for a Venue cell ('CVPR', 'NIPS', "NeurIPS'22", 'TPAMI', '-'), or
    None when the table does not know it (see `venues.lookup`)."""
    return venues.lookup(name)


def venue_key(name: str) -> str:
    """One key for every name of a venue ('NIPS', 'NeurIPS', "neurips'22" -> 'neurips'): what
    `--venue` compares, so a filter finds a venue by any of its names (`venues.same_venue`)."""
    known = venue(name)
    return known.id.lower() if known else venues.key(venues.split_cell(name)[0])

"""The list's taxonomy (Type column) and its venues.

Stage: shared vocabulary for readme, writers and the resolvers' match guard. Pure data.

Type codes belong to the list being read: `Taxonomy` holds the codes its legend table defines
(he-y/Awesome-Pruning's "Type of Pruning": F, W, S, Other), in the legend's order, with their
names, plus any code the rows use that the legend does not define (kept under its own name,
never read with another list's meaning). `lists.legend` builds it from the list;
`AWESOME_PRUNING` is that list's legend, the default when no list is at hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# he-y/Awesome-Pruning's legend. Order matters: output groups come in this order.
TYPE_ORDER = ("F", "W", "S", "Other")

TYPE_NAMES = {
    "F": "filter pruning",
    "W": "weight pruning",
    "S": "special networks",
    "Other": "other types",
}


@dataclass(frozen=True)
class Taxonomy:
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


@dataclass(frozen=True)
class Venue:
    short: str
    long: str  # may hold '{ieee}' for the sponsor part that changed over the years

    def long_name(self, year: int | None) -> str:
        return self.long.replace("{ieee}", _cvf_sponsor(year))

    def short_name(self, year: int | None) -> str:
        if self.short == "NeurIPS" and year is not None and year <= 2017:
            return "NIPS"  # the conference was renamed in 2018
        return self.short


def _cvf_sponsor(year: int | None) -> str:
    # CVPR and ICCV proceedings are titled "IEEE/CVF ..." from 2019 on, "IEEE ..." before.
    return "IEEE/CVF" if year is None or year >= 2019 else "IEEE"


VENUES = {
    v.short.lower(): v
    for v in (
        Venue("CVPR", "Proceedings of the {ieee} Conference on Computer Vision and Pattern Recognition (CVPR)"),
        Venue("ICCV", "Proceedings of the {ieee} International Conference on Computer Vision (ICCV)"),
        Venue("ECCV", "Proceedings of the European Conference on Computer Vision (ECCV)"),
        Venue("ICLR", "International Conference on Learning Representations (ICLR)"),
        Venue("NeurIPS", "Advances in Neural Information Processing Systems (NeurIPS)"),
        Venue("ICML", "Proceedings of the International Conference on Machine Learning (ICML)"),
        Venue("IJCAI", "Proceedings of the International Joint Conference on Artificial Intelligence (IJCAI)"),
        # AAAI's proceedings are issued as a journal (Crossref: journal-article), but people cite
        # them as conference papers; the booktitle is the proceedings' own title.
        Venue("AAAI", "Proceedings of the AAAI Conference on Artificial Intelligence (AAAI)"),
    )
}
VENUES["nips"] = VENUES["neurips"]


def venue(name: str) -> Venue | None:
    """The venue for a Venue cell's name ('CVPR', 'NeurIPS', 'NIPS'), or None if unknown."""
    return VENUES.get(name.strip().lower())


def venue_key(name: str) -> str:
    """One key for every name of a venue ('NIPS', 'NeurIPS', 'neurips' -> 'neurips'): what
    `--venue` compares, so a filter finds a venue by any of its names."""
    known = venue(name)
    return known.short.lower() if known else name.strip().lower()

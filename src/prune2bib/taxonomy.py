"""The list's taxonomy (Type column) and its venues.

Stage: shared vocabulary for readme, writers and the resolvers' match guard. Pure data.
Type codes are those of he-y/Awesome-Pruning's "Type of Pruning" table.
"""

from __future__ import annotations

from dataclasses import dataclass

# Order matters: output groups come in this order.
TYPE_ORDER = ("F", "W", "S", "Other")

TYPE_NAMES = {
    "F": "filter pruning",
    "W": "weight pruning",
    "S": "special networks",
    "Other": "other types",
}


def parse_types(cell: str) -> tuple[str, ...]:
    """'`WF`' -> ('F', 'W'); '`FO`' -> ('F', 'Other'); '`Other`' -> ('Other',).

    A cell is either the word 'Other' or a run of one-letter codes, where 'O' abbreviates
    'Other' (the list writes `FO` for one 2021 row: filter pruning plus other). An unknown
    letter raises ValueError so the caller can report the row.
    """
    code = cell.strip().strip("`").strip()
    if code.lower() == "other":
        return ("Other",)
    if not code:
        raise ValueError("empty Type cell")
    found = set()
    for letter in code.upper():
        name = {"F": "F", "W": "W", "S": "S", "O": "Other"}.get(letter)
        if name is None:
            raise ValueError(f"unknown type code {letter!r} in {cell.strip()!r}")
        found.add(name)
    return tuple(t for t in TYPE_ORDER if t in found)


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

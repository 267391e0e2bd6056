"""The list's taxonomy (Type column) and its venues.

Stage: shared vocabulary for readme, writers and the resolvers' match guard. Pure data.
Type codes are those of he-y/Awesome-Pruning's "Type of Pruning" table. Venues are the venue
table's (`venues.py`, `data/venues.toml`).
"""

from __future__ import annotations

from prune2bib import venues

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


def venue(name: str) -> venues.Venue | None:
    """The venue table's row for a Venue cell ('CVPR', 'NIPS', "NeurIPS'22", 'TPAMI', '-'), or
    None when the table does not know it (see `venues.lookup`)."""
    return venues.lookup(name)


def venue_key(name: str) -> str:
    """One key for every name of a venue ('NIPS', 'NeurIPS', "neurips'22" -> 'neurips'): what
    `--venue` compares, so a filter finds a venue by any of its names (`venues.same_venue`)."""
    known = venue(name)
    return known.id.lower() if known else venues.key(venues.split_cell(name)[0])

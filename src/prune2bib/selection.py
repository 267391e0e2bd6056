"""Why a row filter selects nothing: one line naming the filter and the values that would match.

Stage: between readme and resolve (the `--type/--year/--since/--until/--venue` filters of
`pipeline.RowFilter`). Pure. A filter that matches nothing is an error, not an empty file:

    no row has --venue NOPE; the list's venues: AAAI, CVPR, ECCV, ICCV, ICLR, ICML, IJCAI, NeurIPS
    no row matches --type S --year 2016 together; with --type S the years are 2019-2023; with --year 2016 the types are F, W
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

from msgspec import Struct
from msgspec.structs import replace

from prune2bib import venues as venue_table
from prune2bib.pipeline import RowFilter
from prune2bib.readme import Entry
from prune2bib.taxonomy import TYPE_ORDER


class _Dimension(Struct, frozen=True):
    name: str  # plural, for "the list's years"
    cleared: dict  # RowFilter fields that switch this dimension off
    describe: Callable[[RowFilter], str]  # the options as the user typed them
    values: Callable[[Iterable[Entry], Sequence[str]], str]  # the values rows have (given the list's type order)


def explain_empty(entries: list[Entry], row_filter: RowFilter, type_order: Sequence[str] = TYPE_ORDER) -> str:
    """The message for a filter under which no entry of `entries` is selected; types are named
    in `type_order` (the list's legend)."""
    if not entries:
        return "the list has no rows"
    given = [d for d in DIMENSIONS if replace(row_filter, **d.cleared) != row_filter]
    alone_empty = [d for d in given if not _any(entries, _only(row_filter, d))]
    if alone_empty:
        return "; ".join(
            f"no row has {d.describe(row_filter)}; the list's {d.name}: {d.values(entries, type_order)}" for d in alone_empty
        )
    parts = [f"no row matches {' '.join(d.describe(row_filter) for d in given)} together"]
    for d in given:
        others = replace(row_filter, **d.cleared)
        rest = " ".join(o.describe(row_filter) for o in given if o is not d)
        parts.append(f"with {rest} the {d.name} are {d.values([e for e in entries if others.accepts(e)], type_order)}")
    return "; ".join(parts)


def _only(row_filter: RowFilter, dimension: _Dimension) -> RowFilter:
    """The filter with every other dimension switched off."""
    for other in DIMENSIONS:
        if other is not dimension:
            row_filter = replace(row_filter, **other.cleared)
    return row_filter


def _any(entries: list[Entry], row_filter: RowFilter) -> bool:
    return any(row_filter.accepts(e) for e in entries)


def _options(flag: str, values: Iterable) -> str:
    return " ".join(f"{flag} {v}" for v in values)


def _types(entries: Iterable[Entry], type_order: Sequence[str]) -> str:
    seen: dict[str, None] = {}
    for entry in entries:
        seen.update(dict.fromkeys(entry.types))
    order = {t: i for i, t in enumerate(type_order)}
    return ", ".join(sorted(seen, key=lambda t: (order.get(t, len(order)), t))) or "none"


def _years(entries: Iterable[Entry], _type_order: Sequence[str] = ()) -> str:
    """2015, 2016, 2017, 2019 -> '2015-2017, 2019'."""
    years = sorted({e.year for e in entries if isinstance(e.year, int)})
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"


def _venues(entries: Iterable[Entry], _type_order: Sequence[str] = ()) -> str:
    # The venue table's one name per venue ('NeurIPS' for 'NIPS' and "NeurIPS'22"), as --venue takes it.
    return ", ".join(venue_table.valid_names(e.venue for e in entries)) or "none"


def _year_options(f: RowFilter) -> str:
    given = [_options("--year", f.years)]
    given += [f"--since {f.since}"] if f.since is not None else []
    given += [f"--until {f.until}"] if f.until is not None else []
    return " ".join(g for g in given if g)


DIMENSIONS = (
    _Dimension("types", {"types": ()}, lambda f: _options("--type", f.types), _types),
    _Dimension("years", {"years": (), "since": None, "until": None}, _year_options, _years),
    _Dimension("venues", {"venues": ()}, lambda f: _options("--venue", f.venues), _venues),
)

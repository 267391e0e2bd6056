"""arXiv adapter: arXiv IDs -> preprint `Record`s, through the `arxiv` package (v2+).

Stage: resolve. API: https://info.arxiv.org/help/api/user-manual.html; client:
https://github.com/lukasschwab/arxiv.py. What the API does that we guard against:

- one malformed ID makes arXiv answer HTTP 400 for the whole batch: IDs are validated first
  (https://info.arxiv.org/help/arxiv_identifier.html) and a bad one is reported alone;
- `id_list` answers in any order: results are indexed by ID, never by position;
- the client's default page size can silently truncate a batch: page size = batch size (≤ 100);
- an ID sometimes comes back missing from a full batch: the missing ones are asked for once
  more, together in one request.

The client's own delay and retries are turned off; its session is `Http`'s, which spaces
requests 3 s apart on one connection, retries, and sets our User-Agent and a timeout.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Iterable, Iterator

from prune2bib.errors import NetworkError
from prune2bib.http import Http, base_url
from prune2bib.record import PREPRINT, Record
from prune2bib.resolve_settings import ARXIV_MAX_BATCH
from prune2bib.resolvers import FOUND, Lookup
from prune2bib.resolvers.names import split_name

if TYPE_CHECKING:  # the client is imported where a request is made: a warm run never loads it
    import arxiv

SOURCE = "arxiv"
MAX_BATCH = ARXIV_MAX_BATCH
_MONTH = r"(?:0[1-9]|1[0-2])"
# YYMM.NNNN from 0704 to 1412, YYMM.NNNNN from 1501 on (https://info.arxiv.org/help/arxiv_identifier.html)
_NEW_STYLE = rf"(?:(?:0[7-9]|1[0-4]){_MONTH}\.\d{{4}}|(?:1[5-9]|[2-9]\d){_MONTH}\.\d{{5}})"
_OLD_STYLE = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"  # hep-th/9901001, math.GT/0309136
ARXIV_ID = re.compile(rf"(?:{_NEW_STYLE}|{_OLD_STYLE})(?:v[1-9]\d*)?")
_VERSION = re.compile(r"v\d+$")
_ATOM_FEED = "{http://www.w3.org/2005/Atom}feed"

# The client logs a warning for every entry it cannot parse (arXiv's error entries); we report
# those IDs ourselves, so keep its log off the user's terminal unless logging is configured.
logging.getLogger("arxiv").addHandler(logging.NullHandler())


def is_valid_id(arxiv_id: str) -> bool:
    return bool(ARXIV_ID.fullmatch(arxiv_id))


def unversioned(arxiv_id: str) -> str:
    return _VERSION.sub("", arxiv_id)


def resolve_ids(ids: Iterable[str], http: Http, *, batch_size: int = MAX_BATCH) -> Iterator[tuple[str, Lookup]]:
    """(id, Lookup) for every distinct asked ID, batch by batch, as results arrive.

    IDs keep the version they were asked with ('1608.08710v2' is that version's record;
    '1608.08710' is the latest).
    """
    batch_size = max(1, min(batch_size, MAX_BATCH))
    asked = sorted(set(ids))
    for bad in (i for i in asked if not is_valid_id(i)):
        yield bad, Lookup.not_found(f"malformed arXiv id {bad!r} (not asked)")
    valid = [i for i in asked if is_valid_id(i)]
    for start in range(0, len(valid), batch_size):
        batch = valid[start : start + batch_size]
        lookups = fetch_batch(batch, http)
        missing = [i for i in batch if lookups[i].status != FOUND]
        if missing and len(batch) > 1:
            lookups.update(_ask_again(missing, lookups, http))
        yield from lookups.items()


def _ask_again(missing: list[str], first: dict[str, Lookup], http: Http) -> dict[str, Lookup]:
    """The IDs a batch did not return, asked once more in one request (not one each: a batch of
    unknown IDs must not cost a request per ID)."""
    again = fetch_batch(missing, http)
    return {i: Lookup(again[i].status, again[i].record, again[i].reason, first[i].requests + again[i].requests) for i in missing}


def fetch_batch(batch: list[str], http: Http) -> dict[str, Lookup]:
    """One request for up to 100 valid IDs; the request count is charged to the batch's first ID."""
    before = http.sent(SOURCE)
    results, failure = _query(batch, http)
    spent = http.sent(SOURCE) - before
    by_id = _index(results)
    lookups = {}
    for n, arxiv_id in enumerate(batch):
        charge = spent if n == 0 else 0
        result = by_id.get(arxiv_id) or (None if _VERSION.search(arxiv_id) else by_id.get(unversioned(arxiv_id)))
        if result is not None:
            lookups[arxiv_id] = Lookup.found(to_record(result, arxiv_id), charge)
        elif failure:
            lookups[arxiv_id] = Lookup.failed(failure, charge)
        else:
            lookups[arxiv_id] = Lookup.not_found("not found on arXiv", charge)
    return lookups


def _query(batch: list[str], http: Http) -> tuple[list[arxiv.Result], str]:
    """The results arXiv sent for one page (page size = batch size), and why it failed ('').

    The request goes through `Http`'s session; the body is checked before the client's feed
    reader sees it, because that reader recovers from a cut or garbled body and yields nothing,
    which would read, and be cached, as "not found".
    """
    import arxiv
    from arxiv import _feed as arxiv_feed  # the client's own Atom reader (same as Client.results uses)

    client = _client(http, len(batch))
    url = client._format_url(arxiv.Search(id_list=batch, max_results=len(batch)), 0, len(batch))
    try:
        response = http.session(SOURCE).get(url)
    except NetworkError as err:
        return [], str(err)
    if response.status_code != 200:
        return [], f"arXiv answered HTTP {response.status_code}"
    problem = _unreadable(response.content)
    if problem:
        return [], f"arXiv sent an unreadable feed ({problem})"
    feed = arxiv_feed.parse(response.content)
    expected = min(feed.header.total_results, len(batch))
    if len(feed.results) < expected:
        return list(feed.results), f"arXiv sent an unreadable feed ({len(feed.results)} of {expected} entries readable)"
    return list(feed.results), ""


def _unreadable(body: bytes) -> str:
    """Why a body is not an Atom feed ('' if it is), by a strict parse (expat: no external
    entities, bounded entity expansion)."""
    from xml.etree import ElementTree  # only a fetched feed needs it

    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as err:
        return f"not well-formed XML: {err}"
    return "" if root.tag == _ATOM_FEED else f"root element {root.tag!r} is not an Atom feed"


def _client(http: Http, page_size: int) -> arxiv.Client:
    import arxiv

    # delay and retries off: Http already spaces and retries every request of this session.
    client = arxiv.Client(page_size=page_size, delay_seconds=0, num_retries=0)
    client.query_url_format = base_url(SOURCE) + "/api/query?{}"
    client._session = http.session(SOURCE)  # documented attribute of arxiv.Client, no public setter
    return client


def _index(results: list[arxiv.Result]) -> dict[str, arxiv.Result]:
    """Results by versioned ID and by bare ID (the bare one maps to the version arXiv sent)."""
    index: dict[str, arxiv.Result] = {}
    for result in results:
        short = result.get_short_id()
        index[short] = result
        index.setdefault(unversioned(short), result)
    return index


def to_record(result: arxiv.Result, asked_id: str) -> Record:
    published = result.published  # the first version's date, whichever version was asked for
    return Record(
        type=PREPRINT,
        title=" ".join(result.title.split()),
        authors=tuple(split_name(a.name) for a in result.authors),
        issued=(published.year, published.month, published.day),
        publisher="arXiv",
        doi=(result.doi or "").strip(),
        url=f"https://arxiv.org/abs/{asked_id}",
        arxiv_id=asked_id,
        arxiv_class=result.primary_category or "",
        journal_ref=" ".join((result.journal_ref or "").split()),
    )

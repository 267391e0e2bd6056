"""Wire formats of the four services, written from the simulator's data set.

Learnt from recorded responses (see /work/shared/reference/responses/MANIFEST.tsv: arxiv.py's and
habanero's recorded fixtures) and from the services' documentation:

- arXiv API Atom feed (https://info.arxiv.org/help/api/user-manual.html#_response_format),
  and its HTTP 400 error feed for a malformed id in `id_list`;
- Crossref `work` / `work-list` JSON envelopes and its 404 text "Resource not found."
  (https://api.crossref.org/swagger-ui/index.html), with `x-rate-limit-*` headers;
- OpenReview `GET /notes` -> `{"notes": [...], "count": n}`; API v2 wraps every content field
  as `{"value": ...}` (https://docs.openreview.net/reference/api-v2); 429 JSON with `resetTime`;
- DBLP search API JSON `result.hits` (https://dblp.org/faq/How+to+use+the+dblp+search+API.html):
  one author is an object rather than a list, titles end with a period; 429 is an HTML page.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape, quoteattr

import wire  # the one arXiv feed envelope (tests/wire.py)
from simulator.dataset import DBLP_CONF, Paper

SIMULATED_UPDATED = "2026-01-01T00:00:00Z"

ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/json"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain"

# ---------------------------------------------------------------- arXiv


def arxiv_entry(p: Paper, version: int) -> str:
    people = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in p.authors)
    abs_url = f"https://arxiv.org/abs/{p.arxiv_id}v{version}"
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{p.arxiv_id}v{version}</id>\n"
        f"    <title>{escape(p.title)}</title>\n"
        f"    <updated>{p.year}-03-01T10:00:00Z</updated>\n"
        f"    <link href={quoteattr(abs_url)} rel=\"alternate\" type=\"text/html\"/>\n"
        "    <summary>Synthetic abstract served by the prune2bib service simulator.</summary>\n"
        '    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>\n'
        f"    <published>{p.year}-01-15T10:00:00Z</published>\n"
        '    <arxiv:primary_category term="cs.LG"/>\n'
        f"{people}"
        "  </entry>\n"
    )


def arxiv_feed(entries: list[str], total: int, start: int, query: str) -> str:
    return wire.arxiv_feed(entries, query=query, total=total, start=start,
                           feed_id="https://arxiv.org/api/simulated", updated=SIMULATED_UPDATED)  # fmt: skip


def arxiv_error_feed(bad_id: str) -> str:
    return wire.arxiv_error_feed(bad_id, updated=SIMULATED_UPDATED)


# ---------------------------------------------------------------- Crossref


def crossref_work(p: Paper, score: float = 50.0) -> dict:
    given_family = [a.rsplit(" ", 1) for a in p.authors]
    return {
        "DOI": p.doi,
        "type": "proceedings-article",
        "title": [p.title],
        "author": [
            {"given": g, "family": f, "sequence": "first" if i == 0 else "additional", "affiliation": []}
            for i, (g, f) in enumerate(x if len(x) == 2 else ["", x[0]] for x in given_family)
        ],
        "issued": {"date-parts": [[p.year, 6]]},
        "container-title": [p.container],
        "short-container-title": [p.venue],
        "page": p.pages,
        "publisher": "Synthetic Publisher",
        "URL": f"https://doi.org/{p.doi}",
        "score": score,
    }


def crossref_envelope(message_type: str, message: dict) -> dict:
    return {"status": "ok", "message-type": message_type, "message-version": "1.0.0", "message": message}


def crossref_list(items: list[dict], terms: str) -> dict:
    return crossref_envelope(
        "work-list",
        {"facets": {}, "total-results": len(items), "items": items, "items-per-page": len(items),
         "query": {"start-index": 0, "search-terms": terms}},
    )  # fmt: skip


CROSSREF_NOT_FOUND = "Resource not found."

# ---------------------------------------------------------------- OpenReview


def openreview_note(p: Paper, api: str) -> dict:
    content = {
        "title": p.title,
        "authors": list(p.authors),
        "authorids": [f"~Synthetic_Author{p.n}1", f"~Synthetic_Coauthor{p.n}1"],
        "venue": f"{p.venue} {p.year} Poster",
        "venueid": f"{p.venue}.cc/{p.year}/Conference",
        "_bibtex": "@inproceedings{stale, title={Stale bibtex the client must not read}}",
    }
    millis = int(datetime(p.year - 1, 9, 28, tzinfo=timezone.utc).timestamp() * 1000)
    note = {"id": p.forum, "forum": p.forum, "cdate": millis, "pdate": millis, "invitations": [f"{p.venue}.cc/{p.year}/Conference/-/Submission"]}
    if api == "v2":
        note["content"] = {k: {"value": v} for k, v in content.items()}
    else:
        note["content"] = content
    return note


def openreview_notes(notes: list[dict]) -> dict:
    return {"notes": notes, "count": len(notes)}


def openreview_rate_limited(seconds: int) -> dict:
    reset = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    return {
        "name": "RateLimitError",
        "message": "Too many requests: please wait before retrying",
        "status": 429,
        "details": {"resetTime": reset.isoformat(timespec="milliseconds").replace("+00:00", "Z")},
    }


# ---------------------------------------------------------------- DBLP


def dblp_info(p: Paper) -> dict:
    conf = DBLP_CONF.get(p.venue, "misc")
    authors = [{"@pid": f"99/{p.n}-{i}", "text": a} for i, a in enumerate(p.authors)]
    venue = p.venue if conf != "eccv" else f"ECCV ({p.n % 30 + 1})"
    key = f"conf/{conf}/Synthetic{p.n}{p.year % 100:02d}"
    return {
        "authors": {"author": authors[0] if len(authors) == 1 else authors},  # DBLP's one-author quirk
        "title": p.title + ".",
        "venue": venue,
        "pages": p.pages,
        "year": str(p.year),
        "type": "Conference and Workshop Papers",
        "access": "closed",
        "key": key,
        "doi": p.doi,
        "ee": f"https://doi.org/{p.doi}",
        "url": f"https://dblp.org/rec/{key}",
    }


def dblp_corr_copy(p: Paper) -> dict:
    """The arXiv copy DBLP lists beside a paper (venue CoRR): the client must skip it."""
    info = dblp_info(p)
    key = f"journals/corr/abs-sim-{p.n}"
    return {**info, "venue": "CoRR", "type": "Informal and Other Publications", "key": key, "volume": "abs/sim",
            "url": f"https://dblp.org/rec/{key}"}  # fmt: skip


def dblp_front_matter(toc_key: str, venue: str, year: int) -> dict:
    conf = toc_key.split("/")[2]
    return {
        "title": f"Synthetic proceedings of {venue} {year}.",
        "venue": venue,
        "year": str(year),
        "type": "Editorship",
        "key": f"conf/{conf}/{year}",
        "url": f"https://dblp.org/rec/conf/{conf}/{year}",
    }


def dblp_filler(toc_key: str, venue: str, year: int, k: int) -> dict:
    """Another paper of the volume that is not on the list (real listings hold thousands)."""
    conf = toc_key.split("/")[2]
    key = f"conf/{conf}/Filler{k}{year % 100:02d}"
    return {
        "authors": {"author": {"@pid": f"98/{k}", "text": f"Synthetic Filler {k}"}},
        "title": f"Synthetic filler paper {k} of {venue} {year}.",
        "venue": venue, "pages": f"{k}-{k + 1}", "year": str(year), "type": "Conference and Workshop Papers",
        "key": key, "url": f"https://dblp.org/rec/{key}",
    }  # fmt: skip


def dblp_result(query: str, infos: list[dict], total: int, first: int) -> dict:
    hits = {"@total": str(total), "@computed": str(total), "@sent": str(len(infos)), "@first": str(first)}
    if infos:  # DBLP leaves `hit` out when nothing matched
        hits["hit"] = [{"@score": "7", "@id": str(first + i), "info": info, "url": info.get("url", "")}
                       for i, info in enumerate(infos)]  # fmt: skip
    return {"result": {"query": query, "status": {"@code": "200", "text": "OK"},
                       "time": {"@unit": "msecs", "text": "1.00"}, "hits": hits}}  # fmt: skip


DBLP_429_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>429 Too Many Requests</title></head>\n"
    "<body><h1>Too Many Requests</h1><p>You have sent too many requests to dblp in a given amount of time. "
    "Please wait before retrying.</p></body>\n</html>\n"
)
MAINTENANCE_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Service maintenance</title></head>"
    "<body><h1>We'll be back soon</h1></body></html>\n"
)


def dumps(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")

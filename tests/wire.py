"""Synthetic response bodies in the services' real wire formats, for fake-server tests.

Formats learnt from recorded responses (arXiv Atom feeds, Crossref `work` / `work-list` JSON);
the content is made up and says so: titles 'Synthetic paper N', authors 'Synth AuthorN',
DOIs under Crossref's test prefix 10.5555. Nothing here is a real paper or person.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from fakeserver import Logged, Reply

ATOM_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)
ATOM_TYPE = {"Content-Type": "application/atom+xml; charset=utf-8"}
SYNTHETIC_UPDATED = "2021-03-01T00:00:00Z"
JSON_TYPE = {"Content-Type": "application/json"}
CROSSREF_LIMITS = {"x-rate-limit-limit": "5", "x-rate-limit-interval": "1s"}
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z-]+/\d{7})(v\d+)?$")


def synthetic_arxiv_id(n: int) -> str:
    return f"2101.{n:05d}"


def arxiv_entry(
    arxiv_id: str,
    n: int,
    *,
    version: int = 1,
    published: str = "2021-01-04T10:00:00Z",
    updated: str = "2021-02-01T10:00:00Z",
    authors: tuple[str, ...] | None = None,
    doi: str = "",
    journal_ref: str = "",
    primary: str = "cs.LG",
    title: str | None = None,
) -> str:
    base = re.sub(r"v\d+$", "", arxiv_id)
    authors = authors or (f"Synth Author{n}", f"Synth Coauthor{n}")
    extra = ""
    if doi:
        extra += f"    <arxiv:doi>{escape(doi)}</arxiv:doi>\n"
    if journal_ref:
        extra += f"    <arxiv:journal_ref>{escape(journal_ref)}</arxiv:journal_ref>\n"
    people = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in authors)
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{base}v{version}</id>\n"
        f"    <title>{escape(title or f'Synthetic paper {n}')}</title>\n"
        f"    <updated>{updated}</updated>\n"
        f'    <link href="https://arxiv.org/abs/{base}v{version}" rel="alternate" type="text/html"/>\n'
        f'    <link href="https://arxiv.org/pdf/{base}v{version}" rel="related" type="application/pdf" title="pdf"/>\n'
        "    <summary>Synthetic abstract.</summary>\n"
        f'    <category term="{primary}" scheme="http://arxiv.org/schemas/atom"/>\n'
        f"    <published>{published}</published>\n"
        f"{extra}"
        f'    <arxiv:primary_category term="{primary}"/>\n'
        f"{people}"
        "  </entry>\n"
    )


def arxiv_feed(entries: list[str], *, query: str = "synthetic", total: int | None = None, start: int = 0,
               feed_id: str = "https://arxiv.org/api/synthetic", updated: str = SYNTHETIC_UPDATED) -> str:
    """An arXiv API answer (Atom feed with the opensearch header) around `entries`. The one
    envelope for the fake servers, the service simulator and the cassette builder."""
    return (
        ATOM_HEAD
        + f"  <id>{escape(feed_id)}</id>\n"
        + f"  <title>arXiv Query: {escape(query)}</title>\n"
        + f"  <updated>{updated}</updated>\n"
        + f"  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{len(entries) if total is None else total}</opensearch:totalResults>\n"
        + f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def arxiv_error_feed(bad_id: str, *, updated: str = SYNTHETIC_UPDATED) -> str:
    """What arXiv sends with HTTP 400 when an id_list holds a malformed ID (the layout of arXiv's
    recorded answer for id_list=abc in arxiv.py's test fixtures): one error entry."""
    anchor = escape(f"https://arxiv.org/api/errors#incorrect_id_format_for_{bad_id}")
    return (
        ATOM_HEAD
        + "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        + f"  <updated>{updated}</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + f"  <entry>\n    <id>{anchor}</id>\n    <title>Error</title>\n    <updated>{updated}</updated>\n"
        + f'    <link href="{anchor}" rel="alternate" type="text/html"/>\n'
        + f"    <summary>incorrect id format for {escape(bad_id)}</summary>\n"
        + "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    )


class FakeArxiv:
    """Answers /api/query id_list requests like arXiv: any malformed ID -> 400 for the batch;
    a bare ID -> its latest version, 'IDvN' -> that version if it exists; results in *reverse*
    order (arXiv promises no order); unknown IDs simply absent; at most `max_results` entries.
    `drop_once` IDs are left out of the first multi-ID batch that asks for them."""

    def __init__(self, papers: dict[str, dict], *, drop_once: tuple[str, ...] = ()):
        self.papers = papers  # bare ID -> arxiv_entry keyword arguments (n, version = latest, ...)
        self.drop_once = set(drop_once)

    def __call__(self, request: Logged) -> Reply:
        ids = [i for i in request.param("id_list").split(",") if i]
        bad = [i for i in ids if not _ARXIV_ID.match(i)]
        if bad:
            return Reply(400, arxiv_error_feed(bad[0]), ATOM_TYPE)
        found = []
        for asked in ids:
            entry = self._entry(asked, multi=len(ids) > 1)
            if entry:
                found.append(entry)
        found = list(reversed(found))[: int(request.param("max_results") or 10)]
        return Reply(200, arxiv_feed(found, query=request.param("id_list")), ATOM_TYPE)

    def _entry(self, asked: str, *, multi: bool) -> str:
        bare, version = re.match(r"^(.*?)(?:v(\d+))?$", asked).groups()
        paper = self.papers.get(bare)
        if paper is None:
            return ""
        if multi and bare in self.drop_once:
            self.drop_once.discard(bare)
            return ""
        kwargs = dict(paper)
        latest = kwargs.pop("version", 1)
        if version and int(version) > latest:
            return ""
        return arxiv_entry(bare, version=int(version or latest), **kwargs)


def crossref_work(
    n: int,
    *,
    doi: str | None = None,
    kind: str = "proceedings-article",
    year: int = 2019,
    container: tuple[str, ...] = ("2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",),
    title: str | None = None,
    page: str = "100-108",
) -> dict:
    return {
        "DOI": doi or f"10.5555/synthetic.{n}",
        "type": kind,
        "title": [title or f"Synthetic paper {n}"],
        "author": [
            {"given": "Synth", "family": f"Author{n}", "sequence": "first", "affiliation": []},
            {"given": "Synth B.", "family": f"Coauthor{n}", "sequence": "additional", "affiliation": []},
        ],
        "issued": {"date-parts": [[year, 6]]},
        "container-title": list(container),
        "page": page,
        "publisher": "Synthetic Publisher",
        "URL": f"https://doi.org/{doi or f'10.5555/synthetic.{n}'}",
        "score": 42.0,
    }


def crossref_ok(message: dict) -> Reply:
    body = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}
    return Reply(200, body, {**JSON_TYPE, **CROSSREF_LIMITS})


def crossref_list(items: list[dict], terms: str = "synthetic") -> Reply:
    message = {
        "facets": {},
        "total-results": len(items),
        "items": items,
        "items-per-page": len(items),
        "query": {"start-index": 0, "search-terms": terms},
    }
    body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}
    return Reply(200, body, {**JSON_TYPE, **CROSSREF_LIMITS})


def crossref_not_found() -> Reply:
    return Reply(404, "Resource not found.", {"Content-Type": "text/plain", **CROSSREF_LIMITS})

"""Synthetic DBLP search-API and OpenReview bodies in the services' real wire formats, for
fake-server tests. The wire format follows dblp.org's search API (`result.hits.hit[].info`,
https://dblp.org/faq/How+to+use+the+dblp+search+API.html) and OpenReview's `GET /notes`
(`{"notes": [...], "count": n}`, v2 content wrapped as `{"value": ...}`).

The content is made up and says so: titles 'Synthetic …', authors 'Synth Author…', DOIs under
Crossref's test prefix 10.5555, DBLP keys under `conf/<venue>/Synth…`. Nothing here is a real
paper or person (except where a test passes in a real row's title on purpose).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from fakeserver import Logged, Reply

JSON_TYPE = {"Content-Type": "application/json"}


def dblp_info(title: str, venue: str, year: int, *, n: int = 0, doi: str = "", pages: str = "", ee: str = "",
              authors: tuple[str, ...] | None = None, key: str = "", kind: str = "Conference and Workshop Papers") -> dict:  # fmt: skip
    authors = authors or (f"Synth Author{n}", f"Synth Coauthor{n}")
    info = {
        "authors": {"author": [{"@pid": f"00/{n}-{i}", "text": a} for i, a in enumerate(authors)]},
        "title": title if title.endswith((".", "?", "!")) else title + ".",
        "venue": venue,
        "year": str(year),
        "type": kind,
        "key": key or f"{_stream(venue)}/Synth{n}{year % 100:02d}",
        "ee": ee or f"https://example.org/synthetic/{n}",
        "url": f"https://dblp.org/rec/{_stream(venue)}/Synth{n}",
    }
    if doi:
        info["doi"] = doi
    if pages:
        info["pages"] = pages
    return info


def _stream(venue: str) -> str:
    """DBLP's stream of a venue label: 'NeurIPS' -> 'conf/nips', 'ECCV (3)' -> 'conf/eccv'."""
    from simulator.dataset import DBLP_CONF

    short = re.sub(r"\s*\([^)]*\)$", "", venue)
    return f"conf/{DBLP_CONF.get(short, short.lower().replace(' ', ''))}"


def corr_info(title: str, year: int, n: int = 0) -> dict:
    return dblp_info(title, "CoRR", year, n=n, key=f"journals/corr/abs-synth-{n}", kind="Informal and Other Publications")


def dblp_hits(infos: list[dict], *, first: int = 0, total: int | None = None) -> dict:
    hits = {"@total": str(len(infos) if total is None else total), "@computed": str(len(infos)),
            "@sent": str(len(infos)), "@first": str(first), "hit": [{"@score": "1", "@id": str(i), "info": info} for i, info in enumerate(infos)]}  # fmt: skip
    return {"result": {"query": "synthetic", "status": {"@code": "200", "text": "OK"}, "hits": hits}}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]+", " ", text.rstrip(".")).lower().split())


class FakeDblp:
    """Answers `toc:<key>:` listings from `tocs` (key -> infos, paged by h/f) and title queries with
    the infos (from every toc and `extra`) whose title has the query's words."""

    def __init__(self, tocs: dict[str, list[dict]] | None = None, extra: list[dict] | None = None):
        self.tocs, self.extra = tocs or {}, extra or []

    def __call__(self, request: Logged) -> Reply:
        query, size, first = request.param("q"), int(request.param("h") or 30), int(request.param("f") or 0)
        if query.startswith("toc:"):
            infos = self.tocs.get(query.removeprefix("toc:").rstrip(":"), [])
            return Reply(200, dblp_hits(infos[first : first + size], first=first, total=len(infos)), JSON_TYPE)
        pool = [i for infos in self.tocs.values() for i in infos] + self.extra
        # DBLP's search is word-based and forgiving; near-identical titles (a plural) are found too.
        found = [i for i in pool if fuzz.ratio(_words(i["title"]), _words(query)) >= 95]
        return Reply(200, dblp_hits(found[:size]), JSON_TYPE)


def openreview_note(forum: str, title: str, *, v2: bool = False, venueid: str = "", venue: str = "",
                    authors: tuple[str, ...] = ("Synth Author", "Synth Coauthor")) -> dict:  # fmt: skip
    content = {"title": title, "authors": list(authors), "venueid": venueid, "venue": venue}
    content = {k: v for k, v in content.items() if v}
    if v2:
        content = {k: {"value": v} for k, v in content.items()}
    return {"id": forum, "forum": forum, "content": content}


class FakeOpenReview:
    """`GET /notes?ids=a,b`: the notes it holds among the asked ids."""

    def __init__(self, notes: list[dict]):
        self.notes = {n["id"]: n for n in notes}

    def __call__(self, request: Logged) -> Reply:
        ids = request.param("ids").split(",")
        notes = [self.notes[i] for i in ids if i in self.notes]
        return Reply(200, {"notes": notes, "count": len(notes)}, JSON_TYPE)

"""The simulator's data set: one synthetic record per README row, indexed the way each service looks.

Titles are the README's own (so the client's match guard accepts them); everything else is
made up and looks it: authors "Synthetic Author N", DOIs under Crossref's test prefix 10.5555
(a row whose link *is* a DOI keeps that DOI, since it is what the client asks for), pages
"9NNNN-9NNNN", proceedings "Synthetic proceedings of …". Nothing here is a real paper's metadata.

The indexes are built independently of prune2bib's own identifier and venue code, from the
row's link, so a bug in the client's parsing cannot hide itself by being mirrored here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable
from urllib.parse import parse_qs, unquote, urlsplit

_ARXIV_LINK = re.compile(r"arxiv\.org/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7})(?P<v>v\d+)?")
_DOI_IN_LINK = re.compile(r"(?P<doi>10\.\d{4,9}/[^?#]+?)(?:\.pdf)?$")
_DOI_HOSTS = ("doi.org", "link.springer.com", "dl.acm.org", "onlinelibrary.wiley.com")
# DBLP's conference stream names for the list's venues (https://dblp.org/db/conf/).
DBLP_CONF = {"CVPR": "cvpr", "ICCV": "iccv", "ECCV": "eccv", "ICLR": "iclr", "NeurIPS": "nips",
             "ICML": "icml", "IJCAI": "ijcai", "AAAI": "aaai"}  # fmt: skip
ECCV_PARTS = {2018: 16, 2020: 30, 2022: 39}  # LNCS volumes per ECCV edition


def words(title: str) -> str:
    """Lower-case alphanumeric words: how the simulator compares titles (independent of match.py)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower()).split())


@dataclass(frozen=True)
class Paper:
    n: int  # row number in the data set, from 1
    title: str
    venue: str  # as the README writes it
    year: int
    link: str
    authors: tuple[str, ...]
    doi: str
    pages: str
    arxiv_id: str = ""  # bare
    arxiv_version: int = 1  # the latest version the simulator knows
    forum: str = ""  # OpenReview forum id

    @property
    def container(self) -> str:
        return f"Synthetic proceedings of {self.venue} {self.year} ({self.venue})"

    def toc_keys(self) -> tuple[str, ...]:
        """The DBLP table-of-contents key(s) of the paper's venue-year volume."""
        conf = DBLP_CONF.get(self.venue)
        if conf is None:
            return ()
        if conf == "nips":
            name = f"nips{self.year}" if self.year <= 2019 else f"neurips{self.year}"
        elif conf == "eccv":
            parts = ECCV_PARTS.get(self.year, 1)
            name = f"eccv{self.year}-{self.n % parts + 1}"  # papers spread over the LNCS parts
        else:
            name = f"{conf}{self.year}"
        return (f"db/conf/{conf}/{name}.bht",)


def synthetic_paper(n: int, title: str, venue: str, year: int, link: str) -> Paper:
    arxiv = _ARXIV_LINK.search(link)
    doi = _doi_of(link)
    forum = parse_qs(urlsplit(link).query).get("id", [""])[0] if "openreview.net" in link else ""
    return Paper(
        n=n,
        title=title,
        venue=venue,
        year=year,
        link=link,
        authors=(f"Synthetic Author {n}", f"Synthetic Coauthor {n}"),
        doi=doi or f"10.5555/prune2bib.sim.{n}",
        pages=f"{90000 + 10 * n}-{90000 + 10 * n + 9}",
        arxiv_id=arxiv.group("id") if arxiv else "",
        arxiv_version=int(arxiv.group("v")[1:]) if arxiv and arxiv.group("v") else 1,
        forum=forum,
    )


def _doi_of(link: str) -> str:
    parts = urlsplit(link)
    if not any(parts.netloc.endswith(h) for h in _DOI_HOSTS):
        return ""
    found = _DOI_IN_LINK.search(unquote(parts.path))
    return found.group("doi") if found else ""


class Dataset:
    """Papers and the per-service indexes over them."""

    def __init__(self, papers: Iterable[Paper]):
        self.papers = list(papers)
        self.by_arxiv = {p.arxiv_id: p for p in self.papers if p.arxiv_id}
        self.by_doi = {p.doi.lower(): p for p in self.papers}
        self.by_forum = {p.forum: p for p in self.papers if p.forum}
        self.by_words: dict[str, list[Paper]] = {}
        self.by_toc: dict[str, list[Paper]] = {}
        for p in self.papers:
            self.by_words.setdefault(words(p.title), []).append(p)
            for key in p.toc_keys():
                self.by_toc.setdefault(key, []).append(p)

    @classmethod
    def from_readme(cls, text: str, tamper: Callable[[Paper], Paper] | None = None) -> "Dataset":
        """One paper per row of a README (parsed with prune2bib's parser: rows, not identities)."""
        from prune2bib.readme import parse_readme

        papers = [synthetic_paper(n, e.title, e.venue, e.year, e.url) for n, e in enumerate(parse_readme(text), 1)]
        return cls(tamper(p) for p in papers) if tamper else cls(papers)

    def search_title(self, title_words: str) -> list[Paper]:
        return list(self.by_words.get(title_words, []))

    def with_changes(self, change: Callable[[Paper], Paper]) -> "Dataset":
        return Dataset(change(p) for p in self.papers)


__all__ = ["Dataset", "Paper", "replace", "synthetic_paper", "words"]

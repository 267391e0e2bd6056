"""Stage 2: a paper link -> a typed `Identifier`. Pure, table-tested.

One rule per publisher, each keyed on the host name and a small anchored pattern for the path, so
that hostile input is never backtracked over. URL schemes these rules read:

- arXiv: https://info.arxiv.org/help/arxiv_identifier.html (new `YYMM.NNNNN[vN]`, old `cs/0601001`)
- OpenReview: `openreview.net/forum?id=<forum>` and `/pdf?id=<forum>`
- DOI: https://www.doi.org/the-identifier/resources/handbook (`10.<registrant>/<suffix>`), where
  the URL carries one: doi.org, dx.doi.org, link.springer.com, dl.acm.org, Wiley
- CVF open access: `openaccess.thecvf.com/content/CVPR2022/html/<slug>_CVPR_2022_paper.html` and the
  older `content_cvpr_2018/...` folders
- PMLR: `proceedings.mlr.press/v162/frantar22a.html`
- NeurIPS proceedings: `/paper/2021/hash/<32 hex>-Abstract.html`, `/paper/2020/file/<hash>-Paper.pdf`,
  `/paper_files/paper/2022/hash/...`, and the pre-2020 `/paper/9521-title-words`
- IJCAI: `ijcai.org/proceedings/2022/786` (or `/2018/0336.pdf`)
- AAAI: `ojs.aaai.org/index.php/AAAI/article/view/6058`

`identify` never raises: anything else is kind `url`. `implied_venue` says which venue and year
a link itself proves, for the errata check.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qs, unquote, urlsplit

from msgspec import Struct

KINDS = ("arxiv", "openreview", "doi", "cvf", "pmlr", "neurips", "ijcai", "aaai", "url")


class Identifier(Struct, frozen=True):
    kind: str  # one of KINDS
    value: str  # arxiv: '1608.08710v2'; openreview: forum id; doi: '10.1007/...'; others: a stable id

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


# The path patterns are strings that `re` compiles on first use and keeps in its cache: a warm
# export from the lock identifies no link (tests/test_lock_warm.py), and compiling them all took
# ~2 ms of every start.
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_ARXIV_PATH = (
    r"/(?:abs|pdf)/(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7}(?:v\d+)?)(?:\.pdf)?/?"
)
_OPENREVIEW_HOSTS = {"openreview.net", "www.openreview.net"}
_OPENREVIEW_ID = r"[A-Za-z0-9_-]{1,64}"
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org", "link.springer.com", "dl.acm.org", "onlinelibrary.wiley.com"}
_DOI_PATH = (
    r"/(?:(?:chapter|article|book|content/pdf|doi(?:/(?:abs|full|pdf|epdf))?)/)?(?P<doi>10\.\d{4,9}/[^?#]+?)(?:\.pdf)?"
)
_CVF_HOSTS = {"openaccess.thecvf.com"}
_CVF_PATH = (
    r"/(?:content/(?P<folder>[A-Za-z]+\d{4})|content_(?P<conf>[A-Za-z]+)_(?P<year>\d{4}))"
    r"/(?:html|papers)/(?:[^/]+/)?(?P<slug>[^/]+?)\.(?:html|pdf)"
)
_CVF_SLUG_TAIL = r".*_(?P<conf>[A-Z]+)_(?P<year>\d{4})_paper"
_PMLR_HOSTS = {"proceedings.mlr.press"}
_PMLR_PATH = r"/(?P<volume>v\d+)/(?P<key>[a-z0-9-]+?\d{2}[a-z]{0,2})(?:\.html|\.pdf|/(?P=key)\.pdf)?/?"
_NEURIPS_HOSTS = {"papers.nips.cc", "papers.neurips.cc", "proceedings.neurips.cc"}
_NEURIPS_HASH_PATH = (
    r"(?:/paper_files)?/paper/(?P<year>\d{4})/(?:hash|file)/(?P<hash>[0-9a-f]{32})-[A-Za-z-]+\.(?:html|pdf)"
)
_NEURIPS_NUMBER_PATH = r"/paper/(?P<number>\d+)-[^/]*?(?:\.pdf)?"
_IJCAI_HOSTS = {"ijcai.org", "www.ijcai.org"}
_IJCAI_PATH = r"/proceedings/(?P<year>\d{4})/(?P<number>\d{1,5})(?:\.pdf)?/?"
_AAAI_HOSTS = {"ojs.aaai.org", "aaai.org", "www.aaai.org"}
_AAAI_PATH = r"(?:/ojs)?/index\.php/AAAI/article/(?:view|download)/(?P<article>\d+)(?:/\d+)?/?"

# PMLR volumes that are ICML proceedings (https://proceedings.mlr.press/), by year.
ICML_PMLR_VOLUMES = {
    "v37": 2015, "v48": 2016, "v70": 2017, "v80": 2018, "v97": 2019,
    "v119": 2020, "v139": 2021, "v162": 2022, "v202": 2023, "v235": 2024, "v267": 2025,
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)  # pure, and asked about the same links by several stages
def identify(url: str) -> Identifier:
    """The typed identifier a paper link carries; `url:<link>` when no rule knows it."""
    link = str(url).strip()
    try:
        parts = urlsplit(link)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. an unbalanced '[' in the host
        return Identifier("url", link)
    if parts.scheme.lower() not in ("http", "https"):
        return Identifier("url", link)
    for hosts, rule in _RULES:
        if host in hosts:
            found = rule(parts.path, parts.query)
            if found is not None:
                return found
    return Identifier("url", link)


def _arxiv(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_ARXIV_PATH, path)
    return Identifier("arxiv", match["id"]) if match else None


def _openreview(path: str, query: str) -> Identifier | None:
    if path.rstrip("/") not in ("/forum", "/pdf"):
        return None
    forum = parse_qs(query).get("id", [""])[0]
    return Identifier("openreview", forum) if re.fullmatch(_OPENREVIEW_ID, forum) else None


def _doi(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_DOI_PATH, path)
    return Identifier("doi", unquote(match["doi"])) if match else None


def _cvf(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_CVF_PATH, path)
    if not match:
        return None
    slug = match["slug"]
    tail = re.fullmatch(_CVF_SLUG_TAIL, slug)
    if tail:  # the slug's own '_CVPR_2022_paper' tail is the most reliable name of the volume
        volume = f"{tail['conf']}{tail['year']}"
    else:
        volume = (match["folder"] or f"{match['conf']}{match['year']}").upper()
    return Identifier("cvf", f"{volume}/{slug}")


def _pmlr(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_PMLR_PATH, path)
    return Identifier("pmlr", f"{match['volume']}/{match['key']}") if match else None


def _neurips(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_NEURIPS_HASH_PATH, path)
    if match:
        return Identifier("neurips", f"{match['year']}/{match['hash']}")
    match = re.fullmatch(_NEURIPS_NUMBER_PATH, path)
    return Identifier("neurips", f"paper/{match['number']}") if match else None


def _ijcai(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_IJCAI_PATH, path)
    return Identifier("ijcai", f"{match['year']}/{int(match['number'])}") if match else None


def _aaai(path: str, query: str) -> Identifier | None:
    match = re.fullmatch(_AAAI_PATH, path)
    return Identifier("aaai", match["article"]) if match else None


_RULES = (
    (_ARXIV_HOSTS, _arxiv),
    (_OPENREVIEW_HOSTS, _openreview),
    (_DOI_HOSTS, _doi),
    (_CVF_HOSTS, _cvf),
    (_PMLR_HOSTS, _pmlr),
    (_NEURIPS_HOSTS, _neurips),
    (_IJCAI_HOSTS, _ijcai),
    (_AAAI_HOSTS, _aaai),
)


# ---------------------------------------------------------------- what a link proves


def implied_venue(identifier: Identifier) -> tuple[str, int | None] | None:
    """(venue short name, year or None) that the link itself shows, or None if it shows none.

    arXiv, DOI, OpenReview (it hosts ICLR, NeurIPS and ICML) and plain links prove no venue.
    """
    kind, value = identifier.kind, identifier.value
    if kind == "neurips":
        head = value.split("/", 1)[0]
        return "NeurIPS", int(head) if head.isdigit() else None
    if kind == "cvf":
        match = re.fullmatch(r"([A-Z]+)(\d{4})", value.split("/", 1)[0])
        return (match[1], int(match[2])) if match else None
    if kind == "pmlr":
        year = ICML_PMLR_VOLUMES.get(value.split("/", 1)[0])
        return ("ICML", year) if year else None
    if kind == "ijcai":
        return "IJCAI", int(value.split("/", 1)[0])
    if kind == "aaai":
        return "AAAI", None
    return None

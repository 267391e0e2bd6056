"""README variants for the simulator: a subset of the list's rows, or the list repeated ×k.

Both edit the upstream README line by line, so everything around the rows (headings, table
headers, CRLF line ends) stays as the parser knows it. Repeated copies get distinct identities:
titles end with "(replica k)", arXiv ids move to months that have not happened yet in the real
list's range (3001+), OpenReview forum ids and DOIs get a suffix.
"""

from __future__ import annotations

import re
from typing import Callable

from prune2bib.readme import Entry, parse_readme

_ARXIV = re.compile(r"(arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7})(v\d+)?")
_FORUM = re.compile(r"(openreview\.net/(?:forum|pdf)\?id=)([A-Za-z0-9_-]+)")
_DOI = re.compile(r"((?:doi\.org|link\.springer\.com(?:/chapter|/article)?)/10\.\d{4,9}/[^)\s]+?)(\))")


def subset(text: str, keep: Callable[[int, Entry], bool]) -> str:
    """The README with only the rows for which `keep(index, entry)` is true."""
    drop = {e.line for i, e in enumerate(parse_readme(text)) if not keep(i, e)}
    lines = text.splitlines(keepends=True)
    return "".join(line for n, line in enumerate(lines, 1) if n not in drop)


def per_kind(text: str, n: int) -> str:
    """The first `n` rows of every identifier kind (arxiv, openreview, doi, cvf, …)."""
    from prune2bib.identify import identify

    seen: dict[str, int] = {}

    def keep(_i: int, entry: Entry) -> bool:
        kind = identify(entry.url).kind
        seen[kind] = seen.get(kind, 0) + 1
        return seen[kind] <= n

    return subset(text, keep)


def with_copy_in_year(text: str, kind: str, year: int) -> str:
    """The README with a copy of its first `kind` row in a new `### <year>` table before the others.

    The list stops at ICLR 2023 / NeurIPS 2022 (OpenReview API v1); a copy moved to 2024 is a row
    that lives on API v2, so the simulator's `openreview2` host has something to answer.
    """
    from prune2bib.identify import identify

    first = next(e for e in parse_readme(text) if identify(e.url).kind == kind)
    lines = text.splitlines(keepends=True)
    end = "\r\n" if lines[first.line - 1].endswith("\r\n") else "\n"
    heading = next(n for n, line in enumerate(lines) if re.match(r"#+\s*(19|20)\d{2}\b", line))
    table = [f"### {year}{end}", f"| Title | Venue | Type | Code |{end}", f"|:----- |:-----:|:----:|:----:|{end}",
             _replica(lines[first.line - 1], first, 2).rstrip("\r\n") + end, end]  # fmt: skip
    return "".join(lines[:heading] + table + lines[heading:])


def repeated(text: str, times: int) -> str:
    """The list with every row `times` times; copies 2.. carry distinct titles and identifiers."""
    rows = {e.line: e for e in parse_readme(text)}
    out = []
    for n, line in enumerate(text.splitlines(keepends=True), 1):
        out.append(line)
        if n in rows:
            out += [_replica(line, rows[n], k) for k in range(2, times + 1)]
    return "".join(out)


def _replica(line: str, entry: Entry, k: int) -> str:
    title_cell = f"[{entry.title}]"
    start = line.find("[")
    end = line.find("](", start)
    line = line[:start] + f"[{entry.title} (replica {k})" + line[end:] if start >= 0 and end > 0 else line
    line = _ARXIV.sub(lambda m: f"{m.group(1)}{_moved_arxiv_id(m.group(2), k)}{m.group(3) or ''}", line, count=1)
    line = _FORUM.sub(lambda m: f"{m.group(1)}{m.group(2)}R{k}", line, count=1)
    line = _DOI.sub(lambda m: f"{m.group(1)}.r{k}{m.group(2)}", line, count=1)
    for pattern, new in _OTHER_LINKS:
        line = pattern.sub(lambda m: new(m, k), line, count=1)
    assert title_cell  # the title cell exists in every parsed row
    return line


# Publisher links whose identifier is a slug, key, hash or number: made distinct per copy.
_OTHER_LINKS = (
    (re.compile(r"(openaccess\.thecvf\.com/content[^)\s]*?/(?:html|papers)/(?:[^/)]+/)?)([^/)\s]+\.(?:html|pdf))"),
     lambda m, k: f"{m.group(1)}R{k}_{m.group(2)}"),
    (re.compile(r"(proceedings\.mlr\.press/v\d+/)([a-z0-9-]+)"), lambda m, k: f"{m.group(1)}r{k}-{m.group(2)}"),
    (re.compile(r"(/paper/\d{4}/(?:hash|file)/)([0-9a-f]{30})[0-9a-f]{2}"), lambda m, k: f"{m.group(1)}{m.group(2)}{k:02x}"),
    (re.compile(r"(nips\.cc/paper/)(\d+)-"), lambda m, k: f"{m.group(1)}{int(m.group(2)) + 100000 * k}-"),
    (re.compile(r"(ijcai\.org/proceedings/\d{4}/)0*(\d+)"), lambda m, k: f"{m.group(1)}{int(m.group(2)) + 1000 * k}"),
    (re.compile(r"(\]\(https?://(?:jankautz\.com|faculty\.ucmerced\.edu)/[^)\s]+)\)"), lambda m, k: f"{m.group(1)}?replica={k})"),
    (re.compile(r"(AAAI/article/(?:view|download)/)(\d+)"), lambda m, k: f"{m.group(1)}{int(m.group(2)) + 100000 * k}"),
)


def _moved_arxiv_id(arxiv_id: str, k: int) -> str:
    """A new-style id in month 30kk (valid syntax, far from the real list's ids), same number."""
    number = re.sub(r"\D", "", arxiv_id)[-5:].rjust(5, "0")
    return f"{30 + (k - 1) // 12:02d}{(k - 1) % 12 + 1:02d}.{number}"

"""Stage 1: the Awesome-Pruning README (markdown) -> `Entry` rows. No network.

(Interface fixed here; the parser is being written.)
"""

from __future__ import annotations

from dataclasses import dataclass

from prune2bib.record import CodeLink


@dataclass(frozen=True)
class Anomaly:
    """Something wrong with a row, as `check` reports it."""

    code: str  # short machine name, e.g. 'duplicated-title', 'stray-text', 'bad-code-url'
    message: str  # one line, for people


@dataclass(frozen=True)
class Entry:
    """One paper row of the list."""

    line: int  # 1-based line number in the README
    year: int  # from the section heading
    title: str  # whitespace normalised, as the list writes it
    url: str  # the title's link
    venue: str  # 'CVPR'
    types: tuple[str, ...]  # taxonomy codes, in taxonomy.TYPE_ORDER
    venue_note: str = ""  # 'Oral', 'Spotlight', 'Best'
    extra_urls: tuple[tuple[str, str], ...] = ()  # (label, url) of further links in the title cell
    code: tuple[CodeLink, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()


def parse_readme(text: str) -> list[Entry]:
    raise NotImplementedError

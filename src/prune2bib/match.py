"""The match guard: is a candidate record the row's paper? A wrong paper is far worse than none.

Stage: resolve. Used twice: on records fetched through the row's own link (a link that points
to another paper is reported, not used) and on candidates from a bibliographic search (Crossref's
`score` is only relative, so a hit is never taken on score alone).

Titles are compared after normalising case, accents, punctuation, LaTeX, markup, unicode quotes
and dashes, and a trailing period. Then they must be the same words, allowing at most a couple of
one-letter slips inside long words (a plural, a typo); an added or missing word — "…Hypothesis"
against "…Hypothesis II", a title that is the prefix of another — is a different paper. When the
row names a venue and a year, they must agree too (year ± 1 for a preprint). Word distances use
rapidfuzz (https://rapidfuzz.github.io/RapidFuzz/Usage/distance/Levenshtein.html).
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from prune2bib import venues
from prune2bib.record import Record

_TAG = re.compile(r"<[^>]+>")  # JATS/MathML markup in Crossref titles
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\*?|\\.")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
MIN_SLIP_WORD = 4  # shorter words must match exactly: 'CNN' vs 'DNN' is another network
MAX_SLIPS = 2  # one-letter slips allowed in a title of LONG_TITLE_WORDS words or more (else one)
LONG_TITLE_WORDS = 6


def normalize_title(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: 'The $L_0$ “Norm”.' -> 'the l 0 norm'."""
    text = _TAG.sub(" ", text)
    text = text.replace("\\&", " and ").replace("&", " and ")
    text = _LATEX_COMMAND.sub(" ", text)
    if not text.isascii():  # (ASCII has no accents to fold: the common case skips the per-letter pass)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def same_title(a: str, b: str) -> bool:
    """Near-identical titles (see module docstring)."""
    return same_normalized_title(normalize_title(a), normalize_title(b))


def same_normalized_title(na: str, nb: str) -> bool:
    """`same_title` of two titles already normalised (`normalize_title`): listings store theirs."""
    if not na or not nb:
        return False
    if na.replace(" ", "") == nb.replace(" ", ""):
        return True  # 'ConvNets' / 'Conv Nets', 'Single-Shot' / 'Single Shot'
    wa, wb = na.split(), nb.split()
    if len(wa) != len(wb):
        return False
    slips = [(x, y) for x, y in zip(wa, wb) if x != y]
    allowed = MAX_SLIPS if len(wa) >= LONG_TITLE_WORDS else 1
    return len(slips) <= allowed and all(_is_slip(x, y) for x, y in slips)


def _is_slip(x: str, y: str) -> bool:
    if any(ch.isdigit() for ch in x + y):
        return False  # 'ResNet-50' vs 'ResNet-101', 'v1' vs 'v2'
    return min(len(x), len(y)) >= MIN_SLIP_WORD and Levenshtein.distance(x, y) <= 1


def is_same_paper(
    row_title: str, row_venue: str, row_year: int | None, candidate: Record, *, preprint: bool
) -> tuple[bool, str]:
    """(True, '') when `candidate` is the row's paper, else (False, one-line reason)."""
    if not same_title(row_title, candidate.title):
        return False, f'title differs: "{candidate.title}"'
    if row_year is not None:
        ok, reason = year_agrees(row_year, candidate.year, preprint=preprint)
        if not ok:
            return False, reason
    if row_venue and not preprint and not venues.is_preprint(row_venue):
        ok, reason = venue_agrees(row_venue, row_year, candidate)
        if not ok:
            return False, reason
    return True, ""


def year_agrees(row_year: int, year: int | None, *, preprint: bool) -> tuple[bool, str]:
    if year is None:
        return False, "candidate has no date"
    slack = 1 if preprint else 0  # a preprint often precedes (or trails) the venue by a year
    if abs(year - row_year) > slack:
        return False, f"year {year} ≠ {row_year}"
    return True, ""


def venue_agrees(row_venue: str, row_year: int | None, candidate: Record) -> tuple[bool, str]:
    """The row's venue named in the candidate's container, short container, event title or DOI."""
    # IEEE conference DOIs carry the acronym and year (10.1109/CVPR.2019.00289): a venue name too.
    names = (candidate.container_title, candidate.container_title_short, candidate.event_title,
             candidate.collection_title, candidate.doi)  # fmt: skip
    haystack = " " + " ".join(normalize_title(n) for n in names if n) + " "
    if not haystack.strip():
        return False, f"candidate names no venue (expected {row_venue})"
    if any(f" {needle} " in haystack for needle in venue_needles(row_venue, row_year)):
        return True, ""
    shown = candidate.container_title or candidate.event_title or candidate.container_title_short or candidate.doi
    return False, f'venue "{shown}" is not {row_venue}'


def venue_needles(row_venue: str, row_year: int | None) -> tuple[str, ...]:
    """Normalised phrases any of which identifies the venue: every name the venue table gives it
    (acronyms, aliases, DBLP's spelling) and each long name's core ("conference on computer vision
    and pattern recognition"); for a venue the table does not know, the cell's own name."""
    known = venues.lookup(row_venue)
    if known is None:
        return (normalize_title(venues.split_cell(row_venue)[0]),)
    cores = {_core(name) for name in known.names()}
    return tuple(sorted({normalize_title(n) for n in (*known.names(), *cores)} - {""}))


def _core(name: str) -> str:
    core = re.sub(r"\(.*?\)", " ", name)
    core = re.sub(r"^\s*Proceedings of the\s+", "", core)
    return re.sub(r"^(IEEE/CVF|IEEE)\s+", "", core)

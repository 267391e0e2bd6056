"""Title, venue and code cells of every common shape -> fields and anomalies.

Title cells, as lists write them:

    [Title](url)                                 [Title](url), [Extension1](url2)
    **[Title](url)**, [*Title*](url)             <a href="url">Title</a>
    [![Star](badge)](repo) [![Publish](badge)]() <br> :star: [Title](url) <br> Authors, …
    Title [[pdf]](url) [[code]](repo)            Title  (no link: the row's link column, if any)
    Authors et al. "Title". [[link](url)]        [Title]()  (an empty link: reported)

Badges (links whose label is an image) and emoji shortcodes are not the title; text after a
`<br>` is the authors or a take-away, not stray text. Venue cells: 'ICLR **(Oral)**' -> ('ICLR',
'Oral'); code cells: '[PyTorch(Author)](url)(Releasing), [Caffe(3rd)](url)'.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from msgspec import Struct

from prune2bib.lists.inline import Piece
from prune2bib.record import CodeLink

VENUE_NOTES = ("Oral", "Spotlight", "Best")
RELEASING = "(Releasing)"
CODE_DELETED = "Code Deleted"
# What lists write in a Code cell that has no code ('-' on Awesome-Pruning, 'N/A' elsewhere).
NO_CODE = frozenset({"-", "–", "—", "n/a", "na", "none", "x"})
# Words that end up glued to a title when a link label is pasted into it ("... github").
STRAY_TITLE_WORDS = frozenset({"github", "code", "pdf", "arxiv", "paper", "link"})
# Labels of links that point at a paper or its code rather than name it: 'Title [[pdf]](u)'.
LINK_WORDS = frozenset({"pdf", "paper", "arxiv", "link", "openreview", "html", "abs", "abstract", "doi", "url",
                        "official", "proceedings", "cvf", "ieee", "acm", "springer", "download"})  # fmt: skip
CODE_WORDS = frozenset({"code", "github", "project", "repo", "website", "page", "homepage", "project page",
                        "pytorch", "tensorflow", "official code", "jax"})  # fmt: skip
_SEPARATORS = " ,;/|\t"
_EMOJI = re.compile(r":[a-z0-9_+\-]+:")
_HOSTNAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9-]{1,63})+")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]]+")
# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_QUOTED_REFERENCE = r'(?P<authors>[^"“”]*?)\s*["“](?P<title>[^"“”]{8,})["”][\s.,;:]*'
_AUTHOR_LIST = r"(?i)\bet\s+al\b|[,&]|\band\b"  # 'Pan et al.', 'Ye Liu and Michael K. Ng'
# The common case of a well-formed URL, decided without urlsplit (a tenth of the parse time): it
# must accept nothing `_parsed_web_url` refuses. So no re.I (under it [a-z] takes 'ſ' and the
# Kelvin sign K, which no host name holds) and no port (one above 65535, or in non-ASCII digits, is
# no port): a URL with either is parsed. (re.I also made it the costliest pattern to compile.)
_PLAIN_WEB_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]{1,63})+(?:[/?#]\S*)?")


class Anomaly(Struct, frozen=True):
    """Something wrong with a row, as `check` reports it."""

    code: str  # short machine name, e.g. 'duplicated-title', 'stray-text', 'bad-code-url'
    message: str  # one line, for people


class TitleCell(Struct, frozen=True):
    title: str
    url: str
    extra_urls: tuple[tuple[str, str], ...]
    after: str  # text on the lines after the title's (authors, a take-away)
    badges: tuple[str, ...]  # image URLs of the badges before the title
    anomalies: tuple[Anomaly, ...]
    authors: str = ""  # authors written before a quoted title ('Pan et al. "Title".')


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def _lines(pieces: list[Piece]) -> list[list[Piece]]:
    lines: list[list[Piece]] = [[]]
    for piece in pieces:
        if piece.kind == "break":
            lines.append([])
        else:
            lines[-1].append(piece)
    return lines


def _has_content(line: list[Piece]) -> bool:
    return any(p.kind == "link" and not p.badge or p.kind == "text" and _text_of(p.text) for p in line)


def _text_of(text: str) -> str:
    return normalise_space(_EMOJI.sub(" ", text))


def _label_word(label: str) -> str:
    return normalise_space(label.strip().strip("[]()").casefold())


def parse_title_cell(pieces: list[Piece]) -> TitleCell:
    if pieces and pieces[0].kind == "link" and all(p.kind != "break" and not p.badge for p in pieces):
        return _links_only(pieces)
    authors = ""
    lines = _lines(pieces)
    badges = tuple(p.image for line in lines for p in line if p.kind == "link" and p.badge)
    content = [line for line in lines if _has_content(line)]
    title_line = content[0] if content else []
    after = " ".join(_text_of(" ".join(p.text for p in line if not p.badge)) for line in content[1:])
    anomalies: list[Anomaly] = []
    links = [p for p in title_line if p.kind == "link" and not p.badge]
    texts_before = _text_of(" ".join(p.text for p in _before_first_link(title_line)))
    if not links:
        title, url, extras = _text_of(" ".join(p.text for p in title_line)), "", ()
        anomalies.append(Anomaly("missing-link", "the title cell has no link"))
    elif texts_before and _label_word(links[0].text) in LINK_WORDS | CODE_WORDS:
        title, url, extras = _title_before_links(texts_before, links)
        title, authors = _quoted_title(title)
        _check_url(url, anomalies)
    else:
        title, url = normalise_space(links[0].text), links[0].href
        extras = tuple((normalise_space(p.text), p.href) for p in links[1:])
        stray = _outside_text(title_line)
        if stray:
            anomalies.append(Anomaly("stray-text", f"stray text {stray!r} in the title cell, outside its links"))
        _check_url(url, anomalies)
    anomalies.extend(title_anomalies(title))
    return TitleCell(title, url, extras, normalise_space(after), badges, tuple(anomalies), authors)


def _links_only(pieces: list[Piece]) -> TitleCell:
    """The common shape, first a link, no badge, no line break: '[Title](url), [Extension1](url2)'."""
    first = pieces[0]
    title = normalise_space(first.text)
    extras = tuple((normalise_space(p.text), p.href) for p in pieces[1:] if p.kind == "link")
    anomalies: list[Anomaly] = []
    stray = _outside_text(pieces) if len(pieces) > 1 else ""
    if stray:
        anomalies.append(Anomaly("stray-text", f"stray text {stray!r} in the title cell, outside its links"))
    _check_url(first.href, anomalies)
    anomalies.extend(title_anomalies(title))
    return TitleCell(title, first.href, extras, "", (), tuple(anomalies))


def _before_first_link(line: list[Piece]) -> list[Piece]:
    out = []
    for piece in line:
        if piece.kind == "link" and not piece.badge:
            break
        if piece.kind == "text":
            out.append(piece)
    return out


def _title_before_links(title: str, links: list[Piece]):
    """'Title [[pdf]](u) [[code]](c)': the paper link is the first that is not a code link."""
    paper = next((p for p in links if _label_word(p.text) in LINK_WORDS), None)
    url = paper.href if paper else ""
    extras = tuple((normalise_space(p.text.strip().strip("[]")), p.href) for p in links if p is not paper)
    return title.rstrip(" [("), url, extras  # '[[link](u)]': the bracket around the link is text


def _quoted_title(text: str) -> tuple[str, str]:
    """'Pan et al. "A Unified Paradigm".' -> ('A Unified Paradigm', 'Pan et al.'): a reference
    written as authors, then the title in quotes. Only when nothing but punctuation follows the
    quote and what precedes it reads as authors; otherwise the text is the title."""
    found = re.fullmatch(_QUOTED_REFERENCE, text)
    if not found or found["authors"] and not re.search(_AUTHOR_LIST, found["authors"]):
        return text, ""
    return normalise_space(found["title"]), normalise_space(found["authors"])


def _check_url(url: str, anomalies: list[Anomaly]) -> None:
    if not url.strip():
        anomalies.append(Anomaly("empty-link", "the title's link is empty: '[Title]()'"))
    elif not is_web_url(url):
        anomalies.append(Anomaly("bad-url", f"the paper link {url!r} is not a valid http(s) URL"))


def _outside_text(line: list[Piece]) -> str:
    """Text outside links, minus the separators the list puts between links."""
    outside = " ".join(p.text for p in line if p.kind == "text")
    if not outside.strip(_SEPARATORS):
        return ""
    outside = _text_of(outside)
    return normalise_space(outside.strip(_SEPARATORS).replace(",", " "))


def title_anomalies(title: str) -> list[Anomaly]:
    """Empty title, a title pasted twice, a link label glued to its end."""
    if not title:
        return [Anomaly("empty-title", "the title is empty")]
    found = []
    half = doubled_half(title)
    if half:
        found.append(Anomaly("duplicated-title", f"the title is written twice: {half!r}"))
    last_word = title.rsplit(" ", 1)[-1]
    if " " in title and last_word in STRAY_TITLE_WORDS:
        found.append(Anomaly("stray-word", f"the title ends with the stray word {last_word!r}"))
    return found


def repaired_title(title: str) -> str:
    """The title without the list's unambiguous slips (`check` still reports them): a title
    pasted twice ('XX' -> 'X') and a link label glued to its end ('… Optimization github')."""
    title = doubled_half(title) or title
    head, _, last = title.rpartition(" ")
    return head if head and last in STRAY_TITLE_WORDS else title


def doubled_half(title: str) -> str:
    """'X X' or 'XX' (ignoring spaces) -> 'X'; otherwise ''."""
    squeezed = title.replace(" ", "")
    size = len(squeezed)
    if size < 8 or size % 2 or squeezed[: size // 2] != squeezed[size // 2 :]:
        return ""
    # Cut the spaced title after as many non-space characters as the first half holds.
    seen = 0
    for index, char in enumerate(title):
        seen += char != " "
        if seen == size // 2:
            return title[: index + 1].strip()
    return ""


def parse_venue_cell(text: str, known_venue) -> tuple[str, str, list[Anomaly]]:
    """'ICLR (Oral)' (emphasis already flattened) -> ('ICLR', 'Oral', anomalies)."""
    text = normalise_space(text)
    venue, note, anomalies = text, "", []
    if text.endswith(")") and "(" in text:
        cut = text.rfind("(")
        venue, note = text[:cut].strip(), text[cut + 1 : -1].strip()
    if not venue:
        anomalies.append(Anomaly("missing-venue", "the Venue cell is empty"))
    elif known_venue(venue) is None:
        anomalies.append(Anomaly("unknown-venue", f"unknown venue {venue!r}"))
    if note and note not in VENUE_NOTES:
        anomalies.append(Anomaly("unknown-venue-note", f"unknown venue note {note!r}; expected Oral, Spotlight or Best"))
    return venue, note, anomalies


def parse_code_cell(pieces: list[Piece]) -> tuple[tuple[CodeLink, ...], list[Anomaly]]:
    """'[PyTorch(Author)](url)(Releasing), [Caffe(3rd)](url)'; '-', 'N/A' or empty means no code; a bare
    URL is a link labelled by itself."""
    links: list[CodeLink] = []
    stray: list[str] = []
    anomalies: list[Anomaly] = []
    for piece in pieces:
        if piece.kind == "link":
            if piece.badge and not piece.href:
                continue
            label = normalise_space(piece.text)
            links.append(CodeLink(label, piece.href, CODE_DELETED if label == CODE_DELETED else ""))
            if not is_web_url(piece.href):
                anomalies.append(Anomaly("bad-code-url", f"code link {label!r} has a malformed URL {piece.href!r}"))
            continue
        if piece.kind != "text":
            continue
        text = normalise_space(piece.text.replace(",", " "))
        if links and text.startswith(RELEASING):
            links[-1] = CodeLink(links[-1].label, links[-1].url, RELEASING)
            text = text[len(RELEASING) :].strip()
        for url in _BARE_URL.findall(text):
            links.append(CodeLink(url, url))
        text = normalise_space(_BARE_URL.sub(" ", text))
        if text:
            stray.append(text)
    if stray and not (len(stray) == 1 and stray[0].casefold() in NO_CODE and not links):
        anomalies.append(Anomaly("stray-code-text", f"stray text {' '.join(stray)!r} in the Code cell"))
    return tuple(links), anomalies


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a plausible host name ('https://https://x' is not)."""
    return bool(_PLAIN_WEB_URL.fullmatch(url)) or _parsed_web_url(url)


def _parsed_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and "@" not in parts.netloc and bool(_HOSTNAME.fullmatch(host))

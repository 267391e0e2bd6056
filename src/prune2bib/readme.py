"""Stage 1: the Awesome-Pruning README (markdown) -> `Entry` rows. No network.

The README is parsed with markdown-it-py (CommonMark + its GFM table rule,
https://markdown-it-py.readthedocs.io/en/latest/using.html); token `map`s give the source line
numbers. Only tables under a `### <year>` heading hold papers, one row each:

    | [Title](paper-link), [Extension1](link) | Venue **(Oral)** | `WF` | [PyTorch(Author)](code)(Releasing) |

What is wrong where (the contract the CLI's `check` and exit codes rely on):

- **The document** cannot be trusted -> `ReadmeError` (one line): empty, binary (NUL or other
  control bytes), not UTF-8, no row under any year heading, a year table whose header is not
  `Title | Venue | Type | Code`, or table-shaped lines under a year heading that markdown does not
  read as table rows (a blank line or a broken row split the table). The last two would otherwise
  drop papers silently.
- **One row** is wrong but the table around it is fine -> the row still becomes an `Entry`
  (nothing is dropped), carrying `Anomaly`s that `errata.find_errata` reports: wrong number of
  cells, no link, empty title, stray text, malformed URL, unknown venue or type code.

Types follow `taxonomy.parse_types`: `WF` -> ('F', 'W'); `FO` -> ('F', 'Other'), the list's one
`FO` row (Joint-DetNAS, 2021) being filter pruning plus "other".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from prune2bib import taxonomy
from prune2bib.errors import ReadmeError
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


EXPECTED_COLUMNS = ("title", "venue", "type", "code")
VENUE_NOTES = ("Oral", "Spotlight", "Best")
RELEASING = "(Releasing)"
CODE_DELETED = "Code Deleted"
# Words that end up glued to a title when a link label is pasted into it ("... github").
STRAY_TITLE_WORDS = frozenset({"github", "code", "pdf", "arxiv", "paper", "link"})
_SEPARATORS = " ,;/|\t"
_YEAR_HEADING = re.compile(r"(19|20)\d\d")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_HOSTNAME = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9-]{1,63})+")

# Block parsing only: the core "inline" rule is off so that only the cells of paper tables pay
# for inline parsing (about a third of the time). maxNesting bounds deep brackets/emphasis.
_MD = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table").disable("inline")


# ---------------------------------------------------------------- bytes -> text


def load_readme_text(data: bytes) -> str:
    """Decode README bytes: UTF-8 with or without BOM; CRLF and CR become LF.

    Raises ReadmeError for empty, binary (NUL or control bytes) or non-UTF-8 input.
    """
    if not data.strip():
        raise ReadmeError("the README is empty")
    control = _CONTROL_BYTES.search(data)
    if control:
        raise ReadmeError(
            f"the README looks binary: control byte 0x{control.group()[0]:02x} at offset {control.start()}"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadmeError(f"the README is not UTF-8 text: invalid byte at offset {exc.start}") from None
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- text -> entries


def parse_readme(text: str) -> list[Entry]:
    """Every row of every table under a `### <year>` heading, in README order."""
    if not text.strip():
        raise ReadmeError("the README is empty")
    if "\x00" in text:
        raise ReadmeError("the README looks binary: it contains NUL characters")
    text = normalise_newlines(text.lstrip("\ufeff"))
    lines = text.split("\n")
    entries: list[Entry] = []
    for year, table in _year_sections(_MD.parse(text)):
        entries.extend(_parse_table(year, table, lines))
    if not entries:
        raise ReadmeError("no paper table found: expected '### <year>' headings followed by tables")
    return entries


def _year_sections(tokens: list[Token]):
    """Yield (year, tokens of one table) for each table inside a year section.

    A year section runs from a heading whose text is a year to the next heading of the same or
    a higher level; deeper headings (e.g. '#### Oral') stay inside it.
    """
    year, year_level = None, 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level, heading = int(token.tag[1:]), tokens[i + 1].content.strip()
            if _YEAR_HEADING.fullmatch(heading):
                year, year_level = int(heading), level
            elif year is not None and level <= year_level:
                year = None
        elif token.type == "table_open":
            end = _closing(tokens, i, "table_close")
            if year is not None:
                yield year, tokens[i:end]
            i = end
        elif token.type == "paragraph_open" and year is not None:
            _reject_stray_rows(year, tokens[i + 1])
        i += 1


def _closing(tokens: list[Token], start: int, close_type: str) -> int:
    for j in range(start, len(tokens)):
        if tokens[j].type == close_type:
            return j
    return len(tokens) - 1


def _reject_stray_rows(year: int, inline: Token) -> None:
    """Table-shaped lines that markdown reads as a paragraph mean the table was split."""
    first = inline.map[0] if inline.map else 0
    for offset, line in enumerate(inline.content.split("\n")):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            raise ReadmeError(
                f"line {first + offset + 1}: a table row outside any table under '### {year}' "
                "(a blank line or a broken row split the table)"
            )


def _parse_table(year: int, table: list[Token], lines: list[str]) -> list[Entry]:
    rows = _rows(table)
    header, body = rows[0], rows[1:]
    names = tuple(cell.content.strip().lower() for cell in header[1])
    if names != EXPECTED_COLUMNS:
        shown = " | ".join(cell.content.strip() for cell in header[1])
        raise ReadmeError(
            f"line {header[0] + 1}: the table under '### {year}' has columns '{shown}'; "
            "expected 'Title | Venue | Type | Code'"
        )
    return [_parse_row(year, line, cells, lines[line]) for line, cells in body]


def _rows(table: list[Token]) -> list[tuple[int, list[Token]]]:
    """(0-based line, inline tokens of its cells) per table row, header first."""
    rows: list[tuple[int, list[Token]]] = []
    for token in table:
        if token.type == "tr_open":
            rows.append((token.map[0], []))
        elif token.type == "inline" and rows:
            rows[-1][1].append(token)
    return rows


def _parse_row(year: int, line0: int, cells: list[Token], raw_line: str) -> Entry:
    anomalies: list[Anomaly] = []
    count = count_cells(raw_line)
    if count != len(EXPECTED_COLUMNS):
        anomalies.append(Anomaly("cell-count", f"row has {count} cells; expected 4 (Title | Venue | Type | Code)"))
    # The Type cell is one code span and the Code cell is often '-': no inline parse needed.
    title_cell, venue_cell = _segments(cells[0].content), _segments(cells[1].content)
    type_cell = [_Segment(cells[2].content.replace("`", " "))]
    code_cell = [_Segment("-")] if cells[3].content.strip() == "-" else _segments(cells[3].content)
    title, url, extra_urls = _parse_title_cell(title_cell, anomalies)
    venue, venue_note = _parse_venue_cell(venue_cell, anomalies)
    types = _parse_type_cell(type_cell, anomalies)
    code = _parse_code_cell(code_cell, anomalies)
    return Entry(
        line=line0 + 1,
        year=year,
        title=title,
        url=url,
        venue=venue,
        types=types,
        venue_note=venue_note,
        extra_urls=extra_urls,
        code=code,
        anomalies=tuple(anomalies),
    )


def count_cells(raw_line: str) -> int:
    """Cells in a GFM table row: split on unescaped pipes, minus the optional outer ones."""
    cells, current, escaped = [], [], False
    for char in raw_line.strip():
        if char == "|" and not escaped:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        escaped = char == "\\" and not escaped
    cells.append("".join(current))
    if cells and not cells[0].strip():
        cells.pop(0)
    if cells and not cells[-1].strip():
        cells.pop()
    return len(cells)


# ---------------------------------------------------------------- cells


@dataclass(frozen=True)
class _Segment:
    """A run of a cell: a link (href set) or plain text outside links."""

    text: str
    href: str | None = None


def _segments(markdown: str) -> list[_Segment]:
    """A cell's inline markdown as alternating text and link runs, emphasis flattened."""
    children: list[Token] = []
    _MD.inline.parse(markdown, _MD, {}, children)
    segments: list[_Segment] = []
    href: str | None = None
    parts: list[str] = []
    for child in children:
        if child.type == "link_open":
            segments.append(_Segment("".join(parts)))
            href, parts = str(child.attrGet("href") or ""), []
        elif child.type == "link_close" and href is not None:
            segments.append(_Segment("".join(parts), href))
            href, parts = None, []
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:  # text, code spans, inline HTML, an image's alt text; emphasis marks add ""
            parts.append(child.content)
    segments.append(_Segment("".join(parts), href))
    return [s for s in segments if s.href is not None or s.text]


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def _outside_text(segments: list[_Segment]) -> str:
    """Text outside links, minus the separators the list puts between links."""
    outside = " ".join(s.text for s in segments if s.href is None)
    return normalise_space(outside.strip(_SEPARATORS).replace(",", " "))


def _parse_title_cell(cell: list[_Segment], anomalies: list[Anomaly]):
    links = [s for s in cell if s.href is not None]
    stray = _outside_text(cell)
    if not links:
        anomalies.append(Anomaly("missing-link", "the title cell has no link"))
        title, url, extras = normalise_space(stray), "", ()
    else:
        title, url = normalise_space(links[0].text), links[0].href or ""
        extras = tuple((normalise_space(s.text), s.href or "") for s in links[1:])
        if stray:
            anomalies.append(Anomaly("stray-text", f"stray text {stray!r} in the title cell, outside its links"))
        if url and not is_web_url(url):
            anomalies.append(Anomaly("bad-url", f"the paper link {url!r} is not a valid http(s) URL"))
    anomalies.extend(title_anomalies(title))
    return title, url, extras


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


def _parse_venue_cell(cell: list[_Segment], anomalies: list[Anomaly]) -> tuple[str, str]:
    """'ICLR **(Spotlight)**' -> ('ICLR', 'Spotlight'). Emphasis is already flattened."""
    text = normalise_space(" ".join(s.text for s in cell))
    venue, note = text, ""
    if text.endswith(")") and "(" in text:
        cut = text.rfind("(")
        venue, note = text[:cut].strip(), text[cut + 1 : -1].strip()
    if not venue:
        anomalies.append(Anomaly("missing-venue", "the Venue cell is empty"))
    elif taxonomy.venue(venue) is None:
        anomalies.append(Anomaly("unknown-venue", f"unknown venue {venue!r}"))
    if note and note not in VENUE_NOTES:
        anomalies.append(Anomaly("unknown-venue-note", f"unknown venue note {note!r}; expected Oral, Spotlight or Best"))
    return venue, note


def _parse_type_cell(cell: list[_Segment], anomalies: list[Anomaly]) -> tuple[str, ...]:
    text = normalise_space(" ".join(s.text for s in cell))
    try:
        return taxonomy.parse_types(text)
    except ValueError as exc:
        anomalies.append(Anomaly("bad-type", f"bad Type cell: {exc}"))
        return ()


def _parse_code_cell(cell: list[_Segment], anomalies: list[Anomaly]) -> tuple[CodeLink, ...]:
    """'[PyTorch(Author)](url)(Releasing), [Caffe(3rd)](url)'; '-' or empty means no code."""
    links: list[CodeLink] = []
    stray: list[str] = []
    for segment in cell:
        if segment.href is not None:
            label = normalise_space(segment.text)
            links.append(CodeLink(label, segment.href, CODE_DELETED if label == CODE_DELETED else ""))
            if not is_web_url(segment.href):
                anomalies.append(
                    Anomaly("bad-code-url", f"code link {label!r} has a malformed URL {segment.href!r}")
                )
            continue
        text = normalise_space(segment.text.replace(",", " "))
        if links and text.startswith(RELEASING):
            links[-1] = CodeLink(links[-1].label, links[-1].url, RELEASING)
            text = text[len(RELEASING) :].strip()
        if text:
            stray.append(text)
    if stray and not (stray == ["-"] and not links):
        anomalies.append(Anomaly("stray-code-text", f"stray text {' '.join(stray)!r} in the Code cell"))
    return tuple(links)


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a plausible host name ('https://https://x' is not)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and "@" not in parts.netloc and bool(_HOSTNAME.fullmatch(host))

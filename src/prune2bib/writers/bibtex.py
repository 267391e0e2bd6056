"""BibTeX writer: records -> a .bib that bibtex and biber read without errors.

Stage: writers. Built on bibtexparser 2's model and writer
(https://bibtexparser.readthedocs.io/en/main/): every value is LaTeX made by `writers.latex`,
enclosed in braces here (`_enclosed`), and written by bibtexparser with an empty unparse stack;
no LaTeX-encoding middleware runs, so URLs and DOIs are written as they are.

Entry types: conference papers `@inproceedings` + `booktitle` (never `journal`), journal papers
`@article` + `journal`, arXiv-only preprints `@misc` with `eprint` / `archivePrefix` /
`primaryClass` (read by biblatex) and `howpublished` (printed by plain.bst, which ignores
`eprint`). Each group starts with an `@comment{...}` header, which BibTeX skips and biber and
bibtexparser read as a comment.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from bibtexparser import Library, write_string
from bibtexparser.model import Entry, ExplicitComment, Field
from bibtexparser.writer import BibtexFormat

from ..record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, Person, Record
from .common import MONTH_MACROS, arxiv_base, code_note, month_of, page_range, tag_names, venue_name
from .grouping import Group
from .accents import nearest_ascii
from .latex import clean_text, escape_text, name_before_colon, protect_title, safe_url, url_in_text

if TYPE_CHECKING:  # the options class lives in writers/__init__, which imports this module
    from . import WriteOptions

_SAFE_ID = re.compile(r"[^A-Za-z0-9.\-/:]")  # arXiv IDs and classes: anything else is dropped
_AND = re.compile(r"\band\b", re.IGNORECASE)
# Fields written bare when their value is a number (`year = 2019`), as bibtexparser's
# AddEnclosingMiddleware writes them with enclose_integers=False (its ENTRY_POTENTIALLY_INT_FIELDS).
_BARE_NUMBER_FIELDS = frozenset(("year", "month", "volume", "number", "pages", "edition", "chapter", "issue"))


def render_bibtex(groups: Sequence[Group], options: WriteOptions) -> str:
    """Groups of records -> the text of a .bib file (UTF-8 unless options.ascii)."""
    blocks: list = []
    for group in groups:
        if len(groups) > 1 or group.name != "all":
            heading = f"{group.title} ({len(group.records)} entries)"
            blocks.append(ExplicitComment(_comment_text(heading, options.ascii)))
        blocks += [to_entry(record, options) for record in group.records]
    if options.jabref_groups:
        blocks += [ExplicitComment(comment) for comment in jabref_groups_comments(groups, options)]
    return _write(Library(blocks))  # (added at once: one duplicate-key pass, not one per entry)


def _write(library: Library) -> str:
    fmt = BibtexFormat()
    fmt.indent = "  "
    # The column bibtexparser's "auto" picks (after the longest field key and " = "), counted
    # here without the dict of fields per entry that "auto" builds (18 of the writer's 57 ms at x10):
    # over the distinct keys, since every entry has a few of the same twenty.
    keys = {field.key for entry in library.entries for field in entry.fields}
    fmt.value_column = max(map(len, keys), default=0) + 3
    fmt.trailing_comma = True
    fmt.block_separator = "\n"
    # The values arrive enclosed (`_enclosed`), so no middleware runs: AddEnclosingMiddleware
    # took about a third of the writer's time, for the same bytes (tests/test_latex_fast_paths.py).
    text = write_string(library, unparse_stack=[], bibtex_format=fmt)
    return text if text.endswith("\n") else text + "\n"


def to_entry(record: Record, options: WriteOptions) -> Entry:
    """One record -> a bibtexparser Entry whose values are finished, enclosed LaTeX."""
    entry_type, fields = _typed_fields(record, options)
    return Entry(entry_type, record.id, [Field(key, _enclosed(key, value)) for key, value in fields if value])


def _enclosed(key: str, value: str) -> str:
    """A field's value as written: in braces, except a month macro (so that styles print the
    month's name) and a number in a numeric field (`year = 2019`)."""
    if key == "month" or (key in _BARE_NUMBER_FIELDS and value.isdigit()):
        return value
    return "{" + value + "}"


def _typed_fields(record: Record, options: WriteOptions) -> tuple[str, list[tuple[str, str]]]:
    ascii = options.ascii
    authors = format_authors(record.authors, ascii)
    head = [("author", authors), ("title", protect_title(record.title, ascii)), ("shorttitle", _short_title(record, authors, ascii))]
    venue = escape_text(venue_name(record, options.venue_style), ascii)
    if record.type == PAPER_CONFERENCE:
        entry_type, middle = "inproceedings", [("booktitle", venue), ("series", escape_text(record.collection_title, ascii))]
    elif record.type == ARTICLE_JOURNAL:
        entry_type, middle = "article", [("journal", venue), ("number", escape_text(record.issue, ascii))]
    else:
        entry_type, middle = "misc", [("howpublished", _howpublished(record))]
    month = month_of(record)
    tail = [
        ("year", str(record.year) if record.year is not None else ""),
        ("month", MONTH_MACROS[month - 1] if month else ""),
        *_published_in(record, entry_type, ascii),
        ("doi", safe_url(record.doi)),
        ("url", safe_url(record.url)),
        *_eprint_fields(record),
        ("note", escape_text(record.note, ascii)),
        ("keywords", escape_text(", ".join(tag_names(record, options.type_names)), ascii)),
        ("code", _code(record, ascii)),
    ]
    return entry_type, head + middle + tail


def _published_in(record: Record, entry_type: str, ascii: bool) -> list[tuple[str, str]]:
    # biber's data model has no volume/pages/publisher for @misc and no publisher for @article
    # (the journal names it); it warns about each, so they are left out there.
    if entry_type == "misc":
        return []
    return [
        ("volume", escape_text(record.volume, ascii)),
        ("pages", format_pages(record.page, ascii)),
        ("publisher", escape_text(record.publisher, ascii) if entry_type != "article" else ""),
    ]


def _howpublished(record: Record) -> str:
    if record.type == PREPRINT and record.arxiv_id:
        return f"arXiv preprint arXiv:{_SAFE_ID.sub('', arxiv_base(record.arxiv_id))}"
    return ""


def _eprint_fields(record: Record) -> list[tuple[str, str]]:
    # `eprinttype` is what biblatex and Zotero's BibTeX import read (Zotero keeps the ID as an
    # 'arXiv: …' line in Extra only when it is there); `archivePrefix` / `primaryClass` are
    # arXiv's own export fields, read by natbib-era styles and JabRef. biber maps the latter two
    # to the former, so both kinds are written.
    if not record.arxiv_id:
        return []
    return [
        ("eprint", _SAFE_ID.sub("", record.arxiv_id)),
        ("eprinttype", "arxiv"),
        ("archivePrefix", "arXiv"),
        ("primaryClass", _SAFE_ID.sub("", record.arxiv_class)),
    ]


def bibtex_texts(record: Record, options: WriteOptions) -> list[str]:
    """Every piece of text of a record that the BibTeX writer spells as LaTeX (for `--ascii` warnings)."""
    people = [part for p in record.authors for part in (p.family, p.given, p.literal)]
    code = [part for link in record.code for part in (link.label, link.status)]
    fields = (record.title, record.container_title, record.container_title_short, record.event_title,
              record.collection_title, record.volume, record.issue, record.page, record.publisher)  # fmt: skip
    return [*fields, *people, *code, *tag_names(record, options.type_names)]


def _code(record: Record, ascii: bool) -> str:
    """The list's code links, in a field no BibTeX or biblatex style prints and Zotero does not
    turn into a child note (`note` would be both); JabRef shows it, and a biblatex user who
    wants it printed maps it to `addendum` with a source map (README). URLs go through \\url{}
    so that they can break across lines once printed; labels are escaped text."""
    return code_note(record, text=lambda s: escape_text(s, ascii), url=url_in_text).removeprefix("Code: ")


def _short_title(record: Record, authors: str, ascii: bool) -> str:
    """For an entry without an author, the method name before the title's colon ('DepthFL'):
    biblatex cites such an entry by this short title instead of the whole title. Nothing else
    labels an authorless entry without printing it: natbib prints `key` as the author, so there
    is no `key` field, and natbib styles label the entry with the first letters of its key."""
    if authors:
        return ""
    title = clean_text(record.title)
    if name_before_colon(title) < 0:
        return ""
    head = title.partition(":")[0]  # protected as in the title: '{Amc}', '{Net}-{Trim}'
    return protect_title(head + ":", ascii).removesuffix(":").rstrip()


def format_authors(authors: Sequence[Person], ascii: bool = False) -> str:
    """Persons -> 'Family, Given and Family, Given' with braces where BibTeX would misparse."""
    return " and ".join(filter(None, (_format_person(p, ascii) for p in authors)))


def _format_person(person: Person, ascii: bool) -> str:
    if person.literal or not person.family:
        name = clean_text(person.literal or person.given)
        return "{" + escape_text(name, ascii) + "}" if name else ""
    family = escape_text(person.family, ascii)
    given = escape_text(person.given, ascii)
    if _splits_name_list(family):
        family = "{" + family + "}"
    if _splits_name_list(given):
        given = "{" + given + "}"
    return f"{family}, {given}" if given else family


def _splits_name_list(part: str) -> bool:
    """Whether a comma or a bare 'and' inside a name part would split the name list. (No letter
    but a/A, n/N, d/D matches those of 'and' ignoring case: a name without them in lower case,
    most names, skips the search.)"""
    return "," in part or ("and" in part.lower() and _AND.search(part) is not None)


def format_pages(page: str, ascii: bool = False) -> str:
    """'123-130' -> '123--130' (BibTeX's en dash)."""
    first, last = page_range(page)
    if not (_ascii_number(first) and (not last or _ascii_number(last))):  # (page numbers need no escaping)
        first, last = escape_text(first, ascii), escape_text(last, ascii)
    return f"{first}--{last}" if last else first


def _ascii_number(text: str) -> bool:
    return text.isdigit() and text.isascii()  # ('²' and '٣' are digits too, and need spelling)


def _comment_text(text: str, ascii: bool = False) -> str:
    # BibTeX skips an @comment up to the next '@'; biber and bibtexparser want balanced braces.
    # A comment is not typeset, so --ascii writes it in plain ASCII rather than LaTeX.
    text = clean_text(text)
    if ascii:
        text = "".join(ch if ch.isascii() else nearest_ascii(ch).latex for ch in text)
    return re.sub(r"[@{}\\%]", "", text)


def jabref_groups_comments(groups: Sequence[Group], options: WriteOptions) -> list[str]:
    """The legacy JabRef (groupsversion 3) groups tree: one ExplicitGroup per taxonomy type.

    Format as written by Better BibTeX (retorquere/zotero-better-bibtex, translators/bibtex/
    jabref.ts: `1 ExplicitGroup:<name>;0;<key>;<key>;;`, each ';' inside a group escaped as '\\;')
    and read by Zotero's BibTeX importer (zotero/translators BibTeX.js, processComment: it needs
    the exact comment 'jabref-meta: groupsversion:3;', removes line breaks, then splits the tree
    on ';'). Each group lists every record tagged with that type, so a WF paper is in both.
    """
    records = [r for g in groups for r in g.records]
    present = {code for r in records for code in r.types}
    codes = [c for c in options.type_order if c in present] + sorted(present - set(options.type_order))
    lines = ["0 AllEntriesGroup:;"]
    for code in codes:
        keys = sorted(r.id for r in records if code in r.types)
        if not keys:
            continue
        label = options.group_names.get(code) or options.type_names.get(code, code)
        name = _jabref_quote(_comment_text(label, options.ascii))
        cells = [f"1 ExplicitGroup:{name}", "0", *[_jabref_quote(k) for k in keys], ""]
        lines.append(_wrap("\\;".join(cells) + ";"))
    return ["jabref-meta: groupsversion:3;", "jabref-meta: groupstree:\n" + "\n".join(lines) + "\n"]


def _jabref_quote(text: str) -> str:
    return re.sub(r"([\\;])", r"\\\1", text)


def _wrap(line: str, width: int = 78) -> str:
    # Zotero and JabRef join the tree's lines again, so a break may go after any '\;'.
    out, current = [], ""
    for cell in line.split("\\;"):
        piece = cell if not current else "\\;" + cell
        if current and len(current) + len(piece) > width:
            out.append(current + "\\;")
            current = cell
        else:
            current += piece
    out.append(current)
    return "\n".join(out)

"""RIS writer: records -> an .ris file that Zotero, rispy and citation-js read record by record.

Stage: writers. Written with rispy (https://github.com/MrTango/rispy), minus its numbered
header line ("1.") that Zotero and strict readers would take for a stray line.
Item types follow Zotero's RIS translator (zotero/translators RIS.js, importTypeMap):
`CPAPER` -> conferencePaper (T2 -> conference name), `JOUR` -> journalArticle. RIS has no
preprint type Zotero reads (`UNPB` is not in its map and falls back to a journal article
anyway), so arXiv preprints are `JOUR` with `T2` "arXiv" and the ID in `AN` (archive
location), the shape Google Scholar and arXiv's own exports use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import rispy

from ..record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, WEBPAGE, Person, Record
from .common import code_note, month_of, page_range, tag_names, venue_name
from .grouping import Group
from .latex import clean_text

if TYPE_CHECKING:  # the options class lives in writers/__init__, which imports this module
    from . import WriteOptions

_TYPES = {PAPER_CONFERENCE: "CPAPER", ARTICLE_JOURNAL: "JOUR", PREPRINT: "JOUR", WEBPAGE: "ELEC"}


class _Writer(rispy.RisWriter):
    """rispy's writer without the 'N.' line it puts before every record."""

    def set_header(self, count: int) -> str:
        return ""


def render_ris(groups: Sequence[Group], options: WriteOptions) -> str:
    """Groups of records -> the text of an RIS file (records in group order)."""
    references = [to_ris(record, options) for group in groups for record in group.records]
    if not references:
        return ""
    return rispy.dumps(references, implementation=_Writer)


def to_ris(record: Record, options: WriteOptions) -> dict:
    """One record -> a rispy reference dict (keys in the order the tags are written)."""
    first, last = page_range(record.page)
    ris = {
        "type_of_reference": _TYPES.get(record.type, "GEN"),
        "id": record.id,
        "title": clean_text(record.title),
        "authors": [_person(p) for p in record.authors if _person(p)],
        "secondary_title": _container(record, options),
        "alternate_title1": clean_text(record.container_title_short) if record.type == ARTICLE_JOURNAL else "",
        "year": str(record.year) if record.year is not None else "",
        "date": _date(record),
        "volume": clean_text(record.volume),
        "number": clean_text(record.issue),
        "start_page": first,
        "end_page": last,
        "publisher": clean_text(record.publisher),
        "doi": clean_text(record.doi),
        "urls": [clean_text(record.url)] if clean_text(record.url) else [],
        "accession_number": f"arXiv:{record.arxiv_id.strip()}" if record.type == PREPRINT and record.arxiv_id else "",
        "keywords": tag_names(record, options.type_names),
        "notes": [code_note(record)] if record.code else [],
    }
    return {key: value for key, value in ris.items() if value}


def _container(record: Record, options: WriteOptions) -> str:
    if record.type == PREPRINT and not record.container_title:
        return "arXiv" if record.arxiv_id else ""
    return venue_name(record, options.venue_style)


def _person(person: Person) -> str:
    # Zotero splits AU on the first comma into last name and first name.
    if person.literal:
        return clean_text(person.literal).replace(",", " ")
    family, given = clean_text(person.family), clean_text(person.given)
    return f"{family}, {given}" if family and given else family or given


def _date(record: Record) -> str:
    """RIS DA 'YYYY/MM/DD/' with unknown parts empty; only when more than the year is known."""
    if month_of(record) is None:
        return ""
    day = f"{record.issued[2]:02d}" if len(record.issued) >= 3 else ""
    return f"{record.year:04d}/{month_of(record):02d}/{day}/"

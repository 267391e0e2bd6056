"""RIS writer: records -> an .ris file that Zotero, rispy and citation-js read record by record.

Stage: writers. Written with rispy (https://github.com/MrTango/rispy), minus its numbered
header line ("1.") that Zotero and strict readers would take for a stray line. Which tag lands
where was read from the readers' own code: Zotero's RIS translator (zotero/translators RIS.js,
its fieldMap / degenerateImportFieldMap) and citation-js (@citation-js/plugin-ris spec/new.json);
`tests/test_zotero_fields.py` pins the table below against both.

- Conference papers are `CONF` (RIS "conference proceeding", the type Zotero itself exports a
  conferencePaper as): `C3` proceedings title (Zotero proceedingsTitle, citation-js
  container-title), `T2` conference name ("CVPR 2019": Zotero conferenceName, citation-js
  event-title), `T3` series (LNCS), `DA` the date (citation-js takes a CONF's date from DA, its
  PY being the conference year). Under `CPAPER` Zotero reads no proceedings title at all.
- Journal papers are `JOUR` with `T2` the journal; arXiv preprints `JOUR` with `T2` "arXiv"
  (RIS has no preprint type Zotero maps).
- The arXiv ID of any record backed by arXiv: `AN` (accession number: rispy, EndNote, Zotero's
  "Loc. in Archive") and `AV` (the same value; citation-js reads it as archive_location, Zotero
  as the same field again).
- Code links: `M2`, which Zotero keeps in Extra; `N1` would make one child note per paper.
  citation-js reads M2 of a JOUR as its first page, so JOUR records keep code links in M2 only
  for Zotero's sake and citation-js users get them from the CSL-JSON instead.
- Taxonomy types: one `KW` each (Zotero tags, citation-js keyword).
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

_TYPES = {PAPER_CONFERENCE: "CONF", ARTICLE_JOURNAL: "JOUR", PREPRINT: "JOUR", WEBPAGE: "ELEC"}

# Tags rispy has no name for, written and read back under these keys.
_EXTRA_TAGS = {"AV": "availability", "M2": "miscellaneous2"}
MAPPING = {**rispy.TAG_KEY_MAPPING, **_EXTRA_TAGS}


class _Writer(rispy.RisWriter):
    """rispy's writer without the 'N.' line it puts before every record, knowing AV and M2."""

    DEFAULT_MAPPING = MAPPING

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
    arxiv = f"arXiv:{record.arxiv_id.strip()}" if record.arxiv_id.strip() else ""
    ris = {
        "type_of_reference": _TYPES.get(record.type, "GEN"),
        "id": record.id,
        "title": clean_text(record.title),
        "authors": [name for name in map(_person, record.authors) if name],
        **_container(record, options),
        "year": str(record.year) if record.year is not None else "",
        "date": _date(record),
        "volume": clean_text(record.volume),
        "number": clean_text(record.issue),
        "start_page": first,
        "end_page": last,
        "publisher": clean_text(record.publisher),
        "doi": clean_text(record.doi),
        "urls": [clean_text(record.url)] if clean_text(record.url) else [],
        "accession_number": arxiv,
        "availability": arxiv,
        "keywords": tag_names(record, options.type_names),
        "miscellaneous2": "; ".join(filter(None, (code_note(record), record.note))),
    }
    return {key: value for key, value in ris.items() if value}


def _container(record: Record, options: WriteOptions) -> dict[str, str]:
    venue = venue_name(record, options.venue_style)
    if record.type == PAPER_CONFERENCE:
        return {
            "secondary_title": clean_text(record.event_title),  # T2: conference name
            "tertiary_title": clean_text(record.collection_title),  # T3: series
            "custom3": venue,  # C3: proceedings title
        }
    if record.type == PREPRINT and not record.container_title:
        return {"secondary_title": "arXiv" if record.arxiv_id else ""}
    short = clean_text(record.container_title_short) if record.type == ARTICLE_JOURNAL else ""
    return {"secondary_title": venue, "alternate_title1": short}


def _person(person: Person) -> str:
    # Zotero splits AU on the first comma into last name and first name.
    if person.literal:
        return clean_text(person.literal).replace(",", " ")
    family, given = clean_text(person.family), clean_text(person.given)
    return f"{family}, {given}" if family and given else family or given


def _date(record: Record) -> str:
    """RIS DA 'YYYY/MM/DD/' with unknown parts empty (citation-js dates a CONF from DA only)."""
    if record.year is None:
        return ""
    month = month_of(record)
    if month is None:
        return f"{record.year:04d}///"
    day = f"{record.issued[2]:02d}" if len(record.issued) >= 3 else ""
    return f"{record.year:04d}/{month:02d}/{day}/"

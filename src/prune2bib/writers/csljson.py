"""CSL-JSON writer: records -> a JSON array valid against the CSL-JSON 1.0.2 schema.

Stage: writers. Schema: https://github.com/citation-style-language/schema (csl-data.json);
variables: https://docs.citationstyles.org/en/stable/specification.html#appendix-iv-variables.
`Record` is already CSL-shaped, so this is mostly a renaming. arXiv preprints are type `article`
with `publisher` "arXiv" and `number` "arXiv:<id>", the way Zotero exports its preprint item
(repository -> publisher, archive ID -> number), so Zotero re-imports them as preprints.
CSL has no variable for the arXiv ID of a published paper: it goes into `note` as the line
"arXiv: <id>", which Zotero's importer (zotero/utilities itemFromCSLJSON, zotero-schema's CSL
mappings: note -> Extra) keeps in Extra exactly as its BibTeX importer does for `eprinttype =
arxiv`, and citeproc reads as the note. The code links follow as "Code: …" lines: Extra, not a
child note. Zotero's CSL importer reads no tags (`keyword`); the RIS and BibTeX exports carry them.
Keys sorted, 2-space indent, trailing newline: the same bytes on every run.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Sequence

from ..record import PREPRINT, Person, Record
from .common import code_note, tag_names
from .grouping import Group
from .latex import clean_text

if TYPE_CHECKING:  # the options class lives in writers/__init__, which imports this module
    from . import WriteOptions


def render_csljson(groups: Sequence[Group], options: WriteOptions) -> str:
    """Groups of records -> the text of a CSL-JSON file (one array, in group order)."""
    items = [to_csl(record, options) for group in groups for record in group.records]
    return json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_csl(record: Record, options: WriteOptions) -> dict:
    """One record -> one CSL-JSON item (only the variables that are known)."""
    item = {
        "id": record.id,
        "type": record.type,
        "title": clean_text(record.title),
        "author": [name for name in map(_person, record.authors) if name],
        "issued": {"date-parts": [list(record.issued)]} if record.issued else None,
        "container-title": clean_text(record.container_title),
        "container-title-short": clean_text(record.container_title_short),
        "event-title": clean_text(record.event_title),
        "collection-title": clean_text(record.collection_title),
        "volume": clean_text(record.volume),
        "issue": clean_text(record.issue),
        "page": clean_text(record.page),
        "publisher": clean_text(record.publisher),
        "DOI": clean_text(record.doi),
        "URL": clean_text(record.url),
        "keyword": ", ".join(tag_names(record, options.type_names)),
        "note": "\n".join(filter(None, (_arxiv_line(record), code_note(record), record.note))),
        **_arxiv(record),
    }
    return {key: value for key, value in item.items() if value}


def _person(person: Person) -> dict:
    """A CSL name object; {} for a person with no name at all (left out)."""
    if clean_text(person.literal):
        return {"literal": clean_text(person.literal)}
    name = {"family": clean_text(person.family), "given": clean_text(person.given)}
    return {k: v for k, v in name.items() if v}


def _arxiv_line(record: Record) -> str:
    """'arXiv: 1811.00250' for a published paper with an arXiv version (a preprint has `number`)."""
    if record.type == PREPRINT or not record.arxiv_id.strip():
        return ""
    return f"arXiv: {record.arxiv_id.strip()}"


def _arxiv(record: Record) -> dict:
    if record.type != PREPRINT or not record.arxiv_id:
        return {}
    return {"number": f"arXiv:{record.arxiv_id.strip()}", "publisher": clean_text(record.publisher) or "arXiv"}

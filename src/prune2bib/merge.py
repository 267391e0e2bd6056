"""Stage 4: README record + a source's record -> the record to export, with provenance.

Rules (DESIGN.md, issue 4):
- A *published* record (conference paper, journal article) from a source is the entry: its
  type, title, authors, container, pages, publisher and DOI win; the row keeps its link, its
  arXiv identity (eprint fields) and the list's own data (taxonomy, code, Oral/Spotlight).
- A *preprint* record (arXiv) for a row whose Venue names a conference fills in what the
  preprint knows for sure — authors, the title's exact wording and case, the primary
  category — but the entry stays the conference paper the list names, dated by the venue's
  year (with `prefer="preprint"` it becomes the arXiv preprint instead). arXiv's own `doi` is
  author-supplied and may belong to a journal extension, so it is not copied onto the
  conference entry.
"""

from __future__ import annotations

from dataclasses import fields

from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, Provenance, Record

PUBLISHED_TYPES = (PAPER_CONFERENCE, ARTICLE_JOURNAL)
LIST_FIELDS = ("url", "types", "code", "venue_note", "id")  # always the list's own
PREPRINT_FIELDS = ("title", "authors", "arxiv_class")  # what an arXiv record adds to a venue row
FIELD_NAMES = tuple(f.name for f in fields(Record))


def merge(base: Record, found: Record | None, source: str, prefer: str = "published") -> tuple[Record, Provenance]:
    """The record to export for one row, and which source gave each field."""
    if found is None:
        return base, _provenance(base, {})
    if found.type in PUBLISHED_TYPES:
        take = [n for n in FIELD_NAMES if n not in LIST_FIELDS]
    elif base.type in PUBLISHED_TYPES and prefer == "published":
        take = list(PREPRINT_FIELDS)
    else:  # a preprint is all there is, or the user asked for it
        take = [n for n in FIELD_NAMES if n not in LIST_FIELDS]
    changes = {n: getattr(found, n) for n in take if _known(getattr(found, n))}
    if found.type == PREPRINT and prefer == "published" and base.type in PUBLISHED_TYPES:
        changes.pop("type", None)
    merged = base.with_(**changes)
    return merged, _provenance(merged, {n: source for n in changes})


def _known(value) -> bool:
    return value not in ("", (), None)


def _provenance(record: Record, from_source: dict[str, str]) -> Provenance:
    pairs = tuple(
        (name, from_source.get(name, "readme")) for name in FIELD_NAMES if name != "id" and _known(getattr(record, name))
    )
    return Provenance(fields=pairs)

"""Stage 4: README record + the sources' records -> the record to export, with provenance.

Rules (DESIGN.md, issue 4):
- A *published* record (conference paper, journal article) is the entry: its type, title (and
  its case), authors, container (long and short venue names), pages, publisher and DOI win. When
  several sources gave one (DBLP, then Crossref or OpenReview), the first is the entry and the
  others only fill fields it lacks (Crossref's DOI and pages for a DBLP record, OpenReview's
  forum id and Oral/Spotlight for a NeurIPS paper).
- A *preprint* (arXiv) beside a published record adds only its identity — eprint, primary class,
  journal reference — and the authors if the published record has none. arXiv's own `doi` is
  author-supplied and may belong to a journal extension, so it is never copied.
- A preprint alone, for a row whose Venue names a conference, fills in what the preprint knows
  for sure — authors, the title's exact wording and case, the primary category — but the entry
  stays the conference paper the list names, dated by the venue's year.
- `prefer="preprint"`: the arXiv record is the entry whenever there is one.
- The row keeps its link and the list's own data (taxonomy, code, Oral/Spotlight) in any case.
- One name per venue and year in a whole export, whatever source filled the record
  (`canonical_venue`): a DBLP volume title names the place and dates ("8th International
  Conference on Learning Representations, ICLR 2020, Addis Ababa, …"), Crossref names the book
  ("Computer Vision – ECCV 2022"), OpenReview the series; when the venue table knows the venue
  the source names, the record takes the table's long name of that year, its acronym and its
  entry type (a journal's paper is an article). The sources' own names stay in the provenance
  (`Provenance.venue_names`, the `--report`); a series and volume (LNCS 13671) stay the
  record's `collection_title` / `volume`, never its booktitle. A venue the table does not know
  keeps the source's names.

`merge_records` is the general form; `merge` (one source) is kept for callers that have one.
"""

from __future__ import annotations

from typing import Sequence

from prune2bib import venues
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, Provenance, Record

PUBLISHED_TYPES = (PAPER_CONFERENCE, ARTICLE_JOURNAL)
LIST_FIELDS = ("url", "types", "code", "venue_note", "id")  # always the list's own
PREPRINT_FIELDS = ("title", "authors", "arxiv_class")  # what an arXiv record adds to a venue row
EPRINT_FIELDS = ("arxiv_id", "arxiv_class", "journal_ref")  # the arXiv identity, kept on a published entry
VENUE_TABLE = "venues"  # the provenance of names the venue table gave
VENUE_NAME_FIELDS = ("container_title", "container_title_short", "event_title")
VENUE_FIELDS = ("type", *VENUE_NAME_FIELDS)
FIELD_NAMES = Record.__struct_fields__

Sourced = tuple[str, Record]  # (source name, the record it gave)


def combine(records: Sequence[Sourced], prefer: str = "published") -> tuple[Record | None, dict[str, str]]:
    """The sources' records as one record, and which source gave each of its fields."""
    published = [(s, r) for s, r in records if r.type in PUBLISHED_TYPES]
    preprints = [(s, r) for s, r in records if r.type not in PUBLISHED_TYPES]
    order = preprints + published if prefer == "preprint" and preprints else published + preprints
    if not order:
        return None, {}
    entry_source, entry = order[0]
    sources = {n: entry_source for n in FIELD_NAMES if _known(getattr(entry, n))}
    changes: dict[str, object] = {}
    for source, other in order[1:]:
        for name in _fillable(entry, other):
            if name not in sources and _known(getattr(other, name)):
                changes[name] = getattr(other, name)
                sources[name] = source
    return entry.with_(**changes), {n: sources[n] for n in FIELD_NAMES if n in sources}


def _fillable(entry: Record, other: Record) -> tuple[str, ...]:
    if entry.type in PUBLISHED_TYPES and other.type in PUBLISHED_TYPES:
        return FIELD_NAMES
    if entry.type in PUBLISHED_TYPES:  # a preprint beside the published entry
        return EPRINT_FIELDS + ("authors",)
    return ("openreview_id",)  # the preprint is the entry: nothing of the published version but its id


def merge_records(base: Record, records: Sequence[Sourced], prefer: str = "published") -> tuple[Record, Provenance]:
    """The record to export for one row, from the README's record and every source's record."""
    found, sources = combine(records, prefer)
    if found is None:
        return base, provenance_of(base, {})
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
    from_source = {n: sources.get(n, "") for n in changes}
    if "container_title" in changes or "container_title_short" in changes:  # a source named the venue:
        names = {n: getattr(found, n) for n in VENUE_NAME_FIELDS}  # all its names, none of the row's
        merged, renamed = canonical_venue(merged.with_(**names))
        from_source.update((n, VENUE_TABLE) for n in renamed)
    return merged, provenance_of(merged, from_source, _venue_names(records))


def canonical_venue(record: Record) -> tuple[Record, tuple[str, ...]]:
    """The record with the venue table's names (and entry type) for the venue its names point to,
    and which fields that changed; the record as it is for a venue the table does not know."""
    if record.type not in PUBLISHED_TYPES:
        return record, ()
    venue = venues.venue_of_names(record.container_title_short, record.event_title, record.container_title)
    if venue is None:
        return record, ()
    names = venues.record_fields(venue, record.year)
    changed = tuple(n for n in VENUE_FIELDS if getattr(record, n) != names[n])
    return record.with_(**{n: names[n] for n in changed}), changed


def _venue_names(records: Sequence[Sourced]) -> tuple[tuple[str, str], ...]:
    """Each source's own name of the venue: (source, container title), in the sources' order."""
    return tuple(dict.fromkeys((s, r.container_title) for s, r in records if r.container_title))


def merge(base: Record, found: Record | None, source: str, prefer: str = "published") -> tuple[Record, Provenance]:
    """The record to export for one row with one source's record (see `merge_records`)."""
    return merge_records(base, [(source, found)] if found is not None else [], prefer)


def _known(value) -> bool:
    return value not in ("", (), None)


def provenance_of(record: Record, from_source: dict[str, str], venue_names: tuple[tuple[str, str], ...] = ()) -> Provenance:
    """The source of each field `record` has, by field name (`from_source`; the list's own: 'readme')."""
    pairs = tuple(
        (name, from_source.get(name) or "readme") for name in FIELD_NAMES if name != "id" and _known(getattr(record, name))
    )
    return Provenance(fields=pairs, venue_names=venue_names)

"""The one internal record type, shaped like CSL-JSON.

Stage: every resolver produces a `Record`, `merge` combines them, every writer reads them.
Field names follow CSL-JSON variables (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)
in snake_case, so that `writers/csljson.py` is a renaming and the BibTeX/RIS writers have
one obvious mapping each. Provenance (which source gave which field) is *not* stored here:
it travels beside the record in `pipeline.RowOutcome`.

Records are frozen: a later stage derives a new one with `Record.with_`. The record types of
every stage are msgspec Structs (https://jcristharif.com/msgspec/structs.html), not dataclasses:
Python 3.11 compiles five or six methods with `exec` for each frozen dataclass (~1.5 ms a class,
~65 classes at every start of the CLI), where a Struct class is made in C. A Record is also built
4x, copied 7x and compared 5x faster (timeit on this machine), and the lock is decoded straight
into Structs (project/lock_decode.py).
"""

from __future__ import annotations

from msgspec import Struct, field
from msgspec.structs import replace

# CSL item types this tool emits (a subset of the CSL 1.0.2 vocabulary).
PAPER_CONFERENCE = "paper-conference"
ARTICLE_JOURNAL = "article-journal"
PREPRINT = "article"  # CSL 1.0.2 has no "preprint" type; citeproc and Zotero read "article" so.
WEBPAGE = "webpage"
RECORD_TYPES = (PAPER_CONFERENCE, ARTICLE_JOURNAL, PREPRINT, WEBPAGE)


class Person(Struct, frozen=True, forbid_unknown_fields=True):  # forbid: the lock's typed reader decodes it
    """One author. `literal` is for a name that cannot be split (a group, a mononym)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def display(self) -> str:
        if self.literal:
            return self.literal
        return f"{self.given} {self.family}".strip()


class CodeLink(Struct, frozen=True):
    """A code link from the README's Code column, e.g. label 'PyTorch(Author)'."""

    label: str
    url: str
    status: str = ""  # '(Releasing)' or 'Code Deleted' as the list says it


class Record(Struct, frozen=True):
    """A bibliographic record. Empty string / empty tuple / None mean 'unknown'."""

    type: str = PAPER_CONFERENCE
    title: str = ""
    authors: tuple[Person, ...] = ()
    issued: tuple[int, ...] = ()  # CSL date-parts of one date: (year,), (year, month) or (y, m, d)
    container_title: str = ""  # long venue or journal name
    container_title_short: str = ""  # 'CVPR'
    event_title: str = ""  # 'CVPR 2019'
    collection_title: str = ""  # a series, e.g. 'Lecture Notes in Computer Science'
    volume: str = ""
    issue: str = ""
    page: str = ""  # 'first-last' with a plain hyphen; writers render their own dash
    publisher: str = ""
    doi: str = ""
    url: str = ""
    arxiv_id: str = ""  # eprint, with version suffix when the list gives one
    arxiv_class: str = ""  # primary category, e.g. 'cs.CV'
    journal_ref: str = ""  # arXiv's author-supplied journal reference, as given (may be wrong or partial)
    openreview_id: str = ""
    venue_note: str = ""  # 'Oral', 'Spotlight', 'Best' from the list
    note: str = ""  # the list's own extra columns ('APP: Image Classification'), only when asked (--note-columns)
    types: tuple[str, ...] = ()  # the list's taxonomy codes, in taxonomy order
    code: tuple[CodeLink, ...] = ()
    id: str = ""  # the citation key, assigned by citekeys.py

    @property
    def year(self) -> int | None:
        return self.issued[0] if self.issued else None

    def with_(self, **changes) -> "Record":
        """A copy with some fields changed (`msgspec.structs.replace`: a TypeError names an
        unknown field)."""
        return replace(self, **changes)


class Provenance(Struct, frozen=True):
    """Which source gave which field of a record, and when (ISO time)."""

    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (field, source)
    fetched: str = ""
    # (source, its own name of the venue): the DBLP volume title, Crossref's container title…
    # The record itself carries the venue table's one name per venue and year (merge.py).
    venue_names: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)

"""Runs the stages in order and collects a per-row outcome report.

    README text ─readme─▶ Entry ─identify─▶ Identifier ─resolve─▶ source Record
        ─merge (with the README's own record)─▶ Record ─citekeys─▶ writers

Filtering happens before resolution so that `--type F` asks no service about W rows. With a
lock (`project/`), rows whose lock entry is final never come here: `project.session` takes them
from the lock and hands only the others to `resolve_rows`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from msgspec import Struct, field
from msgspec.structs import replace

from prune2bib import citekeys, titles, venues
from prune2bib.baseline import record_from_entry
from prune2bib.identify import Identifier, identify
from prune2bib.merge import merge, merge_records, provenance_of
from prune2bib.readme import Entry
from prune2bib.record import WEBPAGE, Provenance, Record

if TYPE_CHECKING:  # the resolve stage is imported when rows are resolved: a run from the lock never loads it
    from prune2bib import resolve


LOCKED = "locked"  # taken from the lock (project/), no resolution work
RESOLVED_STATUSES = ("resolved", "cached", LOCKED)  # a source's record is in the entry


class RowFilter(Struct, frozen=True):
    """The rows a user asked for. Empty means 'all'."""

    types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    since: int | None = None
    until: int | None = None
    venues: tuple[str, ...] = ()

    def accepts(self, entry: Entry) -> bool:
        # A row without a section year may show one in its Venue cell ('CVPR 2023').
        year = entry.year if entry.year is not None else venues.split_cell(entry.venue)[1]
        return (
            (not self.types or any(t in self.types for t in entry.types))
            and (not self.years or year in self.years)
            and (self.since is None or (year is not None and year >= self.since))
            and (self.until is None or (year is not None and year <= self.until))
            # Through the venue table's aliases: --venue NIPS = NeurIPS = "NeurIPS'22 **(Oral)**".
            and (not self.venues or any(venues.same_venue(v, entry.venue) for v in self.venues))
        )


def venue_names(entries: list[Entry]) -> list[str]:
    """The values `--venue` can take for a parsed list: the venue table's name of each Venue cell
    (one per venue: 'NeurIPS' for 'NIPS' and "NeurIPS'22"), else the cell's own name; sorted."""
    return venues.valid_names(e.venue for e in entries)


class RowOutcome(Struct, frozen=True):
    entry: Entry
    record: Record  # what is exported (README data merged with what a source gave)
    status: str  # resolve.Outcome.status, or 'readme' when resolution was not asked for
    source: str = ""
    reason: str = ""
    resolved_provenance: Provenance = field(default_factory=Provenance)  # (a row from the lock: see `provenance`)
    title_mismatch: bool = False
    refused: bool = False  # withdrawn or rejected: reported, never exported as accepted
    fetched: str = ""  # when the link's own record was fetched (ISO 8601), if there is one
    link_source: str = ""  # the source of that record: 'arxiv', 'crossref' (a DOI) or 'openreview'
    from_lock: bool = False  # taken from the lock: nothing was asked for it this run
    lock_sources: tuple = ()  # a row from the lock: its entry's (field, lockfile.Source) pairs

    @property
    def provenance(self) -> Provenance:
        """Which source gave which field of `record`. A row from the lock works it out from its
        entry's sources when asked (`--report`): a warm export of the list ×10 never asks, and
        making it for all 2,780 rows took ~4 % of that export's instructions."""
        if not self.from_lock:
            return self.resolved_provenance
        return provenance_of(self.record, {name: source.name for name, source in self.lock_sources})

    @property
    def identifier(self) -> Identifier:
        """The typed identifier of the row's link (`identify` remembers it; a warm export of a
        list from its lock never asks, unless a report or `check` does)."""
        return identify(self.entry.url)

    def report_line(self) -> str:
        """One JSON line for `--report`."""
        return json.dumps(
            {
                "line": self.entry.line,
                "year": self.entry.year,
                "title": self.entry.title,
                "key": self.record.id,
                "identifier": str(self.identifier),
                "status": self.status,
                "source": self.source,
                "reason": self.reason,
                "authors": len(self.record.authors),
                "fields": self.provenance.as_dict(),
                "venue_names": dict(self.provenance.venue_names),
                **({"columns": dict(self.entry.columns)} if self.entry.columns else {}),  # the list's own extra columns
            },
            ensure_ascii=False,
            sort_keys=True,
        )


def select_rows(entries: list[Entry], row_filter: RowFilter) -> list[tuple[Entry, Identifier]]:
    """The rows asked for, with their identifiers, titles cleared of the list's slips (a title
    pasted twice would match no source and export as written; `titles` fixes spacing, glued
    words and case slips judged against the whole list's titles)."""
    vocabulary = titles.list_vocabulary(entries)
    return [
        (replace(e, title=titles.row_title(e, vocabulary)), identify(e.url))
        for e in entries
        if row_filter.accepts(e)
    ]


def resolve_rows(
    rows: list[tuple[Entry, Identifier]],
    settings: resolve.Settings | None,
    *,
    prefer: str = "published",
    progress=None,
) -> list[RowOutcome]:
    """Resolve (unless `settings` is None: README data only) and merge every row."""
    if settings is None:
        return [_readme_only(entry, ident) for entry, ident in rows]
    from prune2bib import resolve

    outcomes = resolve.resolve_rows(rows, settings, progress=progress)
    return [_merged(entry, ident, found, prefer) for (entry, ident), found in zip(rows, outcomes)]


def assign_keys(outcomes: list[RowOutcome]) -> list[RowOutcome]:
    """Keys from the records' content alone (`--no-lock`); with a lock, `project.keys` keys rows."""
    keyed = citekeys.assign_keys([o.record for o in outcomes])
    return [_with_record(o, rec) for o, rec in zip(outcomes, keyed)]


def _readme_only(entry: Entry, ident: Identifier) -> RowOutcome:
    base = record_from_entry(entry, ident)
    record, provenance = merge(base, None, "")
    return RowOutcome(entry, record, "readme", resolved_provenance=provenance, reason="not resolved (README data only)")


def _merged(entry: Entry, ident: Identifier, found: resolve.Outcome, prefer: str) -> RowOutcome:
    base = record_from_entry(entry, ident)
    if found.refused:
        base = _not_accepted(base, found.reason)
    records = found.records or (((found.source, found.record),) if found.record is not None else ())
    record, provenance = merge_records(base, records, prefer)
    return RowOutcome(
        entry,
        record,
        found.status,
        found.source,
        found.reason,
        provenance,
        getattr(found, "title_mismatch", False),
        found.refused,
        found.provenance.fetched,
        _LINK_SOURCES.get(found.key.partition(":")[0], ""),
    )


_LINK_SOURCES = {"arxiv": "arxiv", "doi": "crossref", "openreview": "openreview"}  # resolve.Outcome.key prefixes


def _not_accepted(base: Record, reason: str) -> Record:
    """A withdrawn or rejected submission: an OpenReview web page, never a conference paper."""
    return base.with_(type=WEBPAGE, container_title="", container_title_short="", event_title="",
                      publisher="OpenReview", venue_note=reason.split(" (", 1)[0].capitalize())  # fmt: skip


def _with_record(outcome: RowOutcome, record: Record) -> RowOutcome:
    return replace(outcome, record=record)


def summary(outcomes: list[RowOutcome]) -> str:
    """One line: how many rows were resolved, came from the cache, or stayed unresolved, and why."""
    counts: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
        if o.status not in RESOLVED_STATUSES:
            reasons[_reason_kind(o.reason)] = reasons.get(_reason_kind(o.reason), 0) + 1
    parts = [f"{len(outcomes)} row{'s' if len(outcomes) != 1 else ''}"] + [f"{n} {s}" for s, n in sorted(counts.items())]
    line = ", ".join(parts)
    if reasons:
        line += " (" + "; ".join(f"{n}× {r}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
    return line


# Reasons name the row and the details ('title mismatch: link points to "…"', 'arxiv: HTTP 503
# after 4 attempt(s) and 7 s of waiting'); the summary counts them by kind, in this order.
_REASON_KINDS = (
    ("not in the cache", "not cached (offline)"),
    ("title mismatch", "link points to another paper"),
    ("withdrawn", "withdrawn"),
    ("rejected", "rejected"),
    ("no resolver", "no resolver for the link"),
    ("unreachable", "unreachable"),
    ("connection failed", "unreachable"),
    ("timed out", "unreachable"),
    ("http ", "unreachable"),
    ("unreadable", "unreachable"),
    ("html page", "unreachable"),
    ("failed", "unreachable"),
    ("not found", "not found"),
    ("lists no paper", "not found"),
    ("no candidate", "not found"),
)
# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_SERVICE_NAME = r"(?i)\b(arxiv|crossref|openreview2?|dblp)\b"


def retry_kind(reason: str) -> str:
    """'unreachable' when a part of the reason says a service could not be asked, 'offline' when
    a record was not in the cache of an offline run, else '': whether asking again may help."""
    kinds = {_reason_kind(part) for part in reason.split("; ") if part.strip()}
    if any(k.endswith("unreachable") for k in kinds):
        return "unreachable"
    return "offline" if "not cached (offline)" in kinds else ""


def _reason_kind(reason: str) -> str:
    text = reason.lower()
    for needle, kind in _REASON_KINDS:
        if needle in text:
            service = re.search(_SERVICE_NAME, reason) if kind == "unreachable" else None
            return f"{service.group(1).lower()} {kind}" if service else kind
    return reason.split(";")[0].split(":")[0].strip() or "no reason given"

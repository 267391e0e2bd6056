"""One export or update of a bibliography project: the list, the lock, and only the work needed.

Stage: project — it wraps the pipeline (`pipeline.resolve_rows`) with the lock:

    list rows ─match (rows.py)─▶ lock entries
        final entry, same row      -> taken from the lock: no cache, no listing, no HTTP client
        new / changed / not final  -> resolved (cache ▸ services), as without a lock
    ─keys (keys.py)─▶ keyed records ─▶ the new lock, the changes (diff.py), the writers

`update` also resolves rows whose entry is preprint-only or not-found and older than the preprint
max age (a published version may have appeared). `--frozen` resolves nothing: a row the lock does
not cover is an error (`FrozenError`, exit 7) and nothing is written.
"""

from __future__ import annotations

import contextlib
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, ContextManager

from msgspec import Struct, field
from msgspec.structs import replace

from prune2bib import citekeys, pipeline, titles
from prune2bib.baseline import record_from_entry
from prune2bib.errors import FrozenError, UsageError
from prune2bib.identify import identify
from prune2bib.readme import Entry, ParsedList, read_list
from prune2bib.record import Record
from prune2bib.taxonomy import AWESOME_PRUNING, Taxonomy

from . import diff, keys, lockfile
from .lockfile import LIST_SOURCE, SERVICES, Lock, Paper, Row, Source
from .rows import match_rows

ProgressBar = Callable[[int], ContextManager[Callable[[int], None]]]


class Options(Struct, frozen=True):
    lock_path: Path
    prefer: str = "published"
    frozen: bool = False  # the lock only: no resolution, nothing written
    update: bool = False  # also re-check aged preprint-only and not-found entries
    refresh: bool = False  # every selected row is resolved again (keys stay)
    keyfile: Path | None = None  # --keys: a key file of earlier versions to take keys from
    legacy_keyfile: Path | None = None  # the old per-machine key file, taken over once
    max_age_days: float | None = None  # None: PRUNE2BIB_PREPRINT_MAX_AGE_DAYS or 30
    now: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))


class Result(Struct, frozen=True):
    outcomes: list[pipeline.RowOutcome]  # the selected rows, keyed, in list order
    lock: Lock  # what the lock says now
    old: Lock | None  # what it said before (None: there was none)
    changes: list[diff.Change]
    migrated: int = 0  # keys taken from a key file of earlier versions
    migrated_from: Path | None = None
    resolved: int = 0  # rows that went through resolution

    @property
    def key_changes(self) -> list[diff.Change]:
        return [c for c in self.changes if c.kind == "key"]


def export(
    entries: list[Entry],
    row_filter: pipeline.RowFilter,
    options: Options,
    old: Lock | None,
    resolve_settings=None,
    progress_bar: ProgressBar | None = None,
    taxonomy: Taxonomy | None = None,
) -> Result:
    """Key and record every selected row, from the lock where it can, and say what changed.

    `resolve_settings` None means README data only for the rows that need resolution. `taxonomy`:
    the list's, as read (None: the lock's rows stood in, and the lock keeps the one it has)."""
    base = old or Lock(prefer=options.prefer)
    rows = [_row(e, title) for e, title in zip(entries, titles.row_titles(entries))]
    matches, gone = match_rows(rows, base.papers)
    selected = [i for i, e in enumerate(entries) if row_filter.accepts(e)]
    todo = [i for i in selected if not _from_lock(matches[i].paper, rows[i], base, options)]
    if options.frozen:
        _check_frozen(todo, rows, entries, base, options)
    resolved = _resolve(todo, entries, rows, options, resolve_settings, progress_bar)
    outcomes = {i: resolved[i] if i in resolved else _locked(entries[i], matches[i].paper) for i in selected}
    # Entries of rows not selected this run stay as they are, and keep their keys.
    kept = [m.paper for i, m in enumerate(matches) if m.paper is not None and i not in outcomes]
    legacy, legacy_path = _legacy(options, old)
    retired = base.retired + tuple(keys.retire(p.key, p.key_state, p.record) for p in gone)
    slots = [keys.Slot(outcomes[i].record, *_key_of(matches[i].paper)) for i in selected]
    keying = keys.assign(slots, [p.key for p in kept], retired, legacy)
    checked = day(options.now())
    papers, keyed, changes = list(kept), [], []
    # A "new" row that took back the key of an entry gone from the list is that paper, moved (to
    # another year's table, with another link): one change, not a removal and an addition.
    returned = {g.key for i, g in zip(selected, keying.given) if matches[i].paper is None} & {p.key for p in gone}
    changes += [diff.removed(p) for p in gone if p.key not in returned]
    gone_by_key = {p.key: p for p in gone}
    for i, given in zip(selected, keying.given):
        outcome = outcomes[i] if outcomes[i].record.id == given.key else replace(outcomes[i], record=outcomes[i].record.with_(id=given.key))
        old_paper = matches[i].paper
        if old_paper is None and given.key in returned:
            old_paper = gone_by_key[given.key]
        if i in resolved:
            aged = bool(old_paper and options.update and _aged(old_paper, options))
            new = _paper(given, rows[i], outcome, old_paper, checked, aged)
        else:
            new = _relocked(old_paper, given, rows[i], outcome.record)
        papers.append(new)
        changes += diff.compare(old_paper, new, given.replaced)
        keyed.append(outcome)
    lock = Lock(tuple(papers), keying.retired, options.prefer, taxonomy or base.taxonomy)
    migrated_from = legacy_path if keying.migrated else None
    return Result(keyed, lock, old, diff.ordered(changes), keying.migrated, migrated_from, len(resolved))


def write(result: Result, options: Options) -> bool:
    """Write the lock (atomically; not at all when unchanged); retire the old key file once its
    keys are in a lock. True when the lock file changed."""
    written = not result.lock.same_as(result.old) and lockfile.write(options.lock_path, result.lock)
    legacy = options.legacy_keyfile
    if result.migrated_from is not None and legacy is not None and result.migrated_from == legacy:
        with contextlib.suppress(OSError):
            legacy.replace(migrated_name(legacy))
    return written


def migrated_name(path: Path) -> Path:
    return path.with_name(path.name + ".migrated")


# ---------------------------------------------------------------------- the list's rows


def _row(entry: Entry, title: str) -> Row:
    """A list row as the lock keeps it, under its title as exported (`titles.row_titles`)."""
    return Row(title, entry.url, entry.year, entry.venue, tuple(entry.types), entry.venue_note)


def entries_from_lock(lock: Lock) -> list[Entry]:
    """The rows the lock records, as list rows (for `--frozen` without a README, or when the
    upstream list cannot be read): in key order, numbered from 1."""
    papers = sorted(lock.papers, key=lambda p: p.key)
    return [
        Entry(line=n, year=p.row.year, title=p.row.title, url=p.row.link, venue=p.row.venue, types=p.row.types,
              venue_note=p.row.venue_note, code=p.record.code)  # fmt: skip
        for n, p in enumerate(papers, 1)
    ]


# ---------------------------------------------------------------------- deciding


def _from_lock(paper: Paper | None, row: Row, lock: Lock, options: Options) -> bool:
    """Whether a row is taken from its lock entry as it stands."""
    if paper is None or paper.row.inputs != row.inputs:
        return False  # new, or its title, link, venue or year changed
    if options.frozen:
        return lock.prefer == options.prefer
    if options.refresh or lock.prefer != options.prefer or not paper.final:
        return False
    return not (options.update and _aged(paper, options))


def _aged(paper: Paper, options: Options) -> bool:
    """A preprint-only or not-found entry older than the preprint max age: worth asking again."""
    if not (paper.preprint_only or paper.status == "not-found"):
        return False
    try:
        then = datetime.fromisoformat(paper.checked)
    except ValueError:
        return True
    if then.tzinfo is None:  # a day (or a time written without its zone): UTC
        then = then.replace(tzinfo=timezone.utc)
    if options.max_age_days is not None:
        days = options.max_age_days
    else:
        from prune2bib.cache import preprint_max_age_days

        days = preprint_max_age_days()
    return options.now() - then > timedelta(days=days)


def _check_frozen(todo: list[int], rows: list[Row], entries: list[Entry], lock: Lock, options: Options) -> None:
    if not todo:
        return
    path = options.lock_path
    if lock.prefer != options.prefer:
        raise FrozenError(f"--frozen: {path} holds --prefer {lock.prefer} records, not --prefer {options.prefer}")
    first = entries[todo[0]]
    where = f"line {first.line}: " if first.line else ""
    more = f" and {len(todo) - 1} more" if len(todo) > 1 else ""
    raise FrozenError(f'--frozen: {path} does not cover {len(todo)} row(s) of the list ({where}"{rows[todo[0]].title}"{more}); run `prune2bib update`')


def _resolve(todo, entries, rows, options, resolve_settings, progress_bar) -> dict[int, pipeline.RowOutcome]:
    if not todo:
        return {}
    pairs = [(replace(entries[i], title=rows[i].title), identify(entries[i].url)) for i in todo]
    bar = progress_bar or (lambda n: contextlib.nullcontext(lambda k=1: None))
    with bar(len(pairs)) as progress:
        outcomes = pipeline.resolve_rows(pairs, resolve_settings, prefer=options.prefer, progress=progress)
    return dict(zip(todo, outcomes))


# ---------------------------------------------------------------------- lock entries


def _locked(entry: Entry, paper: Paper) -> pipeline.RowOutcome:
    """A row taken from its lock entry, with the list's own fields as the list has them now."""
    record = _with_list_fields(paper.record, entry, paper)
    status = pipeline.LOCKED if paper.status in ("resolved", "partial") else _OUTCOME_STATUS.get(paper.status, "unresolved")
    source = next((s.name for name, s in paper.sources if name == "title"), "")
    return pipeline.RowOutcome(entry, record, status, source, paper.reason, lock_sources=paper.sources,
                               refused=paper.status == "refused", from_lock=True)  # fmt: skip


_OUTCOME_STATUS = {"skipped": "skipped", "readme": "readme", "offline": "cache-miss"}


def _with_list_fields(record: Record, entry: Entry, paper: Paper) -> Record:
    """Types and code links are the list's, not a source's: a row moved from W to F moves without
    being resolved again. (Its title, link, venue and year are resolution inputs: see _from_lock.)"""
    if record.types == tuple(entry.types) and record.code == tuple(entry.code) and record.venue_note == entry.venue_note:
        return record  # the usual case: nothing to redo
    base = record_from_entry(entry, identify(entry.url))
    changes = {name: getattr(base, name) for name in ("types", "code") if getattr(record, name) != getattr(base, name)}
    if paper.status != "refused" and record.venue_note != base.venue_note:
        changes["venue_note"] = base.venue_note  # a refused paper's note says 'Withdrawn'
    return record.with_(**changes) if changes else record


def _relocked(paper: Paper, given: keys.Given, row: Row, record: Record) -> Paper:
    if paper.key == given.key and paper.key_state == given.state and paper.record is record and paper.row == row:
        return paper  # the usual warm row: nothing moved (and the new lock then compares as the old)
    return replace(paper, key=given.key, key_state=given.state, row=row, record=record)


def _paper(given: keys.Given, row: Row, outcome: pipeline.RowOutcome, old: Paper | None, checked: str, aged: bool) -> Paper:
    sources = tuple((name, Source(src, _fetched(src, outcome, checked))) for name, src in outcome.provenance.fields)
    new = Paper(given.key, given.state, row, lock_status(outcome), outcome.record.with_(id=given.key), outcome.reason, checked, sources)
    if old is None:
        return new
    if not aged and _same_answer(old, new):
        return old  # asked again (not final, or --refresh) and told the same: the lock keeps its dates
    return replace(new, sources=_kept_dates(old, new))


def _kept_dates(old: Paper, new: Paper) -> tuple[tuple[str, Source], ...]:
    """The new entry's sources, a value the same source gave before keeping the day it was taken:
    a retitle, or a re-check that found the same record, changes the lines that changed."""
    before = dict(old.sources)
    return tuple((name, before[name]) if name in before and before[name].name == src.name
                 and getattr(old.record, name) == getattr(new.record, name) else (name, src)
                 for name, src in new.sources)  # fmt: skip


def _same_answer(old: Paper, new: Paper) -> bool:
    """The same entry but for when it was fetched."""
    names = lambda p: tuple((n, s.name) for n, s in p.sources if s.name != LIST_SOURCE)  # noqa: E731
    same = (old.key, old.key_state, old.row, old.status, old.record, old.reason) == (new.key, new.key_state, new.row, new.status, new.record, new.reason)
    return same and names(old) == names(new)


def _fetched(source: str, outcome: pipeline.RowOutcome, checked: str) -> str:
    """The day a field's service answered: the cache's fetch day of the row's own link record; for
    the other services (a DBLP listing, a Crossref fill) the day this run took their answer; none
    for what no service said (the list's own fields, the venue table's names)."""
    if source not in SERVICES:
        return ""
    if source == outcome.link_source and outcome.fetched:
        try:
            return day(datetime.fromisoformat(outcome.fetched))
        except ValueError:  # not a time the cache writes: the day of this run
            return checked
    return checked


def day(when: datetime) -> str:
    """'2025-06-01': the lock's dates are UTC days (see lockfile's docstring)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).date().isoformat()


def lock_status(outcome: pipeline.RowOutcome) -> str:
    """A resolution outcome as the lock's status (see lockfile's docstring)."""
    if outcome.status == "readme":
        return "readme"
    if outcome.status == "skipped":
        return "skipped"
    if outcome.refused:
        return "refused"
    retry = pipeline.retry_kind(outcome.reason)
    if outcome.status in ("resolved", "cached", pipeline.LOCKED):
        return "partial" if retry else "resolved"
    if outcome.status == "cache-miss" or retry == "offline":
        return "offline"
    return "failed" if retry else "not-found"


def _key_of(paper: Paper | None) -> tuple[str, str]:
    return (paper.key, paper.key_state) if paper is not None else ("", "")


def _legacy(options: Options, old: Lock | None) -> tuple[dict[str, list[str]] | None, Path | None]:
    """Keys of a key file of earlier versions: `--keys FILE` always; the per-machine file only
    when this project has no lock yet (it is taken over once, then renamed)."""
    if options.keyfile is not None:
        return citekeys.load_keyfile(options.keyfile), options.keyfile
    path = options.legacy_keyfile
    if old is None and not options.frozen and path is not None and path.is_file():
        return citekeys.load_keyfile(path), path
    return None, None


def check_options(options: Options) -> None:
    if options.frozen and options.refresh:
        raise UsageError("--frozen and --refresh cannot be used together")


class Listed(Struct, frozen=True):
    """The list's rows, where they came from, and the list's taxonomy (issue 11: its own codes)."""

    entries: list[Entry]
    origin: str
    taxonomy: Taxonomy
    parsed: ParsedList | None = None  # the list as read; None when the lock's rows stand in


def load_list(spec: str | None, lock: Lock | None, lock_path: Path, *, offline: bool, frozen: bool,
              columns: str | None = None) -> Listed:  # fmt: skip
    """The list's rows and a phrase naming where they came from.

    `--readme` is read as always (`--frozen` refuses a URL: it reads no network). Without it: the
    upstream README; with a lock, the rows the lock records stand in when the upstream cannot be
    read, offline, and with `--frozen` (they are this project's list as of its last update, newer
    than the snapshot bundled with prune2bib). Their type codes and names are the taxonomy the lock
    recorded from the list (a lock written before it recorded one: Awesome-Pruning's legend)."""
    from prune2bib import readme_source
    from prune2bib.errors import NetworkError, ReadmeError

    def read(text: str, origin: str) -> Listed:
        parsed = read_list(text, columns)
        return Listed(list(parsed.entries), origin, parsed.taxonomy, parsed)

    def recorded_rows(origin: str) -> Listed:
        entries = entries_from_lock(lock)
        return Listed(entries, origin, (lock.taxonomy or AWESOME_PRUNING).with_codes(c for e in entries for c in e.types))

    if spec is not None:
        if frozen and spec.startswith(("http://", "https://")):
            raise UsageError("--frozen reads no network: give --readme a file, or leave it out to use the lock's rows")
        return read(*readme_source.load(spec, offline=offline))
    if lock is None:
        if frozen:
            raise FrozenError(f"--frozen: there is no lock at {lock_path}; run `prune2bib export` first (or give --lock FILE)")
        return read(*readme_source.load(None, offline=offline))
    recorded = f"the rows recorded in {lock_path}"
    if frozen or offline:
        return recorded_rows(recorded)
    upstream = os.environ.get(readme_source.UPSTREAM_ENV) or readme_source.UPSTREAM_URL
    try:
        return read(*readme_source.load(upstream, offline=False))
    except (NetworkError, ReadmeError) as err:
        return recorded_rows(f"{recorded} ({upstream} could not be used: {err})")


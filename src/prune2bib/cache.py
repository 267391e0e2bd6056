"""The record cache: what each source said about each identifier (or query), in one SQLite file.

Stage: resolve (cache ▸ sources). Keys are identifier strings (`arxiv:1608.08710v2`,
`doi:10.1007/…`) or query keys (`crossref-query:<title>|<year>|<venue>`); values are the source's
normalised `Record` as JSON, or a not-found result with its reason, plus the source and fetch time.

Why SQLite (https://www.sqlite.org/wal.html): every result is committed on its own in WAL mode,
so a killed process loses nothing it committed and a reader never sees half a write.
Published records never expire; preprint-only and not-found results are re-checked after
`PRUNE2BIB_PREPRINT_MAX_AGE_DAYS` (default 30) days, since a preprint may since have been
published and a missing record may since exist. `--offline` reads stale entries too.

The meta table also keeps what a service taught us about its pace (`remember_interval`): after
a 429 the HTTP layer's raised interval is kept for a few days, so the next run starts at it.

A second table holds *listings*: lists of records under one key — a DBLP venue-year's whole
proceedings (kept for good, so a venue-year is listed once, ever) or the hits of a DBLP title
search (these expire like not-found results).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import platformdirs

from prune2bib.errors import CacheError
from prune2bib.record import PREPRINT, CodeLink, Person, Record

FILE_NAME = "records.sqlite3"
SCHEMA_VERSION = 1
MAX_AGE_ENV = "PRUNE2BIB_PREPRINT_MAX_AGE_DAYS"
DEFAULT_PREPRINT_MAX_AGE_DAYS = 30.0
FOUND, NOT_FOUND = "found", "not-found"
_LOCKED_HINT = "is locked by another process; try again when it has finished"
_PACE = "pace:"  # meta rows 'pace:<service>' -> {"interval": seconds, "until": ISO time}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key      TEXT PRIMARY KEY,     -- identifier or query key
    source   TEXT NOT NULL,        -- 'arxiv', 'crossref', ...
    status   TEXT NOT NULL,        -- 'found' | 'not-found'
    record   TEXT,                 -- Record as JSON when found
    reason   TEXT NOT NULL DEFAULT '',
    expires  INTEGER NOT NULL,     -- 1: re-check after the preprint max age; 0: never
    fetched  TEXT NOT NULL         -- ISO 8601 UTC
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS listings (
    key      TEXT PRIMARY KEY,     -- 'dblp:toc:db/conf/cvpr/cvpr2019.bht' or a title-search key
    source   TEXT NOT NULL,
    records  TEXT NOT NULL,        -- JSON list of Records
    expires  INTEGER NOT NULL,     -- 0: kept for good (a non-empty proceedings listing)
    fetched  TEXT NOT NULL
);
"""


def default_cache_dir() -> Path:
    return Path(os.environ.get("PRUNE2BIB_CACHE_DIR") or platformdirs.user_cache_dir("prune2bib"))


def preprint_max_age_days() -> float:
    """`PRUNE2BIB_PREPRINT_MAX_AGE_DAYS`, or 30; a bad value is a usage error, not a silent default."""
    raw = os.environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return DEFAULT_PREPRINT_MAX_AGE_DAYS
    try:
        days = float(raw)
    except ValueError:
        days = -1.0
    if days < 0:
        from prune2bib.errors import UsageError

        raise UsageError(f"{MAX_AGE_ENV} must be a number of days >= 0, not {raw!r}")
    return days


@dataclass(frozen=True)
class Cached:
    """One cache entry."""

    key: str
    source: str
    status: str  # FOUND or NOT_FOUND
    record: Record | None
    reason: str
    fetched: str  # ISO 8601 UTC
    stale: bool = False  # older than the max age for re-checking (only `--offline` uses it then)


@dataclass(frozen=True)
class CachedListing:
    """A stored list of records: a venue-year's proceedings, or the hits of a title search."""

    key: str
    source: str
    records: tuple[Record, ...]
    fetched: str
    stale: bool = False


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    size_bytes: int
    counts: tuple[tuple[str, str, int], ...]  # (source, status, n), sorted

    @property
    def total(self) -> int:
        return sum(n for _, _, n in self.counts)

    def text(self) -> str:
        lines = [f"cache: {self.path}", f"size: {self.size_bytes} bytes", f"entries: {self.total}"]
        lines += [f"  {source} {status}: {n}" for source, status, n in self.counts]
        return "\n".join(lines)


class Cache:
    """The cache file. Opened lazily, so that `clear()` still works on a damaged file."""

    def __init__(self, directory: Path | str, *, now: Callable[[], datetime] | None = None, busy_timeout: float = 5.0):
        self.path = Path(directory) / FILE_NAME
        self._busy_timeout = busy_timeout  # seconds to wait for another process's write to finish
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._conn: sqlite3.Connection | None = None

    # ------------------------------------------------------------------ reading

    def get(self, key: str, *, max_age_days: float | None = None) -> Cached | None:
        """The entry for `key`, or None. Expiring entries older than `max_age_days` come back
        with `stale=True` (default age: `preprint_max_age_days()`)."""
        row = self._run("SELECT key, source, status, record, reason, expires, fetched FROM results WHERE key = ?", (key,))
        found = row.fetchone()
        if found is None:
            return None
        key, source, status, record_json, reason, expires, fetched = found
        age_limit = preprint_max_age_days() if max_age_days is None else max_age_days
        stale = bool(expires) and self._age_days(fetched) > age_limit
        record = record_from_json(record_json) if record_json else None
        return Cached(key, source, status, record, reason, fetched, stale)

    def get_listing(self, key: str, *, max_age_days: float | None = None) -> CachedListing | None:
        """A stored listing, or None; expiring ones older than the max age come back `stale`."""
        row = self._run("SELECT source, records, expires, fetched FROM listings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        source, records_json, expires, fetched = row
        age_limit = preprint_max_age_days() if max_age_days is None else max_age_days
        records = tuple(record_from_json(json.dumps(r)) for r in json.loads(records_json))
        return CachedListing(key, source, records, fetched, bool(expires) and self._age_days(fetched) > age_limit)

    def info(self) -> CacheInfo:
        if not self.path.exists():
            return CacheInfo(self.path, 0, ())
        rows = self._run("SELECT source, status, COUNT(*) FROM results GROUP BY source, status ORDER BY source, status")
        counts = [(s, st, n) for s, st, n in rows.fetchall()]
        listed = self._run("SELECT source, COUNT(*) FROM listings GROUP BY source ORDER BY source").fetchall()
        counts = tuple(sorted(counts + [(s, "listing", n) for s, n in listed]))
        size = sum(p.stat().st_size for p in self._files() if p.exists())
        return CacheInfo(self.path, size, counts)

    def info_text(self) -> str:
        return self.info().text()

    # ------------------------------------------------------------------ writing

    def put_found(self, key: str, source: str, record: Record) -> Cached:
        return self._put(key, source, FOUND, record, "", expires=record.type == PREPRINT)

    def put_not_found(self, key: str, source: str, reason: str) -> Cached:
        return self._put(key, source, NOT_FOUND, None, reason, expires=True)

    def _put(self, key: str, source: str, status: str, record: Record | None, reason: str, *, expires: bool) -> Cached:
        fetched = self._now().astimezone(timezone.utc).isoformat(timespec="seconds")
        record_json = record_to_json(record) if record is not None else None
        conn = self._connection()
        try:
            # One transaction per result: committed means on disk (WAL), whatever happens next.
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO results (key, source, status, record, reason, expires, fetched)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (key, source, status, record_json, reason, int(expires), fetched),
                )
        except sqlite3.Error as err:
            raise self._error(err) from err
        return Cached(key, source, status, record, reason, fetched)

    def put_listing(self, key: str, source: str, records, *, expires: bool) -> CachedListing:
        """Store a listing. A venue-year's proceedings are kept for good (`expires=False`); an empty
        listing or a title search's hits expire like preprints (DBLP may add the paper later)."""
        fetched = self._now().astimezone(timezone.utc).isoformat(timespec="seconds")
        records = tuple(records)
        body = "[" + ",".join(record_to_json(r) for r in records) + "]"
        conn = self._connection()
        try:
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO listings (key, source, records, expires, fetched) VALUES (?, ?, ?, ?, ?)",
                    (key, source, body, int(expires), fetched),
                )
        except sqlite3.Error as err:
            raise self._error(err) from err
        return CachedListing(key, source, records, fetched)

    # ------------------------------------------------------------------ learned pacing (http.PaceMemory)

    def learned_interval(self, service: str) -> float | None:
        """Seconds between requests a service asked for in an earlier run, while still kept."""
        row = self._run("SELECT value FROM meta WHERE name = ?", (_PACE + service,)).fetchone()
        try:
            kept = json.loads(row[0]) if row else None
            interval, until = float(kept["interval"]), datetime.fromisoformat(kept["until"])
        except (TypeError, ValueError, KeyError):
            return None  # nothing kept, or written by something else: start from the default
        return interval if self._now() < until else None

    def remember_interval(self, service: str, seconds: float, days: float) -> None:
        until = (self._now() + timedelta(days=days)).astimezone(timezone.utc).isoformat(timespec="seconds")
        value = json.dumps({"interval": seconds, "until": until})
        conn = self._connection()
        try:
            with conn:
                conn.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (_PACE + service, value))
        except sqlite3.Error as err:
            raise self._error(err) from err

    def clear(self) -> int:
        """Delete every entry; returns how many there were. A damaged file is removed outright."""
        try:
            return self._delete_all()
        except CacheError as err:
            if err.args[0].endswith(_LOCKED_HINT):
                raise  # another process is using it: deleting its file under it would be worse
        self.close()
        for path in self._files():
            path.unlink(missing_ok=True)
        return 0

    def _delete_all(self) -> int:
        conn = self._connection()
        try:
            with conn:
                removed = conn.execute("DELETE FROM results").rowcount
                removed += conn.execute("DELETE FROM listings").rowcount
                conn.execute("DELETE FROM meta WHERE name LIKE ?", (_PACE + "%",))  # a fresh start: default pacing
            conn.execute("VACUUM")
        except sqlite3.Error as err:
            raise self._error(err) from err
        return removed

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    def _files(self) -> list[Path]:
        return [self.path, self.path.with_name(FILE_NAME + "-wal"), self.path.with_name(FILE_NAME + "-shm")]

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CacheError(f"cannot create the cache directory {self.path.parent}: {err.strerror}") from err
        try:
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level="DEFERRED")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # durable against a killed process in WAL mode
            with conn:
                conn.executescript(_SCHEMA)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            version = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()[0]
        except sqlite3.Error as err:
            raise self._error(err) from err
        if version != str(SCHEMA_VERSION):
            conn.close()
            raise CacheError(f"cache {self.path} has schema version {version}, expected {SCHEMA_VERSION}; run `prune2bib cache clear`")
        self._conn = conn
        return conn

    def _run(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        conn = self._connection()
        try:
            return conn.execute(sql, params)
        except sqlite3.Error as err:
            raise self._error(err) from err

    def _error(self, err: sqlite3.Error) -> CacheError:
        text = str(err)
        if "locked" in text or "busy" in text:
            return CacheError(f"cache {self.path} {_LOCKED_HINT}")
        if isinstance(err, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
            return CacheError(f"cache {self.path} is damaged ({text}); run `prune2bib cache clear` to start afresh")
        return CacheError(f"cache {self.path}: {text}")

    def _age_days(self, fetched: str) -> float:
        try:
            then = datetime.fromisoformat(fetched)
        except ValueError:
            return float("inf")  # an unreadable time: treat as old, so it gets re-checked
        return (self._now() - then) / timedelta(days=1)


def open_cache(directory: Path | str | None = None, **kwargs) -> Cache:
    """The cache in `directory`, or `PRUNE2BIB_CACHE_DIR`, or the user cache dir (platformdirs)."""
    return Cache(directory if directory is not None else default_cache_dir(), **kwargs)


# ---------------------------------------------------------------------- Record <-> JSON


def record_to_json(record: Record) -> str:
    data = {}
    for f in fields(Record):
        value = getattr(record, f.name)
        if value in ("", (), None):
            continue  # keep entries small; absent means the dataclass default
        if f.name == "authors":
            value = [_person_to_dict(p) for p in value]
        elif f.name == "code":
            value = [{"label": c.label, "url": c.url, "status": c.status} for c in value]
        data[f.name] = list(value) if isinstance(value, tuple) else value
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def record_from_json(text: str) -> Record:
    data = json.loads(text)
    known = {f.name for f in fields(Record)}
    values = {}
    for name, value in data.items():
        if name not in known:
            continue  # written by a newer version: ignore what we do not know
        if name == "authors":
            value = tuple(Person(**p) for p in value)
        elif name == "code":
            value = tuple(CodeLink(**c) for c in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[name] = value
    return Record(**values)


def _person_to_dict(person: Person) -> dict[str, str]:
    return {k: v for k, v in (("family", person.family), ("given", person.given), ("literal", person.literal)) if v}

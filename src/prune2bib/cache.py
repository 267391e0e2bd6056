"""The record cache: what each source said about each identifier (or query), in one SQLite file.

Stage: resolve (cache ▸ sources). Keys are identifier strings (`arxiv:1608.08710v2`,
`doi:10.1007/…`) or query keys (`crossref-query:<title>|<year>|<venue>`); values are the source's
normalised `Record` as JSON, or a not-found result with its reason, plus the source and fetch time.

Why SQLite (https://www.sqlite.org/wal.html): every result is committed on its own in WAL mode,
so a killed process loses nothing it committed and a reader never sees half a write.
Published records never expire; preprint-only and not-found results are re-checked after
`PRUNE2BIB_PREPRINT_MAX_AGE_DAYS` (default 30) days, since a preprint may since have been
published and a missing record may since exist. `--offline` reads stale entries too.

*Listings* are lists of records under one key — a DBLP venue-year's whole proceedings (kept
for good, so a venue-year is listed once, ever) or the hits of a DBLP title search (these expire
like not-found results). They are stored already indexed (`listings.py`): one row per record
with its normalised title, and its index keys (title blocks, link identifier) in a table of
their own, so matching a row reads the few records that share a key, never the whole listing
(`Cache.listing` → `StoredListing`).

Schema versions: the `meta` table holds the version. A cache written by an older prune2bib is
migrated in place when it is opened (one transaction; version 1 kept each listing as one JSON
array: its records are copied and indexed, so nothing is asked of DBLP again); a cache written
by a newer one is refused with a one-line message (`prune2bib cache clear` starts afresh).

The meta table also keeps what a service taught us about its pace (`remember_interval`): after
a 429 the HTTP layer's raised interval is kept for a few days, so the next run starts at it.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

from msgspec import Struct

from prune2bib import listings
from prune2bib.environment import CACHE_FILE_NAME, MAX_AGE_ENV, default_cache_dir, preprint_max_age_days  # noqa: F401 - used here and by callers
from prune2bib.errors import CacheError
from prune2bib.record import PREPRINT, CodeLink, Person, Record

FILE_NAME = CACHE_FILE_NAME
SCHEMA_VERSION = 2
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
    expires  INTEGER NOT NULL,     -- 1: re-check after the preprint max age, 0: never
    fetched  TEXT NOT NULL         -- ISO 8601 UTC
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS listings (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL UNIQUE, -- 'dblp:toc:db/conf/cvpr/cvpr2019.bht' or a title-search key
    source   TEXT NOT NULL,
    size     INTEGER NOT NULL,     -- how many records
    expires  INTEGER NOT NULL,     -- 0: kept for good (a non-empty proceedings listing)
    fetched  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS listing_records (
    listing  INTEGER NOT NULL,     -- listings.id
    n        INTEGER NOT NULL,     -- position in the listing, from 0
    title    TEXT NOT NULL,        -- normalised title (listings.normalized)
    record   TEXT NOT NULL,        -- Record as JSON
    PRIMARY KEY (listing, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS listing_keys (
    listing  INTEGER NOT NULL,
    key      TEXT NOT NULL,        -- listings.title_keys / listings.link_key
    n        INTEGER NOT NULL,
    PRIMARY KEY (listing, key, n)
) WITHOUT ROWID;
"""


class Cached(Struct, frozen=True):
    """One cache entry."""

    key: str
    source: str
    status: str  # FOUND or NOT_FOUND
    record: Record | None
    reason: str
    fetched: str  # ISO 8601 UTC
    stale: bool = False  # older than the max age for re-checking (only `--offline` uses it then)


class CachedListing(Struct, frozen=True):
    """A stored list of records: a venue-year's proceedings, or the hits of a title search."""

    key: str
    source: str
    records: tuple[Record, ...]
    fetched: str
    stale: bool = False


class CacheInfo(Struct, frozen=True):
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
        """A stored listing with all its records decoded, or None; expiring ones older than the max
        age come back `stale`. For small listings (title-search hits); match rows in a venue-year's
        proceedings through `listing`, which decodes only what a row needs."""
        stored = self.listing(key, max_age_days=max_age_days)
        if stored is None:
            return None
        rows = self._run("SELECT record FROM listing_records WHERE listing = ? ORDER BY n", (stored.id,)).fetchall()
        records = tuple(record_from_json(text) for (text,) in rows)
        return CachedListing(key, stored.source, records, stored.fetched, stored.stale)

    def listing(self, key: str, *, max_age_days: float | None = None) -> "StoredListing | None":
        """A stored listing as an index (`listings.Indexed`): rows are matched by title or link
        without reading its records; None if there is none under `key`."""
        row = self._run("SELECT id, source, size, expires, fetched FROM listings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        listing_id, source, size, expires, fetched = row
        age_limit = preprint_max_age_days() if max_age_days is None else max_age_days
        stale = bool(expires) and self._age_days(fetched) > age_limit
        return StoredListing(self, listing_id, key, source, size, fetched, stale)

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
        """Store a listing, indexed (see the module docstring). A venue-year's proceedings are kept
        for good (`expires=False`); an empty listing or a title search's hits expire like preprints
        (DBLP may add the paper later)."""
        fetched = self._now().astimezone(timezone.utc).isoformat(timespec="seconds")
        records = tuple(records)
        rows = [(n, listings.normalized(r.title), r, record_to_json(r)) for n, r in enumerate(records)]
        conn = self._connection()
        try:
            with conn:
                _store_listing(conn, key, source, rows, expires, fetched)
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
                conn.execute("DELETE FROM listing_records")
                conn.execute("DELETE FROM listing_keys")
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
        conn = None
        try:
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level="DEFERRED")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # durable against a killed process in WAL mode
            if _schema_version(conn) != SCHEMA_VERSION:
                self._upgrade(conn)
        except CacheError:
            conn.close()
            raise
        except sqlite3.Error as err:
            if conn is not None:
                conn.close()
            raise self._error(err) from err
        self._conn = conn
        return conn

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """Create the schema in a new file, migrate an older one; refuse a newer one (one line)."""
        conn.isolation_level = None  # explicit transaction: a migration is all or nothing
        conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then find it done
        try:
            version = _schema_version(conn)
            if version is not None and version > SCHEMA_VERSION:
                raise CacheError(
                    f"cache {self.path} was written by a newer prune2bib (schema {version}; this one reads "
                    f"{SCHEMA_VERSION}): run `prune2bib cache clear` to start afresh, or use that version"
                )
            if version is not None and version < SCHEMA_VERSION:
                _MIGRATIONS.get(version, _start_afresh)(conn)
            _create_schema(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.isolation_level = "DEFERRED"

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


# ---------------------------------------------------------------------- stored listings


class StoredListing(listings.Indexed):
    """A listing in the cache, asked by title or link through its index keys (`listings.py`):
    a lookup reads the records that share one of the row's keys, and decodes only the one taken."""

    def __init__(self, cache: Cache, listing_id: int, key: str, source: str, size: int, fetched: str, stale: bool):
        self.cache, self.id, self.key, self.source = cache, listing_id, key, source
        self.size, self.fetched, self.stale = size, fetched, stale

    def candidates(self, query: listings.TitleQuery) -> list[tuple[int, str]]:
        if not query.keys:
            return []
        # Numbered parameters: ?1 the listing, ?2 how many blocks, then the keys. A part with no
        # keys is left out: SQLite answers an empty `IN ()` by scanning the whole table.
        first_block = 3 + len(query.any_of)
        parts = []
        if query.any_of:
            any_of = ",".join(f"?{i}" for i in range(3, first_block))
            parts.append(f"SELECT n FROM listing_keys WHERE listing = ?1 AND key IN ({any_of})")
        if query.blocks:
            blocks = ",".join(f"?{i}" for i in range(first_block, first_block + len(query.blocks)))
            parts.append(f"SELECT n FROM listing_keys WHERE listing = ?1 AND key IN ({blocks}) GROUP BY n HAVING COUNT(*) >= ?2")
        rows = self.cache._run(
            f"SELECT n, title FROM listing_records WHERE listing = ?1 AND n IN ({' UNION '.join(parts)}) ORDER BY n",
            (self.id, query.need, *query.any_of, *query.blocks),
        )
        return rows.fetchall()

    def record(self, position: int) -> Record:
        row = self.cache._run("SELECT record FROM listing_records WHERE listing = ? AND n = ?", (self.id, position)).fetchone()
        if row is None:
            raise CacheError(f"cache {self.cache.path}: listing {self.key} has no record {position}; run `prune2bib cache clear`")
        return record_from_json(row[0])

    def first_with(self, key: str) -> Record | None:
        # A subquery, not a join: ordered by n, the planner would walk the whole listing.
        row = self.cache._run(
            "SELECT record FROM listing_records WHERE listing = ?1"
            " AND n = (SELECT MIN(n) FROM listing_keys WHERE listing = ?1 AND key = ?2)",
            (self.id, key),
        ).fetchone()
        return record_from_json(row[0]) if row else None


def _store_listing(conn: sqlite3.Connection, key: str, source: str, rows, expires: bool, fetched: str) -> None:
    """Replace the listing under `key`; `rows` are (position, normalised title, Record, JSON)."""
    old = conn.execute("SELECT id FROM listings WHERE key = ?", (key,)).fetchone()
    if old is not None:
        for table in ("listing_records", "listing_keys"):
            conn.execute(f"DELETE FROM {table} WHERE listing = ?", old)
        conn.execute("DELETE FROM listings WHERE id = ?", old)
    listing_id = conn.execute(
        "INSERT INTO listings (key, source, size, expires, fetched) VALUES (?, ?, ?, ?, ?)",
        (key, source, len(rows), int(expires), fetched),
    ).lastrowid
    conn.executemany(
        "INSERT INTO listing_records (listing, n, title, record) VALUES (?, ?, ?, ?)",
        [(listing_id, n, norm, text) for n, norm, _, text in rows],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO listing_keys (listing, key, n) VALUES (?, ?, ?)",
        [(listing_id, k, n) for n, norm, record, _ in rows for k in listings.record_keys(record, norm)],
    )


# ---------------------------------------------------------------------- schema versions


def _schema_version(conn: sqlite3.Connection) -> int | None:
    """The file's schema version; None for a new (empty) file."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return None
    row = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
    if row is None:
        return None
    if not str(row[0]).isdigit():
        raise sqlite3.DatabaseError(f"malformed schema version {row[0]!r}")
    return int(row[0])


def _create_schema(conn: sqlite3.Connection) -> None:
    # Statement by statement: executescript() would COMMIT the migration's open transaction.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))


def _from_v1(conn: sqlite3.Connection) -> None:
    """Version 1 kept a listing as one JSON array of records: copy and index each listing. One
    that does not decode is dropped (a cache is disposable: it is listed again when needed)."""
    conn.execute("ALTER TABLE listings RENAME TO listings_v1")
    _create_schema(conn)
    old = conn.execute("SELECT key, source, records, expires, fetched FROM listings_v1").fetchall()
    for key, source, body, expires, fetched in old:
        try:
            records = [record_from_data(item) for item in json.loads(body)]
        except (ValueError, TypeError, AttributeError):
            continue
        rows = [(n, listings.normalized(r.title), r, record_to_json(r)) for n, r in enumerate(records)]
        _store_listing(conn, key, source, rows, bool(expires), fetched)
    conn.execute("DROP TABLE listings_v1")


def _start_afresh(conn: sqlite3.Connection) -> None:
    """A version no migration is written for: the cache is disposable, so its tables go."""
    names = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()
    for (name,) in names:
        conn.execute(f'DROP TABLE "{name}"')


_MIGRATIONS = {1: _from_v1}  # schema version -> its migration to the next one (here: the current)


# ---------------------------------------------------------------------- Record <-> JSON


def record_to_json(record: Record) -> str:
    data = {}
    for name in Record.__struct_fields__:
        value = getattr(record, name)
        if value in ("", (), None):
            continue  # keep entries small; absent means the Record's default
        if name == "authors":
            value = [_person_to_dict(p) for p in value]
        elif name == "code":
            value = [{"label": c.label, "url": c.url, "status": c.status} for c in value]
        data[name] = list(value) if isinstance(value, tuple) else value
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def record_from_json(text: str) -> Record:
    return record_from_data(json.loads(text))


def record_from_data(data: dict) -> Record:
    known = set(Record.__struct_fields__)
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

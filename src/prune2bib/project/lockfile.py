"""The lockfile: the bibliography project's decisions, one entry per paper, in a text file.

Stage: project. `prune2bib export` writes it beside the output (`location.py` has the rule) and
reads it on the next run: a row whose entry is *final* is taken from here with no resolution work
at all. Commit it with the bibliography; `--frozen` rebuilds the outputs from it alone.

Format (JSON, UTF-8, LF; version in `"prune2bib-lock"`): deterministic — papers sorted by key,
fields in a fixed order, one line per field of the record — so a pull request shows exactly what
changed. Per paper:

    key         the citation key (BibTeX key, CSL id, RIS ID)
    key-state   provisional: given before the paper had authors, replaced by the author key once
                it has them (the change is announced) · author: given with authors, never changes
                · pinned: fixed by the user (`prune2bib keys pin KEY`, or by editing this field)
    identity    the row's link identifier and normalised title (derived from `row`, for reviewers)
    row         the list's row as read: title, link, year, venue, venue-note, types
    status      resolved · not-found · refused (withdrawn/rejected) · skipped (no source for the
                link) — final; partial (a record, but a service failed) · failed · offline (not
                in the cache) · readme (not resolved) — asked again on the next run
    reason      why the row is not (fully) resolved, or '' 
    checked     the day (UTC) the row was last resolved; `update` asks preprint-only and
                not-found rows again once this is older than the preprint max age
    record      the exported record, CSL-shaped (`csl.py`)
    sources     per record field a service gave: the service and the day (UTC) the lock took
                this value from it (for the record of the row's own link, the day the cache
                fetched it; for the others — a DBLP listing, a Crossref fill — the day of the run
                that took it). A value asked again and found the same keeps its day: only
                `checked` moves. `venues` (the name prune2bib's venue table gives a known venue)
                has no day. A field not listed here is the list's own: title, venue, year, link,
                types, code

Dates are days, not instants, so that two co-authors who update the lock for the same change of
the list on the same day write the same text, which git merges without a conflict.

`taxonomy` records the list's type codes, their names and order (its legend), so that the lock's
own rows give the same groups and tags as the list did. `retired-keys` keeps the keys of papers
that left the list (with their identities), so a key is never handed to another paper and a paper
that comes back gets its key back.

Writing is atomic (a temporary file in the same directory, fsync, rename): a crash or a kill
leaves the old lock or the new one, never half of one. Reading checks everything and reports the
first problem in one line naming the file (`LockError`, exit code 6); a broken lock is left as is.
A lock as prune2bib writes it is read in one typed pass (`lock_decode.py`); only what that pass
does not take is read by `parse_checked`, which names the problem.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
from pathlib import Path
from typing import Any

from msgspec import Struct

try:
    import fcntl
except ImportError:  # not POSIX: leftovers of killed writers stay (hidden, harmless)
    fcntl = None  # type: ignore[assignment]

from prune2bib import collector
from prune2bib.errors import LockError
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, Record
from prune2bib.taxonomy import Taxonomy

from . import csl
from .identity import link_identity, normalised_title

FORMAT_KEY = "prune2bib-lock"
VERSION = 1
PROVISIONAL, AUTHOR, PINNED = "provisional", "author", "pinned"
KEY_STATES = (PROVISIONAL, AUTHOR, PINNED)
FINAL_STATUSES = ("resolved", "not-found", "refused", "skipped")
RETRY_STATUSES = ("partial", "failed", "offline", "readme")
STATUSES = FINAL_STATUSES + RETRY_STATUSES
PUBLISHED_SOURCES = frozenset({"dblp", "crossref", "openreview"})  # sources of a published version
SERVICES = PUBLISHED_SOURCES | {"arxiv"}  # the sources whose answers are fetched, and so dated
PREFER = ("published", "preprint")
LIST_SOURCE = "readme"  # a record field the list itself gave: not written under "sources"
# Characters BibTeX, biber or LaTeX's \cite cannot take in a key.
BAD_KEY = re.compile(r"[\s,{}()\"#%'=\\~]")


class Row(Struct, frozen=True, dict=True, rename={"venue_note": "venue-note"}):  # dict: the cached identity; rename: the lock's name (lock_decode)
    """A row of the list as the lock remembers it (no line number: rows move)."""

    title: str
    link: str = ""
    year: int | None = None
    venue: str = ""
    types: tuple[str, ...] = ()
    venue_note: str = ""

    @functools.cached_property
    def identity(self) -> tuple[str, str]:
        return link_identity(self.link), normalised_title(self.title)

    @property
    def inputs(self) -> tuple:
        """What resolution depends on: a change here means the row is resolved again."""
        return self.title, self.link, self.venue, self.year


class Source(Struct, frozen=True, rename={"name": "source"}):  # (the lock's name, for lock_decode)
    name: str  # 'dblp', 'crossref', 'openreview', 'arxiv', 'readme'
    fetched: str = ""  # the day, ISO 8601 (UTC); '' for the list's own fields and the venue table


class Paper(Struct, frozen=True):
    """One lock entry."""

    key: str
    key_state: str
    row: Row
    status: str
    record: Record  # record.id == key
    reason: str = ""
    checked: str = ""
    sources: tuple[tuple[str, Source], ...] = ()  # (Record field name, source), in Record order

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def preprint_only(self) -> bool:
        """Resolved, but no source gave a published version (arXiv alone)."""
        if self.status not in ("resolved", "partial"):
            return False
        return not any(s.name in PUBLISHED_SOURCES for _, s in self.sources)

    @property
    def published(self) -> bool:
        return self.record.type in (PAPER_CONFERENCE, ARTICLE_JOURNAL) and not self.preprint_only and self.status in ("resolved", "partial")


class Retired(Struct, frozen=True):
    """A key whose paper left the list: never given to another paper."""

    key: str
    key_state: str
    identities: tuple[str, ...]  # citekeys.identities of its last record, and its row identity


class Lock(Struct, frozen=True):
    papers: tuple[Paper, ...] = ()
    retired: tuple[Retired, ...] = ()
    prefer: str = "published"  # --prefer the records were merged with
    taxonomy: Taxonomy | None = None  # the list's type codes and names, for when the lock's rows stand in

    def by_key(self) -> dict[str, Paper]:
        return {p.key: p for p in self.papers}

    def keys(self) -> set[str]:
        return {p.key for p in self.papers} | {r.key for r in self.retired}

    def same_as(self, other: "Lock | None") -> bool:
        """Whether both would be written as the same text (in any order; the list's own field
        sources, which are not written, aside): a warm run compares instead of rendering."""
        if other is None or (self.prefer, _written_taxonomy(self)) != (other.prefer, _written_taxonomy(other)) or len(self.papers) != len(other.papers):
            return False  # (the taxonomy as written: its legend's labels are not, so they cannot differ in the file)
        if sorted(self.retired, key=lambda r: r.key) != sorted(other.retired, key=lambda r: r.key):
            return False
        theirs = other.by_key()
        # A warm run's new lock holds the old lock's very Paper objects (session._relocked): one
        # identity test each, instead of building and comparing both written forms.
        return all(p is (q := theirs.get(p.key)) or _written(p) == _written(q) for p in self.papers)


def _written_taxonomy(lock: "Lock"):
    return _taxonomy_json(lock.taxonomy) if lock.taxonomy is not None else None


def _written(paper: Paper | None):
    if paper is None:
        return None
    return (paper.key, paper.key_state, paper.row, paper.status, paper.record, paper.reason, paper.checked,
            tuple(s for s in paper.sources if s[1].name != LIST_SOURCE))  # fmt: skip


# ---------------------------------------------------------------------- writing


def render(lock: Lock) -> str:
    """The lock's text: same lock, same bytes."""
    papers = sorted(lock.papers, key=lambda p: (p.key.casefold(), p.key))
    retired = sorted(lock.retired, key=lambda r: (r.key.casefold(), r.key))
    data = {
        FORMAT_KEY: VERSION,
        "about": "Written by prune2bib: the bibliography's resolved records and citation keys. Commit it; "
        "`prune2bib update` refreshes it, `prune2bib export --frozen` rebuilds the outputs from it alone.",
        "prefer": lock.prefer,
        **({"taxonomy": _taxonomy_json(lock.taxonomy)} if lock.taxonomy is not None else {}),
        "papers": [_paper_json(p) for p in papers],
        "retired-keys": [{"key": r.key, "key-state": r.key_state, "identities": list(r.identities)} for r in retired],
    }
    return _layout(data, ()) + "\n"


def _paper_json(paper: Paper) -> dict[str, Any]:
    link, title = paper.row.identity
    row = {"title": paper.row.title, "link": paper.row.link, "year": paper.row.year, "venue": paper.row.venue,
           "venue-note": paper.row.venue_note, "types": list(paper.row.types)}  # fmt: skip
    sources = {csl.lock_name(name): _source_json(src) for name, src in paper.sources if src.name != LIST_SOURCE}
    return {
        "key": paper.key,
        "key-state": paper.key_state,
        "identity": {"link": link, "title": title},
        "row": row,
        "status": paper.status,
        "reason": paper.reason,
        "checked": paper.checked,
        "record": csl.from_record(paper.record),
        "sources": sources,
    }


def _taxonomy_json(taxonomy: Taxonomy) -> dict[str, Any]:
    return {"codes": list(taxonomy.codes), "names": {c: taxonomy.names[c] for c in taxonomy.codes if c in taxonomy.names},
            "defined": [c for c in taxonomy.codes if c in taxonomy.defined]}  # fmt: skip


def _source_json(source: Source) -> dict[str, str]:
    return {"source": source.name, "fetched": source.fetched} if source.fetched else {"source": source.name}


# Objects and lists expanded one item per line, by their path; everything deeper sits on one line
# (an author list, a source), so a changed field is a changed line.
_EXPANDED = {(), ("papers",), ("papers", "*"), ("retired-keys",), ("taxonomy",)} | {("papers", "*", k) for k in ("row", "record", "sources")}


def _layout(value: Any, path: tuple) -> str:
    generic = path[:1] + tuple("*" if isinstance(p, int) else p for p in path[1:])
    if generic not in _EXPANDED or not value or not isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)  # (only here: an expanded value is never dumped whole)
    pad = "  " * (len(path) + 1)
    if isinstance(value, dict):
        items = [f"{pad}{_encoded_key(k)}: {_layout(v, path + (k,))}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * len(path) + "}"
    items = [f"{pad}{_layout(v, path + (i,))}" for i, v in enumerate(value)]
    return "[\n" + ",\n".join(items) + "\n" + "  " * len(path) + "]"


@functools.lru_cache(maxsize=256)
def _encoded_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def write(path: Path, lock: Lock) -> bool:
    """Write the lock atomically; False (and nothing touched) when the file already says this."""
    text = render(lock)
    path = Path(path)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomic(path, text)
    return True


def write_atomic(path: Path, text: str) -> None:
    """Temporary file beside `path`, flushed to disk, then renamed over it (POSIX rename is
    atomic): a reader, or a run after a crash, sees the old file or the new one."""
    path = Path(path)
    import secrets  # writing only (a warm run that changes nothing writes no lock)

    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # Created like any new file (the umask decides), then given the old lock's permissions.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _hold(fd)  # while this process lives, the temporary file is known to be in use
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _remove_leftovers(path)


def _hold(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_leftovers(path: Path) -> None:
    """Temporary files of writers killed before their rename: nobody holds them any more (the
    kernel drops a dead process's locks), so they go."""
    if fcntl is None:
        return
    import glob

    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            with open(leftover, "rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                leftover.unlink()
        except OSError:
            continue  # held by a writer at work, or already gone


# ---------------------------------------------------------------------- reading


def read(path: Path) -> Lock | None:
    """The lock at `path`; None when there is none. LockError for anything else wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise LockError(f"lock {path} is a directory, not a file") from None
    except OSError as err:
        raise LockError(f"lock {path} cannot be read: {err.strerror or err}") from None
    return parse(data, path)


def parse(data: bytes, path: Path | str = "prune2bib.lock") -> Lock:
    try:
        with collector.paused():  # one lock, ~100 objects per paper, kept to the end (collector.py)
            return _parse(data)
    except _Conflict as conflict:
        raise LockError(f"lock {path} has an unresolved merge conflict ({conflict}): keep one side (`git checkout --ours {path}`, "
                        f"or --theirs) and run `prune2bib update`, which resolves the other side's new rows again") from None  # fmt: skip
    except _Problem as problem:
        raise LockError(f"lock {path} is broken: {problem} (restore it from version control, or delete it to resolve afresh)") from None


class _Problem(ValueError):
    pass


class _Conflict(_Problem):
    """Git's conflict markers: two co-authors' updates of the lock that git could not merge."""


# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
# A line git writes around the two sides of a conflict; never a line of a lock (JSON has no raw
# newline in a string, and every line of a lock starts with a space, a brace or a bracket).
_CONFLICT_MARKER = rb"(?m)^(?:<{7}|\|{7}|>{7})(?:[ \r].*)?$|^={7}\r?$"


def _conflict(data: bytes) -> _Conflict | None:
    marker = re.search(_CONFLICT_MARKER, data)
    if marker is None:
        return None
    line = data.count(b"\n", 0, marker.start()) + 1
    return _Conflict(f"line {line}: {marker.group().decode('utf-8', 'replace').strip()[:40]}")


def _parse(data: bytes) -> Lock:
    if not data.strip():
        raise _Problem("the file is empty")
    from .lock_decode import decoded  # (it reads this module's types)

    lock = decoded(data)  # one typed pass: a lock as prune2bib writes it
    return lock if lock is not None else parse_checked(data)


def parse_checked(data: bytes) -> Lock:
    """The reader that checks each field in turn and names the first problem (`_Problem`): for
    what the typed pass of `lock_decode` does not take. Both give the same Lock for any lock
    they both take (tests/test_lock_decode.py)."""
    try:
        top = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise _Problem(f"not UTF-8 text (byte {err.start})") from None
    except json.JSONDecodeError as err:
        raise _conflict(data) or _Problem(f"line {err.lineno} column {err.colno}: {err.msg}") from None
    if not isinstance(top, dict) or FORMAT_KEY not in top:
        raise _Problem(f'not a prune2bib lock (no "{FORMAT_KEY}" version field)')
    version = top[FORMAT_KEY]
    if version != VERSION:
        newer = isinstance(version, int) and version > VERSION
        raise _Problem(f"format version {version!r}" + (f" is newer than this prune2bib reads ({VERSION}); upgrade prune2bib" if newer else " is unknown"))
    prefer = top.get("prefer", "published")
    if prefer not in PREFER:
        raise _Problem(f'"prefer" must be one of {", ".join(PREFER)}')
    taxonomy = _taxonomy(top["taxonomy"]) if "taxonomy" in top else None
    papers = tuple(_paper(p, n) for n, p in enumerate(_list(top.get("papers", []), '"papers"'), 1))
    retired = tuple(_retired(r, n) for n, r in enumerate(_list(top.get("retired-keys", []), '"retired-keys"'), 1))
    seen: dict[str, str] = {}
    for key in [p.key for p in papers] + [r.key for r in retired]:
        if key.casefold() in seen:
            raise _Problem(f"key {key!r} appears twice (keys are compared without case, as BibTeX does)")
        seen[key.casefold()] = key
    return Lock(papers, retired, prefer, taxonomy)


def _taxonomy(item: Any) -> Taxonomy:
    obj = _dict(item, '"taxonomy"')
    codes = _list(obj.get("codes", []), '"taxonomy.codes"')
    names = _dict(obj.get("names", {}), '"taxonomy.names"')
    defined = _list(obj.get("defined", []), '"taxonomy.defined"')
    if not all(isinstance(c, str) for c in codes + defined) or not all(isinstance(v, str) for v in names.values()):
        raise _Problem('"taxonomy" must hold strings')
    return Taxonomy(tuple(codes), dict(names), frozenset(defined))


def _paper(item: Any, n: int) -> Paper:
    where = f"paper {n}"
    obj = _dict(item, where)
    key = _key(obj.get("key"), where)
    where = f"paper {n} ({key})"
    state = _choice(obj.get("key-state"), KEY_STATES, f'{where}: "key-state"')
    row = _row(_dict(obj.get("row"), f'{where}: "row"'), where)
    status = _choice(obj.get("status"), STATUSES, f'{where}: "status"')
    try:
        record = csl.to_record(obj.get("record"), key)
    except csl.RecordFormatError as err:
        raise _Problem(f"{where}: {err}") from None
    sources = []
    for name, value in _dict(obj.get("sources", {}), f'{where}: "sources"').items():
        field_name = csl.FIELD_OF.get(name)
        if field_name is None:
            raise _Problem(f"{where}: unknown field {name!r} in \"sources\"")
        src = _dict(value, f'{where}: source of {name!r}')
        sources.append((field_name, Source(_str(src.get("source"), f"{where}: source of {name!r}"), _str(src.get("fetched", ""), f"{where}: fetch date of {name!r}"))))
    return Paper(key, state, row, status, record, _str(obj.get("reason", ""), f'{where}: "reason"'),
                 _str(obj.get("checked", ""), f'{where}: "checked"'), tuple(sorted(sources, key=lambda s: _FIELD_ORDER[s[0]])))  # fmt: skip


_FIELD_ORDER = {f: i for i, f in enumerate(csl.FIELDS)}


def _row(obj: dict, where: str) -> Row:
    year = obj.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise _Problem(f'{where}: "row.year" must be an integer or null')
    types = _list(obj.get("types", []), f'{where}: "row.types"')
    if not all(isinstance(t, str) for t in types):
        raise _Problem(f'{where}: "row.types" must be a list of strings')
    return Row(
        title=_str(obj.get("title"), f'{where}: "row.title"'),
        link=_str(obj.get("link", ""), f'{where}: "row.link"'),
        year=year,
        venue=_str(obj.get("venue", ""), f'{where}: "row.venue"'),
        types=tuple(types),
        venue_note=_str(obj.get("venue-note", ""), f'{where}: "row.venue-note"'),
    )


def _retired(item: Any, n: int) -> Retired:
    obj = _dict(item, f"retired key {n}")
    key = _key(obj.get("key"), f"retired key {n}")
    state = _choice(obj.get("key-state", AUTHOR), KEY_STATES, f'retired key {key}: "key-state"')
    idents = _list(obj.get("identities", []), f'retired key {key}: "identities"')
    if not all(isinstance(i, str) for i in idents):
        raise _Problem(f'retired key {key}: "identities" must be a list of strings')
    return Retired(key, state, tuple(idents))


def _key(value: Any, where: str) -> str:
    key = _str(value, f'{where}: "key"')
    if not key or BAD_KEY.search(key):
        raise _Problem(f"{where}: {key!r} is not a usable citation key (no spaces, commas, braces, quotes, #, %, =, ~ or backslashes)")
    return key


def _dict(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise _Problem(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise _Problem(f"{where} must be a list")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise _Problem(f"{where} must be a string")
    return value


def _choice(value: Any, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise _Problem(f"{where} must be one of {', '.join(allowed)}, not {value!r}")
    return value

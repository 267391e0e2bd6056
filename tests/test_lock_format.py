"""The lock's format (project/lockfile.py, project/csl.py): lossless, deterministic, versioned;
a broken lock is one line naming the file and the problem, exit 6, and is left as it was; a
write interrupted between the temporary file and the rename leaves the old lock."""

from __future__ import annotations

import json
import os
from pathlib import Path

import msgspec.structs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from writer_records import ALL, FPGM, README_ONLY_WF

from prune2bib.cli import main
from prune2bib.errors import LockError
from prune2bib.project import csl, lockfile
from prune2bib.project.lockfile import AUTHOR, PINNED, PROVISIONAL, Lock, Paper, Retired, Row, Source
from prune2bib.record import RECORD_TYPES, CodeLink, Person, Record

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
people = st.builds(Person, text, text, text)
records = st.builds(
    Record,
    type=st.sampled_from(RECORD_TYPES),
    title=text,
    authors=st.lists(people, max_size=4).map(tuple),
    issued=st.lists(st.integers(-3000, 3000), max_size=3).map(tuple),
    container_title=text,
    page=text,
    doi=text,
    arxiv_id=text,
    venue_note=text,
    types=st.lists(text, max_size=3).map(tuple),
    code=st.lists(st.builds(CodeLink, text, text, text), max_size=2).map(tuple),
)


@given(records)
def test_every_record_survives_the_lock_unchanged(record):
    data = json.loads(json.dumps(csl.from_record(record), ensure_ascii=False))
    assert csl.to_record(data, record.id) == record


def test_every_record_field_has_a_lock_name_and_back():
    for name in csl.FIELDS:
        assert csl.FIELD_OF[csl.lock_name(name)] == name
    assert csl.FIELDS + ("id",) == Record.__struct_fields__  # readers zip FIELDS with a record's values
    assert csl.from_record(FPGM)["author"][0] == {"family": "He", "given": "Yang"}
    assert csl.from_record(FPGM)["issued"] == {"date-parts": [[2019]]}
    assert csl.from_record(FPGM)["DOI"] == "10.1109/CVPR.2019.00447"


def paper(record: Record, key: str, state: str = AUTHOR) -> Paper:
    row = Row(record.title, record.url, record.year, record.container_title_short, record.types, record.venue_note)
    sources = (("title", Source("dblp", "2025-01-02T03:04:05+00:00")), ("types", Source("readme")))
    return Paper(key, state, row, "resolved", record.with_(id=key), "", "2025-01-02T03:04:05+00:00", sources)


LOCK = Lock(
    papers=tuple(paper(r, f"k{n}", (AUTHOR, PROVISIONAL, PINNED)[n % 3]) for n, r in enumerate(ALL)),
    retired=(Retired("gone2019", AUTHOR, ("doi:10.0/gone", "title:gone|2019")),),
)


def test_the_lock_reads_back_as_written_and_renders_the_same_bytes_in_any_order():
    text_ = lockfile.render(LOCK)
    again = lockfile.parse(text_.encode())
    assert lockfile.render(again) == text_
    assert lockfile.render(Lock(LOCK.papers[::-1], LOCK.retired)) == text_  # sorted by key
    read = again.by_key()
    for p in LOCK.papers:
        assert read[p.key].record == p.record and read[p.key].row == p.row and read[p.key].key_state == p.key_state
        assert dict(read[p.key].sources)["title"] == Source("dblp", "2025-01-02T03:04:05+00:00")


def test_sources_edited_out_of_order_are_read_in_record_order():
    dblp, crossref = Source("dblp", "2025-01-02"), Source("crossref", "2025-01-03")
    sources = (("title", dblp), ("authors", dblp), ("page", crossref), ("doi", crossref))
    lock = Lock(tuple(msgspec.structs.replace(p, sources=sources) for p in LOCK.papers), LOCK.retired)
    data = json.loads(lockfile.render(lock))
    for paper_ in data["papers"]:
        paper_["sources"] = dict(reversed(list(paper_["sources"].items())))
    assert any(len(p["sources"]) > 1 for p in data["papers"])
    for read in (lockfile.parse, lockfile.parse_checked):  # the typed pass, and the checked reader
        shuffled = read(json.dumps(data).encode())
        assert [p.sources for p in shuffled.papers] == [sources] * len(LOCK.papers)


def test_the_lock_is_diff_friendly_one_field_a_line():
    text_ = lockfile.render(LOCK)
    assert text_.startswith('{\n  "prune2bib-lock": 1,\n') and text_.endswith("}\n")
    assert '\n        "DOI": "10.1109/CVPR.2019.00447",\n' in text_
    assert '\n        "title": {"source": "dblp", "fetched": "2025-01-02T03:04:05+00:00"}' in text_
    assert '"types": {"source": "readme"}' not in text_  # the list's own fields are not listed
    changed = Lock((paper(FPGM.with_(page="1-2"), "k0"),) + LOCK.papers[1:], LOCK.retired)
    diff = [(a, b) for a, b in zip(text_.splitlines(), lockfile.render(changed).splitlines()) if a != b]
    assert diff == [('        "page": "4340-4349",', '        "page": "1-2",')]


BROKEN = {
    "empty": (b"", "the file is empty"),
    "not json": (b'{"prune2bib-lock": 1, papers: []}', "line 1 column 23: Expecting property name"),
    "truncated": (lockfile.render(LOCK).encode()[:2000], "Unterminated string starting at"),
    "not a lock": (b'{"keys": {}}', 'not a prune2bib lock'),
    "newer format": (b'{"prune2bib-lock": 2, "papers": []}', "newer than this prune2bib reads"),
    "not utf-8": (b'{"prune2bib-lock": 1, "papers": [\xff]}', "not UTF-8"),
}


def hand_broken(change) -> bytes:
    data = json.loads(lockfile.render(LOCK))
    change(data)
    return json.dumps(data).encode()


HAND_BROKEN = {
    "bad key-state": (lambda d: d["papers"][0].update({"key-state": "frozen"}), '"key-state" must be one of provisional, author, pinned'),
    "key with a comma": (lambda d: d["papers"][0].update({"key": "a,b"}), "not a usable citation key"),
    "duplicate key": (lambda d: d["papers"][1].update({"key": d["papers"][0]["key"].upper()}), "appears twice"),
    "year as text": (lambda d: d["papers"][0]["row"].update({"year": "2019"}), '"row.year" must be an integer or null'),
    "unknown record field": (lambda d: d["papers"][0]["record"].update({"jornal": "x"}), "unknown record field 'jornal'"),
    "authors as text": (lambda d: d["papers"][0]["record"].update({"author": "He, Yang"}), "record field 'author': expected a list"),
    "bad status": (lambda d: d["papers"][0].update({"status": "done"}), '"status" must be one of'),
    "row not an object": (lambda d: d["papers"][0].update({"row": []}), '"row" must be an object'),
    "row without title": (lambda d: d["papers"][0]["row"].pop("title"), '"row.title" must be a string'),
    "venue as a number": (lambda d: d["papers"][0]["row"].update({"venue": 7}), '"row.venue" must be a string'),
    "types as text": (lambda d: d["papers"][0]["row"].update({"types": "F"}), '"row.types" must be a list'),
    "types of numbers": (lambda d: d["papers"][0]["row"].update({"types": [1]}), '"row.types" must be a list of strings'),
    "year as a boolean": (lambda d: d["papers"][0]["row"].update({"year": True}), '"row.year" must be an integer or null'),
    "reason as a list": (lambda d: d["papers"][0].update({"reason": []}), '"reason" must be a string'),
    "source of an unknown field": (lambda d: d["papers"][0]["sources"].update({"jornal": {"source": "dblp"}}), "unknown field 'jornal' in \"sources\""),
    "source as text": (lambda d: d["papers"][0]["sources"].update({"title": "dblp"}), "source of 'title' must be an object"),
    "source name missing": (lambda d: d["papers"][0]["sources"].update({"title": {"fetched": "2025-01-02"}}), "source of 'title' must be a string"),
    "fetch date as a number": (lambda d: d["papers"][0]["sources"].update({"title": {"source": "dblp", "fetched": 2025}}), "fetch date of 'title' must be a string"),
}


@pytest.mark.parametrize("data, problem", list(BROKEN.values()) + [(hand_broken(c), p) for c, p in HAND_BROKEN.values()],
                         ids=list(BROKEN) + list(HAND_BROKEN))  # fmt: skip
def test_a_broken_lock_is_one_line_exit_6_and_left_as_it_was(tmp_path, data, problem):
    lock = tmp_path / "prune2bib.lock"
    lock.write_bytes(data)
    readme = tmp_path / "README.md"
    readme.write_text("### 2021\n| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n| [A Paper](https://arxiv.org/abs/2101.00001) | arXiv | `F` | - |\n")
    result = CliRunner().invoke(main, ["export", "--no-resolve", "--readme", str(readme), "-o", str(tmp_path / "refs.bib")])
    assert result.exit_code == 6
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"prune2bib: lock {lock} is broken: ") and problem in line
    assert lock.read_bytes() == data and not (tmp_path / "refs.bib").exists()


def conflicted(lines: list[str], where: int, ours: list[str], theirs: list[str]) -> bytes:
    """The lock as git leaves it when a merge could not reconcile two sides of `lines[where]`."""
    block = ["<<<<<<< HEAD", *ours, "=======", *theirs, ">>>>>>> 2850be138935523b6a67afbdae4769c687946caa"]
    return "\n".join(lines[:where] + block + lines[where + 1 :]).encode() + b"\n"


def test_a_lock_git_could_not_merge_says_so_in_one_line(tmp_path):
    lines = lockfile.render(LOCK).splitlines()
    where = next(n for n, line in enumerate(lines) if '"checked"' in line)
    data = conflicted(lines, where, [lines[where]], [lines[where].replace("2025-01-02", "2025-01-03")])
    lock = tmp_path / "prune2bib.lock"
    lock.write_bytes(data)
    for args in (["export", "--frozen", "-o", str(tmp_path / "refs.bib")], ["update", "--no-resolve", "-o", str(tmp_path / "refs.bib")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 6
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"prune2bib: lock {lock} has an unresolved merge conflict (line {where + 1}: <<<<<<< HEAD): ")
        assert f"`git checkout --ours {lock}`" in line and "`prune2bib update`" in line
        assert lock.read_bytes() == data and not (tmp_path / "refs.bib").exists()
    # a conflict git wrote with CRLF line ends, or in diff3 style, is named the same way
    crlf = conflicted(lines, where, [lines[where]], []).replace(b"\n", b"\r\n")
    with pytest.raises(LockError, match=rf"merge conflict \(line {where + 1}: <<<<<<< HEAD\)"):
        lockfile.parse(crlf)
    diff3 = lockfile.render(LOCK).replace("\n  ],\n", "\n  ],\n||||||| merged common ancestors\n=======\n", 1).encode()
    with pytest.raises(LockError, match=r"merge conflict \(line \d+: \|\|\|\|\|\|\| merged common ancestors\)"):
        lockfile.parse(diff3)


def test_two_coauthors_adding_different_papers_merge_with_git_without_a_conflict(tmp_path):
    import subprocess

    def with_paper(record: Record, key: str) -> str:
        return lockfile.render(Lock(LOCK.papers + (paper(record, key),), LOCK.retired))

    base, ours, theirs = tmp_path / "base.lock", tmp_path / "ours.lock", tmp_path / "theirs.lock"
    base.write_text(lockfile.render(LOCK), encoding="utf-8")
    ours.write_text(with_paper(FPGM.with_(title="Another Paper", doi="10.0/a"), "a2024another"), encoding="utf-8")
    theirs.write_text(with_paper(FPGM.with_(title="Yet Another", doi="10.0/b"), "k2b"), encoding="utf-8")
    merged = subprocess.run(["git", "merge-file", "-p", ours, base, theirs], capture_output=True)
    assert merged.returncode == 0, merged.stdout.decode()  # 0: no conflict
    keys = {p.key for p in lockfile.parse(merged.stdout).papers}
    assert keys == {p.key for p in LOCK.papers} | {"a2024another", "k2b"}


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_lock_is_reported_not_read(tmp_path, fraction):
    full = lockfile.render(LOCK).encode()
    with pytest.raises(LockError, match=r"^lock .*prune2bib.lock is broken: line \d+ column \d+: "):
        lockfile.parse(full[: int(len(full) * fraction)], tmp_path / "prune2bib.lock")


def test_a_write_interrupted_before_the_rename_leaves_the_old_lock(tmp_path, monkeypatch):
    (tmp_path / "project").mkdir()
    path = tmp_path / "project" / "prune2bib.lock"
    lockfile.write(path, LOCK)
    old = path.read_bytes()

    def killed(src, dst):  # the process dies between writing the temporary file and the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(lockfile.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        lockfile.write(path, Lock(LOCK.papers[:2]))
    assert path.read_bytes() == old
    assert sorted(p.name for p in path.parent.iterdir()) == ["prune2bib.lock"]  # no temporary file left


def test_temporary_files_of_killed_writers_are_removed_by_the_next_write(tmp_path):
    import fcntl

    (tmp_path / "project").mkdir()
    path = tmp_path / "project" / "prune2bib.lock"
    dead = path.with_name(".prune2bib.lock.4242.0badf00d.tmp")  # its writer was killed
    dead.write_text('{"prune2bib-lock": 1, "pap')
    alive = path.with_name(".prune2bib.lock.4343.0badf00d.tmp")  # a writer still at work holds it
    alive.write_text("{")
    with open(alive, "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        lockfile.write(path, LOCK)
    assert not dead.exists() and alive.exists()


def test_an_unchanged_lock_is_not_rewritten(tmp_path):
    path = tmp_path / "prune2bib.lock"
    assert lockfile.write(path, LOCK) is True
    os.utime(path, (1, 1))
    assert lockfile.write(path, LOCK) is False and path.stat().st_mtime == 1


def test_a_new_lock_gets_ordinary_permissions(tmp_path):
    path = tmp_path / "prune2bib.lock"
    lockfile.write(path, LOCK)
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o640)
    lockfile.write(path, Lock(LOCK.papers[:1]))
    assert path.stat().st_mode & 0o777 == 0o640


# A child that rewrites one big lock in a loop, alternating two versions, until it is killed.
REWRITER = """
import sys
from prune2bib.project import lockfile
path, versions = sys.argv[1], [open(p, encoding="utf-8").read() for p in sys.argv[2:]]
print("ready", flush=True)
n = 0
while True:
    lockfile.write_atomic(path, versions[n % 2])
    n += 1
"""


@pytest.mark.slow
def test_sigkill_while_writing_the_lock_leaves_a_whole_lock(tmp_path):
    import random
    import signal
    import subprocess
    import sys
    import time

    big = Lock(tuple(paper(r.with_(title=f"{r.title} {n}"), f"k{n}x{i}") for n in range(40) for i, r in enumerate(ALL)))
    versions = [tmp_path / "a.lock", tmp_path / "b.lock"]
    versions[0].write_text(lockfile.render(big), encoding="utf-8")
    versions[1].write_text(lockfile.render(Lock(big.papers[::2])), encoding="utf-8")
    wanted = {v.read_bytes() for v in versions}
    (tmp_path / "project").mkdir()
    path = tmp_path / "project" / "prune2bib.lock"
    path.write_bytes(versions[0].read_bytes())
    rng = random.Random(9)
    for _ in range(25):
        child = subprocess.Popen([sys.executable, "-c", REWRITER, str(path), *map(str, versions)], stdout=subprocess.PIPE)
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert path.read_bytes() in wanted, "a killed write left a partial lock"
        lockfile.read(path)  # and it reads
    # The next write removes what killed writers left. A lock equal to the one on disk is not
    # rewritten (so nothing is cleaned): write one that differs from both versions, or the last
    # killed writer's version decides whether this line is reached with leftovers in place.
    lockfile.write(path, Lock(big.papers[1::2]))
    assert [p.name for p in path.parent.iterdir()] == ["prune2bib.lock"]  # leftovers of the killed writers removed


@pytest.mark.parametrize(
    "output, split, lock, where",
    [
        (None, None, None, "prune2bib.lock"),  # stdout: the current directory
        ("refs.bib", None, None, "prune2bib.lock"),
        ("paper/refs.json", None, None, "paper/prune2bib.lock"),
        (None, "paper/by-type", None, "paper/prune2bib.lock"),  # beside the folder, not in it
        ("paper/refs.bib", None, "ci/survey.lock", "ci/survey.lock"),
    ],
)
def test_where_the_lock_lives(output, split, lock, where):
    from prune2bib.project import lock_path

    as_path = lambda p: Path(p) if p else None  # noqa: E731
    assert lock_path(as_path(output), as_path(split), as_path(lock)) == Path(where)


def test_the_lists_taxonomy_is_kept():
    from prune2bib.taxonomy import Taxonomy

    taxonomy = Taxonomy(("Q", "S", "X"), {"Q": "quantisation", "S": "sparsity"}, frozenset({"Q", "S"}))
    lock = Lock(LOCK.papers, LOCK.retired, taxonomy=taxonomy)
    text_ = lockfile.render(lock)
    assert '  "taxonomy": {\n    "codes": ["Q", "S", "X"],\n    "names": {"Q": "quantisation", "S": "sparsity"},\n    "defined": ["Q", "S"]\n  },\n' in text_
    again = lockfile.parse(text_.encode())
    assert again.taxonomy == taxonomy and again.same_as(lock) and not again.same_as(LOCK)

"""Output paths (issue 10 point 9, issue 12 point 6): every path the export writes is checked before
the README is read or any service asked; a bad one is one line `prune2bib: cannot write …`, exit 2,
no traceback, no request, and nothing created. `--split` removes only stale files it wrote."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

import bibtexparser
import pytest

from clirun import as_unprivileged, assert_one_line_error, run_cli, tree
from conftest import UPSTREAM
from fakeserver import FakeServer, Reply
from prune2bib import outputs, pipeline

SERVICES = ("ARXIV", "CROSSREF", "OPENREVIEW", "OPENREVIEW2", "DBLP", "WEB")


@pytest.fixture
def work(tmp_path):
    """An empty directory of the test's own: what a failed run must leave empty or unchanged."""
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture
def services(monkeypatch):
    """Every service and the README on one local server that counts requests; resolution
    itself raises if it is ever reached."""
    with FakeServer() as fake:
        fake.script("/README.md", Reply(200, UPSTREAM.read_text(encoding="utf-8")))
        for name in SERVICES:
            monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", fake.url)
        monkeypatch.setenv("PRUNE2BIB_README_URL", fake.url + "/README.md")

        def never(*args, **kwargs):
            raise AssertionError("resolution reached with an unwritable output path")

        monkeypatch.setattr(pipeline, "resolve_rows", never)
        yield fake


def furnish(tmp: Path) -> None:
    (tmp / "file.bib").write_text("not a directory\n")
    (tmp / "folder.bib").mkdir()


# id -> (options under the work directory `t`, what the message says)
BAD_PATHS = {
    "-o missing dir": lambda t: (["-o", t / "missing" / "refs.bib"], f"directory {t / 'missing'} does not exist"),
    "-o /proc": lambda t: (["-o", "/proc/refs.bib"], "directory /proc: it does not accept new files"),
    "-o /sys": lambda t: (["-o", "/sys/refs.bib"], "directory /sys:"),
    "-o is a directory": lambda t: (["-o", t / "folder.bib"], "it is a directory"),
    "-o under a file": lambda t: (["-o", t / "file.bib" / "refs.bib"], "is not a directory"),
    "--split missing parent": lambda t: (["--split", t / "missing" / "groups"], "does not exist"),
    "--split /proc": lambda t: (["--split", "/proc/groups"], "does not accept new files"),
    "--split is a file": lambda t: (["--split", t / "file.bib"], "it is not a directory"),
    "--report missing dir": lambda t: (["--report", t / "missing" / "rows.jsonl"], "does not exist"),
    "--report /proc": lambda t: (["--report", "/proc/rows.jsonl"], "does not accept new files"),
    "--report is a directory": lambda t: (["--report", t / "folder.bib"], "it is a directory"),
    "--lock missing dirs": lambda t: (["--lock", t / "missing" / "deeper" / "prune2bib.lock"], "does not exist"),
    "--lock /proc": lambda t: (["--lock", "/proc/prune2bib.lock"], "does not accept new files"),
    "--lock is a directory": lambda t: (["--lock", t / "folder.bib"], "it is a directory"),
}


@pytest.mark.parametrize("case", BAD_PATHS)
@pytest.mark.parametrize("readme", ["--readme URL", "default README"])
def test_bad_output_path_is_one_line_before_any_request(case, readme, services, work):
    furnish(work)
    options, says = BAD_PATHS[case](work)
    before = tree(work)
    args = ["export", *options] + (["--readme", services.url + "/README.md"] if readme == "--readme URL" else [])
    line = assert_one_line_error(run_cli(*args), 2, "prune2bib: cannot write")
    assert says in line
    assert services.log == []  # neither the README nor any service was asked
    assert tree(work) == before  # nothing created: no directory, no temporary file


def test_default_lock_in_a_working_directory_that_cannot_be_written(services, monkeypatch):
    """Output on stdout: the lock goes in the current directory, checked like any output."""
    monkeypatch.chdir("/proc")
    line = assert_one_line_error(run_cli("export", "-f", "bibtex"), 2, "prune2bib: cannot write prune2bib.lock (the lock")
    assert "directory /proc: it does not accept new files" in line
    assert services.log == []


def test_missing_key_file_to_read_is_one_line_before_any_request(services, work):
    line = assert_one_line_error(run_cli("export", "--keys", work / "nope" / "keys.json", "-o", work / "refs.bib"))
    assert line == f"prune2bib: --keys {work / 'nope' / 'keys.json'}: there is no such key file"
    assert services.log == [] and tree(work) == set()
def test_a_lock_beside_an_output_that_cannot_hold_it(services, work):
    # -o names a writable file, but the lock beside it cannot be written: refused before any work.
    (work / "refs.bib").write_text("")
    (work / "prune2bib.lock").mkdir()
    line = assert_one_line_error(run_cli("export", "-o", work / "refs.bib"), 2, "prune2bib: cannot write")
    assert f"{work / 'prune2bib.lock'} (the lock, --lock): it is a directory" in line
    assert services.log == []


@pytest.mark.parametrize("command", [["export", "-o", "{tmp}/refs.bib"], ["check", "--resolve"]])
def test_cache_location_that_cannot_be_written_stops_before_any_request(command, services, monkeypatch, work):
    (work / "file").write_text("")
    monkeypatch.setenv("PRUNE2BIB_CACHE_DIR", str(work / "file" / "cache"))
    line = assert_one_line_error(run_cli(*[c.format(tmp=work) for c in command]), 5, "prune2bib: cannot write")
    assert "PRUNE2BIB_CACHE_DIR" in line and "is not a directory" in line
    assert services.log == [] and tree(work) == {"file"}


def test_an_export_writes_the_output_and_its_lock_and_nothing_else(work, tmp_path):
    before = tree(tmp_path)
    result = run_cli("export", "--no-resolve", "--readme", UPSTREAM, "--year", "2016", "-o", work / "refs.bib")
    assert result.exit_code == 0, result.stderr
    assert tree(tmp_path) - before == {"work/refs.bib", "work/prune2bib.lock"}  # no data dir, no temporary file
def test_the_data_dir_is_not_written_the_lock_lands_beside_the_output(monkeypatch, work):
    """Keys live in the lock beside the output, not in the user data dir (nothing created there)."""
    monkeypatch.setenv("PRUNE2BIB_DATA_DIR", str(work / "a" / "b"))
    result = run_cli("export", "--no-resolve", "--readme", UPSTREAM, "--year", "2015", "-o", work / "refs.bib")
    assert result.exit_code == 0, result.stderr
    assert not (work / "a").exists() and (work / "prune2bib.lock").is_file()


def test_unreadable_key_file_is_refused_before_any_request(services, work):
    keys = work / "keys.json"
    keys.write_text("{not json")
    line = assert_one_line_error(run_cli("export", "--keys", keys, "-o", work / "refs.bib"), 2)
    assert "key file" in line and str(keys) in line
    assert services.log == []


def test_two_options_naming_one_file(services, work):
    target = work / "refs.bib"
    line = assert_one_line_error(run_cli("export", "-o", target, "--report", target))
    assert line == f"prune2bib: -o and --report name the same file {target}"
    assert services.log == [] and not target.exists()


def _export_into_read_only_dir(readme: str, target: str) -> tuple[int, str, str]:
    result = run_cli("export", "--no-resolve", "--readme", "-", "-o", target, input=readme)
    return result.exit_code, result.stdout, result.stderr


def test_read_only_directory(work):
    # A world-traversable directory (the unprivileged user must reach it), read-only itself.
    base = Path(tempfile.mkdtemp(prefix="prune2bib-ro-"))
    try:
        os.chmod(base, 0o755)
        readonly = base / "ro"
        readonly.mkdir()
        os.chmod(readonly, stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        code, stdout, stderr = as_unprivileged(_export_into_read_only_dir, UPSTREAM.read_text(), str(readonly / "refs.bib"))
        assert code == 2 and stdout == ""
        assert stderr == f"prune2bib: cannot write {readonly / 'refs.bib'} (-o): directory {readonly}: permission denied\n"
        assert list(readonly.iterdir()) == []
    finally:
        os.chmod(base / "ro", 0o755)
        for path in sorted(base.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        base.rmdir()


# ------------------------------------------------------------------ writing


def export(*args):
    return run_cli("export", "--no-resolve", "--readme", UPSTREAM, *args)


def test_dash_is_stdout_and_no_file_named_dash(work, monkeypatch):
    monkeypatch.chdir(work)
    result = export("--year", "2016", "-o", "-", "-f", "bibtex")
    assert result.exit_code == 0, result.stderr
    assert len(bibtexparser.parse_string(result.stdout).entries) == 3
    assert not (work / "-").exists() and tree(work) == {"prune2bib.lock"}  # stdout: the lock in the current directory
    assert result.stderr.splitlines()[-1].endswith("; 3 entries written to stdout")


def test_summary_says_how_many_entries_were_written(work):
    out = work / "refs.ris"
    result = export("--type", "S", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"prune2bib: 13 rows, 13 readme (13× not resolved (README data only)); 13 entries written to {out}"
    assert out.read_text().count("TY  - ") == 13


def test_one_row_is_counted_in_the_singular(work):
    out = work / "refs.bib"
    result = export("--year", "2015", "-o", out)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-2:] == [f"prune2bib: {work / 'prune2bib.lock'} is new: 1 paper",
                          f"prune2bib: 1 row, 1 readme (1× not resolved (README data only)); 1 entry written to {out}"]  # fmt: skip


def test_output_keeps_an_ordinary_file_mode(work):
    out = work / "refs.bib"
    old = os.umask(0o022)
    try:
        export("--year", "2015", "-o", out)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not the 0600 of a temporary file
    assert stat.S_IMODE((work / "prune2bib.lock").stat().st_mode) == 0o644  # the lock beside it too
    assert sorted(p.name for p in work.iterdir()) == ["prune2bib.lock", "refs.bib"]  # no temporary file left


def test_split_writes_a_manifest_and_removes_its_own_stale_files(work):
    groups = work / "groups"
    first = export("--split", groups, "-f", "ris")
    assert first.exit_code == 0, first.stderr
    assert sorted(p.name for p in groups.iterdir()) == [outputs.MANIFEST_NAME, "F.ris", "Other.ris", "S.ris", "W.ris"]
    mine = groups / "notes.txt"
    mine.write_text("the user's own file\n")
    (groups / "F.bib").write_text("a .bib the user keeps here\n")  # same name a later run writes
    second = export("--split", groups, "-f", "bibtex", "--type", "S")
    assert second.exit_code == 0, second.stderr
    names = sorted(p.name for p in groups.iterdir())
    # The four .ris files were written by the first run: stale now, removed. S.bib is new;
    # F.bib and notes.txt were never written by prune2bib and stay.
    assert names == [outputs.MANIFEST_NAME, "F.bib", "S.bib", "notes.txt"]
    assert mine.read_text() == "the user's own file\n"
    assert second.stderr.splitlines()[-1].endswith(
        f"13 entries written to 1 file in {groups}; removed 4 stale: F.ris, Other.ris, S.ris, W.ris"
    )
    manifest = json.loads((groups / outputs.MANIFEST_NAME).read_text())
    assert sorted(manifest["files"]) == ["S.bib"]


def test_split_keeps_a_stale_file_edited_since(work):
    groups = work / "groups"
    export("--split", groups, "--type", "S", "--type", "W")
    (groups / "W.bib").write_text("edited by hand\n")
    result = export("--split", groups, "--type", "S")
    assert result.exit_code == 0, result.stderr
    assert (groups / "W.bib").read_text() == "edited by hand\n"
    assert f"prune2bib: kept {groups / 'W.bib'}: an earlier run wrote it, but it was edited since" in result.stderr


def test_split_manifest_cannot_point_outside_its_directory(work):
    groups, outside = work / "groups", work / "precious.bib"
    groups.mkdir()
    outside.write_text("x")
    digest = outputs._digest(b"x")
    (groups / outputs.MANIFEST_NAME).write_text(json.dumps({"version": 1, "files": {"../precious.bib": digest, str(outside): digest}}))
    assert export("--split", groups, "--type", "S").exit_code == 0
    assert outside.read_text() == "x"


def test_split_creates_the_named_directory_only(work):
    result = export("--split", work / "new", "--type", "S")
    assert result.exit_code == 0, result.stderr
    assert (work / "new" / "S.bib").is_file()


def test_a_symbolic_link_is_written_through(work):
    target, link = work / "paper" / "refs.bib", work / "refs.bib"
    target.parent.mkdir()
    target.write_text("old\n")
    link.symlink_to(target)
    assert export("--year", "2016", "-o", link).exit_code == 0
    assert link.is_symlink() and "@" in target.read_text()


def test_a_symbolic_link_into_a_missing_directory_is_refused(work):
    link = work / "refs.bib"
    link.symlink_to(work / "gone" / "refs.bib")
    line = assert_one_line_error(export("--year", "2016", "-o", link))
    assert f"directory {work / 'gone'} does not exist" in line

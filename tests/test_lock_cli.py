"""The lock from the command line, in-process: the old key file taken over once (with a message,
then renamed), `--keys FILE`, `keys list/pin/unpin`, the lock's rows when the upstream list cannot be
read, option conflicts, and the lock left untouched by a warm run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from clirun import assert_one_line_error, run_cli

from conftest import UPSTREAM

FPGM_LINK = "arxiv:1811.00250"  # "Filter Pruning via Geometric Median …", CVPR 2019 in the list


def export(*args):
    return run_cli("export", "--no-resolve", "--readme", UPSTREAM, "--year", "2019", *args)


def lock_keys(path: Path) -> dict[str, str]:
    return {p["identity"]["link"]: p["key"] for p in json.loads(path.read_text())["papers"]}


def test_the_old_key_file_is_taken_over_once_and_renamed(tmp_path):
    data = Path(os.environ["PRUNE2BIB_DATA_DIR"])
    data.mkdir()
    (data / "citekeys.json").write_text(json.dumps({"version": 1, "keys": {"hefpgm": [FPGM_LINK], "unrelated2023": ["doi:10.0/x"]}}))
    first = export("-o", tmp_path / "a" / "refs.bib") if (tmp_path / "a").mkdir() is None else None
    assert first.exit_code == 0, first.stderr
    assert f"took 1 citation key(s) from {data / 'citekeys.json'} (renamed citekeys.json.migrated); keys now live in {tmp_path / 'a' / 'prune2bib.lock'}" in first.stderr
    assert lock_keys(tmp_path / "a" / "prune2bib.lock")[FPGM_LINK] == "hefpgm"
    assert not (data / "citekeys.json").exists() and (data / "citekeys.json.migrated").is_file()
    # a second project on this machine does not inherit the machine's keys ...
    (tmp_path / "b").mkdir()
    second = export("-o", tmp_path / "b" / "refs.bib")
    assert "took" not in second.stderr and lock_keys(tmp_path / "b" / "prune2bib.lock")[FPGM_LINK] != "hefpgm"
    # ... unless asked to, with --keys, for the rows its lock does not hold yet
    (tmp_path / "b" / "prune2bib.lock").unlink()
    third = export("-o", tmp_path / "b" / "refs.bib", "--keys", data / "citekeys.json.migrated")
    assert "took 1 citation key(s)" in third.stderr and "renamed" not in third.stderr
    assert lock_keys(tmp_path / "b" / "prune2bib.lock")[FPGM_LINK] == "hefpgm"
    assert (data / "citekeys.json.migrated").is_file()  # a file named with --keys is only read


def test_keys_list_pin_unpin(tmp_path):
    assert export("-o", tmp_path / "refs.bib").exit_code == 0
    lock = tmp_path / "prune2bib.lock"
    key = lock_keys(lock)[FPGM_LINK]
    listed = run_cli("keys", "list", "--lock", lock)
    assert listed.exit_code == 0 and f"{key:<28} provisional" in listed.stdout
    assert run_cli("keys", "pin", key, "--lock", lock).exit_code == 0
    assert f"{key:<28} pinned" in run_cli("keys", "list", "--lock", lock).stdout
    assert run_cli("keys", "unpin", key, "--lock", lock).exit_code == 0
    assert f"{key:<28} provisional" in run_cli("keys", "list", "--lock", lock).stdout
    line = assert_one_line_error(run_cli("keys", "pin", "nosuchkey", "--lock", lock), 2)
    assert "no paper in the lock has the key 'nosuchkey'" in line
    assert_one_line_error(run_cli("keys", "list", "--lock", tmp_path / "none.lock"), 2, "prune2bib: there is no lock at")


def test_without_the_upstream_list_the_locks_rows_stand_in(tmp_path, monkeypatch):
    assert export("-o", tmp_path / "refs.bib").exit_code == 0
    lock = tmp_path / "prune2bib.lock"
    offline = run_cli("export", "--no-resolve", "-o", tmp_path / "again.bib")  # offline: not even tried
    assert offline.exit_code == 0, offline.stderr
    assert offline.stderr.splitlines()[0] == f"prune2bib: reading the rows recorded in {lock}"
    assert (tmp_path / "again.bib").read_bytes() == (tmp_path / "refs.bib").read_bytes()
    # Online, the upstream list unreachable: the lock's rows, not the bundled snapshot's. (Its
    # entries are made final by hand, as a reviewer may, so that no service is asked about them.)
    lock.write_text(lock.read_text().replace('"status": "readme"', '"status": "resolved"'))
    monkeypatch.setenv("PRUNE2BIB_README_URL", "http://127.0.0.1:9/README.md")  # nothing listens there
    online = run_cli("export", "-o", tmp_path / "again.bib")
    assert online.exit_code == 0, online.stderr
    assert online.stderr.startswith(f"prune2bib: reading the rows recorded in {lock} (http://127.0.0.1:9/README.md could not be used: ")
    assert online.stderr.splitlines()[-1].startswith("prune2bib: 30 rows, 30 locked")


def test_a_warm_run_leaves_the_lock_file_alone(tmp_path):
    assert export("-o", tmp_path / "refs.bib").exit_code == 0
    lock = tmp_path / "prune2bib.lock"
    os.utime(lock, ns=(1, 1))
    frozen = run_cli("export", "--frozen", "-o", tmp_path / "refs.bib")
    assert frozen.exit_code == 0, frozen.stderr
    assert lock.stat().st_mtime_ns == 1  # --frozen writes no lock
    # The README-only rows are not final: resolved again (README data only), with the same answer,
    # so the lock keeps its bytes, dates included.
    again = export("-o", tmp_path / "refs.bib")
    assert again.exit_code == 0 and lock.stat().st_mtime_ns == 1


def test_frozen_writes_no_lock_even_when_the_list_differs_from_it(tmp_path):
    # A co-author's copy of the list lacks a row and has moved another to F: the outputs follow the
    # list; the lock is the project's and is not the co-author's to change.
    assert export("-o", tmp_path / "refs.bib").exit_code == 0
    lock = tmp_path / "prune2bib.lock"
    before = lock.read_bytes()
    os.utime(lock, ns=(1, 1))
    text = UPSTREAM.read_bytes().decode("utf-8")
    lines = text.split("\n")
    gone = next(n for n, line in enumerate(lines) if "[Variational Convolutional Neural Network Pruning]" in line)
    moved = next(n for n, line in enumerate(lines) if "[The Lottery Ticket Hypothesis: Finding Sparse" in line)
    lines[moved] = lines[moved].replace("`W`", "`F`")
    del lines[gone]
    (tmp_path / "theirs.md").write_text("\n".join(lines), encoding="utf-8")
    frozen = run_cli("export", "--frozen", "--readme", tmp_path / "theirs.md", "--year", "2019", "-o", tmp_path / "frozen.bib")
    assert frozen.exit_code == 0, frozen.stderr
    assert frozen.stderr.splitlines()[-1].endswith("29 entries written to " + str(tmp_path / "frozen.bib"))
    assert lock.read_bytes() == before and lock.stat().st_mtime_ns == 1
    assert "Variational Convolutional" not in (tmp_path / "frozen.bib").read_text()


@pytest.mark.parametrize(
    "args, says",
    [
        (["--no-lock", "--frozen"], "--no-lock reads and writes no lock; it cannot be combined with --frozen"),
        (["--no-lock", "--lock", "x.lock"], "cannot be combined with --lock"),
        (["--frozen", "--refresh"], "--frozen asks no service and --refresh asks them all again"),
        (["--frozen", "--readme", "https://example.org/README.md"], "--frozen reads no network"),
    ],
)
def test_lock_options_that_cannot_go_together(args, says, tmp_path):
    (tmp_path / "prune2bib.lock").write_text('{"prune2bib-lock": 1, "papers": []}')
    line = assert_one_line_error(run_cli("export", "-o", tmp_path / "refs.bib", *args), 2)
    assert says in line
    assert not (tmp_path / "refs.bib").exists()


def test_update_refuses_frozen_and_no_lock(tmp_path):
    for flag in ("--frozen", "--no-lock"):
        line = assert_one_line_error(run_cli("update", flag, "-o", tmp_path / "refs.bib"), 2)
        assert "update works on the lock" in line


def test_frozen_from_the_lock_alone_keeps_another_lists_own_taxonomy(tmp_path):
    # D-X-Y/Awesome-AutoDL's own legend: G gradient-based, RL reinforcement learning, … — the
    # lock records it, so the lock's rows alone give the same groups and tags.
    from conftest import DATA

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    autodl = DATA / "lists" / "D-X-Y-Awesome-AutoDL.md"
    first = run_cli("export", "--no-resolve", "--readme", autodl, "-o", tmp_path / "a" / "autodl.ris")
    assert first.exit_code == 0, first.stderr
    taxonomy = json.loads((tmp_path / "a" / "prune2bib.lock").read_text())["taxonomy"]
    assert taxonomy["codes"][:2] == ["G", "RL"] and taxonomy["names"]["RL"] == "reinforcement learning"
    (tmp_path / "b" / "prune2bib.lock").write_bytes((tmp_path / "a" / "prune2bib.lock").read_bytes())
    frozen = run_cli("export", "--frozen", "-o", tmp_path / "b" / "autodl.ris")
    assert frozen.exit_code == 0, frozen.stderr
    assert (tmp_path / "b" / "autodl.ris").read_bytes() == (tmp_path / "a" / "autodl.ris").read_bytes()
    assert "KW  - reinforcement learning" in (tmp_path / "b" / "autodl.ris").read_text()


def test_a_failure_recorded_in_the_lock_is_not_this_runs(tmp_path):
    # --frozen asks nothing: a row whose entry says a service was unreachable then (not final, so
    # an ordinary export would ask again) is written as recorded, and the run is not "exit 4".
    from prune2bib.http import UNREACHABLE

    assert export("-o", tmp_path / "refs.bib").exit_code == 0
    lock = tmp_path / "prune2bib.lock"
    data = json.loads(lock.read_text())
    for paper in data["papers"]:
        paper["status"], paper["reason"] = "failed", f"dblp {UNREACHABLE}: connection refused; not asked again this run"
    lock.write_text(json.dumps(data))
    frozen = run_cli("export", "--frozen", "-o", tmp_path / "frozen.bib")
    assert frozen.exit_code == 0, frozen.stderr
    assert "no service could be reached" not in frozen.stderr

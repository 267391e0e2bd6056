"""The bibliography as a project (issue 9), end to end against the local service simulator:

- `update` after the list changed (2 rows added, 1 retitled, 1 removed, 1 moved to another type)
  asks the services only about the new and the retitled rows (counted on the simulator, with an
  empty cache), prints each change, and leaves every other key as it was;
- a README-only key becomes the author key once authors arrive, with a printed notice; a pinned key
  does not; an author key never changes afterwards (retitles, inserted rows);
- only the lock, copied to a fresh directory with empty cache and data dirs and every service
  unreachable: `export --frozen` gives byte-identical .bib, .json and .ris;
- `--frozen` with a row the lock does not cover: one line, exit 7, nothing written.

The CLI runs in this process on a fake clock shared with the simulator (pacing is not under test
here: no real wait), every service URL on the simulator or on a closed loopback port. The
`--frozen` exports from the lock alone run as child processes (`python -m prune2bib`): a fresh
interpreter with an empty cache and data dir, as on a co-author's machine, so nothing held in
memory by the run that wrote the lock can stand in for it.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import UPSTREAM
from fakeserver import FakeClock
from prune2bib.readme import load_readme_text, parse_readme
from simulator import Dataset, Simulator, readmes, words
from simulator.child import child_env, command
from simulator.inprocess import Done, cli_env, on_fake_clock, run

FULL_TEXT = load_readme_text(UPSTREAM.read_bytes())
SMALL_TEXT = readmes.per_kind(FULL_TEXT, 2)  # 18 rows, every link kind


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """The fake clock the CLI's HTTP layer and the test's simulators share."""
    clock = FakeClock()
    on_fake_clock(monkeypatch, clock)
    return clock


def run_child(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """`python -m prune2bib *args` in a fresh process (env: simulator.child.child_env)."""
    return subprocess.run([*command(env), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def ok(done: Done | subprocess.CompletedProcess) -> Done | subprocess.CompletedProcess:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def lock_keys(lock: Path) -> dict[str, str]:
    """{row title: key} from a lock."""
    return {p["row"]["title"]: p["key"] for p in json.loads(lock.read_text(encoding="utf-8"))["papers"]}


def lock_states(lock: Path) -> dict[str, str]:
    return {p["key"]: p["key-state"] for p in json.loads(lock.read_text(encoding="utf-8"))["papers"]}


@functools.cache  # read only; called per row of a list by the filters below
def entries(text: str):
    return {e.title: e for e in parse_readme(text)}


def edit_row(text: str, title: str, old: str, new: str) -> str:
    """Replace `old` by `new` in the one line that holds the row titled `title`."""
    lines = text.split("\n")
    (n,) = [i for i, line in enumerate(lines) if f"[{title}]" in line]
    assert old in lines[n]
    lines[n] = lines[n].replace(old, new, 1)
    return "\n".join(lines)


def project(tmp_path: Path, name: str, text: str) -> tuple[Path, Path]:
    work = tmp_path / name
    work.mkdir()
    readme = work / "README.md"
    readme.write_text(text, encoding="utf-8")
    return work, readme


# ---------------------------------------------------------------------- update


def changed_list(text: str) -> tuple[str, dict[str, str]]:
    """The small list with 2 rows added, 1 retitled, 1 removed, 1 moved from W to F."""
    small = entries(text)
    full = parse_readme(FULL_TEXT)
    added = [e for e in full if e.title not in small and e.venue in ("CVPR", "ICLR")][:2]
    keep = set(small) | {e.title for e in added}
    changed = readmes.subset(FULL_TEXT, lambda _i, e: e.title in keep and e.title != "FedDUAP: Federated Learning with Dynamic Update and Adaptive Pruning Using Shared Data on the Server")
    retitled = "On the Predictability of Pruning Across Scales"
    changed = edit_row(changed, retitled, f"[{retitled}]", f"[{retitled} and Depths]")
    changed = edit_row(changed, "The Elastic Lottery Ticket Hypothesis", "`W`", "`F`")
    return changed, {"added": [e.title for e in added], "retitled": retitled, "removed": "FedDUAP"}


def asks_about(text: str, title: str) -> set[str]:
    """What the simulator may be asked about one row: its identifiers, its title, its venue-year."""
    (paper,) = [p for p in Dataset.from_readme(text).papers if p.title == title]
    asks = {f"dblp:title:{words(title)}", f"crossref:title:{words(title)}", f"doi:{paper.doi.lower()}"}
    asks |= ({f"arxiv:{paper.arxiv_id}"} if paper.arxiv_id else set()) | ({f"openreview:{paper.forum}"} if paper.forum else set())
    return asks | {f"dblp:toc:{k}" for k in paper.toc_keys()}


def test_update_resolves_only_new_and_changed_rows_and_prints_each_change(tmp_path, clock):
    work, readme = project(tmp_path, "survey", SMALL_TEXT)
    with Simulator(Dataset.from_readme(SMALL_TEXT), clock=clock, lifetime=300) as sim:
        env = cli_env(sim, work)
        ok(run(work, env, "export", "--readme", str(readme), "-o", "refs.bib"))
    before = lock_keys(work / "prune2bib.lock")
    assert len(before) == 18

    text, what = changed_list(SMALL_TEXT)
    readme.write_text(text, encoding="utf-8")
    shutil.rmtree(work / "cache")  # an empty cache: only the lock can spare the unchanged rows
    with Simulator(Dataset.from_readme(text), clock=clock, lifetime=300) as sim:
        env = cli_env(sim, work)
        done = ok(run(work, env, "update", "--readme", str(readme), "-o", "refs.bib"))
        asked = sim.asked()
    after = lock_keys(work / "prune2bib.lock")

    wanted = {t: asks_about(text, t) for t in what["added"] + [what["retitled"] + " and Depths"]}
    allowed = set().union(*wanted.values())
    assert set(asked) <= allowed, f"asked about unchanged rows: {sorted(set(asked) - allowed)}"
    assert all(set(asked) & asks for asks in wanted.values()), "a new or retitled row was not resolved"
    assert len(asked) <= 2 * len(wanted)
    # every other row keeps its key; the retitled one too
    unchanged = {t: k for t, k in before.items() if not t.startswith(("FedDUAP", what["retitled"]))}
    assert {t: after[t] for t in unchanged} == unchanged
    assert after[what["retitled"] + " and Depths"] == before[what["retitled"]]
    assert not any(t.startswith("FedDUAP") for t in after)
    # each change printed, one line each
    lines = done.stderr.splitlines()
    summary = next(line for line in lines if "prune2bib.lock changed:" in line)
    assert "2 added, 1 removed, 1 retitled, 1 moved" in summary
    for title in what["added"]:
        assert any(line.split()[:1] == ["added"] and title in line for line in lines)
    assert any(line.split()[:1] == ["removed"] and "FedDUAP" in line for line in lines)
    assert any(line.split()[:1] == ["retitled"] and "and Depths" in line for line in lines)
    assert any(line.split()[:1] == ["moved"] and "types W -> F" in line for line in lines)
    bib = (work / "refs.bib").read_text(encoding="utf-8")
    assert bib.count("@") - bib.count("@comment") >= 19 and "FedDUAP" not in bib


def test_update_dry_run_prints_the_changes_and_writes_nothing(tmp_path, clock):
    work, readme = project(tmp_path, "survey", SMALL_TEXT)
    with Simulator(Dataset.from_readme(SMALL_TEXT), clock=clock, lifetime=300) as sim:
        env = cli_env(sim, work)
        ok(run(work, env, "export", "--readme", str(readme), "-o", "refs.bib"))
        lock_before, bib_before = (work / "prune2bib.lock").read_bytes(), (work / "refs.bib").read_bytes()
        text, _ = changed_list(SMALL_TEXT)
        readme.write_text(text, encoding="utf-8")
        done = ok(run(work, env, "update", "--dry-run", "--readme", str(readme), "-o", "refs.bib"))
    assert "prune2bib.lock would change: 2 added, 1 removed, 1 retitled, 1 moved" in done.stdout
    assert re.search(r"^  removed +\S+ +\"FedDUAP", done.stdout, re.MULTILINE)
    assert (work / "prune2bib.lock").read_bytes() == lock_before
    assert (work / "refs.bib").read_bytes() == bib_before


# ---------------------------------------------------------------------- keys


def test_provisional_keys_become_author_keys_with_a_notice_pinned_ones_stay_author_keys_never_move(tmp_path, clock):
    work, readme = project(tmp_path, "survey", SMALL_TEXT)
    # First run with no network: README data only, provisional keys.
    ok(run(work, cli_env(None, work), "export", "--offline", "--readme", str(readme), "-o", "refs.bib"))
    lock = work / "prune2bib.lock"
    first = lock_keys(lock)
    assert set(lock_states(lock).values()) == {"provisional"}
    title_key = first["SPDY: Accurate Pruning with Speedup Guarantees"]
    assert title_key == "spdyaccurate2022"  # two title words + year: no authors yet
    pinned = first["The Elastic Lottery Ticket Hypothesis"]
    ok(run(work, cli_env(None, work), "keys", "pin", pinned))
    assert lock_states(lock)[pinned] == "pinned"

    with Simulator(Dataset.from_readme(SMALL_TEXT), clock=clock, lifetime=300) as sim:
        done = ok(run(work, cli_env(sim, work), "export", "--readme", str(readme), "-o", "refs.bib"))
    second = lock_keys(lock)
    notices = [line for line in done.stderr.splitlines() if line.split()[:1] == ["key"]]
    assert len(notices) == 17  # every row but the pinned one, each announced old -> new
    spdy = second["SPDY: Accurate Pruning with Speedup Guarantees"]
    assert re.fullmatch(r"\d+2022spdy", spdy)  # the simulator's authors are "Synthetic Author <n>"
    assert any(f"{title_key} -> {spdy}" in line for line in notices)
    assert second["The Elastic Lottery Ticket Hypothesis"] == pinned
    states = lock_states(lock)
    assert states[pinned] == "pinned" and sum(s == "author" for s in states.values()) == 17
    assert pinned in (work / "refs.bib").read_text(encoding="utf-8")

    # Then the list changes: a row inserted on top, another retitled. Author keys never move.
    full = parse_readme(FULL_TEXT)
    inserted = next(e for e in full if e.title not in second and e.year == 2023)
    text = readmes.subset(FULL_TEXT, lambda _i, e: e.title in second or e.title == inserted.title)
    text = edit_row(text, "SPDY: Accurate Pruning with Speedup Guarantees", "[SPDY: Accurate", "[SPDY: Fast and Accurate")
    readme.write_text(text, encoding="utf-8")
    with Simulator(Dataset.from_readme(text), clock=clock, lifetime=300) as sim:
        done = ok(run(work, cli_env(sim, work), "update", "--readme", str(readme), "-o", "refs.bib"))
    third = lock_keys(lock)
    assert third["SPDY: Fast and Accurate Pruning with Speedup Guarantees"] == spdy
    assert {t: k for t, k in third.items() if t in second} == {t: k for t, k in second.items() if t in third}
    assert not [line for line in done.stderr.splitlines() if line.split()[:1] == ["key"]]


# ---------------------------------------------------------------------- --frozen

FORMATS = ("refs.bib", "refs.json", "refs.ris")


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """A project exported against the simulator in each of the three formats, each by a first run
    of its own (its own empty cache, a new lock): refs.bib and its lock here, refs.json in json/,
    refs.ris in ris/. So every format is compared with what a resolving run writes, not with
    another run from the lock."""
    work = tmp_path_factory.mktemp("original")
    readme = work / "README.md"
    readme.write_text(SMALL_TEXT, encoding="utf-8")
    clock = FakeClock()
    with pytest.MonkeyPatch.context() as monkeypatch:
        on_fake_clock(monkeypatch, clock)
        with Simulator(Dataset.from_readme(SMALL_TEXT), clock=clock, lifetime=300) as sim:
            for name in FORMATS:
                where = original(work, name).parent
                where.mkdir(exist_ok=True)
                ok(run(where, cli_env(sim, where), "export", "--readme", str(readme), "-o", name))
    return work


def original(work: Path, name: str) -> Path:
    return work / name if name.endswith(".bib") else work / name.rpartition(".")[2] / name


def test_frozen_gives_byte_identical_outputs_from_the_lock_alone(exported, tmp_path):
    fresh = tmp_path / "coauthor"
    fresh.mkdir()
    shutil.copy(exported / "prune2bib.lock", fresh / "prune2bib.lock")
    env = child_env(None, fresh)  # empty cache and data dirs; every service on a closed port
    for name in FORMATS:
        done = ok(run_child(fresh, env, "export", "--frozen", "-o", name))
        assert (fresh / name).read_bytes() == original(exported, name).read_bytes(), name
        assert done.stderr.splitlines()[-1] == f"prune2bib: 18 rows, 18 locked; 18 entries written to {name}"
    assert not (fresh / "cache").exists() and not (fresh / "data").exists()  # neither was even opened
    assert (fresh / "prune2bib.lock").read_bytes() == (exported / "prune2bib.lock").read_bytes()
    # and with the list given as a file, the same bytes
    (fresh / "README.md").write_text(SMALL_TEXT, encoding="utf-8")
    ok(run(fresh, cli_env(None, fresh), "export", "--frozen", "--readme", "README.md", "-o", "again.bib"))
    assert (fresh / "again.bib").read_bytes() == (exported / "refs.bib").read_bytes()


def test_frozen_with_a_row_the_lock_does_not_cover_fails_in_one_line_and_writes_nothing(exported, tmp_path):
    fresh = tmp_path / "ci"
    fresh.mkdir()
    shutil.copy(exported / "prune2bib.lock", fresh / "prune2bib.lock")
    extra = next(e for e in parse_readme(FULL_TEXT) if e.title not in entries(SMALL_TEXT))
    text = readmes.subset(FULL_TEXT, lambda _i, e: e.title in entries(SMALL_TEXT) or e.title == extra.title)
    (fresh / "README.md").write_text(text, encoding="utf-8")
    done = run(fresh, cli_env(None, fresh), "export", "--frozen", "--readme", "README.md", "-o", "refs.bib")
    assert done.returncode == 7
    assert done.stderr.splitlines()[-1].startswith("prune2bib: --frozen: prune2bib.lock does not cover 1 row(s) of the list")
    assert extra.title in done.stderr and "Traceback" not in done.stderr
    assert not (fresh / "refs.bib").exists()
    assert (fresh / "prune2bib.lock").read_bytes() == (exported / "prune2bib.lock").read_bytes()
    # no lock at all: the same exit code
    (fresh / "prune2bib.lock").unlink()
    done = run(fresh, cli_env(None, fresh), "export", "--frozen", "-o", "refs.bib")
    assert done.returncode == 7 and "there is no lock" in done.stderr and not (fresh / "refs.bib").exists()

"""The warm path reads the lock (issue 9): a row whose lock entry is final is not resolved again —
no cache opened (so no listing read, no title normalised), no resolution stage entered, no HTTP
client imported — and the output is the same as the run that wrote the lock.

Like tests/test_lazy_imports.py, this runs the CLI in a fresh Python process (this one has long
since imported every client) and looks at what it did.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import UPSTREAM
from prune2bib.readme import load_readme_text, parse_readme
from simulator import readmes
from simulator.child import child_env
from test_lazy_imports import EXPORT_THEN_LIST, HTTP_CLIENTS, WARM_ROWS

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import replay_into_cache  # noqa: E402

# Counts what the CLI does in-process: resolution stages entered, caches opened, links typed; then
# lists clients.
EXPORT_COUNTING = """
import json, sys
from prune2bib import cache, pipeline
done = {{"resolve_rows": 0, "caches": 0}}
resolve_rows, cache_init = pipeline.resolve_rows, cache.Cache.__init__
def counting_resolve(*args, **kwargs):
    done["resolve_rows"] += 1
    return resolve_rows(*args, **kwargs)
def counting_cache(self, *args, **kwargs):
    done["caches"] += 1
    cache_init(self, *args, **kwargs)
pipeline.resolve_rows, cache.Cache.__init__ = counting_resolve, counting_cache
from prune2bib.cli import main
try:
    main(sys.argv[2:], prog_name="prune2bib")
except SystemExit as end:
    done["code"] = end.code or 0
done["loaded"] = [name for name in {clients!r} if name in sys.modules]
from prune2bib.identify import identify
done["identified"] = identify.cache_info().misses  # links typed (a warm row's is only typed when asked)
open(sys.argv[1], "w").write(json.dumps(done))
"""


def export_counting(workdir: Path, result: Path, *args: str) -> tuple[dict, str]:
    code = EXPORT_COUNTING.format(clients=HTTP_CLIENTS)
    done = subprocess.run([sys.executable, "-c", code, str(result), *args], cwd=workdir, env=child_env(None, workdir),
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(result.read_text()), done.stderr


@pytest.fixture(scope="module")
def locked_project(tmp_path_factory) -> Path:
    """A project whose lock was written by an export served from a cache filled by the cassettes."""
    workdir = tmp_path_factory.mktemp("warm-lock")
    replay_into_cache.fill_cache(workdir / "cache")
    text = readmes.subset(load_readme_text(UPSTREAM.read_bytes()), lambda _i, entry: entry.url in WARM_ROWS)
    (workdir / "README.md").write_text(text, encoding="utf-8", newline="")
    first, stderr = export_counting(workdir, workdir / "first.json", "export", "--readme", "README.md", "-o", "first.bib")
    assert first["code"] == 0 and first["resolve_rows"] == 1, stderr
    assert f"{len(WARM_ROWS)} rows, {len(WARM_ROWS)} cached" in stderr
    shutil.rmtree(workdir / "cache")  # from now on, only the lock knows these records
    return workdir


@pytest.mark.parametrize("args", [["--readme", "README.md"], ["--readme", "README.md", "--offline"], ["--frozen"]],
                         ids=["online", "offline", "frozen"])  # fmt: skip
def test_a_warm_export_from_the_lock_does_no_resolution_work(locked_project, tmp_path, args):
    workdir = locked_project
    out = f"warm-{args[-1].strip('-')}.bib"
    done, stderr = export_counting(workdir, tmp_path / "done.json", "export", *args, "-o", out)
    # A row's link is typed only to rebuild the list's own fields when they differ from the
    # record's (one row here); before, every locked row's was (9).
    assert done.pop("identified") <= 1
    assert done == {"resolve_rows": 0, "caches": 0, "code": 0, "loaded": []}, stderr
    rows = len(WARM_ROWS)
    assert stderr.splitlines()[-1] == f"prune2bib: {rows} rows, {rows} locked; {rows} entries written to {out}"
    assert not (workdir / "cache").exists()
    assert (workdir / out).read_bytes() == (workdir / "first.bib").read_bytes()


def test_a_changed_row_is_resolved_and_only_that_one(locked_project, tmp_path):
    workdir = tmp_path / "project"
    shutil.copytree(locked_project, workdir)
    text = (workdir / "README.md").read_text(encoding="utf-8")
    title = parse_readme(text)[0].title
    (workdir / "README.md").write_text(text.replace(f"[{title}]", f"[{title} Revisited]"), encoding="utf-8", newline="")
    done, stderr = export_counting(workdir, tmp_path / "done.json", "export", "--readme", "README.md", "--offline", "-o", "out.bib")
    assert done["resolve_rows"] == 1 and done["caches"] == 1
    rows = len(WARM_ROWS)
    assert stderr.splitlines()[-1].startswith(f"prune2bib: {rows} rows, 1 cache-miss, {rows - 1} locked")


# The resolve stage and what only it needs: a run from the lock loads none of them (each costs
# import time on every warm run: issue 9's warm path is measured in tenths of a second).
RESOLVE_STAGE = ("prune2bib.resolve", "prune2bib.http", "prune2bib.cache", "prune2bib.published", "prune2bib.listings",
                 "sqlite3", "rapidfuzz", "rispy", "socket")  # fmt: skip


@pytest.mark.parametrize("args", [["--readme", "README.md"], ["--frozen"]], ids=["online", "frozen"])
def test_a_warm_export_from_the_lock_never_imports_the_resolve_stage(locked_project, tmp_path, args):
    code = EXPORT_THEN_LIST.format(clients=RESOLVE_STAGE)
    result = tmp_path / "loaded.json"
    out = f"modules-{len(args)}.bib"  # beside the project's lock
    done = subprocess.run([sys.executable, "-c", code, str(result), "export", *args, "-o", out],
                          cwd=locked_project, env=child_env(None, locked_project), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(result.read_text()) == {"code": 0, "loaded": []}, done.stderr


# Records the patterns prune2bib's modules compile as they are imported, then which of them a warm
# export uses: each is handed out behind a proxy that notes the first method looked up on it.
PATTERNS_USED = """
import json, os, re, sys
sites, used, compile_ = [], set(), re.compile
class Noted:
    def __init__(self, pattern, site):
        self._pattern, self._site = pattern, site
    def __getattr__(self, name):
        used.add(self._site)
        return getattr(self._pattern, name)
def recording_compile(pattern, flags=0):
    found, caller = compile_(pattern, flags), sys._getframe(1).f_code
    if os.sep + "prune2bib" + os.sep not in caller.co_filename:
        return found
    sites.append(os.path.basename(caller.co_filename) + ": " + str(found.pattern)[:60])
    return Noted(found, sites[-1])
re.compile = recording_compile
import prune2bib.cli
re.compile = compile_
try:
    prune2bib.cli.main(sys.argv[2:], prog_name="prune2bib")
except SystemExit as end:
    assert not end.code, end.code
open(sys.argv[1], "w").write(json.dumps({"compiled": len(sites), "unused": [s for s in sites if s not in used]}))
"""


def test_a_warm_export_from_the_lock_compiles_no_pattern_it_does_not_use(locked_project, tmp_path):
    """Compiling a pattern at import costs every run (~0.2 ms each, the warm export's 40 took
    ~8 ms); those only another path needs are strings that `re` compiles on first use."""
    result = tmp_path / "patterns.json"
    done = subprocess.run([sys.executable, "-c", PATTERNS_USED, str(result), "export", "--readme", "README.md", "-o", "patterns.bib"],
                          cwd=locked_project, env=child_env(None, locked_project), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(result.read_text())
    assert found["compiled"] >= 30 and set(found["unused"]) <= REACHED_BY_OTHER_ROWS, found


# Patterns that the whole list's warm export uses (its benchmark) but these 9 rows do not reach:
# an emoji code in a title cell, camel case in a title, a non-ASCII letter to spell in LaTeX.
REACHED_BY_OTHER_ROWS = {"cells.py: :[a-z0-9_+\\-]+:", "titles.py: [A-Z][a-z]+", "titles.py: [a-z][A-Z]",
                         "latex.py: [\u00a0-\u017f\u2010-\u2026]"}  # fmt: skip

"""collector.py: what a command and its heavy stages do to Python's cyclic garbage collector.

The tests count objects the collector tracks or skips (gc.get_freeze_count), never time. Each one
fails if its line of collector.py is removed: the freeze at the start of a command, the freeze
after a paused stage inside one, the unfreeze when the command ends, and the entry point that
leaves the run frozen for the interpreter's last collection.
"""

from __future__ import annotations

import gc
import subprocess
import sys

from click.testing import CliRunner

from conftest import UPSTREAM
from prune2bib import collector
from prune2bib.cli import main
from simulator.child import child_env


def test_a_command_freezes_what_the_imports_made_and_unfreezes_it_after():
    assert gc.get_freeze_count() == 0
    with collector.rare():
        during = gc.get_freeze_count()
    assert during > 10_000  # modules, classes, functions: this process has imported a lot
    assert gc.get_freeze_count() == 0


def test_a_paused_stage_inside_a_command_freezes_what_it_kept():
    with collector.rare():
        before = gc.get_freeze_count()
        with collector.paused():
            kept = [[n] for n in range(5_000)]  # (lists: always tracked)
        assert gc.get_freeze_count() >= before + len(kept)
    assert gc.get_freeze_count() == 0


def test_a_paused_stage_outside_a_command_freezes_nothing():
    with collector.paused():
        kept = [[n] for n in range(5_000)]  # (lists: always tracked)
    assert len(kept) == 5_000 and gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_command_through_click_leaves_the_collector_as_it_found_it():
    threshold = gc.get_threshold()
    done = CliRunner().invoke(main, ["list", "--readme", str(UPSTREAM), "--year", "2019"])
    assert done.exit_code == 0, done.output
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == threshold and gc.isenabled()


# The process's own entry point: at exit (atexit runs before the interpreter's last collection),
# the run's objects are frozen, so that collection does not scan them.
AT_EXIT = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count(), file=sys.stderr))
sys.argv = ["prune2bib", *sys.argv[1:]]
from prune2bib.cli import console
console()
"""


def test_the_entry_point_leaves_the_run_frozen_for_the_interpreters_last_collection(tmp_path):
    done = subprocess.run([sys.executable, "-c", AT_EXIT, "list", "--readme", str(UPSTREAM)], cwd=tmp_path,
                          env=child_env(None, tmp_path), capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    frozen = int(done.stderr.rsplit("frozen at exit:", 1)[1].split()[0])
    assert frozen > 10_000  # the imports and the rows; 0 without until_the_process_ends


# The entry point imports the CLI with the collector off, then freezes what the imports made.
COLLECTIONS_WHILE_STARTING = """
import atexit, gc, sys
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
atexit.register(lambda: print("collections:", len(collections), file=sys.stderr))
sys.argv = ["prune2bib", "--version"]
from prune2bib.__main__ import run
run()
"""


def test_the_entry_point_imports_the_cli_without_collecting(tmp_path):
    done = subprocess.run([sys.executable, "-c", COLLECTIONS_WHILE_STARTING], cwd=tmp_path, env=child_env(None, tmp_path),
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "prune2bib" in done.stdout
    collections = int(done.stderr.rsplit("collections:", 1)[1].split()[0])
    assert collections <= 2  # ~40 while the CLI's imports load with the collector on

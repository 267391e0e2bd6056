"""The autouse fixture in conftest.py: every test has its own cache, data, home and working dir.

If one of these fails, some test in the suite may be reading or writing a user's real files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
from click.testing import CliRunner

from conftest import UPSTREAM
from prune2bib import cache, settings
from prune2bib.cli import main


def _inside(path: str | Path, root: Path) -> bool:
    return Path(path).resolve().is_relative_to(root.resolve())


def test_every_default_location_is_inside_the_tests_tmp_dir(tmp_path):
    assert _inside(Path.cwd(), tmp_path)
    assert _inside(Path.home(), tmp_path)
    assert _inside(os.path.expanduser("~"), tmp_path)
    assert _inside(cache.default_cache_dir(), tmp_path)
    assert _inside(settings.data_dir(), tmp_path)
    for where in (platformdirs.user_cache_dir("prune2bib"), platformdirs.user_data_dir("prune2bib"),
                  platformdirs.user_config_dir("prune2bib"), platformdirs.user_state_dir("prune2bib")):  # fmt: skip
        assert _inside(where, tmp_path), where


def test_without_the_projects_variables_the_defaults_still_land_in_the_tmp_home(tmp_path, monkeypatch):
    monkeypatch.delenv("PRUNE2BIB_CACHE_DIR")
    monkeypatch.delenv("PRUNE2BIB_DATA_DIR")
    assert _inside(settings.default_keyfile(), tmp_path / "home")
    assert _inside(cache.default_cache_dir(), tmp_path / "home")


def test_export_writes_its_lock_in_the_tests_working_directory(tmp_path):
    result = CliRunner().invoke(main, ["export", "--no-resolve", "--readme", str(UPSTREAM), "--year", "2016", "-o", "refs.bib"])
    assert result.exit_code == 0, result.output
    assert "deepcompression2016" in (tmp_path / "cwd" / "prune2bib.lock").read_text()
    assert not (tmp_path / "data").exists()  # keys live in the lock, not in the data dir
    # A relative output path lands in the test's own working directory, not in the repository.
    assert (tmp_path / "cwd" / "refs.bib").read_text().count("@") >= 3


def test_a_subprocess_inherits_the_isolation(tmp_path):
    code = "import platformdirs, os, pathlib; print(pathlib.Path.cwd()); print(platformdirs.user_data_dir('x')); print(os.environ['PRUNE2BIB_CACHE_DIR'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert all(_inside(line, tmp_path) for line in out if line)

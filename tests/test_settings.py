"""Settings glue: paths from the environment, the progress bar only on a terminal."""

from __future__ import annotations

import io
import sys

from prune2bib import settings


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_paths_follow_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PRUNE2BIB_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("PRUNE2BIB_DATA_DIR", str(tmp_path / "d"))
    assert settings.open_cache().path.parent == tmp_path / "c"
    assert settings.default_keyfile() == tmp_path / "d" / "citekeys.json"


def test_progress_bar_is_silent_when_stderr_is_not_a_terminal(monkeypatch):
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    with settings.progress_bar(10) as advance:
        advance(10)
    assert quiet.getvalue() == ""


def test_progress_bar_draws_on_a_terminal(monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with settings.progress_bar(4) as advance:
        for _ in range(4):
            advance(1)
    assert "resolving" in terminal.getvalue() and "100%" in terminal.getvalue()

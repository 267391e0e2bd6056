"""Shared test set-up.

Network is blocked for every test (pytest-recording's --block-network in pyproject's addopts);
HTTP comes from cassettes in the top-level `cassettes/` folder (record mode 'none'), or from a
local fake server on 127.0.0.1 (tests/fakeserver.py), which `allowed_hosts` lets through.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI replays the same examples every run (a red CI must be reproducible); a developer's run
# explores new ones. `HYPOTHESIS_PROFILE=dev pytest` explores on CI machines too. No deadline:
# a loaded CI machine must not turn a slow example into a failure (time is measured by benchmarks).
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CASSETTES = ROOT / "cassettes"
SNAPSHOT = DATA / "awesome-pruning-README-snapshot.txt"
UPSTREAM = DATA / "awesome-pruning-README-upstream.md"


@pytest.fixture(scope="module")
def vcr_config():
    return {
        # Loopback stays reachable for the local fake servers; everything else is blocked.
        "allowed_hosts": ["127.0.0.1", "localhost"],
        "record_mode": "none",
        "match_on": ("method", "scheme", "host", "port", "path", "query"),
        "decode_compressed_response": True,
        "filter_headers": ["authorization", "cookie", "user-agent"],
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir(request):
    return str(CASSETTES / request.module.__name__.split(".")[-1])


def recording(request) -> bool:
    """True when this test records cassettes live (`--record-mode=rewrite` …), not when it replays.

    pyproject's addopts always passes `--record-mode=none`, so the option is never empty; a test's
    own `@pytest.mark.vcr(record_mode=…)` wins over the command line.
    """
    marker = request.node.get_closest_marker("vcr")
    mode = (marker.kwargs.get("record_mode") if marker else None) or request.config.getoption("--record-mode", None)
    return mode not in (None, "none")


@pytest.fixture(autouse=True)
def _replays_never_sleep(request, monkeypatch):
    """A cassette replay runs on the fake clock: no real sleep, neither in a library nor in `Http`."""
    if request.node.get_closest_marker("vcr") is None or recording(request):
        yield
        return
    import threading
    import time

    from prune2bib.http import Http

    real_sleep, created, init = time.sleep, [], Http.__init__

    def refuse(seconds):
        if seconds > 0 and threading.current_thread() is threading.main_thread():
            raise AssertionError(f"a cassette replay slept {seconds:g} s of real time")
        real_sleep(seconds)

    def tracked(self, *args, **kwargs):
        init(self, *args, **kwargs)
        created.append(self)

    monkeypatch.setattr(time, "sleep", refuse)
    monkeypatch.setattr(Http, "__init__", tracked)
    yield
    assert all(h.sleep is not real_sleep for h in created), "a replay's Http paces on the real clock: give it the fake one"


_TEST_KNOBS = ("PRUNE2BIB_KILL_", "PRUNE2BIB_SIM_")


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Every test gets its own cache, data dir, home and working directory; never the user's.

    Layout under the test's `tmp_path`: `cache/` (PRUNE2BIB_CACHE_DIR, the same directory the
    `cache` fixture opens), `data/` (PRUNE2BIB_DATA_DIR: key file), `home/` (HOME and the XDG
    dirs, so a default platformdirs location is private too) and `cwd/` (the working directory,
    so a default output or lock location lands here). Subprocesses inherit all of it.

    Only `home/` and `cwd/` are made: the XDG directories are left for whoever writes there to
    create, as on a new account (and 5 more directories per test cost ~2 s of CPU a run to make
    and delete).
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "run"))
    # A developer's own settings (service URLs, mailto, cache age …) never leak into a test; the
    # test suite's own knobs (a kill loop's seed, the simulator's interval scale) do.
    for name in [name for name in os.environ if name.startswith("PRUNE2BIB_") and not name.startswith(_TEST_KNOBS)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PRUNE2BIB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PRUNE2BIB_DATA_DIR", str(tmp_path / "data"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return tmp_path


# ------------------------------------------------------------ fixtures shared by resolver tests


@pytest.fixture
def clock():
    from fakeserver import FakeClock

    return FakeClock()


@pytest.fixture
def retry_attempts():
    """Tries per request for the `http` fixture; a module overrides this fixture to change it."""
    return 3


@pytest.fixture
def http(clock, retry_attempts):
    """The HTTP layer on the fake clock: retries, backoff and intervals cost no real time."""
    from prune2bib.http import Http, RetryPolicy

    client = Http(mailto="ops@example.org", clock=clock, sleep=clock.sleep, jitter=lambda: 0.0,
                  policy=RetryPolicy(attempts=retry_attempts))  # fmt: skip
    yield client
    client.close()


@pytest.fixture
def fake_services(clock, monkeypatch):
    """One local server on the fake clock standing in for every service (OpenReview v2 under /v2:
    v1 and v2 are two hosts); a test routes the paths it needs."""
    from fakeserver import FakeServer

    with FakeServer(clock=clock) as srv:
        for name in ("ARXIV", "CROSSREF", "DBLP", "OPENREVIEW"):
            monkeypatch.setenv(f"PRUNE2BIB_{name}_URL", srv.url)
        monkeypatch.setenv("PRUNE2BIB_OPENREVIEW2_URL", srv.url + "/v2")
        yield srv


@pytest.fixture
def refused_port():
    """A loopback port that refuses connections during the whole test (fakeserver.refusing_port)."""
    from fakeserver import refusing_port

    with refusing_port() as port:
        yield port


@pytest.fixture
def cache(tmp_path):
    from prune2bib.cache import open_cache

    with open_cache(tmp_path / "cache") as opened:
        yield opened


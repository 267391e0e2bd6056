"""A warm run (everything cached) loads no HTTP client: they are imported on first use.

`requests`, `httpx2`, `habanero` and `arxiv` took ~70 ms of a ~0.38 s warm export (issue 6's
goal is 0.33 s) although a warm run never sends a request. These tests run a fresh Python
process, since this one has long since imported every client, and look at `sys.modules`:
after importing the CLI, and after a whole warm `export` whose rows all come from the cache.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

from conftest import UPSTREAM
from prune2bib.readme import load_readme_text, parse_readme
from simulator import readmes
from simulator.child import child_env

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import replay_into_cache  # noqa: E402

HTTP_CLIENTS = ("requests", "httpx2", "habanero", "arxiv")
# Springer chapter DOIs that the replayed cassettes resolve (tests/test_cassettes_resolve.py)
CACHED_DOIS = ("10.1007/978-3-031-20083-0_8", "10.1007/978-3-031-20083-0_20")

# Runs the CLI in-process (as `python -m prune2bib` would), then lists the clients it loaded.
EXPORT_THEN_LIST = """
import json, sys
from prune2bib.cli import main
try:
    main(sys.argv[2:], prog_name="prune2bib")
except SystemExit as done:
    code = done.code or 0
loaded = [name for name in {clients!r} if name in sys.modules]
open(sys.argv[1], "w").write(json.dumps({{"code": code, "loaded": loaded}}))
"""


def loaded_after(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_cli_imports_no_http_client():
    done = loaded_after(f"import json, sys, prune2bib.cli; print(json.dumps([m for m in {HTTP_CLIENTS!r} if m in sys.modules]))")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_http_clients_still_load_on_first_use():
    # The lazily built names stay importable, and asking for one is what loads its client.
    code = (
        "import sys\n"
        "from prune2bib import http\n"
        "assert 'requests' not in sys.modules\n"
        "from prune2bib.http import EtiquetteSession, RETRYABLE_ERRORS, PROJECT_URL\n"
        "import requests, httpx2\n"
        "assert issubclass(EtiquetteSession, requests.Session) and EtiquetteSession.__name__ == 'EtiquetteSession'\n"
        "assert http.EtiquetteSession is EtiquetteSession\n"
        "assert requests.exceptions.Timeout in RETRYABLE_ERRORS and httpx2.TransportError in RETRYABLE_ERRORS\n"
        "assert PROJECT_URL == '' or PROJECT_URL.startswith('https://')\n"
        "print('ok')\n"
    )
    done = loaded_after(code)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


def test_an_unknown_module_attribute_is_still_an_attribute_error():
    from prune2bib import http

    with pytest.raises(AttributeError, match="no attribute 'Etiquette'"):
        http.Etiquette  # noqa: B018


# Rows whose every lookup the replayed cassettes cache when the README holds just these: arXiv
# and DBLP (no two rows share a venue-year, as when they were recorded) and Crossref DOIs. The
# CVF row is left out: beside the CVPR 2019 arXiv row it would ask for a DBLP venue listing.
WARM_ROWS = (
    replay_into_cache.SCENARIOS["test_arxiv_rows_from_several_years"] + replay_into_cache.SCENARIOS["test_springer_doi_rows"]
)


@pytest.fixture(scope="module")
def warm_workdir(tmp_path_factory) -> Path:
    """A cache filled from the resolution cassettes, and a README of rows it holds all of."""
    workdir = tmp_path_factory.mktemp("warm")
    replay_into_cache.fill_cache(workdir / "cache")
    text = readmes.subset(load_readme_text(UPSTREAM.read_bytes()), lambda _i, entry: entry.url in WARM_ROWS)
    assert len(parse_readme(text)) == len(WARM_ROWS)
    (workdir / "README.md").write_text(text, encoding="utf-8", newline="")
    return workdir


@pytest.mark.parametrize("mode", [["--offline"], []], ids=["offline", "online-but-cached"])
def test_a_warm_export_imports_no_http_client(warm_workdir, tmp_path, mode):
    # Services on a closed loopback port behind the loopback-only guard: a request would fail
    # the row rather than reach anything, and the summary below would not say "all cached".
    env = child_env(None, warm_workdir)
    out, result = tmp_path / "out.bib", tmp_path / "result.json"
    args = ["export", *mode, "--readme", str(warm_workdir / "README.md"), "-o", str(out)]
    done = loaded_after(EXPORT_THEN_LIST.format(clients=HTTP_CLIENTS), str(result), *args, env=env)
    assert done.returncode == 0, done.stderr
    outcome = json.loads(result.read_text())
    assert outcome["code"] == 0, done.stderr
    rows = len(WARM_ROWS)
    assert f"{rows} rows, {rows} cached;" in done.stderr  # the warm path: every row from the cache
    entries = bibtexparser.parse_string(out.read_text(encoding="utf-8")).entries
    assert len(entries) == rows and all("author" in e.fields_dict for e in entries)  # README rows name no authors
    assert set(CACHED_DOIS) <= {e.fields_dict["doi"].value for e in entries if "doi" in e.fields_dict}
    assert outcome["loaded"] == []


@pytest.mark.parametrize("fmt", ["csljson", "ris"])
def test_a_csl_json_or_ris_export_loads_no_latex_library(warm_workdir, tmp_path, fmt):
    # pylatexenc (and bibtexparser, which imports it) serve the BibTeX writer alone: ~30 ms of
    # imports, and ~10 ms more to build pylatexenc's decoder (writers/latex.py: pylatexenc_pair).
    out, result = tmp_path / f"out.{fmt}", tmp_path / "result.json"
    args = ["export", "--offline", "--readme", str(warm_workdir / "README.md"), "-f", fmt, "-o", str(out)]
    done = loaded_after(EXPORT_THEN_LIST.format(clients=("pylatexenc", "bibtexparser")), str(result), *args, env=child_env(None, warm_workdir))
    assert done.returncode == 0 and json.loads(result.read_text()) == {"code": 0, "loaded": []}, done.stderr
    assert out.stat().st_size > 0

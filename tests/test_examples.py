"""examples/ are golden files: a fresh regeneration must equal them byte for byte, and the
LaTeX survey in examples/survey/ must compile with bibtex and with biber (when TeX is here)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import DATA, ROOT

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))
import make_examples  # noqa: E402

EXAMPLES = ROOT / "examples"
GOLDEN = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*") if p.suffix in (".bib", ".json", ".ris") and p.name != "citekeys.json")


def test_examples_are_what_the_tool_makes(tmp_path):
    keyfile = tmp_path / "citekeys.json"
    shutil.copy(EXAMPLES / "keys" / "citekeys.json", keyfile)
    make_examples.make_examples(tmp_path, keyfile)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.suffix in (".bib", ".json", ".ris") and p.name != "citekeys.json")
    assert made == GOLDEN
    for name in GOLDEN:
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), f"{name} differs: run python tests/tools/make_examples.py"
    assert keyfile.read_bytes() == (EXAMPLES / "keys" / "citekeys.json").read_bytes()  # no key moved


def test_example_csl_is_schema_valid():
    schema = json.loads((DATA / "csl-data.schema.json").read_text())
    for name in ("awesome-pruning.json", "resolved.json"):
        jsonschema.validate(json.loads((EXAMPLES / name).read_text()), schema)


def test_resolved_examples_all_have_authors():
    items = json.loads((EXAMPLES / "resolved.json").read_text())
    assert len(items) == 13 and all(item.get("author") for item in items)  # the cassette rows make_examples replays


def _tex(*tools):
    missing = [t for t in tools if shutil.which(t) is None]
    return pytest.mark.skipif(bool(missing), reason=f"not installed: {', '.join(missing)}")


def _run(cwd: Path, *command: str) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def _copy_survey(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "survey", tmp_path / "survey")
    shutil.copy(EXAMPLES / "awesome-pruning.bib", tmp_path / "awesome-pruning.bib")
    return tmp_path / "survey"


@_tex("latex", "bibtex")
def test_survey_compiles_with_bibtex(tmp_path):
    survey = _copy_survey(tmp_path)
    _run(survey, "latex", "-interaction=nonstopmode", "-halt-on-error", "survey")
    log = _run(survey, "bibtex", "survey")
    assert "error message" not in log
    _run(survey, "latex", "-interaction=nonstopmode", "-halt-on-error", "survey")
    final = _run(survey, "latex", "-interaction=nonstopmode", "-halt-on-error", "survey")
    assert "undefined" not in final.lower()
    assert (survey / "survey.bbl").read_text().count("\\bibitem") == 7


@_tex("latex", "biber")
def test_survey_compiles_with_biber(tmp_path):
    survey = _copy_survey(tmp_path)
    _run(survey, "latex", "-interaction=nonstopmode", "-halt-on-error", "survey-biblatex")
    log = _run(survey, "biber", "survey-biblatex")
    assert "ERROR" not in log
    _run(survey, "latex", "-interaction=nonstopmode", "-halt-on-error", "survey-biblatex")
    final = _run(survey, "latex", "-interaction=nonstopmode", "-halt-on-error", "survey-biblatex")
    assert "undefined" not in final.lower()
    assert (survey / "survey-biblatex.bbl").read_text().count("\\entry{") == 7

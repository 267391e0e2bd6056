"""End-to-end: the `prune2bib` commands on the real list, README data only (no network)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import bibtexparser
import pytest
import rispy
from click.testing import CliRunner

from conftest import SNAPSHOT, UPSTREAM
from prune2bib.cli import main

FORMATS = ("bibtex", "csljson", "ris")


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def count_entries(fmt: str, text: str) -> int:
    if fmt == "bibtex":
        return len(bibtexparser.parse_string(text).entries)
    if fmt == "csljson":
        return len(json.loads(text))
    return len(rispy.loads(text))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_type_f_gives_149_entries_in_each_format(fmt):
    result = run("export", "--no-resolve", "--readme", str(UPSTREAM), "--type", "F", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert count_entries(fmt, result.stdout) == 149


@pytest.mark.parametrize("fmt", FORMATS)
def test_whole_list_exports_278_entries_with_distinct_keys(fmt):
    result = run("export", "--no-resolve", "--readme", str(SNAPSHOT), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert count_entries(fmt, result.stdout) == 278


def test_two_runs_are_byte_identical(tmp_path):
    first, second = tmp_path / "a.bib", tmp_path / "b.bib"
    run("export", "--no-resolve", "--readme", str(UPSTREAM), "-o", str(first))
    run("export", "--no-resolve", "--readme", str(UPSTREAM), "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size > 50_000


def test_format_is_inferred_from_output_suffix(tmp_path):
    out = tmp_path / "refs.ris"
    result = run("export", "--no-resolve", "--readme", str(UPSTREAM), "--year", "2016", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().count("TY  - ") == 3


def test_unknown_suffix_is_a_usage_error(tmp_path):
    result = run("export", "--no-resolve", "--readme", str(UPSTREAM), "-o", str(tmp_path / "refs.txt"))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("prune2bib: cannot tell the format")


def test_filters_since_until_venue():
    result = run("export", "--no-resolve", "--readme", str(UPSTREAM), "--format", "csljson",
                 "--since", "2019", "--until", "2020", "--venue", "cvpr")
    items = json.loads(result.stdout)
    assert {i["issued"]["date-parts"][0][0] for i in items} == {2019, 2020}
    assert len(items) == 21  # CVPR rows of 2019 (9) and 2020 (12) in the list


def test_default_readme_falls_back_to_bundled_snapshot_without_network(monkeypatch):
    monkeypatch.setenv("PRUNE2BIB_README_URL", "http://127.0.0.1:9/README.md")
    result = run("export", "--no-resolve", "--format", "csljson", "--year", "2015")
    assert result.exit_code == 0, result.output
    assert "bundled" in result.stderr
    assert json.loads(result.stdout)[0]["title"] == "Learning both Weights and Connections for Efficient Neural Networks"


def test_readme_from_stdin():
    result = run("list", "--readme", "-", "--json", input=UPSTREAM.read_bytes())
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 278
    assert rows[0]["identifier"] == "openreview:uVcDssQff_"


def test_list_prints_every_row():
    result = run("list", "--readme", str(UPSTREAM), "--type", "S")
    assert len(result.stdout.splitlines()) == 1 + 13  # a header row, then the rows


@pytest.mark.parametrize(
    "content",
    [b"", b"# Just a heading\n\nNo tables here.\n", b"\x00\x01\x02binary\xff\xfe" * 50, "### 2019\n| Title | Venue |\n| broken | row |\n".encode()],
    ids=["empty", "no-tables", "binary", "broken-table"],
)
def test_malformed_readme_gives_one_line_error(tmp_path, content):
    path = tmp_path / "README.md"
    path.write_bytes(content)
    result = run("export", "--no-resolve", "--readme", str(path))
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if not line.startswith("prune2bib: reading")]
    assert len(lines) == 1 and lines[0].startswith("prune2bib: ")
    assert "Traceback" not in result.output


def test_missing_readme_file_is_one_line():
    result = run("export", "--no-resolve", "--readme", "/nonexistent/README.md")
    assert result.exit_code == 3
    assert result.stderr.strip() == "prune2bib: /nonexistent/README.md: No such file or directory"


def test_check_reports_errata_and_exits_1():
    result = run("check", "--readme", str(UPSTREAM))
    assert result.exit_code == 1
    assert "https://https://" in result.stdout


def test_python_dash_m_runs():
    done = subprocess.run([sys.executable, "-m", "prune2bib", "--help"], capture_output=True, text=True, check=True)
    assert "export" in done.stdout and "check" in done.stdout


def test_rows_reach_the_resolvers_with_repaired_titles():
    from prune2bib import pipeline
    from prune2bib.readme import parse_readme

    titles = {e.title for e, _ in pipeline.select_rows(parse_readme(UPSTREAM.read_text()), pipeline.RowFilter())}
    assert "Fire Together Wire Together: A Dynamic Pruning Approach With Self-Supervised Mask Prediction" in titles
    assert "Approximated Oracle Filter Pruning for Destructive CNN Width Optimization" in titles
    assert not any("PredictionFire" in t or t.endswith(" github") for t in titles)


def test_ascii_export_is_pure_ascii_and_names_what_latex_cannot_spell(tmp_path):
    readme = UPSTREAM.read_text(encoding="utf-8").replace("Fire Together Wire Together", "Trường Together Wire Together", 1)
    path = tmp_path / "README.md"
    path.write_text(readme, encoding="utf-8")
    result = run("export", "--no-resolve", "--readme", str(path), "--ascii", "--type", "F")
    assert result.exit_code == 0, result.output
    assert result.stdout.isascii() and "Tru{\\`o}ng Together" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "--ascii" in line]
    assert [w.split(" (")[0] for w in warnings] == ["prune2bib: --ascii: 'ư'", "prune2bib: --ascii: 'ờ'"]


def test_zotero_collections_are_named_as_the_legend_names_the_types():
    result = run("export", "--no-resolve", "--no-lock", "--readme", str(UPSTREAM), "--jabref-groups")
    assert result.exit_code == 0, result.output
    assert re.findall(r"ExplicitGroup:([^\\;]+)", result.stdout) == ["Filter pruning", "Weight pruning", "Special Networks", "other types"]
    renamed = run("export", "--no-resolve", "--no-lock", "--readme", str(UPSTREAM), "--jabref-groups", "--type-name", "F=channel pruning")
    assert re.findall(r"ExplicitGroup:([^\\;]+)", renamed.stdout)[0] == "channel pruning"


def test_the_cyclic_collector_runs_rarely_during_a_command_and_as_before_afterwards(monkeypatch):
    # A 2,780-row warm export spent 0.15 s in full collections at Python's default thresholds.
    import gc

    from prune2bib import settings

    during = []
    check = settings.check_environment
    monkeypatch.setattr(settings, "check_environment", lambda: (during.append(gc.get_threshold()), check())[1])
    before = gc.get_threshold()
    done = CliRunner().invoke(main, ["list", "--readme", str(UPSTREAM), "--year", "2019"])
    assert done.exit_code == 0, done.output
    assert during and during[0][0] >= 100_000 > before[0]
    assert gc.get_threshold() == before

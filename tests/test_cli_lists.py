"""The commands on other lists than Awesome-Pruning (README data only, no network): the list's own
taxonomy for --type, --type-name, grouping and --split; --columns; `list`'s table; `check`'s
type findings; the summary of rows seen, exported and skipped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bibtexparser
from click.testing import CliRunner

from conftest import UPSTREAM
from prune2bib.cli import main

LISTS = Path(__file__).parent / "data" / "lists"
GHIMIRE = LISTS / "ghimiredhikura-Awasome-Pruning.md"  # legend U, S, A, O (S: structured)
AUTODL = LISTS / "D-X-Y-Awesome-AutoDL.md"  # legend G, RL, EA, PD, Other; rows also use MCTS, library
DANIEL = LISTS / "danielmcpark-awesome-pruning-acceleration.md"  # Title | Issue | Release


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list_prints_a_header_and_full_identifiers():
    result = run("list", "--readme", str(GHIMIRE), "--year", "2024")
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["LINE", "YEAR", "VENUE", "TYPE", "IDENTIFIER", "TITLE"]
    # 100 characters, not cut at 40:
    assert " cvf:WACV2024/Lee_Pruning_From_Scratch_via_Shared_Pruning_Module_and_Nuclear_Norm-Based_WACV_2024_paper " in result.stdout


def test_list_json_keeps_unknown_columns_and_authors():
    result = run("list", "--readme", str(LISTS / "hrcheng1066-awesome-pruning.md"), "--json")
    first = json.loads(result.stdout.splitlines()[0])
    assert first["columns"] == {"Algorithm Name": "-", "APP": "Image Classification"}
    assert (first["year"], first["types"]) == (2024, ["W"])


def test_type_filter_takes_the_lists_own_codes():
    result = run("export", "--no-resolve", "--readme", str(GHIMIRE), "--type", "u")
    assert result.exit_code == 0, result.output
    entries = bibtexparser.parse_string(result.stdout).entries
    assert len(entries) == 32
    assert all("unstructured or weight pruning" in e["keywords"] for e in entries)


def test_type_name_of_a_code_the_list_does_not_have_is_a_usage_error():
    result = run("export", "--no-resolve", "--readme", str(GHIMIRE), "--type-name", "F=filters")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "prune2bib: --type-name takes CODE=NAME with CODE one of U, S, A, O, not 'F=filters'"
    )


def test_unknown_type_code_is_a_usage_error():
    result = run("export", "--no-resolve", "--readme", str(GHIMIRE), "--type", "F")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "prune2bib: --type F: not a type code of this list; its codes are U, S, A, O"
    )


def test_groups_follow_the_lists_taxonomy_and_names(tmp_path):
    result = run("export", "--no-resolve", "--readme", str(GHIMIRE), "--split", str(tmp_path / "out"), "--type-name", "S=structured")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.bib")) == ["S.bib", "U.bib", "Untyped.bib"]
    structured = bibtexparser.parse_string((tmp_path / "out" / "S.bib").read_text()).entries
    assert structured and all(e["keywords"].startswith("structured") for e in structured)
    whole = run("export", "--no-resolve", "--readme", str(GHIMIRE), "--jabref-groups").stdout
    groups = re.findall(r"ExplicitGroup:([^\\;]+)", whole)
    # The legend's order, and its own wording (Zotero collections); the tags are the lower-cased names.
    assert groups == ["Unstructured or Weight Pruning", "Structured or Filter or Channel Pruning"]


def test_codes_outside_the_legend_are_their_own_groups(tmp_path):
    result = run("export", "--no-resolve", "--readme", str(AUTODL), "--split", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"G.bib", "RL.bib", "EA.bib", "PD.bib", "Other.bib", "MCTS.bib", "library.bib"} <= names


def test_check_reports_an_unknown_code_once_and_no_type_errata_when_the_legend_defines_all():
    autodl = run("check", "--readme", str(AUTODL)).stdout.splitlines()
    unknown = [line for line in autodl if ": unknown-type: " in line]
    assert len(unknown) == 2
    assert unknown[0].startswith("line ") and "type code 'library' is not in the list's legend (G, RL, EA, PD, Other)" in unknown[0]
    for listed in (GHIMIRE, UPSTREAM, LISTS / "hrcheng1066-awesome-pruning.md"):
        found = run("check", "--readme", str(listed)).stdout
        assert "unknown-type" not in found and "bad-type" not in found


def test_columns_option_maps_headers():
    mapped = run("list", "--readme", str(DANIEL), "--columns", "venue=Issue,code=Release", "--json")
    first = json.loads(mapped.stdout.splitlines()[0])
    assert (first["venue"], first["columns"]) == ("CVPR", {})
    bad = run("list", "--readme", str(DANIEL), "--columns", "booktitle=Issue")
    assert bad.exit_code == 2 and "--columns takes FIELD=HEADER pairs" in bad.stderr


def test_summary_says_rows_seen_exported_and_skipped(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("## 2021\n| Title | Venue |\n|--|--|\n| [A](https://arxiv.org/abs/2101.00001) | ICLR |\n| | |\n| [B](https://arxiv.org/abs/2101.00002) | CVPR |\n")
    result = run("export", "--no-resolve", "--readme", str(readme), "--venue", "ICLR")
    assert result.exit_code == 0, result.output
    assert ": 3 table rows seen in 1 paper table: 2 papers read, 1 skipped (line 5: an empty table row)" in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("; 1 entry written to stdout")


def test_nothing_recognised_names_the_tables_and_the_option(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("## Papers\n| Contribution | Conf |\n|--|--|\n| [A](https://arxiv.org/abs/2101.00001) | ICLR |\n")
    result = run("export", "--no-resolve", "--readme", str(readme))
    assert result.exit_code == 3
    assert result.stderr.strip().splitlines()[-1] == (
        "prune2bib: no paper rows found: saw 1 table (line 2: Contribution | Conf (1 rows)); a paper table needs "
        "a title column (Title, Paper, Name, …): map one with --columns title=HEADER"
    )
    mapped = run("export", "--no-resolve", "--readme", str(readme), "--columns", "title=Contribution,venue=Conf")
    assert mapped.exit_code == 0 and "@inproceedings" in mapped.stdout


def test_extra_columns_go_into_the_note_only_when_asked(tmp_path):
    hrcheng = str(LISTS / "hrcheng1066-awesome-pruning.md")
    plain = bibtexparser.parse_string(run("export", "--no-resolve", "--readme", hrcheng, "--year", "2024").stdout).entries
    assert plain and all("note" not in e.fields_dict for e in plain)
    noted = bibtexparser.parse_string(run("export", "--no-resolve", "--readme", hrcheng, "--year", "2024", "--note-columns").stdout)
    notes = sorted(e["note"] for e in noted.entries)
    assert "Algorithm Name: -; APP: Image Classification" in notes
    report = tmp_path / "report.jsonl"
    run("export", "--no-resolve", "--readme", hrcheng, "--year", "2024", "--report", str(report), "-o", str(tmp_path / "r.bib"))
    first = json.loads(report.read_text().splitlines()[0])
    assert first["columns"] == {"Algorithm Name": "-", "APP": "Image Classification"}

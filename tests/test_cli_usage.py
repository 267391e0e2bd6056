"""CLI honesty (issue 12 point 6): conflicting options, click's own usage errors, bad environment
values and filters that select nothing are each one line `prune2bib: …` with exit 2, before any
work, and write no file."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from clirun import assert_one_line_error, run_cli, tree
from conftest import UPSTREAM
from prune2bib import pipeline, readme_source


@pytest.fixture
def work(tmp_path):
    """An empty directory of the test's own: what a failed run must leave empty or unchanged."""
    path = tmp_path / "work"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def no_work():
    """A usage error comes before any work: reading the README or resolving raises here. A test
    whose error comes after reading the README calls `no_work.undo()` (this patch only; the
    test isolation of conftest stays)."""

    def never(*args, **kwargs):
        raise AssertionError("work started despite a usage error")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readme_source, "load", never)
        patch.setattr(pipeline, "resolve_rows", never)
        yield patch


CONFLICTS = {
    "--split with -o": (["--split", "{tmp}/groups", "-o", "{tmp}/refs.bib"], "prune2bib: --split DIR writes one file per group; it cannot be combined with -o FILE"),
    "--split with -o -": (["--split", "{tmp}/groups", "-o", "-"], None),
    "--jabref-groups with RIS": (["--jabref-groups", "-f", "ris"], "prune2bib: --jabref-groups is for BibTeX; it cannot be used with --format ris"),
    "--jabref-groups with CSL-JSON by suffix": (["--jabref-groups", "-o", "{tmp}/refs.json"], "prune2bib: --jabref-groups is for BibTeX; it cannot be used with --format csljson"),
    "--ascii with RIS": (["--ascii", "-f", "ris"], "prune2bib: --ascii is for BibTeX; it cannot be used with --format ris"),
    "format against suffix": (["-f", "ris", "-o", "{tmp}/refs.bib"], "prune2bib: --format ris does not match the suffix of 'refs.bib' (bibtex): drop one or rename the file"),
    "--offline with --refresh": (["--offline", "--refresh"], "prune2bib: --offline reads only the cache and --refresh ignores it: choose one"),
    "--no-resolve with --refresh": (["--no-resolve", "--refresh"], "prune2bib: --no-resolve resolves no row; it cannot be combined with --refresh"),
    "--no-resolve with --resolved-only": (["--no-resolve", "--resolved-only"], "prune2bib: --no-resolve resolves no row; it cannot be combined with --resolved-only"),
    "unknown suffix": (["-o", "{tmp}/refs.txt"], "prune2bib: cannot tell the format from 'refs.txt': use --format or a .bib/.json/.ris name"),
    # The list's codes are known once it is read (tests/test_cli_lists.py); the form is checked first.
    "bad --type-name": (["--type-name", "quantisation"], "prune2bib: --type-name takes CODE=NAME"),
    "bad --mailto": (["--mailto", "nobody"], "prune2bib: --mailto must be an e-mail address"),
}


@pytest.mark.parametrize("case", CONFLICTS)
def test_conflicting_options_are_one_line_usage_errors(case, work):
    options, message = CONFLICTS[case]
    line = assert_one_line_error(run_cli("export", *[o.format(tmp=work) for o in options]))
    if message:
        assert line.startswith(message), line
    assert tree(work) == set()


CLICK_ERRORS = {
    "unknown option": (["export", "--bogus-flag"], "prune2bib: No such option '--bogus-flag' (see 'prune2bib export --help')"),
    "unknown option of the group": (["--bogus"], "prune2bib: No such option '--bogus' (see 'prune2bib --help')"),
    "unknown command": (["exprt"], "prune2bib: No such command 'exprt'"),
    "bad choice": (["export", "--format", "docx"], "prune2bib: Invalid value for '-f' / '--format'"),
    "not a number": (["export", "--year", "twenty"], "prune2bib: Invalid value for '--year'"),
    "missing value": (["export", "-o"], "prune2bib: Option '-o' requires an argument"),
    "extra argument": (["list", "surplus"], "prune2bib: Got unexpected extra argument (surplus)"),
    "subcommand of a subgroup": (["cache", "wipe"], "prune2bib: No such command 'wipe' (see 'prune2bib cache --help')"),
}


@pytest.mark.parametrize("case", CLICK_ERRORS)
def test_click_usage_errors_are_one_line(case):
    args, start = CLICK_ERRORS[case]
    line = assert_one_line_error(run_cli(*args))
    assert line.startswith(start), line


def test_help_and_version_still_exit_0():
    assert run_cli("--help").exit_code == 0
    assert run_cli("export", "--help").exit_code == 0
    version = run_cli("--version")
    assert version.exit_code == 0 and version.stdout.startswith("prune2bib, version ")


ENVIRONMENT = {
    "PRUNE2BIB_PREPRINT_MAX_AGE_DAYS": ["abc", "-3"],
    "PRUNE2BIB_DBLP_URL": ["dblp.org", "ftp://dblp.org", "https://", "http://host:port"],
    "PRUNE2BIB_ARXIV_URL": ["not a url"],
    "PRUNE2BIB_CROSSREF_URL": ["file:///etc/passwd"],
    "PRUNE2BIB_OPENREVIEW_URL": ["api.openreview.net"],
    "PRUNE2BIB_OPENREVIEW2_URL": ["//api2.openreview.net"],
    "PRUNE2BIB_README_URL": ["README.md"],
    "PRUNE2BIB_MAILTO": ["me at example.org"],
}


@pytest.mark.parametrize("name,value", [(n, v) for n, values in ENVIRONMENT.items() for v in values])
@pytest.mark.parametrize("command", [["export", "--no-resolve"], ["list"], ["check"], ["cache", "info"]])
def test_bad_environment_value_is_a_usage_error(name, value, command, monkeypatch, work):
    monkeypatch.setenv(name, value)
    line = assert_one_line_error(run_cli(*command))
    assert line.startswith(f"prune2bib: {name} must be") and repr(value) in line


def test_empty_environment_values_mean_the_defaults(monkeypatch, no_work):
    no_work.undo()  # the README may be read here
    for name in ENVIRONMENT:
        monkeypatch.setenv(name, "")
    result = run_cli("list", "--readme", UPSTREAM, "--year", "2015")
    assert result.exit_code == 0, result.stderr


# ------------------------------------------------------------------ filters that select nothing

EMPTY = {
    "since after until": (["--since", "2022", "--until", "2020"], "prune2bib: no row has --since 2022 --until 2020; the list's years: 2015-2023; nothing written"),
    "unknown venue": (["--venue", "NOPE"], "prune2bib: no row has --venue NOPE; the list's venues: AAAI, CVPR, ECCV, ICCV, ICLR, ICML, IJCAI, NeurIPS; nothing written"),
    "year outside the list": (["--year", "2031"], "prune2bib: no row has --year 2031; the list's years: 2015-2023; nothing written"),
    "empty combination": (["--type", "S", "--year", "2016"],
                          "prune2bib: no row matches --type S --year 2016 together; with --year 2016 the types are F, W; "
                          "with --type S the years are 2019, 2021-2023; nothing written"),
}


@pytest.mark.parametrize("command", ["export", "list"])
@pytest.mark.parametrize("case", EMPTY)
def test_a_filter_that_matches_nothing_says_so_and_writes_nothing(case, command, no_work, work):
    no_work.undo()  # this error comes after reading the README
    options, message = EMPTY[case]
    out = ["-o", work / "refs.bib"] if command == "export" else []
    result = run_cli(command, "--no-resolve" if command == "export" else "--json", "--readme", UPSTREAM, *options, *out)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("prune2bib: reading ")]
    assert result.exit_code == 2 and result.stdout == ""
    assert lines == [message]
    assert tree(work) == set()


def test_venue_filter_finds_a_venue_by_its_other_name(no_work):
    no_work.undo()
    nips = run_cli("export", "--no-resolve", "--readme", UPSTREAM, "--venue", "NIPS", "-f", "csljson")
    neurips = run_cli("export", "--no-resolve", "--readme", UPSTREAM, "--venue", "neurips", "-f", "csljson")
    assert nips.exit_code == 0, nips.stderr
    assert len(json.loads(nips.stdout)) == 79  # the NeurIPS rows of the list
    assert nips.stdout == neurips.stdout


def test_resolved_only_with_nothing_resolved_writes_nothing(no_work, work):
    no_work.undo()
    out = work / "refs.bib"
    result = run_cli("export", "--offline", "--resolved-only", "--readme", UPSTREAM, "--year", "2016", "-o", out)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("prune2bib: reading ")]
    assert result.exit_code == 2
    assert lines == ["prune2bib: 3 rows, 3 cache-miss (3× not cached (offline)); no row was resolved, "
                     "so --resolved-only leaves nothing: nothing written"]
    assert tree(work) == set()  # no output, no lock


# ------------------------------------------------------------------ where the files live (issue 12 point 7)

FILES = ["-o FILE", "--split DIR", ".prune2bib-split.json", "--report FILE", "--lock FILE", "prune2bib.lock",
         "--keys FILE", "citekeys.json", "citekeys.json.migrated", "records.sqlite3", "PRUNE2BIB_DATA_DIR", "PRUNE2BIB_CACHE_DIR"]


def test_help_says_where_every_file_lives_on_this_machine(monkeypatch, work):
    monkeypatch.setenv("PRUNE2BIB_DATA_DIR", str(work / "data"))
    monkeypatch.setenv("PRUNE2BIB_CACHE_DIR", str(work / "cache"))
    text = " ".join(run_cli("--help").stdout.split())  # help wraps lines
    section = text.split("Files prune2bib writes", 1)[1].split("Exit codes", 1)[0]
    for name in FILES:
        assert name in section, name
    packed = "".join(section.split())  # a long path may be wrapped anywhere
    assert str(work / "data" / "citekeys.json") in packed
    assert str(work / "cache" / "records.sqlite3") in packed


def test_readme_says_where_every_file_lives():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Files prune2bib writes", 1)[1].split("\n### ", 1)[0]
    for name in FILES:
        assert name.split()[-1] in section or name in section, name
    assert "~/.cache/prune2bib" in section and "~/.local/share/prune2bib" in section


def test_help_lists_every_exit_code_of_the_readme():
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1]
    codes = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    text = run_cli("--help").stdout.split("Exit codes", 1)[1]
    listed = re.findall(r"^  (\d+) ", text, re.MULTILINE)
    assert codes == listed  # the same codes, in the same order, in the README and in --help


@pytest.mark.parametrize("args,code", [(["export", "--bogus"], 2), (["export", "--no-resolve", "-o", "/proc/refs.bib"], 2),
                                       (["cache", "clear"], 1)])  # fmt: skip
def test_the_installed_command_fails_in_one_line_too(args, code):
    """Outside click's test runner: the real exit path, stdin closed (a confirmation is declined)."""
    done = subprocess.run([sys.executable, "-m", "prune2bib", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("prune2bib: ") and "Traceback" not in done.stderr


def test_empty_selection_names_types_in_the_lists_own_order():
    from prune2bib.pipeline import RowFilter
    from prune2bib.readme import Entry
    from prune2bib.selection import explain_empty

    entries = [Entry(1, 2020, "A", "https://a.org", "CVPR", ("Q",)), Entry(2, 2021, "B", "https://b.org", "ICML", ("P",)),
               Entry(3, None, "C", "https://c.org", "", ("P", "Q"))]  # fmt: skip
    legend = ("Q", "P")  # the list's legend order, not the alphabet
    assert explain_empty(entries, RowFilter(types=("Z",)), legend) == "no row has --type Z; the list's types: Q, P"
    assert explain_empty(entries, RowFilter(since=2030), legend) == "no row has --since 2030; the list's years: 2020-2021"
    nips = [Entry(4, 2017, "D", "https://d.org", "NIPS", ("P",)), Entry(5, 2022, "E", "https://e.org", "NeurIPS'22", ("P",))]
    assert explain_empty(entries + nips, RowFilter(venues=("NOPE",)), legend) == "no row has --venue NOPE; the list's venues: CVPR, ICML, NeurIPS"
    assert explain_empty(entries, RowFilter(types=("P",), years=(2020,)), legend) == (
        "no row matches --type P --year 2020 together; with --year 2020 the types are Q; with --type P the years are 2021"
    )

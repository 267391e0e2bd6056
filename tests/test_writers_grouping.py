"""Grouping, ordering, --split files, format detection, and keys shared by all formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy
from writer_records import ALL

from prune2bib import citekeys, writers
from prune2bib.errors import UsageError


@pytest.fixture(scope="module")
def records():
    return citekeys.assign_keys(ALL, None)


def test_same_keys_in_all_three_formats_in_the_same_order(records):
    bib = [e.key for e in bibtexparser.parse_string(writers.render(records, "bibtex")).entries]
    csl = [item["id"] for item in json.loads(writers.render(records, "csljson"))]
    ris = [ref["id"] for ref in rispy.loads(writers.render(records, "ris"))]
    assert bib == csl == ris
    assert sorted(bib) == sorted(r.id for r in records)


def test_group_by_year_newest_first(records):
    text = writers.render(records, "bibtex", writers.WriteOptions(group_by="year"))
    years = re.findall(r"^@comment\{(\d{4}) ", text, re.M)
    assert years == sorted(set(str(r.year) for r in records), reverse=True)


def test_group_by_venue_alphabetical(records):
    text = writers.render(records, "bibtex", writers.WriteOptions(group_by="venue"))
    venues = re.findall(r"^@comment\{(\w+) \(", text, re.M)
    assert venues == ["AAAI", "CVPR", "ICCV", "ICLR", "NIPS"]


def test_group_by_none_has_no_headers(records):
    text = writers.render(records, "bibtex", writers.WriteOptions(group_by="none"))
    assert "@comment" not in text
    assert len(bibtexparser.parse_string(text).entries) == len(records)


def test_split_by_type(records):
    files = writers.render_split(records, "bibtex")
    assert list(files) == ["F.bib", "W.bib", "S.bib", "Other.bib"]
    counts = {name: len(bibtexparser.parse_string(text).entries) for name, text in files.items()}
    assert sum(counts.values()) == len(records)  # a WF record is in F.bib only
    assert counts["S.bib"] == sum(1 for r in records if r.types == ("S",))


def test_split_by_year_json(records):
    files = writers.render_split(records, "csljson", writers.WriteOptions(group_by="year"))
    assert list(files) == [f"{y}.json" for y in sorted({r.year for r in records}, reverse=True)]
    for name, text in files.items():
        assert {item["issued"]["date-parts"][0][0] for item in json.loads(text)} == {int(name[:4])}


@pytest.mark.parametrize(
    ("path", "fmt"), [("refs.bib", "bibtex"), ("out/REFS.JSON", "csljson"), ("a.ris", "ris"), ("a.txt", None), ("bib", None)]
)
def test_format_for_path(path, fmt):
    assert writers.format_for_path(path) == fmt


def test_bad_options_are_usage_errors(records):
    with pytest.raises(UsageError):
        writers.render(records, "endnote")
    with pytest.raises(UsageError):
        writers.render(records, "bibtex", writers.WriteOptions(group_by="month"))


def test_duplicate_keys_are_refused(records):
    with pytest.raises(UsageError, match="duplicates"):
        writers.render([records[0], records[1].with_(id=records[0].id)], "ris")


def test_unkeyed_records_get_keys():
    text = writers.render(ALL, "csljson")
    assert [i["id"] for i in json.loads(text)] == [i["id"] for i in json.loads(writers.render(citekeys.assign_keys(ALL), "csljson"))]


def test_byte_identical_across_processes():
    """Two interpreters with different hash seeds write the same bytes (no set/dict-order leaks)."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from writer_records import ALL; from prune2bib import writers;"
        "o = writers.WriteOptions(jabref_groups=True);"
        "sys.stdout.write(''.join(writers.render(ALL, f, o) for f in writers.FORMATS))"
    )
    tests_dir = str(Path(__file__).parent)
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script, tests_dir],
            capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"@inproceedings{") >= 5

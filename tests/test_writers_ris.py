"""RIS writer: rispy round trip, item types Zotero maps, one KW per type, no stray lines."""

from __future__ import annotations

import re

import pytest
import rispy
from writer_records import ALL, FPGM, GUO, README_ONLY_PREPRINT, README_ONLY_WF

from prune2bib import citekeys, writers
from prune2bib.writers.ris import MAPPING


@pytest.fixture(scope="module")
def records():
    return citekeys.assign_keys(ALL, None)


@pytest.fixture(scope="module")
def text(records):
    return writers.render(records, "ris")


@pytest.fixture(scope="module")
def refs(text):
    return {ref["id"]: ref for ref in rispy.loads(text, mapping=MAPPING)}


def test_rispy_reads_every_record(records, text, refs):
    assert len(rispy.loads(text)) == len(records) == text.count("\nER  - ") + text.startswith("ER  - ")
    assert sorted(refs) == sorted(r.id for r in records)
    for record in records:
        assert refs[record.id]["title"] == record.title
        assert refs[record.id]["year"] == str(record.year)


def test_every_line_is_a_tag_line_or_blank(text):
    for line in text.split("\n"):
        assert line == "" or re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    assert len(re.findall(r"^TY  - ", text, re.M)) == len(re.findall(r"^ER  - $", text, re.M))


def test_types_and_fields(records, refs):
    fpgm, guo = refs["he2019filter"], refs["guo2020channel"]
    preprint = refs[next(r.id for r in records if r.title == README_ONLY_PREPRINT.title and not r.authors)]
    assert fpgm["type_of_reference"] == "CONF"
    assert fpgm["custom3"] == FPGM.container_title  # C3: proceedings title
    assert fpgm["secondary_title"] == "CVPR 2019"  # T2: conference name
    assert fpgm["authors"][:2] == ["He, Yang", "Liu, Ping"]
    assert (fpgm["start_page"], fpgm["end_page"]) == ("4340", "4349")
    assert fpgm["doi"] == "10.1109/CVPR.2019.00447"
    assert fpgm["urls"] == [FPGM.url]
    assert fpgm["keywords"] == ["filter pruning"]
    assert fpgm["accession_number"] == fpgm["availability"] == "arXiv:1811.00250"
    assert fpgm["miscellaneous2"] == "Code: https://github.com/he-y/filter-pruning-geometric-median (PyTorch(Author))"
    assert "notes" not in fpgm  # N1 is a child note per paper in Zotero
    assert guo["type_of_reference"] == "JOUR" and guo["secondary_title"] == GUO.container_title
    assert guo["alternate_title1"] == "AAAI"
    assert preprint["type_of_reference"] == "JOUR"
    assert preprint["secondary_title"] == "arXiv" and preprint["accession_number"] == "arXiv:1608.08710"


def test_series_of_a_proceedings_volume():
    record = FPGM.with_(collection_title="Lecture Notes in Computer Science", volume="13671", id="k")
    ref = rispy.loads(writers.render([record], "ris"), mapping=MAPPING)[0]
    assert ref["tertiary_title"] == "Lecture Notes in Computer Science" and ref["volume"] == "13671"


def test_one_kw_per_type_and_no_author_when_unknown(records, refs):
    wf = next(r for r in records if r.title == README_ONLY_WF.title)
    assert refs[wf.id]["keywords"] == ["filter pruning", "weight pruning"]
    assert "authors" not in refs[wf.id]


def test_date_with_month():
    text = writers.render([FPGM.with_(issued=(2019, 6), id="k")], "ris")
    assert "PY  - 2019\nDA  - 2019/06//\n" in text
    assert "PY  - 2019\nDA  - 2019///\n" in writers.render([FPGM.with_(id="k")], "ris")


def test_newlines_in_values_cannot_start_a_new_tag():
    record = FPGM.with_(title="Line one\nER  - \nTY  - JOUR", id="k")
    text = writers.render([record], "ris")
    assert text.count("ER  - ") == 1 and len(rispy.loads(text)) == 1


def test_byte_identical(records, text):
    assert writers.render(list(reversed(records)), "ris") == text

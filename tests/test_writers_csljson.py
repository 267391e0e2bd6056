"""CSL-JSON writer: schema validity, item types, dates, tags, notes, stable bytes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from writer_records import ALL, FPGM, GUO, README_ONLY_PREPRINT, README_ONLY_WF

from prune2bib import citekeys, writers
from prune2bib.record import Person

SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def records():
    return citekeys.assign_keys(ALL, None)


@pytest.fixture(scope="module")
def text(records):
    return writers.render(records, "csljson")


@pytest.fixture(scope="module")
def items(text):
    return {item["id"]: item for item in json.loads(text)}


def test_valid_against_the_official_schema(text):
    jsonschema.Draft7Validator(SCHEMA).validate(json.loads(text))


def test_schema_check_can_fail():
    bad = [{"id": "x", "type": "paper-conference", "issued": "2019"}]
    assert list(jsonschema.Draft7Validator(SCHEMA).iter_errors(bad))


def test_item_types_and_containers(records, items):
    fpgm, guo = items["he2019filter"], items["guo2020channel"]
    preprint = items[next(r.id for r in records if r.title == README_ONLY_PREPRINT.title and not r.authors)]
    assert fpgm["type"] == "paper-conference"
    assert fpgm["container-title"] == FPGM.container_title
    assert fpgm["container-title-short"] == "CVPR"
    assert fpgm["event-title"] == "CVPR 2019"
    assert guo["type"] == "article-journal" and guo["container-title"] == GUO.container_title
    assert preprint["type"] == "article"
    assert preprint["number"] == "arXiv:1608.08710" and preprint["publisher"] == "arXiv"


def test_fields_of_a_full_record(items):
    fpgm = items["he2019filter"]
    assert fpgm["issued"] == {"date-parts": [[2019]]}
    assert fpgm["author"][0] == {"family": "He", "given": "Yang"}
    assert len(fpgm["author"]) == 5
    assert fpgm["page"] == "4340-4349"
    assert fpgm["DOI"] == "10.1109/CVPR.2019.00447"
    assert fpgm["URL"] == FPGM.url
    assert fpgm["keyword"] == "filter pruning"
    # Zotero keeps `note` in Extra: the arXiv ID as its BibTeX importer writes it, then the code links.
    assert fpgm["note"] == "arXiv: 1811.00250\nCode: https://github.com/he-y/filter-pruning-geometric-median (PyTorch(Author))"


def test_readme_only_records_have_no_author(records, items):
    wf = next(r for r in records if r.title == README_ONLY_WF.title)
    assert "author" not in items[wf.id]
    assert items[wf.id]["keyword"] == "filter pruning, weight pruning"


def test_month_in_date_parts():
    item = json.loads(writers.render([FPGM.with_(issued=(2019, 6), id="k")], "csljson"))[0]
    assert item["issued"] == {"date-parts": [[2019, 6]]}


def test_layout_is_stable(records, text):
    assert text.endswith("}\n]\n")
    assert text.startswith('[\n  {\n    "')
    assert json.dumps(json.loads(text), ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
    assert writers.render(list(reversed(records)), "csljson") == text


def test_custom_tag_names(records):
    names = {"F": "structured", "W": "unstructured", "S": "special", "Other": "other"}
    items = json.loads(writers.render(records, "csljson", writers.WriteOptions(type_names=names)))
    wf = next(r for r in records if r.title == README_ONLY_WF.title)
    assert next(i for i in items if i["id"] == wf.id)["keyword"] == "structured, unstructured"


def test_nameless_persons_are_left_out_not_emptied():
    record = FPGM.with_(authors=(Person("He", "Yang"), Person(), Person(literal="  ")), id="k")
    item = json.loads(writers.render([record], "csljson"))[0]
    assert item["author"] == [{"family": "He", "given": "Yang"}]
    jsonschema.Draft7Validator(SCHEMA).validate([item])

"""BibTeX writer: entry types, fields, round trips through bibtexparser and pybtex, groups."""

from __future__ import annotations

import random
import re

import bibtexparser
from pybtex.database.input.bibtex import Parser as PybtexParser  # parse_string(text, 'bibtex') scans entry points each call
import pytest
from latex_decode import decode
from writer_records import ALL, FPGM, GUO, HRANK, LOTTERY, README_ONLY_PREPRINT, README_ONLY_S, README_ONLY_WF, WITH_AUTHORS

from prune2bib import citekeys, writers
from prune2bib.record import Person
from prune2bib.taxonomy import TYPE_NAMES


@pytest.fixture(scope="module")
def records():
    return citekeys.assign_keys(ALL, None)


@pytest.fixture(scope="module")
def bib(records):
    return writers.render(records, "bibtex")


def _entries(text):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return {e.key: e for e in library.entries}


def _field(entry, name):
    return entry.fields_dict[name].value if name in entry.fields_dict else None


def test_every_entry_round_trips_through_both_parsers(records, bib):
    by_bibtexparser = _entries(bib)
    by_pybtex = PybtexParser().parse_string(bib).entries
    assert list(by_bibtexparser) == list(by_pybtex)
    assert sorted(by_bibtexparser) == sorted(r.id for r in records)
    for record in records:
        ours, theirs = by_bibtexparser[record.id], by_pybtex[record.id]
        assert ours.entry_type == theirs.type
        theirs_fields = {k.lower(): v for k, v in theirs.fields.items()}
        theirs_fields.update({"author": " and ".join(str(p) for p in theirs.persons.get("author", []))} if theirs.persons else {})
        ours_fields = {k.lower(): f.value for k, f in ours.fields_dict.items()}
        assert set(ours_fields) == set(theirs_fields), record.id
        for name in set(ours_fields) - {"author", "month"}:
            assert ours_fields[name] == theirs_fields[name], (record.id, name)
        if record.authors:
            assert len(theirs.persons["author"]) == len(record.authors)
            assert [p.last_names for p in theirs.persons["author"]] == [[a.family] for a in record.authors]
        assert decode(ours_fields["title"]) == record.title
        assert ours_fields["year"] == str(record.year)


def test_entry_types_follow_the_record_type(records, bib):
    entries = _entries(bib)
    fpgm, guo = entries["he2019filter"], entries["guo2020channel"]
    preprint = entries[next(r.id for r in records if r.title == README_ONLY_PREPRINT.title and not r.authors)]
    assert fpgm.entry_type == "inproceedings"
    assert _field(fpgm, "booktitle") == FPGM.container_title and _field(fpgm, "journal") is None
    assert guo.entry_type == "article" and _field(guo, "journal") == GUO.container_title
    assert _field(guo, "booktitle") is None and _field(guo, "publisher") is None
    assert preprint.entry_type == "misc"
    assert _field(preprint, "eprint") == "1608.08710"
    assert _field(preprint, "archivePrefix") == "arXiv"
    assert _field(preprint, "howpublished") == "arXiv preprint arXiv:1608.08710"


def test_fields_of_a_full_record(bib):
    fpgm = _entries(bib)["he2019filter"]
    assert _field(fpgm, "author") == "He, Yang and Liu, Ping and Wang, Ziwei and Hu, Zhilan and Yang, Yi"
    assert _field(fpgm, "pages") == "4340--4349"
    assert _field(fpgm, "doi") == "10.1109/CVPR.2019.00447"
    assert _field(fpgm, "url") == FPGM.url  # underscores stay: no LaTeX encoding of URLs
    assert _field(fpgm, "keywords") == "filter pruning"
    # Code links: not in `note`, which every style prints and Zotero turns into a child note.
    assert _field(fpgm, "code") == r"\url{https://github.com/he-y/filter-pruning-geometric-median} (PyTorch(Author))"
    assert _field(fpgm, "note") is None
    assert _field(fpgm, "shorttitle") is None  # an author labels it


def test_arxiv_id_is_written_for_biblatex_zotero_and_natbib(bib):
    fpgm = _entries(bib)["he2019filter"]
    assert _field(fpgm, "eprint") == "1811.00250"
    assert _field(fpgm, "eprinttype") == "arxiv"  # biblatex, and Zotero's BibTeX.js (Extra 'arXiv: …')
    assert _field(fpgm, "archivePrefix") == "arXiv"  # arXiv's own export


def test_readme_only_records_print_their_title_once(records, bib):
    # natbib's styles print `key` in the author's place when there is no author: no `key`, and
    # no other field natbib prints holds the title (tests/test_title_once.py compiles it).
    entries = _entries(bib)
    for record in records:
        if not record.authors:
            fields = entries[record.id].fields_dict
            assert "author" not in fields and "key" not in fields
            printed = [f for name, f in fields.items() if name not in ("title", "shorttitle", "url", "keywords", "code")]
            assert all(decode(f.value) != record.title for f in printed)


def test_authorless_entry_is_labelled_by_its_method_name():
    depthfl = README_ONLY_S.with_(title="DepthFL: Depthwise Federated Learning for Heterogeneous Clients", id="depthfl2023")
    entry = _entries(writers.render([depthfl, README_ONLY_WF.with_(id="other2023")], "bibtex"))["depthfl2023"]
    assert _field(entry, "shorttitle") == "{DepthFL}"  # biblatex cites it so; BibTeX styles ignore it
    for title, short in (("Amc: Automl for model compression", "{Amc}"), ("Net-Trim: Convex Pruning", "{Net}-{Trim}")):
        entry = _entries(writers.render([README_ONLY_S.with_(title=title, id="k")], "bibtex"))["k"]
        assert _field(entry, "shorttitle") == short  # protected as in the title
    assert _field(_entries(writers.render([README_ONLY_WF.with_(id="x")], "bibtex"))["x"], "shorttitle") is None


def test_month_is_a_macro():
    record = FPGM.with_(issued=(2019, 6), id="he2019filter")
    text = writers.render([record], "bibtex")
    assert re.search(r"^\s*month\s*= jun,$", text, re.M)
    assert PybtexParser().parse_string(text).entries["he2019filter"].fields["month"] == "June"


def test_wf_record_is_tagged_with_both_types_and_appears_once(records, bib):
    wf = next(r for r in records if r.title == README_ONLY_WF.title)
    assert bib.count("{" + wf.id + ",") == 1
    assert _field(_entries(bib)[wf.id], "keywords") == "filter pruning, weight pruning"


def test_groups_come_in_taxonomy_order_newest_first(records, bib):
    headers = re.findall(r"^@comment\{(\w+): ", bib, re.M)
    assert headers == ["F", "W", "S", "Other"]
    f_section = bib.split("@comment{W:")[0]
    years = [int(y) for y in re.findall(r"year\s*= (\d{4})", f_section)]
    assert years == sorted(years, reverse=True)


def test_a_wf_record_goes_under_w_when_only_w_is_selected(records):
    wf = next(r for r in records if r.title == README_ONLY_WF.title)
    text = writers.render([wf, *[r for r in records if r.types == ("W",)]], "bibtex", writers.WriteOptions(selected_types=("W",)))
    assert re.findall(r"^@comment\{(\w+): ", text, re.M) == ["W"]


def test_output_is_byte_identical_and_independent_of_input_order(records, bib):
    shuffled = list(records)
    random.Random(7).shuffle(shuffled)
    assert writers.render(shuffled, "bibtex") == bib
    assert writers.render(records, "bibtex") == bib


def test_ascii_option_writes_only_ascii():
    record = GUO.with_(authors=(Person("Torralba", "Álvaro"), Person("Fickert", "Maximilian")), id="torralba2020")
    text = writers.render([record], "bibtex", writers.WriteOptions(ascii=True))
    assert text.isascii()
    assert r"Torralba, {\'A}lvaro" in text
    utf8 = writers.render([record], "bibtex")
    assert "Torralba, Álvaro" in utf8


def test_names_that_would_split_the_author_list_are_braced():
    record = HRANK.with_(authors=(Person(literal="Research and Development Group"), Person("Smith, Jr", "A.")), id="x2020")
    entry = _entries(writers.render([record], "bibtex"))["x2020"]
    assert _field(entry, "author") == "{Research and Development Group} and {Smith, Jr}, A."
    persons = PybtexParser().parse_string(writers.render([record], "bibtex")).entries["x2020"].persons["author"]
    assert len(persons) == 2


def test_short_venue_style(records):
    text = writers.render([r for r in records if r.id == "he2019filter"], "bibtex", writers.WriteOptions(venue_style="short"))
    assert _field(_entries(text)["he2019filter"], "booktitle") == "CVPR"


def _zotero_style_groups(text):
    """Read the JabRef groups tree the way Zotero's BibTeX.js does: join lines, split on ';'."""
    match = re.search(r"@comment\{jabref-meta: groupstree:(.*?)\}", text, re.S)
    tree = match.group(1).replace("\n", "")
    records = re.split(r"(?<!\\);", tree)
    groups = {}
    for record in records:
        cells = [c.replace("\\;", ";") for c in re.split(r"\\;", record)]
        head = re.match(r"^(\d) (\w+):(.*)", cells[0])
        if head and head.group(2) == "ExplicitGroup":
            groups[head.group(3)] = [c for c in cells[2:] if c]
    return groups


def test_jabref_groups_list_exactly_each_types_keys(records):
    text = writers.render(records, "bibtex", writers.WriteOptions(jabref_groups=True))
    assert "@comment{jabref-meta: groupsversion:3;}" in text
    groups = _zotero_style_groups(text)
    expected = {
        TYPE_NAMES[code]: sorted(r.id for r in records if code in r.types) for code in ("F", "W", "S", "Other")
    }
    assert groups == expected
    # bibtex ignores it, bibtexparser keeps every entry
    assert len(_entries(text)) == len(records)


def test_authored_records_only_with_authors():
    keyed = citekeys.assign_keys(WITH_AUTHORS, None)
    entries = _entries(writers.render(keyed, "bibtex"))
    assert all("author" in e.fields_dict and "key" not in e.fields_dict for e in entries.values())
    assert entries[next(r.id for r in keyed if r.title == LOTTERY.title)].entry_type == "inproceedings"


def test_jabref_collections_take_the_legends_wording(records):
    options = writers.WriteOptions(jabref_groups=True, group_names={"F": "Filter pruning", "W": "Weight pruning"})
    text = writers.render(records, "bibtex", options)
    groups = re.findall(r"ExplicitGroup:([^\\;]+)", text)
    assert groups[:2] == ["Filter pruning", "Weight pruning"]  # the tags stay the type names
    assert "filter pruning" in {e.fields_dict["keywords"].value for e in _entries(text).values() if "keywords" in e.fields_dict}

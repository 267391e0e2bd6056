"""What Zotero makes of each export: the fields its import translators read, pinned as tables.

The tables are read from Zotero's own code at the commits the shared harness builds
(../shared/zotero/README.md), so that this test needs no Node:

- zotero/translators@2814370161d0 `RIS.js` (lastUpdated 2026-01-05): `exportTypeMap`
  (conferencePaper -> CONF), `fieldMap` (C3 -> proceedingsTitle, T2 -> conferenceName, T3 ->
  series for conferencePaper; AN -> archiveLocation; KW -> tags; N1 -> notes, i.e. one child
  note each; UR -> url; DO -> DOI) and `degenerateImportFieldMap` (AV -> archiveLocation,
  M2 -> extra). Any tag it does not map goes into a child note "no corresponding Zotero field".
- zotero/translators@2814370161d0 `BibTeX.js` (lastUpdated 2026-04-01): `fieldMap` /
  `inputFieldMap` (booktitle -> publicationTitle, i.e. proceedingsTitle; series; shorttitle),
  `processField` (note / annote -> a child note each; keywords -> tags; eprint is kept, as
  'arXiv: <id>' in Extra, only with `eprinttype = {arxiv}`; archivePrefix / primaryClass are
  ignored; unknown fields are dropped) and `processComment` (the JabRef groups tree).
- zotero/zotero-schema@1f5331e902ed `schema.json` "csl" mappings used by zotero/utilities
  itemFromCSLJSON (container-title -> publicationTitle, event-title -> conferenceName,
  collection-title -> series, note -> extra, number -> archiveID of a preprint; `keyword` has
  no mapping: the CSL importer reads no tags).
- citation-js @citation-js/plugin-ris 0.8.2 `spec/new.json` and `additions.json` (the RIS reader
  of ../shared/validators): CONF C3 -> container-title, T2 -> event, T3 -> collection-title,
  DA -> issued, AV -> archive_location, KW -> keyword; it maps neither AN nor M2 of a CONF.

When the harness is built (`MIRROR=… ../shared/zotero/build.sh`, default /tmp/zotero-harness,
or PRUNE2BIB_ZOTERO_HARNESS), the last test imports the exports with the real translators.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import bibtexparser
import pytest
import rispy
from writer_records import ALL, FPGM

from prune2bib import citekeys, writers
from prune2bib.record import PAPER_CONFERENCE, PREPRINT
from prune2bib.writers.ris import MAPPING

# RIS tag -> Zotero field, for the item types we write (RIS.js fieldMap / degenerateImportFieldMap).
ZOTERO_RIS = {
    "CONF": {"TY": "itemType=conferencePaper", "ID": "(ignored)", "TI": "title", "AU": "creators/author",
             "C3": "proceedingsTitle", "T2": "conferenceName", "T3": "series", "PY": "date", "DA": "date",
             "VL": "volume", "SP": "pages", "EP": "pages", "PB": "publisher", "DO": "DOI", "UR": "url",
             "AN": "archiveLocation", "AV": "archiveLocation", "KW": "tags", "M2": "extra"},
    "JOUR": {"TY": "itemType=journalArticle", "ID": "(ignored)", "TI": "title", "AU": "creators/author",
             "T2": "publicationTitle", "J2": "journalAbbreviation", "PY": "date", "DA": "date", "VL": "volume",
             "IS": "issue", "SP": "pages", "EP": "pages", "PB": "publisher", "DO": "DOI", "UR": "url",
             "AN": "archiveLocation", "AV": "archiveLocation", "KW": "tags", "M2": "extra"},
}  # fmt: skip
CHILD_NOTE_RIS = {"N1", "RN", "AD", "LB", "CA", "H1", "H2"}  # each becomes a note under the item

# BibTeX field -> Zotero field for @inproceedings / @article / @misc (BibTeX.js).
ZOTERO_BIBTEX = {
    "author": "creators/author", "title": "title", "shorttitle": "shortTitle", "booktitle": "proceedingsTitle",
    "journal": "publicationTitle", "series": "series", "volume": "volume", "number": "issue",
    "pages": "pages", "publisher": "publisher", "year": "date", "month": "date", "doi": "DOI", "url": "url",
    "keywords": "tags", "eprint": "extra 'arXiv: <id>' (with eprinttype)", "eprinttype": "(pairs eprint)",
    "howpublished": "extra 'Published: …'", "archiveprefix": "(ignored)", "primaryclass": "(ignored)",
    "code": "(dropped: not a Zotero field)",
}  # fmt: skip
CHILD_NOTE_BIBTEX = {"note", "annote", "comment", "review", "notes"}

# CSL variable -> Zotero field (zotero-schema csl mappings via itemFromCSLJSON).
ZOTERO_CSL = {
    "id": "(citation key)", "type": "itemType", "title": "title", "author": "creators/author",
    "issued": "date", "container-title": "proceedingsTitle/publicationTitle", "container-title-short": "(none for conferencePaper)",
    "event-title": "conferenceName", "collection-title": "series", "volume": "volume", "issue": "issue",
    "page": "pages", "publisher": "publisher/repository", "DOI": "DOI", "URL": "url", "note": "extra",
    "number": "archiveID (preprint)", "keyword": "(dropped: no tags from CSL)",
}  # fmt: skip

# What citation-js (the validators' RIS reader) makes of the tags that carry the proceedings
# title and the arXiv ID, by RIS type (plugin-ris 0.8.2 spec).
CITATION_JS_RIS = {"CONF": {"C3": "container-title", "T2": "event-title", "AV": "archive_location", "DA": "issued"},
                   "JOUR": {"T2": "container-title", "AV": "archive_location"}}  # fmt: skip


@pytest.fixture(scope="module")
def records():
    return citekeys.assign_keys(ALL, None)


def test_every_ris_tag_has_a_zotero_field_and_none_is_a_child_note(records):
    for ref in rispy.loads(writers.render(records, "ris"), mapping=MAPPING):
        table = ZOTERO_RIS[ref["type_of_reference"]]
        tags = {tag for tag, key in MAPPING.items() if key in ref}
        assert tags <= set(table), (ref["id"], tags - set(table))
        assert not tags & CHILD_NOTE_RIS


def test_ris_conference_papers_give_zotero_and_citation_js_the_proceedings_title(records):
    refs = {ref["id"]: ref for ref in rispy.loads(writers.render(records, "ris"), mapping=MAPPING)}
    conference = [r for r in records if r.type == PAPER_CONFERENCE]
    assert conference
    for record in conference:
        ref = refs[record.id]
        assert ref["type_of_reference"] == "CONF" and ZOTERO_RIS["CONF"]["C3"] == "proceedingsTitle"
        assert ref["custom3"] == record.container_title and CITATION_JS_RIS["CONF"]["C3"] == "container-title"


def test_ris_arxiv_id_reaches_zotero_rispy_and_citation_js(records):
    refs = {ref["id"]: ref for ref in rispy.loads(writers.render(records, "ris"), mapping=MAPPING)}
    backed = [r for r in records if r.arxiv_id]
    assert {r.type for r in backed} >= {PAPER_CONFERENCE, PREPRINT}
    for record in backed:
        ref = refs[record.id]
        assert ref["accession_number"] == f"arXiv:{record.arxiv_id}"  # rispy; Zotero archiveLocation
        assert ref["availability"] == f"arXiv:{record.arxiv_id}"  # citation-js archive_location
    plain = rispy.loads(writers.render([FPGM.with_(id="k")], "ris"))[0]  # rispy's own mapping
    assert plain["accession_number"] == "arXiv:1811.00250"


def test_every_bibtex_field_has_a_zotero_field_and_none_is_a_child_note(records):
    text = writers.render(records, "bibtex", writers.WriteOptions(jabref_groups=True))
    library = bibtexparser.parse_string(text)
    for entry in library.entries:
        fields = {name.lower() for name in entry.fields_dict}
        assert fields <= set(ZOTERO_BIBTEX), (entry.key, fields - set(ZOTERO_BIBTEX))
        assert not fields & CHILD_NOTE_BIBTEX


def test_bibtex_arxiv_id_is_what_zotero_keeps(records):
    entries = {e.key: e for e in bibtexparser.parse_string(writers.render(records, "bibtex")).entries}
    for record in (r for r in records if r.arxiv_id):
        fields = entries[record.id].fields_dict
        assert fields["eprint"].value == record.arxiv_id
        assert fields["eprinttype"].value == "arxiv"  # without it BibTeX.js drops the eprint


def test_csl_variables_zotero_reads(records):
    items = json.loads(writers.render(records, "csljson"))
    for item in items:
        assert set(item) <= set(ZOTERO_CSL), set(item) - set(ZOTERO_CSL)
    by_id = {item["id"]: item for item in items}
    for record in (r for r in records if r.arxiv_id):
        item = by_id[record.id]
        if record.type == PREPRINT:
            assert item["number"] == f"arXiv:{record.arxiv_id}" and item["type"] == "article"  # Zotero preprint
        else:
            assert f"arXiv: {record.arxiv_id}" in item["note"].split("\n")  # Zotero Extra


# --- the real translators, when the harness is built ------------------------------------------

HARNESS = Path(os.environ.get("PRUNE2BIB_ZOTERO_HARNESS", "/tmp/zotero-harness")) / "zotero-import.js"


def _zotero(path: Path) -> dict:
    return _zotero_all([path])[0]


def _zotero_all(paths: list[Path]) -> list[dict]:
    """What Zotero imports from each file; one harness process per file, all at once (each spends
    ~2 s of CPU loading the translators: side by side they take the wall time of one per core)."""
    # Into a file, not a pipe: node cuts a piped stdout at 64 KiB when the harness exits.
    sinks = [tempfile.TemporaryFile() for _ in paths]
    try:
        running = [subprocess.Popen(["node", str(HARNESS), "-f", "api", str(path)], stdout=sink, stderr=subprocess.PIPE, text=True)
                   for path, sink in zip(paths, sinks)]  # fmt: skip
        errors = [proc.communicate(timeout=300)[1] for proc in running]
        results = []
        for proc, error, sink in zip(running, errors, sinks):
            assert proc.returncode == 0, error[-2000:]
            sink.seek(0)
            results.append(json.loads(sink.read().decode("utf-8")))
        return results
    finally:
        for sink in sinks:
            sink.close()


@pytest.mark.skipif(not HARNESS.exists() or shutil.which("node") is None, reason="Zotero harness not built")
def test_zotero_imports_everything(records, tmp_path):
    options = writers.WriteOptions(jabref_groups=True)
    formats = {"bibtex": tmp_path / "refs.bib", "ris": tmp_path / "refs.ris", "csljson": tmp_path / "refs.json"}
    for fmt, path in formats.items():
        path.write_text(writers.render(records, fmt, options), encoding="utf-8")
    for fmt, result in zip(formats, _zotero_all(list(formats.values()))):
        imported = [i for i in result["items"] if i["itemType"] != "note"]
        assert len(imported) == len(records), fmt
        assert [i for i in result["items"] if i["itemType"] == "note"] == [], fmt  # no child notes
        items = {(i["title"], bool(i["creators"])): i for i in imported}
        for record in records:
            item = items[(record.title, bool(record.authors))]
            if record.type == PAPER_CONFERENCE:
                assert item["itemType"] == "conferencePaper" and item["proceedingsTitle"], (fmt, record.title)
            if record.arxiv_id:
                kept = item.get("extra", "") + item.get("archiveLocation", "") + item.get("archiveID", "")
                assert record.arxiv_id in kept, (fmt, record.title)
            if record.types and fmt != "csljson":
                assert sorted(t["tag"] for t in item["tags"]) == sorted(options.type_names[t] for t in record.types), fmt
        if fmt == "bibtex":
            names = {options.type_names[t] for r in records for t in r.types}
            assert sorted(c["name"] for c in result["collections"]) == sorted(names)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
LEGEND = ["Filter pruning", "Weight pruning", "Special Networks", "other types"]  # the list's "Type of Pruning" table


def _arxiv_ids_in(path: Path) -> list[str]:
    if path.suffix == ".ris":
        return [ref["accession_number"].removeprefix("arXiv:") for ref in rispy.loads(path.read_text(encoding="utf-8"))
                if "accession_number" in ref]  # fmt: skip
    return [e.fields_dict["eprint"].value for e in bibtexparser.parse_file(str(path)).entries if "eprint" in e.fields_dict]


@pytest.mark.skipif(not HARNESS.exists() or shutil.which("node") is None, reason="Zotero harness not built")
@pytest.mark.parametrize("name", ["zotero-collections.bib", "awesome-pruning.ris"])
def test_zotero_imports_the_whole_list(name):
    """The committed whole-list examples (issue 12's acceptance, measured with Zotero's translators):
    every conference paper has its proceedings title, every arXiv ID is kept, no child notes, a
    tag per type, and (BibTeX with --jabref-groups) one collection per type named as the legend."""
    path = EXAMPLES / name
    result = _zotero(path)
    items = [i for i in result["items"] if i["itemType"] != "note"]
    assert len(items) == 278 and [i for i in result["items"] if i["itemType"] == "note"] == []
    assert [i["title"] for i in items if i["itemType"] != "conferencePaper" or not i.get("proceedingsTitle")] == []
    kept = [line.removeprefix("arXiv: ") for i in items for line in i.get("extra", "").splitlines() if line.startswith("arXiv: ")]
    kept += [i["archiveLocation"].removeprefix("arXiv:") for i in items if i.get("archiveLocation", "").startswith("arXiv:")]
    written = _arxiv_ids_in(path)
    assert len(written) > 100 and sorted(kept) == sorted(written)
    assert [i["title"] for i in items if not i["tags"]] == []
    if name.endswith(".bib"):
        collections = {c["name"]: set(c["items"]) for c in result["collections"]}
        assert list(collections) == LEGEND
        for label, members in collections.items():  # each type's collection holds exactly its tagged items
            assert members == {i["key"] for i in items if label.casefold() in (t["tag"] for t in i["tags"])}, label


# --- citation-js, the validators' reader, when it is installed ---------------------------------

CITATION_JS = Path(os.environ.get("PRUNE2BIB_CITATION_JS", "/opt/validators/node/node_modules"))
_READ_WITH_CITATION_JS = """
const {Cite} = require("@citation-js/core"); require("@citation-js/plugin-ris");
const text = require("fs").readFileSync(process.argv[1], "utf8");
const type = process.argv[2] === "ris" ? "@ris/file" : "@csl/list+object";
const data = new Cite(type === "@ris/file" ? text : JSON.parse(text), {forceType: type}).data;
console.log(JSON.stringify(data.map(({_graph, ...item}) => item)));
"""


@pytest.mark.skipif(not (CITATION_JS / "@citation-js" / "plugin-ris").exists() or shutil.which("node") is None,
                    reason="citation-js not installed (../shared/validators/install-validators)")
@pytest.mark.parametrize("fmt", ["ris", "csljson"])
def test_citation_js_reads_the_arxiv_id_back(tmp_path, fmt):
    published = FPGM.with_(id="he2019filter")
    preprint = FPGM.with_(type=PREPRINT, container_title="", container_title_short="", event_title="", id="he2018filter")
    path = tmp_path / "refs"
    path.write_text(writers.render([published, preprint], fmt), encoding="utf-8")
    done = subprocess.run(["node", "-e", _READ_WITH_CITATION_JS, str(path), fmt], capture_output=True, text=True,
                          env={**os.environ, "NODE_PATH": str(CITATION_JS)}, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    items = {item["id"]: item for item in json.loads(done.stdout)}
    for key in ("he2019filter", "he2018filter"):
        item = items[key]
        held = [item.get("archive_location", ""), item.get("number", ""), *item.get("note", "").split("\n")]
        assert {"arXiv:1811.00250", "arXiv: 1811.00250"} & set(held), (key, item)
    if fmt == "ris":
        assert items["he2019filter"]["container-title"] == FPGM.container_title

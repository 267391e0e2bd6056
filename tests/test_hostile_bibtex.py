"""LaTeX and BibTeX injection, from the README's titles and from the services' answers.

Titles carry the payloads in the README (the simulator echoes them, so the match guard accepts
the records); authors, pages and the venue carry them in the simulator's arXiv, Crossref,
OpenReview and DBLP answers. The exported .bib is parsed back with bibtexparser and pybtex:
same entries, same keys, no field added, every field's braces balanced, and no control
sequence in any field other than the writer's own escapes (so `\\input`, `\\write18`, `\\def`
can only appear as typeset text).
"""

from __future__ import annotations

import re

import bibtexparser
from pybtex.database.input.bibtex import Parser as PybtexParser  # parse_string(text, 'bibtex') scans entry points each call
import pytest

from latex_decode import brace_depths_ok, control_sequences, decode
from simulator import Dataset, readmes
from simulator.dataset import replace
from test_faults import FULL_TEXT, World

PAYLOADS = [
    r"\input{/etc/passwd}",
    r"\immediate\write18{rm -rf ~}",
    "}, author = {Mallory",
    "@comment{ ",
    "unbalanced {{{ braces",
    "closing }}} first",
    "100% \\def\\x{y} # & _ ^ ~ $math$",
    "\\\\ \\ backslashes \\",
    "\"quoted\" and @string{x = y}",
]
# The BibTeX writer's own escapes (writers/latex.py) and accent macros: inert text, not commands.
ALLOWED = {"textbackslash", "textbraceleft", "textbraceright", "textasciitilde", "textasciicircum", "textless",
           "textgreater", "textbar", "&", "%", "$", "#", "_", "{", "}", "'", "`", "^", '"', "~", "=", ".", "c",
           "url", "textquotedbl", "textquotesingle", "textdollar", "textunderscore", "textpercent", "textampersand"}  # fmt: skip


def hostile_readme() -> str:
    """The list's first rows with their titles replaced by payloads (arXiv, DOI and forum links)."""
    text = readmes.per_kind(FULL_TEXT, 1)
    for n, entry in enumerate(readmes.parse_readme(text)):
        text = text.replace(f"[{entry.title}]", f"[Paper {n} {PAYLOADS[n % len(PAYLOADS)]}]", 1)
    return text


def poison(paper):
    payload = PAYLOADS[paper.n % len(PAYLOADS)]
    return replace(paper, authors=(f"Eve {payload}", "Synthetic }, title = {Owned"), pages=f"1--2 {payload}", venue=paper.venue)


@pytest.fixture
def exported(tmp_path, monkeypatch):
    text = hostile_readme()
    with World(tmp_path, monkeypatch, text=text, dataset=Dataset.from_readme(text, tamper=poison)) as world:
        code, rows, bib = world.export("--refresh")
    assert code == 0
    return rows, bib


def test_injected_text_stays_inside_its_field(exported):
    rows, bib = exported
    assert any(r["status"] == "resolved" for r in rows), "no row took the services' poisoned data"
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    assert len(library.entries) == len(rows)
    pybtex_db = PybtexParser().parse_string(bib)
    assert sorted(pybtex_db.entries) == sorted(e.key for e in library.entries)
    for entry in library.entries:
        names = [f.key for f in entry.fields]
        assert len(names) == len(set(names)), f"{entry.key}: a field appears twice: {names}"
        assert not {"x", "y"} & set(names)
        for field in entry.fields:
            value = str(field.value)
            assert brace_depths_ok(value), (entry.key, field.key, value)
            unexpected = control_sequences(value) - ALLOWED
            assert not unexpected, (entry.key, field.key, unexpected, value)


def test_payloads_survive_as_text(exported):
    rows, bib = exported
    titles = {decode(str(e.fields_dict["title"].value)).replace("{", "").replace("}", "")
              for e in bibtexparser.parse_string(bib).entries}  # fmt: skip
    text = " ".join(titles)
    for payload in PAYLOADS:
        for word in re.findall(r"[A-Za-z]{3,}", payload):
            assert word in text, (word, payload)

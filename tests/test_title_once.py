"""An entry without an author shows its title once, in every common bibliography style.

natbib's styles print the `key` field in the author's place when there is no author; with the
title in `key` (as this tool once wrote) plainnat printed every unresolved title twice and
`\\citet` printed the whole title. The pure-Python test pins the property for CI without TeX;
the TeX tests compile the README-only export of the real list with plainnat, plain, alpha and
biblatex's numeric and authoryear styles and read the typeset bibliography (dvi2tty) and the
BibTeX .bbl.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from conftest import DATA
from latex_decode import decode

from prune2bib import pipeline, writers
from prune2bib.readme import parse_readme

# Fields a BibTeX or biblatex style prints as text (natbib prints `key` when there is no author).
PRINTED = {"key", "booktitle", "journal", "series", "howpublished", "note", "publisher", "organization",
           "institution", "editor", "volume", "number", "pages", "year", "month", "addendum"}  # fmt: skip
ROWS = 40  # authorless entries compiled per style: enough for the property, quick with TeX


UPSTREAM_LIST = DATA / "awesome-pruning-README-upstream.md"
OTHER_LISTS = sorted((DATA / "lists").glob("*.md"))  # journals and preprints too: @article, @misc


@functools.cache  # each TeX test reads it twice; nothing changes it
def _authorless_bib(rows: int | None = None, path: Path = UPSTREAM_LIST) -> tuple[str, dict[str, str]]:
    """The README-only export of a real list: (BibTeX text, {key: title})."""
    entries = parse_readme(path.read_text(encoding="utf-8"))
    selected = pipeline.select_rows(entries, pipeline.RowFilter())[:rows]
    outcomes = pipeline.assign_keys(pipeline.resolve_rows(selected, None))
    records = [o.record for o in outcomes]
    return writers.render(records, "bibtex"), {r.id: r.title for r in records}


@pytest.mark.parametrize("path", [UPSTREAM_LIST, *OTHER_LISTS], ids=lambda p: p.stem)
def test_no_printed_field_repeats_the_title(path):
    text, titles = _authorless_bib(path=path)
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == len(titles) > 30
    for entry in library.entries:
        fields = {name.lower(): f.value for name, f in entry.fields_dict.items()}
        assert "author" not in fields and "key" not in fields
        title = _squash(titles[entry.key])
        assert [name for name in PRINTED & set(fields) if title in _squash(decode(fields[name]))] == []


def _squash(text: str) -> str:
    """Letters and digits only, lower case: typeset text and source compare across line breaks,
    hyphenation, braces and macros."""
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\\[A-Za-z]+", "", text).casefold())


def _tools(*names: str):
    missing = [n for n in names if shutil.which(n) is None]
    return pytest.mark.skipif(bool(missing), reason=f"not installed: {', '.join(missing)}")


def _run(cwd: Path, *command: str) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"


BIBTEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage{url}
%(package)s
\begin{document}
\nocite{*}
\bibliographystyle{%(style)s}
\bibliography{refs}
\end{document}
"""

BIBLATEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[backend=biber,style=%(style)s]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def _compile(tmp_path: Path, doc: str, bib_tool: str) -> tuple[str, str]:
    """(typeset text of the document, .bbl) of `doc` over the README-only export."""
    text, _ = _authorless_bib(ROWS)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(doc, encoding="utf-8")
    latex = ("latex", "-interaction=nonstopmode", "-halt-on-error", "doc")
    _run(tmp_path, *latex)
    _run(tmp_path, bib_tool, "doc")
    _run(tmp_path, *latex)
    typeset = subprocess.run(["dvi2tty", "-w132", "doc.dvi"], cwd=tmp_path, capture_output=True, text=True, check=True)
    return typeset.stdout, (tmp_path / "doc.bbl").read_text(encoding="utf-8")


def _assert_each_title_once(rendered: str) -> None:
    _, titles = _authorless_bib(ROWS)
    squashed = _squash(rendered)
    counts = {key: squashed.count(_squash(title)) for key, title in titles.items() if title.isascii()}
    assert len(counts) > ROWS // 2
    assert {key: n for key, n in counts.items() if n != 1} == {}


@_tools("latex", "bibtex", "dvi2tty")
@pytest.mark.parametrize("style", ["plainnat", "plain", "alpha"])
def test_bibtex_styles_print_each_title_once(tmp_path, style):
    package = r"\usepackage{natbib}" if style.endswith("nat") else ""
    typeset, bbl = _compile(tmp_path, BIBTEX_DOC % {"package": package, "style": style}, "bibtex")
    _assert_each_title_once(typeset)
    _assert_each_title_once(bbl)
    if style == "plainnat":  # \citet labels: the key's first letters, never the title
        labels = re.findall(r"\\bibitem\[(.*?)\]\{", bbl, re.S)
        assert len(labels) == ROWS and all(len(_squash(label)) < 12 for label in labels)


@_tools("latex", "biber", "dvi2tty")
@pytest.mark.parametrize("style", ["numeric", "authoryear"])
def test_biblatex_styles_print_each_title_once(tmp_path, style):
    typeset, _ = _compile(tmp_path, BIBLATEX_DOC % {"style": style}, "biber")
    _assert_each_title_once(typeset)

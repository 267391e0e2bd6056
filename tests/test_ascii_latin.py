"""`--ascii`: every Latin letter of Unicode is written in pure ASCII, as LaTeX accent macros
when LaTeX has them, else as its nearest ASCII with a warning that names it; the result
compiles with pdfLaTeX + BibTeX (T1 fonts)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata

import pytest
from latex_decode import decode

from prune2bib import writers
from prune2bib.record import Person, Record
from prune2bib.writers.accents import ACCENTS, LETTERS
from prune2bib.writers.latex import escape_text, inexact_characters, protect_title

LATIN = [chr(c) for c in range(sys.maxunicode + 1) if "LATIN " in unicodedata.name(chr(c), "")]
LATIN_LETTERS = [ch for ch in LATIN if unicodedata.category(ch).startswith("L") and not ch.isascii()]


def _has_latex_spelling(ch: str) -> bool:
    """The rule, stated independently: a base LaTeX can write (an ASCII letter or one of its
    letter commands) plus combining marks that each have a LaTeX accent command; or a ligature,
    digraph or fullwidth form of such letters."""
    nfd = unicodedata.normalize("NFD", ch)
    if nfd != ch:
        return (nfd[0].isascii() or nfd[0] in LETTERS) and all(m in ACCENTS for m in nfd[1:])
    if ch in LETTERS:
        return True
    tag, *codes = unicodedata.decomposition(ch).split() or [""]
    parts = "".join(chr(int(c, 16)) for c in codes)
    return (tag in ("<fullwidth>", "<wide>") or (tag == "<compat>" and len(parts) > 1)) and all(
        p.isascii() or _has_latex_spelling(p) for p in parts
    )


def test_the_latin_blocks_are_all_there():
    assert len(LATIN_LETTERS) > 1000  # Latin-1 ... Latin Extended-G, IPA, phonetic, ligatures, fullwidth
    assert {"ễ", "ø", "ǖ", "ạ", "ﬁ", "Ａ", "ə"} <= set(LATIN_LETTERS)


@pytest.mark.parametrize("block", range(0, len(LATIN_LETTERS), 100))
def test_every_latin_letter_is_ascii_and_reads_back(block):
    for ch in LATIN_LETTERS[block : block + 100]:
        latex = escape_text(ch, ascii=True)
        assert latex.isascii(), ch
        if _has_latex_spelling(ch):
            assert ch not in inexact_characters(ch), f"{ch!r} U+{ord(ch):04X} has a LaTeX spelling"
            assert unicodedata.normalize("NFKC", decode(latex)) == unicodedata.normalize("NFKC", ch), (ch, latex)
        else:
            assert inexact_characters(ch) == {ch: latex}, f"{ch!r} U+{ord(ch):04X} must be named in a warning"


def test_letters_with_two_accents_and_dotless_i():
    assert escape_text("Nguyễn", ascii=True) == r"Nguy{\~{\^e}}n"
    assert escape_text("\u0110\u1eb7ng Th\u1ecb Ng\u1ecdc", ascii=True) == r"{\DJ}{\u{\d{a}}}ng Th{\d{i}} Ng{\d{o}}c"
    assert escape_text("Ǖí", ascii=True) == r"{\={\"U}}{\'{\i}}"
    assert protect_title("Łódź ĄĘ", ascii=True) == r"{\L}{\'o}d{\'z} {{\k{A}}{\k{E}}}"


def test_a_mark_latex_lacks_keeps_the_others_and_is_named():
    # U+1EDC O with horn and grave: the horn has no LaTeX command (Vietnamese needs vntex).
    assert escape_text("Trường", ascii=True) == r"Tru{\`o}ng"
    assert inexact_characters("Trường") == {"ư": "u", "ờ": r"{\`o}"}
    assert inexact_characters("Schrödinger, Æsir") == {}


def test_warnings_name_each_character_and_the_entries():
    records = [
        Record(title="Pruning in Hà Nội", authors=(Person("Trần", "Thị"),), id="tran2020"),
        Record(title="Pruning for Trường", id="x2021"),
        Record(title="Plain Café", id="y2022"),
    ]
    assert writers.ascii_warnings(records) == [  # Hà Nội, Trần Thị, Café: exact accents, no warning
        "--ascii: 'ư' (U+01B0 LATIN SMALL LETTER U WITH HORN) has no LaTeX spelling; written as 'u' in x2021",
        "--ascii: 'ờ' (U+1EDD LATIN SMALL LETTER O WITH HORN AND GRAVE) has no LaTeX spelling;"
        " written as '{\\`o}' in x2021",
    ]
    assert writers.render(records, "bibtex", writers.WriteOptions(ascii=True)).isascii()


def test_comments_and_group_names_are_ascii_too():
    record = Record(title="Pruning", types=("F",), id="a2020")
    options = writers.WriteOptions(ascii=True, jabref_groups=True, type_names={"F": "élagage de filtres"})
    text = writers.render([record], "bibtex", options)
    assert text.isascii()
    assert "elagage de filtres" in text


def _every_latin_letter() -> list[Record]:
    """Records whose titles and author names hold every Latin letter of Unicode."""
    chunks = ["".join(LATIN_LETTERS[i : i + 24]) for i in range(0, len(LATIN_LETTERS), 24)]
    return [
        Record(title=f"Pruning {chunk} networks", authors=(Person(family=chunk[:12], given=chunk[12:]),), issued=(2020,), id=f"latin{n}")
        for n, chunk in enumerate(chunks)
    ]


@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("bibtex") is None, reason="pdflatex/bibtex not installed")
def test_every_latin_letter_compiles_with_pdflatex_and_bibtex(tmp_path):
    text = writers.render(_every_latin_letter(), "bibtex", writers.WriteOptions(ascii=True))
    assert text.isascii()
    (tmp_path / "refs.bib").write_text(text, encoding="ascii")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{url}\n\\begin{document}\n"
        "\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
    )
    latex = ("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc")
    for command in (latex, ("bibtex", "doc"), latex):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=180)
        assert done.returncode == 0, f"{command[0]}:\n{done.stdout[-3000:]}"
    log = (tmp_path / "doc.log").read_text(errors="replace")
    assert "! " not in log and "Unicode character" not in log
    assert (tmp_path / "doc.bbl").read_text().count("\\bibitem") == len(_every_latin_letter())

"""LaTeX escaping and capital protection for BibTeX text fields (writers/latex.py)."""

from __future__ import annotations

import bibtexparser
from pybtex.database.input.bibtex import Parser as PybtexParser  # parse_string(text, 'bibtex') scans entry points each call
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from latex_decode import brace_depths_ok, control_sequences, decode

from prune2bib import writers
from prune2bib.record import Person, Record
from prune2bib.writers.accents import spell_letter
from prune2bib.writers.latex import ESCAPE_MACROS, pylatexenc_pair, clean_text, escape_text, inexact_characters, protect_title, safe_url, url_in_text


@pytest.mark.parametrize(
    ("text", "latex"),
    [
        ("R&D: 50% of $5 #1 a_b", r"R\&D: 50\% of \$5 \#1 a\_b"),
        ("a{b}c", r"a\textbraceleft{}b\textbraceright{}c"),
        (r"\input{/etc/passwd}", r"\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}"),
        ("x~y^z", r"x\textasciitilde{}y\textasciicircum{}z"),
        ("a<b>c|d", r"a\textless{}b\textgreater{}c\textbar{}d"),
        ("  spaced\n\tout  ", "spaced out"),
        ("Café – naïve", "Café – naïve"),  # UTF-8 kept by default
    ],
)
def test_escape_text(text, latex):
    assert escape_text(text) == latex


def test_escape_text_ascii_uses_latex_accents():
    assert escape_text("Café Schrödinger Łukasz", ascii=True) == r"Caf{\'e} Schr{\"o}dinger {\L}ukasz"


def test_utf8_mode_encodes_what_latex_cannot_typeset():
    # Greek is not set up for LaTeX's default utf8 text input; it becomes math.
    assert escape_text("α-divergence") == r"{\ensuremath{\alpha}}-divergence"


@pytest.mark.parametrize(
    ("title", "latex"),
    [
        ("HRank: Filter Pruning using High-Rank Feature Map", "{HRank}: Filter Pruning using High-Rank Feature Map"),
        ("Pruning Filters for Efficient ConvNets", "Pruning Filters for Efficient {ConvNets}"),
        ("Towards Optimal Structured CNN Pruning", "Towards Optimal Structured {CNN} Pruning"),
        ("ResNet-50 on ImageNet", "{ResNet}-50 on {ImageNet}"),
        ("Minimum Variance Unbiased N:M Sparsity", "Minimum Variance Unbiased {N}:{M} Sparsity"),
        ("L1-norm Pruning of VGG16", "{L1}-norm Pruning of {VGG16}"),
        ("Chex: Channel Exploration for CNN Model Compression", "{Chex}: Channel Exploration for {CNN} Model Compression"),
        ("Bayesian Bits: Unifying Quantization and Pruning", "{Bayesian} Bits: Unifying Quantization and Pruning"),
        ("Pruning GANs and ViTs", "Pruning {GANs} and {ViTs}"),
        ("A Closer Look at Structured Pruning", "A Closer Look at Structured Pruning"),
        ("To prune, or not to prune: exploring", "To prune, or not to prune: exploring"),
        ("3D Point Clouds", "{3D} Point Clouds"),
        ("DepGraph: Towards Any Structural Pruning", "{DepGraph}: Towards Any Structural Pruning"),
        ("Chip : Channel Independence", "{Chip} : Channel Independence"),
        ("Net-Trim: Convex Pruning", "{Net}-{Trim}: Convex Pruning"),  # a hyphenated name
        ("Peek-a-Boo: What (More) is Disguised", "{Peek}-a-{Boo}: What (More) is Disguised"),
        ("PAC-Net: A Model Pruning Approach", "{PAC}-{Net}: A Model Pruning Approach"),
        ("Sparse Double Descent: Where", "Sparse Double Descent: Where"),  # words, not a name
        ("Pruning 50% of BERT & more", r"Pruning 50\% of {BERT} \& more"),
    ],
)
def test_capital_protection(title, latex):
    assert protect_title(title) == latex


def test_safe_url_percent_encodes_only_what_breaks_a_field():
    assert safe_url("https://x.org/a b{c}\\d?q=1%20&r=_") == "https://x.org/a%20b%7Bc%7D%5Cd?q=1%20&r=_"


def test_url_in_text_uses_url_command_only_when_safe():
    assert url_in_text("https://github.com/a/b_c") == r"\url{https://github.com/a/b_c}"
    assert url_in_text("https://x.org/a#frag") == r"https://x.org/a\#frag"


HOSTILE = [
    r"\input{/etc/passwd}",
    r"\write18{rm -rf ~}",
    r"\def\x{y}\x",
    "}, author = {Mallory",
    "}}}}{{{",
    "100% & $x$ # _ ~ ^ \\",
    "@misc{evil, title={x}}",
    "\\",
    "{\\'e}",
    "Ümlaut – “quoted” — α",
]


def _bib_title(title: str, ascii: bool = False) -> tuple[str, str]:
    """Write one record with `title`; parse the file back with both parsers; their titles."""
    record = Record(title=title, authors=(Person("Doe", "Jane"),), issued=(2020,), types=("F",), id="doe2020")
    text = writers.render([record], "bibtex", writers.WriteOptions(ascii=ascii))
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, library.failed_blocks
    assert [e.key for e in library.entries] == ["doe2020"]
    by_bibtexparser = library.entries[0].fields_dict["title"].value
    by_pybtex = PybtexParser().parse_string(text).entries["doe2020"].fields["title"]
    assert by_bibtexparser == by_pybtex
    return by_pybtex, text


@pytest.mark.parametrize("title", HOSTILE)
@pytest.mark.parametrize("ascii", [False, True])
def test_hostile_titles_stay_text(title, ascii):
    field, text = _bib_title(title, ascii)
    assert decode(field) == clean_text(title)
    assert brace_depths_ok(field)
    for name in ("input", "write", "def", "x"):
        assert name not in control_sequences(field)
    assert "Mallory" not in text.split("title")[0]  # nothing leaked into another field


def _allowed_sequences(title: str) -> set[str]:
    """Our escapes, plus the commands pylatexenc spells the input's non-ASCII characters with."""
    allowed = set(ESCAPE_MACROS) | {"&", "%", "$", "#", "_"}
    for ch in set(title):
        if not ch.isascii():
            allowed |= control_sequences(pylatexenc_pair()[0].unicode_to_latex(ch)) | control_sequences(spell_letter(ch).latex)
    return allowed


def typeset(text: str) -> str:
    """The text LaTeX prints for a field of `text`: the text itself, except U+02C6 MODIFIER LETTER
    CIRCUMFLEX, which the writer spells as LaTeX's utf8enc.dfu does, `\\textasciicircum` -- the
    escape of '^' too, so it reads back as '^' (one glyph for both). Every other code point from
    U+0080 up reads back as itself (all checked one by one)."""
    return clean_text(text).replace("\u02c6", "^")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
@example(r"\input{x}")
@example("}")
@example("{")
@example("a--b")
@example("\ufb00 \u01c6")  # a ligature and a digraph stay as written in UTF-8 mode
@example("x\u02c6y^z")  # U+02C6 and '^' typeset alike: both are \textasciicircum
def test_any_title_round_trips(title):
    assume(clean_text(title))  # an empty title is left out, tested elsewhere
    field, _ = _bib_title(title)
    assert brace_depths_ok(field)
    assert decode(field) == typeset(title)
    assert control_sequences(field) <= _allowed_sequences(title)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F), max_size=40))
@example("\u00b7-")  # '·' is '-' in ASCII: next to a '-' it made an en dash
@example("-\u00b7")
@example("\u0140-")  # 'ŀ' ends in '-' in ASCII, the '-' is the next piece's
@example("'\u0149")  # 'ŉ' starts with "'" in ASCII: a pair across a word and its neighbour
def test_any_latin_title_round_trips_in_ascii_mode(title):
    assume(clean_text(title))
    field, text = _bib_title(title, ascii=True)
    assert text.isascii()
    # Characters LaTeX has no spelling for (e.g. U+0166 T with stroke) read back as their nearest ASCII.
    nearest = {ch: decode(latex) for ch, latex in inexact_characters(title).items()}
    assert brace_depths_ok(field)
    assert decode(field) == "".join(nearest.get(ch, ch) for ch in clean_text(title))
    assert control_sequences(field) <= _allowed_sequences(title)

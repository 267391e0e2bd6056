"""The writers' fast paths give the same text as the general code they skip, on any input.

Each fast path (writers/latex.py, writers/common.py, writers/bibtex.py) exists only for speed;
these tests compare it with the slow path it replaces, so a fast path that answers differently
for some input fails here rather than changing a user's .bib.
"""

from __future__ import annotations

import re
import sys

import pytest
from bibtexparser import Library, write_string
from bibtexparser.middlewares import AddEnclosingMiddleware
from bibtexparser.model import Entry, ExplicitComment, Field
from bibtexparser.writer import BibtexFormat
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from prune2bib.titles import phrase_spans, proper_nouns
from prune2bib.writers import bibtex, common, latex
from prune2bib.writers.bibtex import _BARE_NUMBER_FIELDS, _enclosed
from prune2bib.writers.common import MONTH_MACROS, page_range
from prune2bib.writers.latex import _CONTROL, _escape_raw, _escaped, _is_plain, _protect_words, clean_text, name_before_colon, protect_title

ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
# Text made of what the fast paths look at: spaces of every kind, control characters, LaTeX
# specials, ligature halves, colons, hyphens, digits, accented and other non-ASCII letters.
TRICKY = st.text(
    alphabet=st.sampled_from(
        list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u200b\x00\x7f\x9f\xad")
        + list("\\{}&%$#_~^<>|-`',!?:;()/.\"")
        + list("aAbBnNzZ019²")
        + ["é", "ß", "ả", "Σ", "ﬀ", "中", "–", "“"]
    ),
    max_size=30,
)
_NAMES = sorted(proper_nouns()[0])[:40]
_PHRASES = list(proper_nouns()[1])
TITLE_WORDS = st.sampled_from(
    ["Pruning", "pruning", "of", "the", "A", "N", "CNN", "ResNet", "L1", "VGG16", "mAP", "3D", "Net", "Trim",
     "Hessian", "Gaussians", "Café", "naïve", "Ǆ", "x", ":", " :", "-", "--", "(", ")", "&", "{", "}", "\\",
     "''", "``", "?`", ",,", "_", "–", "é", "\u00a0", "\t", "  "]
    + _NAMES + _PHRASES
)  # fmt: skip
TITLES = st.lists(TITLE_WORDS, max_size=14).map(" ".join) | st.lists(TITLE_WORDS, max_size=14).map("".join)


def _slow_clean_text(text: str) -> str:
    return " ".join(re.sub(_CONTROL, "", text).split())


def test_printable_text_holds_no_other_space_and_no_control_character():
    """clean_text's fast path rests on this: a printable string has no character that
    str.split() splits on except the ASCII space, and none that _CONTROL removes."""
    found = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if (ch := chr(code)).isprintable() and ((ch.isspace() and ch != " ") or re.match(_CONTROL, ch))
    ]
    assert found == []


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT | TRICKY)
@example("  a  b ")
@example("a  b")
@example("a\u00a0b")
@example("\x85")
@example("a\u200bb")
def test_clean_text_fast_path_equals_the_regex_path(text):
    assert clean_text(text) == _slow_clean_text(text)


@settings(max_examples=500, deadline=None)
@given(ANY_TEXT | TRICKY, st.booleans())
@example("a--b", False)
@example("x''", True)
@example("a,,b", False)
@example("?`", False)
@example("100%", False)
@example("é", True)
def test_escape_fast_path_equals_the_escaping_path(text, ascii):
    assert _escape_raw(text, ascii) == _escaped(text, ascii)
    if _is_plain(text):
        assert _escaped(text, ascii) == text


@pytest.mark.parametrize("pair", ["--", "``", "''", "!`", "?`", ",,"])
def test_every_ligature_pair_takes_the_escaping_path(pair):
    text = f"a{pair}b"
    assert not _is_plain(text)
    assert _escape_raw(text, False) == _escaped(text, False) != text


def _slow_protect_title(text: str, ascii: bool) -> str:
    text = clean_text(text)
    return _protect_words(text, ascii, name_before_colon(text), phrase_spans(text))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TITLES | TRICKY | ANY_TEXT, st.booleans())
@example("HRank: Filter Pruning using High-Rank Feature Map", False)
@example("DepthFL : Depthwise Federated Learning", False)
@example("Net-Trim: Convex Pruning of Deep Neural Networks", True)
@example("Peek-a-Boo: What (More) is Disguised in a Randomly Weighted Neural Network", False)
@example("Pruning with Monte Carlo and Frank-Wolfe: N:M Sparsity in CNNs", False)
@example("A Bayesian view: Hessian-aware pruning", False)
@example("Chex:", False)
@example("N: M Sparsity", False)
@example(":", False)
def test_protect_title_fast_path_equals_the_word_by_word_path(title, ascii):
    assert protect_title(title, ascii) == _slow_protect_title(title, ascii)


def test_protect_title_fast_path_is_taken_and_remembers_pieces():
    """The piece cache is used for plain titles (so the test above compares two paths)."""
    latex._plain_piece.cache_clear()
    protect_title("HRank: Filter Pruning using High-Rank Feature Map for CNNs")
    info = latex._plain_piece.cache_info()
    assert info.misses == 9 and info.currsize == 9  # ":", "Filter", ..., "CNNs"; the name apart


def _slow_page_range(page: str) -> tuple[str, str]:
    match = common._RANGE.match(clean_text(page))
    return (match.group(1), match.group(2)) if match else (clean_text(page), "")


@settings(max_examples=400, deadline=None)
@given(st.from_regex(r"\A[0-9²٣]{0,4}-{0,2}[0-9²٣ ]{0,4}\Z") | TRICKY)
@example("123-130")
@example("123--130")
@example("1-2-3")
@example("-5")
@example("5-")
@example("e12-e15")
def test_page_range_fast_path_equals_the_regex_path(page):
    assert page_range(page) == _slow_page_range(page)


def _written_by_middleware(fields: list[tuple[str, str]]) -> str:
    """How the writer wrote these values before: raw values enclosed by AddEnclosingMiddleware."""
    entry = Entry("misc", "k", [Field(key, value) for key, value in fields])
    for field in entry.fields:
        if field.key == "month":
            field.enclosing = "no-enclosing"
    library = Library([entry])
    enclose = AddEnclosingMiddleware(
        reuse_previous_enclosing=False, enclose_integers=False, default_enclosing="{", allow_inplace_modification=True
    )
    return write_string(library, unparse_stack=[enclose])


def _written_enclosed(fields: list[tuple[str, str]]) -> str:
    library = Library([Entry("misc", "k", [Field(key, _enclosed(key, value)) for key, value in fields])])
    return write_string(library, unparse_stack=[])


FIELD_KEYS = sorted(_BARE_NUMBER_FIELDS - {"month"}) + ["author", "title", "booktitle", "doi", "url", "note", "code"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(FIELD_KEYS), st.from_regex(r"\A[0-9]{1,5}\Z") | ANY_TEXT | TRICKY), max_size=6),
    st.sampled_from(MONTH_MACROS),
)
def test_values_enclosed_by_the_writer_equal_the_enclosing_middleware(fields, month):
    fields = [*fields, ("month", month)]
    assert _written_enclosed(fields) == _written_by_middleware(fields)


@pytest.mark.parametrize("value", ["2019", "2019a", "²", "-5", "12 ", ""])
def test_numbers_are_bare_only_in_numeric_fields(value):
    for key in ("year", "volume", "pages", "title"):
        assert _written_enclosed([(key, value)]) == _written_by_middleware([(key, value)])
    assert bibtex._enclosed("title", "2019") == "{2019}"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FIELD_KEYS + ["archivePrefix", "primaryClass", "x"]), max_size=5, unique=True), max_size=4))
def test_value_column_is_the_one_bibtexparser_auto_picks(key_lists):
    library = Library([Entry("misc", f"k{i}", [Field(key, "{v}") for key in keys]) for i, keys in enumerate(key_lists)])
    library.add(ExplicitComment("a comment"))
    fmt = BibtexFormat()
    fmt.indent, fmt.value_column, fmt.trailing_comma, fmt.block_separator = "  ", "auto", True, "\n"
    by_auto = write_string(library, unparse_stack=[], bibtex_format=fmt)
    assert bibtex._write(library) == (by_auto if by_auto.endswith("\n") else by_auto + "\n")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT | TRICKY | st.sampled_from(["pruning", "Pruning", "ǅa", "ᾈ", "ⅰ", "ⓐ", "ʰ", "ß", "ﬀ"]))
def test_a_lower_case_word_holds_no_capital(word):
    """needs_protection's first exit: str.islower() is never True for a word with a capital."""
    if word.islower():
        assert not any(ch.isupper() for ch in word)
        assert not latex.needs_protection(word)


def test_a_name_part_is_braced_when_the_and_pattern_says_so_whatever_its_letters():
    # bibtex._splits_name_list skips the case-insensitive search unless 'and' is in the part's
    # lower case. That rests on this: every character the search takes for a letter of 'and' has
    # that letter as its lower case (one pass of each letter over all of Unicode).
    everything = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    for letter in "and":
        assert {ch.lower() for ch in re.findall(letter, everything, re.IGNORECASE)} == {letter}
    for part in ("Smith, Jr.", "Tom AND Jerry", "Tom and", "Anderson", "Band", "Ånd", "a-and-b", "Ｆand"):
        assert bibtex._splits_name_list(part) == ("," in part or bool(bibtex._AND.search(part))), part


@given(st.text(alphabet=st.sampled_from(list("0123456789 -–—_{}%²٣é\t")), max_size=14))
@example("123-130")
@example("42")
@example("²-٣")
def test_page_numbers_are_written_as_escaping_them_would(page):
    for ascii in (False, True):
        first, last = page_range(page)
        first, last = latex.escape_text(first, ascii), latex.escape_text(last, ascii)
        assert bibtex.format_pages(page, ascii) == (f"{first}--{last}" if last else first)


@pytest.mark.parametrize("word, protected", [
    ("CNN", True), ("ResNet", True), ("HRank", True), ("mAP", True), ("3D", True), ("L1", True), ("VGG16", True),
    ("N", True), ("A", False), ("Hessian", True), ("Gaussians", True), ("Pruning", False), ("Deep", False),
    ("pruning", False), ("3", False), ("-", False), ("xǄ", True), ("Ǆx", False), ("ǅa", False),
])  # fmt: skip
def test_the_words_that_keep_their_capitals(word, protected):
    """needs_protection: a capital after the first letter, a digit with a capital, a lone capital
    (not the article 'A'), or a listed proper noun (data/proper-nouns.txt)."""
    assert latex.needs_protection(word) is protected

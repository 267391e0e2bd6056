"""LaTeX text for BibTeX fields: escaping, capital protection, optional ASCII accents.

Stage: helper of `writers/bibtex.py`. Text from the README or from a service is untrusted: after
`escape_text` it holds no control sequence except the fixed escapes below, and its braces are
balanced, so it can neither run a command (`\\input`, `\\write18`, `\\def`) nor close a BibTeX
field early. BibTeX counts *every* brace, escaped or not, when it looks for the end of a field
value, so `\\{` would unbalance the field: literal braces become `\\textbraceleft{}` and
`\\textbraceright{}` instead (LaTeX kernel text symbols, no package needed).

Capital protection follows the BibTeX convention (btxdoc, "change.case$"): styles may lower-case
a title, except inside braces; the words that must keep their capitals are wrapped in braces.

Non-ASCII text stays UTF-8 by default (biber and LaTeX's utf8 input read it), except what
pdfLaTeX cannot typeset from UTF-8, which is spelled as LaTeX when LaTeX has a spelling. With
`ascii=True` the output is pure ASCII: Latin letters become accent macros (`writers.accents`:
every letter whose marks LaTeX has commands for, with T1 fonts), other characters the LaTeX of
pylatexenc (https://pylatexenc.readthedocs.io/en/latest/latexencode/, already a dependency of
bibtexparser 2); a character with no LaTeX spelling at all is written as its nearest ASCII and
named by `inexact_characters`, so that the CLI can warn about it. In UTF-8 mode such a character
is kept as it is: the output never says something else than the input without a warning.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from ..titles import is_proper_noun, phrase_spans
from .accents import Spelling, is_latin_letter, nearest_ascii, spell_letter

# Every special character of LaTeX and BibTeX, and its escape. Each escape is a control word
# followed by `{}` (or a control symbol), so the text after it can never extend the name.
ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # OT1, LaTeX's default font encoding, prints these three as other glyphs.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
ESCAPE_MACROS = frozenset(e[1:].removesuffix("{}") for e in ESCAPES.values())
_SPECIALS = re.compile("[" + re.escape("".join(ESCAPES)) + "]")

# Characters LaTeX's default utf8 input typesets without extra packages: Latin-1, Latin
# Extended-A and the common punctuation (dashes, quotes, ellipsis). Anything else is written as
# a LaTeX command when pylatexenc knows one (e.g. α -> \ensuremath{\alpha}), since a bare one
# stops LaTeX with "Unicode character ... not set up for use with LaTeX".
_UTF8_SAFE = re.compile("[\u00a0-\u017f\u2010-\u2026]")


@lru_cache(maxsize=1)
def pylatexenc_pair():
    """pylatexenc's encoder, and the decoder that checks what it spells: imported and made when a
    character first needs them (`_latex_for_char`). The decoder's macro database takes ~10 ms to
    build, and a list's letters are spelled by accents.py; CSL-JSON and RIS never need either."""
    from pylatexenc.latex2text import LatexNodes2Text
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    encoder = UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",  # {\'e}: the form BibTeX treats as one letter
        unknown_char_policy="keep",  # e.g. CJK: no LaTeX spelling exists; keep the character
        unknown_char_warning=False,
    )
    return encoder, LatexNodes2Text(math_mode="text")


_WORD = re.compile(r"[^\W_]+")


# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) but tab, LF and CR.
_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"


def clean_text(text: str) -> str:
    """Collapse all whitespace (newlines, tabs, NBSP) to single spaces; drop control characters."""
    # This runs on every field of every entry (~17 per entry), and nearly every value is clean
    # already: printable (so no control character and no whitespace but the ASCII space) with
    # single spaces between words. Such text is returned as it is, without the regex pass, the
    # split and the join (tests/test_latex_fast_paths.py holds both paths equal on any text).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(re.sub(_CONTROL, "", text).split())


@lru_cache(maxsize=4096)
def escape_text(text: str, ascii: bool = False) -> str:
    """Plain text -> LaTeX that typesets as that text (no capital protection)."""
    # Cached: a bibliography repeats the same venue, publisher, series, tag and code label in
    # entry after entry; the function is pure.
    return _escape_raw(clean_text(text), ascii) if text else text


def _escape_raw(text: str, ascii: bool) -> str:
    # Most values need nothing (pages, plain ASCII names, the spaces between title words): one
    # cheap test instead of two regex substitutions (tests/test_latex_fast_paths.py).
    return text if _is_plain(text) else _escaped(text, ascii)


def _escaped(text: str, ascii: bool) -> str:
    escaped = _SPECIALS.sub(lambda m: ESCAPES[m.group()], text)
    return _unligatured(_encode_unicode(escaped, ascii))


def _unligatured(latex: str) -> str:
    """An empty group between two characters TeX would join. After the characters are spelled:
    a spelling may itself start or end with one of them ('·' is '-' in ASCII mode, '-·' was
    typeset as an en dash)."""
    return _LIGATURE.sub(r"\g<0>{}", latex)


# TeX fonts turn these pairs into other glyphs (-- en dash, `` and '' curly quotes, !` and ?`
# inverted marks, ,, low quotes); an empty group between the two keeps the text as written.
_LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')|[!?](?=`)|,(?=,)")


def _is_plain(text: str) -> bool:
    """Whether `_escape_raw` leaves `text` as it is: ASCII with no LaTeX special and no ligature
    pair. Substring tests, not `_LIGATURE.search`: a regex of lookaheads costs ~8 µs per title."""
    return text.isascii() and not _SPECIALS.search(text) and not _has_ligature_pair(text)


def _has_ligature_pair(text: str) -> bool:
    return "--" in text or "``" in text or "''" in text or "!`" in text or "?`" in text or ",," in text


def _encode_unicode(text: str, ascii: bool) -> str:
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() or (not ascii and _UTF8_SAFE.match(ch)) else _spell(ch, ascii).latex for ch in text)


def _spell(ch: str, ascii: bool) -> Spelling:
    """One non-ASCII character as LaTeX; when LaTeX has no spelling, the nearest ASCII (ascii)
    or the character itself (UTF-8), with `exact=False`."""
    if is_latin_letter(ch):
        spelled = spell_letter(ch)
        if not ascii and unicodedata.decomposition(ch).startswith("<"):
            return Spelling(ch, spelled.exact)  # UTF-8 keeps a ligature or fullwidth letter as written
    else:
        latex = _latex_for_char(ch)
        spelled = Spelling(latex, True) if latex != ch else nearest_ascii(ch)
    if spelled.exact or ascii:
        return spelled
    return Spelling(ch, False)


def inexact_characters(text: str) -> dict[str, str]:
    """The characters of `text` that have no LaTeX spelling -> what `ascii=True` writes instead."""
    return {ch: spelled.latex for ch in sorted(set(text)) if not ch.isascii() and not (spelled := _spell(ch, True)).exact}


@lru_cache(maxsize=None)
def _latex_for_char(ch: str) -> str:
    """pylatexenc's LaTeX for one character, if it reads back as that character; else the
    character itself (pylatexenc approximates some, e.g. U+0166 as T-macron, U+FB00 as 'ff')."""
    encoder, decoder = pylatexenc_pair()
    latex = encoder.unicode_to_latex(ch)
    if latex != ch and latex.isascii() and decoder.latex_to_text(latex) == ch:
        return latex
    return ch


def needs_protection(word: str) -> bool:
    """Whether a title word must keep its capitals ({CNN}, {ResNet}, {L1}, {Bayesian}, {N})."""
    if word.islower():  # most words; one C pass (str.islower is False for any uppercase letter)
        return False
    # (map, not a generator: no Python frame per letter, for every capitalised word of every title)
    if not any(map(str.isupper, word)):
        return False
    return (
        any(map(str.isupper, word[1:]))  # CNN, ResNet, HRank, mAP, 3D
        or any(map(str.isdigit, word))  # L1, VGG16
        or (len(word) == 1 and word != "A")  # the N of N:M sparsity; 'A' is the article
        or is_proper_noun(word)  # Hessian, Gaussians: data/proper-nouns.txt
    )


def protect_title(text: str, ascii: bool = False) -> str:
    """A title -> escaped LaTeX with the words that must keep their capitals in braces.

    A single word before the first colon is the method's name ("Chex: ...", "Net-Trim: ..."), its
    capitalised parts protected too, and so are the capitalised words of a listed multi-word name
    ("Monte Carlo", "Frank-Wolfe").
    """
    text = clean_text(text)
    name_end = name_before_colon(text)
    phrases = phrase_spans(text)
    if phrases or not _is_plain(text):
        return _protect_words(text, ascii, name_end, phrases)
    # Most titles: plain ASCII (nothing to escape or spell) and no listed phrase. Then a word's
    # braces depend on the word alone, except in the name before the colon, so each piece
    # between two spaces is rendered once and remembered: a title is mostly a few dictionary
    # lookups instead of a regex callback per word (tests/test_latex_fast_paths.py holds this
    # equal to `_protect_words` on any text).
    head = _plain_name(text[:name_end]) if name_end > 0 else ""
    return head + " ".join(map(_plain_piece, text[max(name_end, 0) :].split(" ")))


def _plain_name(name: str) -> str:
    """The name before a plain title's colon ('HRank', 'Net-Trim': ASCII words joined by single
    hyphens, `name_before_colon`) as `_protect_words` writes it: each capitalised part braced."""
    return "-".join("{" + word + "}" if word[:1].isupper() or needs_protection(word) else word for word in name.split("-"))


@lru_cache(maxsize=8192)
def _plain_piece(piece: str) -> str:
    """A space-free piece of a plain title outside its name ('Networks:', '(CNNs)') as LaTeX."""
    if piece.isalpha() and piece.isascii():  # one word, nothing to escape: most pieces
        return "{" + piece + "}" if needs_protection(piece) else piece
    return _protect_words(piece, False, -1, [])


def _protect_words(text: str, ascii: bool, name_end: int, phrases: list[tuple[int, int]]) -> str:
    """`protect_title`'s rule, word by word: `name_end` from `name_before_colon`, `phrases`
    from `titles.phrase_spans`."""
    out, pos = [], 0
    for match in _WORD.finditer(text):
        out.append(_escape_raw(text[pos : match.start()], ascii))
        word = match.group()
        latex = _encode_unicode(word, ascii)
        in_phrase = word[:1].isupper() and any(start <= match.start() < end for start, end in phrases)
        in_name = match.end() <= name_end and word[:1].isupper()
        protect = needs_protection(word) or in_name or in_phrase
        out.append("{" + latex + "}" if protect else latex)
        pos = match.end()
    out.append(_escape_raw(text[pos:], ascii))
    # Pairs across a word and its neighbour ("'" then 'ŉ', spelled "'n" in ASCII mode).
    return _unligatured("".join(out))


# A name is one word, or words joined by hyphens ('Net-Trim', 'PAC-Net', 'Peek-a-Boo').
_NAME = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def name_before_colon(text: str) -> int:
    """End offset of a one-word name before the first ':' ('HRank: ...', 'Net-Trim: ...'), or -1."""
    head, colon, _ = text.partition(":")
    head = head.rstrip()
    if colon and _NAME.fullmatch(head) and head[:1].isupper():
        return len(head)
    return -1


# Characters that may not appear raw in a BibTeX url/doi field: braces and backslash would
# unbalance or escape the value, whitespace would be dropped. Percent-encoding keeps the URL
# equivalent (RFC 3986) and leaves every other character alone.
_URL_UNSAFE = re.compile(r"[{}\\\s\"]")


def safe_url(url: str) -> str:
    """A URL or DOI made safe for a verbatim BibTeX field (url, doi)."""
    return _URL_UNSAFE.sub(lambda m: quote(m.group(), safe=""), url.strip())


# Inside \url{...} in a field that LaTeX typesets (biblatex passes fields as macro arguments),
# % and # break the argument; such URLs are written as escaped text instead.
_URL_ARG_UNSAFE = re.compile(r"[%#{}\\^~\s]")


def url_in_text(url: str) -> str:
    """A URL for a typeset field (note): \\url{...} when safe, else escaped plain text."""
    url = url.strip()
    if _URL_ARG_UNSAFE.search(url):
        return escape_text(url)
    return r"\url{" + url + "}"

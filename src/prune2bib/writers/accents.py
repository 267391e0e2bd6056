"""Latin letters -> LaTeX accent macros; anything else -> pylatexenc, or the nearest ASCII.

Stage: helper of `writers/latex.py`. pylatexenc (https://pylatexenc.readthedocs.io/) spells
only about 190 of Unicode's ~1150 Latin letters and leaves out letters with two accents
(Vietnamese 'ễ' = e + circumflex + tilde), so Latin letters are spelled here from their
canonical decomposition (NFD): base letter + combining marks, each mark one of LaTeX's own
accent commands, innermost first (`\\~{\\^e}`). Bases without an ASCII form use the LaTeX
letter commands (`\\o`, `\\ss`, `\\dh`...). Everything written here is available in pdfLaTeX
with `\\usepackage[T1]{fontenc}` (`\\k`, `\\dh`, `\\th`, `\\ng`, `\\dj` need T1; the others
work in any encoding) and in biber / XeLaTeX / LuaLaTeX.

A character with no such spelling (a mark LaTeX has no command for, such as the Vietnamese
horn or hook above; a letter with no base, such as 'ə'; CJK) is `Spelling(exact=False)`: the
ASCII writer uses its nearest ASCII form (the supported accents kept, else anyascii's
transliteration, https://github.com/anyascii/anyascii) and the caller warns, naming it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from msgspec import Struct

# LaTeX's accent commands by combining mark (the LaTeX 2e kernel, T1 for \k).
ACCENTS = {
    "\u0300": "`",  # grave
    "\u0301": "'",  # acute
    "\u0302": "^",  # circumflex
    "\u0303": "~",  # tilde
    "\u0304": "=",  # macron
    "\u0306": "u",  # breve
    "\u0307": ".",  # dot above
    "\u0308": '"',  # diaeresis
    "\u030a": "r",  # ring above
    "\u030b": "H",  # double acute
    "\u030c": "v",  # caron
    "\u0323": "d",  # dot below
    "\u0327": "c",  # cedilla
    "\u0328": "k",  # ogonek
    "\u0331": "b",  # macron below
}

# Letters that are not a base plus marks, and their LaTeX commands (T1 for eth, thorn, eng, d-bar).
LETTERS = {
    "\u00df": r"\ss", "\u00e6": r"\ae", "\u00c6": r"\AE", "\u00f8": r"\o", "\u00d8": r"\O",
    "\u0153": r"\oe", "\u0152": r"\OE", "\u0142": r"\l", "\u0141": r"\L", "\u0131": r"\i",
    "\u0237": r"\j", "\u00f0": r"\dh", "\u00d0": r"\DH", "\u0111": r"\dj", "\u0110": r"\DJ",
    "\u00fe": r"\th", "\u00de": r"\TH", "\u014b": r"\ng", "\u014a": r"\NG", "\u0133": r"\ij",
    "\u0132": r"\IJ", "\u0192": r"\textflorin",
}  # fmt: skip

# Compatibility decompositions that keep the meaning: fullwidth forms, and ligatures and digraphs
# spelled apart (ﬁ -> fi, ǆ -> dž). Others (ſ -> s, <sub>, <super>, <small>, ...) change how the
# letter looks and count as approximations.
_SAME_MEANING_TAGS = ("<fullwidth>", "<wide>")
_DOTTED = {"i": r"\i", "j": r"\j"}  # accents above i and j sit on the dotless forms


class Spelling(Struct, frozen=True):
    """How one character is written: `latex` (ASCII unless the caller keeps UTF-8) and whether
    it typesets as that very character (`exact`)."""

    latex: str
    exact: bool


def is_latin_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and "LATIN " in unicodedata.name(ch, "")


@lru_cache(maxsize=None)
def spell_letter(ch: str) -> Spelling:
    """A Latin letter -> its LaTeX spelling; `exact=False` when LaTeX has none (nearest ASCII)."""
    if ch.isascii():
        return Spelling(ch, True)
    if ch in LETTERS:
        return Spelling("{" + LETTERS[ch] + "}", True)
    canonical = unicodedata.normalize("NFD", ch)
    if canonical != ch:
        return _accented(ch, canonical[0], canonical[1:])
    tag, parts = _compatibility(ch)
    if parts:
        spelled = [spell_letter(p) if is_latin_letter(p) else nearest_ascii(p) for p in parts]
        same_meaning = tag in _SAME_MEANING_TAGS or (tag == "<compat>" and len(parts) > 1)
        exact = same_meaning and all(s.exact for s in spelled)
        return Spelling("".join(s.latex for s in spelled), exact)
    return nearest_ascii(ch)


def _compatibility(ch: str) -> tuple[str, str]:
    """('<compat>', 'ff') for U+FB00: the tag and the characters of a compatibility mapping."""
    fields = unicodedata.decomposition(ch).split()
    if not fields or not fields[0].startswith("<"):
        return "", ""
    return fields[0], "".join(chr(int(code, 16)) for code in fields[1:])


def _accented(ch: str, base: str, marks: str) -> Spelling:
    """Base letter + combining marks (canonical order: below before above) -> nested accents."""
    supported = [m for m in marks if m in ACCENTS]
    if base in _DOTTED and any(unicodedata.combining(m) == 230 for m in supported):
        latex = _DOTTED[base]
    else:
        spelled = spell_letter(base) if is_latin_letter(base) else nearest_ascii(base)
        if not spelled.exact:
            return nearest_ascii(ch)
        latex = spelled.latex.removeprefix("{").removesuffix("}")
    for mark in supported:
        command = ACCENTS[mark]
        bare = len(latex) == 1 and latex.isalpha() and not command.isalpha()  # \'e, but \c{c}, \'{\i}
        latex = f"\\{command}{latex}" if bare else f"\\{command}{{{latex}}}"
    braced = "{" + latex + "}" if latex.startswith("\\") else latex
    return Spelling(braced, len(supported) == len(marks))


@lru_cache(maxsize=None)
def nearest_ascii(ch: str) -> Spelling:
    """The closest ASCII for a character LaTeX cannot spell (anyascii; '?' when it has none)."""
    from anyascii import anyascii  # imported on first use: only --ascii output needs it

    text = anyascii(ch)
    return Spelling(_plain(text) or "?", False)


def _plain(text: str) -> str:
    # anyascii may answer with LaTeX specials (e.g. '^' or '~'); they are dropped rather than escaped
    # here, since the caller escapes text before spelling characters.
    return "".join(c for c in text if c.isalnum() or c in " '-.,:;/()")

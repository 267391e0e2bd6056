"""Test helper: read LaTeX written by `writers.latex` back to plain text, independently.

Decoding uses pylatexenc's LaTeX parser (https://pylatexenc.readthedocs.io/en/latest/latex2text/)
taught the kernel text symbols our escapes use, which its default tables lack. The check for
unexpected commands tokenises the raw field the way TeX does.
"""

from __future__ import annotations

import functools
import re

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

_SYMBOLS = {
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
}

_db = get_default_latex_context_db()
_db.add_context_category(
    "prune2bib-escapes", macros=[MacroTextSpec(name, text) for name, text in _SYMBOLS.items()], prepend=True
)
_decoder = LatexNodes2Text(latex_context=_db, math_mode="text", strict_latex_spaces=True)


@functools.lru_cache(maxsize=4096)  # booktitles and series repeat across a whole list's entries
def decode(latex: str) -> str:
    """LaTeX text (as in a .bib field) -> the plain text it typesets as."""
    return _decoder.latex_to_text(latex)


_CONTROL = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)


def control_sequences(latex: str) -> set[str]:
    """Names of all control sequences in `latex` ('input' for \\input, '&' for \\&)."""
    return set(_CONTROL.findall(latex))


def brace_depths_ok(latex: str) -> bool:
    """BibTeX's view: every brace counts (escaped or not); depth never below 0, ends at 0."""
    depth = 0
    for ch in latex:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0

"""A row's identity in the list: its link identifier and its normalised title — never its line.

Stage: project (the lock). A row keeps its lock entry (and so its citation key) while the list
around it changes: rows inserted above it, a retitle (same link), a new link (same title, same
year). The identity is written into the lock for reviewers; matching recomputes it from the row,
so the normalisation below can be improved without every row looking changed.
"""

from __future__ import annotations

import re
import unicodedata

from prune2bib.identify import identify

# Letters NFKD does not decompose into an ASCII base letter (as citekeys.ascii_fold).
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE",
                       "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i"})  # fmt: skip
# (Patterns written as plain strings are compiled by `re` on first use, then cached: a warm export needs none of them.)
_NOT_ALNUM = r"[^a-z0-9]+"
_ARXIV_VERSION = r"v\d+$"


def normalised_title(title: str) -> str:
    """'Filter Pruning via Geometric Median…' -> 'filter pruning via geometric median': lower-case
    ASCII words, accents folded, punctuation and markup spacing gone."""
    folded = unicodedata.normalize("NFKD", title.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(_NOT_ALNUM, " ", folded.lower()).strip()


def link_identity(url: str) -> str:
    """The link as an identifier that survives cosmetic edits: 'arxiv:1811.00250' for
    https://arxiv.org/abs/1811.00250v3 (the version is not the paper), DOIs in lower case,
    'url:<link>' for a link no rule knows, '' for no link."""
    if not url.strip():
        return ""
    ident = identify(url)
    value = ident.value
    if ident.kind == "arxiv":
        value = re.sub(_ARXIV_VERSION, "", value)
    elif ident.kind == "doi":
        value = value.lower()
    return f"{ident.kind}:{value}"

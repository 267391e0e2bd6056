"""Split a display name ('Hans Peter Graf', 'Joost van de Weijer') into CSL family/given parts.

Stage: resolve. arXiv gives each author as one string; BibTeX and CSL want the family name apart.
The rules follow BibTeX's "First von Last" reading (https://www.ctan.org/pkg/tamethebeast §11):
the family name is the last word, together with the lower-case particles right before it
('van der', 'de', 'von'); 'Last, First' is read as written; a suffix ('Jr.', 'III') stays with
the family name; a single word cannot be split and stays a literal name.
"""

from __future__ import annotations

import re

from prune2bib.record import Person

PARTICLES = frozenset(
    "van von der den de del della di da das dos du la le ten ter zu vom van't bin ibn al el".split()
)
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def split_name(name: str) -> Person:
    name = re.sub(r"\s+", " ", name).strip().strip(",")
    if not name:
        return Person()
    if "," in name:
        family, _, given = name.partition(",")
        return Person(family=family.strip(), given=given.strip())
    words = name.split(" ")
    suffix = []
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = [words.pop()]
    if len(words) == 1:
        return Person(literal=" ".join(words + suffix))
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:  # particles only in lower case, as BibTeX
        start -= 1
    return Person(family=" ".join(words[start:] + suffix), given=" ".join(words[:start]))

"""Split a display name ("Yann LeCun") into a CSL `Person` (given / family).

Stage: used by resolvers whose source gives authors as one string per person (DBLP's search
API, OpenReview's `content.authors`). Western "Given [particle] Family" order is assumed,
which is how both services print names; a name with one word becomes `literal`, since
we cannot tell given from family. DBLP appends a 4-digit homonym number ("Yang He 0002",
see https://dblp.org/faq/How+does+dblp+handle+homonyms+and+synonyms.html): it is not part
of the name and is dropped.
"""

from __future__ import annotations

import re

from prune2bib.record import Person

# Lower-case particles that belong to the family name ("Jan van Gemert" -> family "van Gemert").
PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "dos", "das"})
SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
_HOMONYM_NUMBER = re.compile(r"\s+\d{4}$")


def strip_homonym_number(name: str) -> str:
    """'Yang He 0002' -> 'Yang He' (DBLP's disambiguation suffix)."""
    return _HOMONYM_NUMBER.sub("", name.strip())


def split_name(full: str) -> Person:
    """'Given Names [particles] Family [Jr.]' -> Person. One word -> Person(literal=...)."""
    words = strip_homonym_number(" ".join(full.split())).split(" ")
    words = [w for w in words if w]
    if not words:
        return Person()
    suffix = words.pop() if len(words) > 2 and words[-1] in SUFFIXES else ""
    if len(words) == 1:
        return Person(literal=" ".join(filter(None, (words[0], suffix))))
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1] in PARTICLES:
        family_start -= 1
    given = " ".join(words[:family_start])
    family = " ".join(words[family_start:] + ([suffix] if suffix else []))
    return Person(family=family, given=given)

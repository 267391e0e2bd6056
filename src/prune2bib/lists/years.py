"""The year a heading, a venue cell or a Year/Date cell names.

- A heading names one year (`2021`, `## 2021 Venues`, `Pruning Before Training CNNs 2024`,
  `**2023**`) or a span (`2012-2016`, `Before 2020`, `2018 and earlier`, `2020~2023`,
  `Sep 30, 2024 - Now`): a span says "some year in there", so its rows take their year from their
  own cells or stay undated. A heading with no year (`arXiv`, `Surveys`) names none.
- A venue cell may carry the year: `CVPR 2023`, `NeurIPS'22`, `ICLR-2023`, `ICML2021`.
- A Year or Date cell: `2023`, `2018.10`, `2024/03`, `Sep 2023`.
"""

from __future__ import annotations

import re

from msgspec import Struct

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d])")
_Y = r"(?:19|20)\d\d"
# A span: words that open or close a range right next to a year ('Before 2020', '2018 and
# earlier', '2024 - Now', '2020+'); two different years are a span too ('2012-2016').
# (This pattern and the next are strings that `re` compiles on first use and keeps: a list whose
# headings are bare years and whose venue cells end in no digits never needs them, and their
# compiling took ~1.5 ms of every start.)
_SPAN = (
    rf"(?i)\b(?:before|after|since|until|till|prior\s+to|pre-?|up\s+to|from)\s*{_Y}"
    rf"|{_Y}\s*(?:(?:and|&|or)\s+)?(?:earlier|before|older|prior|later|after|onwards?|\+|[-–—~]\s*(?:now|present|today))"
)
# 'CVPR 2023', 'ICLR-2023', 'ICML2021', "NeurIPS'22", 'NeurIPS’22', 'AAAI 22' is not a year.
_VENUE_YEAR = r"^(?P<venue>.*?)[\s\-_,]*(?:(?P<full>(?:19|20)\d\d)|['’‘](?P<short>\d\d))$"


class HeadingYear(Struct, frozen=True):
    """What a heading says: `year` when it names one, `span` when it names a range."""

    year: int | None = None
    span: bool = False

    @property
    def says_something(self) -> bool:
        return self.year is not None or self.span


NONE = HeadingYear()


def heading_year(text: str) -> HeadingYear:
    years = _YEAR.findall(text)
    if not years:
        return NONE
    if len(set(years)) > 1 or (text.strip() != years[0] and re.search(_SPAN, text)):  # (a bare year spans nothing)
        return HeadingYear(None, span=True)
    return HeadingYear(int(years[0]))


def cell_year(text: str) -> int | None:
    """The first year in a Year/Date cell."""
    found = _YEAR.search(text)
    return int(found.group(1)) if found else None


def split_venue_year(venue: str) -> tuple[str, int | None]:
    """'CVPR 2023' -> ('CVPR', 2023); "NeurIPS'22" -> ('NeurIPS', 2022); 'CVPR' -> ('CVPR', None)."""
    text = venue.strip()
    found = re.match(_VENUE_YEAR, text) if text[-2:].isdigit() else None
    if not found or not found.group("venue").strip():
        return text, None
    if found.group("full"):
        return found.group("venue").strip(), int(found.group("full"))
    return found.group("venue").strip(), 2000 + int(found.group("short"))

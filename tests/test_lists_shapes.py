"""Synthetic variants of a paper list (issue 11's acceptance), one test each: every heading shape,
columns in any order, an extra column, a missing Type column, a blank line inside a table, each
title-cell shape; the list's legend and codes it does not define."""

from __future__ import annotations

import pytest

from prune2bib.errata import find_errata
from prune2bib.readme import parse_readme, read_list

ROW = "| [Pruning Paper](https://arxiv.org/abs/2101.00001) | CVPR | `F` | - |"
HEADER = "| Title | Venue | Type | Code |\n|--|--|--|--|\n"


def one(text: str):
    (entry,) = parse_readme(text)
    return entry


# ---------------------------------------------------------------- headings and years


@pytest.mark.parametrize(
    ("heading", "year"),
    [
        ("### 2021", 2021),
        ("## 2021 Venues", 2021),
        ("# 2021", 2021),
        ("###### Pruning Before Training CNNs 2024", 2024),
        ("### **2023**", 2023),
        ("**2023**", 2023),
        ("__2023__", 2023),
        ('<h3 align="center">2024</h3>', 2024),
        ('**<h3 align="center">2024</h3>**', 2024),
        ("### [2022](#2022)", 2022),
        ("### 2020 ###", 2020),
        ("2012-2016", None),
        ("2021", 2021),
        ("### 2012-2016", None),
        ("### Before 2020", None),
        ("### 2018 and earlier", None),
        ("### 2020+", None),
        ("### since 2020", None),
        ("### 2020~2023", None),
        ("## Paper from Sep 30, 2024 - Now", None),
        ("### arXiv", None),
        ("## Awesome Surveys", None),
        ("### 1.1.3 Pruning After Training", None),
    ],
)
def test_heading_shapes(heading, year):
    entry = one(f"{heading}\n\n{HEADER}{ROW}\n")
    assert (entry.title, entry.year) == ("Pruning Paper", year)


def test_a_span_heading_takes_the_year_from_the_row():
    text = "### 2012-2016\n" + "| Title | Venue | Year |\n|--|--|--|\n"
    text += "| [A](https://arxiv.org/abs/1) | IJCAI 2015 | |\n| [B](https://arxiv.org/abs/2) | ICML | 2016 |\n| [C](https://arxiv.org/abs/3) | NIPS | |\n"
    assert [(e.title, e.venue, e.year) for e in parse_readme(text)] == [("A", "IJCAI", 2015), ("B", "ICML", 2016), ("C", "NIPS", None)]


@pytest.mark.parametrize(
    ("venue", "expected"),
    [("CVPR 2023", ("CVPR", 2023)), ("NeurIPS'22", ("NeurIPS", 2022)), ("ICLR-2023", ("ICLR", 2023)),
     ("`ICML`", ("ICML", 2020)), ("ICLR 2021 **(Oral)**", ("ICLR", 2021))],
)  # fmt: skip
def test_the_venue_cell_gives_the_year(venue, expected):
    entry = one(f"### 2020\n{HEADER}| [T](https://arxiv.org/abs/1) | {venue} | `F` | - |\n")
    assert (entry.venue, entry.year) == expected


def test_a_bare_year_line_is_a_heading_inside_the_section():
    """D-X-Y/Awesome-AutoDL writes a bare '2012-2016' line under '## Venues': its rows are undated,
    not the section's; a bare '2021' line dates them."""
    assert one(f"## 2021 Venues\n\n2012-2016\n\n{HEADER}{ROW}\n").year is None
    assert one(f"## Venues\n\n2021\n\n{HEADER}{ROW}\n").year == 2021


def test_a_deeper_topic_heading_keeps_the_year_and_a_sibling_ends_it():
    text = f"## 2021\n### Vision\n{HEADER}{ROW}\n### NLP\n{HEADER}{ROW}\n## Surveys\n{HEADER}{ROW}\n"
    assert [e.year for e in parse_readme(text)] == [2021, 2021, None]


# ---------------------------------------------------------------- columns


def test_columns_in_any_order_by_their_names():
    text = "## 2022\n| Code | Type | Conference | Paper |\n|--|--|--|--|\n| [PT](https://github.com/a/b) | `W` | ICLR | [T](https://arxiv.org/abs/1) |\n"
    entry = one(text)
    assert (entry.title, entry.url, entry.venue, entry.types, entry.code[0].url) == (
        "T", "https://arxiv.org/abs/1", "ICLR", ("W",), "https://github.com/a/b"
    )


def test_an_extra_column_is_kept_on_the_row():
    text = "## 2022\n| No. | Title | Venue | Type | Algorithm Name | Code |\n|--|--|--|--|--|--|\n"
    text += "| 01 | [T](https://arxiv.org/abs/1) | ICLR | `W` | SNIP | - |\n"
    entry = one(text)
    assert (entry.title, entry.types, entry.columns, entry.anomalies) == ("T", ("W",), (("Algorithm Name", "SNIP"),), ())


def test_a_missing_type_column_leaves_rows_untyped():
    entry = one("## 2022\n| Title | Venue | Code |\n|--|--|--|\n| [T](https://arxiv.org/abs/1) | ICLR | - |\n")
    assert (entry.title, entry.venue, entry.types) == ("T", "ICLR", ())


def test_a_year_column():
    text = "## Surveys\n| Title | Venue | Year |\n|--|--|--|\n| [T](https://arxiv.org/abs/1) | JMLR | `2019` |\n"
    assert one(text).year == 2019


def test_rows_without_outer_pipes():
    """GFM tables need no leading or trailing pipe (KK0W/Awesome-Semi-Supervised-Clustering mixes both)."""
    text = "### Co-training\n| Year | Title | Venue | Paper | Code |\n|------|-------|-------|-------|------|\n"
    text += "2023 | Outlier Detection | IEEE/ACM Transactions on Networking | [Link](https://ieeexplore.ieee.org/document/9565368) | N/A\n"
    text += "| 2020 | Regularized Co-Training | NeurIPS 2019 | [Link](https://arxiv.org/abs/1) | - |\n"
    text += "### Self-training\nYear | Title | Venue | Paper | Code\n--- | --- | --- | --- | ---\n"
    text += "2014 | A Self-training Approach | ICDM | [Link](https://dl.acm.org/doi/abs/10.1145/2661529) | N/A\n"
    rows = parse_readme(text)
    assert [(e.year, e.title, e.venue, e.url[:20]) for e in rows] == [
        (2023, "Outlier Detection", "IEEE/ACM Transactions on Networking", "https://ieeexplore.i"),
        (2019, "Regularized Co-Training", "NeurIPS", "https://arxiv.org/ab"),
        (2014, "A Self-training Approach", "ICDM", "https://dl.acm.org/d"),
    ]  # fmt: skip
    assert [a for e in rows for a in e.anomalies] == []  # 'N/A' in the Code cell is no code, not stray text


@pytest.mark.parametrize(
    ("header", "venue_header"),
    [("| Title | Publication | Year | URL |", "Publication"), ("| Title | Publication Venue | Year | URL |", "Publication Venue"),
     ("| Paper | Conference/Journal | Year | URL |", "Conference/Journal"), ("| Paper | Journal/Conference | Year | URL |", None)],
)  # fmt: skip
def test_venue_columns_named_otherwise(header, venue_header):
    """durgeshsamariya/awesome-outlier-detection-resources ('Publication' beside 'Title': the venue,
    not a second link column) and tnbar/awesome-tensorial-neural-networks ('Conference/Journal')."""
    text = f"## Papers\n{header}\n|--|--|--|--|\n| Cluster-based outlier detection | Annals of Operations Research | 2009 | [[PDF]](https://link.springer.com/x.pdf) |\n"
    entry = one(text)
    assert (entry.title, entry.venue, entry.year, entry.url, entry.columns) == (
        "Cluster-based outlier detection", "Annals of Operations Research", 2009, "https://link.springer.com/x.pdf", ()
    )
    assert (one("| Publication | Code |\n|--|--|\n| [T](https://arxiv.org/abs/1) | - |\n").title) == "T"  # alone: the title


def test_user_mapping_beats_synonyms():
    text = "## 2022\n| Paper | Title | Where |\n|--|--|--|\n| [Link](https://arxiv.org/abs/1) | The Title | NeurIPS |\n"
    (entry,) = read_list(text, "title=Title,venue=Where,link=Paper").entries
    assert (entry.title, entry.url, entry.venue) == ("The Title", "https://arxiv.org/abs/1", "NeurIPS")


def test_a_blank_line_inside_a_table_keeps_the_rows_after_it():
    text = f"## 2022\n{HEADER}{ROW}\n\n| [Second](https://arxiv.org/abs/2) | ICLR | `W` | - |\n\nAfter.\n"
    first, second = parse_readme(text)
    assert (second.title, second.year, [a.code for a in second.anomalies]) == ("Second", 2022, ["table-split"])


def test_table_rows_outside_any_table_are_reported_with_their_line():
    """A table whose delimiter row is missing is no table to GFM: its rows are skipped and said so
    (in the summary and in `check`), not dropped in silence."""
    text = f"## 2022\n{HEADER}{ROW}\n\n## 2023\n| Title | Venue |\n| [Lost](https://arxiv.org/abs/2) | ICLR |\n"
    parsed = read_list(text)
    assert [e.title for e in parsed.entries] == ["Pruning Paper"]
    reason = "a table row outside any table (no header and delimiter row above it)"
    assert [(s.line, s.reason) for s in parsed.skipped] == [(7, reason), (8, reason)]
    assert parsed.summary() == f"3 table rows seen in 1 paper table: 1 papers read, 2 skipped (line 7: {reason}; line 8: {reason})"
    found = [(e.line, e.code) for e in find_errata(list(parsed.entries), parsed.taxonomy, parsed.skipped)]
    assert found == [(7, "skipped-row"), (8, "skipped-row")]


# ---------------------------------------------------------------- title cells


TITLE_CELLS = {
    "plain link": ("[A Title](https://arxiv.org/abs/1)", "A Title", "https://arxiv.org/abs/1", []),
    "bold link": ("**[A Title](https://arxiv.org/abs/1)**", "A Title", "https://arxiv.org/abs/1", []),
    "italic label": ("[*A Title*](https://arxiv.org/abs/1)", "A Title", "https://arxiv.org/abs/1", []),
    "html anchor": ('<a href="https://arxiv.org/abs/1">A Title</a>', "A Title", "https://arxiv.org/abs/1", []),
    "badges first": ("[![Star](https://img.shields.io/github/stars/a/b.svg)](https://github.com/a/b) "
                     "[![Publish](https://img.shields.io/badge/Conference-ICML'23-blue)]() <br> :star: "
                     "[A Title](https://arxiv.org/abs/1) <br> Ann Author, Bo Author",
                     "A Title", "https://arxiv.org/abs/1", []),
    "pdf and code links": ("A Title [[pdf]](https://arxiv.org/abs/1) [[code]](https://github.com/a/b)",
                           "A Title", "https://arxiv.org/abs/1", []),
    "several links": ("[A Title](https://arxiv.org/abs/1), [Extension1](https://arxiv.org/abs/2)",
                      "A Title", "https://arxiv.org/abs/1", []),
    "empty link": ("[A Title]()", "A Title", "", ["empty-link"]),
    "quoted reference": ('Pan et al. "A Title: With a Colon". [[link](https://arxiv.org/abs/1)]', "A Title: With a Colon",
                         "https://arxiv.org/abs/1", []),
    "quoted, no authors": ('"A Title Only Quoted".[[link](https://arxiv.org/abs/1)]', "A Title Only Quoted",
                           "https://arxiv.org/abs/1", []),
    "quoted, empty link": ('Liu et al. "A Quoted Title". [[link]()]', "A Quoted Title", "", ["empty-link"]),
    "quotes inside a title": ('The "Lottery Ticket" Hypothesis [[pdf]](https://arxiv.org/abs/1)',
                              'The "Lottery Ticket" Hypothesis', "https://arxiv.org/abs/1", []),
    "quotes ending a title": ('Revisiting "Lottery Tickets" [[pdf]](https://arxiv.org/abs/1)',
                              'Revisiting "Lottery Tickets"', "https://arxiv.org/abs/1", []),  # no authors before the quote
    "no link": ("A Title", "A Title", "", ["missing-link"]),
}  # fmt: skip


@pytest.mark.parametrize("shape", TITLE_CELLS)
def test_title_cell_shapes(shape):
    cell, title, url, anomalies = TITLE_CELLS[shape]
    entry = one(f"## 2023\n| Title | Venue |\n|--|--|\n| {cell} | ICLR |\n")
    assert (entry.title, entry.url, [a.code for a in entry.anomalies]) == (title, url, anomalies)


def test_authors_before_a_quoted_title():
    """tnbar/awesome-tensorial-neural-networks writes 'Authors. "Title". [[link](url)]'."""
    cell = TITLE_CELLS["quoted reference"][0]
    entry = one(f"## 2023\n| Paper | Remarks | Conference/Journal | Year |\n|--|--|--|--|\n| {cell} | x | ICML | 2022 |\n")
    assert (entry.authors, entry.venue, entry.year, entry.columns) == ("Pan et al.", "ICML", 2022, (("Remarks", "x"),))


def test_badge_venue_and_authors_under_the_title():
    cell = TITLE_CELLS["badges first"][0]
    entry = one(f"## Pruning\n| Title & Authors | Links |\n|--|--|\n| {cell} | - |\n")
    assert (entry.venue, entry.year, entry.authors) == ("ICML", 2023, "Ann Author, Bo Author")


def test_extra_links_of_the_title_cell_are_kept():
    entry = one("## 2023\n| Title | Venue |\n|--|--|\n| " + TITLE_CELLS["pdf and code links"][0] + " | ICLR |\n")
    assert entry.extra_urls == (("code", "https://github.com/a/b"),)


def test_an_empty_link_is_reported_by_check():
    text = "## 2023\n| Title | Venue |\n|--|--|\n| [A Title]() | ICLR |\n"
    parsed = read_list(text)
    assert [(e.line, e.code) for e in find_errata(list(parsed.entries), parsed.taxonomy)] == [(4, "empty-link")]


# ---------------------------------------------------------------- legend and codes


LEGEND = "| Symbol | Meaning |\n|--|--|\n| `U` | Unstructured |\n| `S` | Structured |\n\n"


def test_the_lists_own_legend_names_its_codes():
    parsed = read_list(LEGEND + f"## 2023\n{HEADER}| [T](https://arxiv.org/abs/1) | CVPR | `S/U` | - |\n")
    assert parsed.entries[0].types == ("U", "S")
    assert parsed.taxonomy.name("S") == "structured"  # not Awesome-Pruning's "special networks"


def test_an_undefined_code_is_its_own_group_and_reported_once():
    rows = "".join(f"| [T{n}](https://arxiv.org/abs/{n}) | CVPR | `CF` | - |\n" for n in range(3))
    parsed = read_list(LEGEND + f"## 2023\n{HEADER}{rows}")
    assert [e.types for e in parsed.entries] == [("CF",)] * 3
    assert parsed.taxonomy.codes == ("U", "S", "CF") and parsed.taxonomy.name("CF") == "CF"
    found = [e for e in find_errata(list(parsed.entries), parsed.taxonomy) if e.code == "unknown-type"]
    assert len(found) == 1 and found[0].line == 9 and "3 rows (lines 9, 10, 11)" in found[0].message


def test_without_a_legend_codes_are_kept_as_written_and_not_reported():
    parsed = read_list(f"## 2023\n{HEADER}| [T](https://arxiv.org/abs/1) | CVPR | `WF` | - |\n")
    assert parsed.entries[0].types == ("WF",)
    assert not [e for e in find_errata(list(parsed.entries), parsed.taxonomy) if e.code == "unknown-type"]


def test_a_journal_column_makes_an_unknown_venue_a_journal_article():
    from prune2bib.baseline import record_from_entry
    from prune2bib.identify import identify
    from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE

    row = "| Obscure Pruning Quarterly | [T](https://example.org/t) |\n"
    journal = one("## 2023\n| Journal | Title |\n|--|--|\n" + row)
    venue = one("## 2023\n| Venue | Title |\n|--|--|\n" + row)
    assert (journal.venue_kind, venue.venue_kind) == ("journal", "")
    record = record_from_entry(journal, identify(journal.url))
    assert (record.type, record.container_title, record.year) == (ARTICLE_JOURNAL, "Obscure Pruning Quarterly", 2023)
    assert record_from_entry(venue, identify(venue.url)).type == PAPER_CONFERENCE
    ((journal_finding,), (venue_finding,)) = ([e.message for e in find_errata([row]) if e.code == "unknown-venue"] for row in (journal, venue))
    assert journal_finding.endswith("(not in the venue table): exported as an article in a journal of that name")
    assert venue_finding.endswith("(not in the venue table): exported as a conference paper of that name")

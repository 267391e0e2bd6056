"""find_errata: the seed's known errata with their lines, nothing else; cross-row checks."""

from __future__ import annotations

import pytest

from conftest import SNAPSHOT, UPSTREAM
from prune2bib.errata import Erratum, find_errata
from prune2bib.readme import load_readme_text, parse_readme

HEADER = "| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n"


def errata_of(seed):
    text = load_readme_text(seed.read_bytes())
    return text.split("\n"), find_errata(parse_readme(text))


def line_of(lines, needle, start=0):
    """1-based line of the first README line after `start` holding `needle`."""
    return next(i + 1 for i, line in enumerate(lines) if i >= start and needle in line)


@pytest.mark.parametrize("seed", [UPSTREAM, SNAPSHOT], ids=["upstream", "snapshot"])
def test_seed_errata_are_exactly_the_known_ones(seed):
    lines, errata = errata_of(seed)
    stealing = line_of(lines, "[You are caught stealing")
    iterand = line_of(lines, "[Pruning Randomly Initialized Neural Networks with Iterative Randomization]")
    granet = line_of(lines, "[Sparse Training via Boosting Pruning Plasticity")
    exploration = line_of(lines, "[Exploration and Estimation for Model Compression]")
    expected = [
        Erratum(
            line_of(lines, "https://https://"),
            "bad-code-url",
            "code link 'PyTorch(Author)' has a malformed URL 'https://https://github.com/ososos888/prune-then-distill'",
        ),
        Erratum(
            line_of(lines, "Mask PredictionFire Together"),
            "duplicated-title",
            "the title is written twice: "
            "'Fire Together Wire Together: A Dynamic Pruning Approach With Self-Supervised Mask Prediction'",
        ),
        Erratum(
            iterand,
            "shared-link",
            "link https://papers.nips.cc/paper/2021/hash/23e582ad8087f2c03a5a31c125123f9a-Abstract.html is also "
            f"used by 'You are caught stealing my winning lottery ticket! Making a lottery ticket claim its ownership' "
            f"on line {stealing}",
            (stealing,),
        ),
        Erratum(
            exploration,
            "shared-link",
            "link https://papers.nips.cc/paper/2021/hash/5227b6aaf294f5f027273aebf16015f2-Abstract.html is also "
            f"used by 'Sparse Training via Boosting Pruning Plasticity with Neuroregeneration' on line {granet}",
            (granet,),
        ),
        Erratum(
            exploration,
            "venue-mismatch",
            "the link is in the NeurIPS proceedings (neurips:2021/5227b6aaf294f5f027273aebf16015f2) but the Venue cell says ICCV",
        ),
        Erratum(line_of(lines, "[DA-NAS"), "stray-text", "stray text 'S' in the title cell, outside its links"),
        Erratum(
            line_of(lines, "Destructive CNN Width Optimization github]"),
            "stray-word",
            "the title ends with the stray word 'github'",
        ),
        # Title slips (titles.py), judged against the list's own titles and the names list.
        Erratum(
            line_of(lines, "[DepthFL : Depthwise"),
            "space-before-punctuation",
            "a space before punctuation: 'DepthFL : Depthwise' (exported as 'DepthFL: Depthwise')",
        ),
        Erratum(
            line_of(lines, "[RED : Looking"),
            "glued-words",
            "two words run together: 'Data-FreeStructured' (exported as 'Data-Free Structured')",
        ),
        Erratum(
            line_of(lines, "[RED : Looking"),
            "space-before-punctuation",
            "a space before punctuation: 'RED : Looking' (exported as 'RED: Looking')",
        ),
        Erratum(
            line_of(lines, "Network Pruning andArchitecture"),
            "glued-words",
            "two words run together: 'andArchitecture' (exported as 'and Architecture')",
        ),
        Erratum(
            line_of(lines, "[Amc: Automl"),
            "title-case",
            "a word in the wrong case: 'Automl' (exported as 'AutoML')",
        ),
    ]
    assert errata == sorted(expected, key=lambda e: (e.line, e.code, e.message))


def test_known_lines_in_the_upstream_file():
    _, errata = errata_of(UPSTREAM)
    assert [(e.line, e.code) for e in errata] == [
        (69, "space-before-punctuation"),
        (113, "bad-code-url"),
        (145, "duplicated-title"),
        (184, "shared-link"),
        (191, "glued-words"),
        (191, "space-before-punctuation"),
        (201, "shared-link"),
        (201, "venue-mismatch"),
        (209, "glued-words"),
        (250, "stray-text"),
        (311, "stray-word"),
        (327, "title-case"),
    ]


def test_erratum_format():
    assert Erratum(12, "stray-text", "stray text 'S'").format() == "line 12: stray-text: stray text 'S'"


def errata_for(*rows, year=2021):
    text = f"### {year}\n" + HEADER + "".join(row + "\n" for row in rows)
    return [(e.line, e.code, e.message, e.related_lines) for e in find_errata(parse_readme(text))]


def test_same_paper_twice_is_a_duplicate_row():
    assert errata_for(
        "| [Pruning Things](https://arxiv.org/abs/2101.00001) | ICLR | `F` | - |",
        "| [Pruning Things](https://arxiv.org/abs/2101.00001) | ICLR | `W` | - |",
    ) == [(5, "duplicate-row", "the same paper is already listed on line 4", (4,))]


def test_pdf_and_abs_links_of_one_paper_are_one_link():
    assert errata_for(
        "| [First](https://arxiv.org/abs/2101.00001) | ICLR | `F` | - |",
        "| [Second](https://arxiv.org/pdf/2101.00001.pdf) | ICLR | `F` | - |",
    ) == [(5, "shared-link", "link https://arxiv.org/pdf/2101.00001.pdf is also used by 'First' on line 4", (4,))]


def test_link_venue_and_year_disagreeing_with_the_row():
    assert errata_for(
        "| [A](https://proceedings.mlr.press/v162/frantar22a.html) | ICML | `W` | - |",
        "| [B](https://openaccess.thecvf.com/content/ICCV2021/html/X_B_ICCV_2021_paper.html) | CVPR | `F` | - |",
        "| [C](https://www.ijcai.org/proceedings/2021/5) | IJCAI | `F` | - |",
        "| [D](https://ojs.aaai.org/index.php/AAAI/article/view/1) | IJCAI | `F` | - |",
        "| [E](https://openreview.net/forum?id=abc) | NeurIPS | `F` | - |",
        "| [F](https://papers.nips.cc/paper/2021/hash/0123456789abcdef0123456789abcdef-Abstract.html) | NIPS | `F` | - |",
    ) == [
        (4, "year-mismatch", "the link shows the year 2022 but the row is under 2021", ()),
        (5, "venue-mismatch", "the link is in the ICCV proceedings (cvf:ICCV2021/X_B_ICCV_2021_paper) but the Venue cell says CVPR", ()),
        (7, "venue-mismatch", "the link is in the AAAI proceedings (aaai:1) but the Venue cell says IJCAI", ()),
    ]


def test_row_anomalies_become_errata():
    assert errata_for("| Untitled link-less row | ICLR | `F` | - |", "| [](https://arxiv.org/abs/1) | ICLR | `F` | - |") == [
        (4, "missing-link", "the title cell has no link", ()),
        (5, "empty-title", "the title is empty", ()),
    ]


def test_mislinked_lists_rows_whose_link_resolves_to_another_paper():
    from prune2bib.errata import mislinked
    from prune2bib.pipeline import RowOutcome
    from prune2bib.readme import Entry
    from prune2bib.record import Record

    entry = Entry(line=7, year=2021, title="Synthetic A", url="https://arxiv.org/abs/9901.00001", venue="ICML", types=("F",))
    bad = RowOutcome(entry, Record(), "unresolved", "arxiv", 'title mismatch: link points to "Synthetic B"', title_mismatch=True)
    good = RowOutcome(entry, Record(), "resolved", "arxiv")
    found = mislinked([bad, good])
    assert [e.format() for e in found] == ['line 7: mislinked: arxiv:9901.00001: title mismatch: link points to "Synthetic B"']

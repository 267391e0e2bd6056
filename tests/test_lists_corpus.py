"""Real public paper lists (issue 11's acceptance): none refused, ≥ 98 % of rows exported, every
other row reported with its line and reason, no type code read with another list's meaning.

The lists are in tests/data/lists/, each named with its repository and commit in SOURCES.json.
Expected row counts are written by hand there and checked here by a line rule that does not use
the parser: table lines that are neither a header nor a delimiter row (a line without outer pipes
counts when it follows a table line), minus the rows of the list's legend and navigation tables.
The Venue cells that name journals are classified by hand there too: every such row is exported
as an article.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from prune2bib.readme import load_readme_text, read_list

DATA = Path(__file__).parent / "data" / "lists"
SOURCES = {k: v for k, v in json.loads((DATA / "SOURCES.json").read_text(encoding="utf-8")).items() if "/" in k}
_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def text_of(name: str) -> str:
    return load_readme_text((DATA / SOURCES[name]["file"]).read_bytes())


def parsed(name: str):
    return read_list(text_of(name), SOURCES[name].get("columns"))


def counted_rows(text: str) -> int:
    """Table lines that are neither a delimiter row nor a header (the line above a delimiter): the
    lines that start with a pipe, and those without outer pipes ('2023 | Title | …') that follow a
    table line."""
    lines = text.split("\n")
    count, after_table_line = 0, False
    for i, line in enumerate(lines):
        header = i + 1 < len(lines) and bool(_DELIMITER.match(lines[i + 1]))
        delimiter = "|" in line and bool(_DELIMITER.match(line))
        piped = line.lstrip().startswith("|")
        row = not delimiter and not header and (piped or (after_table_line and "|" in line))
        count += row
        after_table_line = row or delimiter or (piped and header)
    return count


LISTS = pytest.mark.parametrize("name", sorted(SOURCES))


def test_the_corpus_has_eight_other_lists_each_with_its_source():
    assert len(SOURCES) >= 12  # Awesome-Pruning and eleven others
    for source in SOURCES.values():
        assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]) and source["lines"]


@LISTS
def test_hand_count_agrees_with_the_line_rule(name):
    source = SOURCES[name]
    assert counted_rows(text_of(name)) - source["non_paper_rows"] == source["rows"]


@LISTS
def test_no_list_is_refused_and_no_row_is_lost(name):
    result = parsed(name)  # raises ReadmeError if refused
    expected = SOURCES[name]["rows"]
    assert result.rows_seen == expected
    assert len(result.entries) >= 0.98 * expected
    assert all(s.line >= 1 and s.reason for s in result.skipped)
    lines = {e.line for e in result.entries} | {s.line for s in result.skipped}
    assert len(lines) == expected  # one entry or one skip per row, each on its own line


@LISTS
def test_type_codes_keep_their_own_lists_meaning(name):
    result = parsed(name)
    legend = SOURCES[name].get("legend", {})
    assert result.taxonomy.defined == frozenset(legend)
    for code in result.taxonomy.codes:
        if code in legend:
            assert result.taxonomy.name(code).casefold() == legend[code].casefold()
        else:
            assert result.taxonomy.name(code) == code  # undefined: its own group under its own name
    used = {c for e in result.entries for c in e.types}
    assert used <= set(result.taxonomy.codes)


def test_awesome_pruning_taxonomy_is_unchanged():
    result = parsed("he-y/Awesome-Pruning")
    assert result.taxonomy.codes == ("F", "W", "S", "Other")
    assert dict(result.taxonomy.names) == {"F": "filter pruning", "W": "weight pruning", "S": "special networks", "Other": "other types"}


def test_structured_s_is_not_special_networks():
    """ghimiredhikura's S is "Structured or Filter or Channel Pruning", U unstructured."""
    result = parsed("ghimiredhikura/Awasome-Pruning")
    assert result.taxonomy.name("S") == "structured or filter or channel pruning"
    by_title = {e.title: e for e in result.entries}
    assert by_title["In defense of parameter sharing for model-compression"].types == ("U", "S")  # `S/U`
    assert Counter(e.year for e in result.entries if e.line < 69)[2024] == 38  # rows of lines 28-68, under **<h3 …>2024</h3>**
    plain = by_title["Resource-Efficient Transformer Pruning for Finetuning of Large Models"]
    assert (plain.url, plain.venue, plain.year, [a.code for a in plain.anomalies]) == ("", "CVPR", 2024, ["missing-link"])


def test_template_origin_years_codes_and_sections():
    result = parsed("D-X-Y/Awesome-AutoDL")
    by_line = {e.line: e for e in result.entries}
    assert (by_line[71].year, by_line[71].types, by_line[71].venue) == (2021, ("Other",), "ICML")  # '## 2021 Venues', `O`
    assert by_line[251].year is None and by_line[251].venue == "IJCAI"  # under the bare line '2012-2016'
    assert by_line[257].year == 2018 and by_line[257].venue == ""  # '## arXiv', Date 2018.10
    survey = next(e for e in result.entries if e.title.startswith("Neural architecture search: A survey"))
    assert (survey.year, survey.venue) == (2019, "JMLR")  # '# Awesome Surveys' with a Year column
    assert {"MCTS", "library"} <= set(result.taxonomy.codes) - result.taxonomy.defined


def test_numbered_topic_headings_and_extra_columns():
    result = parsed("hrcheng1066/awesome-pruning")
    first = result.entries[0]
    assert (first.year, first.venue, first.types) == (2024, "ICML", ("W",))  # '###### Pruning Before Training CNNs 2024'
    assert first.columns == (("Algorithm Name", "-"), ("APP", "Image Classification"))
    snip_it = next(e for e in result.entries if e.title.startswith("Prunining via Iterative Ranking"))
    assert snip_it.types == ("F", "C", "W")  # `WFC` in the legend's order
    old = [e for e in result.entries if 117 < e.line < 133]  # '… 2018 and earlier': the Year column
    assert old and all(e.year is not None and e.year <= 2018 for e in old)
    untyped = [e for e in result.entries if e.line > 142]  # Learning / Application / Survey: no Type column
    assert untyped and all(e.types == () and e.year for e in untyped)


def test_columns_named_otherwise_are_mapped_by_the_user():
    result = parsed("danielmcpark/awesome-pruning-acceleration")
    first = result.entries[0]
    assert (first.year, first.venue, first.code) == (2021, "CVPR", ())
    assert result.entries[1].code[0].url == "https://github.com/changlin31/DS-Net"
    default = read_list(text_of("danielmcpark/awesome-pruning-acceleration"))  # not mapped: kept as columns
    assert default.entries[0].columns == (("Issue", "CVPR"), ("Release", "-"))


def test_badges_authors_and_venues_from_badges():
    result = parsed("horseee/Awesome-Efficient-LLM")
    sparsegpt = result.entries[0]
    assert sparsegpt.title == "SparseGPT: Massive Language Models Can Be Accurately Pruned in One-Shot"
    assert (sparsegpt.venue, sparsegpt.year) == ("ICML", 2023)  # from the Conference-ICML'23 badge
    assert sparsegpt.authors == "Elias Frantar, Dan Alistarh"
    assert not any(a.code in ("stray-text", "missing-link") for e in result.entries for a in e.anomalies)
    # Every row ends with '| [//]: #Recommend', a cell past the header's that GitHub shows as nothing.
    assert not any(a.code == "cell-count" for e in result.entries for a in e.anomalies)


def test_plain_titles_take_the_paper_column_link():
    result = parsed("MAC-AutoML/Awesome-Efficient-LLM")
    gptq = result.entries[0]
    assert gptq.title == "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained Transformers"
    assert (gptq.url, gptq.venue, gptq.year) == ("https://arxiv.org/abs/2210.17323", "ICLR", 2023)
    smooth = next(e for e in result.entries if e.title.startswith("SmoothQuant"))
    assert smooth.year == 2023  # 'ICML 2023' in the venue cell wins over the Year cell's 2022
    assert not any(a.code == "missing-link" for e in result.entries for a in e.anomalies)


def test_date_first_tables_under_topic_headings():
    result = parsed("tiingweii-shii/Awesome-Resource-Efficient-LLM-Papers")
    first = result.entries[0]
    assert (first.year, first.venue, first.columns) == (2025, "ArXiv", (("Keywords", "Approximate attention"),))


def test_div_headers_and_take_away_cells():
    result = parsed("liyunqianggyn/Awesome-LLMs-Pruning")
    first = result.entries[0]
    assert first.title == "ShortGPT: Layers in Large Language Models are More Redundant Than You Expect"
    assert (first.url, first.year, first.authors) == ("https://arxiv.org/abs/2403.03853", 2025, "")
    assert [t.kind for t in result.tables] == ["other", "papers", "papers"]


def test_rows_of_a_journal_column_export_as_articles():
    """ghimiredhikura's 'Journal Publications' tables (lines 204-269, 40 rows counted by hand) name
    their venue column 'Journal': each row is an @article in that journal (the venue table knows
    these; a journal it does not know: tests/test_lists_shapes.py)."""
    from prune2bib.baseline import record_from_entry
    from prune2bib.identify import identify
    from prune2bib.record import ARTICLE_JOURNAL

    journal_rows = [e for e in parsed("ghimiredhikura/Awasome-Pruning").entries if 203 < e.line < 270]
    assert len(journal_rows) == 40 and all(e.venue_kind == "journal" for e in journal_rows)
    records = [record_from_entry(e, identify(e.url)) for e in journal_rows]
    assert all(r.type == ARTICLE_JOURNAL and r.container_title for r in records)


JOURNAL_LISTS = pytest.mark.parametrize("name", sorted(n for n in SOURCES if "journals" in SOURCES[n]))


@JOURNAL_LISTS
def test_journals_are_exported_as_articles(name):
    """Every row whose Venue cell names a journal (classified by hand in SOURCES.json) is an
    article in that journal; the journal names prune2bib cannot tell are reported by `check`."""
    from prune2bib.baseline import record_from_entry
    from prune2bib.errata import find_errata
    from prune2bib.identify import identify
    from prune2bib.record import ARTICLE_JOURNAL

    source, result = SOURCES[name], parsed(name)
    rows = [e for e in result.entries if e.venue in source["journals"]]
    assert len(rows) == source["journal_rows"]
    records = [record_from_entry(e, identify(e.url)) for e in rows]
    assert [(e.line, e.venue) for e, r in zip(rows, records) if r.type != ARTICLE_JOURNAL or not r.container_title] == []
    unrecognised = {e.line for e in result.entries if e.venue in source.get("journals_unrecognised", ())}
    flagged = {x.line for x in find_errata(list(result.entries), result.taxonomy) if x.code == "unknown-venue"}
    assert unrecognised <= flagged


def test_rows_without_outer_pipes_journal_names_and_no_code_cells():
    """KK0W: 'Year | Title | Venue | Paper | Code' tables with and without outer pipes; 'N/A' code;
    tables of an 'Author' column (no venue) whose CVF links prove the conference."""
    from prune2bib.baseline import record_from_entry
    from prune2bib.identify import identify

    result = parsed("KK0W/Awesome-Semi-Supervised-Clustering")
    by_line = {e.line: e for e in result.entries}
    assert (by_line[103].year, by_line[103].title, by_line[103].venue) == (
        2023, "Co-Training-Based Outlier Detection for IoT Data Streams", "IEEE/ACM Transactions on Networking")
    assert (by_line[117].year, by_line[117].venue) == (2014, "ACM Transactions on Speech and Language Processing")  # a table without outer pipes
    assert not [a for e in result.entries for a in e.anomalies if a.code == "stray-code-text"]  # 'N/A'
    beluch = by_line[42]  # '|2018|[The power of ensembles …](…CVPR_2018_paper.pdf)|William H. Beluch et al.||'
    assert (beluch.venue, beluch.authors) == ("", "William H. Beluch et al.")
    record = record_from_entry(beluch, identify(beluch.url))
    assert (record.container_title_short, record.year) == ("CVPR", 2018)


def test_a_publication_column_beside_the_title_is_the_venue():
    """durgeshsamariya's 'Title | Publication | Year | Reference | URL' tables: the venue was read
    as a second link column and lost; publishers in the Venue cell are no booktitle."""
    from prune2bib.baseline import record_from_entry
    from prune2bib.identify import identify

    result = parsed("durgeshsamariya/awesome-outlier-detection-resources")
    by_title = {e.title: e for e in result.entries}
    cluster = by_title["Cluster-based outlier detection"]
    assert (cluster.venue, cluster.year, cluster.url, cluster.columns) == (
        "Annals of Operations Research", 2009, "https://link.springer.com/content/pdf/10.1007/s10479-008-0371-9.pdf", (("Reference", "[34]"),))
    forest = by_title["Isolation Forest"]
    record = record_from_entry(forest, identify(forest.url))
    assert (forest.venue, record.container_title, record.publisher) == ("IEEE", "", "IEEE")


def test_titles_written_as_references():
    """tnbar: 'Pan et al. "A Unified …". [[link](url)]' cells under a 'Conference/Journal' column."""
    result = parsed("tnbar/awesome-tensorial-neural-networks")
    first = result.entries[0]
    assert (first.title, first.authors, first.venue, first.year, first.url) == (
        "A Unified Weight Initialization Paradigm for Tensorial Convolutional Neural Networks", "Pan et al.", "ICML", 2022,
        "https://proceedings.mlr.press/v162/pan22b.html")  # fmt: skip
    assert not [e.title for e in result.entries if '"' in e.title or e.title.endswith("[")]
    assert sum(1 for e in result.entries for a in e.anomalies if a.code == "empty-link") == 3  # '[[link]()]'

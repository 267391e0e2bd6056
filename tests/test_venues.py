"""The venue table (issue 11 point 4): Venue cells of every kind -> entry type and names.

Each kind of the table is exported in all three formats and read back: a journal row is an
@article with `journal` (CSL article-journal with container-title, RIS JOUR with T2 and J2 as
Zotero's RIS.js reads them: T2 -> publicationTitle, J2 -> journalAbbreviation), a workshop row an
@inproceedings with the workshop's booktitle, preprint cells the arXiv preprint form, an unknown
venue a plain @inproceedings that `check` flags. No network: README data only.
"""

from __future__ import annotations

import json
import re

import bibtexparser
import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st

from prune2bib import venues
from prune2bib.baseline import record_from_entry
from prune2bib.errata import find_errata
from prune2bib.identify import identify, implied_venue
from prune2bib.merge import merge
from prune2bib.pipeline import RowFilter, assign_keys, resolve_rows, select_rows, venue_names
from prune2bib.readme import Entry
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, Record
from prune2bib.writers import render

ARXIV_LINK = "https://arxiv.org/abs/2101.00001"


def entry(venue: str, *, year: int | None = 2021, url: str = ARXIV_LINK, line: int = 1, title: str = "Synthetic paper") -> Entry:
    return Entry(line=line, year=year, title=f"{title} {line}", url=url, venue=venue, types=("F",))


def export(entries: list[Entry], fmt: str) -> str:
    outcomes = assign_keys(resolve_rows(select_rows(entries, RowFilter()), None))
    return render([o.record for o in outcomes], fmt)


def bib_entries(entries: list[Entry]) -> list:
    return bibtexparser.parse_string(export(entries, "bibtex")).entries


# ---------------------------------------------------------------------- reading a Venue cell


@pytest.mark.parametrize(
    "cell, name, year, note",
    [
        ("CVPR", "CVPR", None, ""),
        ("CVPR 2023", "CVPR", 2023, ""),
        ("NeurIPS'22", "NeurIPS", 2022, ""),
        ("ICLR ’21", "ICLR", 2021, ""),
        ("ECCV2022", "ECCV", 2022, ""),
        ("CVPR **(Oral)**", "CVPR", None, "Oral"),
        ("ICLR 2021 (Spotlight)", "ICLR", 2021, "Spotlight"),
        ("NeurIPS 2022 Spotlight", "NeurIPS", 2022, "Spotlight"),
        ("`TPAMI`", "TPAMI", None, ""),
        ("-", "-", None, ""),
        ("", "", None, ""),
    ],
)
def test_a_cell_is_read_without_its_year_and_notes(cell, name, year, note):
    assert venues.split_cell(cell) == (name, year, note)


@pytest.mark.parametrize(
    "cell, venue_id, kind",
    [
        ("CVPR 2023", "CVPR", venues.CONFERENCE),
        ("NIPS", "NeurIPS", venues.CONFERENCE),
        ("neurips'22", "NeurIPS", venues.CONFERENCE),
        ("ICLR-W", "ICLRW", venues.WORKSHOP),
        ("CVPRW", "CVPRW", venues.WORKSHOP),
        ("CVPR Workshop", "CVPRW", venues.WORKSHOP),
        ("NeurIPS 2021 Workshop", "NeurIPSW", venues.WORKSHOP),
        ("TPAMI", "TPAMI", venues.JOURNAL),
        ("IEEE TPAMI", "TPAMI", venues.JOURNAL),
        ("IEEE Trans. Pattern Anal. Mach. Intell.", "TPAMI", venues.JOURNAL),
        ("TNNLS", "TNNLS", venues.JOURNAL),
        ("IJCV", "IJCV", venues.JOURNAL),
        ("JMLR", "JMLR", venues.JOURNAL),
        ("TMLR", "TMLR", venues.JOURNAL),
        ("Nature Machine Intelligence", "NMI", venues.JOURNAL),
        ("arXiv", "arXiv", venues.PREPRINT),
        ("CoRR", "arXiv", venues.PREPRINT),
        ("-", venues.NO_VENUE, venues.PREPRINT),
        ("", venues.NO_VENUE, venues.PREPRINT),
        ("Unknown", venues.NO_VENUE, venues.PREPRINT),
        ("UnKnown", venues.NO_VENUE, venues.PREPRINT),
    ],
)
def test_every_kind_of_cell_finds_its_venue(cell, venue_id, kind):
    found = venues.lookup(cell)
    assert (found.id, found.kind) == (venue_id, kind)


def test_a_workshop_the_table_does_not_list_is_a_workshop_of_its_own_name():
    found = venues.lookup("ICML 2020 Workshop on Uncertainty and Robustness")
    assert (found.kind, found.long, found.short) == (venues.WORKSHOP, "ICML Workshop on Uncertainty and Robustness", "ICML Workshop on Uncertainty and Robustness")


@pytest.mark.parametrize("cell", ["IEEE", "CPVR", "Some Symposium"])
def test_an_unknown_venue_is_none(cell):
    assert venues.lookup(cell) is None


def test_long_names_change_with_the_year_and_the_acronym_does_not():
    neurips, cvpr = venues.lookup("NeurIPS"), venues.lookup("CVPR")
    assert neurips.long_name(2017) == "Advances in Neural Information Processing Systems (NIPS)"
    assert neurips.long_name(2018) == "Advances in Neural Information Processing Systems (NeurIPS)"
    assert neurips.long_name(None) == "Advances in Neural Information Processing Systems (NeurIPS)"
    assert {neurips.short_name(y) for y in (2015, 2017, 2018, 2023)} == {"NeurIPS"}
    assert (neurips.event_name(2017), neurips.event_name(2018)) == ("NIPS 2017", "NeurIPS 2018")
    assert cvpr.long_name(2018) == "Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert cvpr.long_name(2019) == "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"


def test_the_table_is_consistent():
    table = venues.table()
    ids = [v.id.casefold() for v in table.venues]
    assert len(ids) == len(set(ids))
    by_id = {v.id: v for v in table.venues}
    for venue in table.venues:
        assert venue.kind in venues.KINDS and venue.source, venue.id
        assert venue.kind == venues.PREPRINT or venue.long, venue.id
        if venue.kind == venues.WORKSHOP and venue.of:
            assert by_id[venue.of].kind == venues.CONFERENCE
    # A name shared by two venues is refused when the table is built.
    rows = [{"id": "AAA", "kind": "conference", "long": "Shared Name"}, {"id": "BBB", "kind": "journal", "long": "Shared Name"}]
    with pytest.raises(ValueError, match="names both AAA and BBB"):
        venues.build_table(rows)


def test_dblp_facts_of_the_lists_conferences_are_kept():
    from prune2bib import venues_dblp

    assert venues_dblp.toc_keys("NIPS", 2019) == ("db/conf/nips/nips2019.bht",)
    assert venues_dblp.toc_keys("neurips", 2020) == ("db/conf/nips/neurips2020.bht",)
    assert venues_dblp.dblp_venue("ICLR (DBLP key conf/iclrw/A17)") is None  # DBLP's names are taken whole
    assert venues_dblp.toc_keys("ICCV", 2020) == ()
    assert len(venues_dblp.toc_keys("ECCV", 2022)) == 39
    assert venues_dblp.toc_keys("TPAMI", 2020) == ()  # a journal has a stream, no proceedings pages
    assert venues_dblp.dblp_venue("IEEE Trans. Pattern Anal. Mach. Intell.").stream == "journals/pami"
    # Only conferences are looked for in DBLP's proceedings.
    assert venues_dblp.proceedings_venue("TPAMI") is None and venues_dblp.proceedings_venue("CVPR 2023").short == "CVPR"


# ---------------------------------------------------------------------- the entry type of each kind


def test_a_journal_row_is_an_article_in_every_format():
    rows = [entry("TPAMI", line=1), entry("Nature Machine Intelligence", line=2)]
    bib = bib_entries(rows)
    assert [e.entry_type for e in bib] == ["article", "article"]
    journals = sorted(e.fields_dict["journal"].value for e in bib)
    assert journals == ["IEEE Transactions on Pattern Analysis and Machine Intelligence", "Nature Machine Intelligence"]
    assert not any("booktitle" in e.fields_dict for e in bib)

    items = json.loads(export(rows, "csljson"))
    assert {(i["type"], i["container-title"]) for i in items} == {
        ("article-journal", "IEEE Transactions on Pattern Analysis and Machine Intelligence"),
        ("article-journal", "Nature Machine Intelligence"),
    }
    assert "event-title" not in items[0]

    ris = rispy.loads(export(rows, "ris"))
    # Zotero's RIS.js: TY JOUR -> journalArticle, T2 -> publicationTitle, J2 -> journalAbbreviation.
    assert {(r["type_of_reference"], r["secondary_title"], r["alternate_title1"]) for r in ris} == {
        ("JOUR", "IEEE Transactions on Pattern Analysis and Machine Intelligence", "TPAMI"),
        ("JOUR", "Nature Machine Intelligence", "NMI"),
    }


def test_a_journal_row_in_short_style_names_the_journal_by_its_acronym():
    from prune2bib.writers import WriteOptions

    outcomes = assign_keys(resolve_rows(select_rows([entry("IEEE TNNLS")], RowFilter()), None))
    text = render([o.record for o in outcomes], "bibtex", WriteOptions(venue_style="short"))
    (bib,) = bibtexparser.parse_string(text).entries
    assert (bib.entry_type, bib.fields_dict["journal"].value) == ("article", "TNNLS")


@pytest.mark.parametrize(
    "cell, booktitle",
    [
        ("CVPRW", "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR) Workshops"),
        ("ICLR-W", "Workshop at the International Conference on Learning Representations (ICLR)"),
        ("NeurIPS Workshop", "Workshop at the Conference on Neural Information Processing Systems (NeurIPS)"),
        ("ICML 2021 Workshop on Overparameterization", "ICML Workshop on Overparameterization"),
    ],
)
def test_a_workshop_row_has_the_workshops_booktitle(cell, booktitle):
    (bib,) = bib_entries([entry(cell)])
    assert bib.entry_type == "inproceedings" and bib.fields_dict["booktitle"].value == booktitle
    (item,) = json.loads(export([entry(cell)], "csljson"))
    assert (item["type"], item["container-title"]) == ("paper-conference", booktitle)


@pytest.mark.parametrize("cell", ["arXiv", "CoRR", "-", "", "Unknown", "arXiv 2021"])
def test_preprint_cells_are_the_arxiv_preprint_form(cell):
    row = entry(cell)
    record = record_from_entry(row, identify(row.url))
    assert (record.type, record.publisher, record.arxiv_id, record.container_title) == (PREPRINT, "arXiv", "2101.00001", "")
    (bib,) = bib_entries([row])
    assert bib.entry_type == "misc" and bib.fields_dict["eprint"].value == "2101.00001"
    assert "arXiv:2101.00001" in bib.fields_dict["howpublished"].value and "booktitle" not in bib.fields_dict
    (item,) = json.loads(export([row], "csljson"))
    assert (item["type"], item["number"], item["publisher"]) == ("article", "arXiv:2101.00001", "arXiv")
    (ris,) = rispy.loads(export([row], "ris"))
    assert (ris["type_of_reference"], ris["secondary_title"]) == ("JOUR", "arXiv")


def test_a_no_venue_row_with_another_link_is_a_preprint_without_a_server():
    row = entry("-", url="https://example.org/paper.pdf")
    record = record_from_entry(row, identify(row.url))
    assert (record.type, record.publisher, record.container_title) == (PREPRINT, "", "")


@pytest.mark.parametrize("cell", ["", "-", "Unknown"])
def test_a_no_venue_row_takes_the_venue_its_link_proves(cell):
    """A row with no venue (an empty cell, or a table with no Venue column) whose link is a CVF page:
    the link proves the conference (KK0W/Awesome-Semi-Supervised-Clustering's 'Author' tables)."""
    url = "https://openaccess.thecvf.com/content_CVPR_2019/papers/Yoo_Learning_Loss_for_Active_Learning_CVPR_2019_paper.pdf"
    row = entry(cell, year=2019, url=url)
    record = record_from_entry(row, identify(url))
    assert (record.type, record.container_title_short, record.event_title) == (PAPER_CONFERENCE, "CVPR", "CVPR 2019")
    assert not [e for e in find_errata([row]) if e.code == "unknown-venue"]


def test_an_unknown_venue_is_a_plain_conference_paper_flagged_by_check():
    rows = [entry("Some Symposium", line=3), entry("CVPR", line=4)]
    record = record_from_entry(rows[0], identify(rows[0].url))
    assert (record.type, record.container_title, record.container_title_short) == (PAPER_CONFERENCE, "Some Symposium", "Some Symposium")
    booktitles = {e.entry_type + ":" + e.fields_dict["booktitle"].value for e in bib_entries(rows)}
    assert "inproceedings:Some Symposium" in booktitles
    errata = [e for e in find_errata(rows) if e.code == "unknown-venue"]
    assert [(e.line, e.message) for e in errata] == [
        (3, "unknown venue 'Some Symposium' (not in the venue table): exported as a conference paper of that name")
    ]


@pytest.mark.parametrize("cell", ["IEEE", "Springer", "ScienceDirect", "Wiley Online Library"])
def test_a_publisher_is_no_venue(cell):
    """'IEEE' in a Venue cell (Awesome-Pruning's pending 2024 row; durgeshsamariya's outlier list
    writes Springer, Elsevier, ACM …) names who published the paper, not in what: no booktitle
    {IEEE}, but an entry without a venue that keeps the publisher; `check` says so."""
    row = entry(cell, url="https://ieeexplore.ieee.org/abstract/document/4781136", line=7)
    record = record_from_entry(row, identify(row.url))
    assert (record.type, record.container_title, record.publisher) == (PREPRINT, "", cell)
    (bib,) = bib_entries([row])
    assert bib.entry_type == "misc" and "booktitle" not in bib.fields_dict and "journal" not in bib.fields_dict
    (item,) = json.loads(export([row], "csljson"))
    assert (item["type"], item["publisher"], "container-title" in item) == ("article", cell, False)
    ((line, message),) = [(e.line, e.message) for e in find_errata([row]) if e.code == "unknown-venue"]
    assert (line, message) == (7, f"unknown venue {cell!r} (not in the venue table): a publisher, not a venue: "
                                  f"exported without a venue, publisher {cell!r}")  # fmt: skip


@pytest.mark.parametrize(
    "cell",
    ["IEEE Transactions on Fuzzy Systems", "IEEE/ACM Transactions on Networking", "Journal of Signal Processing Systems",
     "Foundations and Trends in Machine Learning", "IEICE Transactions on Information and Systems", "Physical Review B"],
)  # fmt: skip
def test_a_journal_the_table_does_not_list_is_read_by_its_name(cell):
    """Journals by their full names (KK0W's and tnbar's lists): an article in that journal, not
    flagged; a name with a meeting's word stays a conference paper."""
    row = entry(cell)
    record = record_from_entry(row, identify(row.url))
    assert (record.type, record.container_title) == (ARTICLE_JOURNAL, cell)
    assert not [e for e in find_errata([row]) if e.code == "unknown-venue"]
    meeting = entry("International Conference on Intelligent Computing and Intelligent Systems")
    assert record_from_entry(meeting, identify(meeting.url)).type == PAPER_CONFERENCE
    # A journal's word and a meeting's: IOP's proceedings journal, whose papers Crossref types as
    # proceedings articles; not a journal by its words (`check` reports it as unknown).
    assert venues.lookup("Journal of Physics: Conference Series") is None


@pytest.mark.parametrize(
    "cell, venue_id",
    [("Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition", "CVPR"),
     ("Proceedings of the IEEE/CVF Winter Conference on Applications of Computer Vision", "WACV"),  # the long name less '(WACV)'
     ("Proceedings of the Conference on Computer Vision and Pattern Recognition", "CVPR"),  # an alias after 'Proceedings of the'
     ("Proceedings of the International Conference on Machine Learning", "ICML"),
     ("IEEE Transactions on Knowledge and Data Engineering", "TKDE"), ("ICDM 2018", "ICDM")],
)  # fmt: skip
def test_long_names_without_their_acronym_and_proceedings_of(cell, venue_id):
    assert venues.lookup(cell).id == venue_id


def test_an_unknown_venue_takes_the_venue_its_link_proves():
    url = "https://openaccess.thecvf.com/content/CVPR2023/html/Synthetic_Paper_CVPR_2023_paper.html"
    row = entry("IEEE", year=2023, url=url)
    record = record_from_entry(row, identify(url))
    assert (record.type, record.container_title_short, record.event_title) == (PAPER_CONFERENCE, "CVPR", "CVPR 2023")
    ((line, message),) = [(e.line, e.message) for e in find_errata([row]) if e.code == "unknown-venue"]
    assert message == "unknown venue 'IEEE' (not in the venue table): exported as a CVPR paper, as its link shows"


def test_a_year_in_the_cell_dates_a_row_without_a_section_year():
    row = entry("CVPR 2023", year=None)
    record = record_from_entry(row, identify(row.url))
    assert (record.year, record.container_title_short, record.event_title) == (2023, "CVPR", "CVPR 2023")
    assert record_from_entry(entry("TPAMI", year=None), identify(ARXIV_LINK)).issued == ()


def test_resolution_wins_over_the_cell():
    # The row says arXiv; Crossref knows the paper in TNNLS (by the DOI the row links).
    row = entry("arXiv", url="https://doi.org/10.5555/synthetic.1")
    base = record_from_entry(row, identify(row.url))
    found = Record(type=ARTICLE_JOURNAL, title=row.title, issued=(2022, 3), container_title="IEEE Transactions on Neural Networks and Learning Systems",
                   container_title_short="IEEE Trans. Neural Netw. Learn. Syst.", volume="33", page="1-12")  # fmt: skip
    record, prov = merge(base, found, "crossref")
    assert (record.type, record.container_title, record.container_title_short) == (
        ARTICLE_JOURNAL, "IEEE Transactions on Neural Networks and Learning Systems", "TNNLS")
    assert record.volume == "33" and prov.venue_names == (("crossref", "IEEE Transactions on Neural Networks and Learning Systems"),)


# ---------------------------------------------------------------------- --venue


def test_venue_filter_goes_through_the_aliases():
    rows = [entry("NIPS", line=1), entry("NeurIPS'22 **(Oral)**", line=2), entry("CVPR", line=3), entry("IEEE", line=4),
            entry("-", line=5), entry("neurips", line=6)]  # fmt: skip
    for wanted in ("NIPS", "nips", "NeurIPS", "Advances in Neural Information Processing Systems"):
        assert [e.line for e in rows if RowFilter(venues=(wanted,)).accepts(e)] == [1, 2, 6], wanted
    assert [e.line for e in rows if RowFilter(venues=("ieee",)).accepts(e)] == [4]
    assert [e.line for e in rows if RowFilter(venues=("NOPE",)).accepts(e)] == []


def test_valid_venue_names_of_a_list():
    rows = [entry("NIPS"), entry("NeurIPS'22"), entry("cvpr 2023"), entry("IEEE"), entry("-"), entry("IEEE TPAMI")]
    assert venue_names(rows) == ["CVPR", "IEEE", "NeurIPS", "TPAMI"]


def test_year_filters_read_the_cells_year_when_the_row_has_none():
    row = entry("CVPR 2023", year=None)
    assert RowFilter(since=2022).accepts(row) and not RowFilter(until=2022).accepts(row)
    assert not RowFilter(since=2022).accepts(entry("TPAMI", year=None))


# ---------------------------------------------------------------------- series (LNCS)


def test_a_series_alone_is_never_the_booktitle():
    # The sourced body of the ECCV 2022 chapter FedLTN names only its series (cassettes/sources/SOURCES.md).
    from conftest import CASSETTES
    from prune2bib.resolvers.crossref import to_record

    found = to_record(json.loads((CASSETTES / "sources" / "crossref" / "10.1007_978-3-031-19775-8_5.json").read_text()))
    assert (found.container_title, found.collection_title, found.volume) == ("", "Lecture Notes in Computer Science", "13672")
    row = entry("ECCV", year=2022, url="https://doi.org/10.1007/978-3-031-19775-8_5")
    record, _ = merge(record_from_entry(row, identify(row.url)), found, "crossref")
    assert (record.container_title, record.collection_title, record.volume) == (
        "Proceedings of the European Conference on Computer Vision (ECCV)", "Lecture Notes in Computer Science", "13672")
    (bib,) = bibtexparser.parse_string(render([record.with_(id="k")], "bibtex")).entries
    assert (bib.fields_dict["booktitle"].value, bib.fields_dict["series"].value) == (
        "Proceedings of the European Conference on Computer Vision (ECCV)", "Lecture Notes in Computer Science")


@pytest.mark.parametrize("series", ["Lecture Notes in Computer Science", "Communications in Computer and Information Science"])
def test_series_are_told_from_books(series):
    from prune2bib.resolvers.crossref import to_record

    message = {"DOI": "10.5555/x", "type": "book-chapter", "title": ["T"], "container-title": [series, "Computer Vision – ACCV 2020"]}
    record = to_record(message)
    assert (record.container_title, record.collection_title) == ("Computer Vision – ACCV 2020", series)
    assert venues.is_series(series) and not venues.is_series("Computer Vision – ACCV 2020")


# ---------------------------------------------------------------------- the corpus of real lists


def test_the_real_lists_venues_are_known_and_journals_are_articles():
    """tests/data/lists/ (eleven real lists, SOURCES.json): almost every Venue cell is in the table,
    and every journal row exports as an article, every preprint row in the preprint form."""
    from collections import Counter
    from pathlib import Path

    from prune2bib.readme import parse_readme

    kinds, unknown, publishers, named = {}, Counter(), 0, 0
    for path in sorted((Path(__file__).parent / "data" / "lists").glob("*.md")):
        parsed = parse_readme(path.read_text(encoding="utf-8"))
        for row in getattr(parsed, "entries", parsed):
            named += bool(row.venue)
            venue = venues.lookup(row.venue)
            if venue is None:
                publishers += venues.is_publisher(row.venue)
                unknown[row.venue] += not venues.is_publisher(row.venue)
                continue
            record = record_from_entry(row, identify(row.url))
            if venue.id == venues.NO_VENUE and implied_venue(identify(row.url)):
                venue = venues.lookup(implied_venue(identify(row.url))[0])  # the link proves the venue
            expected = {venues.JOURNAL: ARTICLE_JOURNAL, venues.PREPRINT: PREPRINT}.get(venue.kind, PAPER_CONFERENCE)
            assert record.type == expected, (path.name, row.line, row.venue)
            kinds[venue.kind] = kinds.get(venue.kind, 0) + 1
    assert kinds[venues.JOURNAL] >= 100 and kinds[venues.WORKSHOP] >= 10 and kinds[venues.CONFERENCE] >= 500
    assert publishers >= 20  # durgeshsamariya's outlier list names IEEE, Springer, ACM, Elsevier …
    # A few one-off venues (books, small meetings): under 5 % of the named venues, none frequent.
    assert sum(unknown.values()) <= 0.05 * named and max(unknown.values()) <= 4, unknown.most_common(5)


def test_the_cli_venue_filter_and_its_valid_values(tmp_path):
    from clirun import run_cli

    readme = tmp_path / "list.md"
    readme.write_text(
        "### 2022\n\n| Title | Venue | Type | Code |\n|---|---|---|---|\n"
        "| [Synthetic paper 1](https://arxiv.org/abs/2201.00001) | NIPS | `F` | - |\n"
        "| [Synthetic paper 2](https://arxiv.org/abs/2201.00002) | NeurIPS'22 **(Oral)** | `F` | - |\n"
        "| [Synthetic paper 3](https://arxiv.org/abs/2201.00003) | IEEE TPAMI | `W` | - |\n"
        "| [Synthetic paper 4](https://arxiv.org/abs/2201.00004) | IEEE | `W` | - |\n",
        encoding="utf-8",
    )
    result = run_cli("export", "--no-resolve", "--no-lock", "--readme", readme, "--venue", "nips", "-f", "csljson")
    assert result.exit_code == 0, result.stderr
    assert sorted(i["title"] for i in json.loads(result.stdout)) == ["Synthetic paper 1", "Synthetic paper 2"]
    failed = run_cli("export", "--no-resolve", "--no-lock", "--readme", readme, "--venue", "NOPE")
    assert failed.exit_code == 2 and failed.stdout == ""
    # (the first stderr line is the reader's summary of a README given with --readme)
    assert failed.stderr.splitlines()[-1] == "prune2bib: no row has --venue NOPE; the list's venues: IEEE, NeurIPS, TPAMI; nothing written"


@pytest.mark.parametrize(
    "names, venue_id",
    [
        (("", "", "8th International Conference on Learning Representations, ICLR 2020, Addis Ababa, Ethiopia, April 26-30, 2020"), "ICLR"),
        (("", "", "Computer Vision – ECCV 2022"), "ECCV"),
        (("", "", "2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW)"), "CVPRW"),
        (("CVPR Workshops", "", "Synthetic proceedings"), "CVPRW"),
        (("", "", "The Thirty-Fourth AAAI Conference on Artificial Intelligence, AAAI 2020, The Thirty-Second Innovative "
                  "Applications of Artificial Intelligence Conference, IAAI 2020, New York, NY, USA"), "AAAI"),
        (("IEEE Trans. Pattern Anal. Mach. Intell.", "", ""), "TPAMI"),
        (("NeurIPS", "NeurIPS 2019", "Advances in Neural Information Processing Systems 32"), "NeurIPS"),
    ],
)  # fmt: skip
def test_a_sources_names_point_to_the_tables_venue(names, venue_id):
    assert venues.venue_of_names(*names).id == venue_id


def test_a_source_name_the_table_does_not_know_points_nowhere():
    assert venues.venue_of_names("", "", "Proceedings of the 1st Workshop on Synthetic Things, SYN 2020, Vienna") is None
    assert venues.venue_of_names("", "", "arXiv") is None  # a preprint server is no published venue


def test_the_compiled_table_is_the_toml():
    """prune2bib reads data/venues.json; people edit data/venues.toml. After an edit of the TOML,
    run `python tests/tools/compile_venues.py`."""
    from prune2bib import datafiles

    assert datafiles.read_text(venues.COMPILED) == venues.compiled(venues.source_data()), \
        "data/venues.json is not data/venues.toml: run python tests/tools/compile_venues.py"  # fmt: skip


def test_the_table_read_with_its_compiled_index_is_the_table_built_from_its_rows():
    """`table()` takes its name index (~500 name keys, the acronyms) from data/venues.json instead
    of working it out on every run: it must be the very table `build_table` makes of the rows."""
    read, made = venues.table(), venues.built(venues.source_data())
    assert read == made
    assert list(read.by_key) == list(made.by_key) and list(read.by_acronym) == list(made.by_acronym)
    assert read.by_key["cvpr"] is read.venues[0]  # the index points into the table's own rows


NOTE_TEXT = st.text(alphabet="OoRrAaLlSsPpTtIiGgHhBbEeNnUuDdCc ,:;-%0123456789ſİıK\u212a(", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NOTE_TEXT, st.builds("{} {}".format, NOTE_TEXT, st.sampled_from(["Oral", "SPOTLIGHT", "best paper", "ſpotlight", "notable top 5%"]))))
def test_a_cell_ruled_out_without_the_note_pattern_is_one_it_cannot_match(text):
    """split_cell searches for a note word only when `_may_hold_note_word` allows one (the pattern
    is compiled on first use): the check may say yes for nothing, never no for a match."""
    if re.search(venues._NOTE_WORDS, " " + text):
        assert venues._may_hold_note_word(text)


def test_notes_and_short_years_are_still_read():
    assert venues.split_cell("NeurIPS'22 Spotlight") == ("NeurIPS", 2022, "Spotlight")
    assert venues.split_cell("ICLR ’21, oral") == ("ICLR", 2021, "oral")
    assert venues.split_cell("CVPR") == ("CVPR", None, "")

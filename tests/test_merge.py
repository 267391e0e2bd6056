"""merge: published over preprint, list data kept, provenance per field.

All records here are synthetic (names, DOIs and pages of no real paper)."""

from __future__ import annotations

from prune2bib.baseline import record_from_entry
from prune2bib.identify import Identifier
from prune2bib.merge import merge, merge_records
from prune2bib.readme import Entry
from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, CodeLink, Person, Record

ENTRY = Entry(
    line=300,
    year=2019,
    title="A Synthetic Study of Pruning Filters",
    url="https://arxiv.org/abs/9901.00001",
    venue="CVPR",
    types=("F",),
    venue_note="Oral",
    code=(CodeLink("PyTorch(Author)", "https://github.com/example/synthetic"),),
)
IDENT = Identifier("arxiv", "9901.00001")
AUTHORS = (Person("Doe", "Jane"), Person("Roe", "Richard"))
PREPRINT_RECORD = Record(
    type=PREPRINT,
    title="A Synthetic Study of Pruning Filters",
    authors=AUTHORS,
    issued=(2018, 11, 1),
    arxiv_id="9901.00001v3",
    arxiv_class="cs.CV",
    doi="10.0000/synthetic.journal",
    url="https://arxiv.org/abs/9901.00001v3",
)


def test_readme_record_has_venue_year_and_no_author():
    base = record_from_entry(ENTRY, IDENT)
    assert base.type == PAPER_CONFERENCE
    assert base.container_title == "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert base.event_title == "CVPR 2019"
    assert base.issued == (2019,)
    assert base.arxiv_id == "9901.00001"
    assert base.authors == ()


def test_no_source_record_keeps_readme_data_with_readme_provenance():
    base = record_from_entry(ENTRY, IDENT)
    record, prov = merge(base, None, "")
    assert record == base
    assert set(prov.as_dict().values()) == {"readme"}


def test_preprint_fills_authors_but_entry_stays_the_venue_paper():
    base = record_from_entry(ENTRY, IDENT)
    record, prov = merge(base, PREPRINT_RECORD, "arxiv")
    assert record.type == PAPER_CONFERENCE
    assert record.issued == (2019,)  # the venue's year, not the preprint's
    assert record.authors == AUTHORS
    assert record.arxiv_class == "cs.CV"
    assert record.doi == ""  # arXiv's author-supplied DOI is not put on the conference entry
    assert record.url == ENTRY.url and record.code == ENTRY.code and record.venue_note == "Oral"
    assert prov.as_dict()["authors"] == "arxiv" and prov.as_dict()["container_title"] == "readme"


def test_prefer_preprint_gives_the_arxiv_record_with_list_data():
    base = record_from_entry(ENTRY, IDENT)
    record, _ = merge(base, PREPRINT_RECORD, "arxiv", prefer="preprint")
    assert record.type == PREPRINT
    assert record.issued == (2018, 11, 1)
    assert record.arxiv_id == "9901.00001v3"
    assert record.types == ("F",)


def test_published_record_wins_and_keeps_arxiv_identity():
    base = record_from_entry(ENTRY, IDENT)
    published = Record(
        type=PAPER_CONFERENCE,
        title="A Synthetic Study of Pruning Filters",
        authors=AUTHORS,
        issued=(2019, 6),
        container_title="2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
        page="1-10",
        doi="10.0000/synthetic.1",
    )
    record, prov = merge(base, published, "crossref")
    assert record.page == "1-10" and record.doi == "10.0000/synthetic.1"
    assert record.arxiv_id == "9901.00001"
    assert record.container_title_short == "CVPR"
    assert prov.as_dict()["page"] == "crossref" and prov.as_dict()["arxiv_id"] == "readme"


def test_journal_record_changes_the_type():
    base = record_from_entry(ENTRY, IDENT)
    record, prov = merge(base, Record(type=ARTICLE_JOURNAL, title=ENTRY.title, container_title="IEEE TPAMI"), "crossref")
    assert record.type == ARTICLE_JOURNAL
    # The venue table's names of the journal the source names; the source's own name in the provenance.
    assert (record.container_title, record.container_title_short, record.event_title) == (
        "IEEE Transactions on Pattern Analysis and Machine Intelligence", "TPAMI", "")
    assert prov.venue_names == (("crossref", "IEEE TPAMI"),) and prov.as_dict()["container_title"] == "venues"


def test_an_unknown_venue_of_a_source_keeps_the_sources_names_not_the_rows():
    base = record_from_entry(ENTRY, IDENT)  # a CVPR row
    found = Record(type=ARTICLE_JOURNAL, title=ENTRY.title, container_title="Synthetic Letters", issued=(2020,))
    record, prov = merge(base, found, "crossref")
    assert (record.container_title, record.container_title_short, record.event_title) == ("Synthetic Letters", "", "")
    assert prov.as_dict()["container_title"] == "crossref"


def test_doubled_scheme_in_a_code_link_is_repaired_in_the_record():
    entry = Entry(line=1, year=2022, title="A Synthetic Study", url="https://example.org/p", venue="ECCV", types=("W",),
                  code=(CodeLink("PyTorch(Author)", "https://https://github.com/example/synthetic"),))  # fmt: skip
    record = record_from_entry(entry, Identifier("url", "https://example.org/p"))
    assert record.code == (CodeLink("PyTorch(Author)", "https://github.com/example/synthetic"),)


# ---------------------------------------------------------------------- several sources (issue 4)

DBLP = Record(type=PAPER_CONFERENCE, title="Synthetic Paper 1", authors=(Person("Author1", "Synth"),), issued=(2019,),
              container_title="Synthetic Proceedings 2019", container_title_short="CVPR", page="1-10")  # fmt: skip
CROSSREF = Record(type=PAPER_CONFERENCE, title="SYNTHETIC PAPER 1", issued=(2019, 6), doi="10.5555/synthetic.1",
                  publisher="Synthetic Press", page="99-108")  # fmt: skip
ARXIV = Record(type=PREPRINT, title="Synthetic paper 1 (preprint)", authors=(Person("Author1", "Synth"), Person("Other", "Synth")),
               issued=(2018, 11, 1), doi="10.5555/journal-extension", arxiv_id="2101.00001", arxiv_class="cs.CV",
               publisher="arXiv")  # fmt: skip


def venue_row():
    entry = Entry(line=1, year=2019, title="Synthetic paper 1", url="https://arxiv.org/abs/2101.00001", venue="CVPR", types=("F",))
    return record_from_entry(entry, Identifier("arxiv", "2101.00001"))


def test_published_sources_fill_each_other_and_the_preprint_adds_only_its_identity():
    record, provenance = merge_records(venue_row(), [("dblp", DBLP), ("crossref", CROSSREF), ("arxiv", ARXIV)])
    assert (record.title, record.page, record.doi, record.publisher) == ("Synthetic Paper 1", "1-10", "10.5555/synthetic.1", "Synthetic Press")
    assert (record.arxiv_id, record.arxiv_class, record.issued, len(record.authors)) == ("2101.00001", "cs.CV", (2019,), 1)
    sources = provenance.as_dict()
    assert (sources["title"], sources["page"], sources["doi"], sources["arxiv_class"], sources["types"]) == (
        "dblp", "dblp", "crossref", "arxiv", "readme")  # fmt: skip


def test_authors_fall_back_to_the_preprint_when_the_published_record_has_none():
    record, provenance = merge_records(venue_row(), [("crossref", CROSSREF), ("arxiv", ARXIV)])
    assert [p.family for p in record.authors] == ["Author1", "Other"] and provenance.as_dict()["authors"] == "arxiv"


def test_prefer_preprint_with_a_published_record_beside_it():
    record, provenance = merge_records(venue_row(), [("dblp", DBLP), ("arxiv", ARXIV)], prefer="preprint")
    assert (record.type, record.title, record.issued, record.page) == (PREPRINT, ARXIV.title, (2018, 11, 1), "")
    assert provenance.as_dict()["title"] == "arxiv"


def test_slips_in_the_title_are_repaired_in_the_record():
    from prune2bib.readme import repaired_title

    assert repaired_title("Synthetic Pruning Approach With Mask PredictionSynthetic Pruning Approach With Mask Prediction") == (
        "Synthetic Pruning Approach With Mask Prediction"
    )
    assert repaired_title("Synthetic Filter Pruning for CNN Width Optimization github") == "Synthetic Filter Pruning for CNN Width Optimization"
    assert repaired_title("Pruning Filters for Efficient ConvNets") == "Pruning Filters for Efficient ConvNets"
    assert repaired_title("Code") == "Code"  # a one-word title is left alone

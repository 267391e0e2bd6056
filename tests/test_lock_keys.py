"""Keys of a project (project/keys.py, project/rows.py): provisional until authors arrive, then the
author key with a notice; pinned and author keys never change; retired keys never reused for
another paper; the old key file taken over by identity — never by the title alone."""

from __future__ import annotations

from test_citekeys import readme_records
from writer_records import FPGM, HAN, PFEC, README_ONLY_PREPRINT, README_ONLY_WF

from prune2bib.project import keys
from prune2bib.project.lockfile import AUTHOR, PINNED, PROVISIONAL, Paper, Retired, Row
from prune2bib.project.rows import NEW, RELINKED, RETITLED, SAME, match_rows
from prune2bib.record import Person, Record

# Deep Compression (Han, Mao, Dally): arXiv 1510.00149 (2015), ICLR 2016 — one title, two years.
DEEP = "Deep Compression: Compressing Deep Neural Networks with Pruning, Trained Quantization and Huffman Coding"
HAN_MAO_DALLY = (Person("Han", "Song"), Person("Mao", "Huizi"), Person("Dally", "William J."))
DEEP_2015 = Record(title=DEEP, authors=HAN_MAO_DALLY, issued=(2015,))
DEEP_2016 = Record(title=DEEP, authors=HAN_MAO_DALLY, issued=(2016,))


def given(slots, **kwargs) -> list[tuple[str, str, str]]:
    return [(g.key, g.state, g.replaced) for g in keys.assign(slots, **kwargs).given]


def test_new_rows_get_author_keys_or_provisional_ones():
    assert given([keys.Slot(FPGM), keys.Slot(README_ONLY_WF)]) == [
        ("he2019filter", AUTHOR, ""),
        ("pruningdeep2023", PROVISIONAL, ""),
    ]


def test_a_provisional_key_becomes_the_author_key_and_says_so():
    resolved = README_ONLY_PREPRINT.with_(authors=PFEC.authors)
    keying = keys.assign([keys.Slot(resolved, "pruningfilters2016", PROVISIONAL)])
    assert [(g.key, g.state, g.replaced) for g in keying.given] == [("li2016pruning", AUTHOR, "pruningfilters2016")]
    # the old key is retired with the paper's identities: no other paper will get it
    assert [r.key for r in keying.retired] == ["pruningfilters2016"]
    other = Record(title="Pruning Filters", issued=(2016,))  # would have the same base
    assert given([keys.Slot(other)], retired=keying.retired) == [("pruningfilters2016a", PROVISIONAL, "")]


def test_a_pinned_key_stays_when_authors_arrive():
    resolved = README_ONLY_PREPRINT.with_(authors=PFEC.authors)
    assert given([keys.Slot(resolved, "pruningfilters2016", PINNED)]) == [("pruningfilters2016", PINNED, "")]


def test_an_author_key_never_changes():
    # Retitled, another first author, another year: the row's key is its key.
    changed = FPGM.with_(title="Geometric Median Pruning", authors=(Person("Liu", "Ping"),), issued=(2020,))
    assert given([keys.Slot(changed, "he2019filter", AUTHOR)]) == [("he2019filter", AUTHOR, "")]


def test_a_provisional_key_that_is_already_the_author_key_just_turns_final():
    # e.g. taken over from the old key file, where authors were known
    assert given([keys.Slot(FPGM, "he2019filtera", PROVISIONAL)]) == [("he2019filtera", AUTHOR, "")]


def test_a_provisional_key_stays_while_the_paper_has_no_authors():
    assert given([keys.Slot(README_ONLY_WF, "pruningdeep2023", PROVISIONAL)]) == [("pruningdeep2023", PROVISIONAL, "")]


def test_keys_held_by_other_rows_and_retired_keys_are_never_handed_out():
    twin = FPGM.with_(title="Filter Pruning Twin", doi="", arxiv_id="")
    retired = (Retired("he2019filtera", AUTHOR, ("doi:10.0/gone",)),)
    assert given([keys.Slot(twin)], reserved=["he2019filter"], retired=retired) == [("he2019filterb", AUTHOR, "")]


def test_a_paper_that_comes_back_gets_its_retired_key_back():
    retired = (Retired("he2019filter", AUTHOR, tuple(keys.citekeys.identities(FPGM))),)
    moved = FPGM.with_(url="https://example.org/moved", issued=(2020,))  # same DOI, another table
    keying = keys.assign([keys.Slot(moved)], retired=retired)
    assert [(g.key, g.state) for g in keying.given] == [("he2019filter", AUTHOR)]
    assert keying.retired == ()


def test_old_key_file_keys_are_taken_by_identity_and_turn_provisional_title_keys_into_author_keys():
    legacy = {"he2019filter": keys.citekeys.identities(FPGM), "filterpruning2015": keys.citekeys.identities(HAN)}
    keying = keys.assign([keys.Slot(FPGM), keys.Slot(HAN)], legacy=legacy)
    assert [(g.key, g.state, g.replaced) for g in keying.given] == [
        ("he2019filter", AUTHOR, ""),
        ("han2015learning", AUTHOR, "filterpruning2015"),  # a title key of a paper that has authors
    ]
    assert keying.migrated == 2


def test_old_key_file_keys_of_other_papers_are_not_reserved():
    # The old file was shared by every list on the machine: its other keys mean nothing here.
    legacy = {"he2019filter": ["doi:10.0/another-project"]}
    assert given([keys.Slot(FPGM)], legacy=legacy) == [("he2019filter", AUTHOR, "")]


def test_a_key_is_never_matched_on_the_title_alone():
    # issue 10: a key file matched on title alone moved han2015deep to han2016deep.
    legacy = {"han2015deep": keys.citekeys.identities(DEEP_2015)}
    assert given([keys.Slot(DEEP_2016), keys.Slot(DEEP_2015)], legacy=legacy) == [
        ("han2016deep", AUTHOR, ""),
        ("han2015deep", AUTHOR, ""),
    ]
    retired = (Retired("han2015deep", AUTHOR, tuple(keys.citekeys.identities(DEEP_2015))),)
    assert given([keys.Slot(DEEP_2016), keys.Slot(DEEP_2015)], retired=retired) == [
        ("han2016deep", AUTHOR, ""),
        ("han2015deep", AUTHOR, ""),
    ]


# ---------------------------------------------------------------------- rows


def paper(key: str, row: Row) -> Paper:
    return Paper(key, AUTHOR, row, "resolved", Record(title=row.title, issued=(row.year,), id=key))


def test_rows_are_matched_by_identity_not_position():
    rows = [Row(r.title, r.url, r.year) for r in readme_records()]
    papers = [paper(f"k{n}", row) for n, row in enumerate(rows)]
    inserted = [Row("A New Paper on Pruning", "https://arxiv.org/abs/2401.00001", 2024)] + rows[::-1]
    matches, gone = match_rows(inserted, papers)
    assert matches[0].how == NEW and matches[0].paper is None
    assert [m.paper.key for m in matches[1:]] == [p.key for p in papers[::-1]]
    assert {m.how for m in matches[1:]} == {SAME} and gone == []


def test_a_retitled_row_and_a_relinked_row_keep_their_entries():
    a = Row("Filter Pruning via Geometric Median", "https://arxiv.org/abs/1811.00250", 2019)
    b = Row("Pruning Filters for Efficient ConvNets", "https://arxiv.org/abs/1608.08710", 2017)
    papers = [paper("he2019filter", a), paper("li2017pruning", b)]
    now = [Row(a.title + " for Deep CNN Acceleration", "https://arxiv.org/abs/1811.00250v2", 2019),
           Row(b.title, "https://openreview.net/forum?id=rJqFGTslg", 2017)]  # fmt: skip
    matches, gone = match_rows(now, papers)
    assert [(m.paper.key, m.how) for m in matches] == [("he2019filter", RETITLED), ("li2017pruning", RELINKED)]
    assert gone == []


def test_one_link_two_papers_pair_by_title():
    link = "https://papers.nips.cc/paper/2015/hash/ae0eb3eed39d2bcef4622b2499a05fe6-Abstract.html"
    papers = [paper("han2015learning", Row("Learning both Weights and Connections", link, 2015)),
              paper("guo2016dynamic", Row("Dynamic Network Surgery", link, 2016))]  # fmt: skip
    now = [Row("Dynamic Network Surgery for Efficient DNNs", link, 2016), Row("Learning both Weights and Connections for Efficient NNs", link, 2015)]
    matches, _ = match_rows(now, papers)
    assert [m.paper.key for m in matches] == ["guo2016dynamic", "han2015learning"]


def test_twin_rows_of_one_title_and_link_keep_their_own_years_entries():
    # The list may give one paper a row in its preprint year and one in its venue year, same link.
    link = "https://arxiv.org/abs/1510.00149"
    papers = [paper("han2015deep", Row(DEEP, link, 2015)), paper("han2016deep", Row(DEEP, link, 2016))]
    for order in (1, -1):
        rows = [Row(DEEP, link, 2016), Row(DEEP, link, 2015)][::order]
        matches, gone = match_rows(rows, papers)
        assert [(m.paper.key, m.how) for m in matches] == [("han2016deep", SAME), ("han2015deep", SAME)][::order]
        assert gone == []


def test_a_row_is_never_matched_on_its_title_alone():
    # The lock knows the 2015 row; the list now has the same title in 2016 with another link:
    # a new row (its own key), and the 2015 entry has left the list.
    old = paper("han2015deep", Row(DEEP, "https://arxiv.org/abs/1510.00149", 2015))
    matches, gone = match_rows([Row(DEEP, "https://openreview.net/forum?id=deepcomp16", 2016)], [old])
    assert matches[0].how == NEW and [p.key for p in gone] == ["han2015deep"]
    # both rows, both relinked, in the other order: each keeps its own entry
    new_2016 = paper("han2016deep", Row(DEEP, "https://example.org/2016", 2016))
    now = [Row(DEEP, "https://example.org/b", 2016), Row(DEEP, "https://example.org/a", 2015)]
    matches, _ = match_rows(now, [old, new_2016])
    assert [m.paper.key for m in matches] == ["han2016deep", "han2015deep"]

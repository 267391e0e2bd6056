"""match.py: the guard that keeps a wrong paper out. Table tests of near hits and near misses."""

from __future__ import annotations

import pytest

from prune2bib.match import is_same_paper, normalize_title, same_title, venue_needles
from prune2bib.record import PAPER_CONFERENCE, PREPRINT, Record


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("Pruning Filters for Efficient ConvNets.", "pruning filters for efficient convnets"),
        ("Learning Sparse Networks through $L_0$ Regularization", "learning sparse networks through l 0 regularization"),
        ("“Lottery” Tickets — Revisited", "lottery tickets revisited"),
        ("Caf\u00e9 Pruning: \\emph{Fast} \\& Small", "cafe pruning fast and small"),
        ("<i>Deep</i> Compression", "deep compression"),
    ],
)
def test_normalize_title(raw, normalised):
    assert normalize_title(raw) == normalised


@pytest.mark.parametrize(
    "a, b",
    [
        ("Pruning Filters for Efficient ConvNets", "Pruning filters for efficient convnets."),
        ("Pruning Filters for Efficient ConvNets", "Pruning Filters for Efficient Conv-Nets"),
        ("SNIP: Single-shot Network Pruning based on Connection Sensitivity",
         "SNIP: Single-Shot Network Pruning Based on Connection Sensitivity"),
        ("Learning Sparse Networks Using Targeted Dropout", "Learning Sparse Networks using Targetted Dropout"),
        ("Learning both Weights and Connections for Efficient Neural Networks",
         "Learning Both Weights and Connections for Efficient Neural Network"),
        ("HRank: Filter Pruning using High-Rank Feature Map", "HRank: Filter Pruning Using High-Rank Feature Map"),
        ("Channel Pruning via ‘Optimal’ Thresholding", "Channel Pruning via 'Optimal' Thresholding"),
        ("Data–Free Pruning", "Data-Free Pruning"),
    ],
)  # fmt: skip
def test_same_title_accepts_the_same_title_written_differently(a, b):
    assert same_title(a, b) and same_title(b, a)


@pytest.mark.parametrize(
    "a, b",
    [
        # a title that is the prefix of another
        ("Synthetic Pruning", "Synthetic Pruning Revisited"),
        ("Pruning Filters for Efficient ConvNets", "Pruning Filters for Efficient ConvNets via Channel Gating"),
        # a sequel, a different number
        ("The Synthetic Ticket Hypothesis", "The Synthetic Ticket Hypothesis II"),
        ("Pruning ResNet-50 in One Shot", "Pruning ResNet-101 in One Shot"),
        # a different paper with a similar title: one meaningful word differs
        ("Dynamic Network Surgery for Efficient DNNs", "Dynamic Network Pruning for Efficient DNNs"),
        ("Structured Pruning for CNN Acceleration", "Structured Pruning for DNN Acceleration"),
        ("Channel Pruning for Accelerating Very Deep Neural Networks",
         "Filter Pruning for Accelerating Very Deep Neural Networks"),
        ("Global Sparse Momentum", "Local Sparse Momentum"),
        ("", "Anything"),
    ],
)  # fmt: skip
def test_same_title_rejects_near_misses(a, b):
    assert not same_title(a, b) and not same_title(b, a)


def conference(title="Synthetic Paper 7", year=2019, container="2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", **more):
    return Record(type=PAPER_CONFERENCE, title=title, issued=(year, 6), container_title=container, **more)


def test_right_title_venue_and_year_is_accepted():
    assert is_same_paper("Synthetic paper 7.", "CVPR", 2019, conference(), preprint=False) == (True, "")


@pytest.mark.parametrize(
    "venue, year, candidate, reason",
    [
        ("CVPR", 2019, conference(year=2018), "year 2018 ≠ 2019"),
        ("CVPR", 2019, conference(year=2020), "year 2020 ≠ 2019"),
        ("CVPR", 2019, conference(container="2019 IEEE/CVF International Conference on Computer Vision (ICCV)"),
         'venue "2019 IEEE/CVF International Conference on Computer Vision (ICCV)" is not CVPR'),
        ("ICCV", 2019, conference(), 'venue "2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)" is not ICCV'),
        ("ECCV", 2019, conference(container=""), "candidate names no venue (expected ECCV)"),
        ("CVPR", 2019, conference(title="Synthetic Paper 7 Revisited"), 'title differs: "Synthetic Paper 7 Revisited"'),
        ("CVPR", 2019, Record(type=PAPER_CONFERENCE, title="Synthetic Paper 7", container_title="CVPR"), "candidate has no date"),
    ],
)  # fmt: skip
def test_wrong_year_venue_or_title_is_rejected_with_a_reason(venue, year, candidate, reason):
    assert is_same_paper("Synthetic paper 7", venue, year, candidate, preprint=False) == (False, reason)


@pytest.mark.parametrize(
    "venue, year, container",
    [
        ("CVPR", 2018, "2018 IEEE/CVF Conference on Computer Vision and Pattern Recognition"),  # long name, no acronym
        ("ECCV", 2022, "Computer Vision – ECCV 2022"),
        ("IJCAI", 2018, "Proceedings of the Twenty-Seventh International Joint Conference on Artificial Intelligence"),
        ("AAAI", 2020, "Proceedings of the AAAI Conference on Artificial Intelligence"),
        ("NeurIPS", 2017, "Advances in Neural Information Processing Systems 30 (NIPS 2017)"),
        ("TPAMI", 2020, "IEEE Transactions on Pattern Analysis and Machine Intelligence (TPAMI)"),
    ],
)  # fmt: skip
def test_venue_is_recognised_by_short_or_long_name(venue, year, container):
    ok, reason = is_same_paper("Synthetic paper 7", venue, year, conference(year=year, container=container), preprint=False)
    assert ok, reason


def test_event_or_short_container_title_also_name_the_venue():
    by_event = conference(container="Synthetic Proceedings", event_title="CVPR 2019")
    by_short = conference(container="Synthetic Proceedings", container_title_short="CVPR")
    assert is_same_paper("Synthetic paper 7", "CVPR", 2019, by_event, preprint=False)[0]
    assert is_same_paper("Synthetic paper 7", "CVPR", 2019, by_short, preprint=False)[0]


def test_an_ieee_doi_names_its_conference():
    by_doi = conference(container="", doi="10.1109/CVPR.2019.00289")
    assert is_same_paper("Synthetic paper 7", "CVPR", 2019, by_doi, preprint=False) == (True, "")
    assert is_same_paper("Synthetic paper 7", "ICCV", 2019, by_doi, preprint=False)[0] is False


def test_preprints_get_a_year_of_slack_and_no_venue_check():
    preprint = Record(type=PREPRINT, title="Synthetic paper 7", issued=(2018, 11, 2))
    assert is_same_paper("Synthetic paper 7", "CVPR", 2019, preprint, preprint=True) == (True, "")
    assert is_same_paper("Synthetic paper 7", "CVPR", 2020, preprint, preprint=True) == (False, "year 2018 ≠ 2020")


def test_rows_without_venue_or_year_check_the_title_only():
    assert is_same_paper("Synthetic paper 7", "", None, conference(container=""), preprint=False) == (True, "")


def test_venue_needles_use_the_years_name():
    assert "nips" in venue_needles("NeurIPS", 2017)
    assert "conference on computer vision and pattern recognition" in venue_needles("CVPR", 2015)

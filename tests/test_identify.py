"""identify(): one table row per URL form, the seed's kind counts, and no exception on junk."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SNAPSHOT, UPSTREAM
from prune2bib.identify import KINDS, Identifier, identify, implied_venue
from prune2bib.readme import load_readme_text, parse_readme

CASES = [
    # arXiv: /abs/, /pdf/, .pdf, http, export., version kept, old-style ids
    ("https://arxiv.org/abs/1608.08710", "arxiv", "1608.08710"),
    ("https://arxiv.org/abs/1912.04427v4", "arxiv", "1912.04427v4"),
    ("http://arxiv.org/abs/1911.08020", "arxiv", "1911.08020"),
    ("https://arxiv.org/pdf/1810.11764.pdf", "arxiv", "1810.11764"),
    ("https://arxiv.org/pdf/1608.08710v2", "arxiv", "1608.08710v2"),
    ("https://arxiv.org/pdf/1608.08710v2.pdf", "arxiv", "1608.08710v2"),
    ("https://export.arxiv.org/abs/2303.00566", "arxiv", "2303.00566"),
    ("https://www.arxiv.org/abs/2303.00566/", "arxiv", "2303.00566"),
    ("https://arxiv.org/abs/cs/0601001", "arxiv", "cs/0601001"),
    ("https://arxiv.org/abs/math.GT/0309136v1", "arxiv", "math.GT/0309136v1"),
    ("https://arxiv.org/list/cs.LG/recent", "url", "https://arxiv.org/list/cs.LG/recent"),
    # OpenReview
    ("https://openreview.net/forum?id=uVcDssQff_", "openreview", "uVcDssQff_"),
    ("https://openreview.net/forum?id=-5EWhW_4qWP", "openreview", "-5EWhW_4qWP"),
    ("https://openreview.net/pdf?id=rylVvNS3hE", "openreview", "rylVvNS3hE"),
    ("https://openreview.net/forum?id=abc&noteId=xyz", "openreview", "abc"),
    ("https://openreview.net/group?id=ICLR.cc/2023", "url", "https://openreview.net/group?id=ICLR.cc/2023"),
    # DOI carried in the URL
    ("https://link.springer.com/10.1007/978-3-031-20083-0_8", "doi", "10.1007/978-3-031-20083-0_8"),
    ("https://link.springer.com/chapter/10.1007/978-3-031-20083-0_8", "doi", "10.1007/978-3-031-20083-0_8"),
    ("https://link.springer.com/content/pdf/10.1007/978-3-031-20083-0_8.pdf", "doi", "10.1007/978-3-031-20083-0_8"),
    ("https://doi.org/10.1109/TPAMI.2023.3334614", "doi", "10.1109/TPAMI.2023.3334614"),
    ("http://dx.doi.org/10.1109/TPAMI.2023.3334614", "doi", "10.1109/TPAMI.2023.3334614"),
    ("https://dl.acm.org/doi/10.1145/3394486.3403171", "doi", "10.1145/3394486.3403171"),
    ("https://dl.acm.org/doi/abs/10.1145/3394486.3403171", "doi", "10.1145/3394486.3403171"),
    ("https://ieeexplore.ieee.org/document/10330640", "url", "https://ieeexplore.ieee.org/document/10330640"),
    # CVF open access: new and old folders, html and pdf
    (
        "https://openaccess.thecvf.com/content/CVPR2022/html/Wimmer_Interspace_Pruning_Using_Adaptive_Filter_Representations_To_Improve_Training_of_CVPR_2022_paper.html",
        "cvf",
        "CVPR2022/Wimmer_Interspace_Pruning_Using_Adaptive_Filter_Representations_To_Improve_Training_of_CVPR_2022_paper",
    ),
    (
        "https://openaccess.thecvf.com/content/ICCV2021/html/Ding_ResRep_Lossless_CNN_Pruning_via_Decoupling_Remembering_and_Forgetting_ICCV_2021_paper.html",
        "cvf",
        "ICCV2021/Ding_ResRep_Lossless_CNN_Pruning_via_Decoupling_Remembering_and_Forgetting_ICCV_2021_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_cvpr_2018/html/Tung_CLIP-Q_Deep_Network_CVPR_2018_paper.html",
        "cvf",
        "CVPR2018/Tung_CLIP-Q_Deep_Network_CVPR_2018_paper",
    ),
    (
        "https://openaccess.thecvf.com/content_CVPR_2020/papers/Yang_Automatic_Neural_Network_Compression_by_Sparsity-Quantization_Joint_Learning_A_Constrained_CVPR_2020_paper.pdf",
        "cvf",
        "CVPR2020/Yang_Automatic_Neural_Network_Compression_by_Sparsity-Quantization_Joint_Learning_A_Constrained_CVPR_2020_paper",
    ),
    (
        "http://openaccess.thecvf.com/content_ECCV_2018/html/Changan_Chen_Constraints_Matter_in_ECCV_2018_paper.html",
        "cvf",
        "ECCV2018/Changan_Chen_Constraints_Matter_in_ECCV_2018_paper",
    ),
    # PMLR
    ("https://proceedings.mlr.press/v162/frantar22a.html", "pmlr", "v162/frantar22a"),
    ("http://proceedings.mlr.press/v97/peng19c.html", "pmlr", "v97/peng19c"),
    ("https://proceedings.mlr.press/v162/chen22af.html", "pmlr", "v162/chen22af"),
    ("https://proceedings.mlr.press/v162/frantar22a/frantar22a.pdf", "pmlr", "v162/frantar22a"),
    # NeurIPS proceedings: hash pages, pdf files, new paper_files, old numbered papers; any host case
    (
        "https://papers.nips.cc/paper/2021/hash/fdc42b6b0ee16a2f866281508ef56730-Abstract.html",
        "neurips",
        "2021/fdc42b6b0ee16a2f866281508ef56730",
    ),
    (
        "https://proceedings.neurips.cc/paper/2016/hash/6e7d2da6d3953058db75714ac400b584-Abstract.html",
        "neurips",
        "2016/6e7d2da6d3953058db75714ac400b584",
    ),
    (
        "https://papers.nips.cc/paper/2020/file/703957b6dd9e3a7980e040bee50ded65-Paper.pdf",
        "neurips",
        "2020/703957b6dd9e3a7980e040bee50ded65",
    ),
    (
        "https://proceedings.neurips.cc/paper_files/paper/2022/hash/0cde695b83bd186c1fd456302888454c-Abstract-Conference.html",
        "neurips",
        "2022/0cde695b83bd186c1fd456302888454c",
    ),
    (
        "https://papers.nips.cc/paper/9521-autoprune-automatic-network-pruning-by-regularizing-auxiliary-parameters",
        "neurips",
        "paper/9521",
    ),
    (
        "https://papers.NeurIPS.cc/paper/7382-frequency-domain-dynamic-pruning-for-convolutional-neural-networks.pdf",
        "neurips",
        "paper/7382",
    ),
    ("https://papers.NeurIPS.cc/paper/6813-runtime-neural-pruning", "neurips", "paper/6813"),
    # IJCAI: numbers lose their zero padding
    ("https://www.ijcai.org/proceedings/2022/786", "ijcai", "2022/786"),
    ("https://www.ijcai.org/proceedings/2018/0336.pdf", "ijcai", "2018/336"),
    # AAAI
    ("https://ojs.aaai.org/index.php/AAAI/article/view/6058", "aaai", "6058"),
    ("https://ojs.aaai.org/index.php/AAAI/article/view/20842/20601", "aaai", "20842"),
    # anything else is a plain URL, never an exception
    ("http://jankautz.com/publications/Importance4NNPruning_CVPR19.pdf", "url", "http://jankautz.com/publications/Importance4NNPruning_CVPR19.pdf"),
    ("", "url", ""),
    ("not a url", "url", "not a url"),
    ("http://[::1", "url", "http://[::1"),
    ("ftp://arxiv.org/abs/1608.08710", "url", "ftp://arxiv.org/abs/1608.08710"),
    ("  https://arxiv.org/abs/1608.08710  ", "arxiv", "1608.08710"),
]


@pytest.mark.parametrize(("url", "kind", "value"), CASES)
def test_identify_url_forms(url, kind, value):
    assert identify(url) == Identifier(kind, value)


def test_identifier_str():
    assert str(identify("https://arxiv.org/abs/1608.08710v2")) == "arxiv:1608.08710v2"


@pytest.mark.parametrize("seed", [UPSTREAM, SNAPSHOT], ids=["upstream", "snapshot"])
def test_kind_counts_over_the_seed(seed):
    entries = parse_readme(load_readme_text(seed.read_bytes()))
    kinds = Counter(identify(entry.url).kind for entry in entries)
    assert kinds == {
        "arxiv": 103, "openreview": 80, "neurips": 29, "cvf": 24, "pmlr": 16,
        "doi": 14, "ijcai": 6, "aaai": 4, "url": 2,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://papers.nips.cc/paper/2021/hash/5227b6aaf294f5f027273aebf16015f2-Abstract.html", ("NeurIPS", 2021)),
        ("https://papers.nips.cc/paper/9521-autoprune", ("NeurIPS", None)),
        ("https://openaccess.thecvf.com/content_ECCV_2018/html/Changan_Chen_Constraints_Matter_in_ECCV_2018_paper.html", ("ECCV", 2018)),
        ("https://proceedings.mlr.press/v80/dai18d.html", ("ICML", 2018)),
        ("https://proceedings.mlr.press/v130/foo21a.html", None),  # an AISTATS volume: no claim
        ("https://www.ijcai.org/proceedings/2018/0336.pdf", ("IJCAI", 2018)),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/6058", ("AAAI", None)),
        ("https://openreview.net/forum?id=abc", None),
        ("https://arxiv.org/abs/1608.08710", None),
    ],
)
def test_implied_venue(url, shown):
    assert implied_venue(identify(url)) == shown


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_identify_never_raises_on_text(junk):
    assert identify(junk).kind in KINDS


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["https://arxiv.org/", "https://openreview.net/", "https://doi.org/", "https://openaccess.thecvf.com/",
                     "https://proceedings.mlr.press/", "https://papers.nips.cc/paper/", "https://www.ijcai.org/proceedings/",
                     "https://ojs.aaai.org/index.php/AAAI/article/view/"]),
    st.text(alphabet="abcv0123456789./_-?=&%[]:#", max_size=80),
)
def test_identify_never_raises_on_known_hosts(prefix, tail):
    identifier = identify(prefix + tail)
    assert identifier.kind in KINDS
    implied_venue(identifier)

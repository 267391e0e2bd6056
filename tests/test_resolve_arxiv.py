"""arXiv rows through resolve.resolve_rows against a fake arXiv (synthetic Atom feeds): batching,
validation, order, versions, ask-again, the record's fields, the cache and --offline."""

from __future__ import annotations

import pytest

from fakeserver import FakeServer, Reply
from prune2bib.identify import Identifier
from prune2bib.readme import Entry
from prune2bib.record import PREPRINT, Person
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import arxiv as arxiv_source
from prune2bib.resolvers.names import split_name
from wire import FakeArxiv, synthetic_arxiv_id


def arxiv_row(n: int, arxiv_id: str | None = None, title: str | None = None) -> tuple[Entry, Identifier]:
    arxiv_id = arxiv_id or synthetic_arxiv_id(n)
    entry = Entry(line=10 + n, year=2021, title=title or f"Synthetic paper {n}",
                  url=f"https://arxiv.org/abs/{arxiv_id}", venue="arXiv", types=("F",))  # fmt: skip
    return entry, Identifier("arxiv", arxiv_id)


def papers(*numbers: int, **extra) -> dict[str, dict]:
    return {synthetic_arxiv_id(n): {"n": n, **extra} for n in numbers}


@pytest.fixture
def arxiv_server(clock, monkeypatch):
    def start(fake):
        server = FakeServer(clock=clock).__enter__()
        server.route("/api/query", fake)
        monkeypatch.setenv("PRUNE2BIB_ARXIV_URL", server.url)
        started.append(server)
        return server

    started = []
    yield start
    for server in started:
        server.stop()


def test_103_rows_take_two_requests_in_sorted_batches(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(*range(1, 104))))
    rows = [arxiv_row(n) for n in reversed(range(1, 104))]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert len(server.log) == 2
    first, second = server.log
    assert first.param("id_list").split(",") == [synthetic_arxiv_id(n) for n in range(1, 101)]
    assert second.param("id_list").split(",") == [synthetic_arxiv_id(n) for n in range(101, 104)]
    assert (first.param("max_results"), second.param("max_results")) == ("100", "3")
    # answered in reverse order, matched by ID: every row gets its own paper
    assert [o.status for o in outcomes] == ["resolved"] * 103
    assert [o.record.title for o in outcomes] == [e.title for e, _ in rows]
    assert sum(o.requests for o in outcomes) == 2
    assert second.at - first.at >= 3.0


def test_a_malformed_id_does_not_sink_its_batch(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(1, 2, 3)))
    rows = [arxiv_row(1), arxiv_row(9, arxiv_id="2101.0000x"), arxiv_row(2), arxiv_row(3)]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert [o.status for o in outcomes] == ["resolved", "unresolved", "resolved", "resolved"]
    assert outcomes[1].reason == "malformed arXiv id '2101.0000x' (not asked)"
    assert len(server.log) == 1 and "2101.0000x" not in server.log[0].param("id_list")


def test_arxiv_400_for_a_batch_is_reported_per_id(arxiv_server, http):
    arxiv_server(FakeArxiv(papers(1)))
    lookups = arxiv_source.fetch_batch(["2101.00001", "not-an-id"], http)  # bypassing validation
    assert {k: (v.status, v.reason) for k, v in lookups.items()} == {
        "2101.00001": ("failed", "arXiv answered HTTP 400"),
        "not-an-id": ("failed", "arXiv answered HTTP 400"),
    }


def test_missing_ids_are_asked_again_once_together(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(1, 2, 3), drop_once=(synthetic_arxiv_id(2),)))
    outcomes = resolve_rows([arxiv_row(1), arxiv_row(2), arxiv_row(3), arxiv_row(4)], Settings(), cache=cache, http=http)
    assert [o.status for o in outcomes] == ["resolved", "resolved", "resolved", "unresolved"]
    assert outcomes[3].reason == "not found on arXiv"
    assert [r.param("id_list") for r in server.log[1:]] == [f"{synthetic_arxiv_id(2)},{synthetic_arxiv_id(4)}"]


def test_versions_are_respected(arxiv_server, http, cache):
    arxiv_server(FakeArxiv(papers(5, version=3)))
    rows = [arxiv_row(5, "2101.00005v2"), arxiv_row(5, "2101.00005"), arxiv_row(5, "2101.00005v4")]
    asked_v2, latest, too_new = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert (asked_v2.record.arxiv_id, asked_v2.record.url) == ("2101.00005v2", "https://arxiv.org/abs/2101.00005v2")
    assert latest.record.arxiv_id == "2101.00005"
    assert (too_new.status, too_new.reason) == ("unresolved", "not found on arXiv")


def test_record_fields(arxiv_server, http, cache):
    arxiv_server(FakeArxiv({
        "2101.00007": {
            "n": 7, "version": 2, "title": "Synthetic   paper\n 7", "primary": "stat.ML",
            "published": "2021-01-04T10:00:00Z", "updated": "2021-05-01T10:00:00Z",
            "authors": ("Synth Author7", "Jan van der Synthetic", "Synthetix"),
            "doi": "10.5555/synthetic.7", "journal_ref": "Synthetic Journal 7 (2021)",
        }
    }))  # fmt: skip
    (outcome,) = resolve_rows([arxiv_row(7, "2101.00007v2")], Settings(), cache=cache, http=http)
    record = outcome.record
    assert record.type == PREPRINT and record.title == "Synthetic paper 7"
    assert record.authors == (Person("Author7", "Synth"), Person("van der Synthetic", "Jan"), Person(literal="Synthetix"))
    assert record.issued == (2021, 1, 4)  # the first version's date, though v2 was asked for
    assert (record.arxiv_id, record.arxiv_class) == ("2101.00007v2", "stat.ML")
    assert (record.doi, record.journal_ref, record.publisher) == ("10.5555/synthetic.7", "Synthetic Journal 7 (2021)", "arXiv")
    assert outcome.source == "arxiv" and outcome.provenance.as_dict()["authors"] == "arxiv"


def test_requests_carry_our_user_agent(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(1)))
    resolve_rows([arxiv_row(1)], Settings(), cache=cache, http=http)
    assert server.log[0].path == "/api/query"
    assert server.log[0].headers["user-agent"].startswith("prune2bib/")
    assert "mailto:ops@example.org" in server.log[0].headers["user-agent"]


def test_second_run_is_served_from_the_cache_with_zero_requests(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(1, 2)))
    rows = [arxiv_row(1), arxiv_row(2), arxiv_row(3)]
    first = resolve_rows(rows, Settings(), cache=cache, http=http)
    sent = len(server.log)
    second = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert len(server.log) == sent
    assert [o.status for o in second] == ["cached", "cached", "unresolved"]
    assert [o.record for o in second] == [o.record for o in first]
    assert second[2].reason == "not found on arXiv" and sum(o.requests for o in second) == 0


def test_offline_with_an_empty_cache_sends_nothing_and_misses_every_row(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(1, 2)))
    outcomes = resolve_rows([arxiv_row(1), arxiv_row(2)], Settings(offline=True), cache=cache, http=http)
    assert [o.status for o in outcomes] == ["cache-miss", "cache-miss"]
    assert server.log == [] and http.sent() == 0


def test_refresh_asks_again_and_stale_preprints_are_rechecked(arxiv_server, http, cache):
    server = arxiv_server(FakeArxiv(papers(1)))
    resolve_rows([arxiv_row(1)], Settings(), cache=cache, http=http)
    assert [o.status for o in resolve_rows([arxiv_row(1)], Settings(refresh=True), cache=cache, http=http)] == ["resolved"]
    assert len(server.log) == 2
    stale = Settings(preprint_max_age_days=-1)  # every preprint counts as stale
    assert resolve_rows([arxiv_row(1)], stale, cache=cache, http=http)[0].status == "resolved"
    assert len(server.log) == 3
    offline_stale = Settings(offline=True, preprint_max_age_days=-1)  # offline still uses stale entries
    assert resolve_rows([arxiv_row(1)], offline_stale, cache=cache, http=http)[0].status == "cached"
    assert len(server.log) == 3


def test_a_link_to_another_paper_is_a_title_mismatch(arxiv_server, http, cache):
    arxiv_server(FakeArxiv(papers(3)))
    (outcome,) = resolve_rows([arxiv_row(3, title="Synthetic paper 300")], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.record, outcome.title_mismatch) == ("unresolved", None, True)
    assert outcome.reason == 'title mismatch: link points to "Synthetic paper 3"'


def test_after_the_retry_budget_rows_are_unresolved_and_the_run_goes_on(arxiv_server, http, cache):
    server = arxiv_server(lambda request: Reply(503, "arXiv is down"))
    rows = [arxiv_row(1), (Entry(1, 2021, "Synthetic paper 9", "https://proceedings.mlr.press/v1/x21a.html", "arXiv", ("F",)),
                           Identifier("pmlr", "v1/x21a"))]  # fmt: skip
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    assert outcomes[0].status == "unresolved" and "arxiv: HTTP 503 after 3 attempt" in outcomes[0].reason
    assert (outcomes[1].status, outcomes[1].reason) == ("skipped", "no resolver for pmlr links of venue 'arXiv'")
    assert len(server.log) == 3
    assert cache.get("arxiv:2101.00001") is None  # a failure is not cached: the next run asks again


def test_progress_counts_every_row(arxiv_server, http, cache):
    arxiv_server(FakeArxiv(papers(1, 2)))
    done = []
    resolve_rows([arxiv_row(1), arxiv_row(2), arxiv_row(1)], Settings(), cache=cache, http=http, progress=done.append)
    assert sum(done) == 3


def test_offline_and_refresh_together_is_a_usage_error(cache):
    from prune2bib.errors import UsageError

    with pytest.raises(UsageError):
        resolve_rows([], Settings(offline=True, refresh=True), cache=cache)


@pytest.mark.parametrize("arxiv_id", ["1608.08710", "1608.08710v2", "2101.00001", "hep-th/9901001v1", "math.GT/0309136"])
def test_valid_ids(arxiv_id):
    assert arxiv_source.is_valid_id(arxiv_id)


@pytest.mark.parametrize("arxiv_id", ["", "1608.0871", "1608.08710v", "1608.08710v0", "abc", "2101.00001 ", "../etc"])
def test_invalid_ids(arxiv_id):
    assert not arxiv_source.is_valid_id(arxiv_id)


@pytest.mark.parametrize(
    "name, person",
    [
        ("Hans Peter Graf", Person("Graf", "Hans Peter")),
        ("Joost van de Weijer", Person("van de Weijer", "Joost")),
        ("Ludwig von Synthetic", Person("von Synthetic", "Ludwig")),
        ("Synth Q. Author Jr.", Person("Author Jr.", "Synth Q.")),
        ("Author, Synth", Person("Author", "Synth")),
        ("  Synth   Author  ", Person("Author", "Synth")),
        ("Synthetix", Person(literal="Synthetix")),
        ("Van Synthetic", Person("Synthetic", "Van")),  # a capitalised 'Van' is a given name
    ],
)  # fmt: skip
def test_split_name(name, person):
    assert split_name(name) == person

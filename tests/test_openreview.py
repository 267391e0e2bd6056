"""OpenReview resolver: API choice and fallback, v2 unwrapping, decisions, and a real ICLR 2023 note."""

from __future__ import annotations

import json

import pytest

from prune2bib.errors import NetworkError
from prune2bib.record import PAPER_CONFERENCE, Person
from prune2bib.resolvers import openreview
from conftest import CASSETTES

SOURCES = CASSETTES / "sources" / "openreview"


def v1_note(forum: str, **content) -> dict:
    return {"id": forum, "forum": forum, "content": content}


def v2_note(forum: str, **content) -> dict:
    return {"id": forum, "forum": forum, "content": {k: {"value": v} for k, v in content.items()}}


class FakeApis:
    """Two fake OpenReview APIs: {base: {id: note}}; records every request."""

    def __init__(self, v1: dict | None = None, v2: dict | None = None):
        self.store = {openreview.V1_DEFAULT: v1 or {}, openreview.V2_DEFAULT: v2 or {}}
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, url: str, params: dict):
        self.calls.append((url, dict(params)))
        base = url.removesuffix("/notes")
        ids = params["ids"].split(",")
        notes = [self.store[base][i] for i in ids if i in self.store[base]]
        return {"notes": notes, "count": len(notes)}


ACCEPTED = dict(
    title="A  Real\nTitle",
    authors=["Ada Lovelace", "Jan van Gemert"],
    venue="ICLR 2022 Spotlight",
    venueid="ICLR.cc/2022/Conference",
    _bibtex="@inproceedings{stale, title={Stale Title}, author={Nobody}}",
)


def test_v1_note_maps_to_a_record_from_content_not_bibtex():
    fake = FakeApis(v1={"abc": v1_note("abc", **ACCEPTED)})
    result = openreview.resolve_forums(["abc"], 2022, "ICLR", fake)["abc"]
    assert result.status == "found" and result.requests == 1
    record = result.record
    assert record.title == "A Real Title"
    assert record.authors == (Person(family="Lovelace", given="Ada"), Person(family="van Gemert", given="Jan"))
    assert (record.type, record.issued, record.container_title_short) == (PAPER_CONFERENCE, (2022,), "ICLR")
    assert record.container_title == "International Conference on Learning Representations"
    assert (record.event_title, record.venue_note) == ("ICLR 2022", "Spotlight")
    assert (record.openreview_id, record.url) == ("abc", "https://openreview.net/forum?id=abc")
    assert [c[0] for c in fake.calls] == ["https://api.openreview.net/notes"]
    assert fake.calls[0][1] == {"ids": "abc", "details": "original"}


def test_v2_era_goes_to_v2_first_and_unwraps_values():
    note = v2_note("xyz", title="New Paper", authors=["Grace Hopper"], venue="ICLR 2024 oral", venueid="ICLR.cc/2024/Conference")
    fake = FakeApis(v2={"xyz": note})
    result = openreview.resolve_forums(["xyz"], 2024, "ICLR", fake)["xyz"]
    assert result.record.title == "New Paper"
    assert result.record.authors == (Person(family="Hopper", given="Grace"),)
    assert (result.record.year, result.record.venue_note) == (2024, "Oral")
    assert [c[0] for c in fake.calls] == ["https://api2.openreview.net/notes"]
    assert "details" not in fake.calls[0][1]


def test_fallback_to_the_other_api_only_for_missing_ids():
    fake = FakeApis(
        v1={"a": v1_note("a", **ACCEPTED)},
        v2={"b": v2_note("b", title="Moved", authors=["Alan Turing"], venue="NeurIPS 2022 Accept", venueid="NeurIPS.cc/2022/Conference")},
    )
    results = openreview.resolve_forums(["b", "a", "zz"], 2022, "NeurIPS", fake)
    assert [c[1]["ids"] for c in fake.calls] == ["a,b,zz", "b,zz"]
    assert results["a"].status == results["b"].status == "found"
    assert results["b"].record.venue_note == ""  # a plain "Accept" is no distinction
    assert results["b"].record.container_title == "Advances in Neural Information Processing Systems"
    assert results["zz"].status == "not-found"
    assert [results[i].requests for i in ("a", "b", "zz")] == [1, 1, 0]  # each request counted once
    assert "v1 or v2" in results["zz"].reason


def test_ids_are_batched(monkeypatch):
    monkeypatch.setattr(openreview, "BATCH_SIZE", 2)
    fake = FakeApis(v1={i: v1_note(i, **ACCEPTED) for i in "abcde"})
    results = openreview.resolve_forums(list("edcba"), 2022, "ICLR", fake)
    assert [c[1]["ids"] for c in fake.calls] == ["a,b", "c,d", "e"]
    assert all(r.status == "found" for r in results.values())


def test_base_urls_are_read_at_call_time(monkeypatch):
    monkeypatch.setenv("PRUNE2BIB_OPENREVIEW_URL", "http://127.0.0.1:1/")
    seen = []
    openreview.resolve_forums(["q"], 2023, "ICLR", lambda url, params: seen.append(url) or {"notes": []})
    monkeypatch.setenv("PRUNE2BIB_OPENREVIEW2_URL", "http://127.0.0.1:2")
    openreview.resolve_forums(["q"], 2023, "ICLR", lambda url, params: seen.append(url) or {"notes": []})
    assert seen == [
        "http://127.0.0.1:1/notes",
        "https://api2.openreview.net/notes",
        "http://127.0.0.1:1/notes",
        "http://127.0.0.1:2/notes",
    ]


@pytest.mark.parametrize(
    ("venue", "year", "first"),
    [("ICLR", 2023, "v1"), ("ICLR", 2024, "v2"), ("NeurIPS", 2022, "v1"), ("neurips", 2023, "v2"), ("ICML", 2023, "v2")],
)
def test_api_order(venue, year, first):
    assert openreview.api_order(venue, year)[0] == first


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        (dict(venue="Withdrawn Submission", venueid="ICLR.cc/2023/Conference/Withdrawn_Submission"), "withdrawn", "Withdrawn_Submission"),
        (dict(venue="ICLR 2024 Rejected Submission", venueid="ICLR.cc/2024/Conference/Rejected_Submission"), "rejected", "Rejected_Submission"),
        (dict(venue="Submitted to ICLR 2023", venueid="ICLR.cc/2023/Conference"), "rejected", "Submitted to ICLR 2023"),
        (dict(), "not-found", "no venue"),
    ],
)
def test_withdrawn_and_rejected_are_reported_not_exported(content, status, reason):
    fake = FakeApis(v1={"w": v1_note("w", title="T", authors=["A B"], **content)})
    result = openreview.resolve_forums(["w"], 2023, "ICLR", fake)["w"]
    assert result.status == status and result.record is None
    assert reason in result.reason


def test_v1_blind_submission_takes_authors_from_the_original():
    note = v1_note("blind", title="T", authors=["Anonymous"], venue="ICLR 2021 Poster", venueid="ICLR.cc/2021/Conference")
    note["details"] = {"original": {"content": {"authors": ["Ada Lovelace"]}}}
    record = openreview.resolve_forums(["blind"], 2021, "ICLR", FakeApis(v1={"blind": note}))["blind"].record
    assert record.authors == (Person(family="Lovelace", given="Ada"),)


def test_year_from_timestamp_only_when_venue_names_none():
    note = v1_note("t", title="T", authors=["A B"], venue="Some Workshop", venueid="Some/Workshop")
    note["pdate"] = 1674000000000  # 2023-01-18 UTC
    record = openreview.resolve_forums(["t"], 2022, "ICLR", FakeApis(v1={"t": note}))["t"].record
    assert record.year == 2023


def test_venue_note():
    assert openreview.venue_note("ICLR 2023 notable top 5%") == "Notable top 5%"
    assert openreview.venue_note("ICLR 2023 poster") == ""
    assert openreview.venue_note("NeurIPS 2022 Accept") == ""


def test_a_response_without_notes_is_a_network_error():
    with pytest.raises(NetworkError, match="without a notes list"):
        openreview.resolve_forums(["a"], 2023, "ICLR", lambda url, params: {"status": 429, "resetTime": 1})


def test_real_iclr_2023_v1_note():
    """ZIB-IOL/BIMP's README gives OpenReview's citation of this list row (see SOURCES.md)."""
    body = json.loads((SOURCES / "_nF5imFKQI.json").read_text(encoding="utf-8"))
    result = openreview.resolve_forums(["_nF5imFKQI"], 2023, "ICLR", lambda url, params: body)["_nF5imFKQI"]
    record = result.record
    assert result.status == "found"
    assert record.title == "How I Learned to Stop Worrying and Love Retraining"
    assert [p.display() for p in record.authors] == ["Max Zimmer", "Christoph Spiegel", "Sebastian Pokutta"]
    assert record.authors[2] == Person(family="Pokutta", given="Sebastian")
    assert (record.year, record.event_title, record.openreview_id) == (2023, "ICLR 2023", "_nF5imFKQI")

"""OpenReview decisions and batch splitting, against a local OpenReview that answers like the real one.

Notes come in the shapes OpenReview's own code gives them (tests/wire_openreview.py names the
code): v1 withdrawn and desk-rejected notes carry their fate in `invitation` (and v1 withdrawn
notes have `venue` / `venueid` set to ''); v1 notes older than December 2020 carry no venue
fields and are judged by their decision reply; v2 notes carry it in `venueid` and `invitations`.
"""

from __future__ import annotations

import pytest

from prune2bib import pipeline
from prune2bib.identify import identify
from prune2bib.readme import Entry
from prune2bib.record import PAPER_CONFERENCE, WEBPAGE
from prune2bib.resolve import Settings, resolve_rows
from prune2bib.resolvers import openreview
from prune2bib.resolvers import openreview_decision as decisions
from wire_dblp import FakeDblp
from wire_openreview import (FakeNotesApi, v1_decision, v1_desk_rejected, v1_note, v1_withdrawn, v2_invitations,
                             v2_note)  # fmt: skip

ICLR20, ICLR21, ICLR24 = "ICLR.cc/2020/Conference", "ICLR.cc/2021/Conference", "ICLR.cc/2024/Conference"


@pytest.fixture
def retry_attempts():
    return 2


@pytest.fixture
def server(fake_services):
    fake_services.route("/search/publ/api", FakeDblp())  # an empty DBLP: only OpenReview can place a row
    return fake_services


def row(forum: str, venue: str, year: int, title: str):
    url = f"https://openreview.net/forum?id={forum}"
    return Entry(1, year, title, url, venue, ("F",)), identify(url)


def serve(server, v1: list[dict] = (), v2: list[dict] = (), **faults) -> tuple[FakeNotesApi, FakeNotesApi]:
    apis = FakeNotesApi(list(v1), **faults), FakeNotesApi(list(v2))
    server.route("/notes", apis[0])
    server.route("/v2/notes", apis[1])
    return apis


def exported(entry_ident, outcome):
    return pipeline._merged(*entry_ident, outcome, "published").record


# ------------------------------------------------------------------ v1: the invitation decides


def test_a_v1_withdrawn_note_is_reported_and_exported_as_a_web_page(server, http, cache):
    one = row("wdrawnA21", "ICLR", 2021, "Synthetic withdrawn paper")
    serve(server, v1=[v1_withdrawn("wdrawnA21", "Synthetic withdrawn paper")])
    (outcome,) = resolve_rows([one], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.refused, outcome.record) == ("unresolved", True, None)
    assert outcome.reason == "withdrawn submission (ICLR.cc/2021/Conference/-/Withdrawn_Submission)"
    assert [r.path for r in server.log] == ["/notes"]  # neither DBLP nor a decision is asked for
    record = exported(one, outcome)
    assert (record.type, record.container_title, record.venue_note) == (WEBPAGE, "", "Withdrawn submission")


def test_a_v1_desk_rejected_note_is_reported_and_never_exported_as_accepted(server, http, cache):
    one = row("deskRej22", "ICLR", 2022, "Synthetic desk-rejected paper")
    serve(server, v1=[v1_desk_rejected("deskRej22", "Synthetic desk-rejected paper")])
    (outcome,) = resolve_rows([one], Settings(), cache=cache, http=http)
    assert outcome.refused and outcome.record is None
    assert outcome.reason == "desk-rejected submission (ICLR.cc/2022/Conference/-/Desk_Rejected_Submission)"
    assert [r.path for r in server.log] == ["/notes"]
    record = exported(one, outcome)
    assert (record.type, record.venue_note) == (WEBPAGE, "Desk-rejected submission")
    (again,) = resolve_rows([one], Settings(offline=True), cache=cache, http=http)
    assert again.refused and again.reason == outcome.reason  # the cache keeps the refusal


def test_the_withdrawn_invitation_wins_over_a_venue_the_note_still_shows():
    note = v1_withdrawn("wdrawnB21", "T")
    note["content"].update(venue="ICLR 2021 Poster", venueid=ICLR21)  # a stale revision
    assert decisions.judge(note, openreview.note_content(note)).status == decisions.WITHDRAWN


# ------------------------------------------------------------------ v1 without venue fields: the decision


@pytest.mark.parametrize(
    ("decision", "status", "venue_note"),
    [("Accept (Spotlight)", "found", "Spotlight"), ("Accept (Poster)", "found", ""), ("Accept (Talk)", "found", "Talk")],
)
def test_an_accepted_iclr_2020_note_without_venue_fields_is_found_by_its_decision(server, http, cache, decision, status, venue_note):
    note = v1_note("acc2020aa", "Synthetic accepted paper", ICLR20, f"{ICLR20}/-/Blind_Submission", 12,
                   replies=[v1_decision("acc2020aa", ICLR20, 12, decision)])  # fmt: skip
    v1, _ = serve(server, v1=[note])
    (outcome,) = resolve_rows([row("acc2020aa", "ICLR", 2020, "Synthetic accepted paper")], Settings(), cache=cache, http=http)
    assert outcome.status == "resolved" and outcome.source == "openreview"
    record = outcome.record
    assert (record.type, record.year, record.container_title_short, record.venue_note) == (PAPER_CONFERENCE, 2020, "ICLR", venue_note)
    assert [p.family for p in record.authors] == ["Author", "Coauthor"]  # from the original, not 'Anonymous'
    assert v1.details == ["original", "directReplies"]  # one batch for the notes, one for their decisions
    assert outcome.requests == 2


def test_a_rejected_iclr_2021_note_without_venue_fields_is_refused(server, http, cache):
    note = v1_note("rej2021aa", "Synthetic rejected paper", ICLR21, f"{ICLR21}/-/Blind_Submission", 40,
                   replies=[{"invitation": f"{ICLR21}/Paper40/-/Official_Review", "content": {"rating": "4: Ok but not good enough - rejection"}},
                            v1_decision("rej2021aa", ICLR21, 40, "Reject")])  # fmt: skip
    serve(server, v1=[note])
    (outcome,) = resolve_rows([row("rej2021aa", "ICLR", 2021, "Synthetic rejected paper")], Settings(), cache=cache, http=http)
    assert outcome.refused and outcome.record is None
    assert outcome.reason == "rejected submission (decision 'Reject', ICLR.cc/2021/Conference)"
    assert not server.requests_to("/search")  # a rejected paper is not looked for on DBLP


@pytest.mark.parametrize(
    ("reply", "accepted"),
    [
        # ICLR 2019 decided in meta-reviews: ICLR.cc/2019/Conference/-/Paper<n>/Meta_Review, 'recommendation'
        (dict(invitation="ICLR.cc/2019/Conference/-/Paper5/Meta_Review", field="recommendation", decision="Accept (Poster)"), True),
        (dict(invitation="ICLR.cc/2019/Conference/-/Paper5/Meta_Review", field="recommendation", decision="Reject"), False),
        # ICLR 2018: one invitation for all papers, 'Invite to Workshop Track' is not the conference
        (dict(invitation="ICLR.cc/2018/Conference/-/Acceptance_Decision", decision="Accept (Oral)"), True),
        (dict(invitation="ICLR.cc/2018/Conference/-/Acceptance_Decision", decision="Invite to Workshop Track"), False),
        # ICLR 2017: ICLR.cc/2017/conference/-/paper<n>/acceptance, 'ICLR 2017 Poster'
        (dict(invitation="ICLR.cc/2017/conference/-/paper5/acceptance", decision="ICLR 2017 Poster"), True),
        (dict(invitation="ICLR.cc/2017/conference/-/paper5/acceptance", decision="ICLR 2017 Invite to Workshop"), False),
    ],
)
def test_older_decision_replies(reply, accepted):
    conference = reply["invitation"].split("/-/")[0]
    decision = v1_decision("oldvenue1", conference, 5, reply["decision"], invitation=reply["invitation"], field=reply.get("field", "decision"))
    note = v1_note("oldvenue1", "T", conference, f"{conference}/-/Blind_Submission", 5)
    note["details"]["directReplies"] = [decision]
    verdict = decisions.judge_decision(note)
    assert (verdict.status == decisions.FOUND) is accepted
    assert verdict.status in ((decisions.FOUND,) if accepted else (decisions.REJECTED,))


def test_a_decision_note_wins_over_a_meta_review():
    note = v1_note("both2020a", "T", ICLR20, f"{ICLR20}/-/Blind_Submission", 3)
    note["details"]["directReplies"] = [
        {"invitation": f"{ICLR20}/Paper3/-/Meta_Review", "content": {"recommendation": "Accept (Poster)"}},
        v1_decision("both2020a", ICLR20, 3, "Reject"),
    ]
    assert decisions.judge_decision(note).status == decisions.REJECTED


def test_a_v1_note_with_no_public_decision_is_not_found_and_left_to_dblp(server, http, cache):
    note = v1_note("nodec2020", "Synthetic undecided paper", ICLR20, f"{ICLR20}/-/Blind_Submission", 9)
    serve(server, v1=[note])
    (outcome,) = resolve_rows([row("nodec2020", "ICLR", 2020, "Synthetic undecided paper")], Settings(), cache=cache, http=http)
    assert not outcome.refused and outcome.record is None
    assert "no public decision on OpenReview" in outcome.reason


def test_a_restored_v1_submission_is_judged_by_its_decision_not_by_its_emptied_venue():
    """Undoing a withdrawal moves the invitation back to Blind_Submission; venue stays ''."""
    note = v1_withdrawn("restored1", "T", ICLR21, 4)
    note["invitation"] = f"{ICLR21}/-/Blind_Submission"
    assert decisions.judge(note, openreview.note_content(note)).status == decisions.UNDECIDED
    note["details"]["directReplies"] = [v1_decision("restored1", ICLR21, 4, "Accept (Oral)")]
    verdict = decisions.judge_decision(note)
    assert (verdict.status, verdict.venue, verdict.venueid) == (decisions.FOUND, "ICLR 2021 Oral", ICLR21)


# ------------------------------------------------------------------ v2 shapes


V2_CASES = [
    ("ICLR 2024 Conference Withdrawn Submission", f"{ICLR24}/Withdrawn_Submission", ["Withdrawn_Submission"], "withdrawn",
     "withdrawn submission (ICLR.cc/2024/Conference/Withdrawn_Submission)"),
    ("ICLR 2024 Conference Desk Rejected Submission", f"{ICLR24}/Desk_Rejected_Submission", ["Desk_Rejected_Submission"], "rejected",
     "desk-rejected submission (ICLR.cc/2024/Conference/Desk_Rejected_Submission)"),
    ("Submitted to ICLR 2024", f"{ICLR24}/Rejected_Submission", [], "rejected",
     "rejected submission (ICLR.cc/2024/Conference/Rejected_Submission)"),
    ("Submitted to ICLR 2024", f"{ICLR24}/Submission", [], "rejected", "not accepted (Submitted to ICLR 2024)"),
    # the invitations alone tell (a note whose venue fields are not readable to us)
    ("", "", ["Withdrawn_Submission"], "withdrawn", "withdrawn submission (ICLR.cc/2024/Conference/-/Withdrawn_Submission)"),
    ("", "", ["Desk_Rejected_Submission"], "rejected", "desk-rejected submission (ICLR.cc/2024/Conference/-/Desk_Rejected_Submission)"),
]  # fmt: skip


@pytest.mark.parametrize(("venue", "venueid", "more", "status", "reason"), V2_CASES)
def test_v2_refusals(server, http, cache, venue, venueid, more, status, reason):
    note = v2_note("v2paper01", "Synthetic v2 paper", venue, venueid, v2_invitations(ICLR24, *more))
    serve(server, v2=[note])
    one = row("v2paper01", "ICLR", 2024, "Synthetic v2 paper")
    (outcome,) = resolve_rows([one], Settings(), cache=cache, http=http)
    assert (outcome.refused, outcome.record, outcome.reason) == (True, None, reason)
    assert exported(one, outcome).type == WEBPAGE
    result = openreview.resolve_forums(["v2paper01"], 2024, "ICLR", lambda url, params: {"notes": [note]})["v2paper01"]
    assert result.status == status


def test_an_accepted_v2_note_is_found(server, http, cache):
    note = v2_note("v2paper02", "Synthetic v2 paper", "ICLR 2024 spotlight", ICLR24, v2_invitations(ICLR24, "Edit"))
    serve(server, v2=[note])
    (outcome,) = resolve_rows([row("v2paper02", "ICLR", 2024, "Synthetic v2 paper")], Settings(), cache=cache, http=http)
    assert (outcome.status, outcome.record.venue_note, outcome.record.year) == ("resolved", "Spotlight", 2024)


# ------------------------------------------------------------------ a batch refused as a whole


def accepted_v1(forum: str) -> dict:
    return v1_note(forum, f"Synthetic paper {forum}", ICLR21, f"{ICLR21}/-/Blind_Submission",
                   content={"venue": "ICLR 2021 Poster", "venueid": ICLR21})  # fmt: skip


IDS = [f"paper{n:04d}x" for n in range(50)]


@pytest.mark.parametrize(("fault", "status"), [("forbidden", 403), ("malformed", 400)])
def test_one_unreadable_id_in_a_batch_of_50_still_resolves_the_other_49(server, http, cache, fault, status):
    bad = IDS[17]
    v1, v2 = serve(server, v1=[accepted_v1(i) for i in IDS], **{fault: {bad}})
    rows = [row(i, "ICLR", 2021, f"Synthetic paper {i}") for i in IDS]
    outcomes = resolve_rows(rows, Settings(), cache=cache, http=http)
    by_forum = {o.key.removeprefix("openreview:"): o for o in outcomes}
    assert all(by_forum[i].status == "resolved" for i in IDS if i != bad)
    assert by_forum[bad].record is None and f"OpenReview v1 answered HTTP {status} for this id" in by_forum[bad].reason
    # 1 request for the batch, then halves down to the bad id: two per level, log2(50) < 6 levels.
    assert len(v1.batches) <= 1 + 2 * 6
    assert [bad] in v1.batches
    answered = [i for b in v1.batches if bad not in b for i in b]
    assert sorted(answered) == sorted(set(IDS) - {bad})  # each good id answered exactly once
    assert v2.batches == [[bad]]  # the other API is asked for the one id v1 would not give
    assert sum(o.requests for o in outcomes) == len(server.log)


def test_splitting_is_bounded_when_every_id_is_refused(server, http, cache):
    ids = IDS[:8]
    v1, _ = serve(server, v1=[], forbidden=set(ids))
    results = openreview.resolve_forum_rows([(i, "ICLR", 2021) for i in ids], _fetch_through(http))
    assert len(v1.batches) == 2 * len(ids) - 1  # every node of the halving tree once, no more
    assert all("HTTP 403" in r.reason for r in results.values())


def test_an_id_that_cannot_be_an_openreview_id_is_refused_without_a_request(server, http, cache):
    v1, v2 = serve(server, v1=[accepted_v1("paper0001x")])
    results = openreview.resolve_forum_rows([("paper0001x", "ICLR", 2021), ("a,b", "ICLR", 2021), ("x y", "ICLR", 2021)],
                                            _fetch_through(http))  # fmt: skip
    assert v1.batches == [["paper0001x"]] and v2.batches == []
    assert results["paper0001x"].status == "found"
    assert "not an OpenReview forum id" in results["a,b"].reason and results["x y"].requests == 0


def test_a_server_error_is_not_split(server, http, cache, monkeypatch):
    from fakeserver import Reply

    server.route("/notes", lambda request: Reply(503, "down"))
    with pytest.raises(Exception, match="503"):
        openreview.resolve_forum_rows([(i, "ICLR", 2021) for i in IDS[:4]], _fetch_through(http))
    assert len(server.log) == 2  # the HTTP layer's two attempts, and no halving


def _fetch_through(http):
    from prune2bib.resolve import openreview_fetch

    return openreview_fetch(http)


# ------------------------------------------------------------------ the whole command


def test_the_export_command_reports_withdrawn_and_desk_rejected_v1_papers_and_never_writes_them_as_papers(fake_services, tmp_path):
    import bibtexparser

    from clirun import run_cli

    fake_services.route("/search/publ/api", FakeDblp())
    serve(fake_services, v1=[v1_withdrawn("wdrawnC21", "Synthetic withdrawn paper"),
                             v1_desk_rejected("deskRejC2", "Synthetic desk-rejected paper")])  # fmt: skip
    readme = tmp_path / "README.md"
    readme.write_text("### 2021\n| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n"
                      "| [Synthetic withdrawn paper](https://openreview.net/forum?id=wdrawnC21) | ICLR | `F` | - |\n"
                      "### 2022\n| Title | Venue | Type | Code |\n|:--|:--:|:--:|:--:|\n"
                      "| [Synthetic desk-rejected paper](https://openreview.net/forum?id=deskRejC2) | ICLR | `W` | - |\n")  # fmt: skip
    result = run_cli("export", "--readme", readme, "-o", tmp_path / "refs.bib", "--report", tmp_path / "report.jsonl",
                     "--mailto", "ops@example.org")  # fmt: skip
    assert result.exit_code == 0, result.output
    reasons = sorted(line for line in (tmp_path / "report.jsonl").read_text().splitlines())
    assert any("withdrawn submission (ICLR.cc/2021/Conference/-/Withdrawn_Submission)" in r for r in reasons)
    assert any("desk-rejected submission (ICLR.cc/2022/Conference/-/Desk_Rejected_Submission)" in r for r in reasons)
    entries = bibtexparser.parse_string((tmp_path / "refs.bib").read_text()).entries
    assert len(entries) == 2 and {e.entry_type for e in entries} == {"misc"}
    assert not any("booktitle" in e.fields_dict or "journal" in e.fields_dict for e in entries)
    assert [r.path for r in fake_services.log] == ["/notes"]  # one batch for both, and nothing else

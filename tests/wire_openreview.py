"""OpenReview notes in the shapes the two APIs give them, and a fake `GET /notes` that answers like them.

No public recording of a withdrawn or desk-rejected OpenReview note was found (cassettes/README.md
says where we looked), so these notes are built field by field from OpenReview's own code
(openreview/openreview-py; v1 at 764b00ce1d27573467900340c39f38d8fad47f11, v2 at
e25fd7da055e7ae3435df51dbdadf2760c59d281):

- v1 note fields: `Note.to_json` in `openreview/openreview.py` (id, original, number, cdate,
  pdate, odate, mdate, tcdate, tmdate, ddate, forum, referent, invitation, replyto, readers,
  nonreaders, signatures, writers, content; `details` when asked for);
- v1 withdrawn: `conference/templates/withdraw_process.py` (invitation `<conf>/-/Withdrawn_Submission`;
  content of a double-blind note without revealed authors: authors ['Anonymous'], authorids,
  `_bibtex` from `tools.generate_bibtex(paper_status='rejected', anonymous=True)`, venue '',
  venueid ''; other fields come through from the original note, as v1 shows a blind note);
- v1 desk-rejected: `desk_reject_process.py` (invitation `<conf>/-/Desk_Rejected_Submission`, venue
  fields untouched, i.e. absent before decisions);
- v1 decision replies: `conference/builder.py: post_decision_stage` and OpenReview's guide
  "Data Retrieval for API 1 Venues" (openreview/openreview@6c22c744e865cb41992666b38c2006e6417b3319,
  docs/how-to-guides/data-retrieval-and-modification/data-retrieval-for-api-1-venues.md):
  `details=directReplies`, a reply whose invitation ends with 'Decision', `content.decision`;
- v2 note fields: `api.Note.from_json` in `openreview/api/client.py` (invitations, domain, …;
  every content field wrapped as {"value": …}); withdrawn / desk-rejected / rejected venueids from
  `venue/venue.py`, their `venue` from `tools.pretty_id`, the `…/-/Withdrawn_Submission` and
  `…/-/Desk_Rejected_Submission` invitations from `venue/venue.py: get_withdrawn_id` /
  `get_desk_rejected_id`.

Titles are 'Synthetic …' and authors 'Synth …' (no real person is named); ids are made up.
"""

from __future__ import annotations

import json

from fakeserver import Logged, Reply

JSON_TYPE = {"Content-Type": "application/json; charset=utf-8"}
T0 = 1600000000000  # 2020-09-13, ms: timestamps only need to be plausible


def _bibtex(kind: str, key: str, title: str, author: str, year: int, forum: str, booktitle: str = "") -> str:
    """The `_bibtex` openreview-py's `tools.generate_bibtex` writes (stale: never read by prune2bib)."""
    venue = f"booktitle={{{booktitle}}},\n" if booktitle else ""
    return f"@{kind}{{\n{key},\ntitle={{{title}}},\nauthor={{{author}}},\n{venue}year={{{year}}},\nurl={{https://openreview.net/forum?id={forum}}}\n}}"


def v1_note(forum: str, title: str, conference: str, invitation: str, number: int = 1, *, content: dict | None = None,
            original_authors: tuple[str, ...] = ("Synth Author", "Synth Coauthor"), replies: list[dict] | None = None) -> dict:  # fmt: skip
    """A v1 blind submission as `GET /notes?ids=…&details=original` returns it."""
    note = {
        "id": forum, "original": f"{forum}orig", "number": number, "cdate": T0, "pdate": None, "odate": T0,
        "mdate": None, "tcdate": T0, "tmdate": T0 + 1000, "ddate": None, "forum": forum, "referent": None,
        "invitation": invitation, "replyto": None, "readers": ["everyone"], "nonreaders": [],
        "signatures": [conference], "writers": [conference],
        "content": {"title": title, "authors": ["Anonymous"], "authorids": [f"{conference}/Paper{number}/Authors"],
                    "abstract": "Synthetic abstract.", "pdf": f"/pdf/{'0' * 40}.pdf", **(content or {})},
        "details": {"original": {"id": f"{forum}orig", "forum": f"{forum}orig", "invitation": f"{conference}/-/Submission",
                                 "content": {"title": title, "authors": list(original_authors)}}},
    }  # fmt: skip
    note["_replies"] = replies or []  # served only when `details=directReplies` is asked for
    return note


def v1_withdrawn(forum: str, title: str, conference: str = "ICLR.cc/2021/Conference", number: int = 7) -> dict:
    year = int(conference.split("/")[1])
    bibtex = _bibtex("misc", f"anonymous{year}synthetic", title, "Anonymous", year, forum)
    return v1_note(forum, title, conference, f"{conference}/-/Withdrawn_Submission", number,
                   content={"_bibtex": bibtex, "venue": "", "venueid": ""})  # fmt: skip


def v1_desk_rejected(forum: str, title: str, conference: str = "ICLR.cc/2022/Conference", number: int = 8) -> dict:
    year = int(conference.split("/")[1])
    bibtex = _bibtex("misc", f"anonymous{year}synthetic", title, "Anonymous", year, forum)
    return v1_note(forum, title, conference, f"{conference}/-/Desk_Rejected_Submission", number, content={"_bibtex": bibtex})


def v1_decision(forum: str, conference: str, number: int, decision: str, *, invitation: str = "", field: str = "decision") -> dict:
    """A decision reply: `<conf>/Paper<n>/-/Decision` (ICLR 2020+), or the invitation given."""
    invitation = invitation or f"{conference}/Paper{number}/-/Decision"
    return {"id": f"{forum}dec", "original": None, "number": 1, "cdate": T0 + 9000, "forum": forum, "replyto": forum,
            "invitation": invitation, "readers": ["everyone"], "signatures": [f"{conference}/Program_Chairs"],
            "writers": [f"{conference}/Program_Chairs"], "content": {"title": "Paper Decision", field: decision}}  # fmt: skip


def v2_note(forum: str, title: str, venue: str, venueid: str, invitations: list[str], **extra) -> dict:
    """A v2 note (every content field {"value": …}); `domain` is the venue's id."""
    domain = venueid.split("/Withdrawn_")[0].split("/Desk_Rejected_")[0].split("/Rejected_")[0].removesuffix("/Submission")
    content = {"title": title, "authors": ["Synth Author", "Synth Coauthor"], "venue": venue, "venueid": venueid, **extra}
    return {"id": forum, "forum": forum, "number": 3, "cdate": T0, "tcdate": T0, "mdate": T0, "tmdate": T0, "odate": T0,
            "domain": domain, "invitations": invitations, "readers": ["everyone"], "writers": [domain],
            "signatures": [f"{domain}/Submission3/Authors"], "license": "CC BY 4.0",
            "content": {k: {"value": v} for k, v in content.items() if v != ""}}  # fmt: skip


def v2_invitations(domain: str, *more: str) -> list[str]:
    return [f"{domain}/-/Submission", f"{domain}/-/Post_Submission", *(f"{domain}/-/{m}" for m in more)]


class FakeNotesApi:
    """`GET /notes?ids=a,b[&details=…]` as OpenReview answers it.

    `forbidden` ids make the whole request fail with 403 (a note the caller may not read);
    `malformed` ids with 400 (a validation error), as OpenReview refuses an `ids` list as a whole.
    Each request's ids are kept in `batches`.
    """

    def __init__(self, notes: list[dict], *, forbidden: set[str] = frozenset(), malformed: set[str] = frozenset()):
        self.notes = {n["id"]: n for n in notes}
        self.forbidden, self.malformed = set(forbidden), set(malformed)
        self.batches: list[list[str]] = []
        self.details: list[str] = []

    def __call__(self, request: Logged) -> Reply:
        ids = request.param("ids").split(",")
        self.batches.append(ids)
        self.details.append(request.param("details"))
        if self.malformed & set(ids):
            return self._error(400, "ValidationError", "ids must be a list of note ids")
        if self.forbidden & set(ids):
            return self._error(403, "ForbiddenError", "You do not have permission to read this note")
        details = request.param("details").split(",")
        notes = [self._shaped(self.notes[i], details) for i in ids if i in self.notes]
        return Reply(200, {"notes": notes, "count": len(notes)}, JSON_TYPE)

    @staticmethod
    def _shaped(note: dict, details: list[str]) -> dict:
        shaped = json.loads(json.dumps({k: v for k, v in note.items() if k != "_replies"}))
        kept = {k: v for k, v in (shaped.get("details") or {}).items() if k in details}
        if "directReplies" in details:
            kept["directReplies"] = note.get("_replies", [])
        if kept:
            shaped["details"] = kept
        else:
            shaped.pop("details", None)
        return shaped

    @staticmethod
    def _error(status: int, name: str, message: str) -> Reply:
        return Reply(status, {"name": name, "message": message, "status": status, "details": {}}, JSON_TYPE)

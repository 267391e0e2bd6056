"""OpenReview decisions: is a note an accepted paper, or a withdrawn, desk-rejected or rejected one?

Stage: resolution (helper of `resolvers/openreview.py`). Pure: notes in, verdicts out.

What a note says about its fate, as OpenReview's own code writes it (openreview/openreview-py;
v1 code from commit 764b00ce1d27573467900340c39f38d8fad47f11, the last one before the v1
conference package was removed; v2 code from e25fd7da055e7ae3435df51dbdadf2760c59d281):

- API v1, withdrawn (`openreview/conference/templates/withdraw_process.py`): the submission's
  `invitation` becomes `<conf>/-/Withdrawn_Submission` and `content.venue` / `content.venueid`
  are set to `''`. Undoing a withdrawal moves the invitation back to `…/-/Blind_Submission`.
- API v1, desk-rejected (`desk_reject_process.py`): `invitation` becomes
  `<conf>/-/Desk_Rejected_Submission`; the venue fields are not touched (usually still absent).
  openreview-py's own tests assert both invitations (`tests/test_double_blind_conference.py`).
- API v1, decided (`conference/builder.py: post_decision_stage`): the decision is a separate
  reply note `<conf>/Paper<n>/-/Decision` whose `content.decision` is accepted when it contains
  'Accept' (`tools.is_accept_decision`); a later revision writes `venue`
  (`tools.decision_to_venue`: "ICLR 2022 Poster", or "Submitted to ICLR 2022" when not accepted)
  and `venueid`. openreview-py wrote `venue`/`venueid` from December 2020 on, so older notes
  (accepted ICLR 2019–2020, rejected ICLR 2021) carry neither: only their decision reply tells.
  Older venues named the decision otherwise (public analysis scripts that read them agree):
  ICLR 2018 `ICLR.cc/2018/Conference/-/Acceptance_Decision` (`decision`: "Accept (Oral)",
  "Invite to Workshop Track", "Reject"), ICLR 2019 `ICLR.cc/2019/Conference/-/Paper<n>/Meta_Review`
  (`recommendation`), ICLR 2017 `ICLR.cc/2017/conference/-/paper<n>/acceptance` (`decision`:
  "ICLR 2017 Poster", "ICLR 2017 Oral", "ICLR 2017 Invite to Workshop").
- API v2 (`openreview/venue/venue.py`, `venue/invitation.py`): `content.venueid` is
  `<venue>/Withdrawn_Submission`, `<venue>/Desk_Rejected_Submission`, `<venue>/Rejected_Submission`,
  or `<venue>/Submission` while under review, and `content.venue` its `tools.pretty_id` ("ICLR
  2024 Conference Withdrawn Submission"); the note's `invitations` list gains
  `<venue>/-/Withdrawn_Submission` or `<venue>/-/Desk_Rejected_Submission`.

A refusal from any of these signals wins: a withdrawn paper is never exported as accepted.
"""

from __future__ import annotations

import re

from msgspec import Struct

FOUND, NOT_FOUND, WITHDRAWN, REJECTED = "found", "not-found", "withdrawn", "rejected"
UNDECIDED = "undecided"  # a v1 submission without venue fields: its decision reply must be read

# How a refusal's reason begins (resolve.py recognises them, also when they come back from the
# cache as a not-found result, and never exports such a row as an accepted paper).
REFUSED_REASONS = ("withdrawn submission", "desk-rejected submission", "rejected submission", "not accepted")

# The last segment of a venueid / invitation id, in the order they are tested (Desk_Rejected_
# before Rejected_). openreview-py names them after the submission stage: Withdrawn_Submission.
_VENUEID_FATES = (
    (re.compile(r"/Withdrawn_\w+$"), WITHDRAWN, "withdrawn submission"),
    (re.compile(r"/Desk_Rejected_\w+$"), REJECTED, "desk-rejected submission"),
    (re.compile(r"/Rejected_\w+$"), REJECTED, "rejected submission"),
)
_INVITATION_FATES = (
    (re.compile(r"/-/Withdrawn_\w+$"), WITHDRAWN, "withdrawn submission"),
    (re.compile(r"/-/Desk_Rejected_\w+$"), REJECTED, "desk-rejected submission"),
)
_VENUE_FATES = (
    (re.compile(r"\bwithdrawn\b", re.I), WITHDRAWN, "withdrawn submission"),
    (re.compile(r"\bdesk[ _-]?rejected\b", re.I), REJECTED, "desk-rejected submission"),
    (re.compile(r"\brejected\b", re.I), REJECTED, "rejected submission"),
)
# "Submitted to ICLR 2023" (decision_to_venue), "ICLR 2022 Submitted" (seen on v1 notes).
_NOT_ACCEPTED_VENUE = re.compile(r"^\s*submitted to\b|\bsubmitted\s*$", re.I)
# A submission invitation (v1: Blind_Submission, Submission; ICLR 2017: lower-case 'submission').
_SUBMISSION_INVITATION = re.compile(r"/-/(Blind_)?Submission$", re.I)
# The last segment of a decision reply's invitation; a Meta_Review counts only without one.
_DECISION_INVITATIONS = ("decision", "acceptance_decision", "acceptance")
_META_REVIEW = "meta_review"
_PRESENTATION = re.compile(r"\b(oral|poster|spotlight|talk)\b", re.I)


class Verdict(Struct, frozen=True):
    status: str  # FOUND, NOT_FOUND, WITHDRAWN, REJECTED or UNDECIDED
    reason: str = ""
    # For a note accepted by its decision reply (no venue fields): what openreview-py would have
    # written, so the record is built the same way as for a newer note.
    venue: str = ""
    venueid: str = ""


def invitations(note: dict) -> list[str]:
    """The note's invitation ids: v1 has one (`invitation`), v2 a list (`invitations`)."""
    found = [note.get("invitation")] + list(note.get("invitations") or [])
    return [str(i) for i in found if i]


def judge(note: dict, content: dict) -> Verdict:
    """The verdict from the note itself: its venue fields and its invitation(s)."""
    venueid, venue = str(content.get("venueid") or ""), str(content.get("venue") or "")
    refusal = _refusal(venueid, venue, invitations(note))
    if refusal:
        return refusal
    if _NOT_ACCEPTED_VENUE.search(venue) or re.search(r"/Submission$", venueid):
        return Verdict(REJECTED, f"not accepted ({venue or venueid})")
    if venue or venueid:
        return Verdict(FOUND)
    submission = next((i for i in invitations(note) if _SUBMISSION_INVITATION.search(i)), "")
    if submission:
        return Verdict(UNDECIDED, f"no venue on the note ({submission}): its decision decides")
    return Verdict(NOT_FOUND, "note has no venue: not a published paper")


def _refusal(venueid: str, venue: str, invitation_ids: list[str]) -> Verdict | None:
    for pattern, status, words in _VENUEID_FATES:
        if pattern.search(venueid):
            return Verdict(status, f"{words} ({venueid})")
    for invitation in invitation_ids:
        for pattern, status, words in _INVITATION_FATES:
            if pattern.search(invitation):
                return Verdict(status, f"{words} ({invitation})")
    for pattern, status, words in _VENUE_FATES:
        if pattern.search(venue):
            return Verdict(status, f"{words} ({venue})")
    return None


def judge_decision(note: dict) -> Verdict:
    """The verdict of an UNDECIDED v1 note from its decision reply (`details.directReplies`)."""
    submission = next((i for i in invitations(note) if _SUBMISSION_INVITATION.search(i)), "")
    conference = submission.split("/-/")[0]
    decision = decision_text((note.get("details") or {}).get("directReplies") or [])
    if decision is None:
        return Verdict(NOT_FOUND, f"no public decision on OpenReview ({submission}): not known to be accepted")
    accepted = is_accepted(decision)
    if accepted is None:
        return Verdict(NOT_FOUND, f"OpenReview decision not understood: {decision!r}")
    if not accepted:
        words = "rejected submission" if "reject" in decision.lower() else "not accepted"
        return Verdict(REJECTED, f"{words} (decision {decision!r}, {conference})")
    return Verdict(FOUND, venue=_venue_of(conference, decision), venueid=conference)


def decision_text(replies: list) -> str | None:
    """The decision of a forum from its direct replies: a Decision note, else a Meta_Review's
    recommendation (ICLR 2019 decided in its meta-reviews)."""
    decisions, recommendations = [], []
    for reply in replies:
        if not isinstance(reply, dict):
            continue
        kind = str(reply.get("invitation", "")).rsplit("/", 1)[-1].lower()
        content = reply.get("content") or {}
        if kind in _DECISION_INVITATIONS and content.get("decision"):
            decisions.append(str(content["decision"]))
        elif kind == _META_REVIEW and content.get("recommendation"):
            recommendations.append(str(content["recommendation"]))
    chosen = decisions or recommendations
    return chosen[0].strip() if chosen else None


def is_accepted(decision: str) -> bool | None:
    """True for an acceptance to the main conference, False for any other decision, None if unclear.

    openreview-py's rule is 'Accept' in the decision; ICLR 2017 wrote "ICLR 2017 Poster", and an
    invitation to the workshop track is not a conference paper.
    """
    text = decision.lower()
    if "workshop" in text or "reject" in text:
        return False
    if "accept" in text or _PRESENTATION.search(text):
        return True
    return None


def _venue_of(conference: str, decision: str) -> str:
    """'ICLR.cc/2020/Conference', 'Accept (Spotlight)' -> 'ICLR 2020 Spotlight' (decision_to_venue's shape)."""
    short = conference.split(".cc/")[0].split("/")[0] if conference else ""
    year = re.search(r"\b(19|20)\d{2}\b", conference)
    words = re.sub(r"(?i)\baccept(ed)?\b|[()]", " ", decision)
    words = re.sub(r"^.*?\b(19|20)\d{2}\b", "", words) if re.search(r"\b(19|20)\d{2}\b", words) else words
    return " ".join([short, year.group(0) if year else "", *words.split()]).strip()

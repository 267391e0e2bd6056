"""OpenReview resolver: forum ids -> records, with withdrawn / rejected papers reported.

Stage: resolution (issue 4), for rows whose link is `openreview.net/forum?id=...`.
HTTP goes through an injected `fetch(url, params)` (no openreview-py: ~22 MiB of deps).

Two APIs (https://docs.openreview.net/reference/api-v2, openreview-py's `openreview.Client`
and `openreview.api.OpenReviewClient`): v1 (`api.openreview.net`) holds ICLR <= 2023 and
NeurIPS <= 2022, v2 (`api2.openreview.net`) later venues. Both answer
`GET /notes?...` with `{"notes": [...], "count": n}`; v2 wraps every content field as
`{"value": ...}`. We ask the expected API first and the other one for the ids it did not
have. Ids are batched (`ids=a,b,c`, as public scripts use on both APIs; openreview-py's own
batch call is a POST to /notes/search, which a GET-only fetch cannot make).

Records come from the note content `title` / `authors` / `venue` / `venueid`, never from the
stale `_bibtex`. A v1 blind submission may show "Anonymous" authors: v1 is asked for
`details=original` and the original note's content fills in. The date: a conference
paper is dated by its conference, so `issued` is the year in `venueid`
("ICLR.cc/2023/Conference") or `venue` ("ICLR 2023 poster"); the note timestamps are
decision or posting times (`pdate` = decision published, `odate` = made public, `cdate` =
created) and may fall in the year before the conference, so they are used only when
neither names a year, in that order, and only for the year.

Decisions (`openreview_decision.py`, which names the openreview-py code each rule comes from):
a withdrawn, desk-rejected or rejected note is reported, never exported as accepted; a v1
submission that carries no venue fields (accepted ICLR 2019-2020, rejected ICLR 2021) is judged
by its decision reply, asked for in one more batched v1 request (`details=directReplies`, an
option of v1 `GET /notes` documented in openreview-py's `Client.get_notes`).

A batch that fails as a whole with 400 or 403 (one malformed or unreadable id makes OpenReview
refuse the whole list) is split in halves until each id has its own answer: k bad ids in a
batch of n cost at most about 2k*log2(n) extra requests, and never more than 2n - 1 in all.
Ids that cannot be OpenReview ids (OpenReview makes them from [A-Za-z0-9_-]) are refused
without a request: a comma in one would split the list.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from typing import Any, Callable

from msgspec import Struct

from prune2bib import venues_dblp
from prune2bib.errors import NetworkError
from prune2bib.http import ServiceError
from prune2bib.record import PAPER_CONFERENCE, Record
from prune2bib.resolvers import FOUND, NOT_FOUND
from prune2bib.resolvers import openreview_decision as decisions
from prune2bib.resolvers.names import split_name

FetchJSON = Callable[[str, dict], Any]

V1_DEFAULT = "https://api.openreview.net"
V2_DEFAULT = "https://api2.openreview.net"
# Last year each venue lives on API v1; later years (and unknown venues) are on v2.
V1_LAST_YEAR = {"ICLR": 2023, "NeurIPS": 2022}
BATCH_SIZE = 50  # ids per request; keeps the URL short

WITHDRAWN, REJECTED = decisions.WITHDRAWN, decisions.REJECTED  # beside resolvers.FOUND / NOT_FOUND
REFUSED_REASONS = decisions.REFUSED_REASONS  # how a refusal's reason begins (resolve.py reads it)
# A batch OpenReview refuses as a whole because of one of its ids: split it. (A 404 is an empty
# answer, see resolve.openreview_fetch; a 429 or 5xx is retried by the HTTP layer.)
SPLIT_STATUSES = frozenset({400, 403})
FORUM_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
ANONYMOUS = {"anonymous", ""}
# The part of `venue` after "<VENUE> <YEAR>" that is a plain acceptance, not a distinction.
PLAIN_ACCEPT = {"", "poster", "accept", "conference", "main"}


class Result(Struct, frozen=True):
    """The outcome for one forum id; same fields as `resolvers.Lookup`, with two more statuses."""

    status: str  # found | not-found | withdrawn | rejected
    record: Record | None = None
    reason: str = ""
    requests: int = 0


def api_urls() -> dict[str, str]:
    """Base URLs, read at call time (tests point them at a local server)."""
    return {
        "v1": os.environ.get("PRUNE2BIB_OPENREVIEW_URL", V1_DEFAULT).rstrip("/"),
        "v2": os.environ.get("PRUNE2BIB_OPENREVIEW2_URL", V2_DEFAULT).rstrip("/"),
    }


def api_order(venue: str, year: int | None) -> tuple[str, str]:
    """('v1', 'v2') when the venue-year lives on v1, else ('v2', 'v1') (also for an unknown year)."""
    spec = venues_dblp.proceedings_venue(venue or "")  # the row's Venue cell: 'NIPS', "NeurIPS'22"
    last_v1 = V1_LAST_YEAR.get(spec.short if spec else (venue or "").strip(), 0)
    return ("v1", "v2") if year is not None and year <= last_v1 else ("v2", "v1")


# --- fetching ---------------------------------------------------------------------------


class _Asked:
    """What one resolve asked: requests per id (counted on a batch's first id) and refused ids."""

    def __init__(self, ids: list[str]):
        self.requests = {i: 0 for i in ids}
        self.refused: dict[str, str] = {}  # id -> why OpenReview would not answer for it


def _fetch_notes(api: str, ids: list[str], fetch: FetchJSON, asked: _Asked, details: str = "") -> dict[str, dict]:
    """Notes by id from one API, in batches; a batch refused as a whole is split."""
    found: dict[str, dict] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        found.update(_fetch_batch(api, ids[start : start + BATCH_SIZE], fetch, asked, details))
    return found


def _fetch_batch(api: str, batch: list[str], fetch: FetchJSON, asked: _Asked, details: str) -> dict[str, dict]:
    params = {"ids": ",".join(batch)}
    if details:
        params["details"] = details
    asked.requests[batch[0]] += 1
    try:
        payload = fetch(f"{api_urls()[api]}/notes", params)
    except ServiceError as err:
        if err.status not in SPLIT_STATUSES:
            raise
        if len(batch) == 1:
            asked.refused[batch[0]] = f"OpenReview {api} answered HTTP {err.status} for this id"
            return {}
        half = len(batch) // 2
        return {**_fetch_batch(api, batch[:half], fetch, asked, details),
                **_fetch_batch(api, batch[half:], fetch, asked, details)}  # fmt: skip
    if not isinstance(payload, dict) or not isinstance(payload.get("notes"), list):
        raise NetworkError(f"OpenReview {api} answered without a notes list")
    return {note["id"]: note for note in payload["notes"] if isinstance(note, dict) and note.get("id") in batch}


def _resolve_ids(ids: list[str], order: tuple[str, str], fetch: FetchJSON):
    """Notes, verdicts and what was asked, for ids expected on `order[0]`: the other API for
    misses, then the decision replies of v1 notes that carry no venue fields."""
    asked = _Asked(ids)
    valid = [i for i in ids if FORUM_ID.fullmatch(i)]
    for i in ids:
        if i not in valid:
            asked.refused[i] = "not an OpenReview forum id (OpenReview ids are made of A-Z, a-z, 0-9, _ and -)"
    notes: dict[str, dict] = {}
    on_v1: set[str] = set()
    for api in order:
        missing = [i for i in valid if i not in notes]
        if not missing:
            break
        answered = _fetch_notes(api, missing, fetch, asked, "original" if api == "v1" else "")
        notes.update(answered)
        on_v1.update(answered if api == "v1" else ())
    verdicts = {i: decisions.judge(note, note_content(note)) for i, note in notes.items()}
    # Only v1 keeps decisions apart from the note; a v2 note always names its venue.
    undecided = sorted(i for i, v in verdicts.items() if v.status == decisions.UNDECIDED and i in on_v1)
    replied = _fetch_notes("v1", undecided, fetch, asked, "directReplies") if undecided else {}
    for i, verdict in verdicts.items():
        if verdict.status == decisions.UNDECIDED:
            verdicts[i] = decisions.judge_decision(replied.get(i, notes[i]))
    return notes, verdicts, asked


def resolve_forums(forum_ids: list[str], year: int | None, venue: str, fetch: FetchJSON) -> dict[str, Result]:
    """Resolve forum ids of one venue-year: first the expected API, then the other for misses.

    `Result.requests` follows `resolvers.Lookup`: a shared batch request counts once, on the
    first id of its batch, so the sum over the results is the number of requests made.
    """
    ids = sorted(dict.fromkeys(i.strip() for i in forum_ids if i.strip()))
    notes, verdicts, asked = _resolve_ids(ids, api_order(venue, year), fetch)
    return {i: _result(i, notes.get(i), verdicts.get(i), year, venue, asked) for i in ids}


def resolve_forum_rows(rows: list[tuple[str, str, int | None]], fetch: FetchJSON) -> dict[str, Result]:
    """Resolve (forum id, venue, year) rows of several venue-years with as few requests as possible.

    Rows are grouped by the API they are expected on, not by venue-year: all v1-era ids go out
    in one batch (ICLR 2016-2023 and NeurIPS 2021-2022 together), the misses then go to the
    other API in one batch. Each result is built with its own row's venue and year.
    """
    context = {forum.strip(): (venue, year) for forum, venue, year in rows if forum.strip()}
    by_order: dict[tuple[str, str], list[str]] = {}
    for forum, (venue, year) in sorted(context.items()):
        by_order.setdefault(api_order(venue, year), []).append(forum)
    results: dict[str, Result] = {}
    for order, ids in sorted(by_order.items()):
        notes, verdicts, asked = _resolve_ids(ids, order, fetch)
        for i in ids:
            results[i] = _result(i, notes.get(i), verdicts.get(i), context[i][1], context[i][0], asked)
    return results


# --- mapping a note -------------------------------------------------------------------


def unwrap(content: dict) -> dict:
    """API v2 wraps every field as {"value": ...}; v1 does not. Return plain values."""
    return {k: (v["value"] if isinstance(v, dict) and "value" in v else v) for k, v in (content or {}).items()}


def note_content(note: dict) -> dict:
    """The note's content, with a v1 blind submission's authors taken from its original."""
    content = unwrap(note.get("content", {}))
    original = unwrap(((note.get("details") or {}).get("original") or {}).get("content", {}))
    authors = [a for a in content.get("authors") or [] if str(a).strip().lower() not in ANONYMOUS]
    if not authors and original.get("authors"):
        content = {**content, "authors": original["authors"]}
    return content


def _year_of(content: dict, note: dict) -> int | None:
    for text in (str(content.get("venueid", "")), str(content.get("venue", ""))):
        match = re.search(r"\b(19|20)\d{2}\b", text)
        if match:
            return int(match.group(0))
    for stamp in ("pdate", "odate", "cdate"):
        if isinstance(note.get(stamp), (int, float)):
            return datetime.fromtimestamp(note[stamp] / 1000, tz=timezone.utc).year
    return None


def venue_note(venue: str) -> str:
    """'ICLR 2023 notable top 5%' -> 'Notable top 5%'; 'ICLR 2022 Spotlight' -> 'Spotlight'; poster -> ''."""
    rest = re.sub(r"^.*?\b(19|20)\d{2}\b", "", venue).strip(" -:,")
    if rest.lower() in PLAIN_ACCEPT:
        return ""
    return rest[:1].upper() + rest[1:]


def _venue_short(content: dict, fallback: str) -> str:
    venueid = str(content.get("venueid", ""))
    for candidate in (venueid.split(".cc/")[0] if ".cc/" in venueid else "", str(content.get("venue", "")).split(" ")[0]):
        spec = venues_dblp.dblp_venue(candidate)
        if spec:
            return spec.short
    return fallback


def record_from_note(note: dict, venue: str, year: int | None, verdict: decisions.Verdict | None = None) -> Record:
    """The record of an accepted note; venue and year are the row's, used only as fallbacks.

    A v1 note accepted by its decision reply has no venue fields: the verdict's stand in.
    """
    content = note_content(note)
    if verdict is not None and verdict.venueid and not (content.get("venue") or content.get("venueid")):
        content = {**content, "venue": verdict.venue, "venueid": verdict.venueid}
    short = _venue_short(content, venue.strip())
    issued_year = _year_of(content, note) or year
    forum = note.get("forum") or note.get("id", "")
    return Record(
        type=PAPER_CONFERENCE,
        title=" ".join(str(content.get("title", "")).split()),
        authors=tuple(split_name(a) for a in content.get("authors") or [] if str(a).strip()),
        issued=(issued_year,) if issued_year else (),
        container_title=(venues_dblp.long_booktitle(short, issued_year) if issued_year else "") or short,
        container_title_short=short,
        event_title=f"{short} {issued_year}" if issued_year else short,
        openreview_id=forum,
        url=f"https://openreview.net/forum?id={forum}",
        venue_note=venue_note(str(content.get("venue", ""))),
    )


def _result(forum_id: str, note: dict | None, verdict, year: int | None, venue: str, asked: _Asked) -> Result:
    requests = asked.requests.get(forum_id, 0)
    if note is None:
        why = asked.refused.get(forum_id) or f"no note {forum_id} on OpenReview API v1 or v2"
        return Result(NOT_FOUND, reason=why, requests=requests)
    if verdict.status != FOUND:
        status = verdict.status if verdict.status in (WITHDRAWN, REJECTED) else NOT_FOUND
        return Result(status, reason=verdict.reason, requests=requests)
    return Result(FOUND, record=record_from_note(note, venue, year, verdict), requests=requests)

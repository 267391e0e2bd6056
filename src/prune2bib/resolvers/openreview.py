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
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

from prune2bib import venues_dblp
from prune2bib.errors import NetworkError
from prune2bib.record import PAPER_CONFERENCE, Record
from prune2bib.resolvers import FOUND, NOT_FOUND
from prune2bib.resolvers.names import split_name

FetchJSON = Callable[[str, dict], Any]

V1_DEFAULT = "https://api.openreview.net"
V2_DEFAULT = "https://api2.openreview.net"
# Last year each venue lives on API v1; later years (and unknown venues) are on v2.
V1_LAST_YEAR = {"ICLR": 2023, "NeurIPS": 2022}
BATCH_SIZE = 50  # ids per request; keeps the URL short

WITHDRAWN, REJECTED = "withdrawn", "rejected"  # beside resolvers.FOUND / NOT_FOUND
# How `decision` words a withdrawn or rejected note's reason (resolve.py recognises them, also
# when they come back from the cache as a not-found result).
REFUSED_REASONS = ("withdrawn submission", "rejected submission", "not accepted")
ANONYMOUS = {"anonymous", ""}
# The part of `venue` after "<VENUE> <YEAR>" that is a plain acceptance, not a distinction.
PLAIN_ACCEPT = {"", "poster", "accept", "conference", "main"}


@dataclass(frozen=True)
class Result:
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
    """('v1', 'v2') when the venue-year lives on v1, else ('v2', 'v1'); an undated row tries v2 first."""
    spec = venues_dblp.dblp_venue(venue)
    last_v1 = V1_LAST_YEAR.get(spec.short if spec else venue.strip(), 0)
    return ("v1", "v2") if year is not None and year <= last_v1 else ("v2", "v1")


# --- fetching ---------------------------------------------------------------------------


def _fetch_notes(api: str, ids: list[str], fetch: FetchJSON, requests: dict[str, int]) -> dict[str, dict]:
    """Notes by id from one API, in batches; each request is counted on its batch's first id."""
    found: dict[str, dict] = {}
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        params = {"ids": ",".join(batch)}
        if api == "v1":
            params["details"] = "original"
        payload = fetch(f"{api_urls()[api]}/notes", params)
        requests[batch[0]] += 1
        if not isinstance(payload, dict) or not isinstance(payload.get("notes"), list):
            raise NetworkError(f"OpenReview {api} answered without a notes list")
        for note in payload["notes"]:
            if isinstance(note, dict) and note.get("id") in batch:
                found[note["id"]] = note
    return found


def resolve_forums(forum_ids: list[str], year: int, venue: str, fetch: FetchJSON) -> dict[str, Result]:
    """Resolve forum ids of one venue-year: first the expected API, then the other for misses.

    `Result.requests` follows `resolvers.Lookup`: a shared batch request counts once, on the
    first id of its batch, so the sum over the results is the number of requests made.
    """
    ids = sorted(dict.fromkeys(i.strip() for i in forum_ids if i.strip()))
    notes: dict[str, dict] = {}
    requests = {i: 0 for i in ids}
    for api in api_order(venue, year):
        missing = [i for i in ids if i not in notes]
        if not missing:
            break
        notes.update(_fetch_notes(api, missing, fetch, requests))
    return {i: _result(i, notes.get(i), year, venue, requests[i]) for i in ids}


def resolve_forum_rows(rows: list[tuple[str, str, int]], fetch: FetchJSON) -> dict[str, Result]:
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
        notes: dict[str, dict] = {}
        requests = {i: 0 for i in ids}
        for api in order:
            missing = [i for i in ids if i not in notes]
            if not missing:
                break
            notes.update(_fetch_notes(api, missing, fetch, requests))
        for i in ids:
            results[i] = _result(i, notes.get(i), context[i][1], context[i][0], requests[i])
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


def decision(content: dict) -> tuple[str, str]:
    """(status, reason) from venueid / venue: withdrawn, rejected, under review or found."""
    venueid, venue = str(content.get("venueid", "")), str(content.get("venue", ""))
    if "Withdrawn_Submission" in venueid or "withdrawn" in venue.lower():
        return WITHDRAWN, f"withdrawn submission ({venueid or venue})"
    if "Rejected_Submission" in venueid or "rejected" in venue.lower():
        return REJECTED, f"rejected submission ({venueid or venue})"
    if venue.lower().startswith("submitted to") or venueid.endswith("/Submission"):
        return REJECTED, f"not accepted: {venue or venueid}"
    if not venue and not venueid:
        return NOT_FOUND, "note has no venue: not a published paper"
    return FOUND, ""


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


def record_from_note(note: dict, venue: str, year: int) -> Record:
    """The record of an accepted note; venue and year are the row's, used only as fallbacks."""
    content = note_content(note)
    short = _venue_short(content, venue.strip())
    issued_year = _year_of(content, note) or year
    forum = note.get("forum") or note.get("id", "")
    return Record(
        type=PAPER_CONFERENCE,
        title=" ".join(str(content.get("title", "")).split()),
        authors=tuple(split_name(a) for a in content.get("authors") or [] if str(a).strip()),
        issued=(issued_year,) if issued_year else (),
        container_title=venues_dblp.long_booktitle(short, issued_year) or short,
        container_title_short=short,
        event_title=f"{short} {issued_year}",
        openreview_id=forum,
        url=f"https://openreview.net/forum?id={forum}",
        venue_note=venue_note(str(content.get("venue", ""))),
    )


def _result(forum_id: str, note: dict | None, year: int, venue: str, requests: int) -> Result:
    if note is None:
        return Result(NOT_FOUND, reason=f"no note {forum_id} on OpenReview API v1 or v2", requests=requests)
    status, reason = decision(note_content(note))
    if status != FOUND:
        return Result(status, reason=reason, requests=requests)
    return Result(FOUND, record=record_from_note(note, venue, year), requests=requests)

"""Source adapters: one module per service, each a thin layer over its client library.

Stage: resolve. Every adapter turns the service's answer into `record.Record` and reports per
asked key one `Lookup`: found (with the record as the source gave it), not found (with a reason),
or failed (a network or service error: not cached, so the next run asks again). Adapters do no
caching and no matching; `resolve.py` does both. All HTTP goes through `http.Http`.
"""

from __future__ import annotations

from msgspec import Struct

from prune2bib.record import Record

FOUND, NOT_FOUND, FAILED = "found", "not-found", "failed"


class Lookup(Struct, frozen=True):
    status: str  # FOUND, NOT_FOUND or FAILED
    record: Record | None = None
    reason: str = ""  # one line, for NOT_FOUND and FAILED
    requests: int = 0  # HTTP requests this lookup made (a shared batch request counts once, on one key)

    @classmethod
    def found(cls, record: Record, requests: int = 0) -> "Lookup":
        return cls(FOUND, record, "", requests)

    @classmethod
    def not_found(cls, reason: str, requests: int = 0) -> "Lookup":
        return cls(NOT_FOUND, None, reason, requests)

    @classmethod
    def failed(cls, reason: str, requests: int = 0) -> "Lookup":
        return cls(FAILED, None, reason, requests)

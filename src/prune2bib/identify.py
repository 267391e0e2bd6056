"""Stage 2: a paper link -> a typed `Identifier`. Pure, table-tested.

(Interface fixed here; the rules are being written.)
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("arxiv", "openreview", "doi", "cvf", "pmlr", "neurips", "ijcai", "aaai", "url")


@dataclass(frozen=True)
class Identifier:
    kind: str  # one of KINDS
    value: str  # arxiv: '1608.08710v2'; openreview: forum id; doi: '10.1007/...'; others: a stable id

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


def identify(url: str) -> Identifier:
    raise NotImplementedError

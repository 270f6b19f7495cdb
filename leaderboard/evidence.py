"""What backs a result (SPEC §7, "Evidence"): the kinds, in words, as data.

A result's ``evidence`` is one of ``KINDS``. Rows of a dataset that do not say it take it from how the
result came in (``of_status``): a published round's figure is *published*, this project's own runner
measurement *reproduced* (measured by the maintainers), an accepted submission *logs cross-checked*
(its acknowledged warnings, where it had any, make it *held with acknowledged warnings*, with which and
why in ``evidence_note``), a pending one *self-reported*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PUBLISHED = "published"
REPRODUCED = "reproduced"
CROSS_CHECKED = "logs cross-checked"
HELD = "held with acknowledged warnings"
SELF_REPORTED = "self-reported"


@dataclass(frozen=True)
class Kind:
    """One kind of evidence: ``id`` (stored), ``words`` (a label's few words) and what it means."""

    id: str
    words: str
    meaning: str


KINDS: tuple[Kind, ...] = (
    Kind(PUBLISHED, "Published", "From an official AI Energy Score round, as published."),
    Kind(REPRODUCED, "Reproduced", "Measured by the leaderboard's maintainers (their own runs or campaigns)."),
    Kind(
        CROSS_CHECKED,
        "Logs cross-checked",
        "Self-reported by the submitter; every record of the logs was checked against the others and every check "
        "passed.",
    ),
    Kind(
        HELD,
        "Held: warnings acknowledged",
        "Self-reported; the checks raised warnings that a maintainer looked at and acknowledged with a reason.",
    ),
    Kind(SELF_REPORTED, "Self-reported", "Submitted logs not yet reviewed by a maintainer."),
)
KINDS_BY_ID: dict[str, Kind] = {k.id: k for k in KINDS}
# A status (``leaderboard.results``) -> the evidence of a row that does not record its own.
_BY_STATUS = {"published": PUBLISHED, "random weights": REPRODUCED, "accepted": CROSS_CHECKED, "pending": SELF_REPORTED}


def of_status(status: str) -> str:
    return _BY_STATUS.get(status, SELF_REPORTED)


def of_acknowledged(acknowledged: Mapping[str, str]) -> tuple[str, str | None]:
    """An accepted submission's evidence and note from the warnings acknowledged (check name -> reason)."""
    if not acknowledged:
        return CROSS_CHECKED, None
    note = "; ".join(f"{name}: {reason}" for name, reason in acknowledged.items())
    return HELD, note[:1000]


def words(kind: str) -> str:
    known = KINDS_BY_ID.get(kind)
    return known.words if known else kind

"""A rating group named for people, in one place: 'Class A · December 2025 round · NVIDIA H100 80GB'.

Ranks, chart panels, band edges and labels find a group by its identity (``leaderboard.rating.GroupKey``);
this module is the one that turns that identity into words. The harness is named only where it is not
the one its round used, so the published boards read as they were published.
"""

from __future__ import annotations

from leaderboard import formatting
from leaderboard.harnesses import UNRECORDED, harness_name
from leaderboard.rating import GroupKey
from leaderboard.tasks import round_harness


def is_round_harness(task: str, cohort: str, harness: object) -> bool:
    """Whether a result was measured with the harness its round used. Where no published round rated
    the task in that cohort, only an unrecorded harness counts as such: any other is named."""
    expected = round_harness(task, cohort)
    return expected is None and harness in (None, UNRECORDED) or harness == expected


def group_parts(key: GroupKey, *, with_task: bool = False) -> list[str]:
    """The group's words, most telling first: [task], class, round, hardware, [harness]."""
    parts = [formatting.task_name(key.task)] if with_task else []
    if key.model_class:
        parts.append(f"class {key.model_class}" if with_task else f"Class {key.model_class}")
    parts += [f"{formatting.month_name(key.cohort)} round", key.hardware]
    if not is_round_harness(key.task, key.cohort, key.harness):
        parts.append(harness_name(key.harness or None))
    return parts


def group_name(key: GroupKey, *, with_task: bool = False) -> str:
    """'Class A · December 2025 round · NVIDIA H100 80GB' (with the task first when ``with_task``)."""
    return " · ".join(group_parts(key, with_task=with_task))

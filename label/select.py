"""Choosing what a label shows: a published result, or custom values rated against the task's
current group. Shared by the command line and the label page.

Custom values are bounded, so that a label never shows an impossible figure:

    ENERGY_RANGE_WH_PER_1K  0.0001 to 1,000,000 Wh per 1,000 queries (below: less than a millijoule
                            per query, no model on a GPU; above: fifty times the most energy-hungry
                            published result, 18,992 Wh per 1,000 queries for reasoning)
    FIRST_YEAR .. this year + 1   for the scoring month (no AI Energy Score label is older)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from label.model import Label, make_label
from leaderboard.errors import ValidationError
from leaderboard.harnesses import UNRECORDED
from leaderboard.results import Results
from leaderboard.schema import MONTH_PATTERN
from leaderboard.tasks import MODEL_CLASSES, get_task, round_harness

ENERGY_RANGE_WH_PER_1K = (0.0001, 1_000_000.0)
FIRST_YEAR = 2024


def check_energy(energy_wh: float) -> float:
    """``energy_wh`` if it is a plausible GPU energy per 1,000 queries, else ``ValidationError``."""
    lo, hi = ENERGY_RANGE_WH_PER_1K
    if not (isinstance(energy_wh, (int, float)) and math.isfinite(energy_wh) and lo <= energy_wh <= hi):
        raise ValidationError(
            f"--energy-wh-per-1k {energy_wh!r} must be a finite positive number from {lo:g} to {hi:,.0f} "
            "(GPU Wh per 1,000 queries)."
        )
    return float(energy_wh)


def check_month(scored: str, today: date | None = None) -> str:
    """``scored`` if it is a month YYYY-MM from ``FIRST_YEAR`` to next year, else ``ValidationError``."""
    last = (today or date.today()).year + 1
    if not isinstance(scored, str) or not MONTH_PATTERN.match(scored) or not FIRST_YEAR <= int(scored[:4]) <= last:
        raise ValidationError(
            f"--date {str(scored)[:20]!r}: use a month YYYY-MM from {FIRST_YEAR} to {last}, e.g. 2025-12."
        )
    return scored


def find_result(
    results: Results,
    *,
    task: str,
    model: str,
    cohort: str | None = None,
    effort: str | None = None,
    run_id: str | None = None,
) -> Any:
    """The one result row for this model in this task, or ``ValidationError`` naming the choices."""
    rows = results.task(task).frame
    if run_id:
        found = rows[rows["run_id"] == run_id]
        if found.empty:
            raise ValidationError(f"--run-id {run_id!r}: no such result in task {task}.")
        return found.iloc[0]
    found = rows[rows["model"] == model]
    if found.empty:
        close = sorted(m for m in rows["model"].unique() if model.lower() in m.lower())[:10]
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ValidationError(
            f"--model {model!r}: no published result in task {task}.{hint} "
            "Use custom values (--energy-wh-per-1k) for an unpublished model."
        )
    if cohort:
        in_cohort = found[found["cohort"] == cohort]
        if in_cohort.empty:
            raise ValidationError(
                f"--cohort {cohort!r}: {model} has results in {', '.join(sorted(found['cohort'].unique()))}."
            )
        found = in_cohort
    if effort:
        found = found[found["reasoning_effort"] == effort]
        if found.empty:
            raise ValidationError(f"--effort {effort!r}: no such result for {model} in task {task}.")
    if len(found) > 1:
        raise ValidationError(
            f"{model} has {len(found)} results in task {task}; choose one with --effort, --cohort or --run-id: "
            f"{', '.join(found['run_id'])}."
        )
    return found.iloc[0]


@dataclass(frozen=True)
class CustomRating:
    stars: int
    provisional: bool
    group_size: int
    explanation: str


def rate_custom(
    results: Results, *, task: str, model_class: str | None, hardware: str, energy_wh: float
) -> CustomRating:
    """Stars for an unpublished result, against the task's latest cohort on the same hardware."""
    task_def = get_task(task)
    if task_def.has_classes and model_class not in MODEL_CLASSES:
        raise ValidationError(f"--class is required for {task}: one of {', '.join(MODEL_CLASSES)}.")
    cohort = results.latest_cohort(task, hardware) or "none"
    rated = results.rate_candidate(
        task=task,
        model_class=model_class if task_def.has_classes else None,
        cohort=cohort,
        hardware=hardware,
        harness=round_harness(task, cohort) or UNRECORDED,
        energy_wh=energy_wh,
    )
    group = (
        f"{task_def.display_name}{f', class {model_class}' if task_def.has_classes else ''}, "
        f"cohort {cohort}, {hardware}"
    )
    if rated.peers == 0:
        explanation = (
            f"No published results in its group ({group}): 5 stars, provisional. "
            "Stars only compare results measured on the same hardware."
        )
    else:
        explanation = f"Rated against the {rated.peers} published results of {group}."
    return CustomRating(rated.stars, rated.provisional, rated.peers, explanation)


def custom_label(
    *,
    model: str,
    task: str,
    scored: str,
    hardware: str,
    energy_wh: float,
    stars: int,
    base_url: str,
    variant: str = "full",
) -> Label:
    """The label of custom values: status "custom" (self-reported), no record; it links to the model
    page of ``model``. ``variant``: "full" or "spec" (see ``label.model``)."""
    check_energy(energy_wh)
    check_month(scored)
    return make_label(
        model=model,
        task_id=task,
        scored=scored,
        hardware=hardware,
        energy_wh_per_1k=energy_wh,
        stars=stars,
        base_url=base_url,
        status="custom",
        variant=variant,
    )

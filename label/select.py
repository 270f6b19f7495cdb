"""Choosing what a label shows: a published result, or custom values rated against a published
round's group (the newest round the registry knows that rated the task, unless another is named), on a
known board read from free text (``leaderboard.hardware.resolve_board``). Shared by the command line
and the label page.

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

from label.model import NOT_RATED, PROVISIONAL, Label, clean_text, make_label
from leaderboard.errors import ValidationError
from leaderboard.formatting import energy_wh as energy_wh_text
from leaderboard.formatting import month_name
from leaderboard.hardware import BoardChoice, board_name, resolve_board, split_count
from leaderboard.harnesses import UNRECORDED
from leaderboard.results import Results
from leaderboard.schema import MONTH_PATTERN
from leaderboard.tasks import MODEL_CLASSES, ROUNDS, current_round, expected_round, get_task, round_harness
from leaderboard.uncertainty import sureness_words

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
            f"--round {str(scored)[:20]!r}: use a month YYYY-MM from {FIRST_YEAR} to {last}, e.g. 2025-12."
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


def task_rounds(task: str) -> tuple[str, ...]:
    """The cohorts of the published rounds that rated ``task`` (the registry's, ``leaderboard.tasks.ROUNDS``)."""
    return tuple(sorted(r.cohort for r in ROUNDS if task in r.tasks))


def default_round(task: str) -> str:
    """The round a custom label's stars are cut from unless one is named: the newest round the registry
    knows (``current_round``) where it rated the task, else the task's latest round."""
    current = current_round()
    if task in current.tasks:
        return current.cohort
    latest = expected_round(task)
    return latest.cohort if latest else current.cohort


def check_round(task: str, cohort: str) -> str:
    """``cohort`` if a published round rated ``task`` in it, else ``ValidationError`` naming the rounds."""
    rounds = task_rounds(task)
    if cohort not in rounds:
        raise ValidationError(
            f"--round {str(cohort)[:20]!r}: no published round rated {task} then; its rounds are "
            f"{', '.join(rounds) or 'none'} (default {default_round(task)})."
        )
    return cohort


@dataclass(frozen=True)
class CustomRating:
    """How custom values are rated. ``stars`` 0 when ``rated`` is False (an unknown board: rated
    nowhere). ``cohort`` the round rated against, ``board`` the known board rated on (the typed text
    where none), ``choice`` how the typed board was read, ``low_wh``/``high_wh`` the range the stars were
    cut from (None when not rated), ``p_stars`` how sure they are (None: unknown)."""

    stars: int
    provisional: bool
    group_size: int
    explanation: str
    rated: bool = True
    cohort: str = ""
    board: str = ""
    choice: BoardChoice | None = None
    low_wh: float | None = None
    high_wh: float | None = None
    p_stars: tuple[float, ...] | None = None

    @property
    def summary(self) -> str:
        """'3 stars. Rated against …' / 'Not rated. …'."""
        return f"{self.stars} stars. {self.explanation}" if self.rated else f"Not rated. {self.explanation}"

    @property
    def mark(self) -> str:
        """What the label prints of how it was rated: ``NOT_RATED``, ``PROVISIONAL`` or ''."""
        return NOT_RATED if not self.rated else PROVISIONAL if self.provisional else ""


def rate_custom(
    results: Results,
    *,
    task: str,
    model_class: str | None,
    hardware: str,
    energy_wh: float,
    cohort: str | None = None,
) -> CustomRating:
    """Stars for an unpublished result: rated in its group (task, class, round, board, the round's
    harness) with the group's results. The board is read from free text by the hardware registry
    (``leaderboard.hardware.resolve_board``, with 'did you mean'); a board it does not know is rated
    nowhere (``rated`` False). ``cohort`` defaults to ``default_round``."""
    task_def = get_task(task)
    if task_def.has_classes and model_class not in MODEL_CLASSES:
        raise ValidationError(f"--class is required for {task}: one of {', '.join(MODEL_CLASSES)}.")
    cohort = check_round(task, cohort or default_round(task))
    model_class = model_class if task_def.has_classes else None
    count, name = split_count(str(hardware))
    choice = resolve_board(name)
    class_text = f", class {model_class}" if model_class else ""
    if choice.board is None:
        return CustomRating(
            0,
            False,
            0,
            f"{choice.words()} Stars only compare results measured on the same known board; choose one to rate it.",
            rated=False,
            cohort=cohort,
            board=clean_text(name)[:80] or "unknown hardware",
            choice=choice,
        )
    board = board_name(choice.board.name, count or 1)
    rated = results.rate_candidate(
        task=task,
        model_class=model_class,
        cohort=cohort,
        hardware=board,
        harness=round_harness(task, cohort) or UNRECORDED,
        energy_wh=energy_wh,
    )
    group = f"{task_def.display_name}{class_text}, {month_name(cohort)} round, {board}"
    read_as = "" if choice.exact else f"{choice.words()}. "
    if rated.peers == 0:
        explanation = (
            f"{read_as}No published results in its group ({group}): 5 stars, provisional. "
            "Stars only compare results measured on the same hardware."
        )
    else:
        explanation = (
            f"{read_as}Rated against the {rated.peers} published results of {group} "
            f"(range {energy_wh_text(rated.group_min_wh)}–{energy_wh_text(rated.group_max_wh)} Wh per 1,000 queries)."
        )
    return CustomRating(
        rated.stars,
        rated.provisional,
        rated.peers,
        explanation,
        rated=True,
        cohort=cohort,
        board=board,
        choice=choice,
        low_wh=rated.group_min_wh,
        high_wh=rated.group_max_wh,
        p_stars=rated.p_stars,
    )


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
    model_class: str | None = None,
    rating: CustomRating | None = None,
) -> Label:
    """The label of custom values: status "custom" (self-reported), no record; it links to the page
    that says what a custom label is (``label.model.custom_labels_url``). ``rating``: how its stars
    were rated (``rate_custom``): the label prints *provisional* or *not rated* from it, and how sure
    the stars are; without one the stars were given by hand and the label says they are not rated.
    ``variant``: "full" or "spec" (see ``label.model``)."""
    check_energy(energy_wh)
    check_month(scored)
    if rating is None:
        mark, sureness = NOT_RATED, "Not rated: stars given by hand"
    elif not rating.rated:
        mark, sureness = NOT_RATED, "Not rated: no known board"
    elif rating.provisional:
        mark, sureness = PROVISIONAL, None
    else:
        mark, sureness = "", sureness_words(rating.stars, rating.p_stars, False)
    return make_label(
        model=model,
        task_id=task,
        scored=rating.cohort if rating is not None and rating.cohort else scored,  # the round rated against
        hardware=rating.board if rating is not None else hardware,
        energy_wh_per_1k=energy_wh,
        stars=stars if rating is None else rating.stars,
        base_url=base_url,
        status="custom",
        variant=variant,
        model_class=model_class,
        mark=mark,
        sureness=sureness,
    )

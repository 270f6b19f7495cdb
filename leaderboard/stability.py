"""How stable the stars are: per rating group and for the whole dataset.

For every rating group of two results or more (a lone result's 5 stars are provisional: nothing moves
them), in the results the board rates (published, accepted, the maintainers' own runs; never pending):

* **sure / not sure / unknown**: a star is sure when the probability of the star shown is at least
  ``SURE_P`` given every result's measured uncertainty (``leaderboard.rating.RULE.probabilities``);
  unknown where an uncertainty in its group is unknown.
* **(a) under the measured noise**: the expected number of stars that a fresh measurement of every
  result would change, the sum of 1 − P(star shown) over the group (where known).
* **(b) without an extreme**: how many of the other results' stars change if the group's highest (or
  lowest) result were removed; the two ends set every band edge.
* **(c) under another rule**: how many stars differ under ``RANK_RULE`` (bands over ranks, a quantile
  rule) instead of the published equal-width bands.
* **what-ifs at an assumed spread** (``ASSUMED_SPREADS``): how many stars would be below ``SURE_P`` if
  every result varied by that relative spread, named as an assumption, for groups whose own
  uncertainty is unknown as much as for the others.

The published rule stays the rule everywhere; (b), (c) and the what-ifs are only reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from leaderboard.groups import group_name
from leaderboard.rating import ENERGY_COLUMN, RANK_RULE, RULE, GroupKey, seeds_of
from leaderboard.results import OFFICIAL_STATUSES, Results
from leaderboard.tasks import TASK_IDS, TASKS_BY_ID
from leaderboard.uncertainty import SOURCE_COLUMN, SOURCES, SURE_P

ASSUMED_SPREADS: tuple[float, ...] = (0.05, 0.10)
RATED_STATUSES = (*OFFICIAL_STATUSES, "random weights")


@dataclass(frozen=True)
class GroupStability:
    """One rating group's figures (counts of results; see the module docstring)."""

    key: str
    name: str
    task: str
    results: int
    sure: int
    not_sure: int
    unknown: int
    expected_changes: float | None
    changed_without_highest: int
    changed_without_lowest: int
    changed_under_rank_rule: int
    not_sure_if_assumed: dict[str, int]
    uncertainty_sources: dict[str, int]


@dataclass(frozen=True)
class Totals:
    """The same figures added up over groups (a task's, or the whole dataset's)."""

    groups: int = 0
    results: int = 0
    sure: int = 0
    not_sure: int = 0
    unknown: int = 0
    expected_changes: float | None = None  # over the groups whose uncertainties are known; None: no such group
    changed_without_highest: int = 0
    changed_without_lowest: int = 0
    changed_under_rank_rule: int = 0
    not_sure_if_assumed: dict[str, int] = field(default_factory=dict)
    uncertainty_sources: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """The stability report: every group, each task's totals and the whole dataset's."""

    groups: tuple[GroupStability, ...]
    tasks: dict[str, Totals]
    total: Totals
    sure_p: float = SURE_P
    rule: str = RULE.description
    other_rule: str = RANK_RULE.name
    assumed_spreads: tuple[float, ...] = ASSUMED_SPREADS

    def to_json(self) -> dict[str, object]:
        return {
            "sure_p": self.sure_p,
            "rule": self.rule,
            "other_rule": self.other_rule,
            "assumed_spreads": list(self.assumed_spreads),
            "total": asdict(self.total),
            "tasks": {t: asdict(v) for t, v in self.tasks.items()},
            "groups": [asdict(g) for g in self.groups],
        }


def _assumed_key(spread: float) -> str:
    return f"{spread * 100:g}%"


def _stars(energy: np.ndarray) -> np.ndarray:
    stars, _ = RULE.stars(energy, np.full(len(energy), energy.min()), np.full(len(energy), energy.max()))
    return stars


def _changed_without(energy: np.ndarray, stars: np.ndarray, drop: int) -> int:
    keep = np.ones(len(energy), dtype=bool)
    keep[drop] = False
    return int(np.count_nonzero(_stars(energy[keep]) != stars[keep]))


def group_stability(rows: pd.DataFrame) -> GroupStability:
    """The figures of one rating group (rows of a rated ``Results`` frame, two or more)."""
    key = GroupKey.from_id(str(rows["group_key"].iloc[0]))
    rows = rows.sort_values([ENERGY_COLUMN, "run_id"], kind="stable")
    energy = rows[ENERGY_COLUMN].to_numpy(dtype=float)
    stars = rows["stars"].to_numpy(dtype=int)
    p = rows["p_shown"].to_numpy(dtype=float)
    known = ~np.isnan(p)
    codes = np.zeros(len(rows), dtype=int)
    seeds = seeds_of(rows["run_id"])
    assumed = {}
    for spread in ASSUMED_SPREADS:
        probabilities = RULE.probabilities(energy, np.full(len(rows), spread), codes, seeds)
        shown = probabilities[np.arange(len(rows)), stars - 1]
        assumed[_assumed_key(spread)] = int(np.count_nonzero(shown < SURE_P))
    sources = rows[SOURCE_COLUMN].value_counts().to_dict()
    return GroupStability(
        key=key.id,
        name=group_name(key, with_task=True),
        task=key.task,
        results=len(rows),
        sure=int(np.count_nonzero(known & (p >= SURE_P))),
        not_sure=int(np.count_nonzero(known & (p < SURE_P))),
        unknown=int(np.count_nonzero(~known)),
        expected_changes=round(float(np.sum(1 - p[known])), 3) if known.all() else None,
        changed_without_highest=_changed_without(energy, stars, len(rows) - 1),
        changed_without_lowest=_changed_without(energy, stars, 0),
        changed_under_rank_rule=int(np.count_nonzero(RANK_RULE.stars(energy, codes) != stars)),
        not_sure_if_assumed=assumed,
        uncertainty_sources={s: int(sources.get(s, 0)) for s in SOURCES},
    )


def _add(groups: Iterable[GroupStability]) -> Totals:
    groups = list(groups)
    assumed = {_assumed_key(s): sum(g.not_sure_if_assumed[_assumed_key(s)] for g in groups) for s in ASSUMED_SPREADS}
    return Totals(
        groups=len(groups),
        results=sum(g.results for g in groups),
        sure=sum(g.sure for g in groups),
        not_sure=sum(g.not_sure for g in groups),
        unknown=sum(g.unknown for g in groups),
        expected_changes=round(sum(known), 3)
        if (known := [g.expected_changes for g in groups if g.expected_changes is not None])
        else None,
        changed_without_highest=sum(g.changed_without_highest for g in groups),
        changed_without_lowest=sum(g.changed_without_lowest for g in groups),
        changed_under_rank_rule=sum(g.changed_under_rank_rule for g in groups),
        not_sure_if_assumed=assumed,
        uncertainty_sources={s: sum(g.uncertainty_sources[s] for g in groups) for s in SOURCES},
    )


def stability(results: Results, *, task: str | None = None, statuses: tuple[str, ...] = RATED_STATUSES) -> Report:
    """The report over the rating groups of ``results`` (of ``task`` where given) with two results or more."""
    view = results.statuses(*statuses)
    if task is not None:
        view = view.task(task)
    frame = view.frame
    groups = [group_stability(rows) for _, rows in frame.groupby("group_key", sort=False) if len(rows) >= 2]
    order = {t: i for i, t in enumerate(TASK_IDS)}
    groups.sort(key=lambda g: (order.get(g.task, len(order)), g.name))
    tasks = {t: _add(g for g in groups if g.task == t) for t in TASK_IDS if any(g.task == t for g in groups)}
    return Report(tuple(groups), tasks, _add(groups))


def text_table(report: Report) -> str:
    """The report as Markdown tables: per task, then per group."""
    assumed = " | ".join(f"not sure if ±{k}" for k in report.total.not_sure_if_assumed)
    head = (
        "| {what} | results | sure | not sure | unknown | expected changes (a) | without highest (b) | "
        f"without lowest (b) | rank rule (c) | {assumed} | own repeats / harness / unknown |"
    )
    rule = "|" + "---|" * (10 + len(report.total.not_sure_if_assumed))

    def line(name: str, t: Totals | GroupStability) -> str:
        expected = "unknown" if t.expected_changes is None else f"{t.expected_changes:.1f}"
        what_ifs = " | ".join(str(v) for v in t.not_sure_if_assumed.values())
        sources = " / ".join(str(t.uncertainty_sources[s]) for s in SOURCES)
        return (
            f"| {name} | {t.results} | {t.sure} | {t.not_sure} | {t.unknown} | {expected} | "
            f"{t.changed_without_highest} | {t.changed_without_lowest} | {t.changed_under_rank_rule} | {what_ifs} | "
            f"{sources} |"
        )

    out = [
        f"Stars are sure when the star shown has a probability of at least {report.sure_p:.0%}. "
        f"Rule: {report.rule}; (c) compares {report.other_rule}.",
        "",
        head.format(what="task"),
        rule,
    ]
    out += [line(TASKS_BY_ID[t].display_name, v) for t, v in report.tasks.items()]
    out.append(line("**all**", report.total))
    out += ["", head.format(what="rating group"), rule]
    out += [line(g.name, g) for g in report.groups]
    return "\n".join(out) + "\n"


def render_report(report: Report, *, heading_level: int = 2) -> str:
    """The report as HTML (templates/stability.html.j2), the same in the app and on the site."""
    from leaderboard.board import environment
    from leaderboard.formatting import percent

    task_rows = [(TASKS_BY_ID[t].display_name, v) for t, v in report.tasks.items()] + [("All tasks", report.total)]
    return (
        environment()
        .get_template("stability.html.j2")
        .render(
            report=report,
            task_rows=task_rows,
            group_rows=[(g.name, g) for g in report.groups],
            assumed=[f"{s * 100:g}" for s in report.assumed_spreads],
            pct=percent,
            h=f"h{max(2, min(6, heading_level))}",
        )
    )

"""What a model's energy buys: each result's quality figures (``leaderboard.quality``) and its place
against the Pareto front of its rating group, per metric.

The front of a rating group (``leaderboard.rating.GroupKey``) for one metric: the results with a quality
figure that no other result of the group beats on both axes, lower GPU energy and better quality (in the
metric's own direction: lower WER is better), at least one of the two strictly. A result without a figure
is never on the front and never ranked best: it is *no quality data*. Metrics are never mixed: a front,
a chart and a comparison hold one metric of one group. Stars stay energy-only.

Energy per unit of quality is given only for a metric that is a rate of correct answers (in percent):
GPU energy per 1,000 correct answers = energy per 1,000 queries ÷ (rate / 100).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from leaderboard import formatting
from leaderboard.quality import NO_MATCH, NO_QUALITY, Metric, QualityRow, QualityTable
from leaderboard.rating import ENERGY_COLUMN
from leaderboard.svg_charts import QualityPoint, quality_chart

PER_CORRECT_NAME = "GPU energy per 1,000 correct answers (Wh)"


def value_text(value: float) -> str:
    """A quality figure as shown: two decimals (three below 1, for 0–1 scores)."""
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"


@dataclass(frozen=True)
class Figure:
    """One result's quality by one metric; ``value`` None: no quality data, ``reason`` says why."""

    run_id: str
    metric: Metric
    value: float | None
    match: str
    reason: str
    source: str
    licence: str
    source_model_id: str
    energy_wh_per_1k: float

    @property
    def text(self) -> str:
        return NO_QUALITY if self.value is None else value_text(self.value)

    @property
    def match_text(self) -> str:
        from leaderboard.quality import MATCH_KINDS

        return MATCH_KINDS.get(self.match, self.match)

    @property
    def per_correct_wh(self) -> float | None:
        """GPU energy per 1,000 correct answers (Wh), only where the metric is a rate of correct answers."""
        if self.value is None or not self.metric.correct_answer_rate or self.value <= 0:
            return None
        return self.energy_wh_per_1k / (self.value / 100.0)

    @property
    def title(self) -> str:
        """The figure's provenance in a sentence (a tooltip)."""
        source = f"Source: {self.source} ({self.licence})."
        if self.value is None:
            return f"{NO_QUALITY}: {self.reason or 'no row for this model and round'}. {source}"
        how = f"Match: {self.match_text}" + (f" ({self.reason})" if self.reason else "")
        return f"{self.metric.name}, {self.metric.direction}. {how}. {source}"


def result_figures(frame: pd.DataFrame, table: QualityTable) -> dict[str, tuple[Figure, ...]]:
    """Every result of ``frame`` (rated results) with one figure per metric its task has, in the table's
    order; a result with no row of a metric gets a figure without a value, saying so."""
    lookup = table.lookup()
    by_task = {str(t): table.task_metrics(str(t)) for t in frame["task"].unique()}
    out: dict[str, tuple[Figure, ...]] = {}
    for r in frame.itertuples(index=False):
        effort = r.reasoning_effort if isinstance(r.reasoning_effort, str) and r.reasoning_effort else None
        figures = []
        for metric in by_task[str(r.task)]:
            row: QualityRow | None = lookup.get((str(r.task), str(r.model), effort, str(r.cohort), metric))
            if row is None:
                sources = {q.source for q in table.rows if q.task == r.task and q.metric == metric}
                figures.append(
                    Figure(
                        str(r.run_id),
                        table.metric(metric),
                        None,
                        NO_MATCH,
                        f"the source has no row for this model in the {formatting.month_name(str(r.cohort))} round",
                        "; ".join(sorted(sources)),
                        "; ".join(sorted({q.licence for q in table.rows if q.source in sources})),
                        "",
                        float(getattr(r, ENERGY_COLUMN)),
                    )
                )
                continue
            figures.append(
                Figure(
                    str(r.run_id),
                    table.metric(metric),
                    row.value,
                    row.match,
                    row.reason,
                    row.source,
                    row.licence,
                    row.source_model_id,
                    float(getattr(r, ENERGY_COLUMN)),
                )
            )
        out[str(r.run_id)] = tuple(figures)
    return out


# --- the front ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """A result with a quality figure: its run id, its name in words, its energy and its value."""

    run_id: str
    label: str
    energy_wh_per_1k: float
    value: float


def _better_or_equal(a: float, b: float, higher_is_better: bool) -> bool:
    return a >= b if higher_is_better else a <= b


def dominates(q: Point, p: Point, higher_is_better: bool) -> bool:
    """Whether ``q`` beats ``p``: no more energy and no worse quality, and strictly better on one."""
    no_worse = q.energy_wh_per_1k <= p.energy_wh_per_1k and _better_or_equal(q.value, p.value, higher_is_better)
    strictly = q.energy_wh_per_1k < p.energy_wh_per_1k or q.value != p.value
    return no_worse and strictly


def front(points: Sequence[Point], higher_is_better: bool) -> list[Point]:
    """The points no other point beats on both axes, by energy (lowest first). Quadratic in the group
    size, which is tens of results."""
    kept = [p for p in points if not any(dominates(q, p, higher_is_better) for q in points if q is not p)]
    return sorted(kept, key=lambda p: (p.energy_wh_per_1k, p.label))


@dataclass(frozen=True)
class Standing:
    """Where a result sits against its group's front for one metric, in words."""

    on_front: bool
    text: str
    by: Point | None = None


def standing(point: Point | None, points: Sequence[Point], metric: Metric) -> Standing:
    """'On the front …', or 'X uses 40% less energy for a higher score …' (the result that beats it with
    the least energy), or no quality data (``point`` None)."""
    if point is None:
        return Standing(False, f"not placed: {NO_QUALITY} for this metric")
    rivals = [q for q in points if q is not point and dominates(q, point, metric.higher_is_better)]
    if not rivals:
        others = len(points) - 1
        if others == 0:
            return Standing(True, "the only result of its group with this metric: nothing to compare it with")
        return Standing(
            True,
            f"none of the other {others} results of its group with this metric uses less energy for a better score",
        )
    by = min(rivals, key=lambda q: (q.energy_wh_per_1k, -q.value if metric.higher_is_better else q.value, q.label))
    saved = 1.0 - by.energy_wh_per_1k / point.energy_wh_per_1k
    energy = f"{formatting.percent(saved)} less energy" if saved > 0 else "the same energy"
    better = ("higher" if metric.higher_is_better else "lower") + " score"
    quality = f"a {better}" if by.value != point.value else "the same score"
    text = (
        f"{by.label} uses {energy} for {quality} ({formatting.energy_wh(by.energy_wh_per_1k)} vs "
        f"{formatting.energy_wh(point.energy_wh_per_1k)} Wh per 1,000 queries; {value_text(by.value)} vs "
        f"{value_text(point.value)})"
    )
    noise = metric.noise
    if noise is not None and 0 < abs(by.value - point.value) < noise:
        text += f", a gap in score within the metric's noise (±{noise:g}): a tie in effect"
        clear = [q for q in rivals if abs(q.value - point.value) >= noise]
        if clear:
            beyond = min(clear, key=lambda q: (q.energy_wh_per_1k, q.label))
            cut = 1.0 - beyond.energy_wh_per_1k / point.energy_wh_per_1k
            text += (
                f". Beyond the noise, {beyond.label} uses "
                + (f"{formatting.percent(cut)} less energy" if cut > 0 else "the same energy")
                + f" for a {better} ({value_text(beyond.value)} vs {value_text(point.value)})"
            )
    return Standing(False, text, by)


# --- a group's quality on the board -------------------------------------------------------


@dataclass(frozen=True)
class QualityCell:
    """One result's figure in a list's quality column."""

    metric: str
    text: str
    value: float | None
    title: str
    on_front: bool
    sort_value: float | None  # higher is better whatever the metric's direction; None: no data (sorts last)
    match: str = "exact"


@dataclass(frozen=True)
class QualityChart:
    """One metric of one rating group: the chart (inline SVG), the front in words, and the note."""

    metric: str
    svg: Markup
    front_text: str
    note: str
    points: int
    results: int
    front: tuple[Point, ...] = ()  # numbered 1… in the chart, from the least energy

    @property
    def front_items(self) -> list[str]:
        """The front's results in words, in the chart's numbering."""
        return [f"{p.label}: {formatting.energy_wh(p.energy_wh_per_1k)} Wh, {value_text(p.value)}" for p in self.front]

    @property
    def image(self) -> Markup:
        """The same SVG as an image (for pages whose HTML takes no inline SVG), its alt text the front."""
        data = base64.b64encode(str(self.svg).encode("utf-8")).decode("ascii")
        return Markup(f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(self.front_text)}">')


def label_of(r: Any) -> str:
    effort = getattr(r, "reasoning_effort", None)
    effort = effort if isinstance(effort, str) and effort else None
    return str(r.model) + (f" ({effort})" if effort else "")


def group_points(group: pd.DataFrame, figures: dict[str, tuple[Figure, ...]], metric: str) -> list[Point]:
    """The results of one rating group that have a figure of ``metric``."""
    points = []
    for r in group.itertuples(index=False):
        figure = next((f for f in figures.get(str(r.run_id), ()) if f.metric.name == metric), None)
        if figure is not None and figure.value is not None:
            points.append(Point(str(r.run_id), label_of(r), float(getattr(r, ENERGY_COLUMN)), figure.value))
    return points


def group_quality(
    group: pd.DataFrame, figures: dict[str, tuple[Figure, ...]], metrics: Sequence[Metric], title: str
) -> tuple[tuple[str, ...], dict[str, tuple[QualityCell, ...]], tuple[QualityChart, ...]]:
    """A whole rating group's quality: the metrics its list shows (those with a figure in the group; the
    task's first where none has one), each result's cells, and a chart per metric with two figures or more."""
    shown = [m for m in metrics if group_points(group, figures, m.name)] or list(metrics[:1])
    cells: dict[str, list[QualityCell]] = {str(r): [] for r in group["run_id"]}
    charts = []
    for metric in shown:
        points = group_points(group, figures, metric.name)
        on_front = {p.run_id for p in front(points, metric.higher_is_better)}
        for run_id in cells:
            figure = next((f for f in figures.get(run_id, ()) if f.metric.name == metric.name), None)
            value = figure.value if figure is not None else None
            cells[run_id].append(
                QualityCell(
                    metric=metric.name,
                    text=figure.text if figure is not None else NO_QUALITY,
                    value=value,
                    title=figure.title if figure is not None else NO_QUALITY,
                    on_front=run_id in on_front,
                    sort_value=None if value is None else (value if metric.higher_is_better else -value),
                    match=figure.match if figure is not None else NO_MATCH,
                )
            )
        if len(points) >= 2:
            charts.append(chart_of(points, metric, title, len(group)))
    return tuple(m.name for m in shown), {k: tuple(v) for k, v in cells.items()}, tuple(charts)


def front_text(points: Sequence[Point], metric: Metric) -> str:
    best = front(points, metric.higher_is_better)
    named = "; ".join(f"{p.label} ({formatting.energy_wh(p.energy_wh_per_1k)} Wh, {value_text(p.value)})" for p in best)
    return (
        f"On the Pareto front ({len(best)} of the {len(points)} results with this metric: none uses less energy "
        f"for a better score), from the least energy: {named}."
    )


def chart_of(points: Sequence[Point], metric: Metric, title: str, results: int) -> QualityChart:
    ordered = front(points, metric.higher_is_better)
    number = {p.run_id: n for n, p in enumerate(ordered, start=1)}
    svg = quality_chart(
        [QualityPoint(p.label, p.energy_wh_per_1k, p.value, number.get(p.run_id)) for p in points],
        metric.name,
        metric.higher_is_better,
        f"{title}: GPU energy against {metric.name}",
    )
    missing = results - len(points)
    note = (
        f"{metric.name}, {metric.direction}; third-party figures measured with other settings than the energy. "
        + (f"{metric.note} " if metric.note else "")
        + (
            f"{formatting.plural(missing, 'result')} of this group with no quality data are not on the chart."
            if missing
            else ""
        )
    )
    return QualityChart(
        metric.name, svg, front_text(points, metric), note.strip(), len(points), results, tuple(ordered)
    )


# --- a model's page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityLine:
    """One result's figure by one metric on its model's page, with where it sits against the group's front."""

    result: str  # 'Text generation · Class A · February 2025 round · NVIDIA H100 80GB'
    record: str
    figure: Figure
    standing: Standing
    per_correct_text: str | None  # 'GPU energy per 1,000 correct answers (Wh): 1.23', rate metrics only


def model_quality(mine: pd.DataFrame, everything: pd.DataFrame, table: QualityTable) -> list[QualityLine]:
    """Every figure of a model's results (``mine``, in its page's order), each placed against the front of
    its own rating group in ``everything`` for its own metric."""
    from leaderboard.groups import group_name
    from leaderboard.links import record_id
    from leaderboard.rating import GroupKey

    if mine.empty:
        return []
    groups = everything[everything["group_key"].isin(set(mine["group_key"]))]
    figures = result_figures(groups, table)
    out = []
    for r in mine.itertuples(index=False):
        group = groups[groups["group_key"] == r.group_key]
        name = group_name(GroupKey.from_id(str(r.group_key)), with_task=True)
        effort = r.reasoning_effort if isinstance(r.reasoning_effort, str) and r.reasoning_effort else None
        result = name + (f" · {effort} effort" if effort else "")
        for figure in figures.get(str(r.run_id), ()):
            points = group_points(group, figures, figure.metric.name)
            point = next((p for p in points if p.run_id == str(r.run_id)), None)
            per = figure.per_correct_wh
            out.append(
                QualityLine(
                    result=result,
                    record=record_id(str(r.run_id)),
                    figure=figure,
                    standing=standing(point, points, figure.metric),
                    per_correct_text=None if per is None else f"{PER_CORRECT_NAME}: {formatting.energy_wh(per)}",
                )
            )
    return out


QUALITY_TEMPLATE = "quality_model.html.j2"


def render_model_quality(lines: list[QualityLine]) -> str:
    """A model's quality figures as an HTML table (templates/quality_model.html.j2); empty where none."""
    if not lines:
        return ""
    from leaderboard.board import environment

    return environment().get_template(QUALITY_TEMPLATE).render(lines=lines, no_quality=NO_QUALITY)


def coverage(frame: pd.DataFrame, table: QualityTable) -> list[tuple[str, str, int, int]]:
    """Per task and round with a quality source: (task, round, results with a figure of any metric, results)."""
    figures = result_figures(frame, table)
    out = []
    for (task, cohort), group in frame.groupby(["task", "cohort"], sort=True):
        if not table.task_metrics(str(task)):
            continue
        with_quality = sum(any(f.value is not None for f in figures[str(r)]) for r in group["run_id"])
        out.append((str(task), str(cohort), with_quality, len(group)))
    return out

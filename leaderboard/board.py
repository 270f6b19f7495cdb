"""A task board as ranked lists: one list per rating group, named and explained in plain words.

Stars and ranks only compare results of one rating group (task, class, round, hardware, harness), so a
board never mixes groups in one list: a view that spans groups is several lists, each titled
("Class A · December 2025 round · NVIDIA H100 80GB") and ranked on its own. The app's board and the
static site render the same lists (``BoardList``) with the same template (``render_list``); only the
links differ, so each passes its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from leaderboard import formatting
from leaderboard.evidence import words as evidence_words
from leaderboard.groups import group_name, is_round_harness
from leaderboard.harnesses import harness_short_name
from leaderboard.links import record_id, status_text
from leaderboard.pareto import QualityCell, QualityChart, group_quality, result_figures
from leaderboard.quality import QualityTable
from leaderboard.rating import ENERGY_COLUMN, KEY_SEPARATOR, P_STAR_COLUMNS, GroupKey
from leaderboard.results import OFFICIAL_STATUSES, Results
from leaderboard.svg_charts import StripRow, strip_chart
from leaderboard.tasks import MAX_STARS
from leaderboard.uncertainty import NOTE_COLUMN, SOURCE_COLUMN, SURE_P, UNKNOWN, likeliest_other, of_values

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
LIST_TEMPLATE = "board_list.html.j2"
MODEL_TEMPLATE = "model_results.html.j2"
OVERVIEW_TEMPLATE = "overview.html.j2"
STYLE_FILE = "board.css"


class Starred:
    """What a row with ``stars`` shows of them: the glyphs, the words a screen reader says, and how sure
    the star is (``p_stars``: P(1..MAX_STARS stars), None where an uncertainty is unknown)."""

    stars: int
    provisional: bool
    p_stars: tuple[float, ...] | None
    uncertainty_text: str  # the energy's uncertainty and its source, in a few words
    uncertainty_detail: str  # … and how it was obtained
    evidence: str  # leaderboard.evidence kind

    @property
    def stars_text(self) -> str:
        return formatting.star_glyphs(self.stars)

    @property
    def stars_label(self) -> str:
        return f"{self.stars} of {MAX_STARS} stars"

    @property
    def p_shown(self) -> float | None:
        return self.p_stars[self.stars - 1] if self.p_stars is not None else None

    @property
    def sure(self) -> bool | None:
        """Whether the star shown is at least ``SURE_P`` likely (None: unknown)."""
        return None if self.p_shown is None else self.p_shown >= SURE_P

    @property
    def likeliest_other(self) -> tuple[int, float] | None:
        """The likeliest star other than the one shown, and its probability."""
        return None if self.p_stars is None else likeliest_other(self.stars, self.p_stars)

    @property
    def sure_note(self) -> str | None:
        """'3★ is 38% likely' where the star is not sure; nothing where it is (or unknown)."""
        other = self.likeliest_other
        if self.sure is not False or other is None:
            return None
        return f"{other[0]}★ is {formatting.percent(other[1])} likely"

    @property
    def sure_title(self) -> str:
        """The star's sureness in a sentence (a tooltip)."""
        if self.p_shown is None:
            return f"How sure this star is cannot be told: the uncertainty is {self.uncertainty_detail}."
        return (
            f"The {self.stars} stars shown are {formatting.percent(self.p_shown)} likely when every result of its "
            f"rating group varies by its uncertainty (this one: {self.uncertainty_detail})."
        )

    @property
    def distribution_text(self) -> str:
        """'5★ 2% · 4★ 60% · 3★ 38%' (stars of 1% or more), or 'unknown'."""
        if self.p_stars is None:
            return "unknown"
        shown = [
            f"{s}★ {formatting.percent(p)}" for s, p in reversed(list(enumerate(self.p_stars, start=1))) if p >= 0.005
        ]
        return " · ".join(shown)

    @property
    def evidence_text(self) -> str:
        return evidence_words(self.evidence)


@dataclass(frozen=True)
class BoardRow(Starred):
    """One result in a list. rank: 1 = the lowest GPU energy of its whole rating group (filters never
    change it); bar_percent: its energy as a share of the highest energy of its whole rating group (0–100),
    so a filter never stretches a bar."""

    rank: int
    model: str
    effort: str | None  # reasoning effort, where the task has one
    run_note: str | None  # 'run 2' for a model published twice in one round
    energy_wh_per_1k: float
    energy_text: str
    bar_percent: float
    stars: int
    status: str
    status_text: str
    provisional: bool
    record: str
    run_id: str
    task: str
    cohort: str
    p_stars: tuple[float, ...] | None
    uncertainty_text: str
    uncertainty_detail: str
    evidence: str
    quality: tuple[QualityCell, ...] = ()  # one cell per metric its list shows (leaderboard.pareto)

    @property
    def counted(self) -> bool:
        """Published or accepted: a result the leaderboard lists as its own."""
        return self.status in OFFICIAL_STATUSES


@dataclass(frozen=True)
class BoardList:
    """The results of one rating group in the view, ranked.

    title: the group in words; caption: what the stars compare, in words; group_size: results in the
    whole group (the view may show fewer, e.g. after a search)."""

    key: str
    title: str
    caption: str
    group_size: int
    rows: tuple[BoardRow, ...]
    headline: str | None  # the spread of the group, where it has two results or more
    model_class: str | None  # the group's class (None: a task without classes)
    cohort: str
    hardware: str
    sureness: str | None = None  # how sure the group's stars are, in a sentence
    quality_metrics: tuple[str, ...] = ()  # the quality columns (none: the task has no quality source)
    quality_charts: tuple[QualityChart, ...] = ()  # energy against quality, one per metric (leaderboard.pareto)


def _sureness(group: pd.DataFrame) -> str | None:
    """How sure a whole group's stars are: how many are not sure, or why that cannot be told."""
    if len(group) < 2:
        return None
    p = group["p_shown"].to_numpy(dtype=float)
    if np.isnan(p).any():
        unknown = group[group[SOURCE_COLUMN] == UNKNOWN]
        note = str(unknown[NOTE_COLUMN].iloc[0]) if len(unknown) else ""
        return "How sure these stars are is unknown" + (f" ({note})." if note else ".")
    unsure = int(np.count_nonzero(p < SURE_P))
    if unsure == 0:
        return f"Every star here is at least {formatting.percent(SURE_P)} likely under the measured uncertainties."
    return (
        f"{unsure} of {len(group)} stars are less than {formatting.percent(SURE_P)} likely: a repeat measurement "
        "could change them (marked with the likeliest other star)."
    )


def _caption(size: int, shown: int, model_class: object, cohort: str, hardware: str) -> str:
    where = f"of class {model_class} " if isinstance(model_class, str) and model_class else ""
    if size == 1:
        text = (
            f"The only result {where}in the {formatting.month_name(cohort)} round on {hardware}: nothing to compare "
            f"it with, so its {MAX_STARS} stars are provisional."
        )
    else:
        text = (
            f"Stars and ranks compare these {size} results {where}in the {formatting.month_name(cohort)} round on "
            f"{hardware}."
        )
    if shown < size:
        text += f" Showing {shown} of them (filtered)."
    return text


def board_lists(
    view: Results, scope: Results, *, sort: str = "asc", quality: QualityTable | None = None
) -> list[BoardList]:
    """The view's results as one ranked list per rating group.

    ``scope`` holds the whole groups the view was cut from (ranks and group sizes count them all).
    Lists come in the order a reader wants them: the latest round first, then class, then hardware;
    rows within a list by GPU energy in ``sort`` order ('asc': lowest first; 'quality': the best figure of
    the first quality column first, results without one last). ``quality``: the quality table, where a
    task has a source its lists get quality columns and charts (fronts over the whole group)."""
    if view.frame.empty:
        return []
    view = view.sorted("asc" if sort == QUALITY_SORT else sort)
    figures = result_figures(scope.frame, quality) if quality is not None else {}
    frame = view.frame
    keys = frame["group_key"]
    scope_frame = scope.frame
    scope_keys = scope_frame["group_key"]
    ranks = scope_frame[ENERGY_COLUMN].groupby(scope_keys).rank(method="min", ascending=True)
    rank_of = dict(zip(scope_frame["run_id"], ranks.fillna(0).astype(int), strict=True))
    size_of = scope_keys.value_counts().to_dict()

    lists: list[tuple[tuple[str, str, str, str], BoardList]] = []
    for key in dict.fromkeys(keys):
        rows = frame[(keys == key).to_numpy()]
        first = rows.iloc[0]
        model_class = first["model_class"] if isinstance(first["model_class"], str) else None
        cohort, hardware = str(first["cohort"]), str(first["hardware"])
        size = int(size_of.get(key, len(rows)))
        board_rows = _rows(rows, rank_of)
        in_group = scope.frame[(scope_keys == key).to_numpy()][ENERGY_COLUMN]
        headline = None
        if len(in_group) >= 2 and float(in_group.min()) > 0:
            lo, hi = float(in_group.min()), float(in_group.max())
            headline = (
                f"The most energy-hungry uses {formatting.ratio(hi / lo)} the GPU energy of the most efficient "
                f"({formatting.energy_wh(hi)} vs {formatting.energy_wh(lo)} Wh per 1,000 queries)."
            )
        group = GroupKey.from_id(str(key))
        metrics = quality.task_metrics(group.task) if quality is not None else ()
        quality_columns: tuple[str, ...] = ()
        charts: tuple[QualityChart, ...] = ()
        if quality is not None and metrics:
            whole = scope_frame[(scope_keys == key).to_numpy()]
            quality_columns, cells, charts = group_quality(
                whole, figures, [quality.metric(m) for m in metrics], group_name(group, with_task=True)
            )
            board_rows = tuple(replace(r, quality=cells.get(r.run_id, ())) for r in board_rows)
            if sort == QUALITY_SORT:
                board_rows = _by_quality(board_rows)
        board_list = BoardList(
            key=str(key).replace(KEY_SEPARATOR, " | "),
            title=group_name(group),
            caption=_caption(size, len(board_rows), model_class, cohort, hardware),
            group_size=size,
            rows=board_rows,
            headline=headline,
            model_class=model_class,
            cohort=cohort,
            hardware=hardware,
            sureness=_sureness(scope_frame[(scope_keys == key).to_numpy()]),
            quality_metrics=quality_columns,
            quality_charts=charts,
        )
        counted = bool(rows["status"].isin(OFFICIAL_STATUSES).any())
        # Sort key: lists of the leaderboard's own results first, then the latest round, class, hardware.
        order = ("0" if counted else "1", _descending(cohort), model_class or "", hardware)
        lists.append((order, board_list))
    return [b for _, b in sorted(lists, key=lambda item: item[0])]


QUALITY_SORT = "quality"


def _by_quality(rows: tuple[BoardRow, ...]) -> tuple[BoardRow, ...]:
    """Rows by their first quality column, best first (in the metric's direction); rows without a figure
    last, whatever the order, then by energy: a result without quality is never ranked best."""

    def key(row: BoardRow) -> tuple[int, float, float]:
        value = row.quality[0].sort_value if row.quality else None
        return (1, 0.0, row.energy_wh_per_1k) if value is None else (0, -value, row.energy_wh_per_1k)

    return tuple(sorted(rows, key=key))


def _descending(cohort: str) -> str:
    """A key that sorts 'YYYY-MM' cohorts latest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in cohort)


def _rows(rows: pd.DataFrame, rank_of: dict[str, int]) -> tuple[BoardRow, ...]:
    highest = float(rows["group_max_wh_per_1k"].max())  # the group's, whatever the filters show
    out = []
    for r in rows.itertuples():
        energy = float(getattr(r, ENERGY_COLUMN))
        effort = r.reasoning_effort if isinstance(r.reasoning_effort, str) and r.reasoning_effort else None
        _, _, run = str(r.run_id).rpartition("#")
        p_stars, uncertainty_text, uncertainty_detail, evidence = _trust(r)
        out.append(
            BoardRow(
                rank=int(rank_of.get(str(r.run_id), 0)),
                model=str(r.model),
                effort=effort,
                run_note=f"run {run}" if run.isdigit() else None,
                energy_wh_per_1k=energy,
                energy_text=formatting.energy_wh(energy),
                bar_percent=round(100.0 * energy / highest, 1) if highest > 0 else 0.0,
                stars=int(cast(int, r.stars)),
                status=str(r.status),
                status_text=status_text(str(r.status)),
                provisional=bool(r.provisional),
                record=record_id(str(r.run_id)),
                run_id=str(r.run_id),
                task=str(r.task),
                cohort=str(r.cohort),
                p_stars=p_stars,
                uncertainty_text=uncertainty_text,
                uncertainty_detail=uncertainty_detail,
                evidence=evidence,
            )
        )
    return tuple(out)


def _trust(r: Any) -> tuple[tuple[float, ...] | None, str, str, str]:
    """A frame row's (``itertuples``) star probabilities, uncertainty in words (short, detailed) and evidence."""
    p = tuple(float(getattr(r, c)) for c in P_STAR_COLUMNS)
    u = of_values(r.energy_rel_uncertainty, r.uncertainty_source, r.uncertainty_n, r.uncertainty_note)
    return (None if any(math.isnan(x) for x in p) else p), u.words(), u.detail(), str(r.evidence)


# --- rendering ----------------------------------------------------------------------------


def breakable(text: object) -> Markup:
    """Escaped text that a narrow column may break after '/' and '_' (model ids), not in mid-word."""
    return Markup(str(escape(str(text))).replace("/", "/<wbr>").replace("_", "_<wbr>"))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["breakable"] = breakable
    return env


@lru_cache(maxsize=1)
def style() -> str:
    """The lists' stylesheet (CSS), shared by the app and the site."""
    return (TEMPLATES / STYLE_FILE).read_text(encoding="utf-8")


def render_list(
    board_list: BoardList,
    *,
    model_href: Callable[[BoardRow], str],
    label_href: Callable[[BoardRow], str],
    heading_level: int = 3,
    inline_svg: bool = True,
) -> str:
    """One list as an HTML section: its title, caption and a table (rank, model, GPU energy, stars,
    quality where the task has a source, label), then its quality charts (inline SVG, or as images where
    ``inline_svg`` is False: pages whose HTML takes no inline SVG). Every text from the data is escaped;
    the links come from the caller."""
    return (
        environment()
        .get_template(LIST_TEMPLATE)
        .render(
            board=board_list,
            model_href=model_href,
            label_href=label_href,
            heading=f"h{max(2, min(6, heading_level))}",
            max_stars=MAX_STARS,
            inline_svg=inline_svg,
        )
    )


# --- a model's results (its page) ---------------------------------------------------------


@dataclass(frozen=True)
class ModelResult(Starred):
    """One result on a model's page, with what a reader needs to tell it from the others: its task (and
    effort), round, hardware, status, and where it stands in its rating group (rank of group_size)."""

    title: str  # 'Reasoning (high effort)'
    where: str  # 'February 2025 round · NVIDIA H100 80GB' (+ the harness where it is not the round's)
    energy_wh_per_1k: float
    energy_text: str
    stars: int
    rank: int
    group_size: int
    status: str
    status_text: str
    provisional: bool
    record: str
    run_id: str
    task: str
    cohort: str
    hardware: str
    effort: str | None
    harness_note: str | None  # the harness's short name where it is not the round's
    p_stars: tuple[float, ...] | None
    uncertainty_text: str
    uncertainty_detail: str
    evidence: str

    def chart_label(self, *, with_task: bool) -> str:
        """'2026-11 · NVIDIA H200 · runner, CUDA graph': round, hardware, the harness where it is not the
        round's; the task (and effort) first when the model has results in several tasks."""
        parts = [self.title] if with_task else ([self.effort] if self.effort else [])
        parts += [self.cohort, self.hardware]
        if self.harness_note:
            parts.append(self.harness_note)
        return " · ".join(parts)


def history_chart(model: str, rows: list[ModelResult]) -> str:
    """A model's results across rounds as an inline SVG (``svg_charts.strip_chart``): one dot per result on a
    log axis of GPU energy, with its energy and stars; empty where all its results share one round."""
    if len({r.cohort for r in rows}) < 2:
        return ""
    several_tasks = len({r.task for r in rows}) > 1
    return str(
        strip_chart(
            [
                StripRow(
                    r.chart_label(with_task=several_tasks),
                    r.energy_wh_per_1k,
                    r.energy_wh_per_1k,
                    f"{formatting.energy_short(r.energy_wh_per_1k)} Wh · {r.stars_text}",
                )
                for r in rows
            ],
            f"GPU energy of {model} across rounds (Wh per 1,000 queries, log scale)",
        )
    )


def model_results(mine: Results, everything: Results) -> list[ModelResult]:
    """A model's results in ``mine``'s order, ranked within their whole rating groups of ``everything``."""
    if mine.frame.empty:
        return []
    frame = everything.frame
    keys = frame["group_key"]
    ranks = frame[ENERGY_COLUMN].groupby(keys).rank(method="min", ascending=True).fillna(0).astype(int)
    rank_of = dict(zip(frame["run_id"], ranks, strict=True))
    size_of = dict(zip(frame["run_id"], keys.map(keys.value_counts()), strict=True))
    out = []
    for r in mine.frame.itertuples():
        effort = r.reasoning_effort if isinstance(r.reasoning_effort, str) and r.reasoning_effort else None
        harness = r.harness if isinstance(r.harness, str) else None
        title = formatting.task_name(str(r.task)) + (f" ({effort} effort)" if effort else "")
        where = group_name(GroupKey.from_id(str(r.group_key)))
        energy = float(getattr(r, ENERGY_COLUMN))
        p_stars, uncertainty_text, uncertainty_detail, evidence = _trust(r)
        out.append(
            ModelResult(
                title=title,
                where=where,
                energy_wh_per_1k=energy,
                energy_text=formatting.energy_wh(energy),
                stars=int(cast(int, r.stars)),
                rank=int(rank_of.get(r.run_id, 0)),
                group_size=int(size_of.get(r.run_id, 1)),
                status=str(r.status),
                status_text=status_text(str(r.status)),
                provisional=bool(r.provisional),
                record=record_id(str(r.run_id)),
                run_id=str(r.run_id),
                task=str(r.task),
                cohort=str(r.cohort),
                hardware=str(r.hardware),
                effort=effort,
                harness_note=None
                if is_round_harness(str(r.task), str(r.cohort), harness)
                else harness_short_name(harness),
                p_stars=p_stars,
                uncertainty_text=uncertainty_text,
                uncertainty_detail=uncertainty_detail,
                evidence=evidence,
            )
        )
    return out


def render_model_results(rows: list[ModelResult], *, focus: str | None = None) -> str:
    """A model's results as an HTML table (templates/model_results.html.j2); ``focus``: a record id to mark."""
    return environment().get_template(MODEL_TEMPLATE).render(rows=rows, focus=focus, max_stars=MAX_STARS)


# --- every task (the overview) --------------------------------------------------------------


@dataclass(frozen=True)
class TaskSummary:
    """One task of a view: how many models and results, its GPU energy range (Wh per 1,000 queries) and
    its most efficient model."""

    task: str
    name: str
    models: int
    results: int
    lowest_wh_per_1k: float
    highest_wh_per_1k: float
    best_model: str

    @property
    def lowest_text(self) -> str:
        return formatting.energy_wh(self.lowest_wh_per_1k)

    @property
    def highest_text(self) -> str:
        return formatting.energy_wh(self.highest_wh_per_1k)


def task_summaries(view: Results) -> list[TaskSummary]:
    """The view's tasks in the registry's order (``Results.overview``, as records)."""
    return [
        TaskSummary(
            task=str(r["task"]),
            name=str(r["Task"]),
            models=int(r["Models"]),
            results=int(r["Results"]),
            lowest_wh_per_1k=float(r["Lowest GPU energy (Wh/1k queries)"]),
            highest_wh_per_1k=float(r["Highest GPU energy (Wh/1k queries)"]),
            best_model=str(r["Most efficient model"]),
        )
        for r in view.overview().to_dict("records")
    ]


def render_overview(
    tasks: list[TaskSummary],
    *,
    task_href: Callable[[TaskSummary], str],
    model_href: Callable[[TaskSummary], str],
) -> str:
    """Every task as an HTML table (templates/overview.html.j2); the links come from the caller."""
    return environment().get_template(OVERVIEW_TEMPLATE).render(tasks=tasks, task_href=task_href, model_href=model_href)

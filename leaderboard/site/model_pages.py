"""What a model page of the static site holds, as typed records, from the same functions as the app's
model page: its results in ``Results.published_first`` order (the official published result first),
each with its rating group, rank and status; its labels with the stable address for model cards; the
energy disclosure of its first result (``leaderboard.disclosure``); its energy at scale (``leaderboard.impact``); and a citation (``leaderboard.citation``)."""

from __future__ import annotations

from dataclasses import dataclass

from label.embed import Embed, embed_snippets
from label.model import label_for_row
from leaderboard import disclosure, impact
from leaderboard.board import history_chart, model_results, render_model_results
from leaderboard.citation import CitedResult, bibtex
from leaderboard.formatting import energy_wh, month_name, plural, run_label, star_glyphs, task_name
from leaderboard.links import status_text
from leaderboard.pareto import model_quality, render_model_quality
from leaderboard.quality import QualityTable
from leaderboard.rating import ENERGY_COLUMN
from leaderboard.results import Results
from leaderboard.site import paths
from leaderboard.tasks import MAX_STARS

# Query volumes the energy-at-scale table shows (queries per day).
SCALE_VOLUMES = (10_000, impact.DEFAULT_QUERIES_PER_DAY, 100_000_000)
SCALE_NOTE = (
    "GPU energy per year = Wh per 1,000 queries × queries per day ÷ 1,000 × 365 ÷ 1,000; at the meter = GPU energy × "
    f"PUE ({impact.DEFAULT_PUE}: {impact.PUE_SOURCE}); emissions = energy at the meter × grid carbon intensity "
    f"({impact.DEFAULT_GRID_G_PER_KWH:g} g CO₂e/kWh: {impact.GRID_SOURCE}). The score counts GPU energy only (no CPU, "
    "memory or network), so these are lower bounds. The app's model page takes your own volume, PUE and grid."
)


DISCLOSURE_TITLES = (
    "Model card (YAML metadata and Markdown)",
    "SPDX 3.0 energyConsumption (JSON-LD)",
    "EU AI Act, Annex XI 1(2)(e)",
)


@dataclass(frozen=True)
class LabelledResult:
    """One result of a model with its labels' addresses (record and stable), for the page's labels,
    chart and energy at scale (its results table is ``leaderboard.board``'s)."""

    record: str
    run_id: str
    task: str
    task_name: str
    effort: str | None
    cohort: str
    hardware: str
    energy_text: str
    stars: int
    stars_text: str
    provisional: bool
    status: str
    status_text: str
    official: bool
    label_svg: str
    label_png: str
    stable_svg: str | None
    stable_png: str | None


@dataclass(frozen=True)
class ScaleRow:
    queries_per_day: int
    gpu_kwh: str
    meter_kwh: str
    kg_co2e: str


@dataclass(frozen=True)
class ModelPage:
    model: str
    path: str
    summary: str
    results: tuple[LabelledResult, ...]
    embeds: tuple[tuple[LabelledResult, Embed], ...]
    chart: str
    scale_of: LabelledResult
    scale: tuple[ScaleRow, ...]
    citation: str
    has_effort: bool
    has_estimates: bool
    results_table: str  # the results as the app shows them (leaderboard.board.render_model_results)
    disclosure: tuple[
        tuple[str, str, str], ...
    ] = ()  # (format, title, text) of the first result (leaderboard.disclosure)
    quality_table: str = ""  # its quality figures and place against each group's front (leaderboard.pareto)


def stable_labels(results: Results, official_hardware: str) -> dict[str, tuple[str, str | None, str]]:
    """Each model's current official label per task (and effort): run id -> (model, effort, task) of
    the result a stable label URL shows. It is the first result of ``published_first`` among the
    model's results of that task and effort, when that result is on the official board."""
    on_board = set(results.official(official_hardware).frame["run_id"])
    ordered = results.published_first(official_hardware).frame
    chosen: dict[tuple[str, str, str | None], str] = {}
    for run_id, model, task, effort in zip(
        ordered["run_id"], ordered["model"], ordered["task"], ordered["reasoning_effort"], strict=True
    ):
        key = (str(model), str(task), effort if isinstance(effort, str) and effort else None)
        if key not in chosen:
            chosen[key] = str(run_id)
    return {run: (model, effort, task) for (model, task, effort), run in chosen.items() if run in on_board}


def model_page(
    results: Results,
    model: str,
    official_hardware: str,
    public_url: str,
    stable: dict[str, tuple[str, str | None, str]],
    quality: QualityTable | None = None,
) -> ModelPage:
    """The page of ``model`` (which has at least one result in ``results``)."""
    mine = results.model(model).published_first(official_hardware)
    on_board = set(mine.official(official_hardware).frame["run_id"])
    table = mine.table()
    rows: list[LabelledResult] = []
    for r in table.to_dict("records"):
        run_id, record = str(r["run_id"]), str(r["record"])
        effort = r["reasoning_effort"] if isinstance(r["reasoning_effort"], str) and r["reasoning_effort"] else None
        stable_key = stable.get(run_id)
        rows.append(
            LabelledResult(
                record=record,
                run_id=run_id,
                task=str(r["task"]),
                task_name=task_name(str(r["task"])),
                effort=effort,
                cohort=str(r["cohort"]),
                hardware=str(r["hardware"]),
                energy_text=energy_wh(float(r[ENERGY_COLUMN])),
                stars=int(r["stars"]),
                stars_text=star_glyphs(int(r["stars"])),
                provisional=bool(r["provisional"]),
                status=str(r["status"]),
                status_text=status_text(str(r["status"])),
                official=run_id in on_board,
                label_svg=paths.record_label(record, "svg"),
                label_png=paths.record_label(record, "png"),
                stable_svg=paths.stable_label(model, str(r["task"]), effort, "svg") if stable_key else None,
                stable_png=paths.stable_label(model, str(r["task"]), effort, "png") if stable_key else None,
            )
        )
    page_url = paths.public(public_url, paths.model_page(model))
    embeds = tuple(
        (
            row,
            embed_snippets(
                run_label(model, row.effort), paths.public(public_url, row.stable_png or row.label_png), page_url
            ),
        )
        for row in rows
    )
    first = rows[0]
    energy = float(mine.frame[ENERGY_COLUMN].iloc[0])
    scale = tuple(ScaleRow(q, *(f"{v:,.1f}" for v in _year(impact.at_scale(energy, float(q))))) for q in SCALE_VOLUMES)
    first_row = mine.frame.iloc[0]
    citation = bibtex(
        CitedResult(
            model=model,
            task=first.task,
            energy_wh_per_1k=energy,
            hardware=first.hardware,
            stars=first.stars,
            cohort=first.cohort,
            record=first.record,
            link=label_for_row(first_row, public_url).link,
        )
    )
    listed = model_results(mine, results)
    disclosed = disclosure.disclose(
        results, first_row, public_url, paths.public(public_url, first.stable_png or first.label_png)
    )
    return ModelPage(
        model=model,
        path=paths.model_page(model),
        summary=(
            f"{plural(len(rows), 'result')} in {plural(len(mine.tasks()), 'task')} · GPU energy per 1,000 queries, "
            f"rated 1–{MAX_STARS} stars within each rating group."
        ),
        results=tuple(rows),
        embeds=embeds,
        chart=history_chart(model, listed),
        scale_of=first,
        scale=scale,
        citation=citation,
        has_effort=any(row.effort for row in rows),
        has_estimates=any(row.status == "random weights" for row in rows),
        results_table=render_model_results(listed),
        disclosure=tuple(
            (fmt, title, disclosure.render(disclosed, fmt))
            for fmt, title in zip(disclosure.FORMATS, DISCLOSURE_TITLES, strict=True)
        ),
        quality_table=render_model_quality(model_quality(mine.frame, results.frame, quality)) if quality else "",
    )


def _year(scale: impact.AtScale) -> tuple[float, float, float]:
    return scale.gpu_kwh_per_year, scale.meter_kwh_per_year, scale.kg_co2e_per_year


def round_name(cohort: str) -> str:
    return f"{month_name(cohort)} round"

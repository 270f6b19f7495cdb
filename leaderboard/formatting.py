"""Number and text formatting in one place (SPEC §3: two decimals, thousands separators)."""

from __future__ import annotations

import html
import math

from leaderboard.tasks import MAX_STARS, TASKS_BY_ID


def energy_wh(value: float) -> str:
    """GPU energy in Wh, two decimals with thousands separators: 3426.4 -> '3,426.40'.

    Values under 0.01 keep two significant digits so that they never show as 0.00.
    """
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"energy {value!r} is not a finite number")
    if 0 < abs(value) < 0.01:
        return f"{value:.2g}"
    return f"{value:,.2f}"


def energy_short(value: float) -> str:
    """Energy for tight spaces (chart labels): 1234.6 -> '1,235', 12.345 -> '12.3', 0.1234 -> '0.12'."""
    value = float(value)
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 1:
        return f"{value:.3g}"
    return f"{value:.2g}"


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """'1 result', '2 results', '1,000 queries' (with ``plural_form`` for irregular nouns)."""
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count:,} {word}"


def star_glyphs(stars: int) -> str:
    """``MAX_STARS`` glyphs, filled then empty: 3 -> '★★★☆☆'."""
    stars = int(stars)
    return "★" * stars + "☆" * (MAX_STARS - stars)


def ratio(value: float) -> str:
    """A ratio for prose: 1234.6 -> '1,235×', 12.34 -> '12.3×'."""
    return f"{value:,.0f}×" if value >= 100 else f"{value:,.1f}×"


def task_name(task_id: str) -> str:
    task = TASKS_BY_ID.get(task_id)
    return task.display_name if task else task_id


def run_label(model: str, reasoning_effort: str | None = None) -> str:
    """A result's model with its reasoning effort, if any: 'openai/gpt-oss-20b (low)'."""
    return f"{model} ({reasoning_effort})" if isinstance(reasoning_effort, str) and reasoning_effort else model


def result_title(run_id: str, model: str, reasoning_effort: str | None = None) -> str:
    """A result's name, unique within its task and cohort: model, effort, and the run number of a
    model published twice ('facebook/detr-resnet-50-dc5 (run 2)')."""
    title = run_label(model, reasoning_effort)
    _, _, run = run_id.rpartition("#")
    return f"{title} (run {run})" if run.isdigit() else title


def month_name(yyyy_mm: str) -> str:
    """'2025-02' -> 'February 2025'."""
    import calendar

    year, month = yyyy_mm.split("-")
    return f"{calendar.month_name[int(month)]} {year}"


def chart_text(value: object) -> str:
    """Text from the data (a model id, a board's name) for a Plotly chart's titles, labels, legends and
    hover texts. Plotly reads a subset of HTML in all of them (``<a href>``, ``<b>``, ``<br>``, entities):
    ``&``, ``<`` and ``>`` become entities, so the text shows as written and never as markup."""
    return html.escape(str(value), quote=False)


def percent(p: float) -> str:
    """A probability in whole per cent, never rounded to a certainty it is not: 0.384 -> '38%',
    0.003 -> '<1%', 0.997 -> '>99%', 1.0 -> '100%'."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p * 100:.0f}%"

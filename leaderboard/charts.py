"""Pure chart builders: results in, plotly figures out. Every axis and tooltip names its unit.

Every text that comes from the data (model ids, boards, cohorts) goes through
``formatting.chart_text`` on its way into a figure, titles, labels, legends and hover texts alike:
Plotly reads HTML in them. No such text is ever part of a hover template (``%{…}`` would be read).
"""

from __future__ import annotations

import math
from typing import Any

import plotly.graph_objects as go

from leaderboard.formatting import chart_text, energy_short, run_label, star_glyphs, task_name
from leaderboard.groups import group_parts
from leaderboard.rating import ENERGY_COLUMN, RULE, GroupKey
from leaderboard.results import Results
from leaderboard.tasks import TASKS_BY_ID

# On two short lines: centred under a phone's narrow plot, one long line runs off its right edge.
ENERGY_AXIS = "GPU energy (log scale)<br>Wh per 1,000 queries"
# How a chart is shown (st.plotly_chart's config): no mode bar, whose buttons would cover a panel's title.
CONFIG = {"displayModeBar": False}
# Log-axis ticks at 1, 2, 5 of each power of ten while the axis spans at most MAX_DECADES_FOR_125 of
# them, at 1, 3 up to MAX_DECADES_FOR_13, else at the powers of ten alone (a phone has no room for
# more); explicit values, never Plotly's own log ticks, whose minor labels read "2" for 20.
MAX_DECADES_FOR_125 = 2.0
MAX_DECADES_FOR_13 = 3.5
BOTTOM_MARGIN_PX = 60  # room for the energy axis's ticks and title
BOX_COLOUR = "#2f6f9f"  # every task's box and points: one colour that reads on white (no pale default)


def log_ticks(lo: float, hi: float) -> dict[str, list[Any]]:
    """``tickvals`` and ``ticktext`` of a log axis from ``lo`` to ``hi`` (Wh per 1,000 queries): 1, 2, 5, 10,
    20, 50 … (1, 3, 10, 30 … or 1, 10, 100 … over wider axes: see the constants), each labelled in full with
    its unit ('20 Wh', '0.5 Wh', '1,000 Wh')."""
    if not (lo > 0 and hi >= lo and math.isfinite(hi)):
        return {"tickvals": [], "ticktext": []}
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    decades = math.log10(hi / lo)
    steps = (1, 2, 5) if decades <= MAX_DECADES_FOR_125 else (1, 3) if decades <= MAX_DECADES_FOR_13 else (1,)
    values = [m * 10.0**e for e in range(first, last + 1) for m in steps]
    values = [v for v in values if lo <= v <= hi]
    if len(values) < 2:  # a narrow axis: its ends, rounded
        values = sorted({float(energy_short(lo).replace(",", "")), float(energy_short(hi).replace(",", ""))})
    return {"tickvals": values, "ticktext": [f"{energy_short(v)} Wh" for v in values]}


STAR_COLOURS = {5: "#3EA45A", 4: "#8CC152", 3: "#F2C94C", 2: "#F2994A", 1: "#D64541"}


def group_label(key: GroupKey) -> str:
    """A panel's title: the rating group in words (``groups.group_parts``) on two short lines, so a phone
    does not clip it: class and round, then the hardware (and the harness where it is not the round's)."""
    parts = [chart_text(p) for p in group_parts(key)]
    split = 2 if key.model_class else 1
    return f"<b>{' · '.join(parts[:split])}</b><br>{' · '.join(parts[split:])}"


def edges_line(edges: list[float]) -> str:
    """The star band edges of a panel, in one short line under its title (a phone has no room to label
    each dotted line; equal-width bands crowd at the top of a log axis)."""
    return (
        "<span style='font-size:10px;color:#555'>star bands end at "
        + " · ".join(energy_short(e) for e in edges)
        + " Wh</span>"
    )


def task_chart(results: Results) -> go.Figure:
    """Horizontal bars of GPU energy per model (log axis), coloured by stars, one panel per
    rating group, with the group's band edges drawn as dotted lines.

    Built as one dict and validated once: plotly's incremental ``add_trace``/``add_vline``
    calls cost ~10x more, which a rerun of the page would pay on every filter change.
    """
    frame = results.sorted("asc").frame.copy()
    # Panels in the board's order: the latest round first, then class, hardware (bars by energy within each).
    frame = frame.assign(_class=frame["model_class"].astype("string").fillna("")).sort_values(
        ["cohort", "_class", "hardware"], ascending=[False, True, True], kind="stable"
    )
    frame["group"] = frame["group_key"]  # one panel per rating group, found by its identity
    frame["label"] = [
        chart_text(run_label(m, e)) for m, e in zip(frame["model"], frame["reasoning_effort"], strict=True)
    ]
    groups = list(dict.fromkeys(frame["group"]))
    sizes = [int((frame["group"] == g).sum()) for g in groups]
    gap = 110.0  # px between panels, room for the axis ticks above and the panel title (three short lines)
    row_px = 22.0
    height = 90 + row_px * sum(sizes) + gap * len(groups)
    traces: list[go.Bar] = []
    shapes: list[dict[str, object]] = []
    annotations: list[dict[str, object]] = []
    layout: dict[str, Any] = {}
    top = 1.0
    # The shared log axis, with room for the bars' star text.
    axis_lo = float(frame[ENERGY_COLUMN].min()) / 1.3 if len(frame) else 0.1
    axis_hi = float(frame[ENERGY_COLUMN].max()) * 1.6 if len(frame) else 1.0
    for i, (group, size) in enumerate(zip(groups, sizes, strict=True), start=1):
        axis = "" if i == 1 else str(i)
        span = row_px * size / height
        top -= (gap - 20) / height
        domain = [max(top - span, 0.0), top]
        top = domain[0]
        sub = frame[frame["group"] == group]
        for stars in sorted(sub["stars"].unique(), reverse=True):
            part = sub[sub["stars"] == stars]
            traces.append(
                dict(
                    type="bar",
                    orientation="h",
                    x=part[ENERGY_COLUMN].tolist(),
                    y=part["label"].tolist(),
                    xaxis=f"x{axis}",
                    yaxis=f"y{axis}",
                    name=star_glyphs(stars),
                    showlegend=False,  # each bar says its stars: no legend to crowd a phone
                    marker=dict(color=STAR_COLOURS[int(stars)]),
                    customdata=[
                        [chart_text(c), chart_text(h)] for c, h in zip(part["cohort"], part["hardware"], strict=True)
                    ],
                    text=[f"{int(stars)}★"] * len(part),
                    textposition="outside",
                    cliponaxis=False,
                    hovertemplate="%{y}<br>%{x:,.4f} Wh per 1,000 queries<br>"
                    + star_glyphs(stars)
                    + "<br>%{customdata[0]} · %{customdata[1]}<extra></extra>",
                )
            )
        layout[f"yaxis{axis}"] = dict(
            domain=domain,
            anchor=f"x{axis}",
            categoryorder="array",
            categoryarray=list(sub["label"])[::-1],
            automargin=True,
        )
        layout[f"xaxis{axis}"] = dict(
            type="log",
            anchor=f"y{axis}",
            range=[math.log10(axis_lo), math.log10(axis_hi)],
            title=dict(text=ENERGY_AXIS if i == len(groups) else ""),
            automargin=True,
            **log_ticks(axis_lo, axis_hi),
        )
        layout[f"yaxis{axis}"]["tickfont"] = dict(size=11)
        if i > 1:
            layout[f"xaxis{axis}"]["matches"] = "x"
        lo, hi = float(sub["group_min_wh_per_1k"].iloc[0]), float(sub["group_max_wh_per_1k"].iloc[0])
        edges = RULE.edges(lo, hi)
        title = group_label(GroupKey.from_id(str(group)))
        annotations.append(
            dict(
                text=title + (f"<br>{edges_line(edges)}" if edges else ""),
                # Right-aligned to the plot: a long title runs left over the model names, never off the chart.
                x=1,
                y=domain[1],
                xref="paper",
                yref="paper",
                xanchor="right",
                yanchor="bottom",
                yshift=4,
                align="right",
                showarrow=False,
                font=dict(size=12),
            )
        )
        for edge in edges:
            shapes.append(
                dict(
                    type="line",
                    x0=edge,
                    x1=edge,
                    y0=0,
                    y1=1,
                    xref=f"x{axis}",
                    yref=f"y{axis} domain",
                    line=dict(dash="dot", color="#888", width=1),
                )
            )
    layout.update(
        height=int(min(max(height, 200), 3000)) + BOTTOM_MARGIN_PX,
        barmode="overlay",
        showlegend=False,
        margin=dict(l=10, r=10, t=10, b=BOTTOM_MARGIN_PX),
        shapes=shapes,
        annotations=annotations,
    )
    return go.Figure(dict(data=traces, layout=layout))


def distribution_chart(results: Results) -> go.Figure:
    """GPU energy distribution per task (log axis): a box with every result as a point."""
    fig = go.Figure()
    for task_id in results.tasks():
        sub = results.task(task_id).frame
        fig.add_trace(
            go.Box(
                x=sub[ENERGY_COLUMN],
                name=TASKS_BY_ID[task_id].display_name,
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                text=[chart_text(m) for m in sub["model"]],
                orientation="h",
                # Wide, outlined boxes and large points: a task whose results lie close together stays visible.
                width=0.7,
                line=dict(width=2, color=BOX_COLOUR),
                fillcolor="rgba(47, 111, 159, 0.25)",
                marker=dict(size=7, opacity=0.8, color=BOX_COLOUR),
                hovertemplate="%{text}<br>%{x:,.4f} Wh per 1,000 queries<extra>%{fullData.name}</extra>",
            )
        )
    rng = results.energy_range()
    fig.update_xaxes(type="log", title_text=ENERGY_AXIS, automargin=True, **(log_ticks(rng[0], rng[1]) if rng else {}))
    fig.update_yaxes(automargin=True)
    fig.update_layout(
        showlegend=False,
        height=120 + BOTTOM_MARGIN_PX + 50 * max(len(results.tasks()), 1),
        margin=dict(l=10, r=10, t=10, b=BOTTOM_MARGIN_PX),
    )
    return fig


def compare_chart(results: Results) -> go.Figure:
    """Side-by-side bars of the picked results' GPU energy (log axis)."""
    frame = results.sorted("asc").frame
    labels = [
        chart_text(
            f"{run_label(str(model), effort if isinstance(effort, str) else None)} · {task_name(str(task))} · {cohort}"
        )
        for model, effort, task, cohort in zip(
            frame["model"], frame["reasoning_effort"], frame["task"], frame["cohort"], strict=True
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=frame[ENERGY_COLUMN],
            marker_color=[STAR_COLOURS[int(s)] for s in frame["stars"]],
            text=[f"{v:,.2f} Wh" for v in frame[ENERGY_COLUMN]],
            textposition="outside",
            hovertemplate="%{x}<br>%{y:,.4f} Wh per 1,000 queries<extra></extra>",
        )
    )
    rng = results.energy_range()
    fig.update_yaxes(
        type="log", title_text=ENERGY_AXIS, automargin=True, **(log_ticks(rng[0] / 1.5, rng[1] * 1.5) if rng else {})
    )
    fig.update_xaxes(automargin=True)
    fig.update_layout(height=420, margin=dict(l=10, r=10, t=30, b=BOTTOM_MARGIN_PX))
    return fig

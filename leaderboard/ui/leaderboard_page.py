"""Leaderboard page: pick a task, filter, read the rated table and charts, share the view."""

from __future__ import annotations

import io
from urllib.parse import quote, urlencode

import streamlit as st

from leaderboard import charts, formatting
from leaderboard.results import csv_safe
from leaderboard.tasks import TASK_IDS, TASKS_BY_ID
from leaderboard.ui.data import loaded
from leaderboard.ui.filters import apply_filters, sanitize

ENERGY_HEADER = "GPU energy (Wh/1k queries)"
COLUMNS = {
    "rank": st.column_config.NumberColumn("Rank", help="1 = lowest GPU energy in this view", width=50),
    "model_url": st.column_config.LinkColumn(
        "Model",
        width=220,
        display_text=r"https://huggingface\.co/(.*)",
        help="Opens the model's page on the Hugging Face Hub",
    ),
    "provider": st.column_config.TextColumn("Provider", width=100),
    "task": st.column_config.TextColumn("Task"),
    "model_class": st.column_config.TextColumn("Class", width=50),
    "reasoning_effort": st.column_config.TextColumn("Effort", width=65, help="Reasoning effort"),
    "cohort": st.column_config.TextColumn("Cohort", width=70),
    "hardware": st.column_config.TextColumn("Hardware", width=125),
    "stars_glyphs": st.column_config.TextColumn("Stars", help="1–5 stars within the rating group", width=80),
    "label": st.column_config.LinkColumn(
        "Label", display_text="🏷️ Label", width=70, help="Open this result's energy label (PNG/SVG)"
    ),
    "status": st.column_config.TextColumn(
        "Status",
        width=80,
        help="published (the leaderboard's own), accepted (a reviewed submission), pending (unverified), or "
        "random weights (measured by this project's runner with random weights)",
    ),
    "provisional": st.column_config.CheckboxColumn(
        "Provisional", width=80, help="Only one result, or all equal, in its rating group: nothing to compare with"
    ),
}
CITATION = """@misc{ai_energy_score,
  title        = {AI Energy Score: comparable energy-efficiency ratings for AI models},
  note         = {GPU energy per 1,000 queries (Wh), rated 1 to 5 stars per task and model class},
  howpublished = {AI Energy Score leaderboard},
  year         = {2025}
}"""


def parquet_bytes(results) -> bytes:
    buffer = io.BytesIO()
    results.to_dataframe().to_parquet(buffer, index=False)
    return buffer.getvalue()


def label_url(row) -> str:
    """Link to the label page with this result preselected (the label page's bound widgets)."""
    query = urlencode(
        {
            "task": formatting.task_name(row.task),
            "scored": f"{row.cohort} ({formatting.month_name(row.cohort)})",
            "model": formatting.result_title(row.run_id, row.model, row.reasoning_effort),
        },
        quote_via=quote,
    )
    return f"label?{query}"


def render_overview(view) -> None:
    st.subheader("All tasks")
    overview = view.overview()
    if overview.empty:
        st.info("No results match these filters.")
        return
    st.dataframe(
        overview.drop(columns="task"),
        hide_index=True,
        width="stretch",
        column_config={
            "Lowest GPU energy (Wh/1k queries)": st.column_config.NumberColumn(format="accounting"),
            "Highest GPU energy (Wh/1k queries)": st.column_config.NumberColumn(format="accounting"),
        },
    )


def render_task_table(view, scope, task) -> None:
    st.subheader(f"{task.display_name}: {len(view)} results")
    table = view.table()
    if table.empty:
        st.info("No results match these filters.")
        return
    ratio = view.max_min_ratio()
    if ratio is not None:
        lo, hi = view.energy_range()
        st.info(
            f"In this view the most energy-hungry model uses **{formatting.ratio(ratio)}** the GPU energy "
            f"of the most efficient one ({formatting.energy_wh(hi)} vs {formatting.energy_wh(lo)} "
            f"Wh per 1,000 queries).",
            icon="⚖️",
        )
    task_max = float(scope.frame["gpu_energy_wh_per_1k"].max())
    shown = table.assign(label=[label_url(r) for r in view.frame.itertuples()])
    shown = shown.drop(columns=["model", "task", "stars", "run_id"])
    if not task.has_classes:
        shown = shown.drop(columns=["model_class", "reasoning_effort"])
    elif task.id != "reasoning":
        shown = shown.drop(columns=["reasoning_effort"])
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="table",
        height=min(36 + 35 * len(shown), 640),
        column_config={
            **COLUMNS,
            "gpu_energy_wh_per_1k": st.column_config.ProgressColumn(
                ENERGY_HEADER,
                min_value=0.0,
                max_value=task_max,
                format="accounting",
                width=170,
                help="GPU energy in watt-hours per 1,000 queries; the bar is relative to this task's maximum",
            ),
        },
    )
    if table["provisional"].any():
        st.caption(
            "Provisional: the only result (or all results equal) in its rating group, so it gets "
            "5 stars with nothing to compare it with."
        )


def render_compare(results) -> None:
    labels = results.sorted("asc").titles(with_task=True)
    sanitize("cmp", list(labels))
    picked = st.multiselect(
        "Pick results to compare (any task)",
        list(labels),
        key="cmp",
        bind="query-params",
        format_func=lambda r: labels[r],
        placeholder="Choose two or more models",
        max_selections=12,
    )
    if not picked:
        st.info("Pick models above to see their GPU energy side by side.")
        return
    compared = results.runs(*picked)
    st.dataframe(
        compared.table().drop(columns=["model", "stars", "run_id", "rank"]),
        hide_index=True,
        width="stretch",
        column_config={
            **COLUMNS,
            "gpu_energy_wh_per_1k": st.column_config.NumberColumn(ENERGY_HEADER, format="accounting"),
        },
    )
    st.plotly_chart(charts.compare_chart(compared), width="stretch")


data = loaded()
results = data.results
if data.warning:
    st.warning(data.warning, icon="⚠️")
if data.rejected:
    with st.expander(f"{len(data.rejected)} rows of the results dataset were left out (invalid)"):
        st.text("\n".join(r.message() for r in data.rejected[:200]))

st.title("⚡ AI Energy Score")
st.caption(
    f"GPU energy per 1,000 queries, rated 1–5 stars within each task, model class, cohort "
    f"and hardware. Source: {data.source_label}."
)

task_options = ["all", *[t for t in TASK_IDS if t in set(results.tasks())]]
sanitize("task", task_options)
task_id = st.selectbox(
    "Task",
    task_options,
    key="task",
    bind="query-params",
    format_func=lambda t: "All tasks (overview)" if t == "all" else formatting.task_name(t),
)
scope = results if task_id == "all" else results.task(task_id)

with st.container(horizontal=True):
    if task_id == "all" or TASKS_BY_ID[task_id].has_classes:
        options = scope.values("model_class")
        sanitize("class", options)
        st.multiselect(
            "Model class",
            options,
            key="class",
            bind="query-params",
            placeholder="All classes",
            help="A: up to 20 B parameters · B: 20–66 B · C: over 66 B (text generation and reasoning).",
        )
    for name, label, column in (("cohort", "Cohort", "cohort"), ("hw", "Hardware", "hardware")):
        options = scope.values(column)
        sanitize(name, options)
        st.multiselect(
            label,
            options,
            key=name,
            bind="query-params",
            placeholder=f"All {label.lower()}s" if name == "cohort" else "All hardware",
        )
with st.container(horizontal=True):
    st.text_input("Search models", key="q", bind="query-params", placeholder="e.g. llama", max_chars=100)
    st.number_input(
        "Min GPU energy (Wh/1k queries)", min_value=0.0, value=None, format="%.4f", key="emin", bind="query-params"
    )
    st.number_input(
        "Max GPU energy (Wh/1k queries)", min_value=0.0, value=None, format="%.4f", key="emax", bind="query-params"
    )
    st.selectbox(
        "Sort by GPU energy",
        ["asc", "desc"],
        key="sort",
        bind="query-params",
        format_func=lambda s: "Lowest first" if s == "asc" else "Highest first",
    )

if st.toggle(
    "Show pending submissions (unverified)",
    key="pending",
    bind="query-params",
    help="Submitted results not yet reviewed, rated against their group without changing anyone's stars",
):
    from leaderboard.storage import configured_store
    from leaderboard.submissions.workflow import joining_cohort, result_row

    store = configured_store()
    cohort = joining_cohort(results)
    results = results.with_pending([result_row(r, cohort, r.id) for r in store.pending()])
view = apply_filters(results)
# Tabs run lazily (only the open one executes) and live in the URL as ?view=…, so the first
# paint carries the table alone and a link can point at the chart or the comparison.
TABS = ["Table", "Chart", "Compare", "Download & cite"]
table_tab, chart_tab, compare_tab, download_tab = st.tabs(TABS, key="view", bind="query-params")

if table_tab.open:
    with table_tab:
        if task_id == "all":
            render_overview(view)
        else:
            render_task_table(view, scope, TASKS_BY_ID[task_id])

if chart_tab.open:
    with chart_tab:
        if view.frame.empty:
            st.info("No results match these filters.")
        elif task_id == "all":
            st.subheader("GPU energy per task (Wh per 1,000 queries)")
            st.caption("Log axis. Each point is one result; the box spans the middle half of the task.")
            st.plotly_chart(charts.distribution_chart(view), width="stretch")
        else:
            st.subheader(f"{TASKS_BY_ID[task_id].display_name}: GPU energy per model (Wh per 1,000 queries)")
            st.caption("Log axis. Dotted lines are the star band edges of each rating group.")
            st.plotly_chart(charts.task_chart(view), width="stretch")

if compare_tab.open:
    with compare_tab:
        render_compare(results)

if download_tab.open:
    with download_tab:
        with st.container(horizontal=True):
            view_csv = csv_safe(view.table().drop(columns=["model_url", "stars_glyphs"])).to_csv(index=False)
            st.download_button(
                "Current view (CSV)", view_csv, file_name=f"ai-energy-score-{task_id}.csv", mime="text/csv", icon="⬇️"
            )
            st.download_button(
                "Whole dataset (Parquet)",
                lambda: parquet_bytes(results),
                file_name="ai-energy-score.parquet",
                mime="application/vnd.apache.parquet",
                icon="⬇️",
            )
        st.markdown("**Cite**")
        st.code(CITATION, language="bibtex")

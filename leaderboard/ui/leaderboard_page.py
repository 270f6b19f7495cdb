"""Leaderboard page: pick a task, filter, read the rated table and charts, share the view."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote, urlencode

import streamlit as st

from leaderboard import charts, formatting, settings
from leaderboard.links import status_text
from leaderboard.results import OFFICIAL_STATUSES, Results, csv_safe
from leaderboard.tasks import MAX_STARS, TASK_IDS, TASKS_BY_ID, Task
from leaderboard.ui.data import loaded
from leaderboard.ui.filters import LinkCheck, apply_filters, sanitize

ENERGY_HEADER = "GPU energy (Wh/1k queries)"


def model_column(longest: int) -> Any:
    """The model column: wide enough for the longest id shown (about 7.5 px a character) up to 160 px, so
    that model, energy and stars fit a phone's first screen (longer ids are cut; hover shows them)."""
    return st.column_config.LinkColumn(
        "Model",
        width=max(120, min(160, int(longest * 7.5) + 24)),
        display_text=r"model\?id=([^&]*)",
        help="Opens the model's page: every result, its labels, its energy at scale",
    )


COLUMNS = {
    "rank": st.column_config.NumberColumn(
        "Rank", help="Within the result's rating group: 1 = lowest GPU energy", width=45
    ),
    "stars": st.column_config.NumberColumn(
        "Stars", format="%d ★", width=55, help=f"1–{MAX_STARS} stars within the rating group (sorts as a number)"
    ),
    "status_text": st.column_config.TextColumn(
        "Status",
        width=150,
        help="Published round (the leaderboard's own), accepted submission (reviewed), pending submission "
        "(unverified) or random-weights estimate (measured by this project's runner with random weights)",
    ),
    "label": st.column_config.LinkColumn(
        "Label", display_text="Label", width=70, help="Open this result's energy label (PNG/SVG)"
    ),
    "group": st.column_config.TextColumn(
        "Rated among", width=260, help="The rating group: stars and ranks compare only results of this group"
    ),
    "provider": st.column_config.TextColumn("Provider", width=100),
    "task": st.column_config.TextColumn("Task"),
    "model_class": st.column_config.TextColumn("Class", width=50),
    "reasoning_effort": st.column_config.TextColumn("Effort", width=65, help="Reasoning effort"),
    "cohort": st.column_config.TextColumn("Round", width=70),
    "hardware": st.column_config.TextColumn("Hardware", width=125),
    "record": st.column_config.TextColumn("Record", width=75, help="Short id of this result (on its label too)"),
    "provisional": st.column_config.CheckboxColumn(
        "Provisional", width=80, help="Only one result, or all equal, in its rating group: nothing to compare with"
    ),
}
# Model, energy and stars first: on a phone they are what shows without scrolling sideways.
TABLE_ORDER = [
    "model_page",
    "gpu_energy_wh_per_1k",
    "stars",
    "rank",
    "status_text",
    "label",
    "group",
    "model_class",
    "reasoning_effort",
    "cohort",
    "hardware",
    "provider",
    "record",
    "provisional",
]
CITATION = """@misc{ai_energy_score,
  title        = {AI Energy Score: comparable energy-efficiency ratings for AI models},
  note         = {GPU energy per 1,000 queries (Wh), rated 1 to 5 stars per task and model class},
  howpublished = {AI Energy Score leaderboard},
  year         = {2025}
}"""


def parquet_bytes(results: Results) -> bytes:
    buffer = io.BytesIO()
    results.to_dataframe().to_parquet(buffer, index=False)
    return buffer.getvalue()


def label_url(row: Any) -> str:
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


def render_overview(view: Results) -> None:
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


def render_task_table(view: Results, scope: Results, task: Task) -> None:
    st.subheader(f"{task.display_name}: {formatting.plural(len(view), 'result')}")
    if view.frame.empty:
        st.info("No results match these filters.")
        return
    grouped = view.by_group()
    table = grouped.table()
    groups = table["group"].value_counts()
    largest = str(groups.index[0])
    in_largest = grouped.runs(*table.loc[table["group"] == largest, "run_id"])
    ratio = in_largest.max_min_ratio()
    span = in_largest.energy_range()
    if len(groups) > 1:
        st.caption(
            f"This view spans {len(groups)} rating groups (**Rated among**): each result is ranked and starred "
            "within its own group only, so compare stars within a group, and energies across groups."
        )
    if ratio is not None and span is not None:
        lo, hi = span
        st.info(
            f"In {largest} ({formatting.plural(len(in_largest), 'result')}) the most energy-hungry model uses "
            f"**{formatting.ratio(ratio)}** the GPU energy of the most efficient one ({formatting.energy_wh(hi)} vs "
            f"{formatting.energy_wh(lo)} Wh per 1,000 queries).",
            icon=":material/compare_arrows:",
        )
    shown_max = float(table["gpu_energy_wh_per_1k"].max())  # bars compare what is shown, not the whole task
    longest = int(table["model"].astype(str).str.len().max()) if len(table) else 0
    shown = table.assign(
        # Published and accepted results open the label page; others their model page's labels.
        label=[
            label_url(r) if r.status in OFFICIAL_STATUSES else page
            for r, page in zip(grouped.frame.itertuples(), table["model_page"], strict=True)
        ],
        status_text=table["status"].map(status_text),
    )
    order = [c for c in TABLE_ORDER if c in shown.columns]
    if not task.has_classes:
        order = [c for c in order if c not in ("model_class", "reasoning_effort")]
    elif task.id != "reasoning":
        order = [c for c in order if c != "reasoning_effort"]
    if len(groups) == 1:
        order.remove("group")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="table",
        height=min(36 + 35 * len(shown), 640),
        column_order=order,
        column_config={
            **COLUMNS,
            "model_page": model_column(longest),
            "gpu_energy_wh_per_1k": st.column_config.ProgressColumn(
                ENERGY_HEADER,
                min_value=0.0,
                max_value=shown_max,
                format="accounting",
                width=115,
                help="GPU energy in watt-hours per 1,000 queries; the bar is relative to the highest one shown",
            ),
        },
    )
    if table["provisional"].any():
        st.caption(
            "Provisional: the only result (or all results equal) in its rating group, so it gets "
            "5 stars with nothing to compare it with."
        )
    if (table["status"] == "random weights").any():
        st.caption(
            "Random-weights estimates: this project's runner measured the model's architecture with random "
            "weights on its own hardware. They are rated on boards of their own and are not published results."
        )


def render_compare(results: Results) -> None:
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
    shown = compared.table().assign(status_text=lambda f: f["status"].map(status_text))
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_order=[
            "model_page",
            "gpu_energy_wh_per_1k",
            "stars",
            "rank",
            "group",
            "status_text",
            "task",
            "reasoning_effort",
            "record",
        ],
        column_config={
            **COLUMNS,
            "model_page": model_column(int(shown["model"].astype(str).str.len().max())),
            "gpu_energy_wh_per_1k": st.column_config.NumberColumn(ENERGY_HEADER, format="accounting"),
        },
    )
    st.plotly_chart(charts.compare_chart(compared), width="stretch")


data = loaded()
results = data.results
if data.warning:
    st.warning(data.warning, icon=":material/warning:")
if data.rejected:
    with st.expander(f"{formatting.plural(len(data.rejected), 'row')} of the results dataset were left out (invalid)"):
        st.text("\n".join(r.message() for r in data.rejected[:200]))

st.title("⚡ AI Energy Score")
st.caption(
    f"GPU energy per 1,000 queries, rated 1–{MAX_STARS} stars within each task, model class, round "
    f"and hardware. Source: {data.source_label}."
)
link = LinkCheck()
link.energy_range("emin", "emax")  # first: it may run the page again on the cleaned link
official_hardware = settings.required("official_hardware")
SHOW = {"official": "Official board", "all": "All results"}
show = st.segmented_control(
    "Show",
    list(SHOW),
    key="show",
    bind="query-params",
    format_func=lambda s: SHOW[s],
    default="official",
    help="The official board lists what the latest published round shows; all results add other hardware, "
    "this project's random-weights estimates and older rounds' rows.",
)
if show != "all":
    results = results.official(official_hardware)
    st.caption(
        f"Showing the current official leaderboard: results published on **{official_hardware}** in each task's "
        "latest round (text generation: the December 2025 round, which lists the models tested in February 2025 "
        "with their February stars beside those tested in December; reasoning: December 2025; the other tasks: "
        "February 2025), and accepted submissions. Choose **All results** to add other hardware, this project's "
        "random-weights estimates and pending submissions."
    )

task_options = ["all", *[t for t in TASK_IDS if t in set(results.tasks())]]
link.choice("task", task_options, lambda t: formatting.task_name(str(t)) if t != "all" else "All tasks (overview)")
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
        link.choices("class", options)
        st.multiselect(
            "Model class",
            options,
            key="class",
            bind="query-params",
            placeholder="All classes",
            help="A: up to 20 B parameters · B: 20–66 B · C: over 66 B (text generation and reasoning).",
        )
    for name, label, column in (("cohort", "Round", "cohort"), ("hw", "Hardware", "hardware")):
        options = scope.values(column)
        link.choices(name, options)
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
link.show_notice()

if show == "all" and st.toggle(
    "Show pending submissions (unverified)",
    key="pending",
    bind="query-params",
    help="Submitted results not yet reviewed, rated against their group without changing anyone's stars",
):
    from leaderboard.submissions.store import configured_store
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
            view_csv = csv_safe(view.table().drop(columns=["model_url", "model_page", "stars_glyphs"])).to_csv(
                index=False
            )
            st.download_button(
                "Current view (CSV)",
                view_csv,
                file_name=f"ai-energy-score-{task_id}.csv",
                mime="text/csv",
                icon=":material/download:",
            )
            st.download_button(
                "Whole dataset (Parquet)",
                lambda: parquet_bytes(results),
                file_name="ai-energy-score.parquet",
                mime="application/vnd.apache.parquet",
                icon=":material/download:",
            )
        st.markdown("**Cite**")
        st.code(CITATION, language="bibtex")

"""Leaderboard page: pick a task, filter, read the rated table and charts, share the view."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import streamlit as st
from markupsafe import escape

from leaderboard import charts, evidence, formatting, settings
from leaderboard import search as model_search
from leaderboard.board import BoardRow, board_lists, render_list, task_summaries
from leaderboard.board import render_overview as render_overview_table
from leaderboard.board import style as board_style
from leaderboard.exports import export_parquet
from leaderboard.links import model_page_url, status_text
from leaderboard.results import Results, csv_safe
from leaderboard.tasks import MAX_STARS, MODEL_CLASSES, TASK_IDS, TASKS_BY_ID, Task, board_cohorts
from leaderboard.ui.data import loaded, name_tab, quality, setting_address
from leaderboard.ui.filters import ALL, LATEST, LinkCheck, active_count, apply_filters, reset_per_task, sanitize, value
from leaderboard.uncertainty import SURE_P

ENERGY_HEADER = "GPU energy (Wh/1k queries)"


def model_column(longest: int) -> Any:
    """The compare table's model column: wide enough for the longest id shown (about 7.5 px a character)."""
    return st.column_config.LinkColumn(
        "Model",
        width=max(120, min(320, int(longest * 7.5) + 24)),
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
    "status_text": st.column_config.TextColumn("Status", width=150),
    "group": st.column_config.TextColumn(
        "Compared with", width=300, help="The rating group: stars and ranks compare only results of this group"
    ),
    "task": st.column_config.TextColumn("Task"),
    "reasoning_effort": st.column_config.TextColumn("Effort", width=65, help="Reasoning effort"),
    "record": st.column_config.TextColumn("Record", width=75, help="Short id of this result (on its label too)"),
}
CITATION = """@misc{ai_energy_score,
  title        = {AI Energy Score: comparable energy-efficiency ratings for AI models},
  note         = {GPU energy per 1,000 queries (Wh), rated 1 to 5 stars per task and model class},
  howpublished = {AI Energy Score leaderboard},
  year         = {2025}
}"""


def label_url(row: BoardRow) -> str:
    """Link to the label page with this result preselected (the label page's bound widgets); results the
    board does not list as its own open their model page, whose labels say what they are."""
    if not row.counted:
        return model_href(row)
    query = urlencode(
        {
            "task": formatting.task_name(row.task),
            "scored": f"{row.cohort} ({formatting.month_name(row.cohort)})",
            "model": formatting.result_title(row.run_id, row.model, row.effort),
        },
        quote_via=quote,
    )
    return f"label?{query}"


def model_href(row: BoardRow) -> str:
    """The row's model page, on the record (same tab: a relative link)."""
    return model_page_url("", row.model, row.run_id).lstrip("/")


def round_name(choice: object) -> str:
    return {LATEST: "Latest round", ALL: "All rounds"}.get(str(choice)) or formatting.month_name(str(choice))


def class_name(choice: object) -> str:
    return "All" if choice == ALL else str(choice)


def view_link(**changes: str) -> str:
    """A same-tab link to this view with ``changes`` (a task opened from the overview keeps what is shown)."""
    params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k) if k not in changes]
    return "?" + urlencode([*params, *changes.items()], quote_via=quote)


def render_overview(view: Results, searched: Results) -> None:
    st.header("All tasks")
    tasks = task_summaries(view)
    if not tasks:
        nothing_found(searched)
        return
    st.html(
        render_overview_table(
            tasks,
            # Every class of the task's latest round and the rounds it lists: the board the row sums up.
            task_href=lambda t: view_link(task=t.name, **({"class": "All"} if TASKS_BY_ID[t.task].has_classes else {})),
            model_href=lambda t: model_page_url("", t.best_model).lstrip("/"),
        )
    )
    st.caption("Open a task for its ranked models, or a model for all of its results and labels.")


def widen_hint(model_class: str | None, round_choice: str | None) -> str:
    """Which controls would list more: only those not already on All."""
    hints = ([] if model_class in (None, ALL) else ["class **All**"]) + (
        [] if round_choice in (None, ALL) else ["**All rounds**"]
    )
    return " or ".join(hints)


def nothing_found(searched: Results) -> None:
    """'No results match', and for a search 'Did you mean a or b?': the model ids nearest to it in
    ``searched`` (the view without the search, ``leaderboard.search``), each a same-tab link that searches it."""
    st.info("No results match these filters.")
    near = model_search.suggestions(value("q"), searched.values("model")) if value("q") else []
    if near:
        links = [f'<a href="{escape(view_link(q=m))}" target="_self">{escape(m)}</a>' for m in near]
        st.html(
            '<p class="aies-did-you-mean">Did you mean '
            + (", ".join(links[:-1]) + " or " if len(links) > 1 else "")
            + links[-1]
            + "?</p>"
        )


def render_task_lists(
    view: Results,
    scope: Results,
    task: Task,
    sort: str,
    hidden_matches: int,
    hint: str,
    also_listed: Results,
    searched: Results,
) -> None:
    table = quality().hiding("mapped-by-hand") if value("nohand") else quality()
    lists = board_lists(view, scope, sort=sort, quality=table)
    if not lists:
        nothing_found(searched)
    for refused in table.refused:
        st.warning(f"Quality data left out: {refused}", icon=":material/rule:")
    html = "".join(
        render_list(
            b,
            model_href=model_href,
            label_href=label_url,
            heading_level=2,  # under the page's h1
            inline_svg=False,  # the page's HTML takes no inline SVG: the same chart as an image
        )
        for b in lists
    )
    if html:
        st.html(html)
    if hidden_matches and hint:
        st.caption(
            f"{formatting.plural(hidden_matches, 'more result')} of {task.display_name} "
            f"{'matches' if hidden_matches == 1 else 'match'} your search in other "
            f"classes or rounds: choose {hint} to list them."
        )
    if len(also_listed):
        cohorts = ", ".join(formatting.month_name(c) for c in also_listed.values("cohort"))
        st.caption(
            f"The latest round lists {formatting.plural(len(also_listed), 'result')} of the {cohorts} round "
            f"beside its own, with the stars they got there (their own lists, ranked among themselves)."
        )
    if any(r.status == "random weights" for b in lists for r in b.rows):
        st.caption(
            "Random-weights estimates: this project's runner measured the model's architecture with random "
            "weights on its own hardware. They are rated in lists of their own and are not published results."
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
    # Ranks within each whole rating group, as the board and the model page count them.
    shown = compared.table(ranked_in=results).assign(status_text=lambda f: f["status"].map(status_text))
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
    st.plotly_chart(charts.compare_chart(compared), width="stretch", config=charts.CONFIG)


PAGE_STYLE = """
[data-testid="stMainBlockContainer"] { padding-top: 3.6rem; }
h1 { font-size: 2rem !important; padding: 0 0 0.2rem 0 !important; }
[data-testid="stHeading"] h2 { font-size: 1.3rem !important; }
@media (max-width: 640px) { h1 { font-size: 1.55rem !important; } }
"""

data = loaded()
results = data.results
st.html(f"<style>{PAGE_STYLE}{board_style()}</style>")
if data.warning:
    st.warning(data.warning, icon=":material/warning:")
if data.rejected:
    with st.expander(f"{formatting.plural(len(data.rejected), 'row')} of the results dataset were left out (invalid)"):
        st.text("\n".join(r.message() for r in data.rejected[:200]))

st.title("⚡ AI Energy Score")
site_url = setting_address("site_url")
st.caption(
    f"GPU energy per 1,000 queries, rated 1–{MAX_STARS} stars against models of the same task, class and round. "
    f"Source: {data.source_label}. [How ratings work](about)"
    + (f" · [The same boards as a fast static site]({site_url})" if site_url else "")
)
link = LinkCheck()
link.energy_range("emin", "emax")  # first: it may run the page again on the cleaned link
official_hardware = settings.required("official_hardware")
SHOW = {"official": "Official board", "all": "All results"}
SORTS = {
    "asc": "Lowest GPU energy first",
    "desc": "Highest GPU energy first",
    "sure": "Least sure stars first",
    "quality": "Best quality first (no quality data last)",
}
EVIDENCE = {k.id: k.words for k in evidence.KINDS}
# Tabs run lazily (only the open one executes) and live in the URL as ?view=…, so the first
# paint carries the table alone and a link can point at the chart or the comparison.
TABS = ["Table", "Chart", "Compare", "Download & cite"]
link.choice("show", list(SHOW), lambda s: SHOW[str(s)])
link.choice("sort", list(SORTS), lambda s: SORTS[str(s)])
link.choice("view", TABS)
link.flag("pending")
link.flag("unsure")
link.flag("nohand")
# The controls, in reading order; filled out of order, since which results are shown decides what the others offer.
controls = st.container(horizontal=True, vertical_alignment="bottom")
task_slot, round_slot, class_slot, search_slot, filters_slot = (controls.container(width="content") for _ in range(5))
changed = active_count()
filters = filters_slot.popover(f"Filters ({changed})" if changed else "Filters", icon=":material/tune:")
with filters:
    show = st.segmented_control(
        "Show",
        list(SHOW),
        key="show",
        bind="query-params",
        format_func=lambda s: SHOW[s],
        default="official",
        required=True,
        help="The official board lists what the latest published round shows; all results add other "
        "hardware, this project's random-weights estimates and older rounds.",
    )
if show != "all":
    results = results.official(official_hardware)

task_options = ["all", *[t for t in TASK_IDS if t in set(results.tasks())]]
link.choice("task", task_options, lambda t: formatting.task_name(str(t)) if t != "all" else "All tasks (overview)")
with task_slot:
    task_id = st.selectbox(
        "Task",
        task_options,
        key="task",
        bind="query-params",
        format_func=lambda t: "All tasks (overview)" if t == "all" else formatting.task_name(t),
        on_change=reset_per_task,
        width=250,  # 'Automatic Speech Recognition' whole
    )
scope = results if task_id == "all" else results.task(task_id)
task = TASKS_BY_ID.get(task_id)
name_tab(task.display_name if task else "Leaderboard")
model_class: str | None = None
round_cohorts: tuple[str, ...] | str | None = None
if task is not None:
    latest = scope.latest_cohort(task.id, official_hardware)
    # The latest round, each round on its own (the latest's own cohort too, where it lists earlier ones), all.
    present = set(scope.values("cohort"))
    listed = tuple(sorted({c for c in board_cohorts(task.id) if c in present} | ({latest} if latest else set())))
    own = [c for c in sorted(present, reverse=True) if c != latest or len(listed) > 1]
    rounds = [LATEST, *own, ALL]
    link.choice("round", rounds, round_name)
    with round_slot:
        picked_round = st.selectbox(
            "Round",
            rounds,
            key="round",
            bind="query-params",
            format_func=round_name,
            help="Each round measured its models anew: stars compare models of one round. The latest round is "
            f"{formatting.month_name(latest) if latest else 'none yet'}.",
            width=150,
        )
    # The latest round is what its board listed: its own cohort and the earlier ones it lists beside it.
    round_cohorts = listed if picked_round == LATEST else picked_round
if task is not None and task.has_classes:
    classes = [*MODEL_CLASSES, ALL]
    link.choice("class", classes, class_name)
    with class_slot:
        model_class = st.segmented_control(
            "Model class",
            classes,
            key="class",
            bind="query-params",
            default=classes[0],
            required=True,
            format_func=class_name,
            help="A: up to 20 B parameters · B: 20–66 B · C: over 66 B. Stars compare models of one class.",
        )
with search_slot:
    st.text_input("Search models", key="q", bind="query-params", placeholder="e.g. llama", max_chars=100, width=170)
with filters:
    options = scope.values("hardware")
    link.choices("hw", options)
    st.multiselect("Hardware", options, key="hw", bind="query-params", placeholder="All hardware")
    st.number_input(
        "Min GPU energy (Wh/1k queries)", min_value=0.0, value=None, format="%.4f", key="emin", bind="query-params"
    )
    st.number_input(
        "Max GPU energy (Wh/1k queries)", min_value=0.0, value=None, format="%.4f", key="emax", bind="query-params"
    )
    st.selectbox("Order", list(SORTS), key="sort", bind="query-params", format_func=lambda s: SORTS[s])
    link.choices("ev", list(EVIDENCE))
    st.multiselect(
        "What backs it",
        list(EVIDENCE),
        key="ev",
        bind="query-params",
        format_func=lambda k: EVIDENCE[k],
        placeholder="Any evidence",
        help="; ".join(f"{k.words}: {k.meaning}" for k in evidence.KINDS),
    )
    st.toggle(
        "Only stars that are not sure",
        key="unsure",
        bind="query-params",
        help=f"Stars shown with less than {SURE_P:.0%} probability given the measured uncertainty of every result "
        "in their group",
    )
    st.toggle(
        "Hide quality figures mapped by hand",
        key="nohand",
        bind="query-params",
        help="Quality figures of a model the source lists under another id, judged by hand to be the same "
        "checkpoint: hidden, they read 'no quality data' with the reason",
    )
    pending = show == "all" and st.toggle(
        "Show pending submissions (unverified)",
        key="pending",
        bind="query-params",
        help="Submitted results not yet reviewed, rated against their group without changing anyone's stars",
    )
link.show_notice()
if show == "all":
    st.caption(
        "Showing **all results**: other hardware, older rounds and this project's random-weights estimates, each "
        "rated in its own list. Choose **Official board** under Filters for the published leaderboard."
    )

if pending:
    from leaderboard.submissions.store import configured_store
    from leaderboard.submissions.workflow import joining_cohort, result_row

    store = configured_store()
    cohort = joining_cohort()
    results = results.with_pending([result_row(r, cohort, r.id) for r in store.pending()])
    scope = results if task_id == "all" else results.task(task_id)
view = apply_filters(results, model_class, round_cohorts)
searched = apply_filters(results, model_class, round_cohorts, search=False) if value("q") else view
table_tab, chart_tab, compare_tab, download_tab = st.tabs(TABS, key="view", bind="query-params")

if table_tab.open:
    with table_tab:
        if task is None:
            render_overview(view, searched)
        else:
            # What the other filters and the search find in every class and round, beyond this view.
            hidden = len(apply_filters(results, ALL, ALL)) - len(view) if value("q") else 0
            # On the latest round, the earlier rounds it lists beside its own (tasks.board_cohorts), as filtered.
            earlier = sorted(round_cohorts)[:-1] if isinstance(round_cohorts, tuple) else []
            also = view.cohort(*earlier) if earlier else Results(view.frame[:0])
            hint = widen_hint(model_class, picked_round)
            render_task_lists(view, scope, task, value("sort"), max(0, hidden), hint, also, searched)

if chart_tab.open:
    with chart_tab:
        if view.frame.empty:
            nothing_found(searched)
        elif task_id == "all":
            st.header("GPU energy per task (Wh per 1,000 queries)")
            st.caption("Log axis. Each point is one result; the box spans the middle half of the task.")
            st.plotly_chart(charts.distribution_chart(view), width="stretch", config=charts.CONFIG)
        else:
            st.header("GPU energy per model (Wh per 1,000 queries)")
            st.caption(
                "Log axis, one panel per list. Dotted lines are where each star band ends; each bar says its stars."
            )
            st.plotly_chart(charts.task_chart(view), width="stretch", config=charts.CONFIG)

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
                # The bytes themselves, not a deferred callable (whose file a refresh forgets): every row with
                # its status, the same file as the site's data/ Parquet.
                export_parquet(data.results),
                file_name="ai-energy-score.parquet",
                mime="application/vnd.apache.parquet",
                icon=":material/download:",
            )
        st.markdown("**Cite**")
        st.code(CITATION, language="bibtex")

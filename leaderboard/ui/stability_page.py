"""Stability page: how sure the stars are, per task and per rating group (``leaderboard.stability``)."""

import streamlit as st

from leaderboard import formatting
from leaderboard.board import style as board_style
from leaderboard.stability import render_report, stability
from leaderboard.tasks import TASK_IDS
from leaderboard.ui.data import loaded, name_tab
from leaderboard.uncertainty import HARNESS_SPREADS, SURE_P

st.html(f"<style>{board_style()}</style>")
name_tab("How sure are the stars?")
st.title("How sure are the stars?")
st.caption(
    "A measurement repeated on another day or machine reads a little differently, and a star is a band of its "
    "group's range, so the two ends move every band. This page says which stars a repeat could change."
)
results = loaded().results
choice = st.selectbox(
    "Task",
    ["all", *[t for t in TASK_IDS if t in set(results.tasks())]],
    key="stask",
    bind="query-params",
    format_func=lambda t: "All tasks" if t == "all" else formatting.task_name(t),
    width=260,
)
published = st.toggle("Published results only", key="spub", bind="query-params")
report = stability(
    results, task=None if choice == "all" else choice, **({"statuses": ("published",)} if published else {})
)
total = report.total
st.markdown(
    f"**{total.sure} of {total.results} stars are sure** (at least {formatting.percent(SURE_P)} likely), "
    f"**{total.not_sure} are not**, and for **{total.unknown}** it cannot be told: their uncertainty is unknown. "
    f"Leaving out each group's highest result would change {total.changed_without_highest} stars; a rank rule "
    f"would give {total.changed_under_rank_rule} other stars."
)
st.html(render_report(report))
st.header("Where the uncertainties come from")
st.markdown(
    "A result's own repeats in its logs come first; else the run-to-run spread measured for its harness "
    "(coefficient of variation of repeat runs of the same model and prompts); else unknown, never zero."
)
st.table(
    [
        {
            "Harness": h.harness,
            "Run-to-run spread (relative SD, %)": "unknown" if h.rel_sd is None else f"{h.rel_sd * 100:.1f}",
            "Runs": h.runs or "",
            "Measured": h.measured,
            "Runs kept in": h.where,
        }
        for h in HARNESS_SPREADS
    ]
)
st.caption("The same report: `python -m leaderboard stability [--task T] [--published] [--format json]`.")

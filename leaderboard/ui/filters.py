"""The leaderboard's filters, declared once. Every filter widget is bound to the URL
(``bind="query-params"``, its key is the parameter name), so a copied link restores the view;
Streamlit drops invalid values from the URL itself."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from leaderboard.results import Results


@dataclass(frozen=True)
class Filter:
    key: str  # widget key and query-string parameter
    many: bool  # a multiselect (list value)
    default: object


FILTERS = {
    f.key: f
    for f in (
        Filter("task", False, "all"),
        Filter("class", True, []),
        Filter("cohort", True, []),
        Filter("hw", True, []),
        Filter("q", False, ""),
        Filter("emin", False, None),
        Filter("emax", False, None),
        Filter("sort", False, "asc"),
        Filter("cmp", True, []),
    )
}


def sanitize(key: str, options: list) -> None:
    """Drop a value left in session state that is not among the widget's current options
    (switching task changes the cohorts on offer; another page may have used the same key)."""
    if key not in st.session_state:
        return
    current = st.session_state[key]
    if isinstance(current, list):
        kept = [v for v in current if v in options]
        if kept != current:
            st.session_state[key] = kept
    elif current not in options:
        del st.session_state[key]


def value(key: str):
    f = FILTERS[key]
    current = st.session_state.get(key, f.default)
    return f.default if current is None and not f.many and f.default is not None else current


def apply_filters(results: Results) -> Results:
    """The current view: the results narrowed by every filter, sorted by energy."""
    task = value("task")
    view = results if task == "all" else results.task(task)
    view = (
        view.model_class(*value("class"))
        .cohort(*value("cohort"))
        .hardware(*value("hw"))
        .search(value("q") or "")
        .energy_between(value("emin"), value("emax"))
    )
    return view.sorted(value("sort"))

"""The leaderboard's filters, declared once, mirrored in the URL (``st.query_params``).

Each filter has a URL name, a widget key and a default. On a session's first run the widgets
are seeded from the URL (invalid values are dropped); after every run the URL is rewritten
from the widgets, leaving out defaults, so a copied link restores the same view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from leaderboard.results import Results

SEEDED = "_filters_seeded_from_url"


@dataclass(frozen=True)
class Filter:
    name: str          # query-string parameter
    kind: str          # "one", "many", "text" or "number"
    default: object

    @property
    def key(self) -> str:
        return f"f_{self.name}"


FILTERS = {f.name: f for f in (
    Filter("task", "one", "all"),
    Filter("class", "many", []),
    Filter("cohort", "many", []),
    Filter("hw", "many", []),
    Filter("q", "text", ""),
    Filter("emin", "number", None),
    Filter("emax", "number", None),
    Filter("sort", "one", "asc"),
    Filter("cmp", "many", []),
)}


def _parse_number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def restore_from_url(results: Results) -> None:
    """Seed the widgets from the query string, once per session."""
    if st.session_state.get(SEEDED):
        return
    params = st.query_params
    for f in FILTERS.values():
        if f.name not in params:
            continue
        if f.kind == "many":
            st.session_state[f.key] = [v[:200] for v in params.get_all(f.name)][:50]
        elif f.kind == "number":
            st.session_state[f.key] = _parse_number(params[f.name])
        elif f.kind == "text":
            st.session_state[f.key] = params[f.name][:100]
        else:
            st.session_state[f.key] = params[f.name]
    st.session_state[SEEDED] = True


def sanitize(name: str, options: list) -> None:
    """Drop state values that are not among the widget's current options."""
    f = FILTERS[name]
    if f.key not in st.session_state:
        return
    value = st.session_state[f.key]
    if f.kind == "many":
        st.session_state[f.key] = [v for v in value if v in options]
    elif value not in options:
        st.session_state[f.key] = f.default if f.default in options else options[0]


def value(name: str):
    f = FILTERS[name]
    return st.session_state.get(f.key, f.default)


def apply_filters(results: Results) -> Results:
    """The current view: the results narrowed by every filter, sorted by energy."""
    task = value("task")
    view = results if task == "all" else results.task(task)
    view = (view.model_class(*value("class")).cohort(*value("cohort")).hardware(*value("hw"))
            .search(value("q")).energy_between(value("emin"), value("emax")))
    return view.sorted(value("sort") or "asc")


def write_to_url() -> None:
    """Mirror the non-default filter values into the query string."""
    params: dict[str, str | list[str]] = {}
    for f in FILTERS.values():
        current = st.session_state.get(f.key, f.default)
        if current in (None, "", []) or current == f.default:
            continue
        params[f.name] = list(current) if f.kind == "many" else (
            f"{current:g}" if f.kind == "number" else str(current))
    if params != _current_params():
        st.query_params.from_dict(params)


def _current_params() -> dict:
    params = st.query_params
    return {k: (params.get_all(k) if FILTERS.get(k) and FILTERS[k].kind == "many" else params[k])
            for k in params}

"""The leaderboard's filters, declared once. Every filter widget is bound to the URL
(``bind="query-params"``, its key is the parameter name), so a copied link restores the view;
Streamlit drops invalid values from the URL itself."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from leaderboard.results import Results
from leaderboard.submissions.text import markdown_literal
from leaderboard.tasks import MODEL_CLASSES

ALL = "all"  # the class or round choice that spans every one
LATEST = "latest"  # the round choice that follows the task: its latest official round


@dataclass(frozen=True)
class Filter:
    key: str  # widget key and query-string parameter
    many: bool  # a multiselect (list value)
    default: object


FILTERS = {
    f.key: f
    for f in (
        Filter("task", False, "all"),
        Filter("class", False, next(iter(MODEL_CLASSES))),  # a class, or ALL
        Filter("round", False, LATEST),  # LATEST, a cohort 'YYYY-MM', or ALL
        Filter("hw", True, []),
        Filter("q", False, ""),
        Filter("emin", False, None),
        Filter("emax", False, None),
        Filter("sort", False, "asc"),
        Filter("ev", True, []),  # evidence kinds (leaderboard.evidence)
        Filter("unsure", False, False),  # only stars that are not sure
        Filter("nohand", False, False),  # quality figures mapped by hand hidden (leaderboard.quality)
        Filter("show", False, "official"),
        Filter("cmp", True, []),
    )
}


def sanitize(key: str, options: list[Any]) -> None:
    """Drop a value left in session state that is not among the widget's current options
    (switching task changes the rounds on offer; another page may have used the same key)."""
    if key not in st.session_state:
        return
    current = st.session_state[key]
    if isinstance(current, list):
        kept = [v for v in current if v in options]
        if kept != current:
            st.session_state[key] = kept
    elif current not in options:
        del st.session_state[key]


def reset_per_task() -> None:
    """On a task switch: a round picked by its month goes back to the new task's latest round (each task
    has rounds of its own); 'latest' and 'all' mean the same in every task, and so does a class."""
    if st.session_state.get("round") not in (LATEST, ALL):
        st.session_state["round"] = LATEST


def value(key: str) -> Any:
    f = FILTERS[key]
    current = st.session_state.get(key, f.default)
    return f.default if current is None and not f.many and f.default is not None else current


BEHIND_BUTTON = (
    "show",
    "hw",
    "emin",
    "emax",
    "sort",
    "ev",
    "unsure",
    "nohand",
)  # the filters behind the Filters button


def active_count() -> int:
    """How many of the filters behind the Filters button are set: their widgets are bound, so the URL
    holds exactly those that differ from their defaults (also before the widgets are drawn)."""
    return sum(1 for key in BEHIND_BUTTON if st.query_params.get_all(key))


def apply_filters(
    results: Results, model_class: str | None, round_cohorts: tuple[str, ...] | str | None, *, search: bool = True
) -> Results:
    """The current view: the results narrowed by every filter (``model_class`` and ``round_cohorts``
    as the page resolved them: a value (the round: its cohorts), or ``ALL`` / None for every one), sorted
    by energy; with ``search`` off, everything but the search (what a search looks through)."""
    task = value("task")
    view = results if task == "all" else results.task(task)
    if model_class not in (None, ALL):
        view = view.model_class(model_class)
    if isinstance(round_cohorts, tuple):
        view = view.cohort(*round_cohorts)
    elif round_cohorts not in (None, ALL):
        view = view.cohort(round_cohorts)
    view = (
        view.hardware(*value("hw"))
        .search((value("q") or "") if search else "")
        .energy_between(value("emin"), value("emax"))
    )
    view = view.evidence(*value("ev"))
    if value("unsure"):
        view = view.unsure()
    order = value("sort")
    return view.sorted("asc" if order == "quality" else order)  # quality: the lists reorder by it (board_lists)


NOTICE_KEY = "_link_dropped"


CHECKED_KEY = "_link_checked"


def _text(value: object, limit: int | None = None) -> str:
    """A link's value (anyone's text) or an option from the data, for the notice: as written, never as
    Markdown (a link, an image, emphasis)."""
    return markdown_literal(str(value)[:limit])


class LinkCheck:
    """Checks the values a shared link carries before the bound widgets read them: a value that is
    not among a widget's options (``class=Z``), an energy bound that is not a number (``emin=abc``)
    or a range that can match nothing (``emin=100&emax=1``) is dropped, and ``show_notice`` says
    which, instead of the view silently changing."""

    def __init__(self) -> None:
        self.dropped: list[str] = []
        # A link's values are checked when it is opened: later runs change the URL through the bound
        # widgets themselves (a task switch may leave a round the new task lacks for a moment).
        self.opened = not st.session_state.get(CHECKED_KEY, False)

    def _raw(self, key: str) -> list[str]:
        if not self.opened:
            return []
        return [v for v in st.query_params.get_all(key) if v != ""]

    def choice(self, key: str, options: list[Any], label: Callable[[object], str] = str) -> None:
        """A single-choice widget whose URL value is the option's label (the widget reads nothing else:
        ``task=text_generation`` or ``round=2025-02`` is named as dropped, not silently ignored)."""
        shown = {label(o): o for o in options}
        for raw in self._raw(key):
            if raw not in shown:
                self.dropped.append(f"{key}={_text(raw, 60)} (not one of: {', '.join(map(_text, list(shown)[:12]))})")
                st.query_params.pop(key, None)
        sanitize(key, options)

    def flag(self, key: str) -> None:
        """A toggle: its URL value is true or false."""
        for raw in self._raw(key):
            if raw.lower() not in ("true", "false"):
                self.dropped.append(f"{key}={_text(raw, 60)} (not true or false)")
                st.query_params.pop(key, None)

    def choices(self, key: str, options: list[Any]) -> None:
        """A multiselect: each value in the URL must be one of the options."""
        bad = [raw for raw in self._raw(key) if raw not in map(str, options)]
        for raw in bad:
            self.dropped.append(
                f"{key}={_text(raw, 60)} (not one of: {', '.join(map(_text, options[:12])) or 'none here'})"
            )
        if bad:
            st.query_params[key] = [raw for raw in self._raw(key) if raw not in bad]
        sanitize(key, options)

    def energy_range(self, low_key: str, high_key: str) -> None:
        bounds: dict[str, float] = {}
        for key in (low_key, high_key):
            for raw in self._raw(key)[-1:]:  # a number input reads a repeated parameter's last value
                try:
                    value = float(raw)
                except ValueError:
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    self.dropped.append(f"{key}={_text(raw, 60)} (not a GPU energy in Wh per 1,000 queries)")
                    st.query_params.pop(key, None)
                    self._restart()
                else:
                    bounds[key] = value
        if len(bounds) == 2 and bounds[low_key] > bounds[high_key]:
            self.dropped.append(
                f"{low_key}={bounds[low_key]:g} and {high_key}={bounds[high_key]:g} (the minimum is above the maximum, "
                "so nothing could match)"
            )
            for key in (low_key, high_key):
                st.query_params.pop(key, None)
            self._restart()

    def _restart(self) -> None:
        """A bound number input takes the link's value when it is first drawn, whatever the session
        holds: run the page again, before any widget is drawn, on the cleaned link."""
        st.session_state[NOTICE_KEY] = self.dropped
        st.rerun()

    def show_notice(self) -> None:
        st.session_state[CHECKED_KEY] = True
        self.dropped = st.session_state.pop(NOTICE_KEY, []) + self.dropped
        if self.dropped:
            st.warning(
                "Some values in this link were dropped: " + "; ".join(self.dropped) + ". The view shows the rest.",
                icon=":material/link:",
            )

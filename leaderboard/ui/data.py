"""Cached access to the results for the pages; the cache key includes the dataset revision."""

from __future__ import annotations

import streamlit as st

from leaderboard.errors import EnergyScoreError
from leaderboard.sources import HubSource, Loaded, LocalSource, configured_source, load_results


@st.cache_data(show_spinner="Loading results…", ttl=600)
def _load(kind: str, where: str, revision: str | None, fingerprint: str) -> Loaded:
    """``fingerprint`` is the dataset revision: a changed dataset misses the cache."""
    if kind == "hub":
        return load_results(HubSource(where, revision))
    if kind == "local":
        return load_results(LocalSource(where))
    return load_results()  # an unusable setting: load_results reports it and falls back


def loaded() -> Loaded:
    """The results named by the settings (or the embedded data, with a one-line warning)."""
    try:
        source = configured_source()
    except EnergyScoreError as exc:
        return _load("invalid", str(exc), None, "")
    if isinstance(source, HubSource):
        return _load("hub", source.repo_id, source.revision_, source.revision())
    return _load("local", str(source.path), None, source.revision())

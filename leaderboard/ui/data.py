"""Cached access to the results for the pages; the cache key includes the dataset revision and
the accepted submissions of the store."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from leaderboard.errors import EnergyScoreError
from leaderboard.schema import ResultRow
from leaderboard.sources import HubSource, Loaded, LocalSource, configured_source, load_results
from leaderboard.submissions.store import configured_store


@st.cache_data(show_spinner="Loading results…", ttl=600)
def _load(kind: str, where: str, revision: str | None, fingerprint: str, accepted_json: str) -> Loaded:
    """``fingerprint`` is the dataset revision and ``accepted_json`` the accepted rows: a changed
    dataset or a new acceptance misses the cache."""
    accepted = [ResultRow.from_json(row) for row in json.loads(accepted_json)]
    if kind == "hub":
        return load_results(HubSource(where, revision), accepted)
    if kind == "local":
        return load_results(LocalSource(Path(where)), accepted)
    return load_results(None, accepted)  # an unusable setting: load_results reports it and falls back


def loaded() -> Loaded:
    """The results named by the settings (or the embedded data, with a one-line warning)."""
    accepted = json.dumps([row.to_dict() for row in configured_store().accepted_rows()], sort_keys=True)
    try:
        source = configured_source()
    except EnergyScoreError as exc:
        return _load("invalid", str(exc), None, "", accepted)
    if isinstance(source, HubSource):
        return _load("hub", source.repo_id, source.revision_, source.revision(), accepted)
    return _load("local", str(source.path), None, source.revision(), accepted)

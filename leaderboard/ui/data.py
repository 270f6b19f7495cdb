"""Cached access to the results for the pages; the cache key includes the dataset revision and
the accepted submissions of the store."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import streamlit as st

from leaderboard import settings
from leaderboard.errors import EnergyScoreError
from leaderboard.quality import QualityTable
from leaderboard.schema import ResultRow
from leaderboard.sources import HubSource, Loaded, LocalSource, configured_source, load_quality, load_results
from leaderboard.submissions.store import configured_store
from leaderboard.ui.routes import PAGE_PATHS


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


def setting_address(name: str) -> str | None:
    """An address setting (``site_url``, ``public_url``), or None where it is unset or unusable; an unusable one
    is named on the page (the page goes on without it)."""
    try:
        return settings.address(name)
    except EnergyScoreError as exc:
        st.warning(str(exc), icon=":material/settings:")
        return None


def public_address() -> tuple[str, str]:
    """The address labels and embed snippets link to, and where it comes from (for the About page): the
    ``public_url`` setting, else the address this app is opened at (its pages' paths and any credentials
    removed), else the local app's."""
    configured = setting_address("public_url")
    if configured:
        return configured, "the public_url setting (AIES_PUBLIC_URL)"
    opened = urlsplit(st.context.url or "")
    if opened.scheme in ("http", "https") and opened.netloc:
        path = opened.path.rstrip("/")
        head, _, last = path.rpartition("/")
        if last in PAGE_PATHS:
            path = head
        host = opened.netloc.rpartition("@")[2]  # never a user name or password the browser's address holds
        return urlunsplit((opened.scheme, host, path, "", "")), "the address this app is opened at"
    return settings.LOCAL_APP_URL, "the local app's address (no public_url setting, no browser address)"


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


@st.cache_data(show_spinner=False, ttl=600)
def _quality(setting: str | None, data_dir: str) -> QualityTable:
    return load_quality()


def quality() -> QualityTable:
    """The quality table named by the settings (``leaderboard.sources.load_quality``), cached."""
    return _quality(settings.get("quality_dataset"), settings.required("data_dir"))


SITE_NAME = "AI Energy Score"


def name_tab(*parts: str) -> None:
    """Name the browser tab after what the page shows: 'Text Generation · AI Energy Score'."""
    st.set_page_config(page_title=" · ".join([*(p[:80] for p in parts if p), SITE_NAME]))

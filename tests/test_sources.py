"""Sources and settings: the embedded default, a Hub dataset (a local folder standing in for the
download), and every way the configured dataset can fail, an unreachable Hub included (local
sockets and `.invalid` names only: no test touches the network)."""

import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from leaderboard import settings, sources
from leaderboard.errors import SettingError, SourceError
from leaderboard.sources import HubGate, HubSource, Loaded, LocalSource, load_results, probe_endpoint
from tests.builders import make_frame, row
from tests.conftest import DATA_DIR, EMBEDDED_ROWS

CARD = """---
configs:
- config_name: default
  data_files:
  - split: train
    path: results.parquet
---
# test results
"""


def hub_folder(tmp_path, frame: pd.DataFrame):
    # A unique name per test: datasets caches prepared local folders by name and file layout.
    folder = tmp_path / f"org--results-{uuid.uuid4().hex}"
    folder.mkdir()
    frame.to_parquet(folder / "results.parquet", index=False)
    (folder / "README.md").write_text(CARD)
    return folder


def test_default_is_the_embedded_dataset():
    loaded = load_results()
    assert loaded.source_label == "embedded dataset"
    assert loaded.warning is None and loaded.rejected == []
    assert len(loaded.results) == EMBEDDED_ROWS


def test_hub_source_reads_a_dataset_folder_with_datasets(tmp_path):
    folder = hub_folder(tmp_path, make_frame([row(task="asr", energy=1.0), row(task="asr", energy=3.0)]))
    loaded = load_results(HubSource(str(folder)))
    assert loaded.warning is None
    assert loaded.results.frame["stars"].tolist() == [5, 1]


def test_invalid_rows_are_reported_not_fatal(tmp_path):
    rows = [
        row(energy=1.0),
        row(energy=-2.0),
        row(task="painting"),
        row(energy=float("nan")),
        row(model="x" * 500),
        row(task="text_generation", model_class="Z"),
        row(cohort="Feb 25"),
    ]
    loaded = load_results(HubSource(str(hub_folder(tmp_path, make_frame(rows)))))
    assert len(loaded.results) == 1
    messages = [r.message() for r in loaded.rejected]
    assert len(messages) == 6
    for expected in (
        "not a finite positive number",
        "not a known task id",
        "longer than 200",
        "must be A, B or C",
        "is not YYYY-MM",
    ):
        assert any(expected in m for m in messages), (expected, messages)


def test_missing_hub_dataset_falls_back_to_embedded_with_one_line(monkeypatch):
    monkeypatch.setenv("AIES_RESULTS_DATASET", "no-such-org/no-such-dataset")
    loaded = load_results()
    assert len(loaded.results) == EMBEDDED_ROWS
    assert "no-such-org/no-such-dataset" in loaded.warning
    assert "AIES_RESULTS_DATASET" in loaded.warning
    assert "\n" not in loaded.warning


def test_malformed_hub_dataset_falls_back(tmp_path):
    folder = hub_folder(tmp_path, pd.DataFrame({"something": [1, 2]}))
    loaded = load_results(HubSource(str(folder)))
    assert len(loaded.results) == EMBEDDED_ROWS
    assert "no column" in loaded.warning and "AIES_RESULTS_DATASET" in loaded.warning


def test_unreadable_hub_files_fall_back(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "README.md").write_text(CARD)
    (folder / "results.parquet").write_bytes(b"this is not parquet")
    loaded = load_results(HubSource(str(folder)))
    assert len(loaded.results) == EMBEDDED_ROWS and "Could not load" in loaded.warning


def test_bad_repo_id_setting_is_named(monkeypatch):
    monkeypatch.setenv("AIES_RESULTS_DATASET", "not a repo id <script>")
    with pytest.raises(SettingError, match="AIES_RESULTS_DATASET"):
        settings.results_dataset()
    loaded = load_results()
    assert len(loaded.results) == EMBEDDED_ROWS and "AIES_RESULTS_DATASET" in loaded.warning


def test_setting_from_secrets_file_and_environment_wins(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('results_dataset = "org/from-secrets"\nresults_revision = "v2"\n')
    assert settings.results_dataset(environ={}, secrets_file=secrets) == "org/from-secrets"
    assert settings.get("results_revision", environ={}, secrets_file=secrets) == "v2"
    env = {"AIES_RESULTS_DATASET": "org/from-env"}
    assert settings.results_dataset(environ=env, secrets_file=secrets) == "org/from-env"


def test_broken_secrets_file_is_named(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("results_dataset = [unclosed")
    with pytest.raises(SettingError, match="secrets.toml"):
        settings.get("results_dataset", environ={}, secrets_file=secrets)


def test_missing_embedded_data_is_a_clear_error(tmp_path):
    with pytest.raises(SourceError, match="build_dataset"):
        LocalSource(tmp_path).load()


def test_local_revision_changes_when_the_data_changes(tmp_path):
    make_frame([row()]).to_parquet(tmp_path / "a.parquet")
    source = LocalSource(tmp_path)
    before = source.revision()
    make_frame([row(), row()]).to_parquet(tmp_path / "a.parquet")
    assert source.revision() != before
    assert LocalSource(DATA_DIR).revision() == LocalSource(DATA_DIR).revision()


# --- An unreachable Hub: bounded by HubGate's deadline, remembered for AIES_HUB_RETRY_S. No real network:
# every endpoint below is a closed local port, a local socket that never answers, or a `.invalid` name.

FALLBACK = "Showing the embedded dataset instead; check the setting AIES_RESULTS_DATASET."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CountingProbe:
    """The real probe, counted."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, endpoint: str, repo_id: str, revision: str, timeout_s: float) -> str | None:
        self.calls.append((endpoint, repo_id, revision))
        return probe_endpoint(endpoint, repo_id, revision, timeout_s)


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> CountingProbe:
    """A fresh gate (no remembered failures) with a counted probe, a fake clock and a short deadline."""
    probe = CountingProbe()
    monkeypatch.setattr(sources, "HUB_GATE", HubGate(probe=probe, deadline_s=0.5, clock=FakeClock()))
    return probe


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Hub path as in production: not offline, AIES_RESULTS_DATASET=org/name."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    monkeypatch.delenv("AIES_HUB_RETRY_S", raising=False)
    monkeypatch.setenv("AIES_RESULTS_DATASET", "org/name")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """A local port whose connections the kernel accepts (listen backlog) and nobody ever answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


def assert_fell_back(loaded: Loaded, *fragments: str) -> None:
    assert len(loaded.results) == EMBEDDED_ROWS and loaded.source_label == "embedded dataset"
    assert loaded.warning is not None and "\n" not in loaded.warning
    assert loaded.warning.startswith("Could not load Hub dataset org/name: ") and loaded.warning.endswith(FALLBACK)
    for fragment in fragments:
        assert fragment in loaded.warning, (fragment, loaded.warning)


def test_refused_connection_falls_back(monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe) -> None:
    port = closed_port()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    assert_fell_back(load_results(), f"127.0.0.1:{port} refused the connection", "AIES_HUB_RETRY_S")
    assert probes.calls == [(f"http://127.0.0.1:{port}", "org/name", "main")]


def test_endpoint_that_never_answers_falls_back_at_the_deadline(
    monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe, silent_endpoint: str
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", silent_endpoint + "/")
    assert_fell_back(load_results(), f"{silent_endpoint} did not answer", "(timed out)")
    assert len(probes.calls) == 1


def test_unresolvable_name_falls_back(monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://nonexistent.invalid")
    loaded = load_results()
    # A resolver answers `.invalid` with "no such name" at once; one that hangs hits the deadline instead.
    assert_fell_back(loaded, "nonexistent.invalid")
    warning = loaded.warning or ""
    assert "(name not resolved)" in warning or "(timed out)" in warning, warning
    assert len(probes.calls) == 1


def test_a_failure_is_remembered_for_the_retry_time(
    monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("AIES_HUB_RETRY_S", "60")
    clock = sources.HUB_GATE.clock
    assert isinstance(clock, FakeClock)
    assert_fell_back(load_results(), "next attempt in 60 s")
    assert len(probes.calls) == 1

    clock.now += 59
    assert_fell_back(load_results(), "(connection refused), 59 s ago; next attempt in 1 s (AIES_HUB_RETRY_S).")
    assert len(probes.calls) == 1  # remembered: no second probe

    clock.now += 1
    assert_fell_back(load_results(), "next attempt in 60 s")
    assert len(probes.calls) == 2  # the retry time passed: the Hub is asked again


def test_the_memo_is_per_dataset_and_zero_retry_asks_every_time(
    monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    load_results()
    load_results(HubSource("org/other"))
    assert [call[1] for call in probes.calls] == ["org/name", "org/other"]
    monkeypatch.setenv("AIES_HUB_RETRY_S", "0")
    assert_fell_back(load_results(), "next attempt on the next load")
    assert len(probes.calls) == 3


def test_offline_mode_never_probes(monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_ENDPOINT", "http://nonexistent.invalid")
    assert_fell_back(load_results(), "HF_HUB_OFFLINE is set, so only a cached copy can be read")
    assert probes.calls == []


def test_a_local_dataset_folder_never_probes(tmp_path: Path, online: None, probes: CountingProbe) -> None:
    folder = hub_folder(tmp_path, make_frame([row(task="asr", energy=1.0)]))
    loaded = load_results(HubSource(str(folder)))
    assert loaded.warning is None and len(loaded.results) == 1
    assert probes.calls == []


def test_bad_hub_endpoint_is_named(monkeypatch: pytest.MonkeyPatch, online: None, probes: CountingProbe) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "huggingface.co")
    assert_fell_back(load_results(), "HF_ENDPOINT = 'huggingface.co' is not an http:// or https:// address")
    assert probes.calls == []


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_bad_retry_setting_is_named(monkeypatch: pytest.MonkeyPatch, online: None, value: str) -> None:
    monkeypatch.setenv("AIES_HUB_RETRY_S", value)
    with pytest.raises(SettingError, match=f"AIES_HUB_RETRY_S = '{value}' is not a number of seconds"):
        settings.hub_retry_s()
    loaded = load_results()
    assert len(loaded.results) == EMBEDDED_ROWS and loaded.warning is not None and "AIES_HUB_RETRY_S" in loaded.warning


def test_retry_setting_default_and_secrets(tmp_path: Path) -> None:
    assert settings.hub_retry_s(environ={}, secrets_file=tmp_path / "none.toml") == 300.0
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("hub_retry_s = 30\n")
    assert settings.hub_retry_s(environ={}, secrets_file=secrets) == 30.0
    assert settings.hub_retry_s(environ={"AIES_HUB_RETRY_S": "0"}, secrets_file=secrets) == 0.0


class _Answer(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.mark.parametrize(("status", "reachable"), [(200, True), (401, True), (404, True), (503, False)])
def test_probe_counts_any_answer_below_500_as_reachable(status: int, reachable: bool) -> None:
    handler = type("Answer", (_Answer,), {"status": status})
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            endpoint = f"http://127.0.0.1:{server.server_address[1]}"
            failure = probe_endpoint(endpoint, "org/name", "main", 5.0)
        finally:
            server.shutdown()
    assert (failure is None) == reachable, failure
    if not reachable:
        assert failure == f"{endpoint} answered HTTP 503 (server error)"


def test_a_probe_that_breaks_is_a_failure_not_a_crash(monkeypatch: pytest.MonkeyPatch, online: None) -> None:
    def broken(endpoint: str, repo_id: str, revision: str, timeout_s: float) -> str | None:
        raise RuntimeError("probe bug")

    monkeypatch.setattr(sources, "HUB_GATE", HubGate(probe=broken, deadline_s=0.5, clock=FakeClock()))
    assert_fell_back(load_results(), "RuntimeError", "probe bug")


@pytest.mark.parametrize("column", ["task", "model", "reasoning_effort", "harness", "published_stars", "notes"])
def test_a_cell_holding_a_list_is_a_rejected_row_not_a_crash(tmp_path, column):
    frame = make_frame([row(task="asr", energy=1.0), row(task="asr", energy=2.0)])
    frame[column] = pd.Series([["low"], ["low", "high"]], dtype=object)  # a Parquet list column
    frame.to_parquet(tmp_path / "results.parquet")
    loaded = load_results(LocalSource(tmp_path))
    assert len(loaded.results) == 0 and len(loaded.rejected) == 2
    assert all(f"{column} is not a single value" in r.message() for r in loaded.rejected)


def test_an_unreadable_parquet_file_in_the_data_folder_is_named(tmp_path):
    (tmp_path / "results.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(SourceError, match="results.parquet"):
        LocalSource(tmp_path).load()


@pytest.mark.parametrize("character", ["\x7f", "\x9b", "\u202e", "\u2066", "\u200b", "\u2028"])
@pytest.mark.parametrize("column", ["model", "hardware"])
def test_text_with_a_control_or_format_character_is_a_rejected_row(tmp_path, column, character):
    """DEL and C1 controls, bidi overrides and isolates (which reverse how the rest of a list's line reads),
    zero-width and line-separator characters: an id or a hardware name shows as other text than it is."""
    spoof = {"model": f"org/{character}LM-kciuq", "hardware": f"NVIDIA H100{character} 80GB"}[column]
    frame = make_frame([row(task="asr", energy=1.0), row(task="asr", energy=2.0, **{column: spoof})])
    frame.to_parquet(tmp_path / "results.parquet")
    loaded = load_results(LocalSource(tmp_path))
    assert len(loaded.results) == 1
    (rejected,) = loaded.rejected
    assert f"{column} contains control characters (U+{ord(character):04X})" in rejected.message()


@pytest.mark.parametrize(
    "value", ["https://energy.example.org:84433", "http://localhost:0", "https://example.org:65536/x"]
)
def test_an_address_whose_port_no_server_can_have_is_refused(tmp_path, value):
    with pytest.raises(SettingError, match="AIES_PUBLIC_URL"):
        settings.public_url(environ={"AIES_PUBLIC_URL": value}, secrets_file=tmp_path / "none.toml")
    good = "https://energy.example.org:8443/board/"
    assert settings.public_url(environ={"AIES_PUBLIC_URL": good}, secrets_file=tmp_path / "none.toml") == good[:-1]

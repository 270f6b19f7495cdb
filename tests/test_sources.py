"""Sources and settings: the embedded default, a Hub dataset (a local folder standing in for the
download), and every way the configured dataset can fail."""

import uuid

import pandas as pd
import pytest

from leaderboard import settings
from leaderboard.errors import SettingError, SourceError
from leaderboard.sources import HubSource, LocalSource, load_results
from tests.builders import make_frame, row
from tests.conftest import DATA_DIR

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
    assert len(loaded.results) == 211


def test_hub_source_reads_a_dataset_folder_with_datasets(tmp_path):
    folder = hub_folder(tmp_path, make_frame([row(task="asr", energy=1.0), row(task="asr", energy=3.0)]))
    loaded = load_results(HubSource(str(folder)))
    assert loaded.warning is None
    assert loaded.results.frame["stars"].tolist() == [5, 1]


def test_invalid_rows_are_reported_not_fatal(tmp_path):
    rows = [row(energy=1.0), row(energy=-2.0), row(task="painting"), row(energy=float("nan")),
            row(model="x" * 500), row(task="text_generation", model_class="Z"), row(cohort="Feb 25")]
    loaded = load_results(HubSource(str(hub_folder(tmp_path, make_frame(rows)))))
    assert len(loaded.results) == 1
    messages = [r.message() for r in loaded.rejected]
    assert len(messages) == 6
    for expected in ("not a finite positive number", "not a known task id", "longer than 200",
                     "must be A, B or C", "is not YYYY-MM"):
        assert any(expected in m for m in messages), (expected, messages)


def test_missing_hub_dataset_falls_back_to_embedded_with_one_line(monkeypatch):
    monkeypatch.setenv("AIES_RESULTS_DATASET", "no-such-org/no-such-dataset")
    loaded = load_results()
    assert len(loaded.results) == 211
    assert "no-such-org/no-such-dataset" in loaded.warning
    assert "AIES_RESULTS_DATASET" in loaded.warning
    assert "\n" not in loaded.warning


def test_malformed_hub_dataset_falls_back(tmp_path):
    folder = hub_folder(tmp_path, pd.DataFrame({"something": [1, 2]}))
    loaded = load_results(HubSource(str(folder)))
    assert len(loaded.results) == 211
    assert "no column" in loaded.warning and "AIES_RESULTS_DATASET" in loaded.warning


def test_unreadable_hub_files_fall_back(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "README.md").write_text(CARD)
    (folder / "results.parquet").write_bytes(b"this is not parquet")
    loaded = load_results(HubSource(str(folder)))
    assert len(loaded.results) == 211 and "Could not load" in loaded.warning


def test_bad_repo_id_setting_is_named(monkeypatch):
    monkeypatch.setenv("AIES_RESULTS_DATASET", "not a repo id <script>")
    with pytest.raises(SettingError, match="AIES_RESULTS_DATASET"):
        settings.results_dataset()
    loaded = load_results()
    assert len(loaded.results) == 211 and "AIES_RESULTS_DATASET" in loaded.warning


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

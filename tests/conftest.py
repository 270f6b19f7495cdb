import os
from pathlib import Path

import pytest

from leaderboard.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
REFERENCE = ROOT / "reference"
# The embedded dataset: 206 published results and 10 of this project's runner measurements.
EMBEDDED_ROWS = 216

# Tests never use the network: the Hub client must fail fast instead of trying.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def _clean_settings(monkeypatch, tmp_path):
    for setting in SETTINGS:  # every setting from its default, whatever the shell running the tests has set
        monkeypatch.delenv(setting.env, raising=False)
    # Every test gets an empty submission store of its own, never the repository's.
    monkeypatch.setenv("AIES_STORE_DIR", str(tmp_path / "store"))
    # Keep the datasets cache out of the home folder and fresh per test.
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-datasets-cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))

"""The embedded results dataset: its rows, its corrections, its card and its layout."""

import filecmp

import datasets
import pandas as pd
import pytest

from leaderboard.schema import COLUMN_NAMES, validate_frame
from leaderboard.sources import LocalSource
from scripts.build_dataset import build, write
from tests.conftest import DATA_DIR, EMBEDDED_ROWS, REFERENCE


@pytest.fixture(scope="module")
def df():
    return LocalSource(DATA_DIR).load()


def test_row_counts_per_cohort_and_task(df):
    assert len(df) == EMBEDDED_ROWS
    assert (df["cohort"] == "2025-02").sum() == 166
    dec = df[df["cohort"] == "2025-12"]
    assert dec["task"].value_counts().to_dict() == {"text_generation": 22, "reasoning": 18}
    published = df[df["measured_by"] == "AI Energy Score leaderboard"]
    assert len(published) == 206 and (published["hardware"] == "NVIDIA H100 80GB").all()


def test_h200_measurements_are_marked_and_on_a_board_of_their_own(df):
    from leaderboard.rating import rate

    h200 = df[df["hardware"].str.contains("H200")]
    assert len(h200) == 10 and set(h200["cohort"]) == {"2026-11"}
    assert h200["hardware"].value_counts().to_dict() == {"NVIDIA H200": 9, "2 × NVIDIA H200": 1}
    # The runner's decode modes are two harnesses, rated apart on the same board.
    assert h200.groupby(["hardware", "harness"]).size().to_dict() == {
        ("NVIDIA H200", "runner/generate"): 6,
        ("NVIDIA H200", "runner/graph"): 3,
        ("2 × NVIDIA H200", "runner/generate"): 1,
    }
    assert set(h200[h200["hardware"] == "2 × NVIDIA H200"]["model_class"]) == {"C"}
    assert "image_generation" in set(h200["task"])
    assert (h200["measured_by"] == "this project's runner (random weights)").all()
    assert h200["notes"].str.contains("random weights").all()
    assert h200["source"].str.startswith("bench/gpu/results/").all()
    from leaderboard.results import Results

    boards = h200["hardware"].unique().tolist()
    assert set(Results.from_frame(df).hardware(*boards).frame["status"]) == {"random weights"}
    rated = rate(df)
    # Adding the H200 rows changes no H100 star.
    alone = rate(df[~df["hardware"].str.contains("H200")])
    assert rated.loc[alone.index, "stars"].tolist() == alone["stars"].tolist()


def test_columns_and_units(df):
    assert list(df.columns) == list(COLUMN_NAMES)
    # total_gpu_energy (kWh per 1,000 queries) x 1000 = Wh per 1,000 queries.
    distilgpt2 = df[(df["model"] == "distilbert/distilgpt2") & (df["cohort"] == "2025-02")]
    assert distilgpt2["gpu_energy_wh_per_1k"].item() == pytest.approx(1.313333)


def test_reasoning_effort_is_split_from_the_model_id(df):
    gpt = df[(df["task"] == "reasoning") & (df["model"] == "openai/gpt-oss-120b")]
    assert sorted(gpt["reasoning_effort"]) == ["high", "low", "medium"]
    assert not df["model"].str.contains(" ").any()


def test_stray_star_is_corrected_and_recorded(df):
    assert not df["model"].str.contains(r"\*", regex=True).any()
    fixed = df[df["model"] == "ibm-granite/granite-4.0-h-tiny"]
    assert len(fixed) == 1 and "stray" in fixed["notes"].item()
    assert "granite-4.0-h-tiny" in (DATA_DIR / "README.md").read_text()


def test_models_published_twice_keep_both_rows_with_their_own_run_ids(df):
    for task, model in (
        ("object_detection", "facebook/detr-resnet-50-dc5"),
        ("image_classification", "microsoft/swinv2-large-patch4-window12-192-22k"),
    ):
        rows = df[(df["task"] == task) & (df["model"] == model)]
        assert len(rows) == 2
        assert rows["run_id"].nunique() == 2
        assert rows["notes"].str.contains("twice").all()
        assert rows["gpu_energy_wh_per_1k"].nunique() == 2
    assert df["run_id"].is_unique


def test_embedded_dataset_is_valid(df):
    good, rejected = validate_frame(df)
    assert rejected == [] and len(good) == len(df)


def test_embedded_dataset_is_what_the_build_script_makes(tmp_path):
    write(build(REFERENCE / "aienergyscore"), tmp_path)
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "results.parquet"), pd.read_parquet(DATA_DIR / "results.parquet")
    )
    assert filecmp.cmp(tmp_path / "README.md", DATA_DIR / "README.md", shallow=False)


def test_datasets_library_reads_the_embedded_folder_as_a_hub_dataset(df, tmp_path):
    ds = datasets.load_dataset(str(DATA_DIR), split="train", cache_dir=str(tmp_path))
    assert ds.num_rows == len(df)
    assert set(ds.column_names) == set(COLUMN_NAMES)


def test_card_documents_every_column():
    card = (DATA_DIR / "README.md").read_text()
    for name in COLUMN_NAMES:
        assert f"`{name}`" in card
    assert "Wh" in card and "per 1,000 queries" in card

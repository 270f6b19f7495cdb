import json
import subprocess
import sys

import pandas as pd

from leaderboard.results import EXPORT_COLUMNS
from tests.conftest import EMBEDDED_ROWS, ROOT


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "leaderboard", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_export_csv_for_one_task(tmp_path):
    out = tmp_path / "reasoning.csv"
    proc = run("export", "--task", "reasoning", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(out)
    assert list(df.columns) == list(EXPORT_COLUMNS)
    assert list(df.columns[:10]) == [
        "task",
        "model",
        "model_class",
        "reasoning_effort",
        "cohort",
        "hardware",
        "harness",
        "gpu_energy_wh_per_1k",
        "stars",
        "provisional",
    ]
    # The December 2025 reasoning results: the v2 harness's measured spread, published, P(star) known.
    assert set(df["uncertainty_source"]) == {"harness"} and set(df["evidence"]) == {"published"}
    assert df["energy_rel_uncertainty"].eq(0.127).all()
    assert df[["p_star_1", "p_star_2", "p_star_3", "p_star_4", "p_star_5"]].sum(axis=1).round(9).eq(1).all()
    assert len(df) == 18 and set(df["task"]) == {"reasoning"}
    assert "openai/gpt-oss-120b" in set(df["model"])  # effort suffix removed
    assert set(df["reasoning_effort"].dropna()) == {"low", "medium", "high"}


def test_export_json_all_tasks_to_stdout():
    proc = run("export", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert len(records) == EMBEDDED_ROWS
    assert all(1 <= r["stars"] <= 5 for r in records)


def test_bad_task_names_accepted_values():
    proc = run("export", "--task", "painting")
    assert proc.returncode == 2
    assert "invalid choice: 'painting'" in proc.stderr and "text_generation" in proc.stderr

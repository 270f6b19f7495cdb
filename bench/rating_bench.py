"""Time to rate results with and without P(star), side by side in one run.

    python bench/rating_bench.py [--runs 5] [--large 1000000] [--large-runs 1] [--draws 4000]

Before: the star rule alone (``rating.rate``: stars, provisional flag, group range), what rating was
before P(star). After: the whole rating a results collection does now (``Results.from_frame``: the
rule, every result's uncertainty and its source, evidence, P(star) by ``--draws`` draws). Two inputs:
the embedded dataset (every result, its real groups and uncertainties) and ``--large`` synthetic
results (11 tasks x 3 classes x 3 rounds x 2 boards x 2 harnesses, lognormal energies, every result
with a 10% uncertainty, so every group is simulated). Medians of ``--runs`` (``--large-runs``) runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import timed  # noqa: E402
from leaderboard import rating  # noqa: E402
from leaderboard.rating import rate  # noqa: E402
from leaderboard.results import Results  # noqa: E402
from leaderboard.schema import COLUMN_NAMES  # noqa: E402
from leaderboard.sources import LocalSource  # noqa: E402
from leaderboard.tasks import TASK_IDS  # noqa: E402


def synthetic(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(42)
    frame = pd.DataFrame(
        {
            "run_id": [f"run-{i}" for i in range(n)],
            "task": rng.choice(list(TASK_IDS), n),
            "model": "org/model",
            "provider": "org",
            "model_class": rng.choice(["A", "B", "C"], n),
            "reasoning_effort": None,
            "cohort": rng.choice(["2025-02", "2025-12", "2026-06"], n),
            "test_date": "2026-06",
            "hardware": rng.choice(["NVIDIA H100 80GB", "NVIDIA H200"], n),
            "gpu_energy_wh_per_1k": rng.lognormal(1, 2, n),
            "source": "synthetic",
            "measured_by": "synthetic",
            "harness": rng.choice(["runner/generate", "runner/graph"], n),
            "energy_rel_uncertainty": 0.1,
            "uncertainty_source": "repeats",
            "uncertainty_n": 3,
            "uncertainty_note": "synthetic",
            "evidence": "reproduced",
        }
    )
    for column in COLUMN_NAMES:
        if column not in frame:
            frame[column] = None
    return frame


def line(name: str, before: list[float], after: list[float]) -> None:
    b, a = statistics.median(before), statistics.median(after)
    print(f"| {name} | {b:.3f} s | {a:.3f} s | {a / b:.1f}x |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=int, default=1_000_000, help="synthetic results (0: skip)")
    parser.add_argument("--large-runs", type=int, default=1)
    parser.add_argument("--draws", type=int, default=rating.DRAWS)
    args = parser.parse_args()
    rating.DRAWS = args.draws  # what Results.from_frame simulates with

    embedded = LocalSource(ROOT / "data").load()
    print(f"draws per result: {args.draws}; machine: {sys.platform}, numpy {np.__version__}")
    print("| input | before: star rule only | after: with uncertainty and P(star) | after / before |")
    print("|---|---|---|---|")
    line(
        f"embedded dataset ({len(embedded)} results)",
        timed(lambda: rate(embedded), args.runs),
        timed(lambda: Results.from_frame(embedded), args.runs),
    )
    if args.large:
        frame = synthetic(args.large)
        line(
            f"{args.large:,} synthetic results",
            timed(lambda: rate(frame), args.large_runs),
            timed(lambda: Results.from_frame(frame), args.large_runs),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fixture builders with keyword defaults: ``make_frame([row(task="asr", energy=0.02)])``."""

from __future__ import annotations

import itertools

import pandas as pd

from leaderboard.harnesses import UNRECORDED
from leaderboard.schema import COLUMN_NAMES, provider_of
from leaderboard.tasks import round_harness

_ids = itertools.count()


def row(
    task="asr",
    model=None,
    energy=1.0,
    model_class=None,
    cohort="2025-02",
    hardware="NVIDIA H100 80GB",
    effort=None,
    **extra,
) -> dict:
    if model is None:
        model = f"org/model-{next(_ids)}"
    if model_class is None and task in ("text_generation", "reasoning"):
        model_class = "A"
    run_id = f"{cohort}/{task}/{model}" + (f"/{effort}" if effort else "") + f"#{next(_ids)}"
    base = {
        "run_id": run_id,
        "task": task,
        "model": model,
        "provider": provider_of(model),
        "model_class": model_class,
        "reasoning_effort": effort,
        "cohort": cohort,
        "test_date": cohort,
        "hardware": hardware,
        "gpu_energy_wh_per_1k": energy,
        "source": "test",
        "published_stars": None,
        "notes": None,
        "harness": round_harness(task, cohort) or UNRECORDED,  # as validate_frame fills it
    }
    base.update(extra)
    return base


def make_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(COLUMN_NAMES))

"""Convert the published AI Energy Score CSVs into the project's results dataset.

    python scripts/build_dataset.py [--source reference/aienergyscore] [--out data]

Writes ``data/results.parquet`` and the dataset card ``data/README.md`` (Hugging Face
``datasets`` layout: the card's YAML names the data file, so ``datasets.load_dataset("data")``
reads it). Output is deterministic: the same inputs give the same rows in the same order.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaderboard.hardware import OFFICIAL_HARDWARE, board_name  # noqa: E402
from leaderboard.harnesses import harness_name, runner_harness  # noqa: E402
from leaderboard.results import RUNNER_MEASUREMENT  # noqa: E402
from leaderboard.runfolder import RUNNER_SUMMARY  # noqa: E402
from leaderboard.runsummary import RunSummary  # noqa: E402
from leaderboard.schema import COLUMN_NAMES, COLUMNS, provider_of, validate_frame  # noqa: E402
from leaderboard.tasks import REASONING_EFFORTS, TASKS_BY_ID, round_harness  # noqa: E402
from leaderboard.uncertainty import assign as assign_uncertainty  # noqa: E402
from leaderboard.uncertainty import from_repeats  # noqa: E402

HARDWARE_H100 = OFFICIAL_HARDWARE
PUBLISHED_BY = "AI Energy Score leaderboard"
MEASURED_HERE = RUNNER_MEASUREMENT
GPU_RESULTS = ROOT / "bench" / "gpu" / "results"
RUNNER_CONFIGS = ROOT / "runner" / "configs"
CLASS_A = "A"
MEASURED_MONTH = "2026-11"  # when the committed H200 runs in bench/gpu/results were made
DECEMBER_MONTHS = {"Feb 25": "2025-02", "Dec 25": "2025-12"}
PUBLISHED = "published"  # leaderboard.evidence kinds
REPRODUCED = "reproduced"
STRAY_CORRECTIONS = {"ibm-granite/*granite-4.0-h-tiny": "ibm-granite/granite-4.0-h-tiny"}


def _row(
    task,
    model,
    energy_kwh,
    cohort,
    test_date,
    source,
    *,
    model_class=None,
    effort=None,
    published_stars=None,
    notes=None,
):
    return {
        "task": task,
        "model": model,
        "provider": provider_of(model),
        "model_class": model_class,
        "reasoning_effort": effort,
        "cohort": cohort,
        "test_date": test_date,
        "hardware": HARDWARE_H100,
        # total_gpu_energy is GPU kWh per 1,000-query pass; x1000 gives Wh per 1,000 queries.
        "gpu_energy_wh_per_1k": round(float(energy_kwh) * 1000, 9),
        "source": source,
        "published_stars": published_stars,
        "notes": notes,
        "measured_by": PUBLISHED_BY,
        "harness": round_harness(task, cohort),
        "harness_version": None,
        "evidence": PUBLISHED,
    }


def february_rows(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.csv")):
        task = path.stem
        if task not in TASKS_BY_ID:
            raise SystemExit(f"{path}: unknown task {task!r}")
        df = pd.read_csv(path)
        seen = df["model"].value_counts()
        for rec in df.to_dict("records"):
            notes = None
            if seen[rec["model"]] > 1:
                notes = "Published twice in this task with different energies (separate runs); both rated."
            rows.append(
                _row(
                    task,
                    rec["model"],
                    rec["total_gpu_energy"],
                    "2025-02",
                    "2025-02",
                    f"leaderboard-2025-02/{path.name}",
                    model_class=rec.get("class") if TASKS_BY_ID[task].has_classes else None,
                    published_stars=int(rec["energy_score"]),
                    notes=notes,
                )
            )
    return rows


def december_rows(folder: Path) -> list[dict]:
    rows = []
    for name in ("text_generation", "reasoning"):
        path = folder / f"{name}.csv"
        df = pd.read_csv(path)
        for rec in df.to_dict("records"):
            test_date = DECEMBER_MONTHS[rec["test date"].strip()]
            if test_date != "2025-12":
                continue  # the February rows again, rounded: already in the 2025-02 cohort
            raw = rec["model"].strip()
            model, effort, notes = raw, None, None
            head, _, tail = raw.rpartition(" ")
            if head and tail in REASONING_EFFORTS:
                model, effort = head, tail
            if model in STRAY_CORRECTIONS:
                notes = f"Published as {model!r}; stray '*' removed."
                model = STRAY_CORRECTIONS[model]
            rows.append(
                _row(
                    name,
                    model,
                    rec["total_gpu_energy"],
                    "2025-12",
                    test_date,
                    f"leaderboard-2025-12/{path.name}",
                    model_class=rec["class"],
                    effort=effort,
                    notes=notes,
                )
            )
    return rows


# The runner's own measurements that join the dataset (bench/gpu/results/<part>/runs/<run>): each
# on the board of its GPU, GPU count and decode mode, in a cohort of its own.
MEASURED_RUNS = (
    "part-1/runs/tg-llama-8b",
    "part-1/runs/ic-vit-base",
    "part-2/runs/tg-gpt2",
    "part-2/runs/tg-llama-1b",
    "part-2/runs/tc-bert-base",
    "round2-b/runs/ig-sd15",
    "round2-b/runs/tg-llama-70b-2gpu",
    "round2-c/runs/tg-gpt2-graph",
    "round2-c/runs/tg-llama-1b-graph",
    "round2-c/runs/tg-llama-8b-graph",
)
# Classes of the mirrored models by parameter count (SPEC §2): Llama-3.1-70B is over 66 B.
MEASURED_CLASSES = {"llama-70b": "C"}


def measured_rows(results: Path = GPU_RESULTS) -> list[dict]:
    """The runner's own H200 measurements (bench/gpu/results): a cohort and boards of their own."""
    rows = []
    for run in MEASURED_RUNS:
        path = results / run / RUNNER_SUMMARY
        summary = RunSummary.from_json(json.loads(path.read_text()), str(path))
        config, task = summary.architecture_config or summary.model, summary.task
        hub_id = (
            json.loads((RUNNER_CONFIGS / f"{config}.json").read_text())["hub_id"]
            if "/" not in summary.model
            else summary.model
        )
        month = MEASURED_MONTH
        phases = ", ".join(f"{name} {p.gpu_energy_wh_per_1k:.4f}" for name, p in summary.phases.items())
        board = board_name(summary.gpu.name, summary.gpu.count)
        harness = runner_harness(summary.settings.decode_mode)
        how = f", {harness_name(harness)}"
        repeats = min(len(p.values_wh_per_1k) for p in summary.phases.values())
        totals = [sum(p.values_wh_per_1k[i] for p in summary.phases.values()) for i in range(repeats)]
        own = from_repeats(totals)
        rows.append(
            {
                "task": task,
                "model": hub_id,
                "provider": provider_of(hub_id),
                "model_class": MEASURED_CLASSES.get(config, CLASS_A) if TASKS_BY_ID[task].has_classes else None,
                "reasoning_effort": None,
                "cohort": month,
                "test_date": month,
                "hardware": board,
                "gpu_energy_wh_per_1k": round(summary.total_gpu_energy_wh_per_1k, 6),
                "source": path.parent.relative_to(ROOT).as_posix(),
                "published_stars": None,
                "notes": (
                    f"Measured by this project on {board} with random weights of this "
                    f"architecture (runner config {config}, --no-weights, {summary.dtype}{how}), "
                    f"{summary.num_queries} queries x {summary.repeats} repeats, 95% CI "
                    f"±{summary.total_ci95_wh_per_1k or 0:.3f} Wh; phases (Wh/1k queries): {phases}."
                ),
                "measured_by": MEASURED_HERE,
                "harness": harness,
                "harness_version": summary.software.get("runner_version"),
                "energy_rel_uncertainty": own.rel if own else None,
                "uncertainty_source": own.source if own else None,
                "uncertainty_n": own.n if own else None,
                "uncertainty_note": own.note if own else None,
                "evidence": REPRODUCED,
            }
        )
    return rows


def assign_run_ids(rows: list[dict]) -> None:
    counts: dict[str, int] = {}
    for row in rows:
        base = f"{row['cohort']}/{row['task']}/{row['model']}"
        if row["reasoning_effort"]:
            base += f"/{row['reasoning_effort']}"
        counts[base] = counts.get(base, 0) + 1
        row["run_id"] = base if counts[base] == 1 else f"{base}#{counts[base]}"


def build(source: Path) -> pd.DataFrame:
    rows = (
        february_rows(source / "leaderboard-2025-02") + december_rows(source / "leaderboard-2025-12") + measured_rows()
    )
    assign_run_ids(rows)
    df = pd.DataFrame([{name: r.get(name) for name in COLUMN_NAMES} for r in rows])
    good, rejected = validate_frame(df)
    if rejected:
        raise SystemExit("Invalid rows:\n" + "\n".join(r.message() for r in rejected))
    # Every row's uncertainty as the loader gives it (its own repeats, else its harness's spread, else unknown).
    return assign_uncertainty(good)[list(COLUMN_NAMES)]


CARD = """---
license: cc-by-4.0
pretty_name: AI Energy Score results
configs:
- config_name: default
  data_files:
  - split: train
    path: results.parquet
---

# AI Energy Score results

GPU energy per 1,000 queries of AI models on eleven fixed inference tasks, as published by the
AI Energy Score leaderboard, in one table. {n_rows} rows: {counts}.

## Units

`gpu_energy_wh_per_1k` is **GPU energy in watt-hours (Wh) per 1,000 queries**, summed over the
measured phases (preprocess, prefill, decode; or forward; or the pipeline call). The published
CSV column `total_gpu_energy` is GPU kWh for the 1,000-query pass; this dataset stores
`total_gpu_energy × 1000`. CPU and RAM energy never enter the figure.

## Columns

| column | type | required | meaning |
|---|---|---|---|
{columns}

Stars are not stored: the leaderboard computes them from the energies (within each task,
model class, cohort, hardware and harness). `published_stars` keeps the February 2025 board's own
stars so that a regression test can check the rule reproduces them.

## Provenance

- Cohort `2025-02`: the February 2025 leaderboard, 10 tasks, 166 rows
  (`leaderboard-2025-02/<task>.csv`, columns `model,total_gpu_energy,energy_score[,class]`).
- Cohort `2025-12`: the December 2025 round, rows with `test date` = `Dec 25` from
  `leaderboard-2025-12/text_generation.csv` (22 rows) and `reasoning.csv` (18 rows).
  The 40 `Feb 25` rows of the December text-generation file are the February rows again,
  rounded to 6 decimals, and are not repeated here.
- Hardware of every published row: NVIDIA H100 80GB.
- Cohort `2026-11`: {n_measured} rows measured by this project's benchmark runner on NVIDIA H200 GPUs
  with **random weights** of each model's architecture (`measured_by` says so; `notes` gives the
  runner config, decode mode, queries, repeats, confidence interval and phases; `source` points to
  the run folder in `bench/gpu/results/`). They are architecture estimates, rated on boards of their
  own and never together with H100 results: `NVIDIA H200` and `2 × NVIDIA H200` (a 70 B model
  sharded over two GPUs, energy summed over both); the runner's two decode modes are two harnesses
  (`runner/generate`, `runner/graph`), rated apart.

## Harnesses

The `harness` column names the code that measured each row (`leaderboard/harnesses.py`); it is part
of the rating group, because harnesses do not measure the same thing (on one H200, one model: the
official v2 harness read ~3x this project's runner in its generate mode). Published rows carry their
round's harness (`leaderboard/tasks.py`, `ROUNDS`, with how it is known): cohort `2025-02`
`optimum-benchmark/energy_star_dev`, cohort `2025-12` `ai_energy_benchmarks/pytorch`.

## Uncertainty and evidence

`energy_rel_uncertainty` is the relative standard uncertainty of `gpu_energy_wh_per_1k`, and
`uncertainty_source` where it comes from: `repeats` (the coefficient of variation of the result's own
complete repeats, `uncertainty_n` of them), `harness` (the run-to-run spread measured for its harness,
`leaderboard/uncertainty.py` `HARNESS_SPREADS`, from runs committed under `bench/gpu/results/`) or
`unknown` (empty figure: never zero). No two runs of one model under optimum-benchmark
`energy_star_dev` are on record, so the February 2025 rows' uncertainty is unknown. A loader takes a
`repeats` figure as stored and every other row's from the harness table. `evidence` says what backs
a row: `published` (an official round) or `reproduced` (measured by this project's maintainers).

## Corrections

- Reasoning ids carry the effort after a space (`openai/gpt-oss-120b high`): split into
  `model` and `reasoning_effort`.
- `ibm-granite/*granite-4.0-h-tiny` (December text generation) has a stray `*`: corrected to
  `ibm-granite/granite-4.0-h-tiny`; the row's `notes` records it.
- `facebook/detr-resnet-50-dc5` (object detection) and
  `microsoft/swinv2-large-patch4-window12-192-22k` (image classification) were published twice
  with different energies (separate runs). Both rows are kept and rated, as on the published
  board; the second of each has run id suffix `#2` and both carry a note.

Rebuild: `python scripts/build_dataset.py`.
"""


def write(df: pd.DataFrame, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(out / "results.parquet", index=False)
    counts = ", ".join(f"{c} {n}" for c, n in df["cohort"].value_counts().sort_index().items())
    columns = "\n".join(
        f"| `{c.name}` | {c.dtype} | {'yes' if c.required else 'no'} | {c.description} |" for c in COLUMNS
    )
    n_measured = int((df["measured_by"] == MEASURED_HERE).sum())
    (out / "README.md").write_text(CARD.format(n_rows=len(df), counts=counts, columns=columns, n_measured=n_measured))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "reference" / "aienergyscore")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    df = build(args.source)
    write(df, args.out)
    print(f"wrote {len(df)} rows to {args.out / 'results.parquet'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

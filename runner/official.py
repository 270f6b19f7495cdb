"""``run --harness aies-v2``: the official AIEnergyScore v2 harness itself, with this project's NVML
reading of the same window beside it.

The harness is the ``ai_energy_benchmarks`` package (pinned as the official image pins it:
``AIEB_VERSION`` with codecarbon ``CODECARBON_VERSION``), driven the way the official
``run_ai_energy_benchmark.py`` drives it: the task's official config (dataset, text column,
generation lengths: from the task registry) converted into the package's ``BenchmarkConfig``, its
``BenchmarkRunner`` run unmodified, its results written as ``benchmark_report.json``, then the
summariser's ``GPU_ENERGY_SUMMARY.json`` and ``GPU_ENERGY_WH.txt`` (``leaderboard.runfolder``).
Nothing of the measurement is re-implemented: the only addition is a wrapper around the package's
CodeCarbon collector that reads this project's meter (NVML's energy counter, per GPU) right after
the collector starts and right before it stops, written to ``nvml_crosscheck.json``.

No network: the Hub and datasets libraries run offline, and every HTTP(S) request goes to a closed
loopback port, so CodeCarbon's location and cloud look-ups fail at once instead of waiting on
timeouts; CodeCarbon then falls back to its default location (emissions are not the score).
The v2 harness loads causal language models: it runs text generation.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaderboard.errors import WorkloadError
from leaderboard.runfolder import (
    BENCHMARK_REPORT,
    DOCKER_SUMMARY,
    DOCKER_WH_TEXT,
    NVML_CROSSCHECK,
    V2_EMISSIONS_DIR,
    V2_RESULTS_CSV,
    dump_json,
    v2_summary,
    zip_folder,
)
from leaderboard.tasks import get_task
from runner.meter import EnergyMeter

AIEB_VERSION = "0.0.4"
CODECARBON_VERSION = "3.0.4"
V2_TASKS = ("text_generation",)
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: a request is refused at once
_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HTTP_PROXY": CLOSED_PORT,
    "HTTPS_PROXY": CLOSED_PORT,
    "http_proxy": CLOSED_PORT,
    "https_proxy": CLOSED_PORT,
}


@dataclass
class Window:
    """This project's meter over the collector's window: counter readings (mJ, per GPU) and times."""

    start_mj: list[int] | None = None
    end_mj: list[int] | None = None
    start_s: float = 0.0
    end_s: float = 0.0

    def per_gpu_wh(self) -> list[float]:
        if self.start_mj is None or self.end_mj is None:
            raise WorkloadError("The harness never started or stopped its energy window: no reading to compare.")
        return [(b - a) / 3_600_000.0 for a, b in zip(self.start_mj, self.end_mj, strict=True)]


def go_offline() -> None:
    """Hub, datasets and every HTTP(S) request offline for this process (see the module docstring)."""
    for key in ("NO_PROXY", "no_proxy"):
        os.environ.pop(key, None)
    os.environ.update(_OFFLINE_ENV)


def package_versions() -> dict[str, str]:
    """The harness's installed versions; a missing or other version is a clear error."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name, pinned in (("ai-energy-benchmarks", AIEB_VERSION), ("codecarbon", CODECARBON_VERSION)):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            raise WorkloadError(
                f"--harness aies-v2 runs the official harness, which is not installed: "
                f"pip install ai-energy-benchmarks=={AIEB_VERSION} codecarbon=={CODECARBON_VERSION} "
                "(requirements-runner.txt pins both)."
            ) from None
        if found[name] != pinned:
            print(f"warning: {name} {found[name]} is installed; the official image pins {pinned}.", file=sys.stderr)
    return found


def write_prompts(folder: Path, texts: list[str], column: str) -> Path:
    """A local dataset folder that ``datasets.load_dataset(folder, split='train')`` reads (JSON lines)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "train.jsonl").open("w", encoding="utf-8") as out:
        for text in texts:
            out.write(json.dumps({column: text}) + "\n")
    return folder


def word_tokenizer_texts(token_ids: list[list[int]]) -> list[str]:
    """Token-id queries as text for ``word_tokenizer``: one word per token, so lengths are kept."""
    return [" ".join(f"w{i}" for i in ids) for ids in token_ids]


def save_word_tokenizer(folder: Path, vocab_size: int) -> None:
    """A word-level tokenizer of the model's vocabulary size ('w0' … 'wN'), saved beside a random-weights
    model so the harness can load both from one folder with no download."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {f"w{i}": i for i in range(vocab_size - 1)}
    vocab["[UNK]"] = vocab_size - 1
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", eos_token="[UNK]")
    fast.save_pretrained(folder)


def run_official(
    *,
    task_id: str,
    model_dir: Path,
    dataset_dir: Path,
    num_samples: int,
    device: str,
    device_ids: list[int],
    out: Path,
    meter: EnergyMeter,
    meter_kind: str,
    make_zip: bool = False,
) -> dict[str, Any]:
    """Run the official harness over ``num_samples`` prompts of ``dataset_dir`` and write its folder to
    ``out`` with the cross-check beside it. Returns the harness's results."""
    if task_id not in V2_TASKS:
        raise WorkloadError(
            f"The v2 harness loads causal language models: it runs {', '.join(V2_TASKS)}, not {task_id}."
        )
    task = get_task(task_id)
    versions = package_versions()
    go_offline()
    from ai_energy_benchmarks.config.parser import (
        BackendConfig,
        BenchmarkConfig,
        MetricsConfig,
        ReporterConfig,
        ScenarioConfig,
    )
    from ai_energy_benchmarks.runner import BenchmarkRunner

    out.mkdir(parents=True, exist_ok=True)
    new_tokens = task.protocol.new_tokens or 10
    # As the official wrapper converts the task's config: the generation lengths, the text column,
    # CodeCarbon's country and region, the CSV reporter inside the results folder.
    config = BenchmarkConfig(
        name="ai_energy_benchmark",
        backend=BackendConfig(type="pytorch", model=str(model_dir), device=device, device_ids=device_ids),
        scenario=ScenarioConfig(
            dataset_name=str(dataset_dir),
            text_column_name=task.input_columns[0],
            num_samples=num_samples,
            generate_kwargs={"max_new_tokens": new_tokens, "min_new_tokens": new_tokens},
        ),
        metrics=MetricsConfig(
            enabled=True,
            type="codecarbon",
            project_name="ai_energy_benchmark",
            output_dir=str(out / V2_EMISSIONS_DIR),
            country_iso_code="USA",
            region="california",
        ),
        reporter=ReporterConfig(type="csv", output_file=str(out / V2_RESULTS_CSV)),
        output_dir=str(out),
    )
    bench = BenchmarkRunner(config)
    window = Window()
    _instrument(bench, meter, window, device)
    results: dict[str, Any] = bench.run()
    (out / BENCHMARK_REPORT).write_text(json.dumps(results, indent=2))
    official_wh = float(results.get("energy", {}).get("gpu_energy_wh", 0.0))
    summary, wh_text = v2_summary(official_wh)
    dump_json(out / DOCKER_SUMMARY, summary)
    (out / DOCKER_WH_TEXT).write_text(wh_text)
    per_gpu = window.per_gpu_wh()
    dump_json(
        out / NVML_CROSSCHECK,
        {
            "ai_energy_benchmarks_version": versions["ai-energy-benchmarks"],
            "codecarbon_version": versions["codecarbon"],
            "meter": meter_kind,
            "window_s": window.end_s - window.start_s,
            "official_gpu_energy_wh": official_wh,
            "nvml_gpu_energy_wh": sum(per_gpu),
            "nvml_per_gpu_wh": per_gpu,
            "gpu": meter.describe().to_json(),
        },
    )
    if make_zip:
        zip_folder(out)
    return results


def _instrument(bench: Any, meter: EnergyMeter, window: Window, device: str) -> None:
    """Read this project's meter at the edges of the harness's own CodeCarbon window."""
    collector = bench.metrics_collector
    if collector is None:
        raise WorkloadError("The harness's metrics are disabled: it would measure nothing.")
    start, stop = collector.start, collector.stop

    def sync() -> None:
        if device.startswith("cuda"):
            import torch

            torch.cuda.synchronize()

    def started() -> None:
        start()
        sync()
        window.start_mj, window.start_s = meter.read_mj(), time.perf_counter()

    def stopped() -> Any:
        sync()
        window.end_mj, window.end_s = meter.read_mj(), time.perf_counter()
        return stop()

    collector.start, collector.stop = started, stopped

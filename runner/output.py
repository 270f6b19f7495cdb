"""Writing a run folder through the run-folder contract (``leaderboard.runfolder``): the summary,
optimum-benchmark's config and report, and the checksums."""

from __future__ import annotations

import platform
from pathlib import Path

from leaderboard.runfolder import (
    BENCHMARK_CONFIG,
    BENCHMARK_REPORT,
    J_PER_WH,
    RUNNER_SUMMARY,
    GpuInfo,
    dump_json,
    file_hashes,
    write_checksums,
    zip_folder,
)
from leaderboard.runsummary import (
    Inputs,
    Overhead,
    PhaseSummary,
    RunSettings,
    RunSummary,
    report_json,
)
from leaderboard.tasks import get_task
from runner.protocol import RunRecord
from runner.stats import summarize


def phase_summaries(record: RunRecord, num_queries: int) -> dict[str, PhaseSummary]:
    """Each counted phase of the task, per repeat and summarised, from the measured record."""
    phases: dict[str, PhaseSummary] = {}
    for name in get_task(record.task).phases:
        rec = record.phases.get(name)
        if rec is None:
            continue
        per_1k = [j / J_PER_WH * 1000.0 / num_queries for j in rec.energy_j]  # Wh per 1,000 queries
        s = summarize(per_1k)
        reference = [kwh * 1000.0 * 1000.0 / num_queries for kwh in rec.reference_kwh]
        gpus = len(rec.per_gpu_j[0]) if rec.per_gpu_j else 0
        per_gpu = tuple(
            sum(repeat[g] for repeat in rec.per_gpu_j) / len(rec.per_gpu_j) / J_PER_WH * 1000.0 / num_queries
            for g in range(gpus)
        )
        duration_s = sum(rec.duration_s) / len(rec.duration_s)
        idle_w = (record.idle_power_w_before + record.idle_power_w_after) / 2
        phases[name] = PhaseSummary(
            gpu_energy_wh=sum(rec.energy_j) / len(rec.energy_j) / J_PER_WH,
            gpu_energy_wh_per_1k=s.mean,
            values_wh_per_1k=tuple(per_1k),
            ci95_wh_per_1k=s.ci95,
            cv=s.cv,
            duration_s=duration_s,
            passes_per_window=rec.passes,
            window_s=tuple(rec.window_s),
            reference_codecarbon_wh_per_1k=summarize(reference).mean if reference else None,
            reference_codecarbon_values_wh_per_1k=tuple(reference),
            per_gpu_wh_per_1k=per_gpu if gpus > 1 else (),
            idle_wh_per_1k=idle_w * duration_s / J_PER_WH * 1000.0 / num_queries,
            passes_per_repeat=tuple(rec.passes_per_repeat),
        )
    return phases


def write_run(
    out: Path,
    *,
    model: str,
    architecture_config: str | None = None,
    no_weights: bool,
    parameters: int | None = None,
    dtype: str,
    num_queries: int,
    repeats: int,
    new_tokens: int | None,
    gpu: GpuInfo,
    record: RunRecord,
    inputs: Inputs,
    software: dict[str, str],
    settings: RunSettings | None = None,
) -> RunSummary:
    """Write the run folder and return its summary."""
    task = get_task(record.task)
    out.mkdir(parents=True, exist_ok=True)
    phases = phase_summaries(record, num_queries)
    totals = [sum(p.values_wh_per_1k[i] for p in phases.values()) for i in range(repeats)]
    total = summarize(totals)
    config = {
        "name": f"energy_score_{task.id}",
        "backend": {
            "name": "pytorch",
            "model": model,
            "task": task.pipeline_task,
            "device": "cuda",
            "no_weights": no_weights,
            "torch_dtype": dtype,
            "architecture_config": architecture_config,
        },
        "scenario": {
            "name": "energy_star",
            "num_samples": num_queries,
            "repeats": repeats,
            "generate_kwargs": {"min_new_tokens": new_tokens, "max_new_tokens": new_tokens} if new_tokens else None,
            "inputs": inputs.to_json(),
            "settings": (settings or RunSettings(new_tokens=new_tokens)).to_json(),
        },
        "environment": {
            "gpu": list(gpu.names),
            "gpu_count": gpu.count,
            "nvidia_driver_version": gpu.driver,
            "platform": platform.platform(),
            "python_version": platform.python_version(),
            **software,
        },
    }
    dump_json(out / BENCHMARK_CONFIG, config)
    dump_json(out / BENCHMARK_REPORT, report_json(phases))
    summary = RunSummary(
        task=task.id,
        model=model,
        num_queries=num_queries,
        repeats=repeats,
        gpu=gpu,
        phases=phases,
        total_gpu_energy_wh_per_1k=total.mean,
        dtype=dtype,
        no_weights=no_weights,
        parameters=parameters,
        architecture_config=architecture_config,
        total_ci95_wh_per_1k=total.ci95,
        total_cv=total.cv,
        idle_power_w_before=record.idle_power_w_before,
        idle_power_w_after=record.idle_power_w_after,
        inputs=inputs,
        settings=settings or RunSettings(new_tokens=new_tokens),
        software=software,
        overhead=Overhead(record.meter_reads, record.overhead_s, record.wall_s),
        files_sha256=file_hashes(out),
        gates=record.gates,
    )
    dump_json(out / RUNNER_SUMMARY, summary.to_json())
    write_checksums(out)
    return summary


def zip_run(out: Path) -> Path:
    return zip_folder(out)

"""The run folder: optimum-benchmark's current layout plus the project's own summary."""

from __future__ import annotations

import hashlib
import json
import platform
import zipfile
from pathlib import Path

from runner.protocol import RunRecord
from runner.stats import summarize
from runner.workloads import PIPELINE_TASK

SUMMARY_FILE = "energy_score_summary.json"
COUNTED = ("preprocess", "prefill", "decode", "forward")


def _dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_run(out: Path, *, task: str, model: str, no_weights: bool, dtype: str, num_queries: int, repeats: int,
              new_tokens: int | None, gpu: dict, record: RunRecord, inputs: dict, software: dict) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    phases = {}
    for name in COUNTED:
        rec = record.phases.get(name)
        if rec is None:
            continue
        per_1k = [j / 3600.0 * 1000.0 / num_queries for j in rec.energy_j]     # Wh per 1,000 queries
        s = summarize(per_1k)
        entry = {"gpu_energy_wh": sum(rec.energy_j) / len(rec.energy_j) / 3600.0,
                 "gpu_energy_wh_per_1k": s.mean, "ci95_wh_per_1k": s.ci95, "cv": s.cv,
                 "values_wh_per_1k": per_1k, "duration_s": sum(rec.duration_s) / len(rec.duration_s),
                 "passes_per_window": rec.passes, "window_s": rec.window_s, "repeats": len(per_1k)}
        if rec.reference_kwh:
            ref = [k * 1000.0 * 1000.0 / num_queries for k in rec.reference_kwh]
            entry["reference_codecarbon_wh_per_1k"] = summarize(ref).mean
            entry["reference_codecarbon_values_wh_per_1k"] = ref
        phases[name] = entry
    total_values = [sum(phases[p]["values_wh_per_1k"][i] for p in phases) for i in range(repeats)]
    total = summarize(total_values)
    report = {}
    for name, entry in phases.items():
        kwh = entry["gpu_energy_wh"] / 1000.0
        key = "preprocess_dataset" if name == "preprocess" else name
        report[key] = {"memory": None, "latency": {"unit": "s", "values": [entry["duration_s"]]},
                       "throughput": None, "energy": {"unit": "kWh", "cpu": None, "ram": None, "gpu": kwh, "total": kwh},
                       "efficiency": None}
    config = {"name": f"energy_score_{task}", "backend": {"name": "pytorch", "model": model, "task": PIPELINE_TASK[task],
                                                          "device": "cuda", "no_weights": no_weights,
                                                          "torch_dtype": dtype},
              "scenario": {"name": "energy_star", "num_samples": num_queries, "repeats": repeats,
                           "generate_kwargs": ({"min_new_tokens": new_tokens, "max_new_tokens": new_tokens}
                                               if new_tokens else None), "inputs": inputs},
              "environment": {"gpu": gpu["names"], "gpu_count": gpu["count"], "nvidia_driver_version": gpu["driver"],
                              "platform": platform.platform(), "python_version": platform.python_version(),
                              **software}}
    summary = {"schema_version": 1, "task": task, "model": model, "no_weights": no_weights, "dtype": dtype,
               "num_queries": num_queries, "repeats": repeats, "gpu": gpu, "phases": phases,
               "total_gpu_energy_wh_per_1k": total.mean, "total_ci95_wh_per_1k": total.ci95, "total_cv": total.cv,
               "idle_power_w": {"before": record.idle_power_w_before, "after": record.idle_power_w_after},
               "inputs": inputs, "software": software,
               "overhead": {"meter_reads": record.meter_reads, "edge_time_s": record.overhead_s,
                            "run_wall_s": record.wall_s, "share_of_run": record.overhead_s / record.wall_s}}
    _dump(out / "benchmark_config.json", config)
    _dump(out / "benchmark_report.json", report)
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())
              if p.is_file() and p.name not in (SUMMARY_FILE, "SHA256SUMS")}
    summary["files_sha256"] = hashes
    _dump(out / SUMMARY_FILE, summary)
    hashes[SUMMARY_FILE] = hashlib.sha256((out / SUMMARY_FILE).read_bytes()).hexdigest()
    (out / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in sorted(hashes.items())))
    return summary


def zip_run(out: Path) -> Path:
    target = out.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.rglob("*")):
            if path.is_file():
                zf.write(path, f"{out.name}/{path.relative_to(out).as_posix()}")
    return target

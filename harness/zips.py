"""Builders for benchmark-log zips: every accepted layout with keyword defaults (on the official
protocol unless told otherwise), and byte-exact zips (fixed member times: the same files always give
the same bytes and the same SHA-256)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta

from leaderboard.gates import MIN_STEADY_S, THRESHOLDS, RunGates, WindowGate, reasons_of
from leaderboard.hardware import board_of
from leaderboard.runfolder import (
    ENERGY_UNITS_TO_WH,
    GpuInfo,
)
from leaderboard.runsummary import (
    Inputs,
    PhaseSummary,
    RunSettings,
    RunSummary,
    report_json,
)
from leaderboard.tasks import TASKS_BY_ID, task_for_pipeline

FIXED_TIME = (2025, 1, 1, 0, 0, 0)
H100 = "NVIDIA H100 80GB HBM3"
DTYPE = {"BF16": "bfloat16", "FP32": "float32"}


def make_zip(files: dict, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """files: name -> bytes, str, or a JSON-able object. Member times are fixed, so the same files
    always give the same bytes (and the same SHA-256)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, body in files.items():
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body, indent=2)
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            zf.writestr(info, body, compress_type=compression)
    return buffer.getvalue()


def board_memory_bytes(gpu: str) -> int:
    """The memory NVML reports for one GPU of this name: 85,520,809,984 bytes for an H100 80GB (a real
    run's), and the same share of its size as sold for another known board (24 GiB for one not known)."""
    board = board_of(gpu)
    gib = board.memory_gib[0] if board is not None and board.memory_gib else 24.0
    return round(85520809984 / 80.0 * gib)


def energy(gpu_kwh, unit="kWh"):
    """An optimum-benchmark energy record: cpu, ram, gpu and their total."""
    return {"unit": unit, "cpu": 0.001, "ram": 0.0001, "gpu": gpu_kwh, "total": (gpu_kwh or 0) + 0.0011}


def config(
    model="org/model",
    task="text-generation",
    num_samples=1000,
    gpu=H100,
    gpu_count=1,
    *,
    scenario="energy_star",
    section="scenario",
    dataset=None,
    new_tokens=None,
    dtype="protocol",
    batch_size=1,
    device="cuda",
    device_ids=None,
    gpu_vram_mb=None,
) -> dict:
    """An optimum-benchmark config in the shape energy_star writes (``section='benchmark'``: the older
    energy_star_dev shape), on the task's protocol unless a keyword says otherwise (``dtype=None``:
    not recorded; ``new_tokens``: an int for min = max, or a dict of generate_kwargs). The environment
    lists the host's GPUs as the tool does: one name per GPU, and ``gpu_vram_mb`` the sum of their
    memory in bytes (what NVML reports for the board, unless given)."""
    registered = task_for_pipeline(task)
    protocol = registered.protocol if registered else None
    scen = {
        "name": scenario,
        "_target_": f"optimum_benchmark.scenarios.{scenario}.scenario.Scenario",
        "dataset_name": dataset if dataset is not None else (registered.hub_dataset if registered else "org/data"),
        "dataset_split": "train",
        "num_samples": num_samples,
        "input_shapes": {"batch_size": batch_size},
        "energy": True,
        "memory": False,
        "latency": False,
        "warmup_runs": 10,
    }
    tokens = new_tokens if new_tokens is not None else (protocol.new_tokens if protocol else None)
    if protocol and protocol.max_new_tokens and new_tokens is None:
        scen["generate_kwargs"] = {"max_new_tokens": protocol.max_new_tokens}
    elif tokens is not None:
        scen["generate_kwargs"] = (
            {"max_new_tokens": tokens, "min_new_tokens": tokens} if isinstance(tokens, int) else dict(tokens)
        )
    if protocol and protocol.inference_steps:
        scen["call_kwargs"] = {
            "num_inference_steps": protocol.inference_steps,
            "num_images_per_prompt": protocol.images_per_prompt,
        }
    if num_samples is None:
        del scen["num_samples"]
    backend = {
        "name": "pytorch",
        "model": model,
        "processor": model,
        "task": task,
        "device": device,
        "device_ids": device_ids if device_ids is not None else ",".join(str(i) for i in range(max(gpu_count, 1))),
        "torch_dtype": DTYPE.get(protocol.precision if protocol else "FP32") if dtype == "protocol" else dtype,
        "no_weights": False,
    }
    host = [gpu] * max(gpu_count, 1) if isinstance(gpu, str) else list(gpu)
    return {
        "name": "energy_star_run",
        "backend": backend,
        section: scen,
        "launcher": {"name": "process", "device_isolation": False},
        "environment": {
            "cpu": " AMD EPYC 7R13 Processor",
            "cpu_count": 96,
            "system": "Linux",
            "gpu": host,
            "gpu_count": gpu_count,
            "gpu_vram_mb": gpu_vram_mb if gpu_vram_mb is not None else sum(board_memory_bytes(g) for g in host),
            "optimum_benchmark_version": "0.6.0.dev0",
        },
    }


# energy_star's efficiency unit per counted report key (its scenario's *_EFFICIENCY_UNIT).
EFFICIENCY_UNITS = {
    "preprocess_dataset": "samples/kWh",
    "prefill": "samples/kWh",
    "forward": "samples/kWh",
    "decode": "tokens/kWh",
    "call": "images/kWh",
}
GPU_POWER_W = 350.0  # the builders' GPUs draw this on average: a phase lasts its energy over it
CARBON_KG_PER_KWH = 0.36913  # the genuine run's grid (reference/optimum-benchmark/energy_star_llama3_8b)


def energy_star_files(
    model="org/model",
    task="text-generation",
    num_samples=1000,
    gpu=H100,
    gpu_count=1,
    phases=None,
    folder="run/",
    codecarbon=True,
    latency=False,
    memory_mb=None,
    **config_kw,
) -> dict:
    """optimum-benchmark's current energy_star layout as the tool writes it: benchmark_config.json,
    benchmark_report.json (phases: report key -> GPU kWh of the pass, or a whole energy record) with
    each counted phase's efficiency, and (``codecarbon``) each window's ``<task>_codecarbon.json``
    (decode is the generate window less prefill's), the GPUs drawing ``GPU_POWER_W``; with
    ``latency`` each phase's latency and throughput, with ``memory_mb`` its memory maxima (MB)."""
    registered = task_for_pipeline(task)
    default = (
        {"load_model": 0.5, "preprocess_dataset": 0.0002, "call": 0.3}
        if registered is not None and "call" in registered.required_phases
        else {"load_model": 0.5, "preprocess_dataset": 0.0002, "prefill": 0.01, "decode": 0.02}
        if registered is None or registered.generative
        else {"load_model": 0.5, "preprocess_dataset": 0.0002, "forward": 0.002}
    )
    phases = phases if phases is not None else default
    cfg = config(model, task, num_samples, gpu, gpu_count, **config_kw)
    cfg["scenario" if "scenario" in cfg else "benchmark"].update(latency=latency, memory=memory_mb is not None)
    report = {}
    for name, v in phases.items():
        record = energy(v) if not isinstance(v, dict) else v
        efficiency = _efficiency(name, record, cfg)
        report[name] = {"memory": None, "latency": None, "energy": record, "efficiency": efficiency}
        if memory_mb is not None:
            report[name]["memory"] = {
                "unit": "MB",
                "max_ram": 5000.0,
                **{k: memory_mb for k in ("max_global_vram", "max_process_vram", "max_reserved", "max_allocated")},
            }
        if latency and efficiency is not None and isinstance(record.get("gpu"), (int, float)):
            seconds = max(record["gpu"], 1e-6) * 3.6e6 / (GPU_POWER_W * max(gpu_count, 1))
            work = efficiency["value"] * record["total"] * ENERGY_UNITS_TO_WH.get(record.get("unit"), 1000.0) / 1000
            report[name]["latency"] = {"unit": "s", "values": [seconds], "count": 1, "total": seconds, "mean": seconds}
            report[name]["throughput"] = {"unit": efficiency["unit"].replace("/kWh", "/s"), "value": work / seconds}
    files = {
        f"{folder}benchmark_config.json": cfg,
        f"{folder}benchmark_report.json": report,
        f"{folder}benchmark.log": "[MAIN-PROCESS][2025-05-30 14:49:20][process][INFO] - benchmark finished\n",
    }
    if codecarbon:  # CodeCarbon tracks the GPUs the backend ran on (device_ids)
        host = cfg["environment"]["gpu"]
        ids = [int(i) for i in str(cfg["backend"].get("device_ids") or "").split(",") if i.strip().isdigit()]
        names = [host[i] if i < len(host) else host[0] for i in ids] if host else []
        files.update({f"{folder}{k}_codecarbon.json": v for k, v in codecarbon_files(report, names).items()})
    return files


def _efficiency(key: str, record: dict, cfg: dict) -> dict | None:
    """The efficiency energy_star writes beside a counted phase: its work over the record's total kWh."""
    scen = cfg.get("scenario") or cfg.get("benchmark") or {}
    num = scen.get("num_samples")
    total = record.get("total")
    if key not in EFFICIENCY_UNITS or not isinstance(num, int) or not isinstance(total, (int, float)):
        return None
    if key == "decode":
        work = num * ((scen.get("generate_kwargs") or {}).get("max_new_tokens", 100) - 1)
    elif key == "call":
        work = num * ((scen.get("call_kwargs") or {}).get("num_images_per_prompt") or 1)
    else:
        work = num
    unit_kwh = ENERGY_UNITS_TO_WH.get(record.get("unit"), 1000.0) / 1000.0
    return {"unit": EFFICIENCY_UNITS[key], "value": work / (total * unit_kwh) if total > 0 else 0.0}


def codecarbon_files(report: dict, gpus: list[str]) -> dict[str, dict]:
    """CodeCarbon's file per window of an energy_star report (``<window>`` -> its JSON): energies in
    kWh, constant powers over a duration of GPU energy / ``GPU_POWER_W`` per GPU; ``generate`` is
    prefill + decode. A record that is not numbers gets no file."""
    windows: dict[str, dict[str, float]] = {}
    for key, section in report.items():
        record = section.get("energy") or {}
        unit_kwh = ENERGY_UNITS_TO_WH.get(record.get("unit"), 1000.0) / 1000.0
        parts = {k: record.get(k) for k in ("cpu", "gpu", "ram")}
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in parts.values()):
            continue
        windows["generate" if key == "decode" else key] = {k: v * unit_kwh for k, v in parts.items()}
    if "generate" in windows and "prefill" in windows:
        windows["generate"] = {k: windows["generate"][k] + windows["prefill"][k] for k in ("cpu", "gpu", "ram")}
    count = max(len(gpus), 1)
    out = {}
    clock = datetime(2025, 5, 30, 14, 49, 20)  # windows follow each other; generate opens as prefill closes
    for window, kwh in windows.items():
        duration = max(kwh["gpu"], 1e-6) * 3.6e6 / (GPU_POWER_W * count)
        total = kwh["cpu"] + kwh["gpu"] + kwh["ram"]
        clock += timedelta(seconds=duration)
        out[window] = {
            "timestamp": clock.strftime("%Y-%m-%dT%H:%M:%S"),
            "project_name": "codecarbon",
            "duration": duration,
            "emissions": total * CARBON_KG_PER_KWH,
            "emissions_rate": total * CARBON_KG_PER_KWH / duration,
            **{f"{k}_power": kwh[k] * 3.6e6 / duration for k in ("cpu", "gpu", "ram")},
            **{f"{k}_energy": kwh[k] for k in ("cpu", "gpu", "ram")},
            "energy_consumed": total,
            "codecarbon_version": "3.0.1",
            "gpu_count": len(gpus),
            "gpu_model": f"{len(gpus)} x {gpus[0]}" if gpus else "",
            "tracking_mode": "machine",
        }
    return out


def energy_star_dev_files(report, model="org/model", folder="run/", **config_kw) -> dict:
    """optimum-benchmark's energy_star_dev layout: experiment_config.json (a ``benchmark`` section) and
    the given benchmark_report.json (bytes or a JSON-able object)."""
    return {
        f"{folder}experiment_config.json": config(model, section="benchmark", **config_kw),
        f"{folder}benchmark_report.json": report,
    }


def docker_files(phases_wh=None, units="Wh", total=None, wh_text=True, folder="out/", **config_kw) -> dict:
    """The 2025 Docker image's output: its run folder's config, GPU_ENERGY_SUMMARY.json and GPU_ENERGY_WH.txt."""
    phases_wh = phases_wh if phases_wh is not None else {"preprocess": 0.5, "prefill": 1.0, "decode": 2.0}
    total = total if total is not None else sum(phases_wh.values())
    summary = {"units": units, "total": total, **{f"{k}_wh": v for k, v in phases_wh.items()}}
    files = {f"{folder}benchmark_config.json": config(**config_kw), f"{folder}GPU_ENERGY_SUMMARY.json": summary}
    if wh_text:
        files[f"{folder}GPU_ENERGY_WH.txt"] = f"{total * ENERGY_UNITS_TO_WH[units]!r}\n"  # the image writes Wh
    return files


# Total memory as NVML reports it (MiB) for the boards the builders name (``leaderboard.board_specs``).
NVML_MEMORY_MIB = {"NVIDIA H100 80GB HBM3": 81559.0, "NVIDIA H200": 143771.0}


def v2_files(
    model="org/model",
    num_samples=1000,
    gpu_wh=18.0,
    *,
    gpu="NVIDIA H100 80GB HBM3",
    device_ids=(0,),
    dataset="AIEnergyScore/text_generation",
    new_tokens=10,
    prompt_tokens=370,
    failed=0,
    duration_s=600.0,
    backend="pytorch",
    device="cuda",
    folder="run/",
    summary=True,
    cpu_power_w=42.5,
    ram_power_w=38.0,
    memory_mib=None,
) -> dict:
    """The AIEnergyScore v2 runner's folder (ai_energy_benchmarks, then summarize_gpu_wh.py) in the
    shape of the genuine one in reference/aies-v2/, on the December 2025 protocol unless told otherwise:
    benchmark_report.json, benchmark_results.csv, emissions/emissions.csv and the summariser's files.
    Its records agree as CodeCarbon's and the harness's do: CPU and RAM energy are their constant powers ×
    the window; the GPU's power readings are the window's average; the prompt loop fills 99% of the
    window; ``new_tokens`` and ``prompt_tokens`` per successful prompt."""
    ids = list(device_ids)
    on_gpu = device == "cuda"
    gpu_kwh = gpu_wh / 1000.0
    cpu_kwh, ram_kwh = cpu_power_w * duration_s / 3.6e6, ram_power_w * duration_s / 3.6e6
    total_kwh = gpu_kwh + cpu_kwh + ram_kwh
    average_w = gpu_wh * 3600.0 / duration_s if duration_s else 0.0
    emissions_kg = total_kwh * 0.0024
    good = num_samples - failed
    loop_s = duration_s * 0.99
    tokens = good * (prompt_tokens + new_tokens)
    memory = memory_mib if memory_mib is not None else NVML_MEMORY_MIB.get(gpu, 81559.0)
    report = {
        "config": {
            "name": "ai_energy_benchmark",
            "backend": backend,
            "model": model,
            "dataset": dataset,
            "num_samples": num_samples,
            "device_ids": ids,
        },
        "summary": {
            "total_prompts": num_samples,
            "successful_prompts": good,
            "failed_prompts": failed,
            "total_duration_seconds": loop_s,
            "avg_latency_seconds": loop_s * 0.999 / max(good, 1),
            "avg_time_to_first_token": loop_s * 0.999 / max(good, 1) / 10,
            "total_tokens": tokens,
            "total_prompt_tokens": good * prompt_tokens,
            "total_completion_tokens": good * new_tokens,
            "throughput_tokens_per_second": tokens / loop_s if loop_s else 0.0,
        },
        "energy": {
            "emissions_kg_co2eq": emissions_kg,
            "emissions_g_co2eq": emissions_kg * 1000,
            "energy_kwh": gpu_kwh,
            "energy_wh": gpu_kwh * 1000,
            "gpu_energy_kwh": gpu_kwh,
            "gpu_energy_wh": gpu_kwh * 1000,
            "cpu_energy_kwh": cpu_kwh,
            "cpu_energy_wh": cpu_kwh * 1000,
            "ram_energy_kwh": ram_kwh,
            "ram_energy_wh": ram_kwh * 1000,
            "total_energy_kwh": total_kwh,
            "total_energy_wh": total_kwh * 1000,
            "duration_seconds": duration_s,
            "carbon_intensity_g_per_kwh": emissions_kg / duration_s if duration_s else 0.0,
            "project_name": "ai_energy_benchmark",
            "country": "USA",
            "region": "california",
        },
        "gpu_stats": {
            f"gpu_{i}": {
                "utilization_percent": 14.0,
                "memory_total_mb": memory,
                "temperature_c": 40.0,
                "power_draw_w": average_w / len(ids),
            }
            for i in ids
        }
        if on_gpu
        else {},
        "backend_info": {
            "backend": backend,
            "model": model,
            "device": device,
            "device_ids": ids,
            "torch_dtype": "auto",
            "device_map": "auto",
            "initialized": True,
            "healthy": True,
        },
        "metrics_metadata": {"name": "codecarbon", "version": "3.0.4", "project_name": "ai_energy_benchmark"},
    }
    flat = {
        "config_model": model,
        "config_num_samples": num_samples,
        "summary_total_prompts": num_samples,
        "summary_successful_prompts": good,
        "summary_failed_prompts": failed,
        "summary_total_duration_seconds": loop_s,
        "energy_gpu_energy_kwh": gpu_kwh,
        "energy_gpu_energy_wh": gpu_kwh * 1000,
        "energy_duration_seconds": duration_s,
    }
    gpu_model = f"{len(ids)} x {gpu}" if on_gpu and gpu else ""
    emissions = {
        "duration": duration_s,
        "emissions": emissions_kg,
        "emissions_rate": emissions_kg / duration_s if duration_s else 0.0,
        "cpu_power": cpu_power_w,
        "gpu_power": average_w if on_gpu else 0.0,
        "ram_power": ram_power_w,
        "cpu_energy": cpu_kwh,
        "gpu_energy": gpu_kwh,
        "ram_energy": ram_kwh,
        "energy_consumed": total_kwh,
        "codecarbon_version": "3.0.4",
        "cpu_model": "Intel(R) Xeon(R) Processor",
        "tracking_mode": "machine",
        "gpu_count": len(ids),
        "gpu_model": gpu_model,
    }
    files = {
        f"{folder}benchmark_report.json": report,
        f"{folder}benchmark_results.csv": _csv_text(flat),
        f"{folder}emissions/emissions.csv": _csv_text(emissions),
    }
    if summary:
        files[f"{folder}GPU_ENERGY_SUMMARY.json"] = {
            "units": "Wh",
            "total": gpu_kwh * 1000,
            "format": "ai_energy_benchmarks",
            "preprocess_wh": 0.0,
            "prefill_wh": 0.0,
            "decode_wh": round(gpu_kwh * 1000, 2),
        }
        files[f"{folder}GPU_ENERGY_WH.txt"] = f"{gpu_kwh * 1000:.2f}\n"
    return files


def _csv_text(row: dict) -> str:
    """One header line and one row, as Python's csv module writes them."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    return buffer.getvalue()


def runner_files(
    model="openai-community/gpt2",
    task="text_generation",
    num_queries=1000,
    values_wh_per_1k=None,
    duration_s=None,
    gpu=H100,
    gpu_count=1,
    driver="580.95",
    dtype=None,
    inputs_source="official dataset",
    new_tokens=None,
    folder="run/",
    tamper=None,
    settings=None,
    idle_power_w=50.0,
    parameters=124_439_808,  # gpt2's
    gates=True,
) -> dict:
    """This project's runner output, written through the run-folder contract: benchmark_config.json,
    benchmark_report.json, energy_score_summary.json and SHA256SUMS. ``values_wh_per_1k``: phase ->
    one figure per repeat; ``duration_s``: phase -> seconds of one pass. ``tamper(files)`` may edit the
    JSON-able files before the checksums are written (a run folder changed by hand). ``gates``: the
    validity gates the runner records (``runner.gates``), judged from the windows written; False: a
    summary from before the runner recorded them."""
    t = TASKS_BY_ID[task]
    values = values_wh_per_1k or (
        {"preprocess": [0.16, 0.16, 0.16], "prefill": [80.0, 80.1, 79.9], "decode": [68.4, 68.3, 68.5]}
        if t.generative
        else {"preprocess": [0.05, 0.05, 0.05], "forward": [2.0, 2.02, 1.98]}
    )
    durations = duration_s or {k: (sum(v) / len(v)) * num_queries / 1000.0 * 3600.0 / 350.0 for k, v in values.items()}
    repeats = len(next(iter(values.values())))

    def generate_s(k: str) -> float:  # decode's window holds generate passes (prefill + decode)
        return durations[k] + (durations.get("prefill", 0.0) if k == "decode" else 0.0)

    def passes(k: str) -> int:  # whole passes fill a window of the steady state's length, as the runner's do
        return max(1, math.ceil(MIN_STEADY_S / generate_s(k))) if generate_s(k) > 0 else 1

    def windows(k: str) -> tuple[float, ...]:  # measured windows differ by their edges
        return tuple(generate_s(k) * passes(k) * (1.0 + 0.001 * i) for i in range(repeats))

    idle_w = idle_power_w * gpu_count
    phases = {
        k: PhaseSummary(
            gpu_energy_wh=sum(v) / len(v) * num_queries / 1000.0,
            gpu_energy_wh_per_1k=sum(v) / len(v),
            values_wh_per_1k=tuple(v),
            duration_s=durations.get(k),
            passes_per_window=passes(k) if k in durations else 1,
            window_s=windows(k) if k in durations else (),
            idle_wh_per_1k=idle_w * durations[k] / 3600.0 * 1000.0 / num_queries if k in durations else None,
        )
        for k, v in values.items()
    }
    totals = [sum(v[i] for v in values.values()) for i in range(repeats)]
    tokens = new_tokens if new_tokens is not None else t.protocol.new_tokens
    gpu_info = GpuInfo((gpu,) * gpu_count, driver, (85520809984,) * gpu_count, (700.0,) * gpu_count)
    cfg = {
        "name": f"energy_score_{task}",
        "backend": {
            "name": "pytorch",
            "model": model,
            "task": t.pipeline_task,
            "device": "cuda",
            "no_weights": False,
            "torch_dtype": dtype or DTYPE[t.protocol.precision],
            "architecture_config": None,
        },
        "scenario": {
            "name": "energy_star",
            "num_samples": num_queries,
            "repeats": repeats,
            "generate_kwargs": {"min_new_tokens": tokens, "max_new_tokens": tokens} if tokens else None,
            "inputs": {"source": inputs_source, "description": "first queries", "mean_input_tokens": 369.0},
        },
        "environment": {"gpu": list(gpu_info.names), "gpu_count": gpu_count, "nvidia_driver_version": driver},
    }
    run_settings = settings or RunSettings(
        new_tokens=tokens, decode_mode="generate", chat_template=t.protocol.chat_template
    )
    if settings is not False:
        cfg["scenario"]["settings"] = run_settings.to_json()  # as the runner writes it, beside its summary's
    report = report_json(phases)
    json_files = {"benchmark_config.json": cfg, "benchmark_report.json": report}
    raw = {name: (json.dumps(body, indent=2) + "\n").encode() for name, body in json_files.items()}
    summary = RunSummary(
        task=task,
        model=model,
        num_queries=num_queries,
        repeats=repeats,
        gpu=gpu_info,
        phases=phases,
        total_gpu_energy_wh_per_1k=sum(totals) / len(totals),
        dtype=cfg["backend"]["torch_dtype"],
        inputs=Inputs(inputs_source, "first queries", 369.0),
        parameters=parameters,
        idle_power_w_before=idle_w,
        idle_power_w_after=idle_w,
        files_sha256={name: hashlib.sha256(body).hexdigest() for name, body in raw.items()},
        settings=settings
        or RunSettings(new_tokens=tokens, decode_mode="generate", chat_template=t.protocol.chat_template),
        gates=_gates(phases, num_queries, idle_w, sum(gpu_info.power_limit_w), gpu_count) if gates else None,
    ).to_json()
    if settings is False:
        del summary["settings"]  # a summary from before the runner recorded its settings
    json_files["energy_score_summary.json"] = summary
    if tamper is not None:
        tamper(json_files)
    raw = {name: (json.dumps(body, indent=2) + "\n").encode() for name, body in json_files.items()}
    raw["SHA256SUMS"] = "".join(f"{hashlib.sha256(b).hexdigest()}  {n}\n" for n, b in sorted(raw.items())).encode()
    return {f"{folder}{name}": body for name, body in raw.items()}


def _gates(phases: dict, num_queries: int, idle_w: float, limit_w: float, gpus: int) -> RunGates:
    """The gates the runner would record for these phases' windows (no probe samples: duration and power)."""
    windows = []
    for i in range(len(next(iter(phases.values())).values_wh_per_1k)):
        for name, p in phases.items():
            if not p.window_s:
                continue
            step = "generate" if name == "decode" else name
            per_1k = p.values_wh_per_1k[i] + (phases["prefill"].values_wh_per_1k[i] if name == "decode" else 0.0)
            energy_j = per_1k * num_queries / 1000.0 * 3600.0 * p.passes_per_window
            seconds = p.window_s[i]
            power = round(energy_j / seconds, 3) if seconds > 0 else 0.0
            gate = WindowGate(step, i, round(seconds, 6), p.passes_per_window, power)
            reasons = reasons_of(gate, idle_power_w=idle_w, power_limit_w=limit_w, own_processes=gpus)
            windows.append(replace(gate, reasons=reasons))
    return RunGates(tuple(windows), (), (), dict(THRESHOLDS))


# --- byte-level zips: every field under the test's control -------------------------------------


class RawMember:
    """One member of a hand-built zip. Overrides (``local_name``, ``crc``, ``size``,
    ``compressed_size``, ``local_*``) make the headers lie; ``descriptor`` writes a data descriptor."""

    def __init__(
        self,
        name,
        data=b"",
        *,
        method=8,
        flags=None,
        local_name=None,
        crc=None,
        size=None,
        compressed_size=None,
        local_sizes=None,
        external_attr=0o644 << 16,
        create_system=3,
        extra=b"",
        descriptor=False,
        descriptor_signature=True,
        payload=None,
        descriptor_fields=None,
        local_flags=None,
        local_method=None,
        disk=0,
        comment=b"",
    ):
        import zlib

        self.name = name.encode("utf-8") if isinstance(name, str) else name
        self.data = data.encode() if isinstance(data, str) else data
        self.method = method
        non_ascii = not self.name.isascii()
        self.flags = flags if flags is not None else (0x800 if non_ascii else 0) | (0x8 if descriptor else 0)
        self.local_name = local_name.encode() if isinstance(local_name, str) else local_name
        if payload is None:
            if method == 8:
                comp = zlib.compressobj(6, zlib.DEFLATED, -15)
                payload = comp.compress(self.data) + comp.flush()
            else:
                payload = self.data
        self.payload = payload
        self.crc = crc if crc is not None else zlib.crc32(self.data)
        self.size = size if size is not None else len(self.data)
        self.compressed_size = compressed_size if compressed_size is not None else len(payload)
        self.local_sizes = local_sizes
        self.external_attr = external_attr
        self.create_system = create_system
        self.extra = extra
        self.descriptor = descriptor
        self.descriptor_signature = descriptor_signature
        self.descriptor_fields = descriptor_fields  # (crc, compressed size, size) the descriptor states
        self.local_flags = local_flags if local_flags is not None else self.flags
        self.local_method = local_method if local_method is not None else method
        self.disk = disk
        self.comment = comment


def raw_zip(
    members,
    *,
    prefix=b"",
    gap=b"",
    suffix=b"",
    comment=b"",
    count=None,
    cd_offset_delta=0,
    header_offsets=None,
    eocd_fields=None,
    offset_delta=0,
    tail_gap=b"",
) -> bytes:
    """A zip written field by field (see ``RawMember``); ``header_offsets`` (index -> the member
    whose local header a directory entry points to) builds overlapping members."""
    import struct

    out = bytearray(prefix)
    offsets = []
    for m in members:
        offsets.append(len(out) - len(prefix))
        crc, csize, usize = m.local_sizes or ((0, 0, 0) if m.descriptor else (m.crc, m.compressed_size, m.size))
        name = m.local_name if m.local_name is not None else m.name
        out += struct.pack(
            "<4s5H3I2H",
            b"PK\x03\x04",
            20,
            m.local_flags,
            m.local_method,
            0,
            0x5A21,
            crc,
            csize,
            usize,
            len(name),
            len(m.extra),
        )
        out += name + m.extra + m.payload
        if m.descriptor:
            fields = m.descriptor_fields or (m.crc, m.compressed_size, m.size)
            out += (b"PK\x07\x08" if m.descriptor_signature else b"") + struct.pack("<3I", *fields)
        out += gap
    out += tail_gap
    cd_start = len(out) - len(prefix)
    for i, m in enumerate(members):
        target = offsets[(header_offsets or {}).get(i, i)]
        out += struct.pack(
            "<4s2B5H3I5H2I",
            b"PK\x01\x02",
            20,
            m.create_system,
            20,
            m.flags,
            m.method,
            0,
            0x5A21,
            m.crc,
            m.compressed_size,
            m.size,
            len(m.name),
            len(m.extra),
            len(m.comment),
            m.disk,
            0,
            m.external_attr,
            target + offset_delta,
        )
        out += m.name + m.extra + m.comment
    cd_size = len(out) - len(prefix) - cd_start
    n = len(members) if count is None else count
    fields = {
        "disk": 0,
        "cd_disk": 0,
        "on_disk": n,
        "count": n,
        "cd_size": cd_size,
        "cd_offset": cd_start + cd_offset_delta,
    }
    fields.update(eocd_fields or {})
    out += struct.pack(
        "<4s4H2IH",
        b"PK\x05\x06",
        fields["disk"],
        fields["cd_disk"],
        fields["on_disk"],
        fields["count"],
        fields["cd_size"],
        fields["cd_offset"],
        len(comment),
    )
    return bytes(out + comment + suffix)

"""Builders for benchmark-log zips: real layouts with keyword defaults, and hostile ones."""

from __future__ import annotations

import io
import json
import zipfile

FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def make_zip(files: dict, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """files: name -> bytes, str, or a JSON-able object. Member times are fixed, so the same files
    always give the same bytes (and the same SHA-256)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, body in files.items():
            if isinstance(body, zipfile.ZipInfo):
                continue
            if not isinstance(body, (bytes, str)):
                body = json.dumps(body)
            zf.writestr(zipfile.ZipInfo(name, FIXED_TIME), body, compress_type=compression)
    return buffer.getvalue()


def energy(gpu_kwh, unit="kWh"):
    return {"unit": unit, "cpu": 0.001, "ram": 0.0001, "gpu": gpu_kwh, "total": (gpu_kwh or 0) + 0.0011}


def energy_star_files(
    model="org/model",
    task="text-generation",
    num_samples=1000,
    gpu="NVIDIA H100 80GB HBM3",
    gpu_count=1,
    phases=None,
    folder="run/",
) -> dict:
    """optimum-benchmark's current energy_star layout: benchmark_config.json + benchmark_report.json."""
    phases = (
        phases
        if phases is not None
        else {"load_model": 0.5, "preprocess_dataset": 0.0002, "prefill": 0.01, "decode": 0.02}
    )
    config = {
        "name": "energy_star",
        "backend": {"name": "pytorch", "model": model, "task": task},
        "scenario": {"name": "energy_star", "num_samples": num_samples},
        "environment": {"gpu": [gpu], "gpu_count": gpu_count},
    }
    report = {
        name: {"energy": energy(v) if not isinstance(v, dict) else v, "latency": None} for name, v in phases.items()
    }
    return {
        f"{folder}benchmark_config.json": config,
        f"{folder}benchmark_report.json": report,
        f"{folder}cli.log": "benchmark finished\n",
    }

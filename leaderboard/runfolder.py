"""The run folder: the one typed description of what a benchmark run folder holds.

The benchmark runner writes through this module and the submission portal reads through it, so
the two cannot drift. A run folder holds (SPEC §7):

    benchmark_config.json      optimum-benchmark config: backend (model, task), scenario, environment
    benchmark_report.json      optimum-benchmark report: per phase, energy {unit, cpu, ram, gpu, total}
    benchmark.json             {"config": ..., "report": ...} (optimum-benchmark, energy_star)
    experiment_config.json     the config of optimum-benchmark's energy_star_dev scenario
    GPU_ENERGY_SUMMARY.json    the 2025 Docker image's summary (units, total, <phase>_wh), and the v2
                               runner's ("format": "ai_energy_benchmarks", all of it as decode_wh)
    GPU_ENERGY_WH.txt          the same summary's total, as text

The AIEnergyScore v2 runner (ai_energy_benchmarks) writes instead:

    benchmark_report.json      {"config", "summary", "energy", "gpu_stats", "backend_info", "metrics_metadata"}
    benchmark_results.csv      the same, flattened (one row per run written into the folder)
    emissions/emissions.csv    CodeCarbon's record of the window (gpu_model "1 x NVIDIA H200", gpu_count)
    nvml_crosscheck.json       this project's runner only (``--harness aies-v2``): its own NVML reading
                               of the same window, per GPU
    energy_score_summary.json  this project's runner summary (``RunSummary``)
    SHA256SUMS                 checksums of the files above, written by the runner
    *.log                      the benchmark's log (a crashed run's error is read from it)

Phases have canonical names (``leaderboard.tasks.PHASES``); ``REPORT_PHASE_KEYS`` says how reports
spell them. Energies in reports carry a unit from ``ENERGY_UNITS_TO_WH``.

Records are frozen dataclasses rather than a schema library: the run folder is small, the
standard library suffices, and the type checker sees every field. The runner's summary
(``RunSummary``) is in ``leaderboard.runsummary``; untrusted JSON is read through
``leaderboard.untrusted``, which raises ``SubmissionError`` naming the field. Every file the runner
writes is strict JSON.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from leaderboard.errors import SubmissionError
from leaderboard.untrusted import (
    UNCHANGED,
    at,
    finite_or_none,
    integer,
    obj,
    opt_number,
    opt_text,
    text,
)

BENCHMARK_CONFIG = "benchmark_config.json"
BENCHMARK_REPORT = "benchmark_report.json"
BENCHMARK_JSON = "benchmark.json"
EXPERIMENT_CONFIG = "experiment_config.json"
DOCKER_SUMMARY = "GPU_ENERGY_SUMMARY.json"
DOCKER_WH_TEXT = "GPU_ENERGY_WH.txt"
RUNNER_SUMMARY = "energy_score_summary.json"
CHECKSUMS = "SHA256SUMS"
V2_RESULTS_CSV = "benchmark_results.csv"
V2_EMISSIONS_CSV = "emissions.csv"
V2_EMISSIONS_DIR = "emissions"  # CodeCarbon's output folder inside the run folder
V2_FORMAT = "ai_energy_benchmarks"  # GPU_ENERGY_SUMMARY.json's "format" for a v2 run
NVML_CROSSCHECK = "nvml_crosscheck.json"
CONFIG_FILES: tuple[str, ...] = (BENCHMARK_CONFIG, EXPERIMENT_CONFIG)
# Files the portal parses (the others are kept but not read).
PARSED_FILES: tuple[str, ...] = (
    BENCHMARK_CONFIG,
    BENCHMARK_REPORT,
    BENCHMARK_JSON,
    EXPERIMENT_CONFIG,
    DOCKER_SUMMARY,
    DOCKER_WH_TEXT,
    RUNNER_SUMMARY,
    CHECKSUMS,
    V2_RESULTS_CSV,
    V2_EMISSIONS_CSV,
    NVML_CROSSCHECK,
)
LOG_SUFFIX = ".log"
# The driver a run records when the runner's fake meter (CPU test runs) measured it: nothing was measured.
FAKE_METER_DRIVER = "fake"

# How optimum-benchmark reports name the counted phases -> canonical phase names.
REPORT_PHASE_KEYS: dict[str, str] = {
    "preprocess_dataset": "preprocess",
    "preprocess": "preprocess",
    "prefill": "prefill",
    "decode": "decode",
    "forward": "forward",
    "call": "call",
}
# The key the runner writes for each canonical phase (optimum-benchmark's current spelling).
WRITTEN_PHASE_KEYS: dict[str, str] = {"preprocess": "preprocess_dataset"}
# Report entries that are measured but never counted (loading, per-token views).
NOT_COUNTED_PHASE_KEYS: frozenset[str] = frozenset(
    {"load_dataset", "load_model", "load", "per_token", "warmup", "model_load"}
)
# The Docker summary names a phase's GPU energy "<phase>_wh".
DOCKER_PHASE_SUFFIX = "_wh"

# Energy units as written by the benchmarks -> watt-hours, matched exactly: case and spaces matter
# (mJ is not MJ, and ' kWh' is not a unit).
J_PER_WH = 3600.0
ENERGY_UNITS_TO_WH: dict[str, float] = {"kWh": 1000.0, "Wh": 1.0, "J": 1 / J_PER_WH, "mJ": 1 / (1000 * J_PER_WH)}
DEFAULT_NUM_QUERIES = 1_000
SUMMARY_SCHEMA_VERSION = 1


def run_folder_of(member: str) -> str:
    """The run folder a zip member belongs to: CodeCarbon's CSV sits in ``emissions/`` inside it."""
    folder = posixpath.dirname(member)
    if posixpath.basename(member) == V2_EMISSIONS_CSV and posixpath.basename(folder) == V2_EMISSIONS_DIR:
        return posixpath.dirname(folder)
    return folder


def written_phase_key(phase: str) -> str:
    """The report key the runner writes for a canonical phase."""
    return WRITTEN_PHASE_KEYS.get(phase, phase)


MAX_REPEATS = 1_000  # no benchmark repeats its passes more often; a longer list is not a run's
MAX_RUN_GPUS = 64  # no run's files list more GPUs


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GpuInfo:
    """The GPUs a run used: names (one per GPU), driver, memory (bytes) and power limits (W)."""

    names: tuple[str, ...]
    driver: str | None = None
    memory_bytes: tuple[int, ...] = ()
    power_limit_w: tuple[float | None, ...] = ()

    @property
    def name(self) -> str:
        return self.names[0] if self.names else "unknown GPU"

    @property
    def count(self) -> int:
        return len(self.names)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "names": list(self.names),
            "count": self.count,
            "driver": self.driver,
            "memory_bytes": list(self.memory_bytes),
            "power_limit_w": [finite_or_none(w) for w in self.power_limit_w],
        }

    @classmethod
    def from_json(cls, value: object, where: str) -> GpuInfo:
        data = obj(value, where)
        raw_names = data.get("names")
        if raw_names is None:
            names: tuple[str, ...] = (text(data.get("name"), at(where, "name")),)
        elif isinstance(raw_names, list) and raw_names:
            names = tuple(text(n, at(at(where, "names"), i)) for i, n in enumerate(raw_names))
        else:
            raise SubmissionError(f"{at(where, 'names')} must be a non-empty list of GPU names. {UNCHANGED}")
        memory = data.get("memory_bytes") or []
        limits = data.get("power_limit_w") or []
        if any(isinstance(v, list) and len(v) > MAX_RUN_GPUS for v in (raw_names, memory, limits)):
            raise SubmissionError(f"{where} lists more than {MAX_RUN_GPUS} GPUs. {UNCHANGED}")
        count = data.get("count")
        if count is not None and integer(count, at(where, "count")) != len(names):
            raise SubmissionError(f"{at(where, 'count')} is {count!r} but {len(names)} GPU name(s) are listed.")
        if not isinstance(memory, list) or not isinstance(limits, list):
            raise SubmissionError(f"{where}: memory_bytes and power_limit_w must be lists. {UNCHANGED}")
        return cls(
            names,
            opt_text(data.get("driver"), at(where, "driver")),
            tuple(integer(m, at(at(where, "memory_bytes"), i)) for i, m in enumerate(memory)),
            tuple(opt_number(w, at(at(where, "power_limit_w"), i)) for i, w in enumerate(limits)),
        )


# --- writing ---------------------------------------------------------------------------------


def dump_json(path: Path, value: object) -> None:
    """Write strict JSON (no NaN or Infinity), indented, UTF-8."""
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")


def write_checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in the folder (but ``SHA256SUMS``), written to ``SHA256SUMS``."""
    hashes = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != CHECKSUMS
    }
    (folder / CHECKSUMS).write_text("".join(f"{h}  {n}\n" for n, h in sorted(hashes.items())), encoding="utf-8")
    return hashes


def file_hashes(folder: Path, *, skip: tuple[str, ...] = (RUNNER_SUMMARY, CHECKSUMS)) -> dict[str, str]:
    """SHA-256 of the files the summary vouches for (every file but the summary and checksums)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in skip
    }


ZIP_DATE_TIME = (2025, 1, 1, 0, 0, 0)


def v2_summary(gpu_energy_wh: float) -> tuple[dict[str, object], str]:
    """What the v2 round's summariser writes for a v2 report: ``GPU_ENERGY_SUMMARY.json`` (the whole
    GPU energy as ``total``, booked as ``decode_wh`` rounded to two decimals; no phase split) and
    ``GPU_ENERGY_WH.txt`` (two decimals)."""
    summary: dict[str, object] = {
        "units": "Wh",
        "total": gpu_energy_wh,
        "format": V2_FORMAT,
        "preprocess_wh": 0.0,
        "prefill_wh": 0.0,
        "decode_wh": round(gpu_energy_wh, 2),
    }
    return summary, f"{gpu_energy_wh:.2f}\n"


def zip_folder(folder: Path) -> Path:
    """``<folder>.zip`` with the folder's files under ``<folder name>/``, for the Submit page.
    Member times are fixed, so the same folder always gives the same bytes."""
    target = folder.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, path.read_bytes())
    return target

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
standard library suffices, and the type checker sees every field. ``from_json`` validates
untrusted JSON and raises ``SubmissionError`` naming the field; ``to_json`` writes only finite
numbers (an undefined statistic is ``null``), so every file the runner writes is strict JSON.
"""

from __future__ import annotations

import hashlib
import json
import math
import posixpath
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from leaderboard.errors import SubmissionError

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
ENERGY_UNITS_TO_WH: dict[str, float] = {"kWh": 1000.0, "Wh": 1.0, "J": 1 / 3600.0, "mJ": 1 / 3_600_000.0}
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


# --- strict readers for untrusted JSON ---------------------------------------------------------


def _where(path: str, key: str | int) -> str:
    return f"{path} → {key}" if isinstance(key, str) else f"{path}[{key}]"


def obj(value: object, where: str) -> Mapping[str, object]:
    """``value`` as a JSON object, or ``SubmissionError`` naming where it is."""
    if not isinstance(value, dict):
        raise SubmissionError(f"{where} must be a JSON object, not {type(value).__name__}. {_UNCHANGED}")
    return value


def number(value: object, where: str) -> float:
    """A finite JSON number (not a boolean), as float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SubmissionError(f"{where} must be a number, not {_shown(value)}. {_UNCHANGED}")
    try:
        result = float(value)
    except OverflowError:
        raise SubmissionError(f"{where} is too large a number ({str(value)[:20]}…). {_UNCHANGED}") from None
    if not math.isfinite(result):
        raise SubmissionError(f"{where} is not a finite number. {_UNCHANGED}")
    return result


def opt_number(value: object, where: str) -> float | None:
    return None if value is None else number(value, where)


def integer(value: object, where: str) -> int:
    """A whole JSON number (1000 or 1000.0), as int."""
    result = number(value, where)
    if result != int(result):
        raise SubmissionError(f"{where} must be a whole number, not {result!r}. {_UNCHANGED}")
    return int(result)


def text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise SubmissionError(f"{where} must be text, not {_shown(value)}. {_UNCHANGED}")
    return value


def opt_text(value: object, where: str) -> str | None:
    return None if value is None else text(value, where)


def _shown(value: object) -> str:
    return type(value).__name__ if isinstance(value, (dict, list)) else repr(value)[:40]


_UNCHANGED = "Upload the files the benchmark wrote, unchanged."
MAX_REPEATS = 1_000  # no benchmark repeats its passes more often; a longer list is not a run's


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


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
            "power_limit_w": [_finite_or_none(w) for w in self.power_limit_w],
        }

    @classmethod
    def from_json(cls, value: object, where: str) -> GpuInfo:
        data = obj(value, where)
        raw_names = data.get("names")
        if raw_names is None:
            names: tuple[str, ...] = (text(data.get("name"), _where(where, "name")),)
        elif isinstance(raw_names, list) and raw_names:
            names = tuple(text(n, _where(_where(where, "names"), i)) for i, n in enumerate(raw_names))
        else:
            raise SubmissionError(f"{_where(where, 'names')} must be a non-empty list of GPU names. {_UNCHANGED}")
        count = data.get("count")
        if count is not None and integer(count, _where(where, "count")) != len(names):
            raise SubmissionError(f"{_where(where, 'count')} is {count!r} but {len(names)} GPU name(s) are listed.")
        memory = data.get("memory_bytes") or []
        limits = data.get("power_limit_w") or []
        if not isinstance(memory, list) or not isinstance(limits, list):
            raise SubmissionError(f"{where}: memory_bytes and power_limit_w must be lists. {_UNCHANGED}")
        return cls(
            names,
            opt_text(data.get("driver"), _where(where, "driver")),
            tuple(integer(m, _where(_where(where, "memory_bytes"), i)) for i, m in enumerate(memory)),
            tuple(opt_number(w, _where(_where(where, "power_limit_w"), i)) for i, w in enumerate(limits)),
        )


@dataclass(frozen=True)
class PhaseSummary:
    """One counted phase of a runner run.

    gpu_energy_wh: mean GPU energy of one pass over all queries (Wh).
    gpu_energy_wh_per_1k: mean GPU energy per 1,000 queries (Wh); ci95 is the half-width of its
    95% confidence interval and cv its coefficient of variation over repeats (None with one repeat).
    values_wh_per_1k: the per-repeat figures. duration_s: mean duration of one pass (s).
    passes_per_window: whole passes per measured window; window_s: each window's length (s).
    reference_*: CodeCarbon's reading of the same windows, when it ran.
    per_gpu_wh_per_1k: the mean per GPU (Wh per 1,000 queries), when several GPUs were measured.
    idle_wh_per_1k: the share of the energy that the GPUs' idle power accounts for over the
    phase's time (idle power x duration), per 1,000 queries (Wh); the rest is active energy.
    """

    gpu_energy_wh: float
    gpu_energy_wh_per_1k: float
    values_wh_per_1k: tuple[float, ...]
    ci95_wh_per_1k: float | None = None
    cv: float | None = None
    duration_s: float | None = None
    passes_per_window: int = 1
    window_s: tuple[float, ...] = ()
    reference_codecarbon_wh_per_1k: float | None = None
    reference_codecarbon_values_wh_per_1k: tuple[float, ...] = ()
    per_gpu_wh_per_1k: tuple[float, ...] = ()
    idle_wh_per_1k: float | None = None

    @property
    def repeats(self) -> int:
        return len(self.values_wh_per_1k)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "gpu_energy_wh": self.gpu_energy_wh,
            "gpu_energy_wh_per_1k": self.gpu_energy_wh_per_1k,
            "ci95_wh_per_1k": _finite_or_none(self.ci95_wh_per_1k),
            "cv": _finite_or_none(self.cv),
            "values_wh_per_1k": list(self.values_wh_per_1k),
            "duration_s": self.duration_s,
            "passes_per_window": self.passes_per_window,
            "window_s": list(self.window_s),
            "repeats": self.repeats,
        }
        if self.per_gpu_wh_per_1k:
            out["per_gpu_wh_per_1k"] = list(self.per_gpu_wh_per_1k)
        if self.idle_wh_per_1k is not None:
            out["idle_wh_per_1k"] = self.idle_wh_per_1k
        if self.reference_codecarbon_values_wh_per_1k:
            out["reference_codecarbon_wh_per_1k"] = self.reference_codecarbon_wh_per_1k
            out["reference_codecarbon_values_wh_per_1k"] = list(self.reference_codecarbon_values_wh_per_1k)
        return out

    @classmethod
    def from_json(cls, value: object, where: str) -> PhaseSummary:
        data = obj(value, where)
        energy = number(data.get("gpu_energy_wh"), _where(where, "gpu_energy_wh"))
        per_1k = opt_number(data.get("gpu_energy_wh_per_1k"), _where(where, "gpu_energy_wh_per_1k"))
        values = _numbers(data.get("values_wh_per_1k"), _where(where, "values_wh_per_1k"))
        repeats = data.get("repeats")
        n = integer(repeats, _where(where, "repeats")) if repeats is not None else max(len(values), 1)
        if not 1 <= n <= MAX_REPEATS or len(values) > MAX_REPEATS:
            raise SubmissionError(
                f"{_where(where, 'repeats')} is {max(n, len(values)):,}: a run makes 1 to {MAX_REPEATS:,} repeats. "
                f"{_UNCHANGED}"
            )
        if values and len(values) != n:
            raise SubmissionError(
                f"{_where(where, 'repeats')} is {n:,} but values_wh_per_1k holds {len(values):,} readings. {_UNCHANGED}"
            )
        if not values:
            values = (per_1k if per_1k is not None else math.nan,) * n
        return cls(
            energy,
            per_1k if per_1k is not None else math.nan,
            values,
            opt_number(data.get("ci95_wh_per_1k"), _where(where, "ci95_wh_per_1k")),
            opt_number(data.get("cv"), _where(where, "cv")),
            opt_number(data.get("duration_s"), _where(where, "duration_s")),
            integer(data.get("passes_per_window", 1), _where(where, "passes_per_window")),
            _numbers(data.get("window_s"), _where(where, "window_s")),
            opt_number(data.get("reference_codecarbon_wh_per_1k"), _where(where, "reference_codecarbon_wh_per_1k")),
            _numbers(
                data.get("reference_codecarbon_values_wh_per_1k"),
                _where(where, "reference_codecarbon_values_wh_per_1k"),
            ),
            _numbers(data.get("per_gpu_wh_per_1k"), _where(where, "per_gpu_wh_per_1k")),
            opt_number(data.get("idle_wh_per_1k"), _where(where, "idle_wh_per_1k")),
        )


MAX_PARAMETERS = 10**14  # no model has a hundred trillion parameters


def _parameters(value: object, where: str) -> int | None:
    """The model's parameter count as the runner counted it (None: not recorded)."""
    if value is None:
        return None
    count = integer(value, where)
    if not 0 < count <= MAX_PARAMETERS:
        raise SubmissionError(f"{where} is {count:,}: not a model's parameter count. {_UNCHANGED}")
    return count


def _numbers(value: object, where: str) -> tuple[float, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SubmissionError(f"{where} must be a list of numbers. {_UNCHANGED}")
    return tuple(number(v, _where(where, i)) for i, v in enumerate(value))


@dataclass(frozen=True)
class Inputs:
    """Which queries a run used: ``source`` is 'official dataset' or 'offline'."""

    source: str
    description: str
    mean_input_tokens: float | None = None

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "description": self.description, "mean_input_tokens": self.mean_input_tokens}

    @classmethod
    def from_json(cls, value: object, where: str) -> Inputs:
        data = obj(value, where) if value is not None else {}
        return cls(
            text(data.get("source", "unknown"), _where(where, "source")),
            text(data.get("description", ""), _where(where, "description")),
            opt_number(data.get("mean_input_tokens"), _where(where, "mean_input_tokens")),
        )


@dataclass(frozen=True)
class RunSettings:
    """How a run was driven, beyond the task's protocol defaults.

    batch_size: queries per model call. new_tokens: generated tokens per query (forced, min = max).
    decode_mode: 'generate' (the library's generate loop) or 'graph' (static KV cache, each decode
    step one CUDA graph replay, greedy choice on the GPU): results of different modes are rated on
    boards of their own. reasoning_effort: for reasoning runs. inference_steps, images_per_prompt:
    for image generation.
    """

    batch_size: int = 1
    new_tokens: int | None = None
    decode_mode: str | None = None
    reasoning_effort: str | None = None
    chat_template: bool = False
    inference_steps: int | None = None
    images_per_prompt: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "batch_size": self.batch_size,
            "new_tokens": self.new_tokens,
            "decode_mode": self.decode_mode,
            "reasoning_effort": self.reasoning_effort,
            "chat_template": self.chat_template,
            "inference_steps": self.inference_steps,
            "images_per_prompt": self.images_per_prompt,
        }

    @classmethod
    def from_json(cls, value: object, where: str) -> RunSettings:
        data = obj(value, where) if value is not None else {}

        def opt_int(key: str) -> int | None:
            raw = data.get(key)
            return None if raw is None else integer(raw, _where(where, key))

        return cls(
            batch_size=opt_int("batch_size") or 1,
            new_tokens=opt_int("new_tokens"),
            decode_mode=opt_text(data.get("decode_mode"), _where(where, "decode_mode")),
            reasoning_effort=opt_text(data.get("reasoning_effort"), _where(where, "reasoning_effort")),
            chat_template=data.get("chat_template") is True,
            inference_steps=opt_int("inference_steps"),
            images_per_prompt=opt_int("images_per_prompt"),
        )


@dataclass(frozen=True)
class Overhead:
    """Time spent at window edges (syncs and meter reads) against the whole run (s)."""

    meter_reads: int
    edge_time_s: float
    run_wall_s: float

    @property
    def share_of_run(self) -> float:
        return self.edge_time_s / self.run_wall_s if self.run_wall_s > 0 else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "meter_reads": self.meter_reads,
            "edge_time_s": self.edge_time_s,
            "run_wall_s": self.run_wall_s,
            "share_of_run": self.share_of_run,
        }


@dataclass(frozen=True)
class RunSummary:
    """``energy_score_summary.json``: what this project's runner measured, per phase and in total.

    model: the Hub id measured (for a shipped architecture config, the id it mirrors);
    architecture_config: the shipped config run with random weights, if any.

    parameters: the model's parameter count, as loaded (checked against the class a submission claims).
    num_queries: queries per measured pass. phases: counted phases by canonical name.
    total_*: GPU energy per 1,000 queries summed over the phases (Wh), with its 95% CI and CV over
    repeats. idle_power_w_*: GPU power (W, summed over GPUs) with nothing running, before and after.
    """

    task: str
    model: str
    num_queries: int
    repeats: int
    gpu: GpuInfo
    phases: Mapping[str, PhaseSummary]
    total_gpu_energy_wh_per_1k: float
    dtype: str = ""
    no_weights: bool = False
    parameters: int | None = None
    architecture_config: str | None = None
    total_ci95_wh_per_1k: float | None = None
    total_cv: float | None = None
    idle_power_w_before: float | None = None
    idle_power_w_after: float | None = None
    inputs: Inputs = field(default_factory=lambda: Inputs("unknown", ""))
    settings: RunSettings = field(default_factory=RunSettings)
    software: Mapping[str, str] = field(default_factory=dict)
    overhead: Overhead | None = None
    files_sha256: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "schema_version": SUMMARY_SCHEMA_VERSION,
            "task": self.task,
            "model": self.model,
            "no_weights": self.no_weights,
            "parameters": self.parameters,
            "architecture_config": self.architecture_config,
            "dtype": self.dtype,
            "num_queries": self.num_queries,
            "repeats": self.repeats,
            "gpu": self.gpu.to_json(),
            "phases": {name: p.to_json() for name, p in self.phases.items()},
            "total_gpu_energy_wh_per_1k": self.total_gpu_energy_wh_per_1k,
            "total_ci95_wh_per_1k": _finite_or_none(self.total_ci95_wh_per_1k),
            "total_cv": _finite_or_none(self.total_cv),
            "idle_power_w": {"before": self.idle_power_w_before, "after": self.idle_power_w_after},
            "inputs": self.inputs.to_json(),
            "settings": self.settings.to_json(),
            "software": dict(self.software),
            "overhead": self.overhead.to_json() if self.overhead else None,
            "files_sha256": dict(self.files_sha256),
        }

    @classmethod
    def from_json(cls, value: object, where: str = RUNNER_SUMMARY) -> RunSummary:
        data = obj(value, where)
        phases_raw = obj(data.get("phases", {}), _where(where, "phases"))
        phases = {
            name: PhaseSummary.from_json(body, _where(_where(where, "phases"), name))
            for name, body in phases_raw.items()
            if name in REPORT_PHASE_KEYS.values()
        }
        idle = data.get("idle_power_w")
        idle_map = obj(idle, _where(where, "idle_power_w")) if idle is not None else {}
        software = obj(data.get("software") or {}, _where(where, "software"))
        hashes = obj(data.get("files_sha256") or {}, _where(where, "files_sha256"))
        total = data.get("total_gpu_energy_wh_per_1k")
        num_queries = integer(data.get("num_queries"), _where(where, "num_queries"))
        return cls(
            task=text(data.get("task"), _where(where, "task")),
            model=text(data.get("model"), _where(where, "model")),
            num_queries=num_queries,
            repeats=integer(data.get("repeats", 1), _where(where, "repeats")),
            gpu=GpuInfo.from_json(data.get("gpu"), _where(where, "gpu")),
            phases=phases,
            total_gpu_energy_wh_per_1k=(
                number(total, _where(where, "total_gpu_energy_wh_per_1k"))
                if total is not None
                else sum(p.gpu_energy_wh_per_1k for p in phases.values())
            ),
            dtype=text(data.get("dtype", ""), _where(where, "dtype")),
            no_weights=data.get("no_weights") is True,
            parameters=_parameters(data.get("parameters"), _where(where, "parameters")),
            architecture_config=opt_text(data.get("architecture_config"), _where(where, "architecture_config")),
            total_ci95_wh_per_1k=opt_number(data.get("total_ci95_wh_per_1k"), _where(where, "total_ci95_wh_per_1k")),
            total_cv=opt_number(data.get("total_cv"), _where(where, "total_cv")),
            idle_power_w_before=opt_number(idle_map.get("before"), _where(where, "idle_power_w → before")),
            idle_power_w_after=opt_number(idle_map.get("after"), _where(where, "idle_power_w → after")),
            inputs=Inputs.from_json(data.get("inputs"), _where(where, "inputs")),
            settings=RunSettings.from_json(data.get("settings"), _where(where, "settings")),
            software={str(k): str(v) for k, v in software.items()},
            files_sha256={str(k): str(v) for k, v in hashes.items()},
        )


# --- writing ---------------------------------------------------------------------------------


def dump_json(path: Path, value: object) -> None:
    """Write strict JSON (no NaN or Infinity), indented, UTF-8."""
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")


def report_json(phases: Mapping[str, PhaseSummary]) -> dict[str, object]:
    """``benchmark_report.json`` in optimum-benchmark's layout: each phase's GPU energy of one pass
    in kWh and its duration in s."""
    report: dict[str, object] = {}
    for name, phase in phases.items():
        kwh = phase.gpu_energy_wh / 1000.0
        report[written_phase_key(name)] = {
            "memory": None,
            "latency": {"unit": "s", "values": [phase.duration_s] if phase.duration_s is not None else []},
            "throughput": None,
            "energy": {"unit": "kWh", "cpu": None, "ram": None, "gpu": kwh, "total": kwh},
            "efficiency": None,
        }
    return report


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

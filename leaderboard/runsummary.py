"""The runner's summary (``energy_score_summary.json``, ``RunSummary``): what this project's runner
measured and how, written by the runner and read back by the submission portal through the same
records. ``from_json`` reads untrusted JSON (``leaderboard.untrusted``) and raises
``SubmissionError`` naming the field; ``to_json`` writes only finite numbers (an undefined statistic
is ``null``), so the summary is strict JSON. The run folder's other files: ``leaderboard.runfolder``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from leaderboard.errors import SubmissionError
from leaderboard.gates import RunGates
from leaderboard.runfolder import (
    MAX_REPEATS,
    REPORT_PHASE_KEYS,
    RUNNER_SUMMARY,
    SUMMARY_SCHEMA_VERSION,
    GpuInfo,
    written_phase_key,
)
from leaderboard.untrusted import (
    UNCHANGED,
    at,
    finite_or_none,
    integer,
    number,
    obj,
    opt_number,
    opt_text,
    text,
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
    passes_per_repeat: tuple[int, ...] = ()  # whole passes in each repeat's window (passes_per_window: the last)

    @property
    def repeats(self) -> int:
        return len(self.values_wh_per_1k)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "gpu_energy_wh": self.gpu_energy_wh,
            "gpu_energy_wh_per_1k": self.gpu_energy_wh_per_1k,
            "ci95_wh_per_1k": finite_or_none(self.ci95_wh_per_1k),
            "cv": finite_or_none(self.cv),
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
        if self.passes_per_repeat:
            out["passes_per_repeat"] = list(self.passes_per_repeat)
        if self.reference_codecarbon_values_wh_per_1k:
            out["reference_codecarbon_wh_per_1k"] = self.reference_codecarbon_wh_per_1k
            out["reference_codecarbon_values_wh_per_1k"] = list(self.reference_codecarbon_values_wh_per_1k)
        return out

    @classmethod
    def from_json(cls, value: object, where: str) -> PhaseSummary:
        data = obj(value, where)
        energy = number(data.get("gpu_energy_wh"), at(where, "gpu_energy_wh"))
        per_1k = opt_number(data.get("gpu_energy_wh_per_1k"), at(where, "gpu_energy_wh_per_1k"))
        values = _numbers(data.get("values_wh_per_1k"), at(where, "values_wh_per_1k"))
        repeats = data.get("repeats")
        n = integer(repeats, at(where, "repeats")) if repeats is not None else max(len(values), 1)
        if not 1 <= n <= MAX_REPEATS or len(values) > MAX_REPEATS:
            raise SubmissionError(
                f"{at(where, 'repeats')} is {max(n, len(values)):,}: a run makes 1 to {MAX_REPEATS:,} repeats. "
                f"{UNCHANGED}"
            )
        if values and len(values) != n:
            raise SubmissionError(
                f"{at(where, 'repeats')} is {n:,} but values_wh_per_1k holds {len(values):,} readings. {UNCHANGED}"
            )
        if not values:
            values = (per_1k if per_1k is not None else math.nan,) * n
        return cls(
            energy,
            per_1k if per_1k is not None else math.nan,
            values,
            opt_number(data.get("ci95_wh_per_1k"), at(where, "ci95_wh_per_1k")),
            opt_number(data.get("cv"), at(where, "cv")),
            opt_number(data.get("duration_s"), at(where, "duration_s")),
            integer(data.get("passes_per_window", 1), at(where, "passes_per_window")),
            _numbers(data.get("window_s"), at(where, "window_s")),
            opt_number(data.get("reference_codecarbon_wh_per_1k"), at(where, "reference_codecarbon_wh_per_1k")),
            _numbers(
                data.get("reference_codecarbon_values_wh_per_1k"),
                at(where, "reference_codecarbon_values_wh_per_1k"),
            ),
            _numbers(data.get("per_gpu_wh_per_1k"), at(where, "per_gpu_wh_per_1k")),
            opt_number(data.get("idle_wh_per_1k"), at(where, "idle_wh_per_1k")),
            _passes(data.get("passes_per_repeat"), at(where, "passes_per_repeat")),
        )


MAX_PARAMETERS = 10**14  # no model has a hundred trillion parameters
MAX_SUMMARY_ENTRIES = 200  # software versions and files_sha256: no runner records more


def _bounded(value: object, where: str) -> dict[str, object]:
    """A mapping of at most ``MAX_SUMMARY_ENTRIES`` entries (versions, checksums)."""
    data = obj(value or {}, where)
    if len(data) > MAX_SUMMARY_ENTRIES:
        raise SubmissionError(
            f"{where} holds {len(data):,} entries; a run folder records at most {MAX_SUMMARY_ENTRIES}. {UNCHANGED}"
        )
    return dict(data)


def _parameters(value: object, where: str) -> int | None:
    """The model's parameter count as the runner counted it (None: not recorded)."""
    if value is None:
        return None
    count = integer(value, where)
    if not 0 < count <= MAX_PARAMETERS:
        raise SubmissionError(f"{where} is {count:,}: not a model's parameter count. {UNCHANGED}")
    return count


def _numbers(value: object, where: str) -> tuple[float, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise SubmissionError(f"{where} must be a list of numbers. {UNCHANGED}")
    if len(value) > MAX_REPEATS:
        raise SubmissionError(
            f"{where} holds {len(value):,} numbers; a run records at most {MAX_REPEATS:,}. {UNCHANGED}"
        )
    return tuple(number(v, at(where, i)) for i, v in enumerate(value))


def _passes(value: object, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_REPEATS:
        raise SubmissionError(f"{where} must be a list of at most {MAX_REPEATS:,} whole numbers. {UNCHANGED}")
    return tuple(integer(v, at(where, i)) for i, v in enumerate(value))


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
            text(data.get("source", "unknown"), at(where, "source")),
            text(data.get("description", ""), at(where, "description")),
            opt_number(data.get("mean_input_tokens"), at(where, "mean_input_tokens")),
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
            return None if raw is None else integer(raw, at(where, key))

        return cls(
            batch_size=opt_int("batch_size") or 1,
            new_tokens=opt_int("new_tokens"),
            decode_mode=opt_text(data.get("decode_mode"), at(where, "decode_mode")),
            reasoning_effort=opt_text(data.get("reasoning_effort"), at(where, "reasoning_effort")),
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
    gates: RunGates | None = None  # None: a run folder written before the runner recorded its gates

    def to_json(self) -> dict[str, object]:
        out = self._json()
        if self.gates is not None:
            out["gates"] = self.gates.to_json()
        return out

    def _json(self) -> dict[str, object]:
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
            "total_ci95_wh_per_1k": finite_or_none(self.total_ci95_wh_per_1k),
            "total_cv": finite_or_none(self.total_cv),
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
        phases_raw = obj(data.get("phases", {}), at(where, "phases"))
        phases = {
            name: PhaseSummary.from_json(body, at(at(where, "phases"), name))
            for name, body in phases_raw.items()
            if name in REPORT_PHASE_KEYS.values()
        }
        idle = data.get("idle_power_w")
        idle_map = obj(idle, at(where, "idle_power_w")) if idle is not None else {}
        software = _bounded(data.get("software"), at(where, "software"))
        hashes = _bounded(data.get("files_sha256"), at(where, "files_sha256"))
        total = data.get("total_gpu_energy_wh_per_1k")
        num_queries = integer(data.get("num_queries"), at(where, "num_queries"))
        return cls(
            task=text(data.get("task"), at(where, "task")),
            model=text(data.get("model"), at(where, "model")),
            num_queries=num_queries,
            repeats=integer(data.get("repeats", 1), at(where, "repeats")),
            gpu=GpuInfo.from_json(data.get("gpu"), at(where, "gpu")),
            phases=phases,
            total_gpu_energy_wh_per_1k=(
                number(total, at(where, "total_gpu_energy_wh_per_1k"))
                if total is not None
                else sum(p.gpu_energy_wh_per_1k for p in phases.values())
            ),
            dtype=text(data.get("dtype", ""), at(where, "dtype")),
            no_weights=data.get("no_weights") is True,
            parameters=_parameters(data.get("parameters"), at(where, "parameters")),
            architecture_config=opt_text(data.get("architecture_config"), at(where, "architecture_config")),
            total_ci95_wh_per_1k=opt_number(data.get("total_ci95_wh_per_1k"), at(where, "total_ci95_wh_per_1k")),
            total_cv=opt_number(data.get("total_cv"), at(where, "total_cv")),
            idle_power_w_before=opt_number(idle_map.get("before"), at(where, "idle_power_w → before")),
            idle_power_w_after=opt_number(idle_map.get("after"), at(where, "idle_power_w → after")),
            inputs=Inputs.from_json(data.get("inputs"), at(where, "inputs")),
            settings=RunSettings.from_json(data.get("settings"), at(where, "settings")),
            software={str(k): str(v) for k, v in software.items()},
            files_sha256={str(k): str(v) for k, v in hashes.items()},
            gates=RunGates.from_json(data["gates"], at(where, "gates")) if data.get("gates") is not None else None,
        )


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

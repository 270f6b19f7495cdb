"""What an optimum-benchmark-style config records (``benchmark_config.json``, ``experiment_config.json``
or ``benchmark.json``'s config): scenario, model, pipeline, device, number of queries, the GPUs used
and the run's settings. A config is required: it says which scenario ran (only ``energy_star``
measures a pass over the task's queries; optimum-benchmark's ``inference`` scenario measures latency
and memory, and energy per call when at all), how many queries, on which model and GPUs.

Every value is read with its type checked (``leaderboard.untrusted``): a list where an object
belongs, a string where a number belongs, is a refusal naming the field, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from leaderboard.errors import SubmissionError
from leaderboard.hardware import normalized
from leaderboard.runfolder import (
    GpuInfo,
)
from leaderboard.submissions.model import Check
from leaderboard.submissions.protocol import RUNTIME_FILLED_KEYS, RunSetup, setting_departures
from leaderboard.submissions.reading import (
    MAX_GPUS,
    Refused,
)
from leaderboard.tasks import task_for_pipeline
from leaderboard.untrusted import (
    UNCHANGED,
    integer,
    number,
    obj,
    opt_text,
    text,
)

ENERGY_SCENARIO = "energy_star"


def section(data: Mapping[str, object], key: str, where: str) -> Mapping[str, object]:
    value = data.get(key)
    return {} if value is None else obj(value, f"{where} → {key}")


def opt_int(value: object, where: str) -> int | None:
    if value is None:
        return None
    result = integer(value, where)
    if not -(10**12) < result < 10**12:
        raise SubmissionError(f"{where} is {result!r}, out of any sensible range. {UNCHANGED}")
    return result


@dataclass(frozen=True)
class ConfigFacts:
    """What an optimum-benchmark-style config records (None: not recorded)."""

    source: str
    scenario: str | None
    model: str | None
    pipeline: str | None
    device: str | None
    num_queries: object
    gpu: GpuInfo | None
    settings: RunSetup
    tool_version: str | None = None
    reasoning_effort: str | None = None  # scenario → reasoning_params → reasoning_effort, with reasoning on

    @property
    def task(self) -> str | None:
        task = task_for_pipeline(self.pipeline) if self.pipeline else None
        return task.id if task else None


def comparable(raw: object) -> object:
    """A config as two copies of it are compared: without the backend's fields filled in at run time
    (``protocol.RUNTIME_FILLED_KEYS``: a server's port, a process id), which differ between copies."""
    if not isinstance(raw, dict) or not isinstance(raw.get("backend"), dict):
        return raw
    backend = {k: v for k, v in raw["backend"].items() if k not in RUNTIME_FILLED_KEYS}
    return {**raw, "backend": backend}


def config_facts(name: str, raw: object, tool: str) -> ConfigFacts:
    data = obj(raw, name)
    if data.get("scenario") is not None and data.get("benchmark") is not None:
        raise Refused(
            "Energy run",
            f"{name} has both a scenario and a benchmark section: which one ran is a guess. {UNCHANGED}",
        )
    key = "scenario" if data.get("scenario") is not None else "benchmark"
    scenario = section(data, key, name)
    backend = section(data, "backend", name)
    env = section(data, "environment", name)
    where_s, where_b = f"{name} → {key}", f"{name} → backend"
    gen = section(scenario, "generate_kwargs", where_s)
    shapes = section(scenario, "input_shapes", where_s)
    inputs = section(scenario, "inputs", where_s)
    call = section(scenario, "call_kwargs", where_s)
    reasoning = section(scenario, "reasoning_params", where_s) if scenario.get("reasoning") is not False else {}
    num = scenario.get("num_samples")
    settings = RunSetup(
        tool=tool,
        num_queries=None,  # set once the number of queries is validated
        batch_size=opt_int(shapes.get("batch_size"), f"{where_s} → input_shapes → batch_size"),
        min_new_tokens=opt_int(gen.get("min_new_tokens"), f"{where_s} → generate_kwargs → min_new_tokens"),
        max_new_tokens=opt_int(gen.get("max_new_tokens"), f"{where_s} → generate_kwargs → max_new_tokens"),
        dataset=opt_text(scenario.get("dataset_name"), f"{where_s} → dataset_name"),
        inputs_source=opt_text(inputs.get("source"), f"{where_s} → inputs → source"),
        dtype=opt_text(backend.get("torch_dtype"), f"{where_b} → torch_dtype"),
        inference_steps=opt_int(call.get("num_inference_steps"), f"{where_s} → call_kwargs → num_inference_steps"),
        images_per_prompt=opt_int(
            call.get("num_images_per_prompt"), f"{where_s} → call_kwargs → num_images_per_prompt"
        ),
        chat_template=False if scenario.get("reasoning") is False else None,
        random_weights=backend.get("no_weights") is True or backend.get("no_weights") == "true",
        text_column=opt_text(scenario.get("text_column_name"), f"{where_s} → text_column_name"),
        departures=setting_departures(scenario, backend, name),
    )
    return ConfigFacts(
        source=name,
        scenario=opt_text(scenario.get("name"), f"{where_s} → name"),
        model=opt_text(backend.get("model"), f"{where_b} → model"),
        pipeline=opt_text(backend.get("task"), f"{where_b} → task"),
        device=opt_text(backend.get("device"), f"{where_b} → device"),
        num_queries=num,
        gpu=_gpus_used(name, backend, env),
        settings=settings,
        tool_version=_version(env),
        reasoning_effort=opt_text(
            reasoning.get("reasoning_effort"), f"{where_s} → reasoning_params → reasoning_effort"
        ),
    )


def _version(env: Mapping[str, object]) -> str | None:
    """optimum-benchmark's version as its config's environment records it."""
    version = env.get("optimum_benchmark_version")
    return f"optimum-benchmark {version[:30]}" if isinstance(version, str) and version else None


def _gpus_used(name: str, backend: Mapping[str, object], env: Mapping[str, object]) -> GpuInfo | None:
    """The GPUs the run used: the environment lists the host's GPUs; ``backend.device_ids`` (when
    recorded) says which of them ran."""
    where = f"{name} → environment"
    raw = env.get("gpu")
    if raw is None or raw == []:
        names: list[str] = []
    elif isinstance(raw, str):
        names = [raw]
    elif isinstance(raw, list):
        names = [text(g, f"{where} → gpu[{i}]") for i, g in enumerate(raw[: MAX_GPUS + 1])]
    else:
        raise SubmissionError(f"{where} → gpu must be a list of GPU names. {UNCHANGED}")
    count = opt_int(env.get("gpu_count"), f"{where} → gpu_count")
    ids_raw = backend.get("device_ids")
    ids: list[int] | None = None
    if isinstance(ids_raw, int) and not isinstance(ids_raw, bool):
        ids = [ids_raw]
    elif isinstance(ids_raw, str) and not ids_raw.strip():
        ids = None  # recorded empty: not recorded
    elif isinstance(ids_raw, str):
        parts = [p.strip() for p in ids_raw.split(",")]
        if not all(p.isdigit() and len(p) < 4 for p in parts):
            raise SubmissionError(f"{name} → backend → device_ids is {ids_raw[:40]!r}, not GPU numbers. {UNCHANGED}")
        ids = [int(p) for p in parts]
    elif ids_raw is not None:
        raise SubmissionError(f"{name} → backend → device_ids must be text like '0,1'. {UNCHANGED}")
    if count is not None and (count < 0 or count > MAX_GPUS):
        raise SubmissionError(f"{where} → gpu_count is {count}: not a number of GPUs. {UNCHANGED}")
    if len(names) > MAX_GPUS or (ids is not None and len(ids) > MAX_GPUS):
        raise SubmissionError(f"{where} lists more than {MAX_GPUS} GPUs. {UNCHANGED}")
    if ids is not None and len(set(ids)) != len(ids):
        raise SubmissionError(
            f"{name} → backend → device_ids lists a GPU twice ({ids_raw!s:.40}): one GPU counts once. {UNCHANGED}"
        )
    if not names:
        return None
    if ids is not None:
        if len(names) == 1:
            used = names * len(ids)
        elif all(i < len(names) for i in ids):
            used = [names[i] for i in ids]
        else:
            raise SubmissionError(f"{name}: backend → device_ids name GPUs the environment does not list. {UNCHANGED}")
    elif count is not None:
        used = names * count if len(names) == 1 else names[:count] if len(names) >= count else names
        if len(used) != count:
            raise SubmissionError(
                f"{where} names {len(names)} GPU(s) but gpu_count is {count}: the config is not the one the "
                f"benchmark wrote. {UNCHANGED}"
            )
    else:
        used = names
    driver = env.get("nvidia_driver_version", env.get("driver"))
    one_board = len({normalized(n) for n in names}) == 1  # a host of mixed boards: whose memory is whose is a guess
    memory = _memory_per_gpu(env, where, count if count is not None else len(names)) if one_board else None
    return (
        GpuInfo(tuple(used), driver if isinstance(driver, str) else None, (memory,) * len(used) if memory else ())
        if used
        else None
    )


def _memory_per_gpu(env: Mapping[str, object], where: str, host_gpus: int) -> int | None:
    """Each GPU's memory (bytes): optimum-benchmark's ``gpu_vram_mb`` is, despite its name, the sum of
    NVML's total memory in bytes over the host's GPUs (``environment.gpu``, ``gpu_count``)."""
    raw = env.get("gpu_vram_mb")
    if raw is None or host_gpus < 1:
        return None
    total = number(raw, f"{where} → gpu_vram_mb")
    if not 0 < total < 1e16:
        raise SubmissionError(f"{where} → gpu_vram_mb is {total!r}: not a GPU's memory. {UNCHANGED}")
    per_gpu = total / host_gpus
    return round(per_gpu if per_gpu >= 2**30 else per_gpu * 2**20)  # under 1 GiB as bytes: written in MiB


def scenario_check(configs: list[ConfigFacts], checks: list[Check]) -> None:
    for c in configs:
        if c.scenario == "inference":
            raise Refused(
                "Energy run",
                f"{c.source} is an optimum-benchmark 'inference' scenario run: it measures latency and memory, and "
                "energy (when turned on) per call, the total divided by its iterations, not a pass over the task's "
                "1,000 queries. Run the energy_star scenario (the AI Energy Score configs) and upload that folder.",
            )
        if c.scenario != ENERGY_SCENARIO:
            shown = "does not say which scenario ran" if c.scenario is None else f"ran the {c.scenario[:40]!r} scenario"
            raise Refused(
                "Energy run",
                f"{c.source} {shown}; only the {ENERGY_SCENARIO} scenario measures the energy of a pass over the "
                "task's queries. Run it with the AI Energy Score configs and upload that folder.",
            )
        if c.device is not None and not c.device.lower().startswith(("cuda", "rocm")):
            raise Refused(
                "Energy run",
                f"{c.source}: the model ran on {c.device[:20]!r} (backend → device), not on a GPU. "
                "Run the benchmark on the GPU (device cuda).",
            )
    checks.append(Check("Energy run", "pass", f"{ENERGY_SCENARIO} scenario ({configs[0].source})."))


def queries(value: object, source: str, checks: list[Check]) -> int:
    if value is None:
        raise Refused(
            "Number of queries",
            f"{source} does not record the number of queries (num_samples): the energy per query cannot be told "
            "from the files, and no count is assumed. Rerun the benchmark with num_samples set (1,000 for the "
            "official board) and upload its folder.",
        )
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value != int(value)
        or not 0 < value < 10**9
    ):
        raise Refused(
            "Number of queries",
            f"{source}: the number of queries (num_samples) is {str(value)[:40]!r}: it must be a whole number "
            "above 0. Rerun the benchmark with num_samples set (1,000 for the official board).",
        )
    checks.append(Check("Number of queries", "pass", f"{int(value):,} queries ({source})."))
    return int(value)


def whole(value: object) -> int | None:
    return (
        int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None
    )

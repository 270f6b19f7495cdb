"""Reading the accepted benchmark layouts (SPEC §7) out of a zip's files into a ``ParsedRun``.

    optimum-benchmark energy_star      benchmark_config.json + benchmark_report.json, or benchmark.json
    optimum-benchmark energy_star_dev  experiment_config.json + benchmark_report.json with ``measures``
    Docker summary                     GPU_ENERGY_SUMMARY.json (units, total, <phase>_wh) beside the config
    this project's runner              energy_score_summary.json beside the optimum-benchmark files

Which file gives the figure: the runner summary, else the benchmark report, else the Docker summary.
Every other file that states the same facts is read too and must agree (named check "Files agree"):
model, task, number of queries, GPUs and per-phase energies. A config is required: it says which
scenario ran (only ``energy_star`` measures a pass over the task's queries; optimum-benchmark's
``inference`` scenario measures latency and memory, and energy per call when at all), how many
queries, on which model and GPUs. A config with no report is a crashed run: its log's error is named.

Every value is read with its type checked (``leaderboard.runfolder``'s strict readers): a list where
an object belongs, a string where a number belongs, is a refusal naming the field, never an exception.
File names, phase keys and units come from ``leaderboard.runfolder``; task names from the task
registry. GPU energy per 1,000 queries = GPU energy of the measured pass x 1000 / number of queries.
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from leaderboard.errors import SubmissionError
from leaderboard.hardware import hardware_matches
from leaderboard.harnesses import ENERGY_STAR, ENERGY_STAR_DEV, runner_harness
from leaderboard.runfolder import (
    BENCHMARK_CONFIG,
    BENCHMARK_JSON,
    BENCHMARK_REPORT,
    CHECKSUMS,
    DOCKER_PHASE_SUFFIX,
    DOCKER_SUMMARY,
    DOCKER_WH_TEXT,
    ENERGY_UNITS_TO_WH,
    EXPERIMENT_CONFIG,
    FAKE_METER_DRIVER,
    NOT_COUNTED_PHASE_KEYS,
    PARSED_FILES,
    REPORT_PHASE_KEYS,
    RUNNER_SUMMARY,
    GpuInfo,
    RunSummary,
    integer,
    number,
    obj,
    opt_text,
    run_folder_of,
    text,
)
from leaderboard.submissions.archive import MAX_LOG_SCAN_BYTES, MAX_LOGS_READ, Archive, is_log
from leaderboard.submissions.evidence import (
    Efficiency,
    cpu_ram_spread,
    efficiency_problems,
    evidence_checks,
    runner_problems,
)
from leaderboard.submissions.model import Check, ParsedRun, Phase
from leaderboard.submissions.protocol import RunSetup, setting_departures
from leaderboard.submissions.repeats import MAX_REPEATS, MAX_SPREAD, RepeatVerdict, judge_repeats
from leaderboard.tasks import PHASES, TASKS_BY_ID, task_for_pipeline

RUNNER_LAYOUT = "AI Energy Score runner"
DOCKER_LAYOUT = f"AI Energy Score Docker {DOCKER_SUMMARY}"
ENERGY_STAR_LAYOUT = "optimum-benchmark energy_star"
ENERGY_STAR_DEV_LAYOUT = "optimum-benchmark energy_star_dev"
ENERGY_SCENARIO = "energy_star"

# Relative tolerance for figures one program wrote from the same numbers (float rounding only), and
# for figures written as rounded text.
SAME_NUMBER_REL = 1e-6
ROUNDED_TEXT_REL = 5e-3
MAX_GPUS = 64
_ERROR_LINE = re.compile(r"error|exception|traceback|killed|out of memory", re.IGNORECASE)
_UNCHANGED = "Upload the files the benchmark wrote, unchanged."


class Refused(SubmissionError):
    """A refusal that belongs to a named check (the check's name travels with the message)."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


def agree(a: float, b: float, rel: float = SAME_NUMBER_REL) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


# --- small strict readers -----------------------------------------------------------------------


def _section(data: Mapping[str, object], key: str, where: str) -> Mapping[str, object]:
    value = data.get(key)
    return {} if value is None else obj(value, f"{where} → {key}")


def _opt_int(value: object, where: str) -> int | None:
    if value is None:
        return None
    result = integer(value, where)
    if not -(10**12) < result < 10**12:
        raise SubmissionError(f"{where} is {result!r}, out of any sensible range. {_UNCHANGED}")
    return result


def _opt_str(value: object, where: str) -> str | None:
    return opt_text(value, where)


# --- what each file says ---------------------------------------------------------------------------


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

    @property
    def task(self) -> str | None:
        task = task_for_pipeline(self.pipeline) if self.pipeline else None
        return task.id if task else None


@dataclass(frozen=True)
class FileFacts:
    """One file's statement of the run's identity, for the cross-file check."""

    source: str
    model: str | None
    task: str | None
    num_queries: int | None
    gpu_names: tuple[str, ...] | None


def config_facts(name: str, raw: object, tool: str) -> ConfigFacts:
    data = obj(raw, name)
    if data.get("scenario") is not None and data.get("benchmark") is not None:
        raise Refused(
            "Energy run",
            f"{name} has both a scenario and a benchmark section: which one ran is a guess. {_UNCHANGED}",
        )
    key = "scenario" if data.get("scenario") is not None else "benchmark"
    scenario = _section(data, key, name)
    backend = _section(data, "backend", name)
    env = _section(data, "environment", name)
    where_s, where_b = f"{name} → {key}", f"{name} → backend"
    gen = _section(scenario, "generate_kwargs", where_s)
    shapes = _section(scenario, "input_shapes", where_s)
    inputs = _section(scenario, "inputs", where_s)
    call = _section(scenario, "call_kwargs", where_s)
    num = scenario.get("num_samples")
    settings = RunSetup(
        tool=tool,
        num_queries=None,  # set once the number of queries is validated
        batch_size=_opt_int(shapes.get("batch_size"), f"{where_s} → input_shapes → batch_size"),
        min_new_tokens=_opt_int(gen.get("min_new_tokens"), f"{where_s} → generate_kwargs → min_new_tokens"),
        max_new_tokens=_opt_int(gen.get("max_new_tokens"), f"{where_s} → generate_kwargs → max_new_tokens"),
        dataset=_opt_str(scenario.get("dataset_name"), f"{where_s} → dataset_name"),
        inputs_source=_opt_str(inputs.get("source"), f"{where_s} → inputs → source"),
        dtype=_opt_str(backend.get("torch_dtype"), f"{where_b} → torch_dtype"),
        inference_steps=_opt_int(call.get("num_inference_steps"), f"{where_s} → call_kwargs → num_inference_steps"),
        images_per_prompt=_opt_int(
            call.get("num_images_per_prompt"), f"{where_s} → call_kwargs → num_images_per_prompt"
        ),
        chat_template=False if scenario.get("reasoning") is False else None,
        random_weights=backend.get("no_weights") is True or backend.get("no_weights") == "true",
        text_column=_opt_str(scenario.get("text_column_name"), f"{where_s} → text_column_name"),
        departures=setting_departures(scenario, backend, name),
    )
    return ConfigFacts(
        source=name,
        scenario=_opt_str(scenario.get("name"), f"{where_s} → name"),
        model=_opt_str(backend.get("model"), f"{where_b} → model"),
        pipeline=_opt_str(backend.get("task"), f"{where_b} → task"),
        device=_opt_str(backend.get("device"), f"{where_b} → device"),
        num_queries=num,
        gpu=_gpus_used(name, backend, env),
        settings=settings,
        tool_version=_version(env),
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
        raise SubmissionError(f"{where} → gpu must be a list of GPU names. {_UNCHANGED}")
    count = _opt_int(env.get("gpu_count"), f"{where} → gpu_count")
    ids_raw = backend.get("device_ids")
    ids: list[int] | None = None
    if isinstance(ids_raw, int) and not isinstance(ids_raw, bool):
        ids = [ids_raw]
    elif isinstance(ids_raw, str) and not ids_raw.strip():
        ids = None  # recorded empty: not recorded
    elif isinstance(ids_raw, str):
        parts = [p.strip() for p in ids_raw.split(",")]
        if not all(p.isdigit() and len(p) < 4 for p in parts):
            raise SubmissionError(f"{name} → backend → device_ids is {ids_raw[:40]!r}, not GPU numbers. {_UNCHANGED}")
        ids = [int(p) for p in parts]
    elif ids_raw is not None:
        raise SubmissionError(f"{name} → backend → device_ids must be text like '0,1'. {_UNCHANGED}")
    if count is not None and (count < 0 or count > MAX_GPUS):
        raise SubmissionError(f"{where} → gpu_count is {count}: not a number of GPUs. {_UNCHANGED}")
    if len(names) > MAX_GPUS or (ids is not None and len(ids) > MAX_GPUS):
        raise SubmissionError(f"{where} lists more than {MAX_GPUS} GPUs. {_UNCHANGED}")
    if ids is not None and len(set(ids)) != len(ids):
        raise SubmissionError(
            f"{name} → backend → device_ids lists a GPU twice ({ids_raw!s:.40}): one GPU counts once. {_UNCHANGED}"
        )
    if not names:
        return None
    if ids is not None:
        if len(names) == 1:
            used = names * len(ids)
        elif all(i < len(names) for i in ids):
            used = [names[i] for i in ids]
        else:
            raise SubmissionError(f"{name}: backend → device_ids name GPUs the environment does not list. {_UNCHANGED}")
    elif count is not None:
        used = names * count if len(names) == 1 else names[:count] if len(names) >= count else names
        if len(used) != count:
            raise SubmissionError(
                f"{where} names {len(names)} GPU(s) but gpu_count is {count}: the config is not the one the "
                f"benchmark wrote. {_UNCHANGED}"
            )
    else:
        used = names
    driver = env.get("nvidia_driver_version", env.get("driver"))
    return GpuInfo(tuple(used), driver if isinstance(driver, str) else None) if used else None


@dataclass
class EnergyRead:
    """Counted phases read from one file: single readings (Wh of one pass) and repeated ones."""

    single: dict[str, float] = field(default_factory=dict)
    repeated: dict[str, list[float]] = field(default_factory=dict)
    units: set[str] = field(default_factory=set)
    sums_off: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    cpu_ram: list[tuple[float, float]] = field(default_factory=list)
    efficiency: list[Efficiency] = field(default_factory=list)
    latency_s: dict[str, float] = field(default_factory=dict)


def _unit_factor(unit: object, where: str) -> float:
    if not isinstance(unit, str) or unit not in ENERGY_UNITS_TO_WH:
        raise Refused(
            "Energy units known",
            f"{where} has energy in unknown unit {str(unit)[:20]!r} (known, exactly as written: "
            f"{', '.join(ENERGY_UNITS_TO_WH)}). {_UNCHANGED}",
        )
    return ENERGY_UNITS_TO_WH[unit]


def _energy_record(energy: object, where: str, read: EnergyRead) -> float:
    """GPU Wh of one optimum-benchmark energy record; notes a total that is not cpu + ram + gpu."""
    data = obj(energy, where)
    unit = data.get("unit")
    factor = _unit_factor(unit, where)
    read.units.add(str(unit))
    if data.get("gpu") is None:
        raise Refused(
            "Counted phases present",
            f"{where} has no GPU energy (found keys: {', '.join(map(str, list(data)[:10])) or 'none'}). "
            "Zip the whole run folder that the benchmark wrote.",
        )
    gpu = number(data.get("gpu"), f"{where} → gpu")
    cpu_ram = {k: number(data[k], f"{where} → {k}") for k in ("cpu", "ram") if data.get(k) is not None}
    parts = [gpu, *cpu_ram.values()]
    if len(cpu_ram) == 2:
        read.cpu_ram.append((cpu_ram["cpu"], cpu_ram["ram"]))
    if data.get("total") is not None:
        total = number(data.get("total"), f"{where} → total")
        if not agree(total, sum(parts)):
            read.sums_off.append(f"{where}: total {total:.6g} is not cpu + ram + gpu = {sum(parts):.6g} {unit}")
    return gpu * factor


def report_energy(report: object, name: str) -> EnergyRead:
    """Counted phases of an optimum-benchmark report (``measures``: one reading per repeat)."""
    data = obj(report, name)
    read = EnergyRead()
    seen: dict[str, str] = {}
    for key, body in data.items():
        if key not in REPORT_PHASE_KEYS:
            if isinstance(body, dict) and key not in NOT_COUNTED_PHASE_KEYS and body.get("energy"):
                read.ignored.append(key)
            continue
        if body is None:
            continue
        section = obj(body, f"{name} → {key}")
        phase = REPORT_PHASE_KEYS[key]
        measures = section.get("measures")
        energy = section.get("energy")
        if measures is None and energy is None:
            continue
        if phase in seen:
            raise SubmissionError(
                f"{name} has both {seen[phase]} and {key}, two readings of the {phase} phase. {_UNCHANGED}"
            )
        seen[phase] = key
        if measures is not None:
            if not isinstance(measures, list) or not measures:
                raise SubmissionError(f"{name} → {key} → measures must be a non-empty list. {_UNCHANGED}")
            if len(measures) > MAX_REPEATS:
                raise SubmissionError(
                    f"{name} → {key} → measures holds {len(measures):,} repeats (at most {MAX_REPEATS:,}). {_UNCHANGED}"
                )
            values = []
            for i, m in enumerate(measures):
                where = f"{name} → {key} → measures[{i}]"
                item = obj(m, where)
                values.append(_energy_record(item.get("energy") if "unit" not in item else item, where, read))
            read.repeated[phase] = values
            if energy is not None:
                stated = _energy_record(energy, f"{name} → {key} → energy", read)
                mean = sum(values) / len(values)
                if not agree(stated, mean):
                    read.sums_off.append(
                        f"{name} → {key}: energy {stated:.6g} Wh is not the mean of its measures ({mean:.6g} Wh)"
                    )
        else:
            read.single[phase] = _energy_record(energy, f"{name} → {key} → energy", read)
        _efficiency(section, phase, f"{name} → {key}", read)
        _latency(section, phase, f"{name} → {key} → latency", read)
    return read


def _efficiency(section: Mapping[str, object], phase: str, where: str, read: EnergyRead) -> None:
    """A phase's ``efficiency`` (work per kWh) with the energy it was computed from, when recorded."""
    raw, energy = section.get("efficiency"), section.get("energy")
    if raw is None or energy is None:
        return
    eff, data = obj(raw, f"{where} → efficiency"), obj(energy, f"{where} → energy")
    unit, value = eff.get("unit"), eff.get("value")
    if not isinstance(unit, str) or value is None:
        return
    to_kwh = _unit_factor(data.get("unit"), f"{where} → energy") / 1000.0
    total = data.get("total")
    read.efficiency.append(
        Efficiency(
            phase,
            unit[:40],
            number(value, f"{where} → efficiency → value"),
            number(total, f"{where} → energy → total") * to_kwh if total is not None else 0.0,
            number(data.get("gpu"), f"{where} → energy → gpu") * to_kwh,
        )
    )


def _latency(section: Mapping[str, object], phase: str, where: str, read: EnergyRead) -> None:
    """The mean latency of a phase's calls (s), when recorded in seconds."""
    raw = section.get("latency")
    if raw is None:
        return
    data = obj(raw, where)
    values = data.get("values")
    if data.get("unit") == "s" and isinstance(values, list) and 0 < len(values) <= MAX_REPEATS:
        read.latency_s[phase] = sum(number(v, f"{where} → values[{i}]") for i, v in enumerate(values)) / len(values)


# --- the run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Logs:
    """What the logs say: the parsed run, how it was set up, and its recorded pipeline and device."""

    parsed: ParsedRun
    setup: RunSetup
    pipeline: str | None


@dataclass
class _Reading:
    """The figure being read, and what the other files said about it."""

    layout: str
    model: str | None
    task: str | None
    gpu: GpuInfo | None
    phases: list[Phase] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    sums_off: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    repeats: int = 1
    failed: tuple[int, ...] = ()
    all_repeats_wh_per_1k: float | None = None


def read_optimum(
    archive: Archive,
    files: Mapping[str, tuple[str, bytes]],
    loaded: Mapping[str, tuple[str, object]],
    checks: list[Check],
) -> Logs:
    """Read optimum-benchmark's layouts, the Docker summary and this project's runner: task, model,
    queries, GPU and per-phase GPU energy, adding the checks this reading decides (scenario, queries,
    units, files agree, checksums, sums, repeats)."""
    summary_file = loaded.get(RUNNER_SUMMARY)
    tool = "runner" if summary_file else "optimum-benchmark"
    raw_configs = [loaded[b] for b in (BENCHMARK_CONFIG, EXPERIMENT_CONFIG) if b in loaded]
    report_file = loaded.get(BENCHMARK_REPORT)
    second: tuple[str, object] | None = None  # benchmark.json's report beside benchmark_report.json
    if BENCHMARK_JSON in loaded:
        bench_name, bench = loaded[BENCHMARK_JSON]
        combined = obj(bench, bench_name)
        if combined.get("config") is not None:
            raw_configs.append((f"{bench_name} → config", combined.get("config")))
        if combined.get("report") is not None:
            if report_file is None:
                report_file = (f"{bench_name} → report", combined.get("report"))
            else:
                second = (f"{bench_name} → report", combined.get("report"))
    docker_file = loaded.get(DOCKER_SUMMARY)
    if summary_file is None and report_file is None and docker_file is None:
        if raw_configs:
            raise Refused("Benchmark report found", _crash_message(archive, raw_configs[0][0]))
        raise Refused(
            "Benchmark report found",
            f"No benchmark report found: the zip needs one of {', '.join(PARSED_FILES)}. "
            f"Found: {', '.join(archive.names[:10]) or 'nothing'}. Zip the whole run folder that the benchmark wrote.",
        )
    if any(raw != raw_configs[0][1] for _, raw in raw_configs[1:]):
        raise Refused(
            "Energy run",
            f"The folder holds {len(raw_configs)} different configs ({', '.join(n for n, _ in raw_configs)}): which "
            f"one the report measured is a guess. Upload one run folder with its one config. {_UNCHANGED}",
        )
    configs = [config_facts(name, raw, tool) for name, raw in raw_configs]
    if not configs:
        if report_file is not None:
            _judge_without_config(report_file, checks)
        raise Refused(
            "Energy run",
            f"No config ({BENCHMARK_CONFIG} or {EXPERIMENT_CONFIG}) beside the report: the scenario, number of "
            "queries, model and GPU are unknown. Zip the whole run folder that the benchmark wrote.",
        )
    _scenario_check(configs, checks)
    config = configs[0]
    num = _queries(config.num_queries, config.source, checks)
    facts = [
        FileFacts(c.source, c.model, c.task, _whole(c.num_queries), c.gpu.names if c.gpu else None) for c in configs
    ]
    report = report_energy(report_file[1], report_file[0]) if report_file else None
    if report is not None and report.ignored:
        checks.append(Check("Phases not counted", "warn", f"{', '.join(report.ignored)} are not scored phases."))
    summary = RunSummary.from_json(summary_file[1], summary_file[0]) if summary_file else None
    if summary is not None and summary_file is not None:
        reading = _from_summary(summary_file[0], summary, facts, report, num, checks)
        reading.disagreements += _runner_settings(summary_file, summary, raw_configs[0][1], config, checks)
    elif report is not None and report_file is not None:
        reading = _Reading(
            ENERGY_STAR_DEV_LAYOUT if report.repeated else ENERGY_STAR_LAYOUT, config.model, config.task, config.gpu
        )
        reading.units |= report.units
        _set_phases(reading, report.repeated, report.single, {}, num, per_1k=False, label="measures", checks=checks)
    else:
        reading = _Reading(DOCKER_LAYOUT, config.model, config.task, config.gpu)
    if report is not None:
        reading.sums_off += report.sums_off
        if second is not None:  # two reports in one folder must say the same, or which one counts is a guess
            other = report_energy(second[1], second[0])
            reading.sums_off += other.sums_off
            reading.disagreements += _compare_energy(
                str(report_file[0] if report_file else ""), _stated(report), second[0], _stated(other), SAME_NUMBER_REL
            )
    if docker_file is not None:
        _with_docker(reading, docker_file[0], docker_file[1], report, num)
    if DOCKER_WH_TEXT in files:
        _with_wh_text(reading, files[DOCKER_WH_TEXT], docker_file)
    checks.append(
        Check("Energy units known", "pass", f"Read in {', '.join(sorted(reading.units)) or 'Wh'} and converted to Wh.")
    )
    reading.disagreements += _disagreements(facts)
    consistency_checks(
        reading.disagreements,
        reading.sums_off,
        files,
        archive.names,
        checks,
        summary_name=summary_file[0] if summary_file else "",
        summary=summary,
    )
    _evidence(summary, report, config, num, checks)
    figures = [p.gpu_energy_wh for p in reading.phases] + [p.gpu_energy_wh_per_1k for p in reading.phases]
    if not all(math.isfinite(x) for x in [*figures, reading.all_repeats_wh_per_1k or 0.0]):
        raise Refused(
            "Energies finite and positive",
            "The energies overflow to infinity once converted to Wh per 1,000 queries: they are not measurements. "
            + _UNCHANGED,
        )
    harness, version = _harness(reading.layout, summary, config)
    parsed = ParsedRun(
        reading.layout,
        reading.model,
        reading.task,
        num,
        reading.gpu,
        tuple(reading.phases),
        tuple(archive.names),
        reading.repeats,
        reading.failed,
        reading.all_repeats_wh_per_1k,
        harness,
        version,
        summary.parameters if summary is not None else None,
    )
    setup = replace(config.settings, num_queries=num, harness=harness)
    if summary is not None and summary.no_weights:
        setup = replace(setup, random_weights=True)
    if summary is not None and summary_file is not None and obj(summary_file[1], "").get("settings") is not None:
        run = summary.settings  # what the runner recorded it did (batch size, decode mode, template, steps)
        setup = replace(
            setup,
            batch_size=run.batch_size,
            decode_mode=run.decode_mode,
            chat_template=run.chat_template,
            inference_steps=run.inference_steps if run.inference_steps is not None else setup.inference_steps,
            images_per_prompt=run.images_per_prompt if run.images_per_prompt is not None else setup.images_per_prompt,
        )
    return Logs(parsed, setup, config.pipeline)


def _runner_settings(
    summary_file: tuple[str, object], summary: RunSummary, config_raw: object, config: ConfigFacts, checks: list[Check]
) -> list[str]:
    """The runner's settings are required ("Runner settings recorded") and must be what its config says
    it did: batch size, new tokens, weights, inputs, precision and the settings block itself."""
    name = summary_file[0]
    raw = obj(summary_file[1], name).get("settings")
    if raw is None:
        checks.append(
            Check(
                "Runner settings recorded",
                "fail",
                f"{name} does not record the runner's settings (batch size, new tokens, decode mode, chat template): "
                "what the run did cannot be compared with the protocol. Run the current runner and upload its folder.",
            )
        )
        return []
    checks.append(Check("Runner settings recorded", "pass", f"{name} → settings."))
    run, c = summary.settings, config.settings
    scenario = _section(obj(config_raw, config.source), "scenario", config.source)
    backend = _section(obj(config_raw, config.source), "backend", config.source)
    out: list[str] = []

    def differ(label: str, in_summary: object, in_config: object) -> None:
        if in_config is not None and in_summary != in_config:
            out.append(f"{label}: {str(in_summary)[:40]} in {name}, {str(in_config)[:40]} in {config.source}")

    differ("batch size", run.batch_size, c.batch_size)
    if c.min_new_tokens == c.max_new_tokens:
        differ("new tokens", run.new_tokens, c.max_new_tokens)
    else:
        out.append(f"new tokens: min {c.min_new_tokens} and max {c.max_new_tokens} in {config.source}, not one number")
    differ("random weights", summary.no_weights, backend.get("no_weights"))
    differ("inputs", summary.inputs.source, c.inputs_source)
    differ("precision", summary.dtype or None, c.dtype)
    if scenario.get("settings") is not None and scenario.get("settings") != raw:
        out.append(f"settings: {name} and {config.source} record different runner settings")
    return out


def _evidence(
    summary: RunSummary | None, report: EnergyRead | None, config: ConfigFacts, num: int, checks: list[Check]
) -> None:
    """ "Energy fits the run": the energy against the run's other records (``evidence``)."""
    problems: list[str] = []
    checked: list[str] = []
    if summary is not None and summary.gpu.driver != FAKE_METER_DRIVER:
        problems += runner_problems(summary, report.latency_s if report else {})
        checked += ["windows", "idle power", "durations"]
    spread = 1.0
    if report is not None:
        s = config.settings
        tokens = s.max_new_tokens if s.min_new_tokens == s.max_new_tokens else None
        task = TASKS_BY_ID.get(config.task or "")
        problems += efficiency_problems(report.efficiency, num, tokens, bool(task and task.generative))
        checked += ["efficiency"] if report.efficiency else []
        spread = cpu_ram_spread(report.cpu_ram)
    evidence_checks(problems, spread, checked, checks)


def parsed_files(archive: Archive) -> dict[str, tuple[str, bytes]]:
    """basename -> (member name, bytes) of the parsed files, all from one run folder."""
    found: dict[str, tuple[str, bytes]] = {}
    for member, body in archive.members.items():
        base = posixpath.basename(member)
        if base in found:
            raise SubmissionError(
                f"The zip holds two files named {base} ({found[base][0]}, {member}): "
                "upload one run folder per submission."
            )
        found[base] = (member, body)
    folders = {run_folder_of(m) for m, _ in found.values()}
    if len(folders) > 1:
        raise SubmissionError(
            f"The benchmark's files are in {len(folders)} folders ({', '.join(sorted(f or '.' for f in folders))}): "
            "upload one run folder per submission."
        )
    return found


def _harness(layout: str, summary: RunSummary | None, config: ConfigFacts) -> tuple[str, str | None]:
    """The code that measured (``leaderboard.harnesses``) and the version the files record."""
    if summary is not None:
        return runner_harness(summary.settings.decode_mode), summary.software.get("runner_version")
    harness = ENERGY_STAR_DEV if layout == ENERGY_STAR_DEV_LAYOUT else ENERGY_STAR
    return harness, config.tool_version


def _judge_without_config(report_file: tuple[str, object], checks: list[Check]) -> None:
    """A report with no config beside it is refused, but what it states is still judged and shown: its
    figures per measured pass (the number of queries is unknown) and its failed repeats."""
    name, raw = report_file
    try:
        report = report_energy(raw, name)
    except SubmissionError as exc:
        checks.append(Check("Benchmark report readable", "fail", str(exc)))
        return
    if report.sums_off:
        checks.append(Check("Phases add up", "fail", "; ".join(report.sums_off[:6]) + f". {_UNCHANGED}"))
    single = sum(report.single.values())
    if len({len(v) for v in report.repeated.values()}) > 1:
        checks.append(Check("Repeats complete", "fail", f"The phases hold different numbers of repeats. {_UNCHANGED}"))
    elif report.repeated:
        verdict = judge_repeats(dict(report.repeated), unit="Wh")
        all_wh = sum(verdict.mean_all.values()) + single
        if not verdict.agree:
            checks.append(
                Check(
                    "Repeats complete",
                    "fail",
                    f"The complete repeats disagree: their totals differ by a factor of {verdict.spread:,.3g} (at "
                    f"most {MAX_SPREAD:g} within one run). Rerun the benchmark.",
                )
            )
        elif verdict.failed:
            named = "; ".join(f"measures[{i}]: {why}" for i, why in sorted(verdict.failed.items())[:12])
            good = (
                f"the {len(verdict.good)} complete repeats give {sum(verdict.mean_good.values()) + single:,.2f} Wh per "
                "measured pass"
                if verdict.good
                else "no repeat is complete"
            )
            checks.append(
                Check(
                    "Repeats complete",
                    "warn" if verdict.enough else "fail",
                    f"{len(verdict.failed)} of {verdict.count} repeats failed and would be excluded whole ({named}); "
                    f"{good}, the mean of all {verdict.count} {all_wh:,.2f} Wh. Per 1,000 queries it cannot be told: "
                    "the number of queries is in the missing config.",
                )
            )
        else:
            checks.append(
                Check(
                    "Repeats complete",
                    "pass",
                    f"All {verdict.count} repeats are complete: {all_wh:,.2f} Wh per measured pass (per 1,000 "
                    "queries unknown without the config).",
                )
            )
    elif report.single:
        checks.append(
            Check(
                "Figures read",
                "pass",
                f"{single:,.4g} Wh of GPU energy per measured pass (per 1,000 queries unknown without the config).",
            )
        )


def _queries(value: object, source: str, checks: list[Check]) -> int:
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


def _crash_message(archive: Archive, config_name: str) -> str:
    logs = [n for n in archive.names if is_log(n)][:MAX_LOGS_READ]
    for log in logs:
        lines = [ln.strip() for ln in archive.log_tail(log).splitlines() if _ERROR_LINE.search(ln)]
        if lines:
            shown = " … ".join(ln[:300] for ln in lines[:3])
            return (
                f"The run did not finish: {config_name} is there but no report. Its log {log} says: {shown!r}. "
                "Fix that error and run the benchmark again."
            )
    scanned = any(archive.entries[n].size > MAX_LOG_SCAN_BYTES for n in logs)
    read = f" (the first {MAX_LOG_SCAN_BYTES // 2**20} MB read)" if scanned else ""
    return (
        f"The run did not finish: {config_name} is there but no report"
        + (f", and its log ({', '.join(logs)}){read} names no error" if logs else ", and no log (*.log) says why")
        + ". Run the benchmark again and zip its whole folder."
    )


def _whole(value: object) -> int | None:
    return (
        int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) else None
    )


def _scenario_check(configs: list[ConfigFacts], checks: list[Check]) -> None:
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


def _from_summary(
    name: str, summary: RunSummary, facts: list[FileFacts], report: EnergyRead | None, num: int, checks: list[Check]
) -> _Reading:
    if summary.task not in TASKS_BY_ID:
        raise SubmissionError(f"{name} → task {summary.task[:40]!r} is not a task id. {_UNCHANGED}")
    if not 0 < summary.num_queries < 10**9:
        raise Refused(
            "Number of queries",
            f"{name} → num_queries is {summary.num_queries}: it must be a whole number above 0. {_UNCHANGED}",
        )
    reading = _Reading(RUNNER_LAYOUT, summary.model, summary.task, summary.gpu, units={"Wh"})
    facts.append(FileFacts(name, summary.model, summary.task, summary.num_queries, summary.gpu.names))
    for key, p in summary.phases.items():
        where = f"{name} → phases → {key}"
        mean = sum(p.values_wh_per_1k) / len(p.values_wh_per_1k)
        if not agree(p.gpu_energy_wh_per_1k, mean):
            reading.sums_off.append(
                f"{where}: gpu_energy_wh_per_1k {p.gpu_energy_wh_per_1k:.6g} is not the mean of values_wh_per_1k ({mean:.6g})"
            )
        if not agree(p.gpu_energy_wh * 1000.0 / summary.num_queries, p.gpu_energy_wh_per_1k):
            reading.sums_off.append(f"{where}: gpu_energy_wh x 1,000 / num_queries is not gpu_energy_wh_per_1k")
        if p.per_gpu_wh_per_1k and not agree(sum(p.per_gpu_wh_per_1k), p.gpu_energy_wh_per_1k):
            reading.sums_off.append(f"{where}: per_gpu_wh_per_1k does not add up to gpu_energy_wh_per_1k")
        if p.per_gpu_wh_per_1k and len(p.per_gpu_wh_per_1k) != summary.gpu.count:
            reading.sums_off.append(
                f"{where}: per_gpu_wh_per_1k lists {len(p.per_gpu_wh_per_1k)} GPUs, gpu lists {summary.gpu.count}"
            )
    stated = sum(p.gpu_energy_wh_per_1k for p in summary.phases.values())
    if not agree(summary.total_gpu_energy_wh_per_1k, stated):
        reading.sums_off.append(
            f"{name}: total_gpu_energy_wh_per_1k {summary.total_gpu_energy_wh_per_1k:.6g} is not the sum of its "
            f"phases ({stated:.6g})"
        )
    if report is not None:
        reading.units |= report.units
        stated_report = _stated(report)
        reading.disagreements += _compare_energy(
            name, {k: p.gpu_energy_wh for k, p in summary.phases.items()}, "the report", stated_report, SAME_NUMBER_REL
        )
    lengths = {len(p.values_wh_per_1k) for p in summary.phases.values()}
    repeated = {k: list(p.values_wh_per_1k) for k, p in summary.phases.items()} if len(lengths) == 1 else {}
    single = {} if repeated else {k: p.gpu_energy_wh for k, p in summary.phases.items()}
    durations = {k: p.duration_s for k, p in summary.phases.items()}
    if summary.gpu.driver == FAKE_METER_DRIVER:
        # The fake meter (CPU test runs) measured nothing: its repeats are noise, not readings to judge.
        checks.append(Check("Repeats complete", "warn", "Not judged: the runner's fake meter measured nothing."))
        single, repeated = {k: p.gpu_energy_wh for k, p in summary.phases.items()}, {}
    _set_phases(reading, repeated, single, durations, num, per_1k=True, label="values_wh_per_1k", checks=checks)
    return reading


def _set_phases(
    reading: _Reading,
    repeated: Mapping[str, list[float]],
    single: Mapping[str, float],
    durations: Mapping[str, float | None],
    num: int,
    *,
    per_1k: bool,
    label: str,
    checks: list[Check],
) -> None:
    """The counted phases: repeated readings judged (failed repeats excluded whole), single ones as read.
    ``repeated`` holds Wh per 1,000 queries when ``per_1k``, else Wh of one pass; ``single`` Wh of one pass."""
    scale = 1.0 if per_1k else 1000.0 / num
    figures: dict[str, tuple[float, int]] = {k: (wh * 1000.0 / num, 1) for k, wh in single.items()}
    if repeated:
        counts = {len(v) for v in repeated.values()}
        if len(counts) != 1:
            raise Refused(
                "Repeats complete",
                f"The phases hold different numbers of repeats ({', '.join(f'{k}: {len(v)}' for k, v in repeated.items())}). "
                + _UNCHANGED,
            )
        verdict = judge_repeats({k: [x * scale for x in v] for k, v in repeated.items()}, unit="Wh/1k")
        counted = verdict.mean_good if verdict.good else verdict.mean_all  # no complete repeat: the check fails
        for k in repeated:
            figures[k] = (counted[k], len(verdict.good) or verdict.count)
        reading.repeats, reading.failed = verdict.count, tuple(sorted(verdict.failed))
        singles_1k = sum(wh * 1000.0 / num for wh in single.values())
        all_mean = sum(verdict.mean_all.values()) + singles_1k
        reading.all_repeats_wh_per_1k = all_mean
        if verdict.count > 1 or verdict.failed:
            checks.append(_repeats_check(verdict, label, singles_1k, all_mean))
    for phase in PHASES:
        if phase in figures:
            per, n = figures[phase]
            reading.phases.append(Phase(phase, per * num / 1000.0, per, durations.get(phase), n))


def _repeats_check(verdict: RepeatVerdict, label: str, singles_1k: float, all_mean: float) -> Check:
    """ "Repeats complete": failed repeats named and excluded whole; too few complete ones, complete ones
    that disagree, or an exclusion that would lower the figure below the files' own mean, fail."""
    good_total = sum(verdict.mean_good.values()) + singles_1k if verdict.good else math.nan
    named = "; ".join(f"{label}[{i}]: {why}" for i, why in sorted(verdict.failed.items())[:12])
    failed = f"{len(verdict.failed)} of {verdict.count} repeats failed and are excluded whole ({named}). "
    if not verdict.enough:
        return Check(
            "Repeats complete",
            "fail",
            f"{failed}Only {len(verdict.good)} of {verdict.count} repeats are complete, not a majority: too few "
            "to count. Rerun the benchmark.",
        )
    if not verdict.agree:
        return Check(
            "Repeats complete",
            "fail",
            (failed if verdict.failed else "")
            + f"The complete repeats disagree: their totals differ by a factor of {verdict.spread:,.3g} (at most "
            f"{MAX_SPREAD:g} within one run), so the files do not say which figure is the run's. Rerun the benchmark.",
        )
    if verdict.failed and good_total < all_mean * (1 - 1e-9):
        return Check(
            "Repeats complete",
            "fail",
            f"{failed}Without them the figure would be {good_total:,.2f} Wh per 1,000 queries, below the "
            f"{all_mean:,.2f} the files state: an exclusion never lowers a figure. Rerun the benchmark.",
        )
    if verdict.failed:
        return Check(
            "Repeats complete",
            "warn",
            f"{failed}The {len(verdict.good)} complete repeats give {good_total:,.2f} Wh per 1,000 queries: this "
            f"figure counts; the mean of all {verdict.count} repeats would be {all_mean:,.2f}.",
        )
    return Check("Repeats complete", "pass", f"All {verdict.count} repeats are complete and agree.")


def _stated(read: EnergyRead) -> dict[str, float]:
    """A report's figure per phase as it states it (repeats averaged, failed ones included), Wh."""
    return {**read.single, **{k: sum(v) / len(v) for k, v in read.repeated.items()}}


def _compare_energy(a_name: str, a: Mapping[str, float], b_name: str, b: Mapping[str, float], rel: float) -> list[str]:
    if set(a) != set(b):
        return [f"phases: {', '.join(sorted(a)) or 'none'} in {a_name}, {', '.join(sorted(b)) or 'none'} in {b_name}"]
    return [
        f"{phase}: {a[phase]:.6g} Wh in {a_name}, {b[phase]:.6g} Wh in {b_name}"
        for phase in sorted(a)
        if not agree(a[phase], b[phase], rel)
    ]


def _docker_read(name: str, raw: object) -> tuple[dict[str, float], float | None, str]:
    data = obj(raw, name)
    unit = data.get("units")
    factor = _unit_factor(unit, name)
    phases = {
        phase: number(data.get(f"{phase}{DOCKER_PHASE_SUFFIX}"), f"{name} → {phase}{DOCKER_PHASE_SUFFIX}") * factor
        for phase in PHASES
        if data.get(f"{phase}{DOCKER_PHASE_SUFFIX}") is not None
    }
    total = number(data.get("total"), f"{name} → total") * factor if data.get("total") is not None else None
    return phases, total, str(unit)


def _with_docker(reading: _Reading, name: str, raw: object, report: EnergyRead | None, num: int) -> None:
    phases, total, unit = _docker_read(name, raw)
    reading.units.add(unit)
    if phases and total is not None and not agree(total, sum(phases.values()), ROUNDED_TEXT_REL):
        reading.sums_off.append(
            f"{name}: total {total:.6g} Wh is not the sum of its phases ({sum(phases.values()):.6g} Wh)"
        )
    if reading.layout == DOCKER_LAYOUT:
        if not phases and total is not None:
            phases = {"total": total}
        reading.phases = [Phase(k, wh, wh * 1000.0 / num) for k, wh in phases.items()]
    elif report is not None:
        stated = _stated(report)
        if phases:
            reading.disagreements += _compare_energy("the report", stated, name, phases, ROUNDED_TEXT_REL)
        elif total is not None and not agree(sum(stated.values()), total, ROUNDED_TEXT_REL):
            reading.disagreements.append(
                f"total: {sum(stated.values()):.6g} Wh in the report, {total:.6g} Wh in {name}"
            )


def consistency_checks(
    disagreements: list[str],
    sums_off: list[str],
    files: Mapping[str, tuple[str, bytes]],
    names: list[str],
    checks: list[Check],
    *,
    summary_name: str = "",
    summary: RunSummary | None = None,
) -> None:
    """The checks every layout's reading ends with, in order: "Files agree" (``disagreements``: what
    two files state differently), "Checksums match", "Phases add up" (``sums_off``: totals and means
    that are not the sums and means of their parts)."""
    if disagreements:
        checks.append(
            Check(
                "Files agree",
                "fail",
                "; ".join(disagreements[:6]) + ". The files are not from one run: upload the run folder unchanged.",
            )
        )
    else:
        checks.append(Check("Files agree", "pass", f"The {len(files)} files read state the same run."))
    checksums_check(files, names, summary_name, summary, checks)
    if sums_off:
        checks.append(Check("Phases add up", "fail", "; ".join(sums_off[:6]) + f". {_UNCHANGED}"))
    else:
        checks.append(Check("Phases add up", "pass", "Every stated total is the sum of its parts."))


def wh_text_value(body: bytes) -> float:
    """The number of Wh a ``GPU_ENERGY_WH.txt`` holds, or NaN when it holds no number."""
    try:
        return float(body.decode("utf-8").strip()) if len(body) <= 100 else math.nan
    except (UnicodeDecodeError, ValueError):
        return math.nan


def _with_wh_text(reading: _Reading, member: tuple[str, bytes], docker: tuple[str, object] | None) -> None:
    name, body = member
    value = wh_text_value(body)
    if not math.isfinite(value):
        reading.disagreements.append(f"{name} holds {body[:40]!r}, not a number of Wh")
        return
    total = sum(p.gpu_energy_wh for p in reading.phases)
    if docker is not None:
        phases, stated, _ = _docker_read(docker[0], docker[1])
        total = stated if stated is not None else sum(phases.values())
    if not agree(value, total, ROUNDED_TEXT_REL):
        reading.disagreements.append(f"total: {value:.6g} Wh in {name}, {total:.6g} Wh counted")


def _disagreements(facts: list[FileFacts]) -> list[str]:
    out: list[str] = []

    def compare(label: str, values: list[tuple[str, Any]], same: Callable[[Any, Any], bool]) -> None:
        present = [(src, v) for src, v in values if v is not None]
        for src, v in present[1:]:
            if not same(present[0][1], v):
                out.append(f"{label}: {present[0][1]!r} in {present[0][0]}, {v!r} in {src}")

    compare("model", [(f.source, f.model) for f in facts], lambda a, b: a == b)
    compare(
        "task", [(f.source, f.task) for f in facts], lambda a, b: a == b or {a, b} == {"text_generation", "reasoning"}
    )
    compare("queries", [(f.source, f.num_queries) for f in facts], lambda a, b: a == b)
    compare(
        "GPUs",
        [(f.source, f.gpu_names) for f in facts],
        lambda a, b: (
            len(a) == len(b) and all(hardware_matches(x, y) for x, y in zip(sorted(a), sorted(b), strict=True))
        ),
    )
    return out


_SUM_LINE = re.compile(r"^([0-9a-f]{64}) [ *](\S.*)$")


def checksums_check(
    files: Mapping[str, tuple[str, bytes]],
    names: list[str],
    summary_name: str,
    summary: RunSummary | None,
    checks: list[Check],
) -> None:
    """The SHA-256 the runner recorded (summary's files_sha256, SHA256SUMS) against the files read."""
    recorded: list[tuple[str, str, str]] = []  # (where, file name, sha256)
    if summary is not None:
        recorded += [(f"{summary_name} → files_sha256", n, h) for n, h in summary.files_sha256.items()]
    problems: list[str] = []
    if CHECKSUMS in files:
        member, body = files[CHECKSUMS]
        try:
            lines = [ln for ln in body.decode("utf-8-sig").splitlines() if ln.strip()]  # a BOM: Windows editors
        except UnicodeDecodeError:
            lines, problems = [], [f"{member} is not UTF-8 text"]
        for i, line in enumerate(lines[:200]):
            m = _SUM_LINE.match(line)
            if m is None:
                problems.append(f"{member} line {i + 1} is not '<sha256>  <file>'")
            else:
                recorded.append((member, m.group(2), m.group(1)))
    if not recorded and not problems:
        return
    basenames = {posixpath.basename(n) for n in names}
    checked = 0
    for where, file_name, sha in recorded:
        base = posixpath.basename(file_name)
        if base in files:
            checked += 1
            if hashlib.sha256(files[base][1]).hexdigest() != sha.lower():
                problems.append(
                    f"{base} is not the file {where} vouches for (SHA-256 differs): it was changed after the run"
                )
        elif base not in basenames:
            problems.append(f"{where} lists {base[:80]!r}, which is not in the zip")
    if problems:
        checks.append(Check("Checksums match", "fail", "; ".join(problems[:6]) + ". Upload the run folder unchanged."))
    else:
        checks.append(Check("Checksums match", "pass", f"{checked} file(s) match the SHA-256 the runner recorded."))

"""Every record of an optimum-benchmark run held against its energy: the reviewer's map of the
``energy_star`` and ``energy_star_dev`` layouts (and the Docker summary read with them).

optimum-benchmark ``energy_star`` (current: ``benchmark_config.json``, ``benchmark_report.json``,
``benchmark.json``, ``<task>_codecarbon.json``, ``.hydra/``):

    record                                   held against
    report phase energy cpu/ram/gpu/total    its sum (``Phases add up``); the CodeCarbon file of the
                                             same window (prefill ← prefill_codecarbon.json, decode ←
                                             generate − prefill, preprocess ← preprocess_dataset, forward,
                                             call), every field (``Files agree``)
    report efficiency value + unit           the work: queries for preprocess, prefill (samples/kWh) and
                                             forward; queries × (max_new_tokens − 1) decode tokens (the
                                             tool counts the budget); queries × images for call.
                                             Missing, null or another unit on a phase the tool always
                                             writes it for: refused
    report latency (when on)                 its CodeCarbon window's duration (``LATENCY_REL``); a
                                             phase's duration where no CodeCarbon file gives one
    report throughput (when on)              × latency = the work, as efficiency × energy
    report memory max_global_vram,           at most the memory of the GPUs used (``MEMORY_USED_SLACK``)
    max_process_vram, max_reserved,
    max_allocated (MB, when on)
    CodeCarbon duration                      GPU energy / duration / GPUs within the board's idle floor
                                             and power limit (``Average power plausible``)
    CodeCarbon cpu/gpu/ram_power             × duration = the file's cpu/gpu/ram_energy, for windows of
                                             ``POWER_TIME_MIN_S`` or more written by CodeCarbon 3 or later
                                             (``AVERAGED_POWER_SINCE``: older versions write the last
                                             interval's power)
    CodeCarbon energy_consumed               cpu + gpu + ram energy
    CodeCarbon timestamp (window close)      generate opens as prefill closes: generate's close less
                                             its duration is prefill's close (``WINDOW_GAP_S``)
    CodeCarbon emissions, emissions_rate     one carbon intensity (emissions / energy) in every file of
                                             the run; emissions_rate = emissions / duration (long windows)
    CodeCarbon gpu_model, gpu_count          the config's GPUs (``Files agree``)
    CodeCarbon run_id, os, python_version,   one of each in every file; os and python_version the
    cpu_model                                config environment's platform and python_version
                                             (``Files agree``: files of another run or machine)
    config environment gpu, gpu_count,       ``gpu_vram_mb`` (NVML bytes summed over the host's GPUs)
    gpu_vram_mb                              per GPU within a variant of the named board
                                             (``GPU memory matches the board``: refused)
    config scenario num_samples, batch,      the efficiency's work above; the protocol (``protocol``);
    generate_kwargs, call_kwargs, dataset    prompt lengths below
    config in benchmark.json                 benchmark_config.json, less the fields filled at run time
    no CodeCarbon file                       no independent time or power record (the tool writes one
                                             per window; a latency is the report's own): held (``Energy
                                             tied to the run``)

optimum-benchmark ``energy_star_dev`` (the February 2025 round: ``experiment_config.json``,
``benchmark_report.json`` with ``measures``, ten repeats per phase):

    record                                   held against
    measures[i] cpu/ram/gpu/total            their sums; the phase's ``energy`` is their mean; failed
                                             repeats excluded whole (``Repeats complete``); no two alike
                                             to the last digit (a reading copied); in every repeat
                                             prefill + decode (its generate window) is never below zero
                                             in any field, and where prefill read 0, decode holds the
                                             complete repeats' prefill + decode (``WHOLE_WINDOW_REL``)
    efficiency (samples/kWh preprocess,      the work as above; prefill's tokens per query against the
    tokens/kWh prefill and decode)           task's official dataset (``DATASET_TOKENS_BAND``: held);
                                             missing, null or renamed: refused
    cpu / ram of every reading               one ratio (CodeCarbon's constant powers; a spread beyond
                                             ``evidence.MAX_CPU_RAM_SPREAD`` is held)
    cpu energy (CodeCarbon books a           a phase's time: a decode step (one token) lasts and costs no
    constant CPU power: ∝ time) and gpu      more than a prefill of the whole prompt (``DECODE_STEP_MAX``
                                             of a query's prefill, by CPU and by GPU energy), so neither
                                             phase can be cut alone
    gpu / cpu of each phase (∝ its GPU       the other measured phases': two phases of one run on one
    power)                                   GPU differ at most by the board's power limit over its idle
                                             floor
    gpu / total of a compute phase           at least ``MIN_GPU_SHARE``: held (GPU energy moved into the
                                             CPU and RAM fields)
    config environment                       the GPU memory as above

    no duration or power at all              held (``Energy tied to the run``): a consistent rescaling of
                                             every energy with its efficiency keeps every rule above

Docker summary (``GPU_ENERGY_SUMMARY.json``, ``GPU_ENERGY_WH.txt``): beside a report, every phase
and the total against it (``layout_docker``); alone, nothing records time, power or work: held
(``Energy tied to the run``) until a maintainer acknowledges it.

Every list read here is bounded before use: the CodeCarbon files are named (``CODECARBON_FILES``), a
report's repeats are at most ``runfolder.MAX_REPEATS``, a ``gpu_model`` lists at most
``reading.MAX_GPUS`` GPUs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from leaderboard.errors import SubmissionError
from leaderboard.hardware import max_power_w, memory_fits, split_count
from leaderboard.runfolder import J_PER_WH, GpuInfo
from leaderboard.submissions.consistency import FileFacts
from leaderboard.submissions.model import Check
from leaderboard.submissions.optimum_report import EnergyRead, Parts
from leaderboard.submissions.plausibility import MIN_GPU_POWER_W
from leaderboard.submissions.reading import MAX_GPUS, SAME_NUMBER_REL, agree
from leaderboard.tasks import Task
from leaderboard.untrusted import UNCHANGED, number, obj, opt_number

TIED_CHECK = "Energy tied to the run"
MEMORY_CHECK = "GPU memory matches the board"
SHARE_CHECK = "GPU share of the energy"
INPUTS_CHECK = "Inputs as the official dataset's"

CODECARBON_SUFFIX = "_codecarbon.json"
# The windows optimum-benchmark's energy tracker names its CodeCarbon files after (``<task>_codecarbon.json``).
CODECARBON_TASKS = ("load_dataset", "preprocess_dataset", "load_model", "prefill", "generate", "forward", "call")
CODECARBON_FILES = tuple(f"{t}{CODECARBON_SUFFIX}" for t in CODECARBON_TASKS)
# The counted phase each window measured; decode is generate less prefill, as the tool computes it.
PHASE_WINDOWS = {"preprocess": "preprocess_dataset", "prefill": "prefill", "forward": "forward", "call": "call"}

POWER_TIME_MIN_S = 30.0  # CodeCarbon's power fields still vary over short windows (genuine: 26% at 1.4 s)
AVERAGED_POWER_SINCE = 3  # CodeCarbon's major version from which its power fields are the window's means
POWER_TIME_REL = 0.05  # genuine: 0.13% (prefill, 390 s) and 0.04% (generate, 1,574 s) for the GPU
LATENCY_REL, LATENCY_ABS_S = 0.05, 2.0  # a latency and a CodeCarbon window around the same loop
MEMORY_USED_SLACK = 0.01  # the memory a phase used (MB) within the GPUs' memory
WINDOW_GAP_S = 5.0  # generate opens as prefill closes (genuine: 0.25 s; timestamps are whole seconds)
INTENSITY_REL = 1e-3  # one run, one region: the same carbon intensity in every file (genuine: 1e-15)
DECODE_STEP_MAX = 1.0  # a decode step's share of a query's prefill (genuine: 0.095 GPU, 0.122 CPU)
MIN_PROMPT_TOKENS = 100  # the decode-step rule needs prompts much longer than one token
DATASET_TOKENS_BAND = (0.5, 2.0)  # prefill tokens per query over the dataset's mean (tokenizers differ)
MIN_GPU_SHARE = 0.6  # a compute phase's GPU share of its energy (genuine: 0.85-0.94)
GENERATE_FLOOR_REL = 1e-9  # generate = prefill + decode may be 0 (a failed reading), never below it
WHOLE_WINDOW_REL = 0.05  # a failed prefill's generate window against the complete repeats' (genuine: 0.05%)
COMPUTE_PHASES = ("prefill", "decode", "forward", "call")

# The efficiency unit optimum-benchmark writes for each counted phase, per layout (energy_star's
# scenario: PREPROCESS/PREFILL/FORWARD ``samples/kWh``, DECODE ``tokens/kWh``, CALL ``images/kWh``;
# energy_star_dev counts prefill in input tokens).
EFFICIENCY_UNITS: dict[bool, dict[str, frozenset[str]]] = {
    False: {
        "preprocess": frozenset({"samples/kWh"}),
        "prefill": frozenset({"samples/kWh"}),
        "decode": frozenset({"tokens/kWh"}),
        "forward": frozenset({"samples/kWh"}),
        "call": frozenset({"images/kWh", "samples/kWh"}),
    },
    True: {
        "preprocess": frozenset({"samples/kWh"}),
        "prefill": frozenset({"tokens/kWh"}),
        "decode": frozenset({"tokens/kWh"}),
        "forward": frozenset({"samples/kWh"}),
        "call": frozenset({"images/kWh", "samples/kWh"}),
    },
}


@dataclass(frozen=True)
class Window:
    """One measured window: CodeCarbon's energies (Wh), powers (W) and duration (s)."""

    source: str
    duration_s: float
    wh: Mapping[str, float]  # cpu, gpu, ram
    power_w: Mapping[str, float | None]
    total_wh: float | None
    emissions_kg: float | None = None
    emissions_rate: float | None = None
    end: datetime | None = None  # CodeCarbon's timestamp: when the window closed (whole seconds)
    averaged: bool = False  # CodeCarbon 3 writes the window's mean powers; older versions the last interval's
    machine: Mapping[str, str] = field(default_factory=dict)  # run_id, os, python_version, cpu_model

    def minus(self, other: Window) -> Window:
        """The window less another inside it (decode = generate − prefill)."""
        total = self.total_wh - other.total_wh if self.total_wh is not None and other.total_wh is not None else None
        return Window(
            f"{self.source} − {other.source}",
            self.duration_s - other.duration_s,
            {k: self.wh[k] - other.wh[k] for k in self.wh},
            {},
            total,
        )


@dataclass(frozen=True)
class Trackers:
    """The run's CodeCarbon files: window name -> reading, and the GPUs they name."""

    windows: Mapping[str, Window]
    gpus: Mapping[str, tuple[str, ...]]  # file -> GPU names (one per GPU)

    def phases(self) -> dict[str, Window]:
        """Counted phase -> the window that measured it."""
        out = {p: self.windows[w] for p, w in PHASE_WINDOWS.items() if w in self.windows}
        if "generate" in self.windows and "prefill" in self.windows:
            out["decode"] = self.windows["generate"].minus(self.windows["prefill"])
        return out

    def facts(self) -> list[FileFacts]:
        return [FileFacts(name, None, None, None, names) for name, names in self.gpus.items()]


def read_trackers(loaded: Mapping[str, tuple[str, object]]) -> Trackers:
    windows: dict[str, Window] = {}
    gpus: dict[str, tuple[str, ...]] = {}
    for task, base in zip(CODECARBON_TASKS, CODECARBON_FILES, strict=True):
        if base not in loaded:
            continue
        name, raw = loaded[base]
        data = obj(raw, name)
        duration = number(data.get("duration"), f"{name} → duration")
        if not 0 <= duration < 1e8:
            raise SubmissionError(f"{name} → duration is {duration!r} s: not a window's length. {UNCHANGED}")
        wh = {k: number(data.get(f"{k}_energy"), f"{name} → {k}_energy") * 1000.0 for k in ("cpu", "gpu", "ram")}
        power = {k: opt_number(data.get(f"{k}_power"), f"{name} → {k}_power") for k in ("cpu", "gpu", "ram")}
        total = opt_number(data.get("energy_consumed"), f"{name} → energy_consumed")
        windows[task] = Window(
            name,
            duration,
            wh,
            power,
            total * 1000.0 if total is not None else None,
            opt_number(data.get("emissions"), f"{name} → emissions"),
            opt_number(data.get("emissions_rate"), f"{name} → emissions_rate"),
            _timestamp(data.get("timestamp")),
            _major(data.get("codecarbon_version")) >= AVERAGED_POWER_SINCE,
            {k: v.strip()[:200] for k in MACHINE_FIELDS if isinstance(v := data.get(k), str) and v.strip()},
        )
        model = data.get("gpu_model")
        if isinstance(model, str) and model.strip():
            gpus[name] = _gpu_names(model, name)
    return Trackers(windows, gpus)


def _major(version: object) -> int:
    """The major version of a version string ('3.0.1' -> 3), 0 when there is none."""
    head = version.split(".", 1)[0] if isinstance(version, str) else ""
    return int(head) if head.isdigit() and len(head) < 4 else 0


def _timestamp(value: object) -> datetime | None:
    """CodeCarbon's ``timestamp`` ('2025-05-30T14:56:22'), or None when it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def _gpu_names(model: str, where: str) -> tuple[str, ...]:
    """'1 x NVIDIA H100 80GB HBM3' (CodeCarbon's gpu_model; kinds joined by ', ') -> one name per GPU."""
    names: list[str] = []
    for part in model.split(",")[:MAX_GPUS]:
        count, board = split_count(part.strip())
        if count is not None and count > MAX_GPUS:
            raise SubmissionError(f"{where} → gpu_model names {count} GPUs. {UNCHANGED}")
        names += [board.strip()[:80]] * (count if count is not None else 1)
    if len(names) > MAX_GPUS:
        raise SubmissionError(f"{where} → gpu_model names more than {MAX_GPUS} GPUs. {UNCHANGED}")
    return tuple(names)


def tracker_problems(trackers: Trackers, sums_off: list[str], *, consecutive: bool) -> list[str]:
    """Each CodeCarbon file against itself and the others: sums, power × time, carbon intensity, and
    (``consecutive``: energy_star's scenario) generate opening as prefill closes."""
    problems: list[str] = []
    intensities: list[tuple[str, float]] = []
    for w in trackers.windows.values():
        parts = sum(w.wh.values())
        if w.total_wh is not None and not agree(w.total_wh, parts):
            sums_off.append(f"{w.source}: energy_consumed {w.total_wh:.6g} Wh is not cpu + gpu + ram ({parts:.6g})")
        if w.duration_s >= POWER_TIME_MIN_S and w.averaged:
            for k, watts in w.power_w.items():
                if watts is None:
                    continue
                product = watts * w.duration_s / J_PER_WH
                if not math.isclose(product, w.wh[k], rel_tol=POWER_TIME_REL, abs_tol=1e-9):
                    problems.append(
                        f"{w.source}: {k}_power {watts:.4g} W × duration {w.duration_s:.4g} s is {product:.4g} Wh, "
                        f"not its {k}_energy {w.wh[k]:.4g} Wh"
                    )
        if w.emissions_kg is not None and w.total_wh:
            intensities.append((w.source, w.emissions_kg / w.total_wh))
            if w.emissions_rate is not None and w.duration_s >= POWER_TIME_MIN_S:  # its clock is read apart
                rate = w.emissions_kg / w.duration_s
                if not math.isclose(rate, w.emissions_rate, rel_tol=INTENSITY_REL, abs_tol=1e-15):
                    problems.append(f"{w.source}: emissions_rate {w.emissions_rate:.4g} is not emissions / duration")
    prefill, generate = trackers.windows.get("prefill"), trackers.windows.get("generate")
    if consecutive and prefill is not None and generate is not None and prefill.end and generate.end:
        gap_s = (generate.end - prefill.end).total_seconds() - generate.duration_s
        if abs(gap_s) > WINDOW_GAP_S:
            problems.append(
                f"{generate.source} closed at {generate.end:%H:%M:%S} after {generate.duration_s:,.1f} s, so it opened "
                f"{gap_s:+,.0f} s from the close of {prefill.source} ({prefill.end:%H:%M:%S}): the generate window "
                "opens as prefill's closes, so a duration or a timestamp was changed"
            )
    for source, value in intensities[1:]:
        if not math.isclose(value, intensities[0][1], rel_tol=INTENSITY_REL):
            problems.append(
                f"{source} and {intensities[0][0]} put a different carbon intensity on their energy "
                f"({value * 1e6:.6g} and {intensities[0][1] * 1e6:.6g} g per kWh): one run, one grid"
            )
    return problems


# CodeCarbon's record of the machine and run, and the config environment's name for the same fact.
MACHINE_FIELDS = ("run_id", "os", "python_version", "cpu_model")
# (the CPU's name is read by another library on each side, so it is compared among CodeCarbon's files only)
ENVIRONMENT_FIELDS = {"os": "platform", "python_version": "python_version"}


def machine_disagreements(trackers: Trackers, environment: object, config_name: str) -> list[str]:
    """The CodeCarbon files against each other (one tracker run: one run_id) and against the config's
    environment (the same platform, Python and CPU): files of another run or machine do not agree."""
    out: list[str] = []
    windows = list(trackers.windows.values())
    env = environment if isinstance(environment, dict) else {}
    for key in MACHINE_FIELDS:
        values = [(w.source, w.machine[key]) for w in windows if key in w.machine]
        for source, value in values[1:]:
            if value != values[0][1]:
                out.append(f"{key}: {values[0][1][:60]!r} in {values[0][0]}, {value[:60]!r} in {source}")
        stated = env.get(ENVIRONMENT_FIELDS.get(key, ""))
        if values and isinstance(stated, str) and stated.strip() and stated.strip()[:200] != values[0][1]:
            out.append(f"{key}: {stated.strip()[:60]!r} in {config_name}, {values[0][1][:60]!r} in {values[0][0]}")
    return out


def against_trackers(report_name: str, report: EnergyRead, trackers: Trackers) -> list[str]:
    """Every field of a report phase against the CodeCarbon window that measured it; a counted phase
    whose window file is missing while others are there (a file taken out)."""
    out: list[str] = []
    windows = trackers.phases()
    for phase, parts in report.parts.items():
        window = windows.get(phase)
        if window is None:
            needed = "generate and prefill" if phase == "decode" else PHASE_WINDOWS.get(phase, phase)
            out.append(f"{phase}: in {report_name}, but no {needed}{CODECARBON_SUFFIX} beside the others")
            continue
        fields: list[tuple[str, float | None, float | None]] = [
            ("cpu", parts.cpu_wh, window.wh["cpu"]),
            ("ram", parts.ram_wh, window.wh["ram"]),
            ("gpu", parts.gpu_wh, window.wh["gpu"]),
            ("total", parts.total_wh, window.total_wh),
        ]
        for key, stated, measured in fields:
            if stated is not None and measured is not None and not agree(stated, measured, SAME_NUMBER_REL):
                out.append(f"{phase} {key}: {stated:.6g} Wh in {report_name}, {measured:.6g} Wh in {window.source}")
    return out


def durations(report: EnergyRead, trackers: Trackers) -> dict[str, float | None]:
    """Each counted phase's duration (s): its CodeCarbon window, else the report's latency."""
    out: dict[str, float | None] = dict(report.latency_s)
    out.update({p: w.duration_s for p, w in trackers.phases().items() if w.duration_s > 0})
    return out


def efficiency_problems(report: EnergyRead, dev: bool) -> list[str]:
    """A counted phase the tool always writes an efficiency for, without one or in another unit."""
    problems = [
        f"{phase}: {why}; optimum-benchmark writes one for every measured phase"
        for phase, why in report.efficiency_missing.items()
    ]
    for e in report.efficiency:
        expected = EFFICIENCY_UNITS[dev].get(e.phase)
        if expected is not None and e.unit not in expected:
            problems.append(
                f"{e.phase}: efficiency in {e.unit!r}, not {' or '.join(sorted(expected))} as optimum-benchmark "
                "writes it"
            )
    return problems


def latency_problems(report: EnergyRead, trackers: Trackers) -> list[str]:
    """A phase's latency (when on) against its CodeCarbon window: two clocks around the same loop."""
    windows = trackers.phases()
    out = []
    for phase, latency in report.latency_s.items():
        w = windows.get(phase)
        if w is not None and abs(latency - w.duration_s) > LATENCY_REL * w.duration_s + LATENCY_ABS_S:
            out.append(f"{phase}: latency {latency:,.4g} s, but {w.source} lasted {w.duration_s:,.4g} s")
    return out


def throughput_problems(
    report: EnergyRead, num: int, new_tokens: int | None, images_per_prompt: int | None
) -> list[str]:
    """Throughput (work per second) × latency against the work, as efficiency × energy is."""
    out = []
    for phase, (unit, value) in report.throughput.items():
        latency = report.latency_s.get(phase)
        kind = unit.split("/", 1)[0]
        work = {
            "samples": float(num),
            "images": float(num * (images_per_prompt or 1)),
            "tokens": float(num * (new_tokens - 1)) if phase == "decode" and new_tokens else None,
        }.get(kind)
        if latency is None or not latency > 0 or work is None or not work > 0:
            continue
        done = value * latency
        if not math.isclose(done, work, rel_tol=0.01):
            out.append(
                f"{phase}: throughput {value:.6g} {unit} × latency {latency:.4g} s is {done:,.0f} {kind}, not the run's "
                f"{work:,.0f}"
            )
    return out


def work_problems(report: EnergyRead, num: int, images_per_prompt: int | None) -> list[str]:
    """The efficiencies the shared rule (``evidence.efficiency_problems``) does not judge: current
    prefill in queries, call in images."""
    problems: list[str] = []
    for e in report.efficiency:
        if e.phase == "prefill" and e.unit == "samples/kWh":
            work, what = float(num), "queries"
        elif e.phase == "call" and e.unit == "images/kWh":
            work, what = float(num * (images_per_prompt or 1)), "images"
        else:
            continue
        done = [e.value * kwh for kwh in (e.total_kwh, e.gpu_kwh) if kwh > 0]
        if done and not any(math.isclose(d, work, rel_tol=0.01) for d in done):
            problems.append(
                f"{e.phase}: efficiency {e.value:.6g} {e.unit} × its energy is {done[0]:,.0f} {what}, not the run's "
                f"{work:,.0f}"
            )
    return problems


def prompt_tokens(report: EnergyRead, num: int, task: Task | None) -> float | None:
    """Input tokens per query the dev layout's prefill efficiency (tokens/kWh × its energy) implies."""
    for e in report.efficiency:
        if e.phase == "prefill" and e.unit == "tokens/kWh" and e.total_kwh > 0 and num > 0:
            return e.value * e.total_kwh / num
    return None


def inputs_check(tokens: float | None, task: Task | None, checks: list[Check]) -> None:
    """Prefill's tokens per query against the task's official dataset (held when far from it)."""
    mean = task.inputs.tokens if task is not None and task.inputs.kind == "text" else None
    if tokens is None or not mean:
        return
    lo, hi = DATASET_TOKENS_BAND
    if lo * mean <= tokens <= hi * mean:
        checks.append(
            Check(INPUTS_CHECK, "pass", f"{tokens:,.0f} prompt tokens per query; the official dataset's {mean:,}.")
        )
    else:
        checks.append(
            Check(
                INPUTS_CHECK,
                "warn",
                f"Prefill's efficiency says {tokens:,.1f} prompt tokens per query; the official dataset's prompts "
                f"average {mean:,}: the inputs were not the official dataset's. Held until a maintainer checks it.",
            )
        )


def _mean_parts(report: EnergyRead, phase: str) -> Parts | None:
    if phase in report.parts:
        return report.parts[phase]
    measures = report.measure_parts.get(phase)
    return _mean(measures) if measures else None


def _complete_pair(report: EnergyRead) -> tuple[Parts | None, Parts | None]:
    """Prefill's and decode's mean records over the repeats where both read energy (a failed reading
    books one phase's energy in the other), else as stated."""
    pre, dec = report.measure_parts.get("prefill"), report.measure_parts.get("decode")
    if pre and dec and len(pre) == len(dec):
        pairs = [(p, d) for p, d in zip(pre, dec, strict=True) if p.gpu_wh > 0 and d.gpu_wh > 0]
        if pairs:
            return _mean([p for p, _ in pairs]), _mean([d for _, d in pairs])
    return _mean_parts(report, "prefill"), _mean_parts(report, "decode")


def _mean(records: list[Parts]) -> Parts:
    n = len(records)

    def mean(values: list[float | None]) -> float | None:
        return None if any(v is None for v in values) else sum(v or 0.0 for v in values) / n

    return Parts(
        mean([m.cpu_wh for m in records]),
        mean([m.ram_wh for m in records]),
        sum(m.gpu_wh for m in records) / n,
        mean([m.total_wh for m in records]),
    )


def phase_problems(
    report: EnergyRead, num: int, new_tokens: int | None, task: Task | None, gpu: GpuInfo | None
) -> list[str]:
    """Each phase against the others by its work (decode step vs a query's prefill, by CPU time and
    GPU energy) and by its power (gpu / cpu of two phases within the board's limit over idle)."""
    problems: list[str] = []
    prefill, decode = _complete_pair(report)
    prompt = task.inputs.tokens if task is not None and task.inputs.kind == "text" else None
    if (
        prefill is not None
        and decode is not None
        and new_tokens
        and new_tokens > 1
        and (prompt or 0) >= MIN_PROMPT_TOKENS
    ):
        steps = num * (new_tokens - 1)
        pairs = [("GPU energy", prefill.gpu_wh, decode.gpu_wh), ("CPU energy (time)", prefill.cpu_wh, decode.cpu_wh)]
        for what, p, d in pairs:
            if p is None or d is None or not p > 0 or not d > 0:
                continue
            share = _ratio(d / steps, p / num)
            if share is not None and share > DECODE_STEP_MAX:
                problems.append(
                    f"a decode step costs {share:.3g}x a query's prefill in {what} ({d:.4g} Wh over {steps:,} steps, "
                    f"{p:.4g} Wh over {num:,} prompts of ~{prompt} tokens): one token cannot cost more than a whole "
                    "prompt, so prefill or decode was changed"
                )
    ratios = {}
    for phase in COMPUTE_PHASES:
        parts = _mean_parts(report, phase)
        ratio = _ratio(parts.gpu_wh, parts.cpu_wh) if parts is not None and parts.gpu_wh > 0 else None
        if ratio is not None and ratio > 0:
            ratios[phase] = ratio
    if len(ratios) >= 2:
        limit = max_power_w(gpu.name) if gpu is not None else max_power_w("")
        span = limit / MIN_GPU_POWER_W
        hi_phase, lo_phase = max(ratios, key=ratios.__getitem__), min(ratios, key=ratios.__getitem__)
        apart = _ratio(ratios[hi_phase], ratios[lo_phase])
        if apart is not None and apart > span:
            problems.append(
                f"{lo_phase}'s GPU drew {apart:,.3g}x less power than {hi_phase}'s (GPU over CPU energy), more than "
                f"the board's {limit:,.0f} W limit over a {MIN_GPU_POWER_W:.0f} W floor"
            )
    return problems


def _ratio(a: float, b: float | None) -> float | None:
    """a / b where both are positive and the quotient finite (figures from an upload may underflow)."""
    if b is None or not a > 0 or not b > 0:
        return None
    quotient = a / b
    return quotient if math.isfinite(quotient) else None


def repeat_problems(report: EnergyRead) -> list[str]:
    """Repeats that are one reading copied: a meter never reads two windows to the last digit alike
    (a failed reading of 0 aside)."""
    problems: list[str] = []
    for phase, measures in report.measure_parts.items():
        seen: dict[Parts, int] = {}
        for i, m in enumerate(measures):
            if not m.gpu_wh > 0:
                continue
            if m in seen:
                problems.append(f"{phase}: measures[{i}] is measures[{seen[m]}] to the last digit, a reading copied")
                break
            seen[m] = i
    return problems


def failed_repeat_problems(report: EnergyRead) -> list[str]:
    """The failed readings against the complete ones. Decode is generate less prefill, so in every repeat
    generate = prefill + decode is a reading, never below zero in any field; and a repeat whose prefill
    read 0 books the whole generate window in decode: the complete repeats' prefill + decode."""
    pre, dec = report.measure_parts.get("prefill"), report.measure_parts.get("decode")
    if not pre or not dec or len(pre) != len(dec):
        return []
    problems: list[str] = []
    for i, (p, d) in enumerate(zip(pre, dec, strict=True)):
        for key in ("cpu", "ram", "gpu", "total"):
            a, b = getattr(p, f"{key}_wh"), getattr(d, f"{key}_wh")
            if a is not None and b is not None and a + b < -GENERATE_FLOOR_REL * (abs(a) + abs(b)):
                problems.append(
                    f"measures[{i}]: prefill {key} {a:.6g} Wh + decode {key} {b:.6g} Wh is a generate window below zero"
                )
                break
    good = [(p, d) for p, d in zip(pre, dec, strict=True) if p.gpu_wh > 0 and d.gpu_wh > 0]
    if not good:
        return problems
    whole = _mean([p for p, _ in good]).gpu_wh + _mean([d for _, d in good]).gpu_wh
    for i, (p, d) in enumerate(zip(pre, dec, strict=True)):
        if p.gpu_wh == 0 and d.gpu_wh > 0 and not math.isclose(d.gpu_wh, whole, rel_tol=WHOLE_WINDOW_REL):
            problems.append(
                f"measures[{i}]: prefill read 0, so decode holds the whole generate window, but its {d.gpu_wh:.6g} Wh "
                f"of GPU energy is not the complete repeats' prefill + decode ({whole:.6g} Wh)"
            )
    return problems


def share_check(report: EnergyRead, checks: list[Check]) -> None:
    """A compute phase whose GPU drew less than ``MIN_GPU_SHARE`` of its energy is held."""
    low = []
    for phase in COMPUTE_PHASES:
        parts = _mean_parts(report, phase)
        if parts is not None and parts.total_wh and parts.total_wh > 0 and parts.cpu_wh is not None:
            share = parts.gpu_wh / parts.total_wh
            if share < MIN_GPU_SHARE:
                low.append(f"{phase} {share:.0%}")
    if low:
        checks.append(
            Check(
                SHARE_CHECK,
                "warn",
                f"The GPU's share of the energy is {', '.join(low)} (below {MIN_GPU_SHARE:.0%}): the CPU and RAM fields "
                "hold what a GPU phase's GPU usually draws, so energy may have been moved out of the GPU field. "
                "Held until a maintainer checks it.",
            )
        )


def memory_check(gpu: GpuInfo | None, source: str, report: EnergyRead | None, checks: list[Check]) -> None:
    """The GPU memory the config records against the board its GPU name stands for, and the memory the
    report's phases used (when memory tracking was on) against the GPUs' memory."""
    if gpu is None or not gpu.memory_bytes:
        return
    memory = gpu.memory_bytes[0]
    fits = memory_fits(gpu.name, memory)
    shown = f"{memory / 2**30:,.1f} GiB per GPU"
    problems = []
    if fits is False:
        problems.append(
            f"{source} names the GPU {gpu.name!r} but records {shown} (environment → gpu_vram_mb): another board's "
            "memory"
        )
    room_mb = memory * gpu.count / 1e6 * (1 + MEMORY_USED_SLACK)
    for phase, fields in report.memory_mb.items() if report is not None else ():
        for key, used_mb in fields.items():
            if key != "max_ram" and used_mb > room_mb:
                problems.append(f"{phase}: {key} {used_mb:,.0f} MB is more than the {gpu.count} GPU(s) hold")
    if problems:
        checks.append(
            Check(
                MEMORY_CHECK,
                "fail",
                "; ".join(problems[:6]) + ". The files are not the ones the benchmark wrote; upload the run folder "
                "unchanged.",
            )
        )
    elif fits:
        checks.append(Check(MEMORY_CHECK, "pass", f"{gpu.name}: {shown}, as the board has."))


def untied_check(what: str, checks: list[Check]) -> None:
    """The warning that holds a figure no record of time, power or work backs."""
    checks.append(
        Check(
            TIED_CHECK,
            "warn",
            f"{what}: nothing in the folder records the run's time or power, so the energy cannot be tied to "
            "the run. Held until a maintainer, having checked the run, acknowledges it with a reason.",
        )
    )

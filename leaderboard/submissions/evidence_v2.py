"""Does a v2 run's GPU energy fit the run's other records? The reviewer's map of a v2 folder.

Every record of an AIEnergyScore v2 folder that bears on energy, power, time, the GPU or the inputs,
and what it is held against (``layout_v2`` reads them; the rules below judge them):

    benchmark_report.json → energy      gpu/cpu/ram energy (kWh, Wh), total, energy_kwh, duration_seconds,
                                        emissions: the same figures as CodeCarbon's row ("Files agree",
                                        "Phases add up")
    benchmark_report.json → summary     total_duration_seconds (the prompt loop, inside the CodeCarbon
                                        window), avg_latency_seconds (× successful prompts = the loop),
                                        total/prompt/completion tokens (prompt + completion = total;
                                        total / loop = throughput_tokens_per_second; prompt tokens per
                                        query against the official dataset's, completion per query at
                                        most the protocol's new tokens: ``protocol``)
    benchmark_report.json → gpu_stats   per GPU: power_draw_w (an instantaneous reading) against the
                                        window's average power; memory_total_mb against the board
    benchmark_report.json → config      num_samples, device_ids, model, dataset ("Number of queries",
                                        "Files agree", "Protocol")
    benchmark_results.csv               the report flattened: the same numbers ("Files agree")
    emissions/emissions.csv (CodeCarbon) duration, gpu/cpu/ram energy, energy_consumed, gpu_model and
                                        gpu_count (the GPU), and its power fields: gpu_power (the last
                                        interval's reading) against the average, cpu_power and ram_power
                                        (CodeCarbon's constant-power model: power × duration is the CPU
                                        and RAM energy, a clock a forger must also rewrite), emissions and
                                        emissions_rate (rate × duration = emissions)
    GPU_ENERGY_SUMMARY.json, GPU_ENERGY_WH.txt   the total, as the summariser wrote it ("Files agree")
    nvml_crosscheck.json                this project's runner only: its NVML reading of the same window,
                                        window_s and GPU (memory, power limit: against the board).
                                        Written by the uploader's own runner, it is never
                                        evidence on its own: it is one more record that must agree with the
                                        others (its window against CodeCarbon's duration, its GPU against
                                        the board), and its agreement proves nothing beyond that.

Not held against the energy (they do not bear on the GPU's): CodeCarbon's cpu_model, cpu_count,
ram_total_size, tracking_mode, country and region, and the report's carbon figures beyond the rate.

The rules (constants below):

* **average power**: GPU energy / duration / GPU count lies between the lowest idle power of the
  board (a GPU draws it throughout the window) and its power limit × ``POWER_TOLERANCE`` (``leaderboard.board_specs``): a figure scaled
  down is below what the board draws doing nothing;
* **clocks**: ram_energy = ram_power × duration and cpu_energy = cpu_power × duration within
  ``CLOCK_REL`` or ``CLOCK_S`` (CodeCarbon books RAM, and a CPU without a power counter, at constant power; a CPU
  with a counter within ``INSTANT_POWER_RATIO``); emissions_rate × duration = emissions;
  energy_consumed = gpu + cpu + ram;
* **durations**: the summary's loop lies inside CodeCarbon's window (at most ``EDGE_REL`` longer,
  at least ``BUSY_SHARE`` of it); latency × successful prompts is the loop within ``LATENCY_REL``;
  tokens / loop is the throughput within ``THROUGHPUT_REL``; the cross-check's window is CodeCarbon's;
* **instantaneous power** (a warning, "Power records agree"): CodeCarbon's gpu_power and the GPUs'
  power_draw_w (summed) within ``INSTANT_POWER_RATIO`` of the average power (they are single readings, so a
  maintainer judges a difference);
* **board**: the recorded memory is the named board's (``board_specs.memory_problem``).

Where a record the rules need is missing (no duration, no power fields), the energy cannot be tied
to the run: the result is held ("Energy tied to the run", a warning a maintainer acknowledges).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from leaderboard.board_specs import idle_range_w, memory_problem, power_limit_problem
from leaderboard.hardware import max_power_w
from leaderboard.runfolder import J_PER_WH
from leaderboard.submissions.evidence import CHECK
from leaderboard.submissions.model import Check
from leaderboard.submissions.plausibility import POWER_TOLERANCE

TIED_CHECK = "Energy tied to the run"
POWER_RECORDS_CHECK = "Power records agree"
CLOCK_REL = 0.01  # genuine: RAM and CPU energy are power × duration within 0.03% over 49 s
CLOCK_S = 1.0  # CodeCarbon books energy from its first reading: 0.5 s short in a genuine 2.5 s window
EDGE_REL = 0.01  # the prompt loop may outlast CodeCarbon's window by its edges (genuine: 0.15% shorter)
EDGE_S = 1.0
# The cross-check's NVML window opens when the harness's loop starts; CodeCarbon's when its tracker starts,
# before the model's warm-up: 1.02 s apart in a genuine 6-prompt CPU run of the official harness.
CROSSCHECK_EDGE_S = 2.0
BUSY_SHARE = 0.5  # the loop fills at least half the window (genuine: 99.8%)
LATENCY_REL = 0.05  # latency × prompts against the loop (genuine: 0.02% apart)
THROUGHPUT_REL = 1e-3
INSTANT_POWER_RATIO = 1.5  # single power readings against the average (genuine: 143 and 134 W)
KWH_TO_J = 3.6e6


@dataclass
class V2Records:
    """What a v2 folder records about its window, as read (None: not recorded)."""

    gpu_wh: float
    duration_s: float | None
    gpu_names: tuple[str, ...]
    summary: Mapping[str, object]
    emissions: Mapping[str, str] | None
    gpu_stats: Mapping[str, object]
    crosscheck: Mapping[str, object] | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)


def _float(value: object) -> float | None:
    """A finite number from JSON or a CSV cell, else None (the readers have refused what is malformed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        out = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            out = float(value)
        except ValueError:
            return None
    else:
        return None
    return out if math.isfinite(out) else None


def _near(a: float, b: float, rel: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def judge(r: V2Records) -> None:
    """Fill ``problems`` (fail), ``warnings`` (held) and ``missing`` (held: cannot be tied) from the records."""
    count = max(len(r.gpu_names), 1)
    gpu = r.gpu_names[0] if r.gpu_names else ""
    duration = r.duration_s
    if duration is None:
        r.missing.append("the window's duration (energy → duration_seconds)")
    else:
        _average_power(r, gpu, count, duration)
    row = r.emissions or {}
    if r.emissions is None:
        r.missing.append("CodeCarbon's row (emissions/emissions.csv)")
    elif duration is not None:
        _clocks(r, row, duration)
    _loop(r, duration)
    _board(r, gpu)
    _instant_power(r, row, duration)


def _average_power(r: V2Records, gpu: str, count: int, duration: float) -> None:
    watts = r.gpu_wh * J_PER_WH / duration / count
    floor = idle_range_w(gpu)[0] if gpu else 0.0  # the window's average holds the idle draw throughout
    ceiling = max_power_w(gpu) * POWER_TOLERANCE
    r.checked.append("average power")
    if r.gpu_wh > 0 and not floor <= watts <= ceiling:
        r.problems.append(
            f"{r.gpu_wh:.4g} Wh over {duration:.4g} s is {watts:,.0f} W per GPU, outside {floor:,.0f}–{ceiling:,.0f} W "
            f"(the {gpu[:40] or 'GPU'}'s idle draw to its limit)"
        )


def _clocks(r: V2Records, row: Mapping[str, str], duration: float) -> None:
    """CodeCarbon's constant powers × its duration against its CPU and RAM energy; its emissions."""
    kinds = {"ram": False, "cpu": True}  # name -> may be measured (a CPU power counter)
    for kind, measured in kinds.items():
        power, kwh = _float(row.get(f"{kind}_power")), _float(row.get(f"{kind}_energy"))
        if power is None or kwh is None:
            r.missing.append(f"CodeCarbon's {kind}_power and {kind}_energy")
            continue
        if power <= 0:
            continue  # not tracked
        implied_s = kwh * KWH_TO_J / power
        r.checked.append(f"{kind.upper()} clock")
        if abs(implied_s - duration) <= max(CLOCK_REL * duration, CLOCK_S):
            continue
        ratio = implied_s / duration
        if measured and 1 / INSTANT_POWER_RATIO <= ratio <= INSTANT_POWER_RATIO:
            continue  # a CPU with a power counter: its last reading, not a constant
        r.problems.append(
            f"CodeCarbon's {kind}_energy {kwh:.6g} kWh at its {kind}_power {power:.4g} W lasts {implied_s:,.4g} s, "
            f"not its {duration:,.4g} s window"
        )
    emitted, rate = _float(row.get("emissions")), _float(row.get("emissions_rate"))
    if emitted is not None and rate is not None and emitted > 0:
        r.checked.append("emissions rate")
        if not _near(rate * duration, emitted, 1e-6):
            r.problems.append(
                f"CodeCarbon's emissions_rate × duration is {rate * duration:.6g} kg, not its emissions {emitted:.6g}"
            )
    parts = [_float(row.get(f"{k}_energy")) for k in ("gpu", "cpu", "ram")]
    consumed = _float(row.get("energy_consumed"))
    if consumed is not None and all(p is not None for p in parts):
        if not _near(sum(p for p in parts if p is not None), consumed, 1e-6):
            r.problems.append(f"CodeCarbon's energy_consumed {consumed:.6g} kWh is not gpu + cpu + ram")
    if r.crosscheck is not None:
        window = _float(r.crosscheck.get("window_s"))
        if window is not None:
            r.checked.append("the cross-check's window")
            if not _near(window, duration, EDGE_REL) and abs(window - duration) > CROSSCHECK_EDGE_S:
                r.problems.append(
                    f"nvml_crosscheck.json's window of {window:.4g} s is not CodeCarbon's {duration:.4g} s"
                )


def _loop(r: V2Records, duration: float | None) -> None:
    """The summary's prompt loop: inside the window, its latencies and its throughput."""
    s = r.summary
    loop = _float(s.get("total_duration_seconds"))
    if loop is None or loop <= 0:
        r.missing.append("the prompt loop's duration (summary → total_duration_seconds)")
        return
    r.checked.append("durations")
    if duration is not None and not BUSY_SHARE * duration - EDGE_S <= loop <= duration * (1 + EDGE_REL) + EDGE_S:
        r.problems.append(
            f"the prompts ran {loop:,.4g} s (summary → total_duration_seconds) in a {duration:,.4g} s CodeCarbon window"
        )
    latency, good = _float(s.get("avg_latency_seconds")), _float(s.get("successful_prompts"))
    if latency is not None and good:
        busy = latency * good
        if not (1 - LATENCY_REL) * loop <= busy <= (1 + LATENCY_REL) * loop:
            r.problems.append(
                f"avg_latency_seconds × {good:,.0f} prompts is {busy:,.4g} s, but the prompts ran {loop:,.4g} s"
            )
    tokens = _float(s.get("total_tokens"))
    prompt, completion = _float(s.get("total_prompt_tokens")), _float(s.get("total_completion_tokens"))
    if tokens is not None and prompt is not None and completion is not None and tokens != prompt + completion:
        r.problems.append(f"total_tokens {tokens:,.0f} is not prompt + completion tokens ({prompt + completion:,.0f})")
    throughput = _float(s.get("throughput_tokens_per_second"))
    if tokens is not None and throughput is not None and not _near(tokens / loop, throughput, THROUGHPUT_REL):
        r.problems.append(
            f"throughput_tokens_per_second {throughput:,.6g} is not total_tokens / the loop ({tokens / loop:,.6g})"
        )


def _board(r: V2Records, gpu: str) -> None:
    """Each GPU's recorded memory (gpu_stats, the cross-check's GPU) against the board its name is."""
    if not gpu:
        return
    for key, body in list(r.gpu_stats.items())[:64]:
        if isinstance(body, Mapping):
            mib = _float(body.get("memory_total_mb"))
            if mib is not None:
                r.checked.append("GPU memory")
                problem = memory_problem(gpu, mib)
                if problem:
                    r.problems.append(f"gpu_stats → {key}: {problem}")
    info = r.crosscheck.get("gpu") if r.crosscheck is not None else None
    memory = info.get("memory_bytes") if isinstance(info, Mapping) else None
    limits = info.get("power_limit_w") if isinstance(info, Mapping) else None
    for value in memory[:64] if isinstance(memory, list) else []:
        size = _float(value)
        problem = memory_problem(gpu, size / 2**20) if size is not None else None
        if problem:
            r.problems.append(f"nvml_crosscheck.json: {problem}")
    for value in limits[:64] if isinstance(limits, list) else []:
        watts = _float(value)
        problem = power_limit_problem(gpu, watts) if watts is not None else None
        if problem:
            r.problems.append(f"nvml_crosscheck.json: {problem}")


def _instant_power(r: V2Records, row: Mapping[str, str], duration: float | None) -> None:
    """CodeCarbon's last gpu_power reading and each GPU's power_draw_w against the window's average."""
    if duration is None or r.gpu_wh <= 0:
        return
    average_w = r.gpu_wh * J_PER_WH / duration
    readings: list[tuple[str, float, float]] = []  # (where, reading, average it is compared with)
    power = _float(row.get("gpu_power"))
    if power is not None and power > 0:
        readings.append(("CodeCarbon's gpu_power", power, average_w))
    elif r.emissions is not None:
        r.missing.append("CodeCarbon's gpu_power")
    draws = [_float(b.get("power_draw_w")) for b in list(r.gpu_stats.values())[:64] if isinstance(b, Mapping)]
    if draws and all(d is not None and d > 0 for d in draws):
        # Summed over the GPUs: one GPU of a model split across several may wait while another works.
        readings.append(("gpu_stats' power_draw_w", sum(d for d in draws if d is not None), average_w))
    for where, reading, average in readings:
        r.checked.append("power readings")
        if not 1 / INSTANT_POWER_RATIO <= reading / average <= INSTANT_POWER_RATIO:
            r.warnings.append(f"{where} is {reading:,.0f} W; the energy over the window averages {average:,.0f} W")


def v2_checks(r: V2Records, checks: list[Check]) -> None:
    """The checks: "Energy fits the run" (fail), "Power records agree" and "Energy tied to the run" (held)."""
    judge(r)
    if r.problems:
        checks.append(
            Check(
                CHECK,
                "fail",
                "; ".join(r.problems[:6]) + ". The energy does not fit the run that the files record: upload the run "
                "folder unchanged.",
            )
        )
    elif r.checked:
        shown = ", ".join(dict.fromkeys(r.checked))
        checks.append(Check(CHECK, "pass", f"The energy fits the run's {shown}."))
    if r.warnings:
        checks.append(
            Check(
                POWER_RECORDS_CHECK,
                "warn",
                "; ".join(r.warnings[:4]) + f": more than {INSTANT_POWER_RATIO:g}x apart. Held until a maintainer, "
                "having checked the run, acknowledges it with a reason.",
            )
        )
    if r.missing:
        checks.append(
            Check(
                TIED_CHECK,
                "warn",
                f"The files do not record {'; '.join(dict.fromkeys(r.missing[:5]))}: the energy cannot be tied to the "
                "run's time and power. Held until a maintainer acknowledges it with a reason; upload the whole folder.",
            )
        )

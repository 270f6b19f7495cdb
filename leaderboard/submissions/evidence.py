"""Does the energy fit the run's own evidence? The check "Energy fits the run".

A figure that is scaled (a unit written wrong, a hand edit) usually keeps its sums: every total is
still the sum of its parts. What it cannot keep is everything else the run recorded about the same
windows. Each rule below compares the energy with another record of the same run:

This project's runner (``energy_score_summary.json``; every record below is required):

* **windows**: a phase's pass lasts ``duration_s``; each window (``window_s``, one per repeat) holds
  whole passes, so a pass fits in a window, and the last repeat's ``passes_per_window`` passes fill
  the shortest window within ``PASSES_SLACK`` (decode is generate − prefill: only the first holds);
* **idle**: with nothing running the GPUs drew ``idle_power_w`` (before and after); a running GPU
  draws at least that, so a phase's energy is at least ``IDLE_SHARE`` × idle power × its duration,
  and ``idle_wh_per_1k`` is that idle power × duration, as recorded;
* **report**: the report's latency of each phase is the summary's duration.

optimum-benchmark (``benchmark_report.json``, where recorded):

* **efficiency**: ``efficiency`` (tokens or samples per kWh) × the phase's energy is the work the
  phase did: the queries for preprocess and forward, queries × (new tokens − 1) for decode (the
  first token is prefill's);
* **CPU and RAM**: CodeCarbon without a CPU power counter books the CPU and RAM at constant powers,
  so their ratio is nearly one number across the phases and repeats of a run (53.9 in every prefill
  and decode reading of the reference report, 79.4 for its short preprocess). Energy moved from the
  GPU field into the CPU field multiplies it (GPU energy is hundreds of times the RAM's): a ratio
  that varies more than ``MAX_CPU_RAM_SPREAD`` is held for a maintainer (a warning: a CPU with a
  power counter may vary honestly).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from leaderboard.runfolder import J_PER_WH
from leaderboard.runsummary import (
    RunSummary,
)
from leaderboard.submissions.model import Check

CHECK = "Energy fits the run"
EDGE_REL = 0.05  # a pass may exceed its window by the window edges' sync and read time
PASSES_SLACK = 2.0  # passes per window vary between repeats (warm-up): the recorded count is the last one
IDLE_SHARE = 0.9  # a phase draws at least this share of the idle power over its duration
SAME_REL = 1e-6  # figures one program wrote from the same numbers
EFFICIENCY_REL = 0.01
MAX_CPU_RAM_SPREAD = 2.0  # genuine runs: 1.47 between a short preprocess and the rest (the reference report)


@dataclass(frozen=True)
class Efficiency:
    """A report phase's ``efficiency`` and the energies it was computed from (kWh)."""

    phase: str
    unit: str
    value: float
    total_kwh: float
    gpu_kwh: float


def runner_problems(summary: RunSummary, report_latency_s: Mapping[str, float]) -> list[str]:
    """What in a runner summary contradicts its energies. ``report_latency_s``: phase -> the report's
    latency of one pass."""
    problems: list[str] = []
    idle = [w for w in (summary.idle_power_w_before, summary.idle_power_w_after) if w is not None]
    if len(idle) != 2:
        problems.append("the summary does not record idle_power_w before and after the run")
    idle_w = sum(idle) / 2 if len(idle) == 2 else None
    if idle_w is not None and not idle_w > 0:
        problems.append(f"idle power {idle_w:.4g} W: a GPU draws power when idle")
        idle_w = None
    n = summary.num_queries
    for name, p in summary.phases.items():
        where = f"phases → {name}"
        if p.duration_s is None or not p.duration_s > 0 or not p.window_s or p.passes_per_window < 1:
            problems.append(f"{where}: duration_s, window_s and passes_per_window are not all recorded")
            continue
        if len(p.window_s) != p.repeats:
            problems.append(f"{where}: {len(p.window_s)} windows for {p.repeats} repeats")
        if p.duration_s > max(p.window_s) * (1 + EDGE_REL):
            problems.append(
                f"{where}: a pass of {p.duration_s:.4g} s does not fit in its {max(p.window_s):.4g} s window"
            )
        elif name != "decode" and p.duration_s * p.passes_per_window * PASSES_SLACK < min(p.window_s):
            problems.append(
                f"{where}: a pass lasts {p.duration_s:.4g} s, but {p.passes_per_window} pass(es) filled windows of "
                f"{min(p.window_s):.4g} s or more"
            )
        latency = report_latency_s.get(name)
        if latency is not None and not math.isclose(latency, p.duration_s, rel_tol=SAME_REL):
            problems.append(f"{where}: duration {p.duration_s:.6g} s, the report's latency {latency:.6g} s")
        if idle_w is None:
            continue
        idle_per_1k = idle_w * p.duration_s / J_PER_WH * 1000.0 / n
        if p.idle_wh_per_1k is not None and not math.isclose(p.idle_wh_per_1k, idle_per_1k, rel_tol=SAME_REL):
            problems.append(
                f"{where}: idle_wh_per_1k {p.idle_wh_per_1k:.6g} is not idle power × duration ({idle_per_1k:.6g})"
            )
        if p.gpu_energy_wh_per_1k < IDLE_SHARE * idle_per_1k:
            problems.append(
                f"{where}: {p.gpu_energy_wh_per_1k:.4g} Wh per 1,000 queries is less than the GPUs' idle draw over "
                f"the phase ({idle_w:.4g} W × {p.duration_s:.4g} s = {idle_per_1k:.4g})"
            )
    return problems


def efficiency_problems(
    efficiencies: Sequence[Efficiency], num: int, new_tokens: int | None, generative: bool
) -> list[str]:
    """Efficiency × energy against the work the phase did (either energy the tool may have divided by)."""
    problems: list[str] = []
    for e in efficiencies:
        if e.phase in ("preprocess", "forward") and e.unit == "samples/kWh":
            work, what = float(num), "queries"
        elif e.phase == "decode" and e.unit == "tokens/kWh" and new_tokens is not None and generative:
            work, what = float(num * max(new_tokens - 1, 0)), "decode tokens"
        else:
            continue
        done = [e.value * kwh for kwh in (e.total_kwh, e.gpu_kwh) if kwh > 0]
        if work > 0 and done and not any(math.isclose(d, work, rel_tol=EFFICIENCY_REL) for d in done):
            problems.append(
                f"{e.phase}: efficiency {e.value:.6g} {e.unit} × its energy is {done[0]:,.0f} {what}, not the run's "
                f"{work:,.0f}"
            )
    return problems


def cpu_ram_spread(pairs: Sequence[tuple[float, float]]) -> float:
    """Highest / lowest CPU-to-RAM energy ratio over the readings that have both above zero (1.0 if fewer
    than two)."""
    ratios = [cpu / ram for cpu, ram in pairs if cpu > 0 and ram > 0]
    return max(ratios) / min(ratios) if len(ratios) >= 2 else 1.0


def evidence_checks(problems: list[str], spread: float, checked: Sequence[str], checks: list[Check]) -> None:
    """The check(s): problems fail; a varying CPU/RAM ratio is a warning a maintainer acknowledges.
    ``checked``: what was compared (none: no check is added, nothing was there to compare)."""
    if problems:
        checks.append(
            Check(
                CHECK,
                "fail",
                "; ".join(problems[:6]) + ". The energy does not fit the run that the files record: upload the run "
                "folder unchanged.",
            )
        )
    if spread > MAX_CPU_RAM_SPREAD:
        checks.append(
            Check(
                "CPU and RAM energy consistent",
                "warn",
                f"The CPU-to-RAM energy ratio varies {spread:.3g}x across phases and repeats; CodeCarbon's constant "
                "powers give one ratio, so energy may have been moved between fields. A maintainer checks it.",
            )
        )
    if not problems and checked:
        listed = ", ".join(checked[:-1]) + (" and " if len(checked) > 1 else "") + checked[-1]
        checks.append(Check(CHECK, "pass", f"The energy fits the run's {listed}."))

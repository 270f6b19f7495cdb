"""Does this project's runner's energy fit the run's other records, and the board it ran on? The
reviewer's map of a runner folder.

Every record of a runner folder that bears on energy, power, time, the GPU or the inputs, and what it
is held against:

    energy_score_summary.json → phases   per phase: gpu_energy_wh(_per_1k), values_wh_per_1k (one per
                                         repeat), duration_s (one pass), window_s (one per repeat),
                                         passes_per_window, idle_wh_per_1k, per_gpu_wh_per_1k:
                                         sums and means ("Phases add up"), windows, passes and idle
                                         ("Energy fits the run", ``evidence.runner_problems``), and below
    energy_score_summary.json → idle_power_w   before and after, summed over the GPUs: against the board
    energy_score_summary.json → gpu      names, memory_bytes, power_limit_w: against the board
    energy_score_summary.json → inputs   source and mean_input_tokens: against the official dataset's
    benchmark_report.json                per phase: energy and latency, the summary's ("Files agree",
                                         "Energy fits the run")
    benchmark_config.json                model, task, queries, settings ("Files agree", "Runner settings
                                         recorded")
    energy_score_summary.json → gates    every measured window's duration, passes and mean power from the
                                         counter, its utilisation, clocks, temperature and processes, and
                                         the verdict ("Validity gates", ``gates_check``): each window is
                                         held against the phase's window_s, passes_per_repeat and energy
    SHA256SUMS, files_sha256             written by the runner, rewritten by any forger: they show a file
                                         changed by mistake, never that a figure is true

The rules here (constants below; ``evidence.runner_problems`` holds the others):

* **board**: each GPU's memory is its board's (``board_specs.memory_problem``); its power limit is at
  most the board's highest and above its idle draw;
* **idle**: the idle power per GPU, before and after, lies in the board's idle range
  (``board_specs.idle_range_w``): energies and idle power scaled down together leave the idle power
  below what the board draws doing nothing, scaled up above it;
* **power**: a phase's average power per GPU is at most its recorded power limit × ``POWER_TOLERANCE``;
* **windows**: every window lasts at least ``MIN_WINDOW_S`` (the NVML counter updates every ~100 ms,
  SPEC §8: a shorter window carries more than 10% error), and decode's windows hold whole generate
  passes (prefill + decode) as the other phases hold theirs (``evidence.PASSES_SLACK``);
* **CodeCarbon**: where it ran beside the meter (``reference_codecarbon_values_wh_per_1k``), its reading
  of each window is the meter's within ``REFERENCE_RATIO`` (SPEC §8: integrating power misjudges a
  phase by −5% to +23%; the committed runs agree within 3%);
* **repeats**: no two repeats of a phase have the same reading and the same window (two measured
  windows never agree to the nanosecond: a repeat copied);
* **inputs**: a run that records the official dataset has its prompt tokens per query within
  ``protocol.INPUT_TOKENS_RANGE`` of the dataset's (``Task.inputs.tokens``).
"""

from __future__ import annotations

from leaderboard.board_specs import idle_range_w, memory_problem, power_limit_problem
from leaderboard.gates import reasons_of
from leaderboard.runfolder import J_PER_WH
from leaderboard.runsummary import RunSummary
from leaderboard.submissions.evidence import PASSES_SLACK
from leaderboard.submissions.model import Check
from leaderboard.submissions.plausibility import POWER_TOLERANCE
from leaderboard.submissions.protocol import INPUT_TOKENS_RANGE, OFFICIAL_INPUTS
from leaderboard.tasks import TASKS_BY_ID

BOARD_CHECK = "Energy fits the board"  # beside ``evidence.CHECK``, "Energy fits the run"
MIN_WINDOW_S = 1.0
REFERENCE_RATIO = 1.25  # CodeCarbon's reading of a window against NVML's (genuine: within 3%)
WINDOW_EDGE_REL = 0.01  # the runner times its loop with the clock it measures the window with, between reads
MIB = 2**20


def board_problems(summary: RunSummary) -> list[str]:
    """The runner's GPU records and idle power against the board its GPUs' names are."""
    gpu = summary.gpu
    problems: list[str] = []
    for i, (name, size) in enumerate(zip(gpu.names, gpu.memory_bytes, strict=False)):
        problem = memory_problem(name, size / MIB)
        if problem:
            problems.append(f"gpu → memory_bytes[{i}]: {problem}")
    for i, (name, limit) in enumerate(zip(gpu.names, gpu.power_limit_w, strict=False)):
        problem = power_limit_problem(name, limit) if limit is not None else None
        if problem:
            problems.append(f"gpu → power_limit_w[{i}]: {problem}")
    lo, hi = idle_range_w(gpu.name)
    for when, watts in (("before", summary.idle_power_w_before), ("after", summary.idle_power_w_after)):
        if watts is None:
            continue  # required by ``evidence.runner_problems``
        per_gpu = watts / gpu.count
        if not lo <= per_gpu <= hi:
            problems.append(
                f"idle_power_w → {when}: {per_gpu:,.1f} W per GPU, outside the {lo:,.0f}–{hi:,.0f} W a "
                f"{gpu.name[:40]} draws idle"
            )
    return problems


def phase_problems(summary: RunSummary) -> list[str]:
    """Windows, passes, copied repeats and the recorded power limit, phase by phase."""
    problems: list[str] = []
    limits = [w for w in summary.gpu.power_limit_w if w is not None and w > 0]
    ceiling = min(limits) * POWER_TOLERANCE if limits else None
    prefill = summary.phases.get("prefill")
    for name, p in summary.phases.items():
        where = f"phases → {name}"
        short = [w for w in p.window_s if not w >= MIN_WINDOW_S * (1 - WINDOW_EDGE_REL)]
        if short:
            problems.append(
                f"{where}: a window of {min(short):.3g} s (at least {MIN_WINDOW_S:g} s: the NVML counter updates "
                "every ~100 ms)"
            )
        for i, (ours, theirs) in enumerate(
            zip(p.values_wh_per_1k, p.reference_codecarbon_values_wh_per_1k, strict=False)
        ):
            if ours > 0 and theirs > 0 and not 1 / REFERENCE_RATIO <= theirs / ours <= REFERENCE_RATIO:
                problems.append(
                    f"{where}: repeat {i} read {ours:.4g} Wh per 1,000 queries, CodeCarbon {theirs:.4g} over the same "
                    "window"
                )
                break
        pairs = list(zip(p.values_wh_per_1k, p.window_s, strict=False))
        if len(set(pairs)) < len(pairs):
            problems.append(f"{where}: two repeats have the same reading and the same window (a repeat copied)")
        if p.duration_s is None or not p.duration_s > 0:
            continue
        if name == "decode" and prefill is not None and prefill.duration_s and p.window_s:
            generate_s = prefill.duration_s + p.duration_s
            if generate_s * p.passes_per_window * PASSES_SLACK < min(p.window_s):
                problems.append(
                    f"{where}: a generate pass lasts {generate_s:.4g} s (prefill + decode), but "
                    f"{p.passes_per_window} pass(es) filled windows of {min(p.window_s):.4g} s or more"
                )
        watts = p.gpu_energy_wh * 3600.0 / p.duration_s / summary.gpu.count
        if ceiling is not None and watts > ceiling:
            problems.append(
                f"{where}: {watts:,.0f} W per GPU, above the {min(limits):,.0f} W power limit the GPU records"
            )
    return problems


def inputs_problems(summary: RunSummary) -> list[str]:
    """A run that says it used the official dataset has that dataset's prompt lengths."""
    task = TASKS_BY_ID.get(summary.task)
    tokens = summary.inputs.mean_input_tokens
    official = task.inputs.tokens if task is not None and task.inputs.kind == "text" else None
    if summary.inputs.source != OFFICIAL_INPUTS or tokens is None or not official:
        return []
    lo, hi = INPUT_TOKENS_RANGE
    if lo * official <= tokens <= hi * official:
        return []
    return [
        f"inputs: {tokens:,.1f} prompt tokens per query from the official dataset, whose queries have {official} on "
        f"average ({lo * official:,.0f}–{hi * official:,.0f} with any tokenizer)"
    ]


GATES_CHECK = "Validity gates"
GATE_ENERGY_REL = 0.02  # a window's mean power x duration against the energy its phase records per window
GATE_DURATION_REL = 1e-6


def gate_record_problems(summary: RunSummary) -> list[str]:
    """Each gate window against the phase record of the same window: its duration is the phase's window_s
    of that repeat, its passes the repeat's, and mean power × duration the energy of its passes (decode is
    measured as the generate window: prefill + decode per pass)."""
    gates = summary.gates
    if gates is None:
        return []
    problems = []
    n = summary.num_queries
    limits = [x for x in summary.gpu.power_limit_w if x is not None]
    limit_w = sum(limits) if limits else None
    for w in gates.windows:
        name = "decode" if w.phase == "generate" else w.phase
        phase = summary.phases.get(name)
        where = f"gates → {w.phase}[{w.repeat}]"
        if phase is None or not 0 <= w.repeat < len(phase.window_s) or w.repeat >= phase.repeats:
            problems.append(f"{where}: no such window in phases → {name}")
            continue
        if abs(w.duration_s - phase.window_s[w.repeat]) > GATE_DURATION_REL * max(1.0, w.duration_s):
            problems.append(
                f"{where}: duration_s {w.duration_s:.6g} is not the phase's window_s {phase.window_s[w.repeat]:.6g}"
            )
        if phase.passes_per_repeat and w.passes != phase.passes_per_repeat[w.repeat]:
            problems.append(f"{where}: {w.passes} passes, the phase records {phase.passes_per_repeat[w.repeat]}")
        per_1k = phase.values_wh_per_1k[w.repeat]
        if w.phase == "generate" and "prefill" in summary.phases:
            per_1k += summary.phases["prefill"].values_wh_per_1k[w.repeat]
        judged = reasons_of(
            w, idle_power_w=summary.idle_power_w_before or 0.0, power_limit_w=limit_w, own_processes=summary.gpu.count
        )
        if judged != w.reasons:
            problems.append(
                f"{where}: records the reasons {list(w.reasons)}, its own figures give {list(judged)} "
                "(leaderboard.gates)"
            )
        window_j = per_1k * n / 1000.0 * J_PER_WH * w.passes
        if window_j > 0 and abs(w.mean_power_w * w.duration_s - window_j) > GATE_ENERGY_REL * window_j:
            problems.append(
                f"{where}: mean_power_w × duration_s is {w.mean_power_w * w.duration_s:,.1f} J, the phase's energy of "
                f"that window {window_j:,.1f} J"
            )
    return problems


def gates_check(summary: RunSummary, checks: list[Check]) -> None:
    """ "Validity gates": the runner's verdict on every measured window, held against its phase records. A
    window that failed a gate (too short, host-bound, throttled, another process on the GPU, …) or a run
    that records no gates is held for a maintainer; gate records that contradict the phases fail."""
    problems = gate_record_problems(summary)
    gates = summary.gates
    if problems:
        checks.append(
            Check(GATES_CHECK, "fail", "; ".join(problems[:6]) + ". Upload the run folder the runner wrote, unchanged.")
        )
    elif gates is None:
        checks.append(
            Check(
                GATES_CHECK,
                "warn",
                "The run records no validity gates (steady state, utilisation, clocks, other processes): how steady "
                "its windows were cannot be told. Runs of this runner from before it recorded them show this; a "
                "maintainer decides.",
            )
        )
    elif gates.verdict == "fail":
        failed = [w for w in gates.windows if w.reasons]
        listed = "; ".join(f"{w.phase}[{w.repeat}]: {', '.join(w.reasons)}" for w in failed[:8])
        checks.append(
            Check(
                GATES_CHECK,
                "warn",
                f"{len(failed)} of {len(gates.windows)} measured windows failed a validity gate ({listed}). The figure "
                "stands as measured; a maintainer decides whether the run was steady enough.",
            )
        )
    else:
        checks.append(
            Check(
                GATES_CHECK,
                "pass",
                f"All {len(gates.windows)} measured windows passed the runner's validity gates"
                + (f" on GPU {', '.join(gates.uuids)}" if gates.uuids else "")
                + ".",
            )
        )


def runner_board_checks(summary: RunSummary, checks: list[Check]) -> None:
    """The rules above as one check, "Energy fits the board" ("Energy fits the run" judges the rest)."""
    problems = board_problems(summary) + phase_problems(summary) + inputs_problems(summary)
    if problems:
        checks.append(
            Check(
                BOARD_CHECK,
                "fail",
                "; ".join(problems[:6]) + ". The figures do not fit the GPU and the run the files record: upload the "
                "run folder unchanged.",
            )
        )
    else:
        checks.append(
            Check(
                BOARD_CHECK,
                "pass",
                f"Memory, power limit and idle power of a {summary.gpu.name[:40]}; windows of at least "
                f"{MIN_WINDOW_S:g} s; inputs of the recorded dataset.",
            )
        )

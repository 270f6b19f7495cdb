"""The checks every submission goes through, and ``check_zip``: any bytes in, a ``Report`` out.

The named checks, in the order a report lists them:

    Zip readable and safe     the archive reader's limits and rules (``archive``)
    Energy run                a config of the energy_star scenario (or the v2 runner's report), on a GPU
    Number of queries         from the config, never assumed by the v2 reader
    Prompts complete          v2 runner: no failed prompt inside the energy window (``layout_v2``)
    Repeats complete          failed repeats excluded whole, too few complete ones fail (``repeats``)
    Energy units known        units from the exact table
    Files agree               every file states the same model, task, queries, GPUs and energies
    Checksums match           the SHA-256 the runner recorded
    NVML cross-check          v2 runs made by this project's runner: its NVML reading of the same window
    Phases add up             stated totals and means are the sums and means of their parts
    Energy fits the run       the energy against the run's other records (``evidence``, ``evidence_v2``)
    Energy fits the board     runner: GPU memory, power limit, idle power, windows, repeats, inputs
                              (``evidence_runner``)
    Power records agree       v2: single power readings near the window's average (a warning)
    Energy tied to the run    v2: no duration or power record to tie the energy to (a warning)
    Harness version           v2: a results CSV another harness version wrote (a warning)
    Counted phases present    the task's phases
    Energies finite and positive
    Protocol                  the task's protocol; a departure is an off-protocol warning (``protocol``)
    Harness                   the harness of the round the result joins (``Claim.cohort``, else the task's
                              latest round); another harness is off-protocol and rated apart
    GPU is a GPU              the logged GPU names a GPU board (the runner's fake meter is named)
    Average power plausible   with durations; or Energy plausible without (``plausibility``)
    Hardware as claimed / Hardware recorded, Class rules, Task as claimed, Model as claimed,
    Reasoning effort as claimed (``effort``)

``check_zip`` never raises: a refusal is a failed check with what to do. An exception that is not
the project's own would be a bug; it is caught at the edge too, reported as the failed check
``CHECKER_ERROR`` (and the fuzz tests fail if that ever happens).
"""

from __future__ import annotations

import hashlib
import logging

from leaderboard.errors import SubmissionError
from leaderboard.formatting import plural
from leaderboard.hardware import hardware_matches, is_gpu_name, split_count
from leaderboard.harnesses import harness_name
from leaderboard.runfolder import FAKE_METER_DRIVER
from leaderboard.submissions.archive import read_zip
from leaderboard.submissions.effort import effort_check
from leaderboard.submissions.model import Check, Claim, ParsedRun, Report
from leaderboard.submissions.plausibility import band_verdict, power_limits, power_per_gpu, published_range
from leaderboard.submissions.protocol import differences, harness_difference
from leaderboard.submissions.readers import parse_logs, parsed_names
from leaderboard.submissions.reading import Logs, Refused
from leaderboard.submissions.text import model_id_problem
from leaderboard.tasks import MODEL_CLASSES, PHASES, TASKS_BY_ID, expected_round, same_logs

PROTOCOL_CHECK = "Protocol"
HARNESS_CHECK = "Harness"
# Checks whose warning means off-protocol: the result joins the board only with a maintainer's override.
OFF_PROTOCOL_CHECKS = (PROTOCOL_CHECK, HARNESS_CHECK)
GPU_CHECK = "GPU is a GPU"
CHECKER_ERROR = "Checker error"
LOG = logging.getLogger(__name__)


def is_fake_meter(parsed: ParsedRun) -> bool:
    """Whether the runner's fake meter (a CPU test run) produced these figures: nothing was measured."""
    return parsed.gpu is not None and parsed.gpu.driver == FAKE_METER_DRIVER


def run_checks(logs: Logs, claim: Claim, checks: list[Check]) -> None:
    parsed = logs.parsed
    task = claim.task if claim.task in TASKS_BY_ID else parsed.task
    _phase_checks(parsed, task, checks)
    if task in TASKS_BY_ID:
        diffs = differences(TASKS_BY_ID[task], logs.setup)
        protocol = TASKS_BY_ID[task].protocol.summary()
        if diffs:
            checks.append(
                Check(
                    PROTOCOL_CHECK,
                    "warn",
                    f"Off-protocol for the official board ({protocol}): {'; '.join(diffs)}. It can join the board "
                    "only if a maintainer records an override.",
                )
            )
        else:
            checks.append(Check(PROTOCOL_CHECK, "pass", f"On protocol: {protocol}."))
        _harness_check(logs, task, claim, checks)
    if logs.setup.random_weights:
        checks.append(
            Check(
                "Real weights",
                "fail",
                "The run loaded random weights (no_weights): it measured the architecture, not the model, and its "
                "figure cannot stand for the model. Run the benchmark with the model's own weights.",
            )
        )
    _gpu_check(parsed, checks)
    _plausibility_check(parsed, task, checks)
    _hardware_check(parsed, claim, checks)
    _class_check(parsed, claim, checks)
    _task_check(parsed, logs.pipeline, claim, checks)
    _model_check(parsed, claim, checks)
    effort_check(logs, claim, checks)


def _harness_check(logs: Logs, task: str, claim: Claim, checks: list[Check]) -> None:
    """The harness that measured against the one of the round the result would join: another harness
    is off-protocol, and is never rated among that round's results (its own rating group)."""
    expected = expected_round(task, claim.cohort)
    used = harness_name(logs.parsed.harness)
    diff = harness_difference(logs.setup, expected)
    if diff:
        checks.append(
            Check(
                HARNESS_CHECK,
                "warn",
                f"Off-protocol: {diff}. It can join the board only if a maintainer records an override.",
            )
        )
    elif expected is not None:
        checks.append(Check(HARNESS_CHECK, "pass", f"{used}: the harness of the {expected.title} round."))
    else:
        checks.append(
            Check(HARNESS_CHECK, "pass", f"{used}: no published round of this task; rated with results of {used}.")
        )


def _phase_checks(parsed: ParsedRun, task: str | None, checks: list[Check]) -> None:
    required = TASKS_BY_ID[task].required_phases if task in TASKS_BY_ID else ()
    present = {p.name for p in parsed.phases}
    if not parsed.phases:
        checks.append(
            Check(
                "Counted phases present",
                "fail",
                f"No counted phase ({', '.join(PHASES)}) has GPU energy. Zip the whole run folder that the benchmark wrote.",
            )
        )
    elif required and not set(required) <= present and "total" not in present:
        missing = sorted(set(required) - present)
        checks.append(
            Check(
                "Counted phases present",
                "fail",
                f"{', '.join(missing)} missing for {task} (found: {', '.join(sorted(present))}). "
                f"Rerun the benchmark for {task} and zip its whole folder.",
            )
        )
    else:
        checks.append(Check("Counted phases present", "pass", f"{', '.join(p.name for p in parsed.phases)}."))
    bad = [p for p in parsed.phases if not (p.gpu_energy_wh > 0)]
    if bad:
        checks.append(
            Check(
                "Energies finite and positive",
                "fail",
                "; ".join(f"{p.name}: {p.gpu_energy_wh_per_1k!r} Wh per 1,000 queries" for p in bad)
                + ". A complete run measures positive GPU energy in every phase; rerun the benchmark.",
            )
        )
    elif parsed.phases:
        checks.append(Check("Energies finite and positive", "pass", "Every counted phase has positive GPU energy."))


def _gpu_check(parsed: ParsedRun, checks: list[Check]) -> None:
    if parsed.gpu is None:
        checks.append(
            Check(
                GPU_CHECK,
                "fail",
                "The logs record no GPU (no GPU in the config's environment or CodeCarbon's gpu_model): a run "
                "without a GPU has no "
                "GPU energy. Run the benchmark on a GPU and zip its whole folder.",
            )
        )
    elif is_fake_meter(parsed):
        checks.append(
            Check(
                GPU_CHECK,
                "warn",
                f"{parsed.gpu.name}: the runner's fake meter (a test run on the CPU) made these figures; nothing "
                "was measured. Such a run tests the pipeline and cannot be accepted.",
            )
        )
    else:
        not_gpus = sorted({n for n in parsed.gpu.names if not is_gpu_name(n)})
        if not_gpus:
            checks.append(
                Check(
                    GPU_CHECK,
                    "fail",
                    f"{', '.join(repr(n[:60]) for n in not_gpus[:3])} does not name a GPU board (a GPU is logged by "
                    "its model, e.g. 'NVIDIA H100 80GB HBM3'). Upload the config the benchmark wrote.",
                )
            )
        else:
            checks.append(Check(GPU_CHECK, "pass", f"{parsed.gpu.count} × {parsed.gpu.name}."))


def _plausibility_check(parsed: ParsedRun, task: str | None, checks: list[Check]) -> None:
    """Average power from the durations, and the energy against the task's published range: both
    whenever they can be judged (a figure scaled with its durations keeps its power, not its range)."""
    if is_fake_meter(parsed):
        checks.append(Check("Average power plausible", "warn", "Not checked: the fake meter measured nothing."))
        return
    timed = [p for p in parsed.phases if p.duration_s is not None and p.duration_s > 0 and p.gpu_energy_wh > 0]
    if timed:
        count = parsed.gpu_count or 1
        floor, ceiling = power_limits(parsed.gpu_name or "")
        problems = []
        for p in timed:
            watts = power_per_gpu(p.gpu_energy_wh, p.duration_s or 1.0, count)
            if not floor <= watts <= ceiling:
                problems.append(f"{p.name}: {watts:,.0f} W per GPU")
        if problems:
            checks.append(
                Check(
                    "Average power plausible",
                    "fail",
                    "; ".join(problems) + f" is outside {floor:,.0f}–{ceiling:,.0f} W (idle to the GPU's limit, "
                    f"over {count} GPU(s)): energy or duration is wrong. Rerun the benchmark.",
                )
            )
        else:
            checks.append(Check("Average power plausible", "pass", f"Between idle and the {ceiling:,.0f} W limit."))
    if task is not None and published_range(task) is not None and parsed.phases:
        status, message = band_verdict(task, parsed.gpu_energy_wh_per_1k)
        checks.append(Check("Energy plausible", status, message))


def _hardware_check(parsed: ParsedRun, claim: Claim, checks: list[Check]) -> None:
    if not claim.hardware:
        checks.append(
            Check(
                "Hardware recorded",
                "pass" if parsed.gpu_name else "warn",
                f"{parsed.gpu_count or '?'} × {parsed.gpu_name}"
                if parsed.gpu_name
                else "The logs do not record the GPU.",
            )
        )
        return
    count, board = split_count(claim.hardware)
    if not parsed.gpu_name:
        checks.append(
            Check(
                "Hardware as claimed",
                "warn",
                f"The logs do not record the GPU; {claim.hardware!r} cannot be checked.",
            )
        )
    elif not hardware_matches(board, parsed.gpu_name):
        checks.append(
            Check(
                "Hardware as claimed",
                "fail",
                f"The form says {claim.hardware!r}; the logs ran on {parsed.gpu_name!r}, another board. "
                "Pick the hardware the benchmark ran on.",
            )
        )
    elif count is not None and count != parsed.gpu_count:
        checks.append(
            Check(
                "Hardware as claimed",
                "fail",
                f"The form says {count} GPUs; the logs ran on {parsed.gpu_count}. Give the number of GPUs the run used.",
            )
        )
    else:
        checks.append(Check("Hardware as claimed", "pass", f"{parsed.gpu_name}."))


def _class_check(parsed: ParsedRun, claim: Claim, checks: list[Check]) -> None:
    model_class = MODEL_CLASSES.get(claim.model_class or "")
    if model_class is None:
        return
    max_gpus = model_class.max_gpus
    size = parsed.parameters / 1e9 if parsed.parameters else None
    if size is not None and not model_class.fits(size):
        right = next((c.id for c in MODEL_CLASSES.values() if c.fits(size)), "?")
        checks.append(
            Check(
                "Class rules",
                "fail",
                f"The form says class {claim.model_class} ({model_class.meaning}); the logs' model has {size:,.3g} B "
                f"parameters: class {right}. Submit it as class {right}.",
            )
        )
    elif max_gpus is not None and parsed.gpu_count and parsed.gpu_count > max_gpus:
        checks.append(
            Check(
                "Class rules",
                "fail",
                f"Class {claim.model_class} runs must use {'one GPU' if max_gpus == 1 else f'at most {max_gpus} GPUs'}; "
                f"the logs show {parsed.gpu_count}. Rerun on a single GPU, or submit as class C.",
            )
        )
    elif size is None:
        checks.append(
            Check(
                "Class rules",
                "warn",
                f"Class {claim.model_class} on {parsed.gpu_count or 'an unrecorded number of'} GPU(s); the logs do not "
                "record the model's parameter count, so the class is held until a maintainer checks it.",
            )
        )
    else:
        checks.append(
            Check(
                "Class rules",
                "pass",
                f"Class {claim.model_class}: {size:,.3g} B parameters on {parsed.gpu_count} GPU(s).",
            )
        )


def _task_check(parsed: ParsedRun, pipeline: str | None, claim: Claim, checks: list[Check]) -> None:
    if parsed.task is None and pipeline:
        checks.append(
            Check(
                "Task as claimed",
                "fail",
                f"The logs ran the pipeline {pipeline[:60]!r}, which is not a rated task's. Run one of the tasks "
                f"({', '.join(TASKS_BY_ID)}).",
            )
        )
    elif not claim.task:
        return
    elif claim.task not in TASKS_BY_ID:
        checks.append(Check("Task as claimed", "fail", f"{claim.task[:60]!r} is not a task."))
    elif parsed.task and not same_logs(claim.task, parsed.task):
        checks.append(
            Check(
                "Task as claimed",
                "fail",
                f"The form says {claim.task}; the logs ran {parsed.task}. Pick the task the benchmark ran.",
            )
        )
    else:
        checks.append(
            Check(
                "Task as claimed",
                "pass" if parsed.task else "warn",
                f"{TASKS_BY_ID[claim.task].display_name}"
                + ("" if parsed.task else " (the logs do not record the task)")
                + ".",
            )
        )


def _model_check(parsed: ParsedRun, claim: Claim, checks: list[Check]) -> None:
    if not claim.model:
        return
    logged = parsed.model
    if not logged:
        checks.append(Check("Model as claimed", "warn", "The logs do not record the model id."))
    elif claim.model.strip() == logged:
        checks.append(Check("Model as claimed", "pass", "Matches the logs."))
    elif not logged.isascii():
        checks.append(
            Check(
                "Model as claimed",
                "fail",
                f"The logs measured {logged[:80]!r}, which holds non-ASCII characters: not a Hub id, and possibly a "
                "look-alike of another. Submit the logs of the model you name.",
            )
        )
    elif model_id_problem(logged):
        checks.append(
            Check(
                "Model as claimed",
                "warn",
                f"The logs name {logged[:80]!r}, not a Hub id (a local folder?): reviewers will ask which Hub model "
                "it is.",
            )
        )
    else:
        checks.append(
            Check(
                "Model as claimed",
                "fail",
                f"The form says {claim.model!r}; the logs measured {logged!r}. Submit the logs of the model you name.",
            )
        )


def _check(data: bytes, claim: Claim) -> Report:
    sha = hashlib.sha256(data).hexdigest()
    checks: list[Check] = []
    try:
        archive = read_zip(data, parsed_names())
    except SubmissionError as exc:
        return Report((Check("Zip readable and safe", "fail", str(exc)),), None, sha, len(data))
    checks.append(Check("Zip readable and safe", "pass", f"{plural(len(archive.names), 'file')}."))
    try:
        logs = parse_logs(archive, checks)
    except Refused as exc:
        checks.append(Check(exc.check, "fail", str(exc)))
        return Report(tuple(checks), None, sha, len(data))
    except SubmissionError as exc:
        checks.append(Check("Benchmark report readable", "fail", str(exc)))
        return Report(tuple(checks), None, sha, len(data))
    version = f", {logs.parsed.harness_version}" if logs.parsed.harness_version else ""
    checks.insert(
        1,
        Check(
            "Benchmark report found",
            "pass",
            f"{logs.parsed.layout}; measured with {harness_name(logs.parsed.harness)}{version}.",
        ),
    )
    run_checks(logs, claim, checks)
    return Report(tuple(checks), logs.parsed, sha, len(data))


def check_zip(data: bytes, claim: Claim | None = None) -> Report:
    """Check an uploaded zip. Never raises for bad input: problems are failed checks."""
    try:
        return _check(bytes(data), claim or Claim())
    except Exception as exc:  # noqa: BLE001 - the last edge: a bug must not become a traceback on the page
        LOG.exception("the submission checker failed on an upload")
        return Report(
            (
                Check(
                    CHECKER_ERROR,
                    "fail",
                    f"The checker could not judge this zip ({type(exc).__name__}); it was not accepted. "
                    "Please report it to the maintainers with the zip.",
                ),
            ),
            None,
            hashlib.sha256(bytes(data)).hexdigest() if isinstance(data, (bytes, bytearray, memoryview)) else "",
            len(data) if isinstance(data, (bytes, bytearray, memoryview)) else 0,
        )

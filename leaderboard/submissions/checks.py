"""The checks every submission goes through, and ``check_zip``: any bytes in, a ``Report`` out."""

from __future__ import annotations

import hashlib
import math

from leaderboard.errors import SubmissionError
from leaderboard.hardware import hardware_matches, max_power_w
from leaderboard.submissions.archive import read_zip
from leaderboard.submissions.layouts import parse_logs
from leaderboard.submissions.model import Check, Claim, ParsedRun, Report
from leaderboard.tasks import MODEL_CLASSES, PHASES, TASKS_BY_ID

MIN_GPU_POWER_W = 20.0  # no GPU draws less than this while it runs a benchmark (idle is higher)
POWER_TOLERANCE = 1.05  # average power may exceed the board limit by 5% (counter and clock granularity)


def run_checks(parsed: ParsedRun, claim: Claim, checks: list[Check]) -> None:
    task = claim.task or parsed.task
    required = TASKS_BY_ID[task].required_phases if task in TASKS_BY_ID else ()
    present = {p.name for p in parsed.phases}
    if not parsed.phases:
        checks.append(
            Check(
                "Counted phases present",
                "fail",
                f"No counted phase ({', '.join(PHASES)}) has GPU "
                "energy. Zip the whole run folder that the benchmark wrote.",
            )
        )
    elif required and not set(required) <= present and "total" not in present:
        missing = sorted(set(required) - present)
        checks.append(
            Check(
                "Counted phases present",
                "fail",
                f"{', '.join(missing)} missing for {task} (found: "
                f"{', '.join(sorted(present))}). Rerun the benchmark for {task} and zip its whole folder.",
            )
        )
    else:
        checks.append(Check("Counted phases present", "pass", f"{', '.join(p.name for p in parsed.phases)}."))
    bad = [p for p in parsed.phases if not (math.isfinite(p.gpu_energy_wh) and p.gpu_energy_wh > 0)]
    if bad:
        checks.append(
            Check(
                "Energies finite and positive",
                "fail",
                "; ".join(f"{p.name}: {p.gpu_energy_wh!r} Wh" for p in bad)
                + ". A complete run measures positive GPU energy in "
                "every phase; rerun the benchmark.",
            )
        )
    elif parsed.phases:
        checks.append(Check("Energies finite and positive", "pass", "Every counted phase has positive GPU energy."))
    checks.append(Check("Energy units known", "pass", "Energies read and converted to Wh."))
    _power_check(parsed, checks)
    _hardware_check(parsed, claim, checks)
    model_class = MODEL_CLASSES.get(claim.model_class or "")
    max_gpus = model_class.max_gpus if model_class else None
    if max_gpus is not None and parsed.gpu_count and parsed.gpu_count > max_gpus:
        checks.append(
            Check(
                "Class rules",
                "fail",
                f"Class {claim.model_class} runs must use "
                f"{'one GPU' if max_gpus == 1 else f'at most {max_gpus} GPUs'}; the logs "
                f"show {parsed.gpu_count}. Rerun on a single GPU, or submit as class C.",
            )
        )
    elif claim.model_class:
        checks.append(
            Check(
                "Class rules",
                "pass",
                f"Class {claim.model_class} on {parsed.gpu_count or 'an unrecorded number of'} GPU(s).",
            )
        )
    if (
        claim.task
        and parsed.task
        and claim.task != parsed.task
        and {claim.task, parsed.task} != {"reasoning", "text_generation"}
    ):
        checks.append(
            Check(
                "Task as claimed",
                "fail",
                f"The form says {claim.task}; the logs ran {parsed.task}. Pick the task the benchmark ran.",
            )
        )
    elif claim.task:
        checks.append(
            Check(
                "Task as claimed",
                "pass" if parsed.task else "warn",
                f"{TASKS_BY_ID[claim.task].display_name}"
                + ("" if parsed.task else " (the logs do not record the task)")
                + ".",
            )
        )
    if claim.model and parsed.model and claim.model.strip() != parsed.model:
        checks.append(
            Check(
                "Model as claimed",
                "fail",
                f"The form says {claim.model!r}; the logs measured "
                f"{parsed.model!r}. Submit the logs of the model you name.",
            )
        )
    elif claim.model:
        checks.append(
            Check(
                "Model as claimed",
                "pass" if parsed.model else "warn",
                "Matches the logs." if parsed.model else "The logs do not record the model id.",
            )
        )


def _power_check(parsed: ParsedRun, checks: list[Check]) -> None:
    timed = [p for p in parsed.phases if p.duration_s and p.duration_s > 0 and p.gpu_energy_wh > 0]
    if not timed:
        checks.append(Check("Average power plausible", "warn", "Phase durations are not recorded; not checked."))
        return
    count = parsed.gpu_count or 1
    limit = max_power_w(parsed.gpu_name or "")
    problems = []
    for p in timed:
        watts = p.gpu_energy_wh * 3600.0 / (p.duration_s or 1.0) / count
        if not MIN_GPU_POWER_W <= watts <= limit * POWER_TOLERANCE:
            problems.append(f"{p.name}: {watts:,.0f} W per GPU")
    if problems:
        checks.append(
            Check(
                "Average power plausible",
                "fail",
                "; ".join(problems) + f" is outside {MIN_GPU_POWER_W:.0f}–"
                f"{limit:,.0f} W (idle to the GPU's limit): energy or duration is wrong. Rerun the benchmark.",
            )
        )
    else:
        checks.append(Check("Average power plausible", "pass", f"Between idle and the {limit:,.0f} W limit."))


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
    elif not parsed.gpu_name:
        checks.append(
            Check(
                "Hardware as claimed",
                "warn",
                f"The logs do not record the GPU; {claim.hardware!r} cannot "
                "be checked. Maintainers will ask for the config file.",
            )
        )
    elif hardware_matches(claim.hardware, parsed.gpu_name):
        checks.append(Check("Hardware as claimed", "pass", f"{parsed.gpu_name}."))
    else:
        checks.append(
            Check(
                "Hardware as claimed",
                "fail",
                f"The form says {claim.hardware!r}; the logs ran on "
                f"{parsed.gpu_name!r}. Pick the hardware the benchmark ran on.",
            )
        )


def check_zip(data: bytes, claim: Claim | None = None) -> Report:
    """Check an uploaded zip. Never raises for bad input: problems are failed checks."""
    claim = claim or Claim()
    sha = hashlib.sha256(data).hexdigest()
    checks: list[Check] = []
    try:
        archive = read_zip(data)
        checks.append(Check("Zip readable and safe", "pass", f"{len(archive.names)} files."))
        parsed = parse_logs(archive.members, archive.names, checks)
        checks.insert(1, Check("Benchmark report found", "pass", parsed.layout + "."))
    except SubmissionError as exc:
        checks.append(Check("Zip readable and safe" if not checks else "Benchmark report readable", "fail", str(exc)))
        return Report(tuple(checks), None, sha, len(data))
    run_checks(parsed, claim, checks)
    return Report(tuple(checks), parsed, sha, len(data))

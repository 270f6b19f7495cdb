"""The campaign's final step: every bundle through the submission checker, the valid ones into the
store as pending submissions, through the same functions as the Submit page (``check_zip``, then
``workflow.submit``): nothing around them, and nothing accepted. Accepting stays a maintainer's act
(``python -m leaderboard.submissions accept``), which checks the stored zip again.

Who attests: the plan's ``[attest]`` (``contact``, ``measured_by``, and the three attestations by
name, which the plan must list: the final job gives them on the campaign's behalf, so the person who
writes the plan gives them). A maintainer campaign (``measured_by = "maintainer"``) is stored with the
contact "<contact> (maintainer campaign <name>)", so reviewers see whose runs these are; the evidence
such a result deserves once accepted is *reproduced* (``leaderboard.evidence``), and the collect report
says so beside each pending id (the store's accept records its own evidence kind).

The form of each job: the model id and task from the plan, the class and precision from its options
(precision defaults to the task's protocol, FP32 for a CPU-only campaign), the hardware as the logs
name it (the run's own board), the reasoning effort where the plan sets one.

The report, ``<out>/collect.json``: per job its state (pending, invalid, failed, missing), the
submission id or the failed checks, and sacct's ConsumedEnergy beside the runner's reading where the
cluster gathers energy. Running collect again changes nothing in the store: the same zip with the same
form is recognised (``Stored.created`` false).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from leaderboard import evidence
from leaderboard.errors import StoreError, ValidationError
from leaderboard.runfolder import J_PER_WH
from leaderboard.submissions import ATTESTATIONS, Form, Report, check_zip
from leaderboard.submissions.store import Store, configured_store
from leaderboard.submissions.workflow import joining_cohort, submit
from leaderboard.tasks import get_task
from runner.campaign.bundle import (
    RUN_ZIP,
    bundle_dir,
    bundle_problem,
    read_failure,
    read_job_record,
    write_json_atomic,
)
from runner.campaign.plan import Job, Plan, PlanError
from runner.campaign.slurm import accounting

COLLECT_REPORT = "collect.json"
MAX_CONTACT_CHARS = 200


def attestation_problem(plan: Plan) -> str | None:
    """Why the plan's attestations do not give all three (None: they do)."""
    names = [name for name, _ in ATTESTATIONS]
    if sorted(plan.attestations) != sorted(names):
        return (
            f"[attest] attestations = {list(plan.attestations)!r}: the final job submits each valid run with the "
            f"three attestations of the Submit page, so the plan gives all three by name: attestations = "
            f"{names!r} (their wording: SPEC §7, leaderboard.submissions.ATTESTATIONS)."
        )
    return None


def check_plan(plan: Plan) -> None:
    problem = attestation_problem(plan)
    if problem:
        raise PlanError(problem)


def store_of(plan: Plan) -> Store:
    return Store(plan.store) if plan.store else configured_store()


def form_of(plan: Plan, job: Job, report: Report) -> Form:
    task = get_task(job.task)
    precision = job.options.get("precision") or ("FP32" if plan.cpu_only else task.protocol.precision)
    contact = plan.contact
    if plan.measured_by == "maintainer":
        contact = f"{plan.contact} (maintainer campaign {plan.name})"
    hardware = report.parsed.gpu_name if report.parsed is not None else None
    return Form(
        model=job.model_id,
        task=job.task,
        model_class=job.options.get("model_class") if task.has_classes else None,
        precision=str(precision),
        reasoning_effort=job.options.get("effort"),
        contact=contact[:MAX_CONTACT_CHARS],
        hardware=hardware or "unknown",
    )


def collect(plan: Plan) -> dict[str, Any]:
    """Check every bundle, queue the valid ones, write and return the report."""
    check_plan(plan)
    store = store_of(plan)
    cohort = joining_cohort()
    attested = {name: True for name in plan.attestations}
    records = {job.key: read_job_record(bundle_dir(plan, job)) for job in plan.jobs}
    slurm_ids = [str(r["job_id"]) for r in records.values() if r.get("scheduler") == "slurm"]
    accounted, no_accounting = accounting(slurm_ids)
    jobs: dict[str, dict[str, Any]] = {}
    for job in plan.jobs:
        folder = bundle_dir(plan, job)
        problem = bundle_problem(folder)
        entry: dict[str, Any] = {"index": job.index, "job": job.describe()}
        if problem is not None:
            failure = read_failure(plan, job)
            entry["state"] = "failed" if failure else "missing"
            entry["detail"] = failure["last_error_line"] if failure else problem
            jobs[job.key] = entry
            continue
        zip_bytes = (folder / RUN_ZIP).read_bytes()
        record = records[job.key]
        form = form_of(plan, job, check_zip(zip_bytes))  # the hardware as the logs name it
        report = check_zip(zip_bytes, form.claim(cohort))
        entry["sha256"] = report.sha256
        entry["warnings"] = [c.name for c in report.checks if c.status == "warn"]
        reading = record.get("runner_reading", {})
        entry["runner_gpu_energy_wh_per_1k"] = reading.get("total_gpu_energy_wh_per_1k")
        slurm = accounted.get(str(record.get("job_id", "")))
        if slurm is not None and slurm.energy_j is not None:
            entry["slurm_consumed_energy_wh"] = slurm.energy_j / J_PER_WH
        else:
            entry["slurm_consumed_energy_wh"] = None
            entry["slurm_energy_note"] = no_accounting or "the cluster does not gather energy (ConsumedEnergy empty)"
        if not report.valid:
            entry["state"] = "invalid"
            entry["failed_checks"] = {c.name: c.message for c in report.failures}
            entry["detail"] = "; ".join(c.name for c in report.failures)
            jobs[job.key] = entry
            continue
        try:
            stored = submit(store, zip_bytes, report, form, attested)
        except (ValidationError, StoreError) as exc:
            entry["state"] = "invalid"
            entry["failed_checks"] = {"submit": str(exc)}
            entry["detail"] = str(exc)[:300]
            jobs[job.key] = entry
            continue
        entry["state"] = "pending"
        entry["submission_id"] = stored.id
        entry["newly_stored"] = stored.created
        entry["status_in_store"] = store.status(stored.id)
        entry["evidence_once_accepted"] = evidence.REPRODUCED if plan.measured_by == "maintainer" else None
        entry["detail"] = f"pending review: submission {stored.id}" + ("" if stored.created else " (stored before)")
        jobs[job.key] = entry
    result = {
        "campaign": plan.name,
        "time": time.time(),
        "cohort": cohort,
        "store": str(Path(store.root).resolve()),
        "measured_by": plan.measured_by,
        "jobs": jobs,
    }
    write_json_atomic(plan.out / COLLECT_REPORT, result)
    return result

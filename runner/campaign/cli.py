"""``python -m runner campaign plan|submit|status|resume|collect PLAN`` (and ``job``, what each
scheduled task runs).

    plan PLAN                              the jobs, GPUs and GPU-hours (the most the limits allow, the estimate)
    submit PLAN --scheduler slurm|local    slurm: one job array and its final check job; local: every
                                           job here, one after another, with progress, then the check
    status PLAN                            every job's state from squeue/sacct and the bundles, with progress
    resume PLAN [--scheduler slurm|local]  resubmit only what is missing or failed (within [limits] retries)
    collect PLAN                           the final check: bundles through the checker into the store
    job PLAN --index I                     run job I (the array task runs this)
"""

from __future__ import annotations

import argparse
import fcntl
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from leaderboard.errors import EnergyScoreError
from runner.campaign import collect as collecting
from runner.campaign import plan as plan_module
from runner.campaign import slurm
from runner.campaign.bundle import (
    LOGS,
    REPO_ROOT,
    RUN_ZIP,
    attempts,
    bundle_dir,
    bundle_problem,
    read_failure,
    run_job,
    sha256_file,
)
from runner.campaign.plan import Job, Plan, PlanError, estimate, load_plan

SCHEDULERS = ("slurm", "local")
LOCAL_LOCK = "local.lock"  # held by the local scheduler while it runs the campaign
KILL_WAIT_S = 30.0  # the local scheduler's wait between SIGTERM and SIGKILL at the time limit
# squeue's states -> the campaign's: a task not yet running, or one running (or finishing)
QUEUE_STATES = {"PENDING": "pending", "REQUEUED": "pending", "CONFIGURING": "running", "RUNNING": "running"}


def load(path: str) -> Plan:
    plan = load_plan(path)
    collecting.check_plan(plan)
    return plan


def show_plan(plan: Plan) -> None:
    most, expected = estimate(plan)
    unit = "CPU job-hours" if plan.cpu_only else "GPU-hours"
    print(f"campaign {plan.name}: {len(plan.jobs)} jobs, out {plan.out}")
    print(f"{'#':>4}  {'GPUs':>4}  job")
    for job in plan.jobs:
        print(f"{job.index:>4}  {0 if plan.cpu_only else job.gpus:>4}  {job.describe()}  [{job.key}]")
    gpus = "none (CPU only, fake meter: test runs)" if plan.cpu_only else f"{plan.gpus} in all"
    print(f"GPUs: {gpus}; at most {plan.slurm.throttle} jobs at once on Slurm")
    line = f"{unit}: at most {most:,.1f} ({plan.time_per_job_min} min per job, the time limit)"
    if expected is not None:
        line += f", expected {expected:,.1f} ({plan.estimate_min_per_job:g} min per job)"
    print(line)


@dataclass(frozen=True)
class Row:
    job: Job
    state: str
    attempts: int
    job_id: str
    node: str
    detail: str


def rows(plan: Plan, *, strict: bool = False) -> tuple[list[Row], str | None]:
    """Every job's state, from the bundles and markers, the queue and (where kept) sacct; and a note on
    what the scheduler could not say. ``strict``: a queue that cannot be read is an error (resume must
    never run again what may still be queued), else a note."""
    subs = slurm.submissions(plan)
    queue_note = None
    try:
        queued = slurm.queue(plan) if subs else {}
    except slurm.SchedulerError as exc:
        if strict:
            raise
        queued, queue_note = {}, f"the queue could not be read ({exc}): queued and running jobs show as missing"
    latest: dict[int, str] = {}
    for sub in subs:
        for i in sub.indices:
            latest[i] = f"{sub.array_id}_{i}"
    accounted, note = slurm.accounting(latest.values()) if subs and queue_note is None else ({}, queue_note)
    collected = _collected(plan)
    local = local_run_going(plan)
    out = []
    for job in plan.jobs:
        tries = attempts(plan, job)
        job_id = latest.get(job.index, str(tries[-1].get("job_id", "")) if tries else "")
        node = tries[-1].get("node", "") if tries else ""
        problem = bundle_problem(bundle_dir(plan, job))
        in_queue = queued.get(job_id)
        if problem is None:
            verdict = collected.get(job.key, {})
            if verdict.get("state") not in ("pending", "invalid") or verdict.get("sha256") != _zip_sha256(plan, job):
                verdict = {}  # the final check has not seen this bundle yet
            state = "invalid" if verdict.get("state") == "invalid" else "done"
            detail = str(verdict.get("detail", "not checked yet (the final job has not run since)"))
        elif in_queue is not None:
            state = QUEUE_STATES.get(in_queue.state, in_queue.state.lower())
            node = in_queue.node or node
            detail = f"squeue: {in_queue.state}" + (
                f" ({in_queue.reason})" if in_queue.reason not in ("", "None") else ""
            )
        else:
            failure = read_failure(plan, job)
            account = accounted.get(job_id)
            last = tries[-1] if tries else {}
            state = "failed" if failure else "missing"
            if not tries:
                detail = "never started"
            elif failure and failure.get("attempt") in (None, last.get("attempt")):
                detail = str(failure["last_error_line"])
            elif local and last.get("scheduler") == "local":
                state, detail = "running", "the local scheduler runs it"
            else:
                detail = f"started {len(tries)} time(s); no bundle and no marker from the last start (killed outright?)"
            if account is not None:
                detail = f"sacct: {account.state}; {detail}"
        out.append(Row(job, state, len(tries), job_id, node, detail))
    return out, note


def _zip_sha256(plan: Plan, job: Job) -> str:
    return sha256_file(bundle_dir(plan, job) / RUN_ZIP)


def _collected(plan: Plan) -> dict[str, dict[str, Any]]:
    import json

    try:
        data = json.loads((plan.out / collecting.COLLECT_REPORT).read_text(encoding="utf-8"))
        jobs = data.get("jobs", {})
        return jobs if isinstance(jobs, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def show_status(plan: Plan) -> list[Row]:
    table, note = rows(plan)
    print(f"{'#':>3}  {'state':<8} {'tries':>5}  {'job id':<12} {'node':<10} {'job':<44} detail")
    for r in table:
        print(
            f"{r.job.index:>3}  {r.state:<8} {r.attempts:>5}  {r.job_id[:12]:<12} {r.node[:10]:<10} "
            f"{r.job.key[:44]:<44} {r.detail[:100]}"
        )
    counts: dict[str, int] = {}
    for r in table:
        counts[r.state] = counts.get(r.state, 0) + 1
    finished = counts.get("done", 0) + counts.get("invalid", 0)
    print(
        f"progress: {finished}/{len(table)} finished (" + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) + ")"
    )
    if note:
        print(f"sacct: {note}; states from squeue and the bundles' markers")
    return table


def to_run(plan: Plan, *, force: bool = False) -> tuple[list[int], list[str]]:
    """The jobs resume runs again: neither complete nor queued, within the plan's retries; and why others are held."""
    table, _ = rows(plan, strict=True)
    again, held = [], []
    for r in table:
        if r.state not in ("failed", "missing"):
            continue
        if bundle_dir(plan, r.job).exists():
            held.append(f"{r.job.key}: its bundle folder is damaged ({r.detail}); move it away to run it again")
        elif r.attempts > plan.retries and not force:
            held.append(
                f"{r.job.key}: ran {r.attempts} times ([limits] retries = {plan.retries}); --force runs it again"
            )
        else:
            again.append(r.job.index)
    return again, held


def submit_slurm(plan: Plan, indices: Sequence[int]) -> None:
    done = slurm.submit(plan, indices)
    print(
        f"submitted job array {done.array_id} ({len(indices)} jobs, --array={slurm.array_spec(indices, plan.slurm.throttle)}) "
        f"and the final check job {done.final_id} (afterany:{done.array_id})"
    )
    print(f"scripts: {done.array_script}, {done.final_script}; logs: {plan.out / LOGS}")


@contextmanager
def local_lock(plan: Plan) -> Iterator[None]:
    """Held while the local scheduler runs the campaign: a second local run of it is refused."""
    plan.out.mkdir(parents=True, exist_ok=True)
    with (plan.out / LOCAL_LOCK).open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PlanError(
                f"Another local run of campaign {plan.name} is going on ({plan.out / LOCAL_LOCK} is held): wait for "
                "it to end (campaign status shows its progress)."
            ) from None
        yield


def local_run_going(plan: Plan) -> bool:
    if not (plan.out / LOCAL_LOCK).exists():
        return False
    try:
        with local_lock(plan):
            return False
    except PlanError:
        return True
    except OSError:
        return False


def run_local(plan: Plan, indices: Sequence[int]) -> int:
    with local_lock(plan):
        return _run_local(plan, indices)


def _run_local(plan: Plan, indices: Sequence[int]) -> int:
    """Run ``indices`` here one after another (each as ``campaign job``), with progress, then collect."""
    (plan.out / LOGS).mkdir(parents=True, exist_ok=True)
    failed = 0
    began = time.monotonic()
    for n, i in enumerate(indices, 1):
        job = plan.jobs[i]
        if bundle_problem(bundle_dir(plan, job)) is None:
            print(f"[{n}/{len(indices)}] {job.key}: complete, skipped", file=sys.stderr, flush=True)
            continue
        eta = ""
        if n > 1:
            eta = f", about {(time.monotonic() - began) / (n - 1) * (len(indices) - n + 1) / 60:.1f} min left"
        print(f"[{n}/{len(indices)}] {job.describe()} … ({failed} failed so far{eta})", file=sys.stderr, flush=True)
        start = time.monotonic()
        log = plan.out / LOGS / f"{slurm.job_name(plan)}-local_{i}.out"
        with log.open("a", encoding="utf-8") as f:
            code = _run_limited(
                [sys.executable, "-m", "runner", "campaign", "job", str(plan.path), "--index", str(i)],
                f,
                plan.time_per_job_min * 60.0,
            )
        took = time.monotonic() - start
        if code == 0:
            print(f"[{n}/{len(indices)}] {job.key}: done in {took:.0f} s", file=sys.stderr, flush=True)
        else:
            failed += 1
            failure = read_failure(plan, job) or {}
            print(
                f"[{n}/{len(indices)}] {job.key}: FAILED in {took:.0f} s: {failure.get('last_error_line', '?')} (log {log})",
                file=sys.stderr,
                flush=True,
            )
    show_collect(collecting.collect(plan))
    return 1 if failed else 0


def _run_limited(command: list[str], log: IO[str], limit_s: float) -> int:
    """Run one job with the plan's time limit, as Slurm's --time does: SIGTERM at the limit (the job
    leaves its failure marker), SIGKILL if it has not stopped within ``KILL_WAIT_S``."""
    proc = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        return proc.wait(timeout=limit_s)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            return proc.wait(timeout=KILL_WAIT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    except BaseException:
        proc.terminate()  # Ctrl-C: the job writes its marker, then this stops
        proc.wait(timeout=KILL_WAIT_S)
        raise


def show_collect(result: dict[str, Any]) -> None:
    jobs = result["jobs"]
    print(f"checked {len(jobs)} jobs into the store {result['store']} (cohort {result['cohort']}):")
    for key, entry in jobs.items():
        print(f"  {entry['state']:<8} {key}: {entry.get('detail', '')}")
        for name, message in entry.get("failed_checks", {}).items():
            print(f"           [{name}] {message[:200]}")
    pending = sum(1 for e in jobs.values() if e["state"] == "pending")
    print(
        f"{pending} pending submission(s): nothing is accepted automatically; a maintainer reviews each "
        "(python -m leaderboard.submissions list / accept)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m runner campaign",
        description=__doc__,
        epilog="The plan (TOML):\n\n" + (plan_module.__doc__ or "").split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("plan", help="What will run: jobs, GPUs, GPU-hours.").add_argument("plan")
    s = sub.add_parser("submit", help="Submit the campaign (Slurm job array + final check), or run it here.")
    s.add_argument("plan")
    s.add_argument("--scheduler", choices=SCHEDULERS, required=True)
    sub.add_parser("status", help="Every job's state, with progress.").add_argument("plan")
    r = sub.add_parser("resume", help="Resubmit only what is missing or failed.")
    r.add_argument("plan")
    r.add_argument("--scheduler", choices=SCHEDULERS, default="slurm")
    r.add_argument("--force", action="store_true", help="Also jobs that used up [limits] retries.")
    sub.add_parser("collect", help="Check every bundle; queue the valid ones as pending submissions.").add_argument(
        "plan"
    )
    j = sub.add_parser("job", help="Run one job of the plan (what each array task runs).")
    j.add_argument("plan")
    j.add_argument("--index", type=int, required=True)
    j.add_argument("--plan-sha256", help="Refuse to run unless the plan file is still the one submitted.")
    args = parser.parse_args(argv)
    try:
        plan = load(args.plan)
        if args.command == "plan":
            show_plan(plan)
        elif args.command == "submit":
            if args.scheduler == "local":
                return run_local(plan, range(len(plan.jobs)))
            if slurm.submissions(plan):
                print(
                    f"error: campaign {plan.name} was submitted before ({plan.out / slurm.SLURM_DIR}): use "
                    "`campaign status` and `campaign resume`.",
                    file=sys.stderr,
                )
                return 2
            submit_slurm(plan, range(len(plan.jobs)))
        elif args.command == "status":
            show_status(plan)
        elif args.command == "resume":
            again, held = to_run(plan, force=args.force)
            for line in held:
                print(f"held: {line}")
            if not again:
                print("nothing to resubmit: every job is complete, queued, running or held")
                return 0
            print(f"resubmitting {len(again)} job(s): {', '.join(plan.jobs[i].key for i in again)}")
            if args.scheduler == "local":
                return run_local(plan, again)
            submit_slurm(plan, again)
        elif args.command == "collect":
            show_collect(collecting.collect(plan))
        else:
            if args.plan_sha256 and args.plan_sha256 != plan.sha256:
                print(
                    f"error: {plan.path} changed since this job was submitted: job {args.index} may now be another "
                    "job. Nothing ran; put the submitted plan back, or resume the campaign from the new one.",
                    file=sys.stderr,
                )
                return 2
            return run_job(plan, args.index)
    except EnergyScoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0

"""Slurm: the job-array script, the dependent final job, and what squeue and sacct say of them.

One submission is one job array (``--array=<indices>%<throttle>``: the array task id is the job's
index in the plan) and one final job (``--dependency=afterany:<array id>``) that checks every
bundle and queues the valid ones in the submission store. Each submission is recorded in
``<out>/slurm/submissions.json`` (array id, final job id, indices, scripts), which status and
resume read beside ``squeue``. ``sacct`` is used where the cluster keeps accounting (a cluster with
``AccountingStorageType=accounting_storage/none`` has none: its jobs are judged by squeue and the
bundles' markers alone).
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from runner.campaign.bundle import LOGS, REPO_ROOT, write_json_atomic
from runner.campaign.plan import Plan, PlanError

SLURM_DIR = "slurm"
SUBMISSIONS = "submissions.json"
FINAL_TIME_MIN = 30  # the final job only reads bundles and writes the store
COMMAND_TIMEOUT_S = 60  # one squeue, sbatch or sacct call


class SchedulerError(PlanError):
    """A Slurm command failed or is missing; the message quotes it."""


def array_spec(indices: Iterable[int], throttle: int) -> str:
    """'0-3,7,9-10%4': the indices as ranges, with the throttle."""
    ordered = sorted(set(indices))
    parts: list[str] = []
    start = prev = ordered[0]
    for i in [*ordered[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        parts.append(f"{start}-{prev}" if prev > start else str(start))
        if i is not None:
            start = prev = i
    return ",".join(parts) + f"%{throttle}"


def job_name(plan: Plan) -> str:
    return f"aies-{plan.name}"


def python_of(plan: Plan) -> str:
    return plan.slurm.python or sys.executable


def _header(plan: Plan, name: str) -> list[str]:
    s = plan.slurm
    lines = [f"#SBATCH --job-name={name}"]
    for key, value in (
        ("partition", s.partition),
        ("account", s.account),
        ("qos", s.qos),
        ("constraint", s.constraint),
    ):
        if value:
            lines.append(f"#SBATCH --{key}={value}")
    return lines


def array_script(plan: Plan, indices: Sequence[int]) -> str:
    s = plan.slurm
    gpus = {plan.jobs[i].gpus for i in indices}
    if len(gpus) > 1:
        raise PlanError(
            f"The jobs ask for different GPU counts ({', '.join(map(str, sorted(gpus)))}): one job array asks for one "
            "count; split the plan into one campaign per GPU count."
        )
    lines = ["#!/bin/bash", *_header(plan, job_name(plan))]
    lines += [
        f"#SBATCH --array={array_spec(indices, s.throttle)}",
        f"#SBATCH --time={plan.time_per_job_min}",
        "#SBATCH --requeue",
        "#SBATCH --nodes=1",
        "#SBATCH --ntasks=1",
        f"#SBATCH --output={plan.out / LOGS}/%x-%A_%a.out",
    ]
    if not plan.cpu_only:
        lines.append(f"#SBATCH --gres={s.gres}:{gpus.pop()}")
        if s.exclusive:
            lines.append("#SBATCH --exclusive")
    if s.cpus_per_task:
        lines.append(f"#SBATCH --cpus-per-task={s.cpus_per_task}")
    if s.mem:
        lines.append(f"#SBATCH --mem={s.mem}")
    lines += [f"#SBATCH {option}" for option in s.extra]
    lines += ["set -euo pipefail", f"cd {shlex.quote(str(REPO_ROOT))}", *s.setup]
    if plan.cpu_only:
        lines.append('export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"')
    lines.append(
        f"exec {shlex.quote(python_of(plan))} -m runner campaign job {shlex.quote(str(plan.path))} "
        f'--index "$SLURM_ARRAY_TASK_ID" --plan-sha256 {plan.sha256}'
    )
    return "\n".join(lines) + "\n"


def final_script(plan: Plan, array_id: str) -> str:
    lines = ["#!/bin/bash", *_header(plan, f"{job_name(plan)}-check")]
    lines += [
        f"#SBATCH --dependency=afterany:{array_id}",
        f"#SBATCH --time={FINAL_TIME_MIN}",
        "#SBATCH --nodes=1",
        "#SBATCH --ntasks=1",
        f"#SBATCH --output={plan.out / LOGS}/%x-%j.out",
        *[f"#SBATCH {option}" for option in plan.slurm.extra],
        "set -euo pipefail",
        f"cd {shlex.quote(str(REPO_ROOT))}",
        *plan.slurm.setup,
        f"exec {shlex.quote(python_of(plan))} -m runner campaign collect {shlex.quote(str(plan.path))}",
    ]
    return "\n".join(lines) + "\n"


def _command(args: list[str]) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        raise SchedulerError(
            f"{args[0]} is not on PATH: this machine is no Slurm login node. Run on the cluster, start the one-node "
            "test cluster (bash scripts/slurm-cluster start), or use --scheduler local."
        )
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise SchedulerError(f"{args[0]} did not answer in {COMMAND_TIMEOUT_S} s: is slurmctld up (sinfo)?") from None


def sbatch(script: Path) -> str:
    proc = _command(["sbatch", "--parsable", str(script)])
    if proc.returncode != 0:
        raise SchedulerError(f"sbatch refused {script}: {proc.stderr.strip()[-500:] or proc.stdout.strip()[-500:]}")
    return proc.stdout.strip().split(";")[0]


@dataclass(frozen=True)
class Submission:
    array_id: str
    final_id: str
    indices: tuple[int, ...]
    array_script: str
    final_script: str
    time: float

    def to_json(self) -> dict[str, object]:
        return {
            "array_id": self.array_id,
            "final_id": self.final_id,
            "indices": list(self.indices),
            "array_script": self.array_script,
            "final_script": self.final_script,
            "time": self.time,
        }


def submissions(plan: Plan) -> list[Submission]:
    path = plan.out / SLURM_DIR / SUBMISSIONS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        Submission(
            str(d["array_id"]),
            str(d["final_id"]),
            tuple(int(i) for i in d["indices"]),
            str(d["array_script"]),
            str(d["final_script"]),
            float(d["time"]),
        )
        for d in data
        if isinstance(d, dict)
    ]


def submit(plan: Plan, indices: Sequence[int]) -> Submission:
    """Write the array and final scripts for ``indices``, submit both, record the submission."""
    folder = plan.out / SLURM_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (plan.out / LOGS).mkdir(parents=True, exist_ok=True)
    n = len(submissions(plan)) + 1
    array_path, final_path = folder / f"array-{n}.sh", folder / f"final-{n}.sh"
    earlier = submissions(plan)
    array_path.write_text(array_script(plan, indices), encoding="utf-8")
    array_id = sbatch(array_path)
    # Recorded at once: if the final job cannot be submitted, status and resume still know the array.
    queued = Submission(array_id, "", tuple(indices), str(array_path), str(final_path), time.time())
    write_json_atomic(folder / SUBMISSIONS, [s.to_json() for s in [*earlier, queued]])
    final_path.write_text(final_script(plan, array_id), encoding="utf-8")
    try:
        final_id = sbatch(final_path)
    except SchedulerError as exc:
        raise SchedulerError(
            f"{exc} The job array {array_id} is queued; once it ends, check its bundles with: "
            f"python -m runner campaign collect {plan.path}"
        ) from None
    done = Submission(array_id, final_id, tuple(indices), str(array_path), str(final_path), time.time())
    write_json_atomic(folder / SUBMISSIONS, [s.to_json() for s in [*earlier, done]])
    return done


@dataclass(frozen=True)
class Queued:
    """One line of squeue: a job array task (or the final job) still pending or running."""

    job_id: str
    state: str
    node: str
    reason: str


def queue(plan: Plan) -> dict[str, Queued]:
    """The campaign's jobs in the queue, by job id (``<array>_<index>`` for array tasks)."""
    ids = {s.array_id for s in submissions(plan)} | {s.final_id for s in submissions(plan) if s.final_id}
    if not ids:
        return {}
    proc = _command(["squeue", "-h", "-r", "-j", ",".join(sorted(ids)), "-o", "%i|%T|%N|%r"])
    if proc.returncode != 0:
        # squeue refuses ids it has forgotten (long finished); then ask for the campaign's name instead.
        proc = _command(["squeue", "-h", "-r", "-n", job_name(plan), "-o", "%i|%T|%N|%r"])
        if proc.returncode != 0:
            raise SchedulerError(f"squeue failed: {proc.stderr.strip()[-300:]}")
    out = {}
    for line in proc.stdout.splitlines():
        parts = line.strip().split("|")
        if len(parts) == 4:
            out[parts[0]] = Queued(*parts)
    return out


def cancel(job_id: str) -> None:
    proc = _command(["scancel", job_id])
    if proc.returncode != 0:
        raise SchedulerError(f"scancel {job_id} failed: {proc.stderr.strip()[-300:]}")


@dataclass(frozen=True)
class Accounted:
    state: str
    energy_j: float | None  # ConsumedEnergyRaw: None where the cluster does not gather energy
    node: str


def accounting(job_ids: Iterable[str]) -> tuple[dict[str, Accounted], str | None]:
    """sacct's state and ConsumedEnergy of each job (array tasks as ``<array>_<index>``), and None; or
    ({}, why) where sacct has nothing to say (no accounting storage, sacct missing)."""
    ids = sorted(set(job_ids))
    if not ids:
        return {}, None
    if shutil.which("sacct") is None:
        return {}, "sacct is not installed"
    proc = _command(["sacct", "-n", "-P", "-j", ",".join(ids), "-o", "JobID,State,ConsumedEnergyRaw,NodeList"])
    if proc.returncode != 0 or "disabled" in proc.stderr + proc.stdout:
        return {}, (proc.stderr.strip() or proc.stdout.strip() or "sacct failed").splitlines()[0][:200]
    out: dict[str, Accounted] = {}
    energy: dict[str, float] = {}
    for line in proc.stdout.splitlines():
        parts = line.split("|")
        if len(parts) != 4:
            continue
        job_id, state, raw, node = parts
        base = job_id.split(".")[0]
        if raw.strip().isdigit():
            energy[base] = max(energy.get(base, 0.0), float(raw))
        if "." not in job_id:
            out[base] = Accounted(state.split()[0] if state else "", None, node)
    return {k: Accounted(v.state, energy.get(k), v.node) for k, v in out.items()}, None

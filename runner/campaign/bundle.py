"""One campaign job: run the runner once and leave an immutable result bundle, or a failure marker.

Under the plan's ``out`` folder::

    bundles/<key>/run/              the run folder the runner wrote (leaderboard.runfolder)
    bundles/<key>/run.zip           its zip, as the Submit page takes it
    bundles/<key>/run.log           the runner's output
    bundles/<key>/job.json          scheduler, job id, array task, node, GPU UUIDs, times, the runner's reading
    bundles/<key>/manifest.json     SHA-256 of every other file of the bundle (written last)
    bundles/<key>.failed.json       the last failed attempt: exit code or signal, the log's last error line
    bundles/.<key>.<random>.tmp/    a bundle being written: renamed to bundles/<key>/ in one step
    attempts/<key>/<ns>-<random>.json   one file per time the runner was started for the job
    logs/                           the scheduler's output per task; failed attempts' runner logs

A job whose bundle is complete (its manifest lists every file and every SHA-256 matches) does
nothing; so does every later attempt of it. A bundle is never changed once renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from leaderboard.runfolder import RUNNER_SUMMARY
from runner.campaign.plan import Job, Plan, runner_args

BUNDLES, ATTEMPTS, LOGS = "bundles", "attempts", "logs"
MANIFEST, JOB_RECORD, RUN_DIR, RUN_ZIP, RUN_LOG = "manifest.json", "job.json", "run", "run.zip", "run.log"
FAILED_SUFFIX = ".failed.json"
NO_GPU = "none"  # the GPU UUIDs of a CPU job
MAX_ERROR_LINE_CHARS = 500
MANIFEST_SCHEMA = 1
REPO_ROOT = Path(__file__).resolve().parents[2]


def bundle_dir(plan: Plan, job: Job) -> Path:
    return plan.out / BUNDLES / job.key


def failed_marker(plan: Plan, job: Job) -> Path:
    return plan.out / BUNDLES / f"{job.key}{FAILED_SUFFIX}"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundle_problem(folder: Path) -> str | None:
    """Why ``folder`` is not a complete bundle (None: it is): a missing manifest, a file missing, added
    or changed since the manifest was written."""
    if not folder.is_dir():
        return "no bundle"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if not isinstance(files, dict):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        return f"{MANIFEST} missing or unreadable"
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    if present != set(files):
        return f"files differ from the manifest: {', '.join(sorted(present ^ set(files))[:5])}"
    for name, digest in files.items():
        if sha256_file(folder / name) != digest:
            return f"{name} changed since the manifest was written"
    return None


def read_job_record(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / JOB_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_failure(plan: Plan, job: Job) -> dict[str, Any] | None:
    try:
        data = json.loads(failed_marker(plan, job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def attempts(plan: Plan, job: Job) -> list[dict[str, Any]]:
    """Every start of the runner for ``job``, oldest first."""
    folder = plan.out / ATTEMPTS / job.key
    out = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            out.append(data)
    return out


@dataclass(frozen=True)
class Where:
    """Which scheduler ran this attempt, its job id (``<array>_<task>`` for an array task) and node."""

    scheduler: str
    job_id: str
    node: str
    array_job_id: str = ""
    array_task_id: str = ""
    restart_count: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "scheduler": self.scheduler,
            "job_id": self.job_id,
            "node": self.node,
            "array_job_id": self.array_job_id,
            "array_task_id": self.array_task_id,
            "restart_count": self.restart_count,
        }


def where_from_env(environ: Mapping[str, str] | None = None) -> Where:
    env = os.environ if environ is None else environ
    if env.get("SLURM_JOB_ID"):
        array, task = env.get("SLURM_ARRAY_JOB_ID", ""), env.get("SLURM_ARRAY_TASK_ID", "")
        restarts = env.get("SLURM_RESTART_COUNT", "0")
        return Where(
            "slurm",
            f"{array}_{task}" if array and task else env["SLURM_JOB_ID"],
            env.get("SLURMD_NODENAME") or socket.gethostname(),
            array,
            task,
            int(restarts) if restarts.isdigit() else 0,
        )
    return Where("local", f"local-{os.getpid()}", socket.gethostname())


def gpu_uuids(plan: Plan, job: Job) -> list[str]:
    """The UUIDs of the GPUs the job measured (NVML, matched to CUDA_VISIBLE_DEVICES as the meter
    matches them); ``["none"]`` for a CPU job."""
    if plan.cpu_only:
        return [NO_GPU]
    try:
        import pynvml

        from runner.meter import NvmlMeter

        meter = NvmlMeter(range(job.gpus))
        return [_text(pynvml.nvmlDeviceGetUUID(h)) for h in meter.handles]
    except Exception as exc:  # noqa: BLE001 - the bundle records why, it never stops on it
        return [f"unknown ({type(exc).__name__}: {str(exc)[:200]})"]


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def last_error_line(log: str) -> str:
    """The line of ``log`` that says what went wrong: the last one starting with 'error' or naming an
    exception, else the last line that is not empty."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in reversed(lines):
        lowered = line.lower()
        if lowered.startswith(("error", "fatal")) or "error:" in lowered or "exception" in lowered:
            return line[:MAX_ERROR_LINE_CHARS]
    return lines[-1][:MAX_ERROR_LINE_CHARS] if lines else "(the log is empty)"


def write_json_atomic(path: Path, value: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with tmp.open("w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _fsync_tree(folder: Path) -> None:
    for path in [*sorted(folder.rglob("*")), folder]:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def runner_reading(run: Path) -> dict[str, object]:
    """The runner's own figures from its summary: GPU energy per 1,000 queries and per measured window."""
    try:
        summary = json.loads((run / RUNNER_SUMMARY).read_text(encoding="utf-8"))
        phases = summary.get("phases", {})
        return {
            "total_gpu_energy_wh_per_1k": summary.get("total_gpu_energy_wh_per_1k"),
            "gpu_energy_wh_per_window": {name: p.get("gpu_energy_wh") for name, p in phases.items()},
            "gpu": summary.get("gpu", {}).get("names"),
            "meter_driver": summary.get("gpu", {}).get("driver"),
        }
    except (OSError, ValueError, AttributeError):
        return {}


class Stopped(Exception):
    """The scheduler stopped the job (scancel, preemption, the time limit)."""


def run_job(plan: Plan, index: int, where: Where | None = None) -> int:
    """Run job ``index`` of ``plan`` unless its bundle is complete. Returns the exit code: 0 when the
    bundle is complete, else the runner's (or 128 + the signal that stopped it)."""
    job = plan.job(index)
    where = where or where_from_env()
    final = bundle_dir(plan, job)
    problem = bundle_problem(final)
    if problem is None:
        print(f"{job.key}: the bundle is complete; nothing to do.", flush=True)
        return 0
    if final.exists():
        _fail(plan, job, where, None, 2, f"bundle {final} is damaged ({problem}); move it away and resume", "")
        print(f"error: {final} is damaged ({problem}): move it away, then resume the campaign.", file=sys.stderr)
        return 2
    for stale in (plan.out / BUNDLES).glob(f".{job.key}.*.tmp"):
        # Left by an attempt killed outright (SIGKILL, a node lost): one task of an array runs at a time.
        shutil.rmtree(stale, ignore_errors=True)
    attempt = f"{time.time_ns():020d}-{uuid.uuid4().hex}"
    started = time.time()
    write_json_atomic(
        plan.out / ATTEMPTS / job.key / f"{attempt}.json",
        {"attempt": attempt, "job": job.key, "index": index, "started": started, **where.to_json()},
    )
    tmp = plan.out / BUNDLES / f".{job.key}.{uuid.uuid4().hex}.tmp"
    tmp.mkdir(parents=True)
    command = [sys.executable, "-m", "runner", *runner_args(plan, job, tmp / RUN_DIR)]
    print(f"{job.key}: {job.describe()}\n$ {' '.join(command)}", flush=True)
    code, stopped_by = _run_logged(command, tmp / RUN_LOG)
    log = (tmp / RUN_LOG).read_text(encoding="utf-8", errors="replace")
    if code == 0 and not ((tmp / RUN_DIR).is_dir() and (tmp / RUN_ZIP).is_file()):
        code = 2
        log += "\nerror: the runner exited 0 without writing its run folder and zip\n"
    if code != 0:
        line = last_error_line(log)
        if stopped_by:
            line = f"stopped by {stopped_by} (scancel, preemption or the time limit); the log's last line: {line}"
        saved = plan.out / LOGS / f"{job.key}.{attempt}.failed.log"
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(log, encoding="utf-8")
        shutil.rmtree(tmp, ignore_errors=True)
        _fail(plan, job, where, attempt, code, line, str(saved))
        print(f"error: {job.key} failed ({line})", file=sys.stderr, flush=True)
        return code
    record = {
        "job": job.key,
        "index": index,
        "task": job.task,
        "model": job.model_id,
        "options": dict(job.options),
        "attempt": attempt,
        **where.to_json(),
        "gpu_uuids": gpu_uuids(plan, job),
        "started": started,
        "ended": time.time(),
        "command": command[1:],
        "runner_reading": runner_reading(tmp / RUN_DIR),
    }
    return seal(plan, job, tmp, record)


def seal(plan: Plan, job: Job, tmp: Path, record: Mapping[str, object]) -> int:
    """Make ``tmp`` (holding the run folder, its zip and log) the job's bundle: write the job record and
    the manifest, sync, and rename it into place in one step. Returns 0."""
    final = bundle_dir(plan, job)
    (tmp / JOB_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    files = {p.relative_to(tmp).as_posix(): sha256_file(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    manifest = {"schema": MANIFEST_SCHEMA, "job": job.key, "files": files}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    _fsync_tree(tmp)
    try:
        os.rename(tmp, final)
    except OSError:
        # Another attempt of the same job got there first (a requeue racing its original).
        shutil.rmtree(tmp, ignore_errors=True)
        if bundle_problem(final) is not None:
            raise
        print(f"{job.key}: another attempt completed the bundle first; this one is dropped.", flush=True)
        return 0
    failed_marker(plan, job).unlink(missing_ok=True)
    print(f"{job.key}: bundle complete: {final}", flush=True)
    return 0


def _fail(plan: Plan, job: Job, where: Where, attempt: str | None, code: int, line: str, log: str) -> None:
    write_json_atomic(
        failed_marker(plan, job),
        {
            "job": job.key,
            "attempt": attempt,
            "exit_code": code,
            "last_error_line": line,
            "log": log,
            "time": time.time(),
            **where.to_json(),
        },
    )


def _run_logged(command: list[str], log_path: Path) -> tuple[int, str | None]:
    """Run ``command``, its output into ``log_path`` and onto stdout (the scheduler's log). A SIGTERM or
    SIGINT to this process is passed on to the runner; returns (exit code, the signal that stopped it)."""
    stopped: list[str] = []
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )

        def forward(signum: int, frame: FrameType | None) -> None:
            stopped.append(signal.Signals(signum).name)
            proc.send_signal(signum)

        previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                sys.stdout.write(line)
                sys.stdout.flush()
            code = proc.wait()
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
    if stopped:
        return (128 + signal.Signals[stopped[0]].value if code >= 0 else 128 - code), stopped[0]
    return (128 - code if code < 0 else code), None

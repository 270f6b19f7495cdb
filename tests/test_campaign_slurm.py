"""A campaign through a real Slurm (the `campaign` step of scripts/test): a one-node cluster started by
scripts/slurm-cluster, six tiny-model jobs on the CPU (the runner's fake meter) through sbatch as one job
array and its final check job, one array task cancelled while it runs (scancel), resume, and then:
every bundle complete, each valid run in the store once and pending, and no job's runner started twice
except the cancelled one's (one attempt marker per start).

Needs root, Debian's slurm-wlm and munge, and the runner's requirements (torch, transformers)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from leaderboard.submissions.store import Store
from runner.campaign.bundle import attempts, bundle_dir, bundle_problem, read_failure, read_job_record
from runner.campaign.plan import load_plan
from tests.campaigns import tiny_campaign
from tests.conftest import ROOT

pytestmark = [pytest.mark.slurm, pytest.mark.runner]

CANCELLED = 2  # the array task cancelled while it runs
WAIT_S = 900


def free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("", port + 1))
                except OSError:
                    continue
                return port
    raise AssertionError("no two free ports side by side for slurmctld and slurmd")


@pytest.fixture(scope="module")
def cluster():
    folder = Path(tempfile.mkdtemp(prefix="aies-slurm-"))  # short: the munge socket's path has a length limit
    shutil.rmtree(folder)
    # Two free ports (slurmctld's and slurmd's): another cluster on this machine keeps its own.
    port = free_port_pair()
    started = subprocess.run(
        ["bash", "scripts/slurm-cluster", "start", str(folder)],
        cwd=ROOT,
        env={**os.environ, "AIES_SLURM_PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    env = {**os.environ, "SLURM_CONF": str(folder / "slurm.conf")}
    yield env
    subprocess.run(["bash", "scripts/slurm-cluster", "stop", str(folder)], cwd=ROOT, timeout=120, check=False)


def six_job_plan(tmp_path: Path) -> Path:
    """Four models with weights (valid: pending in the store) and two shipped configs with --no-weights
    (invalid: 'Real weights' fails), one job at a time (throttle 1: two CPUs are shared here)."""
    return tiny_campaign(
        tmp_path,
        with_weights="abcd",
        no_weights=[("tiny-bert", "text_classification"), ("tiny-vit", "image_classification")],
    )


def campaign(env, *args):
    proc = subprocess.run(
        [sys.executable, "-m", "runner", "campaign", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    print(proc.stdout, proc.stderr)
    return proc


def squeue(env) -> str:
    return subprocess.run(["squeue", "-h", "-o", "%i %T"], env=env, capture_output=True, text=True, check=True).stdout


def wait_until(condition, what, timeout_s=WAIT_S):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"waited {timeout_s} s for {what}")


def test_a_campaign_through_slurm_survives_a_cancelled_task_and_resumes_only_it(tmp_path, cluster):
    env = cluster
    plan_path = six_job_plan(tmp_path)
    plan = load_plan(plan_path)
    assert len(plan.jobs) == 6
    started = time.monotonic()
    proc = campaign(env, "submit", str(plan_path), "--scheduler", "slurm")
    assert proc.returncode == 0 and "--array=0-5%1" in proc.stdout, proc.stderr
    array_id = proc.stdout.split("submitted job array ")[1].split()[0]

    # Cancel one array task once its runner has started (its attempt marker is written first).
    target = plan.jobs[CANCELLED]
    wait_until(lambda: attempts(plan, target), f"task {CANCELLED} to start")
    assert f"{array_id}_{CANCELLED} RUNNING" in squeue(env)
    subprocess.run(["scancel", f"{array_id}_{CANCELLED}"], env=env, check=True)
    wait_until(lambda: squeue(env).strip() == "", "the array and its final job to end")

    before = campaign(env, "status", str(plan_path))
    assert before.returncode == 0
    failure = read_failure(plan, target)
    assert failure is not None and failure["last_error_line"].startswith("stopped by SIGTERM"), failure
    assert failure["job_id"] == f"{array_id}_{CANCELLED}" and failure["scheduler"] == "slurm"
    assert bundle_problem(bundle_dir(plan, target)) == "no bundle"
    lines = {int(line.split()[0]): line.split()[1] for line in before.stdout.splitlines() if line.strip()[:1].isdigit()}
    assert lines == {0: "done", 1: "done", 2: "failed", 3: "done", 4: "invalid", 5: "invalid"}

    resumed = campaign(env, "resume", str(plan_path))
    assert resumed.returncode == 0 and f"resubmitting 1 job(s): {target.key}" in resumed.stdout
    assert (plan.out / "slurm" / "array-2.sh").read_text().count(f"#SBATCH --array={CANCELLED}%1") == 1
    wait_until(lambda: squeue(env).strip() == "", "the resumed task and its final job to end")
    took_s = time.monotonic() - started

    after = campaign(env, "status", str(plan_path))
    assert "progress: 6/6 finished (4 done, 2 invalid)" in after.stdout
    # Every bundle complete, recording where it ran; the cancelled job's marker is gone.
    for job in plan.jobs:
        assert bundle_problem(bundle_dir(plan, job)) is None, job.key
        record = read_job_record(bundle_dir(plan, job))
        assert record["scheduler"] == "slurm" and record["node"] and record["gpu_uuids"] == ["none"]
        assert record["array_task_id"] == str(job.index)
    assert read_failure(plan, target) is None
    # Nothing ran twice: one runner start per job, two for the cancelled one.
    assert [len(attempts(plan, job)) for job in plan.jobs] == [1, 1, 2, 1, 1, 1]
    # The store holds each valid run once, pending; the invalid ones are listed with their failed check.
    report = json.loads((plan.out / "collect.json").read_text())["jobs"]
    ids = {report[j.key]["submission_id"] for j in plan.jobs[:4]}
    store = Store(tmp_path / "store")
    assert len(ids) == 4 and set(store.ids()) == ids and {r.id for r in store.pending()} == ids
    assert all(store.resubmissions(i) == [] for i in ids)
    assert [report[j.key]["state"] for j in plan.jobs] == ["pending"] * 4 + ["invalid"] * 2
    assert all("Real weights" in report[j.key]["failed_checks"] for j in plan.jobs[4:])
    # Resuming a finished campaign submits nothing.
    assert "nothing to resubmit" in campaign(env, "resume", str(plan_path)).stdout
    print(f"campaign of 6 jobs with a cancel and a resume: {took_s:.0f} s")

"""A campaign with the local scheduler (``campaign submit --scheduler local``): the same plan's jobs run
here one after another through the runner on the CPU (fake meter), with a progress line per job,
then the final check; a second run finds every bundle complete and starts nothing."""

import json
import subprocess
import sys

import pytest

from leaderboard.submissions.store import Store
from runner.campaign.bundle import attempts, bundle_dir, bundle_problem, read_job_record
from runner.campaign.plan import load_plan
from tests.campaigns import tiny_campaign
from tests.conftest import ROOT

pytestmark = pytest.mark.runner


def campaign(*args):
    return subprocess.run(
        [sys.executable, "-m", "runner", "campaign", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_the_local_scheduler_runs_the_plan_one_job_after_another_and_resumes_to_nothing(tmp_path):
    plan_path = tiny_campaign(tmp_path, with_weights="a", no_weights=[("tiny-bert", "text_classification")])
    plan = load_plan(plan_path)
    proc = campaign("submit", str(plan_path), "--scheduler", "local")
    assert proc.returncode == 0, proc.stderr[-2000:]
    progress = [line for line in proc.stderr.splitlines() if line.startswith("[")]
    assert progress[0].startswith("[1/2] text_generation · example-org/tiny-a") and "(0 failed so far)" in progress[0]
    assert progress[1].startswith(f"[1/2] {plan.jobs[0].key}: done in ")
    assert progress[3].startswith(f"[2/2] {plan.jobs[1].key}: done in ")
    for job in plan.jobs:
        assert bundle_problem(bundle_dir(plan, job)) is None
        record = read_job_record(bundle_dir(plan, job))
        assert record["scheduler"] == "local" and record["gpu_uuids"] == ["none"]
        assert record["runner_reading"]["meter_driver"] == "fake"
    report = json.loads((plan.out / "collect.json").read_text())["jobs"]
    assert [report[j.key]["state"] for j in plan.jobs] == ["pending", "invalid"]
    assert "Real weights" in report[plan.jobs[1].key]["failed_checks"]
    store = Store(tmp_path / "store")
    assert store.ids() == [report[plan.jobs[0].key]["submission_id"]]
    # Again: every bundle is complete, nothing starts, the store is unchanged.
    again = campaign("resume", str(plan_path), "--scheduler", "local")
    assert again.returncode == 0 and "nothing to resubmit" in again.stdout
    again = campaign("submit", str(plan_path), "--scheduler", "local")
    assert again.returncode == 0 and again.stderr.count("complete, skipped") == 2
    assert [len(attempts(plan, job)) for job in plan.jobs] == [1, 1] and len(store.ids()) == 1
    status = campaign("status", str(plan_path))
    assert "progress: 2/2 finished (1 done, 1 invalid)" in status.stdout

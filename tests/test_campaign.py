"""Benchmark campaigns without a scheduler or torch (``runner.campaign``): the plan and its errors, the
Slurm scripts, bundles and their manifests, the status of every job from bundles and markers, and the
final step through the submission checker into the store. The same campaign through a real Slurm:
``test_campaign_slurm.py``."""

import json
import signal
import sys
import zipfile

import pytest

from harness.zips import make_zip, runner_files
from leaderboard.submissions.store import Store
from runner.campaign import cli
from runner.campaign.bundle import (
    ATTEMPTS,
    BUNDLES,
    RUN_DIR,
    RUN_LOG,
    RUN_ZIP,
    Where,
    attempts,
    bundle_dir,
    bundle_problem,
    failed_marker,
    last_error_line,
    read_job_record,
    run_job,
    seal,
    where_from_env,
    write_json_atomic,
)
from runner.campaign.collect import collect
from runner.campaign.plan import PlanError, estimate, load_plan, runner_args
from runner.campaign.slurm import array_script, array_spec, final_script

ATTESTED = '["Public Data Sharing", "Data Integrity", "Model Representation"]'


def plan_text(
    *,
    campaign='name = "round"\nout = "out"\nstore = "store"',
    limits="time_per_job_min = 30\nretries = 1",
    attest=f'contact = "maintainers@example.org"\nmeasured_by = "maintainer"\nattestations = {ATTESTED}',
    slurm='partition = "gpu"\naccount = "proj"\nconstraint = "h100"\nthrottle = 2',
    matrix='models = ["org/model"]\ntasks = ["text_generation"]\nmodel_class = "A"',
    extra="",
) -> str:
    sections = [("campaign", campaign), ("limits", limits), ("attest", attest), ("slurm", slurm)]
    text = "".join(f"[{name}]\n{body}\n\n" for name, body in sections if body is not None)
    if matrix is not None:
        text += f"[[matrix]]\n{matrix}\n"
    return text + extra


def write_plan(tmp_path, **kw):
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(**kw))
    return path


def load(tmp_path, **kw):
    return cli.load(str(write_plan(tmp_path, **kw)))


# --- the plan -----------------------------------------------------------------------------------------------------


def test_a_matrix_is_models_times_tasks_times_every_list_option(tmp_path):
    plan = load(
        tmp_path,
        matrix='models = ["org/a", { id = "org/b", path = "models/b", class = "B" }]\ntasks = ["text_generation"]\n'
        'model_class = "A"\nbatch_size = [1, 8]\nrepeats = 5',
        extra='\n[[matrix]]\nmodels = ["tiny-bert"]\ntasks = ["text_classification", "question_answering"]\nno_weights = true\n',
    )
    assert [(j.task, j.model_id, j.options.get("batch_size")) for j in plan.jobs] == [
        ("text_generation", "org/a", 1),
        ("text_generation", "org/a", 8),
        ("text_generation", "org/b", 1),
        ("text_generation", "org/b", 8),
        ("text_classification", "tiny-bert", None),
        ("question_answering", "tiny-bert", None),
    ]
    assert [j.index for j in plan.jobs] == list(range(6))
    assert len({j.key for j in plan.jobs}) == 6
    b = plan.jobs[2]
    assert b.model == str(tmp_path / "models/b") and b.options["model_class"] == "B"  # the model's own class wins
    assert runner_args(plan, b, tmp_path / "run") == [
        "run", "--task", "text_generation", "--model", str(tmp_path / "models/b"), "--out", str(tmp_path / "run"),
        "--zip", "--batch-size", "1", "--repeats", "5",
    ]  # fmt: skip
    assert "--no-weights" in runner_args(plan, plan.jobs[4], tmp_path / "run")


def test_job_keys_are_stable_and_follow_the_options(tmp_path):
    one = load(tmp_path, matrix='models = ["org/m"]\ntasks = ["text_generation"]\nmodel_class = "A"\nrepeats = 3')
    again = load(tmp_path, matrix='models = ["org/m"]\ntasks = ["text_generation"]\nmodel_class = "A"\nrepeats = 3')
    other = load(tmp_path, matrix='models = ["org/m"]\ntasks = ["text_generation"]\nmodel_class = "A"\nrepeats = 4')
    assert one.jobs[0].key == again.jobs[0].key != other.jobs[0].key
    assert one.jobs[0].key.startswith("text_generation--m-")


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"campaign": None}, "no [campaign] section"),
        ({"campaign": 'name = "round"'}, "[campaign] out is missing"),
        ({"campaign": 'name = "a round"\nout = "o"'}, "[campaign] name = 'a round'"),
        ({"campaign": 'name = "r"\nout = "o"\ncolour = 1'}, "[campaign] has unknown key(s) colour"),
        ({"limits": "time_per_job_min = 0"}, "[limits] time_per_job_min = 0 must be above 0"),
        ({"limits": 'time_per_job_min = "1h"'}, "[limits] time_per_job_min = '1h' is not a int"),
        ({"limits": "retries = -1"}, "[limits] retries = -1 must be from 0 to 100"),
        ({"attest": None}, "no [attest] section"),
        ({"attest": 'contact = "x"\nmeasured_by = "robot"\nattestations = []'}, "measured_by = 'robot'"),
        ({"attest": f'measured_by = "maintainer"\nattestations = {ATTESTED}'}, "[attest] contact is missing"),
        (
            {"attest": 'contact = "x"\nmeasured_by = "maintainer"\nattestations = ["Data Integrity"]'},
            "gives all three by name",
        ),
        ({"slurm": "throttle = 0"}, "[slurm] throttle = 0 must be above 0"),
        ({"slurm": 'extra = ["--mail-user=a; rm -rf /"]'}, "is not one sbatch long option"),
        ({"slurm": 'partition = "gpu batch"'}, "[slurm] partition = 'gpu batch'"),
        ({"matrix": None}, "no [[matrix]]"),
        ({"matrix": 'models = ["org/m"]\ntasks = ["painting"]'}, "task 'painting' is not one of"),
        ({"matrix": 'models = ["org/m"]\ntasks = ["text_generation"]'}, 'give model_class = "A", "B" or "C"'),
        ({"matrix": 'models = []\ntasks = ["asr"]'}, "models must be a non-empty list"),
        ({"matrix": 'models = ["org/m"]\ntasks = ["asr"]\nrepeats = 0'}, "repeats = 0 must be above 0"),
        ({"matrix": 'models = ["org/m"]\ntasks = ["asr"]\nharness = "docker"'}, "harness = 'docker' is not one of"),
        ({"matrix": 'models = ["org/m"]\ntasks = ["asr"]\nbatchsize = 2'}, "unknown key(s) batchsize"),
        ({"matrix": 'models = ["org/m", "org/m"]\ntasks = ["asr"]'}, "is already in the plan"),
        ({"matrix": 'models = [{ path = "/m" }]\ntasks = ["asr"]'}, "id required"),
        ({"extra": "[cluster]\nname = 1\n"}, "unknown section(s) cluster"),
        ({"extra": "= broken"}, "is not valid TOML"),
    ],
)
def test_plan_errors_name_the_key_and_what_to_do(tmp_path, kw, words):
    with pytest.raises(PlanError) as caught:
        load(tmp_path, **kw)
    assert words in str(caught.value)


def test_a_missing_or_oversized_plan_is_named(tmp_path):
    with pytest.raises(PlanError, match="Cannot read the plan"):
        load_plan(tmp_path / "nope.toml")
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * 1_000_001)
    with pytest.raises(PlanError, match="not a campaign plan"):
        load_plan(big)


def test_cpu_only_plans_have_no_gpus_and_the_estimate_counts_job_hours(tmp_path):
    plan = load(
        tmp_path,
        campaign='name = "t"\nout = "o"\ncpu_only = true',
        limits="time_per_job_min = 30\nestimate_min_per_job = 6",
        matrix='models = ["tiny-bert", "tiny-vit"]\ntasks = ["text_classification"]\nno_weights = true',
    )
    assert plan.gpus == 0 and estimate(plan) == (pytest.approx(1.0), pytest.approx(0.2))
    assert runner_args(plan, plan.jobs[0], tmp_path)[-2:] == ["--cpu", "--fake-meter"]
    with pytest.raises(PlanError, match="a CPU job has no GPUs"):
        load(
            tmp_path,
            campaign='name = "t"\nout = "o"\ncpu_only = true',
            matrix='models = ["m"]\ntasks = ["asr"]\ngpus = 2',
        )


def test_gpu_hours_are_gpus_times_the_time_limit(tmp_path):
    plan = load(tmp_path, limits="time_per_job_min = 90", matrix='models = ["o/a", "o/b"]\ntasks = ["asr"]\ngpus = 4')
    assert plan.gpus == 8 and estimate(plan) == (pytest.approx(12.0), None)


# --- the Slurm scripts ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "indices, throttle, spec",
    [([0, 1, 2, 3], 4, "0-3%4"), ([2], 1, "2%1"), ([0, 1, 5, 7, 8], 2, "0-1,5,7-8%2"), ([3, 1, 2], 1, "1-3%1")],
)
def test_array_spec(indices, throttle, spec):
    assert array_spec(indices, throttle) == spec


def test_the_array_script_asks_for_whole_gpus_exclusive_a_time_limit_requeue_and_one_log_per_task(tmp_path):
    plan = load(
        tmp_path,
        slurm='partition = "gpu"\naccount = "proj"\nconstraint = "h100"\nthrottle = 2\ngres = "gpu:h100"\n'
        'cpus_per_task = 8\nmem = "64G"\nsetup = ["module load cuda"]\nextra = ["--reservation=round"]',
        matrix='models = ["o/a", "o/b", "o/c"]\ntasks = ["asr"]\ngpus = 2',
    )
    script = array_script(plan, [0, 2])
    for line in (
        "#SBATCH --array=0,2%2",
        "#SBATCH --gres=gpu:h100:2",
        "#SBATCH --exclusive",
        "#SBATCH --requeue",
        "#SBATCH --time=30",
        f"#SBATCH --output={plan.out}/logs/%x-%A_%a.out",
        "#SBATCH --partition=gpu",
        "#SBATCH --account=proj",
        "#SBATCH --constraint=h100",
        "#SBATCH --cpus-per-task=8",
        "#SBATCH --mem=64G",
        "#SBATCH --reservation=round",
        "module load cuda",
    ):
        assert line in script.splitlines(), line
    assert script.rstrip().endswith(
        f'campaign job {plan.path} --index "$SLURM_ARRAY_TASK_ID" --plan-sha256 {plan.sha256}'
    )
    final = final_script(plan, "1234")
    assert "#SBATCH --dependency=afterany:1234" in final and "--gres" not in final
    assert final.rstrip().endswith(f"campaign collect {plan.path}")


def test_a_cpu_only_or_shared_plan_asks_for_no_gpus_or_no_exclusive_node(tmp_path):
    cpu = load(tmp_path, campaign='name = "t"\nout = "o"\ncpu_only = true', matrix='models = ["m"]\ntasks = ["asr"]')
    assert "--gres" not in array_script(cpu, [0]) and "--exclusive" not in array_script(cpu, [0])
    shared = load(tmp_path, slurm="exclusive = false", matrix='models = ["m"]\ntasks = ["asr"]')
    assert "#SBATCH --gres=gpu:1" in array_script(shared, [0]) and "--exclusive" not in array_script(shared, [0])
    mixed = load(tmp_path, matrix='models = ["m"]\ntasks = ["asr"]\ngpus = [1, 2]')
    with pytest.raises(PlanError, match="one job array asks for one count"):
        array_script(mixed, [0, 1])


def test_no_sbatch_here_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    plan_path = write_plan(tmp_path, matrix='models = ["m"]\ntasks = ["asr"]')
    assert cli.main(["submit", str(plan_path), "--scheduler", "slurm"]) == 2
    assert "sbatch is not on PATH" in capsys.readouterr().err


# --- bundles ------------------------------------------------------------------------------------------------------


def make_bundle(plan, job, *, files=None, record=None):
    """A bundle as a job seals it, around a run folder of the runner's layout (harness.zips)."""
    files = files or runner_files(model=job.model_id, task=job.task)
    tmp = plan.out / BUNDLES / f".{job.key}.test.tmp"
    for name, content in files.items():
        path = tmp / RUN_DIR / name.removeprefix("run/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content))
    (tmp / RUN_ZIP).write_bytes(make_zip(files))
    (tmp / RUN_LOG).write_text("wrote run\n")
    where = Where("slurm", f"77_{job.index}", "node-1", "77", str(job.index))
    seal(plan, job, tmp, record or {"job": job.key, **where.to_json(), "gpu_uuids": ["GPU-1"]})
    return bundle_dir(plan, job)


def gpu_plan(tmp_path, models=('"org/a"', '"org/b"', '"org/c"', '"org/d"')):
    return load(tmp_path, matrix=f'models = [{", ".join(models)}]\ntasks = ["text_generation"]\nmodel_class = "A"')


def test_a_sealed_bundle_is_complete_and_any_change_to_it_is_seen(tmp_path):
    plan = gpu_plan(tmp_path)
    folder = make_bundle(plan, plan.jobs[0])
    assert bundle_problem(folder) is None
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "job.json", "run.log", "run.zip", "run/benchmark_config.json", "run/benchmark_report.json",
        "run/energy_score_summary.json", "run/SHA256SUMS",
    }  # fmt: skip
    assert not list((plan.out / BUNDLES).glob(".*.tmp"))  # renamed into place, nothing left behind
    (folder / "run.log").write_text("changed\n")
    assert bundle_problem(folder) == "run.log changed since the manifest was written"
    (folder / "run.log").write_text("wrote run\n")
    (folder / "extra.txt").write_text("x")
    assert "files differ from the manifest: extra.txt" == bundle_problem(folder)
    (folder / "manifest.json").unlink()
    assert bundle_problem(folder) == "manifest.json missing or unreadable"
    assert bundle_problem(tmp_path / "none") == "no bundle"


def test_a_job_whose_bundle_is_complete_does_nothing(tmp_path, capsys):
    plan = gpu_plan(tmp_path)
    folder = make_bundle(plan, plan.jobs[1])
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert run_job(plan, 1, Where("local", "local-1", "here")) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert attempts(plan, plan.jobs[1]) == [] and not (plan.out / ATTEMPTS).exists()  # the runner never started


def test_a_damaged_bundle_is_not_run_over_and_leaves_a_marker(tmp_path):
    plan = gpu_plan(tmp_path)
    folder = make_bundle(plan, plan.jobs[0])
    (folder / "run.zip").write_bytes(b"not the zip")
    assert run_job(plan, 0, Where("local", "local-1", "here")) == 2
    marker = json.loads(failed_marker(plan, plan.jobs[0]).read_text())
    assert "damaged" in marker["last_error_line"] and "move it away" in marker["last_error_line"]
    assert attempts(plan, plan.jobs[0]) == []


@pytest.mark.parametrize(
    "log, line",
    [
        ("loading\nerror: No CUDA GPU visible to PyTorch.\n", "error: No CUDA GPU visible to PyTorch."),
        ("Traceback (most recent call last):\n  File x\nRuntimeError: CUDA error: out of memory\n\n", "RuntimeError: CUDA error: out of memory"),
        ("step 1\nstep 2\n", "step 2"),
        ("", "(the log is empty)"),
    ],
)  # fmt: skip
def test_the_marker_holds_the_last_error_line_of_the_log(log, line):
    assert last_error_line(log) == line


@pytest.mark.parametrize(
    "env, where",
    [
        (
            {"SLURM_JOB_ID": "91", "SLURM_ARRAY_JOB_ID": "90", "SLURM_ARRAY_TASK_ID": "3", "SLURMD_NODENAME": "gpu7"},
            Where("slurm", "90_3", "gpu7", "90", "3", 0),
        ),
        (
            {"SLURM_JOB_ID": "12", "SLURMD_NODENAME": "n1", "SLURM_RESTART_COUNT": "2"},
            Where("slurm", "12", "n1", "", "", 2),
        ),
    ],
)
def test_the_scheduler_job_id_and_node_come_from_slurms_environment(env, where):
    assert where_from_env(env) == where


def test_write_json_atomic_leaves_no_temporary_file(tmp_path):
    write_json_atomic(tmp_path / "a" / "m.json", {"x": 1})
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["m.json"]


# --- status, resume and the final step -----------------------------------------------------------------------------


def fail(plan, job, line="error: CUDA out of memory", tries=1):
    for n in range(tries):
        write_json_atomic(
            plan.out / ATTEMPTS / job.key / f"{n:020d}-x.json", {"job_id": f"77_{job.index}", "node": "n"}
        )
    write_json_atomic(failed_marker(plan, job), {"job": job.key, "last_error_line": line, "exit_code": 1})


def test_status_and_resume_from_bundles_and_markers(tmp_path, capsys):
    plan = gpu_plan(tmp_path)
    make_bundle(plan, plan.jobs[0])
    fail(plan, plan.jobs[1])
    fail(plan, plan.jobs[2], tries=2)  # retries = 1: two attempts used them up
    table = cli.show_status(plan)
    assert [(r.state, r.attempts) for r in table] == [("done", 0), ("failed", 1), ("failed", 2), ("missing", 0)]
    assert table[1].detail == "error: CUDA out of memory" and table[3].detail == "never started"
    assert "progress: 1/4 finished (1 done, 2 failed, 1 missing)" in capsys.readouterr().out
    again, held = cli.to_run(plan)
    assert again == [1, 3] and len(held) == 1 and "ran 2 times ([limits] retries = 1)" in held[0]
    assert cli.to_run(plan, force=True)[0] == [1, 2, 3]


def test_collect_queues_valid_bundles_as_pending_once_and_lists_invalid_ones_with_their_checks(tmp_path):
    plan = gpu_plan(tmp_path)
    make_bundle(plan, plan.jobs[0])
    make_bundle(plan, plan.jobs[1])

    def random_weights(files):
        files["benchmark_config.json"]["backend"]["no_weights"] = True
        files["energy_score_summary.json"]["no_weights"] = True

    make_bundle(plan, plan.jobs[2], files=runner_files(model="org/c", tamper=random_weights))
    fail(plan, plan.jobs[3])
    result = collect(plan)
    states = {key: entry["state"] for key, entry in result["jobs"].items()}
    assert list(states.values()) == ["pending", "pending", "invalid", "failed"]
    invalid = result["jobs"][plan.jobs[2].key]
    assert "Real weights" in invalid["failed_checks"] and "Real weights" in invalid["detail"]
    store = Store(tmp_path / "store")
    pending = {r.id for r in store.pending()}
    ids = {result["jobs"][j.key]["submission_id"] for j in plan.jobs[:2]}
    assert pending == ids == set(store.ids()) and all(store.status(i) == "pending" for i in ids)
    record = store.record(next(iter(ids)))
    assert record.form.contact == "maintainers@example.org (maintainer campaign round)"
    assert record.form.hardware == "NVIDIA H100 80GB HBM3" and record.form.model_class == "A"
    assert len(record.attestations) == 3
    assert result["jobs"][plan.jobs[0].key]["evidence_once_accepted"] == "reproduced"
    assert result["jobs"][plan.jobs[0].key]["slurm_consumed_energy_wh"] is None  # sacct is not here
    # Collect again (a resume's final job): the store is unchanged, each run is in it once.
    again = collect(plan)
    assert [e["newly_stored"] for e in again["jobs"].values() if e["state"] == "pending"] == [False, False]
    assert set(store.ids()) == ids and all(store.resubmissions(i) == [] for i in ids)
    # The status table reads the final step's verdicts, never an older one about another state of the job.
    assert [r.state for r in cli.rows(plan)[0]] == ["done", "done", "invalid", "failed"]
    failed_marker(plan, plan.jobs[3]).unlink()
    make_bundle(plan, plan.jobs[3])  # resumed, not yet checked
    last = cli.rows(plan)[0][3]
    assert (last.state, last.detail) == ("done", "not checked yet (the final job has not run since)")


def test_a_submitter_campaign_is_stored_under_the_contact_alone(tmp_path):
    plan = load(
        tmp_path,
        attest=f'contact = "lab@example.org"\nmeasured_by = "submitter"\nattestations = {ATTESTED}',
        matrix='models = ["org/a"]\ntasks = ["text_generation"]\nmodel_class = "B"',
    )
    make_bundle(plan, plan.jobs[0])
    entry = collect(plan)["jobs"][plan.jobs[0].key]
    assert entry["state"] == "invalid" and "Class rules" in entry["failed_checks"]  # 0.124 B parameters: not class B
    plan = load(
        tmp_path,
        attest=f'contact = "lab@example.org"\nmeasured_by = "submitter"\nattestations = {ATTESTED}',
        matrix='models = ["org/a"]\ntasks = ["text_generation"]\nmodel_class = "A"',
    )
    make_bundle(plan, plan.jobs[0])
    entry = collect(plan)["jobs"][plan.jobs[0].key]
    assert entry["state"] == "pending" and entry["evidence_once_accepted"] is None
    assert Store(tmp_path / "store").record(entry["submission_id"]).form.contact == "lab@example.org"


def test_the_job_record_names_the_scheduler_job_node_and_gpus(tmp_path):
    plan = gpu_plan(tmp_path)
    folder = make_bundle(plan, plan.jobs[0])
    record = read_job_record(folder)
    assert (record["scheduler"], record["job_id"], record["node"], record["gpu_uuids"]) == (
        "slurm",
        "77_0",
        "node-1",
        ["GPU-1"],
    )
    with zipfile.ZipFile(folder / RUN_ZIP) as zf:
        assert "run/energy_score_summary.json" in zf.namelist()


# --- the Slurm commands' output, as the cluster gives it ---------------------------------------------------------------


def fake_command(folder, name, body):
    """A stand-in for one Slurm command on PATH, printing what the real one prints (its documented format)."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/bash\n" + body)
    path.chmod(0o755)


def test_sacct_consumed_energy_is_recorded_beside_the_runners_reading(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    # sacct -n -P -o JobID,State,ConsumedEnergyRaw,NodeList: the allocation, then its steps (energy in J)
    fake_command(
        bin_dir,
        "sacct",
        'printf "77_0|COMPLETED||node-1\\n77_0.batch|COMPLETED|36000|node-1\\n77_1|COMPLETED||node-2\\n'
        '77_1.batch|COMPLETED||node-2\\n"\n',
    )
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    plan = gpu_plan(tmp_path, models=('"org/a"', '"org/b"'))
    for job in plan.jobs:
        make_bundle(plan, job, record={"job": job.key, "scheduler": "slurm", "job_id": f"77_{job.index}"})
    jobs = collect(plan)["jobs"]
    first, second = (jobs[j.key] for j in plan.jobs)
    assert first["slurm_consumed_energy_wh"] == pytest.approx(10.0)  # 36,000 J
    assert second["slurm_consumed_energy_wh"] is None and "does not gather energy" in second["slurm_energy_note"]
    fake_command(bin_dir, "sacct", 'echo "Slurm accounting storage is disabled" >&2; exit 1\n')
    entry = collect(plan)["jobs"][plan.jobs[0].key]
    assert (
        entry["slurm_consumed_energy_wh"] is None
        and entry["slurm_energy_note"] == "Slurm accounting storage is disabled"
    )


def test_submit_records_the_array_then_its_final_job_and_resume_submits_only_the_failed(tmp_path, monkeypatch, capsys):
    bin_dir = tmp_path / "bin"
    calls = tmp_path / "calls"
    # sbatch --parsable SCRIPT prints the new job id; squeue shows nothing queued.
    fake_command(bin_dir, "sbatch", f'echo "$@" >> {calls}\nn=$(wc -l < {calls})\necho "$((100 + n));cluster"\n')
    fake_command(bin_dir, "squeue", "exit 0\n")
    fake_command(bin_dir, "sacct", 'echo "Slurm accounting storage is disabled" >&2; exit 1\n')
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    plan_path = write_plan(tmp_path, matrix='models = ["o/a", "o/b", "o/c"]\ntasks = ["asr"]')
    assert cli.main(["submit", str(plan_path), "--scheduler", "slurm"]) == 0
    assert "submitted job array 101 (3 jobs, --array=0-2%2) and the final check job 102 (afterany:101)" in (
        capsys.readouterr().out
    )
    plan = cli.load(str(plan_path))
    assert "#SBATCH --dependency=afterany:101" in (plan.out / "slurm" / "final-1.sh").read_text()
    assert cli.main(["submit", str(plan_path), "--scheduler", "slurm"]) == 2  # submitted before: resume it
    assert "use `campaign status` and `campaign resume`" in capsys.readouterr().err
    make_bundle(plan, plan.jobs[0])
    fail(plan, plan.jobs[2])
    assert cli.main(["resume", str(plan_path)]) == 0
    out = capsys.readouterr().out
    assert f"resubmitting 2 job(s): {plan.jobs[1].key}, {plan.jobs[2].key}" in out
    assert "#SBATCH --array=1-2%2" in (plan.out / "slurm" / "array-2.sh").read_text()
    assert "afterany:103" in (plan.out / "slurm" / "final-2.sh").read_text()
    assert [line.split()[-1].rsplit("/", 1)[-1] for line in calls.read_text().splitlines()] == [
        "array-1.sh", "final-1.sh", "array-2.sh", "final-2.sh",
    ]  # fmt: skip


def test_the_local_scheduler_stops_a_job_at_the_time_limit(tmp_path):
    with (tmp_path / "log").open("w") as log:
        code = cli._run_limited([sys.executable, "-c", "import time; time.sleep(60)"], log, 0.5)
    assert code == -signal.SIGTERM  # stopped at the limit, as --time stops a Slurm job


def test_a_job_refuses_to_run_from_a_plan_changed_since_it_was_submitted(tmp_path, capsys):
    plan_path = write_plan(tmp_path, matrix='models = ["o/a"]\ntasks = ["asr"]')
    submitted = cli.load(str(plan_path)).sha256
    plan_path.write_text(plan_text(matrix='models = ["o/z", "o/a"]\ntasks = ["asr"]'))  # job 0 is another now
    assert cli.main(["job", str(plan_path), "--index", "0", "--plan-sha256", submitted]) == 2
    assert "changed since this job was submitted" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written


def test_a_local_run_going_on_shows_its_job_running_and_refuses_a_second_one(tmp_path):
    plan = gpu_plan(tmp_path, models=('"org/a"', '"org/b"'))
    make_bundle(plan, plan.jobs[0])
    write_json_atomic(plan.out / ATTEMPTS / plan.jobs[1].key / "1-x.json", {"attempt": "1-x", "scheduler": "local"})
    assert cli.rows(plan)[0][1].state == "missing"  # started, no bundle, no marker, nothing running it
    with cli.local_lock(plan):
        row = cli.rows(plan)[0][1]
        assert (row.state, row.detail) == ("running", "the local scheduler runs it")
        with pytest.raises(PlanError, match="Another local run of campaign round is going on"):
            cli.run_local(plan, [1])
        assert cli.to_run(plan) == ([], [])  # resume leaves a running job alone


def test_the_plans_written_in_the_readme_and_the_plan_module_are_valid_plans(tmp_path):
    import re

    from runner.campaign import plan as plan_module
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Campaigns") :]
    (example,) = re.findall(r"```toml\n(.*?)```", section[: section.index("\n### ", 5)], re.S)
    docstring = plan_module.__doc__.split("\n\n", 1)[1].split("\nA model is")[0]
    for n, text in enumerate((example, "\n".join(line.removeprefix("    ") for line in docstring.splitlines()))):
        path = tmp_path / f"plan{n}.toml"
        path.write_text(text)
        plan = cli.load(str(path))
        assert plan.jobs and plan.slurm.partition == "gpu" and plan.measured_by == "maintainer"

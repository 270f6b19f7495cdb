"""The submission store and the maintainer workflow: loss-free, append-only, concurrent, Hub push."""

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import re
import subprocess
import sys
import time
import types

import pytest

from harness.zips import energy_star_files, make_zip, v2_files
from leaderboard.errors import StoreError, ValidationError
from leaderboard.sources import load_results
from leaderboard.submissions import ATTESTATIONS, Claim, Form, check_zip
from leaderboard.submissions.publish import HubPublisher, publish_queued
from leaderboard.submissions.store import Store, staging_name
from leaderboard.submissions.store_files import temp_name
from leaderboard.submissions.workflow import accept, reject, submit
from tests.conftest import ROOT

ALL_ATTESTED = {name: True for name, _ in ATTESTATIONS}
# A v2 folder records no parameter count: its class is a warning the maintainer acknowledges.
CLASS_ACK = {"Class rules": "parameter count checked on the model card"}
CLASS_ACK_CLI = ("--ack", "Class rules", "--reason", "parameter count checked on the model card")


def form(**kw):
    base = dict(
        model="org/model",
        task="text_generation",
        model_class="A",
        precision="BF16",
        reasoning_effort=None,
        contact="dev@example.org",
        hardware="NVIDIA H100 80GB",
    )
    base.update(kw)
    return Form(**base)


def submitted(store, model="org/model", decode_kwh=0.02, **form_kw):
    # The December 2025 round's own harness (the v2 runner): on protocol for text generation in 2025-12.
    data = make_zip(v2_files(model=model, gpu_wh=(0.01 + decode_kwh) * 1000))
    f = form(model=model, **form_kw)
    report = check_zip(data, Claim(task=f.task, model=f.model, model_class=f.model_class, hardware=f.hardware))
    return data, report, submit(store, data, report, f, ALL_ATTESTED)


def test_submission_is_stored_without_loss(tmp_path):
    store = Store(tmp_path)
    data, report, stored = submitted(store)
    assert stored.created and stored.id == hashlib.sha256(data).hexdigest()[:16]
    assert store.original(stored.id) == data
    record = store.record(stored.id)
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert record.form.contact == "dev@example.org"
    assert record.attestations == tuple(name for name, _ in ATTESTATIONS)
    on_disk = json.loads((tmp_path / "submissions" / stored.id / "record.json").read_text())
    assert [(a["name"], a["text"], a["attested"]) for a in on_disk["attestations"]] == [
        (name, text, True) for name, text in ATTESTATIONS
    ]  # the exact wording is stored
    assert record.parsed.gpu_energy_wh_per_1k == pytest.approx(30.0)
    assert record == type(record).from_json(on_disk) == stored.record  # what was stored is what was made
    assert store.status(stored.id) == "pending"


def test_reupload_is_recognised_not_duplicated_and_its_form_is_kept(tmp_path):
    store = Store(tmp_path)
    data, report, first = submitted(store)
    before = (tmp_path / "submissions" / first.id / "record.json").read_bytes()
    again = submit(store, data, report, form(contact="someone-else", model_class="B"), ALL_ATTESTED)
    assert not again.created and again.id == first.id and again.record == first.record
    assert store.ids() == [first.id]
    assert (tmp_path / "submissions" / first.id / "record.json").read_bytes() == before  # the first stays as it was
    [kept] = store.resubmissions(first.id)
    assert kept == again.resubmission
    assert kept.form == form(contact="someone-else", model_class="B") and kept.attestations == tuple(ALL_ATTESTED)
    # The same form again adds nothing; a third submitter's form is kept beside, never over, the others.
    assert submit(store, data, report, form(contact="someone-else", model_class="B"), ALL_ATTESTED).resubmission is None
    assert submit(store, data, report, form(), ALL_ATTESTED).resubmission is None  # the first form
    third = submit(store, data, report, form(contact="third@example.org"), ALL_ATTESTED)
    assert [r.form.contact for r in store.resubmissions(first.id)] == ["someone-else", "third@example.org"]
    assert third.resubmission is not None and store.record(first.id).form.contact == "dev@example.org"


def test_the_maintainer_sees_every_form_sent_with_a_zip(tmp_path, capsys):
    store = Store(tmp_path / "store")
    data, report, first = submitted(store)
    submit(store, data, report, form(contact="someone-else", hardware="NVIDIA H200"), ALL_ATTESTED)
    assert cli("list") == 0
    assert "(+1 other form: show" in capsys.readouterr().out
    assert cli("show", first.id) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["record"]["form"]["contact"] == "dev@example.org"
    assert [(r["form"]["contact"], r["form"]["hardware"]) for r in shown["resubmissions"]] == [
        ("someone-else", "NVIDIA H200")
    ]
    assert cli("accept", first.id, "--cohort", "2025-12", *CLASS_ACK_CLI) == 0
    assert "also submitted with 1 other form" in capsys.readouterr().out


def test_forms_kept_per_zip_are_bounded(tmp_path, monkeypatch):
    from leaderboard.submissions import store as store_module

    monkeypatch.setattr(store_module, "MAX_RESUBMISSIONS", 2)
    store = Store(tmp_path)
    data, report, first = submitted(store)
    for i in range(2):
        submit(store, data, report, form(contact=f"c{i}"), ALL_ATTESTED)
    with pytest.raises(StoreError, match="with 3 different forms already; no more are kept"):
        submit(store, data, report, form(contact="c9"), ALL_ATTESTED)
    assert len(store.resubmissions(first.id)) == 2


@pytest.mark.parametrize(
    "attested, form_kw, expected",
    [
        ({**ALL_ATTESTED, "Data Integrity": False}, {}, "missing: Data Integrity"),
        ({}, {}, "Public Data Sharing, Data Integrity, Model Representation"),
        (ALL_ATTESTED, {"model": "not a model id"}, "must be a Hub id"),
        (ALL_ATTESTED, {"model_class": None}, "Pick the model class"),
        (ALL_ATTESTED, {"contact": ""}, "Give a contact"),
    ],
)
def test_submit_refuses_incomplete_submissions_and_stores_nothing(tmp_path, attested, form_kw, expected):
    store = Store(tmp_path / "store")
    data = make_zip(energy_star_files())
    report = check_zip(data)
    with pytest.raises(ValidationError, match=expected):
        submit(store, data, report, form(**form_kw), attested)
    assert not (tmp_path / "store").exists() or store.ids() == []


def test_submit_stores_only_the_bytes_that_were_checked(tmp_path):
    store = Store(tmp_path / "store")
    checked = make_zip(v2_files(model="org/model", gpu_wh=30.0))
    other = make_zip(v2_files(model="org/model", gpu_wh=20.0))  # valid too, and lower
    report = check_zip(checked, Claim("text_generation", "org/model", "A", "NVIDIA H100 80GB"))
    assert report.valid and check_zip(other).valid
    with pytest.raises(ValidationError, match="not the zip that was checked"):
        submit(store, other, report, form(), ALL_ATTESTED)
    assert not (tmp_path / "store").exists()  # nothing stored, not even a folder
    assert submit(store, checked, report, form(), ALL_ATTESTED).created


def test_invalid_logs_cannot_be_submitted(tmp_path):
    store = Store(tmp_path)
    data = make_zip({"run/benchmark_report.json": '{"prefill": '})
    with pytest.raises(ValidationError, match="did not pass validation"):
        submit(store, data, check_zip(data), form(), ALL_ATTESTED)
    assert store.ids() == []


def _run_zip(i):
    """The zip of submission i: 20 distinct runs, each built twice (byte-identical: fixed member times)."""
    return make_zip(v2_files(model=f"org/model-{i % 20}", gpu_wh=20.0 + i % 20))


def test_the_same_run_builds_the_same_zip_bytes():
    assert _run_zip(3) == _run_zip(23) and _run_zip(3) != _run_zip(4)


def _submit_in_process(args):
    root, i = args
    store = Store(root)
    data = _run_zip(i)
    report = check_zip(data)
    stored = submit(store, data, report, form(model=f"org/model-{i % 20}"), ALL_ATTESTED)
    return stored.id, hashlib.sha256(data).hexdigest(), stored.created


def test_concurrent_submissions_from_many_processes_are_all_stored_intact(tmp_path, monkeypatch):
    # 40 submissions, 20 distinct zips each sent twice, from 8 processes at once.
    # A spawned worker re-runs the parent's __main__ module, and after an AppTest run that is a page
    # script: give the workers a plain __main__ so they only import what the task needs.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    # A process pool that reports a worker's death (BrokenProcessPool) rather than replacing it and
    # waiting forever, and a bound on the whole run: a failure here is an error, never a hang.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(8, mp_context=context) as pool:
        outcomes = list(pool.map(_submit_in_process, [(str(tmp_path), i) for i in range(40)], timeout=600))
    store = Store(tmp_path)
    for i, (_, sha, _) in enumerate(outcomes):
        assert sha == outcomes[i % 20][1]  # the same run was the same bytes in every process
    distinct = {sub_id: sha for sub_id, sha, _ in outcomes}
    assert len(distinct) == 20 and sorted(store.ids()) == sorted(distinct)
    assert sum(created for *_, created in outcomes) == 20  # each zip created exactly once
    for sub_id, sha in distinct.items():
        assert hashlib.sha256(store.original(sub_id)).hexdigest() == sha
        assert store.record(sub_id).sha256 == sha
    assert not any((tmp_path / "staging").iterdir()) if (tmp_path / "staging").exists() else True


def test_decisions_are_final_and_ids_are_checked(tmp_path):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    first = reject(store, stored.id, by="maintainer", reason="power too low")
    assert reject(store, stored.id, by="maintainer", reason="power too low") == first  # re-runnable
    with pytest.raises(StoreError, match="already rejected"):
        accept(store, stored.id, by="other", cohort="2025-12", acks=CLASS_ACK)
    with pytest.raises(StoreError, match="not a submission id"):
        store.record("../../etc/passwd")
    with pytest.raises(StoreError, match="No submission"):
        store.record("0" * 16)
    with pytest.raises(ValidationError, match="reason"):
        reject(store, stored.id, by="m", reason=" ")


class FakeHub:
    """Stands in for huggingface_hub.HfApi: a head that moves, commits that can conflict or fail."""

    def __init__(self, conflicts=0, fail=False):
        self.head, self.commits, self.conflicts, self.fail = "sha-0", [], conflicts, fail

    def repo_info(self, repo_id, repo_type):
        return type("Info", (), {"sha": self.head})()

    def create_commit(self, repo_id, operations, repo_type, parent_commit, commit_message):
        if self.fail:
            raise ConnectionError("Hub unreachable")
        if self.conflicts:
            self.conflicts -= 1
            self.head = f"sha-moved-{self.conflicts}"  # someone else committed meanwhile
            raise RuntimeError("412 Precondition Failed: parent commit is not the head (conflict)")
        assert parent_commit == self.head
        self.commits.append(
            {
                "parent": parent_commit,
                "paths": [op.path_in_repo for op in operations],
                "bodies": [json.loads(op.path_or_fileobj) for op in operations],
            }
        )
        self.head = f"sha-{len(self.commits)}"
        return type("CommitInfo", (), {"oid": self.head})()


def test_accept_pushes_one_atomic_commit(tmp_path):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    hub = FakeHub(conflicts=1)
    outcome = accept(
        store,
        stored.id,
        by="m",
        cohort="2025-12",
        publisher=HubPublisher("org/results", hub, backoff_s=0),
        acks=CLASS_ACK,
    )
    assert outcome.pushed and outcome.error is None
    assert len(hub.commits) == 1 and hub.commits[0]["paths"] == [f"accepted/{stored.id}.json"]
    assert hub.commits[0]["bodies"][0]["gpu_energy_wh_per_1k"] == pytest.approx(30.0)
    assert store.queued() == []


def test_failed_push_stays_queued_with_its_error_and_is_retried(tmp_path):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    hub = FakeHub(fail=True)
    outcome = accept(
        store,
        stored.id,
        by="m",
        cohort="2025-12",
        publisher=HubPublisher("org/results", hub, backoff_s=0),
        acks=CLASS_ACK,
    )
    assert not outcome.pushed and outcome.error is not None and "Hub unreachable" in outcome.error
    [entry] = store.queued()
    assert entry.id == stored.id and entry.attempts == 1 and "Hub unreachable" in (entry.last_error or "")
    assert store.status(stored.id) == "accepted"  # accepted locally, nothing lost
    hub.fail = False
    pushed, error = publish_queued(store, HubPublisher("org/results", hub, backoff_s=0))
    assert pushed == [stored.id] and error is None and store.queued() == []
    assert publish_queued(store, HubPublisher("org/results", hub, backoff_s=0)) == ([], None)  # pushed once
    assert len(hub.commits) == 1


def test_round_trip_check_submit_accept_then_on_the_leaderboard(tmp_path, monkeypatch):
    monkeypatch.setenv("AIES_STORE_DIR", str(tmp_path / "store"))
    data = make_zip(v2_files(model="newco/efficient-7b", gpu_wh=5.0))
    zip_path = tmp_path / "run.zip"
    zip_path.write_bytes(data)
    cli = [sys.executable, "-m", "leaderboard.submissions"]
    env = {"AIES_STORE_DIR": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    checked = subprocess.run([*cli, "check", str(zip_path)], cwd=ROOT, capture_output=True, text=True, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "5.00" in checked.stdout and "VALID" in checked.stdout  # 0.005 kWh per 1,000 = 5 Wh
    store = Store(tmp_path / "store")
    report = check_zip(
        data, Claim(task="text_generation", model="newco/efficient-7b", model_class="A", hardware="NVIDIA H100 80GB")
    )
    stored = submit(store, data, report, form(model="newco/efficient-7b"), ALL_ATTESTED)
    listed = subprocess.run([*cli, "list"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert stored.id in listed.stdout and "pending" in listed.stdout
    accepted = subprocess.run(
        [*cli, "accept", stored.id, "--by", "maintainer", *CLASS_ACK_CLI],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "cohort 2025-12" in accepted.stdout
    exported = subprocess.run(
        [sys.executable, "-m", "leaderboard", "export", "--task", "text_generation"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    assert exported.returncode == 0 and "newco/efficient-7b" in exported.stdout, exported.stderr
    assert "newco/efficient-7b" not in set(load_results().results.frame["model"])  # sources never read the store
    rows = load_results(accepted=store.accepted_rows()).results.task("text_generation").cohort("2025-12")
    rows = rows.model_class("A").frame
    row = rows[rows["model"] == "newco/efficient-7b"].iloc[0]
    assert row["stars"] == 5 and row["status"] == "accepted"  # 5 Wh is the lowest of the group
    assert row["gpu_energy_wh_per_1k"] == pytest.approx(5.0)
    # What backs it: a warning was acknowledged, so it is held with that warning and the reason given.
    assert row["evidence"] == "held with acknowledged warnings"
    assert row["evidence_note"] == "Class rules: parameter count checked on the model card"
    # One window, no repeats: the v2 harness's measured run-to-run spread.
    assert row["uncertainty_source"] == "harness" and row["energy_rel_uncertainty"] == pytest.approx(0.127)


def test_check_cli_exit_codes(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(make_zip({"run/benchmark_report.json": "{"}))
    proc = subprocess.run(
        [sys.executable, "-m", "leaderboard.submissions", "check", str(bad)], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 1 and "truncated JSON" in proc.stdout and "INVALID" in proc.stdout


def test_accept_again_completes_and_a_different_cohort_is_refused(tmp_path):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    first = accept(store, stored.id, by="m", cohort="2025-12", acks=CLASS_ACK)
    again = accept(store, stored.id, by="m", cohort="2025-12", acks=CLASS_ACK)
    assert again.row == first.row and store.accepted_rows() == [first.row]
    with pytest.raises(StoreError, match="already accepted into cohort 2025-12"):
        accept(store, stored.id, by="m", cohort="2026-01", acks=CLASS_ACK)
    with pytest.raises(StoreError, match="already accepted"):
        reject(store, stored.id, by="m", reason="late")


@pytest.mark.parametrize("cohort", ["garbage", "2025-13", "0000-01", "2023-12", "9999-01", "2025-1", " 2025-12", ""])
def test_cohorts_are_validated_before_anything_is_written(tmp_path, cohort):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    with pytest.raises(ValidationError, match="is not a leaderboard round"):
        accept(store, stored.id, by="m", cohort=cohort, acks=CLASS_ACK)
    assert store.status(stored.id) == "pending"


def test_every_warning_needs_an_acknowledgement_with_a_reason(tmp_path):
    store = Store(tmp_path)
    data = make_zip(v2_files(num_samples=500, gpu_wh=15.0))
    report = check_zip(data, Claim("text_generation", "org/model", "A", "NVIDIA H100 80GB"))
    assert report.valid
    stored = submit(store, data, report, form(), ALL_ATTESTED)
    with pytest.raises(ValidationError, match=r"2 unacknowledged warning.*\[Protocol\].*queries: 500.*\[Class rules\]"):
        accept(store, stored.id, by="m", cohort="2025-12")
    with pytest.raises(ValidationError, match=r"1 unacknowledged warning.*--ack \"Protocol\" --reason"):
        accept(store, stored.id, by="m", cohort="2025-12", acks=CLASS_ACK)
    with pytest.raises(ValidationError, match="unacknowledged"):  # an empty reason is no reason
        accept(store, stored.id, by="m", cohort="2025-12", acks={**CLASS_ACK, "Protocol": "  "})
    assert store.status(stored.id) == "pending"
    acks = {**CLASS_ACK, "Protocol": "500-query run agreed with the team"}
    outcome = accept(store, stored.id, by="m", cohort="2025-12", acks=acks)
    assert "override: Protocol: 500-query run agreed with the team" in (outcome.row.notes or "")
    decision = store.decision(stored.id)
    assert decision.off_protocol_override == "Protocol: 500-query run agreed with the team"
    assert decision.acknowledged == acks
    assert accept(store, stored.id, by="m", cohort="2025-12").row == outcome.row  # a re-run completes, same acks
    _, _, on_protocol = submitted(store, model="org/other")
    with pytest.raises(ValidationError, match="no warning 'Protocol' to acknowledge"):
        accept(store, on_protocol.id, by="m", cohort="2025-12", acks={**CLASS_ACK, "Protocol": "why not"})


def test_fake_meter_runs_cannot_be_accepted(tmp_path):
    from harness.zips import runner_files

    store = Store(tmp_path)
    data = make_zip(runner_files(gpu="Fake GPU (constant power)", driver="fake"))
    report = check_zip(data)
    f = form(model="openai-community/gpt2", hardware="Fake GPU (constant power)")
    stored = submit(store, data, report, f, ALL_ATTESTED)
    with pytest.raises(ValidationError, match="fake meter"):
        accept(store, stored.id, by="m", cohort="2025-12", acks={"GPU is a GPU": "x"})


@pytest.mark.parametrize(
    "model, expected",
    [
        ("org/mоdel", "U+043E CYRILLIC SMALL LETTER O"),
        ("openai-community/gpt2\u200b", "U+200B"),
        ("gpt2", "must be a Hub id"),
        ("org/-model", "must be a Hub id"),
        ("org/model--x", "must be a Hub id"),
        ("org/model.git", "must be a Hub id"),
        ("org/" + "m" * 97, "must be a Hub id"),
    ],
)
def test_model_ids_follow_the_hub_rules(tmp_path, model, expected):
    data = make_zip(energy_star_files())
    with pytest.raises(ValidationError, match=re.escape(expected)):
        submit(Store(tmp_path), data, check_zip(data), form(model=model), ALL_ATTESTED)


def _age(*paths):
    an_hour_ago = time.time() - 3600
    for path in paths:
        os.utime(path, (an_hour_ago, an_hour_ago), follow_symlinks=False)


def test_stale_staging_and_temporary_files_are_swept(tmp_path):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    old, young = tmp_path / "staging" / staging_name(stored.id), tmp_path / "staging" / staging_name(stored.id)
    for folder in (old, young):
        folder.mkdir(parents=True)
        (folder / "original.zip").write_bytes(b"partial")
        (folder / temp_name(".record.json.")).write_bytes(b"{")
    tmp = tmp_path / "submissions" / stored.id / temp_name(".decision.json.")
    tmp.write_bytes(b"{")
    (tmp_path / "submissions" / stored.id / "resubmissions").mkdir()
    form_tmp = tmp_path / "submissions" / stored.id / "resubmissions" / temp_name(".1.json.")
    form_tmp.write_bytes(b"{")
    not_ours = [tmp_path / "staging" / "dead-1", tmp_path / "submissions" / stored.id / ".notes.tmp"]
    not_ours[0].mkdir()
    not_ours[1].write_bytes(b"kept")
    _age(old, tmp, form_tmp, *not_ours)
    assert store.sweep() == 3
    assert not old.exists() and young.exists() and not tmp.exists() and not form_tmp.exists()
    assert all(p.exists() for p in not_ours)  # the store removes only names it makes
    assert store.ids() == [stored.id] and store.status(stored.id) == "pending"


def _outside(tmp_path):
    """A folder outside the store holding what a sweep would remove if it were in the store."""
    outside = tmp_path / "outside"
    victim = outside / staging_name("0" * 16)
    victim.mkdir(parents=True)
    files = [victim / "original.zip", victim / "record.json", outside / temp_name(".record.json."), outside / "x.txt"]
    for f in files:
        f.write_bytes(b"not the store's")
    _age(victim, outside, *files)
    return outside, victim, files


def test_sweep_never_follows_a_link_out_of_the_store(tmp_path):
    outside, victim, files = _outside(tmp_path)
    store = Store(tmp_path / "store")
    _, _, stored = submitted(store)
    links = {
        # a link named like a staging folder, pointing at a folder outside
        tmp_path / "store" / "staging" / staging_name(stored.id): victim,
        # a link named like a submission folder, and the queue folder as a link
        tmp_path / "store" / "submissions" / ("f" * 16): outside,
        tmp_path / "store" / "queue": outside,
    }
    real = tmp_path / "store" / "staging" / staging_name(stored.id)  # a real staging folder holding a link
    real.mkdir()
    links[real / "original.zip"] = files[0]
    for link, target in links.items():
        link.symlink_to(target)
    _age(real, *links)
    assert store.sweep() == 0
    assert all(f.read_bytes() == b"not the store's" for f in files)  # nothing outside the store was touched
    assert all(link.is_symlink() for link in links) and real.is_dir()  # nor the links: they are not the store's
    # The store folder's own folders as links out of it: staging, and the store folder itself.
    other = Store(tmp_path / "other")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "staging").symlink_to(outside)
    assert other.sweep() == 0 and all(f.exists() for f in files) and victim.is_dir()
    assert Store(tmp_path / "store-link").sweep() == 0  # missing: nothing to do
    (tmp_path / "store-link").symlink_to(tmp_path / "store")  # a configured link to the store is followed once
    _age(*(tmp_path / "store" / "submissions" / stored.id).iterdir())
    assert Store(tmp_path / "store-link").sweep() == 0 and all(f.exists() for f in files)


def test_read_only_or_full_store_is_a_one_line_error(tmp_path, monkeypatch):
    import errno

    from leaderboard.submissions import store_files

    store = Store(tmp_path)
    _, _, stored = submitted(store)

    class Full(store_files.Ops):
        def write_temp(self, folder, prefix, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_files, "OPS", Full())
    with pytest.raises(StoreError) as info:
        accept(store, stored.id, by="m", cohort="2025-12", acks=CLASS_ACK)
    message = str(info.value)
    assert "No space left on device" in message and "\n" not in message and str(tmp_path) not in message
    assert store.status(stored.id) == "pending"
    data = make_zip(v2_files(model="org/new"))
    with pytest.raises(StoreError, match="cannot be read or written"):
        submit(store, data, check_zip(data), form(model="org/new"), ALL_ATTESTED)


def _no_room():
    """In the child: every write of a byte fails with EFBIG, as on a full disk (root included)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def test_cli_reports_a_full_store_in_one_line_and_a_rerun_completes(tmp_path):
    store = Store(tmp_path / "store")
    _, _, stored = submitted(store)
    env = {"AIES_STORE_DIR": str(tmp_path / "store"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    cli = [sys.executable, "-m", "leaderboard.submissions", "accept", stored.id, "--cohort", "2025-12", *CLASS_ACK_CLI]
    full = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, env=env, preexec_fn=_no_room)
    assert full.returncode == 2, full.stderr
    assert full.stderr.count("\n") == 1 and full.stderr.startswith(
        "error: The submission store cannot be read or written"
    )
    assert "Traceback" not in full.stderr and str(tmp_path) not in full.stderr
    assert store.status(stored.id) == "pending"
    again = subprocess.run(cli, cwd=ROOT, capture_output=True, text=True, env=env)
    assert again.returncode == 0 and store.status(stored.id) == "accepted"


def cli(*args):
    from leaderboard.submissions.__main__ import main

    return main(list(args))


def test_list_is_oldest_first_newest_last(tmp_path, monkeypatch, capsys):
    from leaderboard.submissions import workflow

    zips = [make_zip(v2_files(model=f"org/model-{i}", gpu_wh=20.0 + i)) for i in range(3)]
    by_id = sorted(zips, key=lambda z: hashlib.sha256(z).hexdigest(), reverse=True)  # ids in falling order
    store = Store(tmp_path / "store")  # the store the settings name (conftest)
    for i, data in enumerate(by_id):
        monkeypatch.setattr(workflow, "now_iso", lambda i=i: f"2025-06-0{i + 1}T10:00:00Z")
        report = check_zip(data)
        submit(store, data, report, form(model=report.parsed.model), ALL_ATTESTED)
    expected = [hashlib.sha256(z).hexdigest()[:16] for z in by_id]
    assert [r.id for r in store.newest_last()] == expected != sorted(expected)
    assert cli("list") == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == expected  # newest last, as documented, whatever the ids' order


def test_a_store_that_is_a_file_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "store").write_text("not a folder")
    assert cli("list") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file, not a folder" in err and "AIES_STORE_DIR" in err
    with pytest.raises(StoreError, match="is a file"):
        Store(tmp_path / "store").record("0" * 16)


def test_ids_on_the_command_line_may_be_shortened_but_never_ambiguous(tmp_path, capsys):
    store = Store(tmp_path / "store")
    _, _, stored = submitted(store)
    record = (tmp_path / "store" / "submissions" / stored.id / "record.json").read_bytes()
    for twin in ("abcdef0123456789", "abcdef01aaaaaaaa"):
        (tmp_path / "store" / "submissions" / twin).mkdir()
        (tmp_path / "store" / "submissions" / twin / "record.json").write_bytes(record)
    assert store.find(stored.id) == stored.id == store.find(stored.id[:8].upper())
    assert store.find("abcdef012") == "abcdef0123456789"
    with pytest.raises(StoreError, match="abcdef01 is the start of 2 submission ids"):
        store.find("abcdef01")
    for given in ("abcdef0", "", "abcdef01x", "0" * 17, "../../etc"):
        with pytest.raises(StoreError, match="at least its first 8"):
            store.find(given)
    with pytest.raises(StoreError, match="No submission 12345678"):
        store.find("12345678")
    assert cli("reject", "abcdef01", "--reason", "x") == 2
    assert "is the start of 2 submission ids" in capsys.readouterr().err
    assert store.status("abcdef0123456789") == store.status("abcdef01aaaaaaaa") == "pending"
    assert cli("show", stored.id[:10]) == 0
    assert json.loads(capsys.readouterr().out)["record"]["id"] == stored.id


def test_a_losing_decision_exits_non_zero_naming_the_recorded_one(tmp_path, capsys):
    store = Store(tmp_path / "store")
    _, _, stored = submitted(store)
    reject(store, stored.id, by="alice", reason="power too low")
    assert cli("accept", stored.id, "--by", "bob", "--cohort", "2025-12", *CLASS_ACK_CLI) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"Submission {stored.id} was already rejected by alice on " in err and "power too low" in err
    assert "Decisions are final" in err and store.decision(stored.id).by == "alice"


# --- accept judges the stored zip again with today's checker ------------------------------------


def _snapshot(folder):
    """Every file under ``folder``: its bytes and modification time (what a refused accept must not touch)."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _stored_with_verdict(store, data, f, checks=None):
    """Store ``data`` with the form ``f`` and a verdict of submit time: the checks of ``data`` judged with no
    claim, or ``checks`` (a verdict an older, laxer checker gave, or a record written by hand)."""
    from dataclasses import replace

    from leaderboard.submissions.record import SubmissionRecord
    from leaderboard.submissions.store import now_iso, submission_id

    report = check_zip(data)
    record = SubmissionRecord(
        submission_id(report.sha256),
        report.sha256,
        report.size_bytes,
        now_iso(),
        f,
        tuple(name for name, _ in ATTESTATIONS),
        report.parsed,
        report.checks if checks is None else checks,
    )
    return store.add(data, replace(record))


def _passing(data):
    from leaderboard.submissions import Check

    return tuple(Check(c.name, "pass", "passed at submit time") for c in check_zip(data).checks)


@pytest.mark.parametrize(
    "data, f, verdict, failed",
    [
        # judged at submit with no claim (valid); the form's board is not the one the logs ran on
        (make_zip(v2_files(gpu="NVIDIA A100-SXM4-80GB")), form(), None, "Hardware as claimed"),
        # the form's effort contradicts the logs (the page of the time did not compare it)
        (
            make_zip(energy_star_files(task="text-generation")),
            form(task="reasoning", reasoning_effort="low", hardware="NVIDIA H100 80GB"),
            "reasoning-high",
            "Reasoning effort as claimed",
        ),
        # a stored verdict of all-pass for a zip whose files disagree (an older checker, or a hand-made record)
        ("disagreeing", form(), "all-pass", "Files agree"),
    ],
)
def test_accept_refuses_what_todays_checker_fails_and_changes_nothing(tmp_path, data, f, verdict, failed):
    store = Store(tmp_path)
    if verdict == "reasoning-high":
        files = energy_star_files()
        files["run/benchmark_config.json"]["scenario"].update(
            reasoning=True, reasoning_params={"reasoning_effort": "high"}
        )
        data = make_zip(files)
    if data == "disagreeing":
        files = v2_files()
        files["run/GPU_ENERGY_WH.txt"] = "99.00\n"
        data = make_zip(files)
    stored = _stored_with_verdict(store, data, f, _passing(data) if verdict == "all-pass" else None)
    assert all(c.status != "fail" for c in store.record(stored.id).checks)  # the stored verdict says valid
    before = _snapshot(tmp_path)
    with pytest.raises(
        ValidationError, match=rf"fails today's checker \(\d+ failed check\(s\)\): .*\[{failed}\]"
    ) as err:
        accept(store, stored.id, by="m", cohort="2025-12", acks={**CLASS_ACK, "Protocol": "x"})
    assert f"reject {stored.id} --reason" in str(err.value)
    assert _snapshot(tmp_path) == before and store.status(stored.id) == "pending"  # nothing written, nothing lost


def test_a_warning_todays_checker_raises_must_be_acknowledged_even_if_the_stored_verdict_lacks_it(tmp_path):
    from leaderboard.submissions import Check

    store = Store(tmp_path)
    data = make_zip(v2_files(model="org/model", gpu_wh=15.0))
    stored_checks = tuple(c for c in check_zip(data).checks if c.name != "Class rules")  # judged with no class
    stored = _stored_with_verdict(store, data, form(), (*stored_checks, Check("Retired check", "warn", "old")))
    before = _snapshot(tmp_path)
    with pytest.raises(
        ValidationError,
        match=r"1 unacknowledged warning.*\[Class rules\].*New since it was submitted "
        r"\(today's checker raises them\): Class rules\..*--ack \"Class rules\" --reason",
    ) as err:
        accept(store, stored.id, by="m", cohort="2025-12")
    assert "Retired check" not in str(err.value)  # a warning that no longer exists holds nothing
    assert _snapshot(tmp_path) == before
    with pytest.raises(ValidationError, match="no warning 'Never a warning' to acknowledge"):
        accept(store, stored.id, by="m", cohort="2025-12", acks={**CLASS_ACK, "Never a warning": "x"})
    # acknowledged at review, gone today: fine, and not recorded as standing for anything
    outcome = accept(store, stored.id, by="m", cohort="2025-12", acks={**CLASS_ACK, "Retired check": "seen"})
    assert store.decision(stored.id).acknowledged == CLASS_ACK
    assert outcome.row.gpu_energy_wh_per_1k == pytest.approx(15.0)


def test_the_stored_zip_must_be_the_one_its_record_names(tmp_path):
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    (tmp_path / "submissions" / stored.id / "original.zip").write_bytes(make_zip(v2_files(gpu_wh=9.0)))
    with pytest.raises(StoreError, match="store is damaged"):
        accept(store, stored.id, by="m", cohort="2025-12", acks=CLASS_ACK)
    assert store.status(stored.id) == "pending"


def test_the_current_round_is_the_registrys_never_a_data_rows(tmp_path, monkeypatch):
    from leaderboard.results import Results
    from leaderboard.submissions.workflow import joining_cohort, result_row
    from leaderboard.tasks import ROUNDS
    from tests.builders import make_frame, row

    monkeypatch.delenv("AIES_CURRENT_COHORT", raising=False)
    far = Results.from_frame(make_frame([row(task="text_generation", cohort="2099-01"), row(task="asr")]))
    assert "2099-01" in far.values("cohort")
    assert joining_cohort() == max(r.cohort for r in ROUNDS) == "2025-12"
    store = Store(tmp_path)
    _, _, stored = submitted(store)
    pending = far.with_pending([result_row(r, joining_cohort(), r.id) for r in store.pending()])
    assert set(pending.statuses("pending").values("cohort")) == {"2025-12"}
    outcome = accept(store, stored.id, by="m", cohort=joining_cohort(), acks=CLASS_ACK)
    assert outcome.row.cohort == "2025-12"
    monkeypatch.setenv("AIES_CURRENT_COHORT", "2099-01")  # a setting is a cohort only within the rules
    with pytest.raises(ValidationError, match="AIES_CURRENT_COHORT: Cohort '2099-01' is not a leaderboard round"):
        joining_cohort()
    monkeypatch.setenv("AIES_CURRENT_COHORT", "2026-01")
    assert joining_cohort() == "2026-01"

"""Crash injection: submit, accept (with and without a Hub push) and reject fail at every write step
of the store, by a full disk (OSError) or a killed process (before or half-way through a write).
After each failure the store shows the old state or the new one, never a mix; running the same
command again completes it, to the state a clean run leaves."""

import errno
import shutil
from dataclasses import replace

import pytest

from harness.zips import make_zip, v2_files
from leaderboard.errors import StoreError
from leaderboard.submissions import ATTESTATIONS, Claim, Form, check_zip, store_files
from leaderboard.submissions.publish import HubPublisher
from leaderboard.submissions.store import Store
from leaderboard.submissions.workflow import accept, reject, submit
from tests.test_store import FakeHub

ALL_ATTESTED = {name: True for name, _ in ATTESTATIONS}
FORM = Form("org/model", "text_generation", "A", "BF16", None, "dev@example.org", "NVIDIA H100 80GB")
DATA = make_zip(v2_files(gpu_wh=30.0))  # the December 2025 round's harness: accepted without an override
REPORT = check_zip(DATA, Claim("text_generation", "org/model", "A", "NVIDIA H100 80GB"))


class Killed(BaseException):
    """The process died here (not an Exception: nothing in the store may catch it)."""


class Failing(store_files.Ops):
    """The store's steps, counted; step ``fail_at`` fails the way ``mode`` says."""

    def __init__(self, fail_at=0, mode="full"):
        self.calls, self.fail_at, self.mode = 0, fail_at, mode

    def _step(self):
        self.calls += 1
        if self.calls == self.fail_at:
            if self.mode == "full":
                raise OSError(errno.ENOSPC, "No space left on device")
            raise Killed()

    def write_temp(self, folder, prefix, data):
        self.calls += 1
        if self.calls == self.fail_at and self.mode == "half":
            (folder / store_files.temp_name(prefix)).write_bytes(data[: len(data) // 2])
            raise Killed()
        self.calls -= 1
        self._step()
        return super().write_temp(folder, prefix, data)

    def mkdir(self, path):
        self._step()
        super().mkdir(path)

    def replace(self, src, dst):
        self._step()
        super().replace(src, dst)

    def link(self, src, dst):
        self._step()
        super().link(src, dst)

    def rename_dir(self, src, dst):
        self._step()
        super().rename_dir(src, dst)

    def unlink(self, path, dir_fd=None):
        self._step()
        super().unlink(path, dir_fd)

    def rmdir(self, path, dir_fd=None):
        self._step()
        super().rmdir(path, dir_fd)


def visible(store):
    """What anyone reading the store sees: submissions, their status, accepted rows, the push state."""
    ids = store.ids()
    return (
        ids,
        {i: store.status(i) for i in ids},
        {i: (replace(store.record(i), submitted=""), store.original(i)) for i in ids},  # the time differs
        {i: row.to_dict() for i, row in store.accepted().items()},
        sorted(e.id for e in store.queued()),
        sorted(i for i in ids if store.pushed(i)),
    )


def stray_files(root):
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.name.endswith(store_files.TEMP_SUFFIX) or "staging/" in str(p)
    )


@pytest.fixture
def pending(tmp_path):
    """A store holding one pending submission, as a template to copy."""
    template = tmp_path / "template"
    stored = submit(Store(template), DATA, REPORT, FORM, ALL_ATTESTED)
    return template, stored.id


def _operations(sub_id):
    hub = {}

    def with_hub(store):
        hub["api"] = FakeHub()
        return accept(
            store,
            sub_id,
            by="m",
            cohort="2025-12",
            publisher=HubPublisher("org/r", hub["api"], backoff_s=0),
            acks={"Class rules": "checked"},
        )

    return {
        "accept": lambda store: accept(store, sub_id, by="m", cohort="2025-12", acks={"Class rules": "checked"}),
        "accept and push": with_hub,
        "reject": lambda store: reject(store, sub_id, by="m", reason="duplicate run"),
    }


def _count_steps(template, tmp_path, operation, name):
    clean = tmp_path / f"clean-{name}"
    shutil.copytree(template, clean)
    counter = Failing()
    store_files.OPS = counter
    try:
        operation(Store(clean))
    finally:
        store_files.OPS = store_files.Ops()
    return counter.calls, visible(Store(clean))


@pytest.mark.parametrize("name", ["accept", "accept and push", "reject"])
@pytest.mark.parametrize("mode", ["full", "killed", "half"])
def test_decisions_survive_a_failure_at_every_write_step(pending, tmp_path, monkeypatch, name, mode):
    template, sub_id = pending
    operation = _operations(sub_id)[name]
    old = visible(Store(template))
    steps, new = _count_steps(template, tmp_path, operation, name)
    assert steps >= 3  # mkdir, temp file, link (+ the push record)
    for k in range(1, steps + 1):
        root = tmp_path / f"{name}-{mode}-{k}"
        shutil.copytree(template, root)
        store = Store(root)
        monkeypatch.setattr(store_files, "OPS", Failing(k, mode))
        with pytest.raises((StoreError, Killed)):
            operation(store)
        monkeypatch.setattr(store_files, "OPS", store_files.Ops())
        seen = visible(store)
        assert seen[:4] in (old[:4], new[:4]), f"step {k}: a mix of old and new"
        accepted = set(seen[3])
        assert accepted == set(seen[4]) | set(seen[5]), f"step {k}: an accepted result neither queued nor pushed"
        operation(store)  # run the same command again: it completes
        assert visible(store) == new, f"step {k}: the re-run did not complete"
        store.sweep(stale_s=-1)
        assert stray_files(root) == []


@pytest.mark.parametrize("mode", ["full", "killed", "half"])
def test_submit_survives_a_failure_at_every_write_step(tmp_path, monkeypatch, mode):
    def operation(store):
        return submit(store, DATA, REPORT, FORM, ALL_ATTESTED)

    empty = tmp_path / "empty"
    empty.mkdir()
    steps, new = _count_steps(empty, tmp_path, operation, "submit")
    old = visible(Store(empty))
    for k in range(1, steps + 1):
        root = tmp_path / f"submit-{mode}-{k}"
        shutil.copytree(empty, root)
        store = Store(root)
        monkeypatch.setattr(store_files, "OPS", Failing(k, mode))
        try:
            operation(store)
        except (StoreError, Killed):
            pass  # a failure at the last step (removing an empty staging folder) may come after the commit
        monkeypatch.setattr(store_files, "OPS", store_files.Ops())
        assert visible(store) in (old, new), f"step {k}: a half-stored submission is visible"
        operation(store)
        assert visible(store) == new
        store.sweep(stale_s=-1)
        assert stray_files(root) == []


@pytest.mark.parametrize("mode", ["full", "killed", "half"])
def test_a_resubmitted_form_is_kept_whole_or_not_at_all(pending, tmp_path, monkeypatch, mode):
    template, sub_id = pending
    other = replace(FORM, contact="other@example.org")

    def operation(store):
        return submit(store, DATA, REPORT, other, ALL_ATTESTED)

    steps, _ = _count_steps(template, tmp_path, operation, "resubmit")
    assert steps >= 3
    for k in range(1, steps + 1):
        root = tmp_path / f"resubmit-{mode}-{k}"
        shutil.copytree(template, root)
        store = Store(root)
        monkeypatch.setattr(store_files, "OPS", Failing(k, mode))
        try:
            operation(store)
        except (StoreError, Killed):
            pass  # removing the temporary file comes after the form is in place
        monkeypatch.setattr(store_files, "OPS", store_files.Ops())
        assert [r.form for r in store.resubmissions(sub_id)] in ([], [other]), f"step {k}"
        assert store.record(sub_id).form == FORM
        operation(store)
        assert [r.form for r in store.resubmissions(sub_id)] == [other]
        store.sweep(stale_s=-1)
        assert stray_files(root) == []

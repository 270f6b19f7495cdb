"""Every task fact is in the task registry (``leaderboard.tasks``): a twelfth task added to a copy of
the registry is rated, checked for plausibility and protocol, and given offline inputs by the runner,
with no other file changed."""

from __future__ import annotations

import pytest

from harness.zips import H100, energy_star_files, make_zip
from leaderboard import tasks
from leaderboard.rating import rate
from leaderboard.schema import validate_frame
from leaderboard.submissions import Claim, check_zip
from leaderboard.submissions.plausibility import band_verdict, published_range
from leaderboard.submissions.protocol import OFFICIAL_INPUTS, RunSetup, differences
from leaderboard.tasks import FORWARD_PHASES, MAX_STARS, Protocol, QueryInputs, Task
from runner.inputs import offline_sample
from tests.builders import make_frame, row

TWELFTH = Task(
    "video_classification",
    "Video Classification",
    "AIEnergyScore/video_classification",
    ("video",),
    "video-classification",
    FORWARD_PHASES,
    Protocol(batch_size=4),
    inputs=QueryInputs("image", size=(112, 112)),
    published_range_wh_per_1k=(0.5, 20.0),
)


@pytest.fixture
def twelve(monkeypatch):
    """The registry with the twelfth task: the one shared mapping gains it (restored after the test)."""
    monkeypatch.setitem(tasks.TASKS_BY_ID, TWELFTH.id, TWELFTH)
    monkeypatch.setattr(tasks, "TASKS", (*tasks.TASKS, TWELFTH))
    monkeypatch.setattr(tasks, "TASK_IDS", (*tasks.TASK_IDS, TWELFTH.id))


def test_the_registry_has_eleven_tasks_and_every_fact_for_each():
    assert len(tasks.TASKS) == 11 and TWELFTH.id not in tasks.TASKS_BY_ID
    for task in tasks.TASKS:
        lo, hi = task.published_range_wh_per_1k
        assert 0 < lo < hi, task.id
        assert task.inputs.kind in ("text", "image", "prompt", "audio"), task.id
        assert offline_sample(task.id, 2).queries, task.id


def test_a_twelfth_task_is_rated(twelve):
    frame = make_frame([row(task=TWELFTH.id, energy=e, cohort="2026-01") for e in (1.0, 3.0, 5.0)])
    valid, rejected = validate_frame(frame)[:2]
    assert rejected == [] and len(valid) == 3
    stars = rate(valid).sort_values("gpu_energy_wh_per_1k")["stars"].tolist()
    assert stars == [MAX_STARS, 3, 1]


def test_a_twelfth_task_has_its_plausibility_band(twelve):
    assert published_range(TWELFTH.id) == (0.5, 20.0)
    assert band_verdict(TWELFTH.id, 2.0)[0] == "pass"
    assert band_verdict(TWELFTH.id, 20.0 * 50)[0] == "warn"
    assert band_verdict(TWELFTH.id, 20.0 * 500)[0] == "fail"


def test_a_twelfth_task_has_its_protocol(twelve):
    on = RunSetup(tool="runner", num_queries=1000, batch_size=4, dtype="float32", inputs_source=OFFICIAL_INPUTS)
    assert differences(TWELFTH, on) == []
    assert any("batch" in d for d in differences(TWELFTH, RunSetup(tool="runner", num_queries=1000, batch_size=1)))


def test_a_twelfth_task_goes_through_the_checker(twelve):
    files = energy_star_files(task="video-classification", batch_size=4)
    report = check_zip(make_zip(files), Claim(task=TWELFTH.id, hardware=H100))
    checks = {c.name: c for c in report.checks}
    assert report.parsed is not None and report.parsed.task == TWELFTH.id
    assert checks["Counted phases present"].status == "pass"
    assert checks["Protocol"].status == "pass", checks["Protocol"].message
    assert checks["Energy plausible"].status == "pass" and "0.5–20" in checks["Energy plausible"].message
    assert checks["Task as claimed"].status == "pass"
    off = check_zip(make_zip(energy_star_files(task="video-classification", batch_size=1)), Claim(task=TWELFTH.id))
    assert {c.name: c for c in off.checks}["Protocol"].status == "warn"


def test_the_runner_builds_inputs_for_a_twelfth_task(twelve):
    sample = offline_sample(TWELFTH.id, 3)
    assert sample.queries == [("image", 112, 112, 0), ("image", 112, 112, 1), ("image", 112, 112, 2)]
    assert "112x112 px" in sample.description


def test_tasks_whose_logs_cannot_be_told_apart_are_those_of_one_pipeline(twelve):
    assert tasks.same_logs("reasoning", "text_generation") and tasks.same_logs("asr", "asr")
    assert not tasks.same_logs("asr", "text_generation") and not tasks.same_logs(TWELFTH.id, "image_classification")
    assert not tasks.same_logs("nonsense", "text_generation")
    pairs = {(a.id, b.id) for a in tasks.TASKS for b in tasks.TASKS if a.id < b.id and tasks.same_logs(a.id, b.id)}
    assert pairs == {("reasoning", "text_generation")}

"""The reasoning effort on the form against the logs (``leaderboard.submissions.effort``): recorded by
optimum-benchmark's config and this project's runner, a named warning where a layout cannot record it."""

import pytest

from harness.zips import energy_star_files, make_zip, runner_files, v2_files
from leaderboard.runsummary import RunSettings
from leaderboard.submissions import Claim, ParsedRun, check_zip
from leaderboard.submissions.effort import EFFORT_CHECK
from tests.conftest import REFERENCE

CONFIG = "run/benchmark_config.json"


def optimum_zip(*, reasoning=None, effort=None, params=None) -> bytes:
    """optimum-benchmark's energy_star folder; ``reasoning``/``effort``: the scenario's ``reasoning`` flag and
    ``reasoning_params → reasoning_effort`` as the AI Energy Score reasoning configs write them (None: absent)."""
    files = energy_star_files()
    scenario = files[CONFIG]["scenario"]
    if reasoning is not None:
        scenario["reasoning"] = reasoning
    if effort is not None or params is not None:
        scenario["reasoning_params"] = params if params is not None else {"reasoning_effort": effort}
    return make_zip(files)


def runner_zip(effort: str | None) -> bytes:
    settings = RunSettings(new_tokens=None, decode_mode="generate", reasoning_effort=effort, chat_template=True)
    return make_zip(runner_files(task="reasoning", settings=settings))


def claim(effort: str | None, task: str | None = "reasoning") -> Claim:
    return Claim(task=task, reasoning_effort=effort)


def effort_of(report):
    found = [c for c in report.checks if c.name == EFFORT_CHECK]
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize(
    "data, claimed, status, words",
    [
        # optimum-benchmark records the effort in its scenario (reasoning on)
        (optimum_zip(reasoning=True, effort="high"), "high", "pass", "as the logs record"),
        (optimum_zip(reasoning=True, effort="high"), "low", "fail", "ran at reasoning effort 'high'"),
        (optimum_zip(reasoning=True, effort="high"), None, "fail", "The form says no reasoning effort"),
        (optimum_zip(effort="medium"), "medium", "pass", "as the logs record"),  # reasoning flag absent
        (optimum_zip(reasoning=True, effort="minimal"), "low", "fail", "'minimal'"),
        # reasoning off: no effort was applied, whatever its params say
        (optimum_zip(reasoning=False), "high", "fail", "reasoning off"),
        (optimum_zip(reasoning=False, effort="high"), "high", "fail", "reasoning off"),
        (optimum_zip(reasoning=False, effort="high"), None, None, ""),
        # a config that does not say: the effort rests on the form
        (optimum_zip(), "high", "warn", "do not record the reasoning effort"),
        (optimum_zip(), None, None, ""),
        (optimum_zip(reasoning=True, params={}), "low", "warn", "'low' rests on the form"),
        # this project's runner records the effort it was given in its summary's settings
        (runner_zip("medium"), "medium", "pass", "as the logs record"),
        (runner_zip("medium"), "high", "fail", "ran at reasoning effort 'medium'"),
        (runner_zip("medium"), None, "fail", "no reasoning effort"),
        (runner_zip(None), "low", "warn", "do not record"),
        # the v2 runner's report cannot record it: a named warning, never a pass
        (make_zip(v2_files()), "high", "warn", "AIEnergyScore v2 runner (ai_energy_benchmarks)"),
        (make_zip(v2_files()), None, None, ""),
    ],
)
def test_the_effort_on_the_form_is_held_against_the_logs(data, claimed, status, words):
    report = check_zip(data, claim(claimed))
    found = effort_of(report)
    if status is None:
        assert found is None
        return
    assert found is not None and found.status == status, report.checks
    assert words in found.message


def test_a_contradicted_effort_refuses_the_upload_and_a_recorded_one_is_kept():
    assert not check_zip(optimum_zip(reasoning=True, effort="high"), claim("low")).valid
    report = check_zip(optimum_zip(reasoning=True, effort="high"), claim("high"))
    assert report.parsed.reasoning_effort == "high"
    assert ParsedRun.from_json(report.parsed.to_json()) == report.parsed  # the store keeps it


def test_without_a_form_nothing_is_claimed():
    """``check`` on the command line without a claim: the logs' effort is read, no claim is compared."""
    report = check_zip(optimum_zip(reasoning=True, effort="high"))
    assert effort_of(report) is None and report.parsed.reasoning_effort == "high"


def test_an_effort_that_is_not_text_is_refused_naming_the_field():
    report = check_zip(optimum_zip(reasoning=True, params={"reasoning_effort": ["high"]}), claim("high"))
    assert not report.valid
    assert "reasoning_params → reasoning_effort must be text" in " ".join(c.message for c in report.failures)


def test_the_genuine_v2_folder_with_an_effort_is_held_by_the_named_warning_not_refused():
    data = (REFERENCE / "aies-v2" / "h200_llama1b_random.zip").read_bytes()
    without = check_zip(data, claim(None))
    held = check_zip(data, claim("high"))
    assert effort_of(without) is None
    assert effort_of(held).status == "warn"
    assert [c for c in held.failures] == [c for c in without.failures]  # the effort adds no refusal

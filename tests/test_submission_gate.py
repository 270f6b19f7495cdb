"""The gate against a determined submitter: settings that change the work are never on protocol,
counts are never assumed, claims are checked against the logs."""

from __future__ import annotations

import copy

import pytest

from harness.zips import energy_star_files, make_zip, runner_files, v2_files
from leaderboard.submissions import ATTESTATIONS, Claim, Form, check_zip
from leaderboard.submissions.protocol import setting_departures
from leaderboard.submissions.store import Store
from leaderboard.submissions.workflow import result_row, submit

CLAIM = Claim(task="text_generation", model="org/model", model_class="A", hardware="NVIDIA H100 80GB")
CONFIG = "run/benchmark_config.json"


def check(report, name):
    found = [c for c in report.checks if c.name == name]
    assert found, [c.name for c in report.checks]
    return found[0]


def _with(edit) -> bytes:
    files = energy_star_files()
    edit(files[CONFIG])
    return make_zip(files)


def test_the_builders_config_is_on_protocol():
    report = check_zip(make_zip(energy_star_files()), CLAIM)
    assert report.valid and check(report, "Protocol").status == "pass"


@pytest.mark.parametrize(
    "edit, named",
    [
        (
            lambda c: c["backend"].update(quantization_scheme="bnb", quantization_config={"load_in_4bit": True}),
            "quantization",
        ),
        (lambda c: c["backend"].update(autocast_enabled=True, autocast_dtype="float16"), "autocast"),
        (lambda c: c["backend"].update(model_kwargs={"torch_dtype": "float16"}), "model_kwargs"),
        (lambda c: c["backend"].update(torch_compile=True), "torch_compile"),
        (lambda c: c["backend"].update(attn_implementation="flash_attention_2"), "attn_implementation"),
        (lambda c: c["scenario"].update(truncation=True, max_length=16), "max_length"),
        (lambda c: c["scenario"]["generate_kwargs"].update(max_time=0.01), "max_time"),
        (lambda c: c["scenario"]["generate_kwargs"].update(do_sample=True), "do_sample"),
        (lambda c: c["scenario"].update(dataset_config="short"), "dataset_config"),
        (lambda c: c["scenario"].update(dataset_split="test[:10]"), "dataset_split"),
        (lambda c: c["scenario"].update(text_column_name="title"), "input column"),
        (lambda c: c["scenario"].update(forward_kwargs={"output_hidden_states": False}), "forward_kwargs"),
        (lambda c: c["scenario"]["input_shapes"].update(sequence_length=8), "sequence_length"),
        (lambda c: c["scenario"].update(energy=False), "energy"),
        (lambda c: c["scenario"].update(shortcut=1), "not a setting the protocol knows"),
        (lambda c: c["backend"].update(custom_kernel="fast"), "not a setting the protocol knows"),
    ],
)
def test_settings_that_change_the_work_are_off_protocol(edit, named):
    report = check_zip(_with(edit), CLAIM)
    protocol = check(report, "Protocol")
    assert protocol.status == "warn" and named in protocol.message


def test_reasoning_switched_off_is_off_protocol():
    files = energy_star_files()
    files[CONFIG]["scenario"]["reasoning"] = False
    report = check_zip(make_zip(files), Claim(task="reasoning", model="org/model", model_class="A"))
    assert "chat template: off" in check(report, "Protocol").message


def test_two_different_configs_are_ambiguous():
    files = energy_star_files()
    other = copy.deepcopy(files[CONFIG])
    other["backend"]["torch_dtype"] = "float16"
    files["run/benchmark.json"] = {"config": other, "report": files["run/benchmark_report.json"]}
    report = check_zip(make_zip(files), CLAIM)
    assert report.parsed is None and "different configs" in check(report, "Energy run").message


def test_two_scenario_sections_are_ambiguous():
    files = energy_star_files()
    files[CONFIG]["benchmark"] = dict(files[CONFIG]["scenario"], num_samples=10)
    report = check_zip(make_zip(files), CLAIM)
    assert report.parsed is None and "both a scenario and a benchmark section" in check(report, "Energy run").message


def test_departures_are_bounded_and_named():
    scenario = {f"k{i}": i for i in range(5000)}
    found = setting_departures(scenario, {}, "cfg")
    assert len(found) == 2000 and all("not a setting the protocol knows" in d for d in found[:3])
    report = check_zip(_with(lambda c: c["scenario"].update({f"k{i}": i for i in range(40)})), CLAIM)
    assert "and 28 more settings outside the protocol" in check(report, "Protocol").message


def test_a_runner_summary_without_its_settings_is_refused():
    report = check_zip(make_zip(runner_files(settings=False)))
    assert not report.valid and check(report, "Runner settings recorded").status == "fail"


@pytest.mark.parametrize(
    "edit, named",
    [
        (lambda f: f["energy_score_summary.json"]["settings"].update(new_tokens=5), "new tokens"),
        (lambda f: f["energy_score_summary.json"]["settings"].update(batch_size=8), "different runner settings"),
        (lambda f: f["benchmark_config.json"]["scenario"].update(input_shapes={"batch_size": 4}), "batch size"),
        (lambda f: f["energy_score_summary.json"]["inputs"].update(source="offline"), "inputs"),
        (lambda f: f["energy_score_summary.json"].update(dtype="float16"), "precision"),
        (lambda f: f["benchmark_config.json"]["backend"].update(no_weights=True), "random weights"),
    ],
)
def test_the_runners_settings_must_be_what_its_config_says(edit, named):
    report = check_zip(make_zip(runner_files(tamper=edit)))
    agree = check(report, "Files agree")
    assert agree.status == "fail" and named in agree.message


@pytest.mark.parametrize("where", ["summary", "config"])
def test_random_weights_are_never_the_model(where):
    def edit(files):
        if where == "summary":
            files["energy_score_summary.json"]["no_weights"] = True
            files["benchmark_config.json"]["backend"]["no_weights"] = True
        else:
            files["benchmark_config.json"]["backend"]["no_weights"] = True

    maker = runner_files(tamper=edit) if where == "summary" else _optimum_random()
    report = check_zip(make_zip(maker), CLAIM)
    assert not report.valid and check(report, "Real weights").status == "fail"


def _optimum_random():
    files = energy_star_files()
    files[CONFIG]["backend"]["no_weights"] = True
    return files


@pytest.mark.parametrize(
    "claimed, logged, ids, board",
    [
        ("NVIDIA H100 80GB SXM", "NVIDIA H100 80GB HBM3", (0,), "NVIDIA H100 80GB"),  # one word off: same board
        ("NVIDIA H100 80GB", "NVIDIA H100 80GB HBM3", (0, 1), "2 × NVIDIA H100 80GB"),  # two GPUs: their own board
    ],
)
def test_the_rated_board_comes_from_the_logs_never_the_form(tmp_path, claimed, logged, ids, board):
    data = make_zip(v2_files(gpu=logged, device_ids=ids, gpu_wh=30.0 * len(ids)))
    claim = Claim(task="text_generation", model="org/model", model_class="C", hardware=claimed)
    report = check_zip(data, claim)
    assert report.valid, report.failures
    f = Form("org/model", "text_generation", "C", "BF16", None, "dev@example.org", claimed)
    stored = submit(Store(tmp_path), data, report, f, {name: True for name, _ in ATTESTATIONS})
    row = result_row(Store(tmp_path).record(stored.id), "2025-12", stored.id)
    assert row.hardware == board


@pytest.mark.parametrize(
    "parameters, claimed, status",
    [
        (124_439_808, "A", "pass"),
        (124_439_808, "C", "fail"),  # a 124 M model claimed as class C would be rated among the giants
        (70_000_000_000, "C", "pass"),
        (70_000_000_000, "A", "fail"),
        (None, "C", "warn"),  # not in the logs: held for a maintainer
    ],
)
def test_the_class_is_checked_against_the_parameter_count(parameters, claimed, status):
    data = make_zip(runner_files(parameters=parameters))
    report = check_zip(data, Claim(task="text_generation", model="openai-community/gpt2", model_class=claimed))
    assert check(report, "Class rules").status == status


def test_acks_pair_each_check_with_its_own_reason():
    from leaderboard.errors import ValidationError
    from leaderboard.submissions.__main__ import ack_pairs

    assert ack_pairs(["Class rules", "Harness"], ["card checked", "comparison"]) == {
        "Class rules": "card checked",
        "Harness": "comparison",
    }
    with pytest.raises(ValidationError, match="its own --reason"):
        ack_pairs(["Class rules", "Harness"], ["card checked"])
    with pytest.raises(ValidationError, match="acknowledged twice"):
        ack_pairs(["Harness", "Harness"], ["a", "b"])

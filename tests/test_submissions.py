"""Submission parsing and validation: every layout's figure, the reference report's failed repeats,
consistency, protocol, plausibility, claims, and hostile or broken members named."""

import json
import os

import pytest

from harness.zips import (
    H100,
    docker_files,
    energy,
    energy_star_dev_files,
    energy_star_files,
    make_zip,
    runner_files,
)
from leaderboard.submissions import MAX_ZIP_BYTES, Claim, check_zip
from leaderboard.submissions.checks import CHECKER_ERROR
from tests.conftest import REFERENCE

REFERENCE_REPORT = REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"
CLAIM = Claim(task="text_generation", model="org/model", model_class="A", hardware="NVIDIA H100 80GB")


def failure(report):
    assert not report.valid
    assert all(c.name != CHECKER_ERROR for c in report.checks)
    return " ".join(c.message for c in report.failures)


def check(report, name):
    [found] = [c for c in report.checks if c.name == name]
    return found


# --- the figures of every layout -----------------------------------------------------------------


def test_reference_energy_star_dev_report_counts_its_complete_repeats():
    """The reference report has two failed repeats of ten: measures[4] (the generate window read 0,
    so decode = -prefill) and measures[6] (prefill read 0, decode holds the whole generation). The
    complete repeats count (leaderboard.submissions.repeats says why): 148.54 Wh per 1,000 queries,
    where the plain mean of all ten, 133.71, understated the energy by 11%."""
    report = check_zip(make_zip(energy_star_dev_files(REFERENCE_REPORT.read_bytes())), CLAIM)
    assert report.valid, report.failures
    parsed = report.parsed
    assert parsed.layout == "optimum-benchmark energy_star_dev"
    assert round(parsed.gpu_energy_wh_per_1k, 2) == 148.54
    assert round(parsed.all_repeats_wh_per_1k, 2) == 133.71
    assert parsed.repeats == 10 and parsed.failed_repeats == (4, 6)
    per_phase = {p.name: round(p.gpu_energy_wh_per_1k, 2) for p in parsed.phases}
    assert per_phase == {"preprocess": 0.16, "prefill": 79.99, "decode": 68.39}
    assert {p.repeats for p in parsed.phases if p.name != "preprocess"} == {8}
    repeats = check(report, "Repeats complete")
    assert repeats.status == "warn"
    assert "measures[4]: decode read -80.18" in repeats.message and "measures[6]: prefill read 0" in repeats.message
    assert "148.54" in repeats.message and "133.71" in repeats.message


def test_too_few_complete_repeats_fail():
    report = json.loads(REFERENCE_REPORT.read_text())
    for i in range(6):
        report["prefill"]["measures"][i]["gpu"] = 0.0
    report["prefill"]["energy"]["gpu"] = sum(m["gpu"] for m in report["prefill"]["measures"]) / 10
    result = check_zip(make_zip(energy_star_dev_files(report)))
    assert "Only 3 of 10 repeats are complete" in failure(result)


def test_a_repeat_far_from_the_others_fails_the_run_and_is_never_dropped():
    """One added high repeat must not make the honest ones the outliers, nor be dropped quietly."""
    values = {"prefill": [80.0, 80.2, 79.8, 80.1], "decode": [68.0, 68.1, 68.2, 400.0]}
    report = check_zip(make_zip(runner_files(values_wh_per_1k=values)))
    assert not report.valid and report.parsed.failed_repeats == ()
    assert "disagree" in check(report, "Repeats complete").message


def test_honest_repeats_in_the_minority_are_not_outvoted():
    """Three low 'repeats' beside two honest ones: no majority rule picks the low figure."""
    values = {"prefill": [80.0, 80.0, 8.0, 8.0, 8.0], "decode": [68.0, 68.0, 6.8, 6.8, 6.8]}
    report = check_zip(make_zip(runner_files(values_wh_per_1k=values)))
    assert not report.valid and check(report, "Repeats complete").status == "fail"


def test_an_exclusion_never_lowers_the_figure_below_the_files():
    """A repeat whose prefill read 0 but whose total is high: dropping it would lower the figure."""
    values = {"prefill": [80.0, 80.0, 80.0, 0.0], "decode": [68.0, 68.0, 68.0, 400.0]}
    report = check_zip(make_zip(runner_files(values_wh_per_1k=values)))
    result = check(report, "Repeats complete")
    assert result.status == "fail" and "never lowers" in result.message


def test_a_physically_failed_repeat_is_excluded_whole():
    values = {"prefill": [80.0, 80.2, 79.8, 80.1], "decode": [68.0, 68.1, 68.2, -80.1]}
    at_300_w = {"prefill": 80.0 * 3600 / 300, "decode": 68.1 * 3600 / 300}  # 1,000 queries: Wh per pass = Wh/1k
    report = check_zip(make_zip(runner_files(values_wh_per_1k=values, duration_s=at_300_w)))
    assert report.valid, report.failures
    assert report.parsed.failed_repeats == (3,)
    assert report.parsed.gpu_energy_wh_per_1k == pytest.approx(80.0 + 68.1, rel=1e-9)
    assert check(report, "Repeats complete").status == "warn"


def test_energy_star_current_layout_with_config():
    report = check_zip(make_zip(energy_star_files(num_samples=500)), CLAIM)
    assert report.valid, report.failures
    p = report.parsed
    assert (p.model, p.task, p.num_queries, p.gpu_name, p.gpu_count) == ("org/model", "text_generation", 500, H100, 1)
    # 0.01 + 0.02 + 0.0002 kWh for 500 queries = 30.2 Wh per 500 -> 60.4 Wh per 1,000; load_model never counts.
    assert p.gpu_energy_wh_per_1k == pytest.approx(60.4)
    assert "queries: 500 (protocol: 1,000)" in check(report, "Protocol").message


def test_real_shaped_off_protocol_run_is_valid_and_names_each_difference():
    """An optimum-benchmark energy_star run of Llama-3.1-8B-Instruct on an H100, in the shape such a run
    writes: a custom dataset, max_new_tokens 1000 / min_new_tokens 1, torch_dtype not set. Its figure
    is right (194.68 Wh per 1,000 queries): VALID, with an off-protocol warning naming each difference."""
    model = "meta-llama/Llama-3.1-8B-Instruct"
    files = energy_star_files(
        model=model,
        phases={
            "load_dataset": 4.1337e-05,
            "preprocess_dataset": 5.3812543001185986e-05,
            "load_model": 0.0006107713219307698,
            "prefill": 0.07468241252354346,
            "decode": 0.11994518651169983,
        },
        dataset="jdelavande/ultrachat_200k-Llama-3-8B-Instruct-with-thanks",
        new_tokens={"max_new_tokens": 1000, "min_new_tokens": 1},
        dtype=None,
    )
    report = check_zip(make_zip(files), Claim("text_generation", model, "A", "NVIDIA H100 80GB"))
    assert report.valid, report.failures
    assert round(report.parsed.gpu_energy_wh_per_1k, 2) == 194.68
    protocol = check(report, "Protocol")
    assert protocol.status == "warn" and protocol.message.startswith("Off-protocol")
    for difference in (
        "new tokens: min 1, max 1,000 (protocol: exactly 10)",
        "dataset: jdelavande/ultrachat_200k-Llama-3-8B-Instruct-with-thanks (protocol: AIEnergyScore/text_generation)",
        "precision: not recorded",
    ):
        assert difference in protocol.message
    listed = protocol.message.split("): ", 1)[1]
    assert "queries" not in listed and "batch" not in listed


def test_benchmark_json_layout():
    files = energy_star_files()
    combined = {"config": files["run/benchmark_config.json"], "report": files["run/benchmark_report.json"]}
    report = check_zip(make_zip({"benchmark.json": combined}))
    assert report.valid and report.parsed.gpu_energy_wh_per_1k == pytest.approx(30.2)


@pytest.mark.parametrize(
    "units, factor",
    [("Wh", 1.0), ("kWh", 1000.0), ("J", 1 / 3600.0), ("mJ", 1 / 3_600_000.0)],
)
def test_docker_gpu_energy_summary_in_every_unit(units, factor):
    phases = {"preprocess": 0.5, "prefill": 1.0, "decode": 2.0}
    if units == "kWh":
        phases = {k: v / 1000 for k, v in phases.items()}
    elif units != "Wh":
        phases = {k: v / factor for k, v in phases.items()}
    report = check_zip(make_zip(docker_files(phases, units=units)))
    assert report.valid, report.failures
    assert report.parsed.gpu_energy_wh_per_1k == pytest.approx(3.5)
    assert report.parsed.layout == "AI Energy Score Docker GPU_ENERGY_SUMMARY.json"


def test_docker_summary_total_only_and_with_the_report():
    report = check_zip(make_zip(docker_files({}, total=3.5)))
    assert report.valid and [p.name for p in report.parsed.phases] == ["total"]
    both = {**energy_star_files(folder="out/"), **docker_files({"preprocess": 0.2, "prefill": 10.0, "decode": 20.0})}
    both.pop("out/GPU_ENERGY_WH.txt")
    report = check_zip(make_zip(both))
    assert report.valid, report.failures  # the report counts; the Docker summary agrees with it
    bad = {
        **both,
        "out/GPU_ENERGY_SUMMARY.json": {
            "units": "Wh",
            "total": 0.302,
            "prefill_wh": 0.1,
            "decode_wh": 0.2,
            "preprocess_wh": 0.002,
        },
    }
    assert "prefill: 10 Wh in the report, 0.1 Wh in out/GPU_ENERGY_SUMMARY.json" in failure(check_zip(make_zip(bad)))


def test_project_runner_summary_checks_power_per_gpu():
    files = runner_files(
        task="asr",
        model="openai/whisper-tiny",
        num_queries=200,
        values_wh_per_1k={"prefill": [5.0, 5.0], "decode": [10.0, 10.0]},
        duration_s={"prefill": 20.0, "decode": 40.0},
    )
    ok = check_zip(make_zip(files), Claim(hardware="NVIDIA H100 80GB"))
    assert ok.valid, ok.failures
    assert ok.parsed.gpu_energy_wh_per_1k == pytest.approx(15.0)  # 3 Wh / 200 queries x 1000
    assert check(ok, "Average power plausible").status == "pass"
    files = runner_files(
        task="asr",
        model="openai/whisper-tiny",
        num_queries=200,
        values_wh_per_1k={"prefill": [5.0, 5.0], "decode": [10.0, 10.0]},
        duration_s={"prefill": 20.0, "decode": 0.5},
    )
    assert "decode: 14,400 W per GPU" in failure(check_zip(make_zip(files)))


@pytest.mark.parametrize(
    "watts, status",
    [(700 * 1.04, "pass"), (700 * 1.06, "fail"), (700 * 1.5, "fail"), (21.0, "pass"), (19.0, "fail")],
)
def test_power_tolerance_is_five_percent_over_the_board_limit(watts, status):
    # decode: 1 Wh per pass over a duration that gives exactly `watts`.
    files = runner_files(
        num_queries=1000,
        values_wh_per_1k={"prefill": [1.0, 1.0], "decode": [1.0, 1.0]},
        duration_s={"prefill": 3600.0 / 300.0, "decode": 3600.0 / watts},
    )
    assert check(check_zip(make_zip(files)), "Average power plausible").status == status


def test_power_is_per_gpu_for_several_gpus():
    # 2,000 W over 4 GPUs is 500 W each: plausible for an H100; on one GPU it is not.
    values = {"prefill": [1.0, 1.0], "decode": [1.0, 1.0]}
    durations = {"prefill": 3600.0 / 2000.0, "decode": 3600.0 / 2000.0}
    four = check_zip(make_zip(runner_files(values_wh_per_1k=values, duration_s=durations, gpu_count=4)))
    assert check(four, "Average power plausible").status == "pass"
    one = check_zip(make_zip(runner_files(values_wh_per_1k=values, duration_s=durations, gpu_count=1)))
    assert "2,000 W per GPU" in failure(one)


def test_runner_zip_is_submittable_with_the_hub_id_it_records():
    report = check_zip(
        make_zip(runner_files()), Claim("text_generation", "openai-community/gpt2", "A", "NVIDIA H100 80GB")
    )
    assert report.valid, report.failures
    assert check(report, "Model as claimed").status == "pass"
    assert check(report, "Checksums match").status == "pass"
    assert check(report, "Protocol").status == "pass"


def test_fake_meter_runs_are_named_and_not_measured():
    report = check_zip(make_zip(runner_files(gpu="Fake GPU (constant power)", driver="fake")))
    assert report.valid  # a test run of the pipeline; accept() refuses it
    assert "fake meter" in check(report, "GPU is a GPU").message
    assert check(report, "Average power plausible").status == "warn"
    # Its repeats are CPU-time noise (decode = generate - prefill can come out below zero): not judged.
    noisy = {"prefill": [80.0, 81.0], "decode": [-0.5, 2.0]}
    report = check_zip(make_zip(runner_files(gpu="Fake GPU (constant power)", driver="fake", values_wh_per_1k=noisy)))
    assert report.valid and check(report, "Repeats complete").message.startswith("Not judged")
    real = check_zip(make_zip(runner_files(values_wh_per_1k=noisy)))
    assert "values_wh_per_1k[0]: decode read -0.5" in failure(real)


# --- consistency between files ------------------------------------------------------------------


def _set(path, value):
    def tamper(files):
        node = files
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return tamper


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (("energy_score_summary.json", "num_queries"), 100_000, "queries: 1000 in run/benchmark_config.json, 100000"),
        (("energy_score_summary.json", "model"), "openai-community/gpt2-xl", "model: 'openai-community/gpt2'"),
        (("energy_score_summary.json", "task"), "summarization", "task: 'text_generation'"),
        (("benchmark_config.json", "environment", "gpu"), ["NVIDIA A100-SXM4-80GB"], "GPUs:"),
        (
            ("benchmark_report.json", "decode", "energy", "gpu"),
            0.0001,
            "decode: 68.4 Wh in run/energy_score_summary.json",
        ),
        (("energy_score_summary.json", "total_gpu_energy_wh_per_1k"), 14.856, "is not the sum of its phases"),
        (
            ("energy_score_summary.json", "phases", "decode", "gpu_energy_wh_per_1k"),
            6.84,
            "is not the mean of values_wh_per_1k",
        ),
    ],
)
def test_files_that_disagree_fail(path, value, expected):
    report = check_zip(make_zip(runner_files(tamper=_set(path, value))))
    assert expected in failure(report)


def test_a_file_changed_after_the_run_fails_its_checksum():
    def tamper(files):
        files["benchmark_report.json"]["decode"]["energy"]["gpu"] /= 100
        files["benchmark_report.json"]["decode"]["energy"]["total"] /= 100
        files["energy_score_summary.json"]["phases"]["decode"]["gpu_energy_wh"] /= 100

    message = failure(check_zip(make_zip(runner_files(tamper=tamper))))
    assert "benchmark_report.json is not the file run/energy_score_summary.json → files_sha256 vouches for" in message


def test_totals_that_are_not_the_sum_of_their_parts_fail():
    phases = {"prefill": {"unit": "kWh", "cpu": 0.001, "ram": 0.0001, "gpu": 0.01, "total": 0.5}, "decode": 0.02}
    assert "total 0.5 is not cpu + ram + gpu" in failure(check_zip(make_zip(energy_star_files(phases=phases))))
    docker = docker_files({"prefill": 1.0, "decode": 2.0}, total=30.0, wh_text=False)
    assert "total 30 Wh is not the sum of its phases (3 Wh)" in failure(check_zip(make_zip(docker)))
    text = docker_files({"prefill": 1.0, "decode": 2.0})
    text["out/GPU_ENERGY_WH.txt"] = "300\n"
    assert "total: 300 Wh in out/GPU_ENERGY_WH.txt, 3 Wh counted" in failure(check_zip(make_zip(text)))


def test_energy_star_dev_stated_mean_must_be_the_mean_of_its_measures():
    report = json.loads(REFERENCE_REPORT.read_text())
    report["prefill"]["energy"]["gpu"] = 0.01
    assert "is not the mean of its measures" in failure(check_zip(make_zip(energy_star_dev_files(report))))


def test_files_from_two_folders_or_two_runs_are_refused():
    files = {**energy_star_files(folder="a/"), **energy_star_files(folder="b/")}
    assert "upload one run folder per submission" in failure(check_zip(make_zip(files)))
    files = energy_star_files(folder="a/")
    files["b/benchmark_report.json"] = files.pop("a/benchmark_report.json")
    assert "files are in 2 folders" in failure(check_zip(make_zip(files)))


# --- scenario, crashed runs, protocol ----------------------------------------------------------------


def test_inference_scenario_is_refused_with_the_reason():
    files = energy_star_files(scenario="inference")
    message = failure(check_zip(make_zip(files)))
    assert "'inference' scenario" in message and "per call" in message


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"scenario": "training"}, "ran the 'training' scenario"),
        ({"device": "cpu"}, "ran on 'cpu'"),
        ({"gpu": [], "gpu_count": 0}, "record no GPU"),
        ({"gpu": "NVIDIA"}, "'NVIDIA' does not name a GPU board"),
        ({"gpu": " AMD EPYC 7R13 Processor"}, "does not name a GPU board"),
    ],
)
def test_not_an_energy_run_on_a_gpu(kw, expected):
    assert expected in failure(check_zip(make_zip(energy_star_files(**kw))))


def test_report_without_config_is_refused():
    report = check_zip(make_zip({"run/benchmark_report.json": REFERENCE_REPORT.read_bytes()}))
    assert "No config" in failure(report) and check(report, "Energy run").status == "fail"


def test_crashed_run_names_the_error_in_its_log():
    files = energy_star_files()
    del files["run/benchmark_report.json"]
    files["run/benchmark.log"] = (
        "[MAIN-PROCESS][2025-05-30 14:34:06][process][INFO] - Allocated process launcher\n"
        "[ISOLATED-PROCESS][2025-05-30 14:34:13][hydra.utils][ERROR] - Error getting class at "
        'optimum_benchmark.scenarios.energy_star.scenario.EnergyStarScenario: ModuleNotFoundError("No module '
        "named 'optimum_benchmark.preprocessors'\")\n"
    )
    message = failure(check_zip(make_zip(files)))
    assert "did not finish" in message and "ModuleNotFoundError" in message and "run/benchmark.log" in message
    del files["run/benchmark.log"]
    assert "no log (*.log) says why" in failure(check_zip(make_zip(files)))


@pytest.mark.parametrize(
    "kw, expected",
    [
        ({"batch_size": 8}, "batch size: 8 (protocol: 1)"),
        ({"new_tokens": 100}, "new tokens: min 100, max 100 (protocol: exactly 10)"),
        ({"dtype": "float32"}, "precision: float32 (protocol: BF16/FP16)"),
        ({"dataset": "EnergyStarAI/text_generation"}, None),  # the former organisation is the same dataset
        ({"dtype": "float16"}, None),
    ],
)
def test_protocol_differences_are_named(kw, expected):
    report = check_zip(make_zip(energy_star_files(**kw)))
    assert report.valid
    protocol = check(report, "Protocol")
    if expected is None:
        assert protocol.status == "pass", protocol.message
    else:
        assert protocol.status == "warn" and expected in protocol.message


def test_protocol_of_other_tasks():
    forward = check_zip(make_zip(energy_star_files(task="text-classification")))
    assert check(forward, "Protocol").status == "pass", check(forward, "Protocol").message
    reasoning = check_zip(make_zip(energy_star_files()), Claim(task="reasoning"))
    assert "max new tokens: 10 (protocol: 8,192)" in check(reasoning, "Protocol").message
    offline = check_zip(make_zip(runner_files(inputs_source="offline")))
    assert "inputs: offline (protocol: AIEnergyScore/text_generation)" in check(offline, "Protocol").message


# --- plausibility -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decode_kwh, status",
    [(2e-12, "fail"), (0.00001, "warn"), (0.02, "pass"), (30.0, "warn"), (2e6, "fail")],
)
def test_energy_far_outside_the_published_range(decode_kwh, status):
    phases = {"prefill": decode_kwh, "decode": decode_kwh}  # (no CodeCarbon windows of centuries)
    files = energy_star_files(phases=phases, codecarbon=False)
    assert check(check_zip(make_zip(files)), "Energy plausible").status == status


def test_energies_that_overflow_are_refused():
    phases = {"prefill": {"unit": "kWh", "gpu": 1e308}, "decode": 0.02}
    assert "overflow to infinity" in failure(check_zip(make_zip(energy_star_files(phases=phases))))


def test_one_query_and_huge_query_counts():
    assert check_zip(make_zip(energy_star_files(num_samples=1))).valid  # a real measurement, off-protocol
    assert "too large" not in failure(check_zip(make_zip(energy_star_files(num_samples=10**12))))


# --- claims -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim, expected",
    [
        (Claim(hardware="NVIDIA A100 80GB"), f"the logs ran on '{H100}'"),
        (Claim(hardware="NVIDIA H100 94GB"), "the logs ran on"),
        (Claim(hardware="NVIDIA"), "another board"),
        (Claim(hardware="H100"), "another board"),
        (Claim(hardware="2 x NVIDIA H100 80GB"), "The form says 2 GPUs"),
        (Claim(model="org/other"), "the logs measured 'org/model'"),
        (Claim(task="asr"), "the logs ran text_generation"),
    ],
)
def test_claims_are_checked_against_the_logs(claim, expected):
    assert expected in failure(check_zip(make_zip(energy_star_files()), claim))


def test_logged_gpu_named_vaguely_matches_no_claim():
    assert "does not name a GPU board" in failure(check_zip(make_zip(energy_star_files(gpu="NVIDIA")), CLAIM))


@pytest.mark.parametrize(
    "gpus, model_class, ok", [(1, "A", True), (2, "A", False), (2, "B", False), (4, "C", True), (1, "B", True)]
)
def test_class_a_or_b_must_run_on_one_gpu(gpus, model_class, ok):
    report = check_zip(make_zip(energy_star_files(gpu_count=gpus)), Claim(model_class=model_class))
    assert report.valid is ok
    if not ok:
        assert f"the logs show {gpus}" in failure(report)


def test_gpus_used_come_from_device_ids():
    files = energy_star_files(gpu=[H100] * 8, gpu_count=8, device_ids="0")
    report = check_zip(make_zip(files), Claim(model_class="A"))
    assert report.valid and report.parsed.gpu_count == 1


def test_reasoning_claim_is_compatible_with_text_generation_logs():
    assert check_zip(make_zip(energy_star_files()), Claim(task="reasoning")).valid


def test_unknown_pipeline_is_not_a_task():
    assert "not a rated task's" in failure(check_zip(make_zip(energy_star_files(task="text-to-audio"))))


def test_model_look_alikes_in_the_logs_fail():
    cyrillic = "org/mоdel"  # Cyrillic о
    report = check_zip(make_zip(energy_star_files(model=cyrillic)), Claim(model="org/model"))
    assert "non-ASCII" in failure(report)
    local = check_zip(make_zip(energy_star_files(model="/data/models/llama")), Claim(model="org/model"))
    assert local.valid and check(local, "Model as claimed").status == "warn"


def test_model_names_with_markup_are_kept_as_text():
    report = check_zip(make_zip(energy_star_files(model="<img src=x onerror=alert(1)>")))
    assert report.parsed.model == "<img src=x onerror=alert(1)>"


# --- hostile or broken members, named ---------------------------------------------------------------


def _report_in_config(report_body):
    files = energy_star_files()
    files["run/benchmark_report.json"] = report_body
    return files


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"a/../benchmark_report.json": "{}"}, "points outside the zip ('..')"),
        ({"/etc/benchmark_report.json": "{}"}, "absolute or Windows path"),
        ({"C:/run/benchmark_report.json": "{}"}, "absolute or Windows path"),
        ({"run/inner.zip": b"PK\x03\x04rest"}, "nested archive"),
        ({"run/data.tar.gz": b"\x1f\x8b..."}, "nested archive"),
        ({"run/benchmark_report.json": b"PK\x03\x04 a zip in disguise"}, "archive inside the zip"),
        ({"run/data.bin": b"PK\x03\x04 hidden archive"}, "archive inside the zip"),
        ({"run/data.bin": b"\x1f\x8b\x08 gzip"}, "archive inside the zip"),
        (_report_in_config('{"prefill": {"energy": '), "truncated JSON"),
        (_report_in_config('{"prefill": [1, 2,, 3]}'), "invalid JSON"),
        (_report_in_config('{"prefill": {"energy": {"unit": "kWh", "gpu": NaN}}}'), "NaN"),
        (_report_in_config('{"prefill": {"energy": {"unit": "kWh", "gpu": -Infinity}}}'), "-Infinity"),
        (_report_in_config('{"prefill": {"energy": {"unit": "kWh", "gpu": 1e400}}}'), "beyond the range of a double"),
        (_report_in_config('{"prefill": {"energy": {"unit": "kWh", "gpu": 1' + "0" * 400 + "}}}"), "longer than 40"),
        (_report_in_config("[" * 100_000 + "]" * 100_000), "nested 100,000 levels deep"),
        (
            _report_in_config('{"prefill": {"energy": {"unit": "kWh", "gpu": 0.01, "gpu": 0.0001}}}'),
            "the key 'gpu' twice",
        ),
        (
            _report_in_config('{"prefill": {"energy": {"unit": "kWh", "gpu": 0.01}}, "prefill": {}}'),
            "the key 'prefill' twice",
        ),
        (_report_in_config('{"prefill": {"energy": {"unit": "kWh\\ud800", "gpu": 0.01}}}'), "lone surrogate"),
        (_report_in_config({"prefill": {"energy": energy(0.01, unit="calories")}}), "unknown unit 'calories'"),
        (_report_in_config({"prefill": {"energy": energy(0.01, unit="kwh")}}), "unknown unit 'kwh'"),
        (_report_in_config({"prefill": {"energy": energy(0.01, unit="MJ")}}), "unknown unit 'MJ'"),
        (_report_in_config({"prefill": {"energy": energy(0.01, unit=" kWh")}}), "unknown unit ' kWh'"),
        (_report_in_config({"prefill": {"energy": {"unit": "kWh", "cpu": 1.0}}}), "has no GPU energy"),
        ({"run/notes.txt": "hello"}, "No benchmark report found"),
        (_report_in_config(b"\xff\xfe not utf-8"), "not UTF-8 text"),
        (_report_in_config(b'"' + os.urandom(1_600_000).hex().encode() + b'"'), "a report over 2 MB"),
        (_report_in_config("[" + "0," * 250_000 + "0]"), "more than 200,000 values"),
    ],
)
def test_hostile_or_broken_members_are_rejected_by_name(files, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = check_zip(make_zip(files))
    assert expected in failure(report)
    assert list(tmp_path.iterdir()) == []  # nothing extracted or written


# Wrong JSON types in every place a value is read: a refusal naming the field, never an exception.
WRONG_TYPES = [
    ("benchmark_report.json", ["x"], "must be a JSON object, not list"),
    ("benchmark_report.json", {"prefill": ["x"]}, "prefill must be a JSON object"),
    ("benchmark_report.json", {"prefill": {"energy": ["x"]}}, "energy must be a JSON object"),
    ("benchmark_report.json", {"prefill": {"energy": {"unit": "kWh", "gpu": "0.01"}}}, "gpu must be a number"),
    ("benchmark_report.json", {"prefill": {"energy": {"unit": "kWh", "gpu": True}}}, "gpu must be a number"),
    ("benchmark_report.json", {"prefill": {"energy": {"unit": 1000, "gpu": 0.01}}}, "unknown unit '1000'"),
    ("benchmark_report.json", {"prefill": {"measures": {"a": 1}}}, "measures must be a non-empty list"),
    ("benchmark_report.json", {"prefill": {"measures": [1, 2]}}, "measures[0] must be a JSON object"),
    ("benchmark_config.json", [], "must be a JSON object, not list"),
    ("benchmark_config.json", {"backend": "x"}, "backend must be a JSON object"),
    ("benchmark_config.json", {"scenario": {"name": "energy_star", "num_samples": "1000"}}, "num_samples) is '1000'"),
    ("benchmark_config.json", {"scenario": {"name": ["energy_star"]}}, "scenario → name must be text"),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star"}, "backend": {"model": 7}},
        "backend → model must be text",
    ),
    ("benchmark_config.json", {"scenario": {"name": "energy_star"}, "environment": {"gpu": 3}}, "gpu must be a list"),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star"}, "environment": {"gpu": [1]}},
        "gpu[0] must be text",
    ),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star"}, "environment": {"gpu_count": "1"}},
        "gpu_count must be a number",
    ),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star", "generate_kwargs": [10]}},
        "generate_kwargs must be a JSON object",
    ),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star", "input_shapes": {"batch_size": "1"}}},
        "batch_size must be a number",
    ),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star"}, "backend": {"device_ids": [0]}},
        "device_ids must be text",
    ),
    (
        "benchmark_config.json",
        {"scenario": {"name": "energy_star"}, "backend": {"device_ids": "0;rm -rf"}},
        "not GPU numbers",
    ),
]


@pytest.mark.parametrize("file, body, expected", WRONG_TYPES)
def test_wrong_json_types_are_named(file, body, expected):
    files = energy_star_files()
    files[f"run/{file}"] = body
    assert expected in failure(check_zip(make_zip(files)))


RUNNER_WRONG_TYPES = [
    (("energy_score_summary.json",), [], "must be a JSON object"),
    (("energy_score_summary.json", "phases"), [], "phases must be a JSON object"),
    (("energy_score_summary.json", "phases", "prefill"), "x", "prefill must be a JSON object"),
    (("energy_score_summary.json", "phases", "prefill", "values_wh_per_1k"), "1,2", "must be a list of numbers"),
    (
        ("energy_score_summary.json", "phases", "prefill", "values_wh_per_1k"),
        [1, "2"],
        "values_wh_per_1k[1] must be a number",
    ),
    (("energy_score_summary.json", "gpu"), "H100", "gpu must be a JSON object"),
    (("energy_score_summary.json", "gpu", "names"), [], "must be a non-empty list"),
    (("energy_score_summary.json", "num_queries"), 2.5, "must be a whole number"),
    (("energy_score_summary.json", "num_queries"), 0, "num_queries is 0: it must be a whole number above 0"),
    (("energy_score_summary.json", "task"), None, "task must be text"),
    (("energy_score_summary.json", "task"), "painting", "is not a task id"),
    (("energy_score_summary.json", "files_sha256"), ["x"], "files_sha256 must be a JSON object"),
]


@pytest.mark.parametrize("path, value, expected", RUNNER_WRONG_TYPES)
def test_runner_summary_wrong_types_are_named(path, value, expected):
    def tamper(files):
        if len(path) == 1:
            files[path[0]] = value
        else:
            _set(path, value)(files)

    assert expected in failure(check_zip(make_zip(runner_files(tamper=tamper))))


@pytest.mark.parametrize(
    "phases, expected",
    [
        ({"prefill": -0.01, "decode": 0.02}, "prefill: -10.0 Wh"),
        ({"prefill": 0.0, "decode": 0.02}, "prefill: 0.0 Wh"),
        ({"prefill": 0.01}, "decode missing for text_generation"),
        ({"load_model": 1.0}, "No counted phase"),
        (
            {"preprocess": 0.001, "preprocess_dataset": 0.001, "prefill": 0.01, "decode": 0.01},
            "two readings of the preprocess",
        ),
    ],
)
def test_bad_energies_are_failed_checks(phases, expected):
    assert expected in failure(check_zip(make_zip(energy_star_files(phases=phases)), Claim(task="text_generation")))


@pytest.mark.parametrize("num_samples, shown", [(0, "0"), (-5, "-5"), (2.5, "2.5"), ("many", "many"), (True, "True")])
def test_zero_negative_or_non_integer_query_counts(num_samples, shown):
    message = failure(check_zip(make_zip(energy_star_files(num_samples=num_samples))))
    assert "whole number above 0" in message and f"is {shown!r}" in message


def test_a_missing_query_count_is_never_assumed():
    """A 200-query pass read as 1,000 queries would read 5x low: no count, no figure."""
    report = check_zip(make_zip(energy_star_files(num_samples=None)))
    assert not report.valid and report.parsed is None
    assert check(report, "Number of queries").status == "fail" and "no count is assumed" in failure(report)


def test_too_large_upload_is_refused_before_reading():
    assert "the limit is 50 MB" in failure(check_zip(b"x" * (MAX_ZIP_BYTES + 1)))


def test_not_a_zip_and_truncated_zip():
    assert "not a zip file" in failure(check_zip(b"just text"))
    data = make_zip(energy_star_files())
    assert "not a complete zip file" in failure(check_zip(data[: len(data) // 2]))
    assert "not a zip file" in failure(check_zip(b""))

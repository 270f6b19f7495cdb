"""A number reaches the board only if the run's own records fit it: scaled energies that keep their
sums are caught by the windows, the idle power, the durations, the efficiency and the CPU/RAM split."""

from __future__ import annotations

import json

import pytest

from harness.zips import energy_star_dev_files, make_zip, runner_files
from leaderboard.submissions import Claim, check_zip
from leaderboard.submissions.evidence import CHECK
from tests.conftest import REFERENCE

REFERENCE_REPORT = REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"


def check(report, name):
    found = [c for c in report.checks if c.name == name]
    assert found, [c.name for c in report.checks]
    return found[0]


def _scale_summary(factor: float, *, durations: bool, idle: bool = False):
    """A tamper that scales every energy (and optionally durations or idle power) in the summary and the
    report together, so every sum still adds up."""

    def tamper(files):
        summary, report = files["energy_score_summary.json"], files["benchmark_report.json"]
        summary["total_gpu_energy_wh_per_1k"] *= factor
        for p in summary["phases"].values():
            for key in ("gpu_energy_wh", "gpu_energy_wh_per_1k"):
                p[key] *= factor
            p["values_wh_per_1k"] = [v * factor for v in p["values_wh_per_1k"]]
            if durations:
                p["duration_s"] *= factor
                p["idle_wh_per_1k"] *= factor
        for section in report.values():
            for key in ("gpu", "total"):
                section["energy"][key] *= factor
            if durations:
                section["latency"]["values"] = [v * factor for v in section["latency"]["values"]]
        if idle:
            summary["idle_power_w"] = {"before": 1.0, "after": 1.0}

    return tamper


def test_an_honest_runner_run_fits_its_evidence():
    report = check_zip(make_zip(runner_files()))
    assert report.valid, report.failures
    assert check(report, CHECK).status == "pass"


def test_energy_and_durations_scaled_together_contradict_the_windows():
    """kWh written as Wh with the durations scaled too: the average power is unchanged and plausible,
    but the windows the passes filled and the idle power say otherwise."""
    report = check_zip(make_zip(runner_files(tamper=_scale_summary(1e-3, durations=True))))
    assert not report.valid
    result = check(report, CHECK)
    assert result.status == "fail" and "filled windows" in result.message


def test_energy_scaled_alone_falls_below_the_idle_draw():
    report = check_zip(make_zip(runner_files(tamper=_scale_summary(0.1, durations=False))))
    assert not report.valid
    assert "less than the GPUs' idle draw" in check(report, CHECK).message


def test_idle_share_that_contradicts_idle_power_fails():
    def tamper(files):
        files["energy_score_summary.json"]["phases"]["decode"]["idle_wh_per_1k"] *= 0.5

    report = check_zip(make_zip(runner_files(tamper=tamper)))
    assert "is not idle power × duration" in check(report, CHECK).message


def test_a_summary_without_its_windows_or_idle_power_is_not_believed():
    def tamper(files):
        summary = files["energy_score_summary.json"]
        summary["idle_power_w"] = {"before": None, "after": None}
        for p in summary["phases"].values():
            p["window_s"] = []

    report = check_zip(make_zip(runner_files(tamper=tamper)))
    message = check(report, CHECK).message
    assert not report.valid and "idle_power_w" in message and "window_s" in message


def test_report_latency_must_be_the_summary_duration():
    def tamper(files):
        files["benchmark_report.json"]["prefill"]["latency"]["values"] = [0.001]

    report = check_zip(make_zip(runner_files(tamper=tamper)))
    assert "the report's latency" in check(report, CHECK).message


def _reference(edit=None) -> bytes:
    report = json.loads(REFERENCE_REPORT.read_text())
    if edit:
        edit(report)
    return make_zip(energy_star_dev_files(report))


def test_the_reference_report_fits_its_efficiency():
    report = check_zip(_reference(), Claim(task="text_generation"))
    assert check(report, CHECK).status == "pass" and "efficiency" in check(report, CHECK).message
    # Its CPU/RAM ratio is 53.9 in prefill and decode, 79.4 in the short preprocess: no warning.
    assert all(c.name != "CPU and RAM energy consistent" for c in report.checks)


def test_decode_energy_halved_with_sums_kept_contradicts_the_efficiency():
    def halve(report):
        for record in [report["decode"]["energy"], *report["decode"]["measures"]]:
            gpu = record["gpu"] / 2
            record["total"] -= record["gpu"] - gpu
            record["gpu"] = gpu

    report = check_zip(_reference(halve), Claim(task="text_generation"))
    result = check(report, CHECK)
    assert result.status == "fail" and "decode tokens" in result.message and "9,000" in result.message


def test_gpu_energy_moved_into_the_cpu_field_is_held():
    def move(report):
        for record in [report["decode"]["energy"], *report["decode"]["measures"]]:
            record["cpu"] += record["gpu"] * 0.5
            record["gpu"] *= 0.5

    report = check_zip(_reference(move), Claim(task="text_generation"))
    assert check(report, "CPU and RAM energy consistent").status == "warn"


@pytest.mark.parametrize("factor, status", [(1.0, "pass"), (20.0, "warn"), (200.0, "fail")])
def test_the_published_range_is_judged_even_with_durations(factor, status):
    """A figure far above the task's range is never a silent pass, whatever its power."""
    hi = 3426.39  # text generation's highest published figure, Wh per 1,000 queries
    values = {"prefill": [hi * factor * 0.5] * 2, "decode": [hi * factor * 0.5] * 2}
    at_300_w = {k: v[0] * 3600 / 300 for k, v in values.items()}
    report = check_zip(make_zip(runner_files(values_wh_per_1k=values, duration_s=at_300_w)))
    assert check(report, "Average power plausible").status == "pass"
    assert check(report, "Energy plausible").status == status

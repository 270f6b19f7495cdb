"""A number reaches the board only if the run's own records fit it: scaled energies that keep their
sums are caught by the windows, the idle power, the durations, the efficiency and the CPU/RAM split."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bench import gate_attacks
from harness.zips import energy_star_dev_files, make_zip, runner_files
from leaderboard.runsummary import RunSummary
from leaderboard.submissions import Claim, check_zip
from leaderboard.submissions import evidence as E
from leaderboard.submissions.evidence import CHECK
from leaderboard.submissions.model import Check as _Check
from tests.conftest import REFERENCE

REFERENCE_REPORT = REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"


def check(report, name):
    found = [c for c in report.checks if c.name == name]
    assert found, [c.name for c in report.checks]
    return found[0]


def test_an_honest_runner_run_fits_its_evidence():
    report = check_zip(make_zip(runner_files()))
    assert report.valid, report.failures
    assert check(report, CHECK).status == "pass"


def test_energy_and_durations_scaled_together_contradict_the_windows():
    """kWh written as Wh with the durations scaled too: the average power is unchanged and plausible,
    but the windows the passes filled and the idle power say otherwise."""
    report = check_zip(make_zip(runner_files(tamper=gate_attacks.scaled(1e-3, durations=True))))
    assert not report.valid
    result = check(report, CHECK)
    assert result.status == "fail" and "filled windows" in result.message


def test_energy_scaled_alone_falls_below_the_idle_draw():
    report = check_zip(make_zip(runner_files(tamper=gate_attacks.scaled(0.1, durations=False))))
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
    report = check_zip(_reference(gate_attacks.halve_decode), Claim(task="text_generation"))
    result = check(report, CHECK)
    assert result.status == "fail" and "decode tokens" in result.message and "9,000" in result.message


def test_gpu_energy_moved_into_the_cpu_field_is_held():
    report = check_zip(_reference(gate_attacks.gpu_into_cpu), Claim(task="text_generation"))
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


# --- the rules at their edges ---------------------------------------------------------------------


def _summary(**phase_changes) -> RunSummary:
    """An honest one-phase summary (1,000 queries, idle 50 W, a pass of 100 s at 350 W), changed."""
    files = runner_files(values_wh_per_1k={"forward": [100 * 350 / 3.6] * 2}, task="text_classification")
    summary = RunSummary.from_json(json.loads(files["run/energy_score_summary.json"]))
    phase = replace(summary.phases["forward"], **phase_changes)
    return replace(summary, phases={"forward": phase})


def test_an_honest_summary_has_no_problem():
    assert E.runner_problems(_summary(), {}) == []


@pytest.mark.parametrize("factor, ok", [(1 + E.EDGE_REL, True), (1 + E.EDGE_REL * 1.2, False)])
def test_a_pass_fits_its_window_up_to_the_edge_time(factor, ok):
    s = _summary()
    window = s.phases["forward"].window_s
    problems = E.runner_problems(_summary(duration_s=max(window) * factor), {})
    assert (not any("does not fit" in p for p in problems)) is ok


@pytest.mark.parametrize("factor, ok", [(1.0, True), (0.99, False)])
def test_the_passes_fill_the_shortest_window_within_the_slack(factor, ok):
    s = _summary(passes_per_window=3)
    shortest = min(s.phases["forward"].window_s)
    duration = shortest / (3 * E.PASSES_SLACK) * factor
    problems = E.runner_problems(_summary(passes_per_window=3, duration_s=duration, idle_wh_per_1k=None), {})
    assert (not any("filled windows" in p for p in problems)) is ok


@pytest.mark.parametrize("share, ok", [(1.0, True), (0.999, False)])
def test_a_phase_draws_at_least_the_idle_share(share, ok):
    s = _summary()
    p = s.phases["forward"]
    idle = 50.0  # the builder's idle power, one GPU
    floor = E.IDLE_SHARE * idle * p.duration_s / E.J_PER_WH * 1000.0 / s.num_queries
    problems = E.runner_problems(_summary(gpu_energy_wh_per_1k=floor * share), {})
    assert (not any("idle draw" in x for x in problems)) is ok


@pytest.mark.parametrize("idle_w, named", [(0.0, True), (0.5, False)])
def test_idle_power_must_be_above_zero(idle_w, named):
    s = replace(_summary(idle_wh_per_1k=None), idle_power_w_before=idle_w, idle_power_w_after=idle_w)
    assert any("a GPU draws power when idle" in p for p in E.runner_problems(s, {})) is named


def test_a_zero_duration_or_missing_window_is_not_recorded():
    for change in ({"duration_s": 0.0}, {"window_s": ()}, {"passes_per_window": 0}):
        assert any("are not all recorded" in p for p in E.runner_problems(_summary(**change), {}))


def test_one_window_per_repeat():
    problems = E.runner_problems(_summary(window_s=(100.0,)), {})
    assert any("1 windows for 2 repeats" in p for p in problems)


def _eff(phase="preprocess", unit="samples/kWh", value=1000.0, total=1.0, gpu=0.0):
    return E.Efficiency(phase, unit, value, total, gpu)


@pytest.mark.parametrize(
    "eff, num, tokens, problem",
    [
        (_eff(), 1000, None, False),
        (_eff(value=1500.0), 1000, None, True),
        (_eff(unit="tokens/kWh", value=1500.0), 1000, None, False),  # another unit: not this rule
        (_eff(phase="prefill", value=1500.0), 1000, None, False),  # prefill's work is not known
        (_eff(phase="forward", value=1500.0), 1000, None, True),
        (_eff(phase="decode", unit="tokens/kWh", value=9000.0), 1000, 10, False),
        (_eff(phase="decode", unit="tokens/kWh", value=9000.0), 1000, 11, True),
        (_eff(phase="decode", unit="tokens/kWh", value=5.0), 1000, 1, False),  # no decode tokens: nothing to check
        (_eff(phase="decode", unit="tokens/kWh", value=5.0), 1000, 0, False),
        (_eff(total=0.0, gpu=0.0), 1000, None, False),  # no energy: nothing to check
        (_eff(total=0.0, gpu=1.0), 1000, None, False),  # divided by the GPU energy
        (_eff(value=2.0), 1, None, True),
    ],
)
def test_efficiency_rule_edges(eff, num, tokens, problem):
    assert bool(E.efficiency_problems([eff], num, tokens, True)) is problem


def test_cpu_ram_spread_edges():
    assert E.cpu_ram_spread([(10.0, 1.0)]) == 1.0
    assert E.cpu_ram_spread([(2.0, 1.0), (1.0, 1.0)]) == 2.0
    assert E.cpu_ram_spread([(10.0, 1.0), (0.0, 1.0), (1.0, 0.0), (20.0, 1.0)]) == 2.0  # zeros are not readings


@pytest.mark.parametrize("spread, warned", [(E.MAX_CPU_RAM_SPREAD, False), (E.MAX_CPU_RAM_SPREAD * 1.01, True)])
def test_cpu_ram_warning_edge(spread, warned):
    checks: list[_Check] = []
    E.evidence_checks([], spread, ["efficiency"], checks)
    assert any(c.name == "CPU and RAM energy consistent" for c in checks) is warned


@pytest.mark.parametrize(
    "checked, message",
    [
        (["efficiency"], "The energy fits the run's efficiency."),
        (["windows", "idle power"], "The energy fits the run's windows and idle power."),
        (["windows", "idle power", "durations"], "The energy fits the run's windows, idle power and durations."),
    ],
)
def test_the_pass_names_what_was_compared(checked, message):
    checks: list[_Check] = []
    E.evidence_checks([], 1.0, checked, checks)
    assert [(c.status, c.message) for c in checks] == [("pass", message)]
    none: list[_Check] = []
    E.evidence_checks([], 1.0, [], none)
    assert none == []

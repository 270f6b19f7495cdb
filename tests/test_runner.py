"""The benchmark runner's pure parts: meters, statistics and offline inputs (no torch needed)."""

import pytest

from runner.meter import MeterError, ReplayMeter, idle_power_w, measure
from runner.stats import summarize


def test_measure_reads_the_counter_only_at_window_edges():
    meter = ReplayMeter([[1_000], [4_000]])
    calls = []
    window = measure(meter, lambda: calls.append("work"), sync=lambda: calls.append("sync"))
    assert window.energy_j == pytest.approx(3.0)
    assert calls == ["sync", "work", "sync"] and meter.reads == 2


def test_a_window_that_reads_zero_stops_the_run():
    with pytest.raises(MeterError, match="not advancing"):
        measure(ReplayMeter([[5_000], [5_000]]), lambda: None)
    with pytest.raises(MeterError, match="not advancing"):
        measure(ReplayMeter([[5_000, 10], [6_000, 10]]), lambda: None)  # one GPU of two stuck


def test_idle_power_from_the_energy_counter():
    ticks = iter([0.0, 0.0, 0.0, 2.0, 2.0, 2.0])
    meter = ReplayMeter([[0], [240_000]])
    window = measure(meter, lambda: None, clock=lambda: next(ticks))
    assert window.energy_j / window.duration_s == pytest.approx(120.0)
    assert idle_power_w(ReplayMeter([[0], [1_000]]), 0.0, sleep=lambda s: None) > 0


def test_confidence_interval_and_cv():
    s = summarize([10.0, 10.2, 9.8])
    assert s.mean == pytest.approx(10.0)
    assert s.cv == pytest.approx(0.02)
    assert s.ci95 == pytest.approx(4.303 * 0.2 / 3**0.5)


def test_text_inputs_match_the_official_average_length():
    from runner.inputs import offline_sample

    sample = offline_sample("text_generation", 1000, vocab_size=50_000)
    assert sample.mean_input_tokens == pytest.approx(369, abs=2)
    assert offline_sample("question_answering", 1000).mean_input_tokens == pytest.approx(11, abs=1)

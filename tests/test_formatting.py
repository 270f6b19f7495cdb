"""Number and text formatting: each threshold tested just below, at and just above it."""

import math

import pytest

from leaderboard.formatting import (
    chart_text,
    energy_short,
    energy_wh,
    month_name,
    plural,
    ratio,
    result_title,
    run_label,
    star_glyphs,
    task_name,
)


@pytest.mark.parametrize(
    "value, text",
    [
        (0.0, "0.00"),  # zero is not a small energy: two decimals
        (0.0001234, "0.00012"),  # under 0.01: two significant digits, never 0.00
        (0.005, "0.005"),
        (0.0099, "0.0099"),  # just below the threshold
        (0.01, "0.01"),  # at it
        (0.0149, "0.01"),  # just above: two decimals
        (0.5, "0.50"),
        (3426.4, "3,426.40"),
        (-0.005, "-0.005"),
    ],
)
def test_energy_wh_keeps_small_energies_visible(value, text):
    assert energy_wh(value) == text


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_energy_wh_refuses_what_is_not_a_number(value):
    with pytest.raises(ValueError, match="not a finite number"):
        energy_wh(value)


@pytest.mark.parametrize(
    "value, text",
    [
        (1234.6, "1,235"),
        (100.4, "100"),  # at and above 100: whole numbers with separators
        (100.0, "100"),
        (99.94, "99.9"),  # just below 100: three significant digits
        (12.345, "12.3"),
        (1.25, "1.25"),  # just above 1: three significant digits
        (1.0, "1"),
        (0.996, "1"),  # just below 1: two significant digits
        (0.1234, "0.12"),
    ],
)
def test_energy_short_thresholds(value, text):
    assert energy_short(value) == text


@pytest.mark.parametrize(
    "value, text", [(1234.6, "1,235×"), (100.0, "100×"), (99.94, "99.9×"), (12.34, "12.3×"), (1.0, "1.0×")]
)
def test_ratio_thresholds(value, text):
    assert ratio(value) == text


def test_plurals():
    assert plural(1, "result") == "1 result"
    assert plural(0, "result") == "0 results"
    assert plural(2, "result") == "2 results"
    assert plural(1_000, "query", "queries") == "1,000 queries"
    assert plural(1, "query", "queries") == "1 query"


def test_names():
    assert star_glyphs(0) == "☆☆☆☆☆" and star_glyphs(1) == "★☆☆☆☆" and star_glyphs(5) == "★★★★★"
    assert task_name("asr") == "Automatic Speech Recognition" and task_name("painting") == "painting"
    assert run_label("org/m", "low") == "org/m (low)" and run_label("org/m", None) == run_label("org/m", "") == "org/m"
    assert result_title("2025-02/asr/org/m#2", "org/m") == "org/m (run 2)"
    assert result_title("2025-02/asr/org/m", "org/m", "high") == "org/m (high)"
    assert result_title("2025-02/asr/org/m#x", "org/m") == "org/m"
    assert month_name("2025-02") == "February 2025" and month_name("2025-12") == "December 2025"


def test_chart_text_escapes_markup():
    assert chart_text('<a href="x">y</a> & <b>') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; &lt;b&gt;'
    assert chart_text("NVIDIA H100 80GB") == "NVIDIA H100 80GB" and chart_text(3) == "3"

"""Energy at scale: the formulas, table-driven, and the bounds."""

import pytest

from leaderboard.impact import DEFAULT_GRID_G_PER_KWH, DEFAULT_PUE, at_scale


@pytest.mark.parametrize(
    "energy, per_day, pue, grid, gpu_kwh, meter_kwh, kg",
    [
        (2.15, 1_000_000, 1.0, 0.0, 784.75, 784.75, 0.0),  # gpt2: 2.15 Wh per 1k x 1k/day x 365
        (1000.0, 1_000, 1.5, 400.0, 365.0, 547.5, 219.0),
        (0.0, 10, DEFAULT_PUE, DEFAULT_GRID_G_PER_KWH, 0.0, 0.0, 0.0),
    ],
)
def test_formulas(energy, per_day, pue, grid, gpu_kwh, meter_kwh, kg):
    result = at_scale(energy, per_day, pue, grid)
    assert (result.gpu_kwh_per_year, result.meter_kwh_per_year, result.kg_co2e_per_year) == pytest.approx(
        (gpu_kwh, meter_kwh, kg)
    )


@pytest.mark.parametrize(
    "args, name",
    [
        ((1.0, -1), "queries per day"),
        ((1.0, 1, 0.5), "PUE"),
        ((float("nan"), 1), "GPU energy"),
        ((1.0, 1, 1.2, 1e9), "grid"),
    ],
)
def test_out_of_range_values_are_named(args, name):
    with pytest.raises(ValueError, match=name):
        at_scale(*args)

"""Energy at scale: from a result's GPU energy per 1,000 queries to a year of use, at the meter, and
its emissions. Each figure is an estimate; the formulas and default values are stated here once and
shown with the figures.

    GPU energy per year (kWh)  = energy (Wh per 1,000 queries) x queries per day / 1,000 x 365 / 1,000
    energy at the meter (kWh)  = GPU energy per year x PUE
    emissions (kg CO2e)        = energy at the meter x grid carbon intensity (g CO2e/kWh) / 1,000

The score counts GPU energy only: CPU, memory, network and idle servers add to it, so the meter
figure is a lower bound even with the facility's PUE applied.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Defaults, with where they come from (people are asked to put their own in).
DEFAULT_QUERIES_PER_DAY = 1_000_000
DEFAULT_PUE = 1.56  # Uptime Institute, Global Data Center Survey 2024: average annual PUE of the respondents
DEFAULT_GRID_G_PER_KWH = 480.0  # Ember, Global Electricity Review 2024: world average of electricity in 2023
PUE_SOURCE = "Uptime Institute Global Data Center Survey 2024 (average PUE of respondents' largest data centres)"
GRID_SOURCE = "Ember Global Electricity Review 2024 (world average carbon intensity of electricity, 2023)"
MAX_QUERIES_PER_DAY = 1e13
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class AtScale:
    """A year of use of one result: GPU energy, energy at the meter (kWh) and emissions (kg CO2e)."""

    gpu_kwh_per_year: float
    meter_kwh_per_year: float
    kg_co2e_per_year: float


def at_scale(
    energy_wh_per_1k: float,
    queries_per_day: float,
    pue: float = DEFAULT_PUE,
    grid_g_per_kwh: float = DEFAULT_GRID_G_PER_KWH,
) -> AtScale:
    """The year of use of a result (formulas in the module docstring); ``ValueError`` names a value
    out of range."""
    checks = (
        ("GPU energy", energy_wh_per_1k, 0.0, math.inf),
        ("queries per day", queries_per_day, 0.0, MAX_QUERIES_PER_DAY),
        ("PUE", pue, 1.0, 5.0),
        ("grid carbon intensity", grid_g_per_kwh, 0.0, 2_000.0),
    )
    for name, value, low, high in checks:
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError(f"{name} {value!r} must be between {low:g} and {high:g}")
    gpu_kwh = energy_wh_per_1k * queries_per_day / 1000.0 * DAYS_PER_YEAR / 1000.0
    meter_kwh = gpu_kwh * pue
    return AtScale(gpu_kwh, meter_kwh, meter_kwh * grid_g_per_kwh / 1000.0)

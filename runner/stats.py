"""Mean, coefficient of variation and a 95% confidence interval (Student's t) over repeats."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Two-sided 95% Student t quantiles by degrees of freedom (1..30); beyond 30 the normal 1.96.
T95 = [
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
]


@dataclass(frozen=True)
class Summary:
    mean: float
    ci95: float  # half-width of the 95% confidence interval of the mean
    cv: float  # sample standard deviation / mean
    n: int


def summarize(values: list[float]) -> Summary:
    n = len(values)
    if n == 0:
        raise ValueError("no values to summarize")
    mean = sum(values) / n
    if n == 1:
        return Summary(mean, float("nan"), float("nan"), 1)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    t = T95[n - 2] if n - 1 <= len(T95) else 1.96
    return Summary(mean, t * sd / math.sqrt(n), sd / mean if mean else float("nan"), n)

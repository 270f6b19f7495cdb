"""Per-repeat sanity: which repeats of a run failed, whether the rest agree, and the figure they give.

A run that repeats its measured phases (energy_star_dev's ``measures``, the runner's
``values_wh_per_1k``) gives one reading per phase per repeat; repeat ``i`` of every phase was
measured in the same pass. A repeat is **failed** only when it is physically not a reading:

* any of its phases reads zero or less: the counter missed the window (energy_star_dev derives
  decode as generate − prefill, so a generate window that read 0 gives decode = −prefill, and a
  prefill window that read 0 moves the whole generation into decode); its total is then not a
  reading either.

A repeat is never excluded for being high or low: a rule that drops outliers is a lever (add one
high repeat and the honest ones become the outliers). Instead the readable repeats must **agree**:
the highest total at most ``MAX_SPREAD`` times the lowest (real repeats of one run agree within a
few per cent). Repeats that disagree more fail the run: the files do not say which figure is true.

A failed repeat is excluded **whole**, never phase by phase: dropping only a missed prefill would
keep a decode that holds the whole generation. The figure that counts is the mean of the complete
repeats; the mean of all repeats is reported beside it. Why the complete repeats count (decided
here, where SPEC §7 said "average them, do not drop them"): a reading of 0 for a window in which
the GPU ran for seconds is not a low measurement but a missing one, so averaging it in understates
the energy (by 11% in the energy_star_dev reference report: 133.71 Wh per 1,000 queries against
148.55 from its eight complete repeats, which agree within 0.2%).

The complete repeats must be a **majority** (more than half, and at least two when the run made two
or more): exclusion never decides the figure for the minority. Judging is O(n log n) in the number of
repeats, which the readers bound (``MAX_REPEATS``) before it is used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from leaderboard.runfolder import MAX_REPEATS

MAX_SPREAD = 1.5  # highest / lowest total of the readable repeats of one run
MIN_GOOD_REPEATS = 2


@dataclass(frozen=True)
class RepeatVerdict:
    """The outcome: repeats that failed (index -> why), the complete ones, both means per phase
    (in the unit of the readings), and the spread of the complete repeats' totals (highest / lowest;
    1.0 with fewer than two)."""

    count: int
    failed: Mapping[int, str]
    good: tuple[int, ...]
    mean_good: Mapping[str, float]
    mean_all: Mapping[str, float]
    spread: float

    @property
    def enough(self) -> bool:
        """Whether the complete repeats are a majority (and at least two of two or more)."""
        return len(self.good) * 2 > self.count and len(self.good) >= min(MIN_GOOD_REPEATS, self.count)

    @property
    def agree(self) -> bool:
        """Whether the complete repeats agree within ``MAX_SPREAD``."""
        return self.spread <= MAX_SPREAD


def judge_repeats(readings: Mapping[str, Sequence[float]], unit: str = "Wh") -> RepeatVerdict:
    """``readings``: phase -> one reading per repeat (every phase has the same number of repeats, at
    most ``MAX_REPEATS``)."""
    counts = {len(v) for v in readings.values()}
    if len(counts) != 1:
        raise ValueError("every phase needs the same number of repeats")
    (count,) = counts
    if count > MAX_REPEATS:
        raise ValueError(f"more than {MAX_REPEATS} repeats")
    totals = [sum(values[i] for values in readings.values()) for i in range(count)]
    failed: dict[int, str] = {}
    for i in range(count):
        low = [f"{phase} read {values[i]:.4g} {unit}" for phase, values in readings.items() if not values[i] > 0]
        if low:  # (a total of readings all above zero is above zero)
            failed[i] = ", ".join(low)
    good = tuple(i for i in range(count) if i not in failed)
    good_totals = [totals[i] for i in good]
    spread = max(good_totals) / min(good_totals) if len(good_totals) >= 2 else 1.0
    mean_all = {phase: sum(values) / count for phase, values in readings.items()}
    mean_good = {
        phase: sum(values[i] for i in good) / len(good) if good else math.nan for phase, values in readings.items()
    }
    return RepeatVerdict(count, failed, good, mean_good, mean_all, spread)

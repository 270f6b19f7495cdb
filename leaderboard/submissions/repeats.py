"""Per-repeat sanity: which repeats of a run failed, and the figure its complete repeats give.

A run that repeats its measured phases (energy_star_dev's ``measures``, the runner's
``values_wh_per_1k``) gives one reading per phase per repeat; repeat ``i`` of every phase was
measured in the same pass. A repeat is **failed** when

* any of its phases reads zero or less: the counter missed the window (energy_star_dev derives
  decode as generate − prefill, so a generate window that read 0 gives decode = −prefill, and a
  prefill window that read 0 moves the whole generation into decode), or
* its total (the sum over phases) is zero or less, or
* its total is more than ``FAR_FACTOR`` times above or below the median total of the other repeats
  that read above zero (real repeats of one run agree within a few per cent; a factor of 2 is a
  broken reading, not noise).

A failed repeat is excluded **whole**, never phase by phase: dropping only a missed prefill would
keep a decode that holds the whole generation. The figure that counts is the mean of the complete
repeats; the mean of all repeats is reported beside it. Why the complete repeats count (decided
here, where SPEC §7 said "average them, do not drop them"): a reading of 0 for a window in which
the GPU ran for seconds is not a low measurement but a missing one, so averaging it in understates
the energy (by 11% in the energy_star_dev reference report: 133.71 Wh per 1,000 queries against
148.55 from its eight complete repeats, which agree within 0.2%).

Too few complete repeats fail the run: fewer than half of the repeats, or fewer than two when the
run made two or more.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FAR_FACTOR = 2.0
MIN_GOOD_REPEATS = 2


@dataclass(frozen=True)
class RepeatVerdict:
    """The outcome: repeats that failed (index -> why), the complete ones, and both means per phase
    (in the unit of the readings)."""

    count: int
    failed: Mapping[int, str]
    good: tuple[int, ...]
    mean_good: Mapping[str, float]
    mean_all: Mapping[str, float]

    @property
    def enough(self) -> bool:
        """Whether enough repeats are complete for the figure to count."""
        need = max(math.ceil(self.count / 2), min(MIN_GOOD_REPEATS, self.count))
        return len(self.good) >= need


def judge_repeats(readings: Mapping[str, Sequence[float]], unit: str = "Wh") -> RepeatVerdict:
    """``readings``: phase -> one reading per repeat (every phase has the same number of repeats)."""
    counts = {len(v) for v in readings.values()}
    if len(counts) != 1:
        raise ValueError("every phase needs the same number of repeats")
    (count,) = counts
    totals = [sum(values[i] for values in readings.values()) for i in range(count)]
    failed: dict[int, str] = {}
    for i in range(count):
        low = [f"{phase} read {values[i]:.4g} {unit}" for phase, values in readings.items() if not values[i] > 0]
        if low:
            failed[i] = ", ".join(low)
        elif not totals[i] > 0:
            failed[i] = f"its total is {totals[i]:.4g} {unit}"
    readable = [i for i in range(count) if i not in failed]
    for i in readable if len(readable) >= 2 else ():
        median = statistics.median(totals[j] for j in readable if j != i)
        if not median / FAR_FACTOR <= totals[i] <= median * FAR_FACTOR:
            failed[i] = f"its total {totals[i]:.4g} {unit} is far from the others' median {median:.4g} {unit}"
    good = tuple(i for i in range(count) if i not in failed)
    mean_all = {phase: sum(values) / count for phase, values in readings.items()}
    mean_good = {
        phase: sum(values[i] for i in good) / len(good) if good else math.nan for phase, values in readings.items()
    }
    return RepeatVerdict(count, failed, good, mean_good, mean_all)

"""Is the number physically plausible? The GPU is a GPU; the average power is between a floor and
the board's limit; or, without durations, the energy per query is near the task's published range.

Average power (logs with phase durations): GPU energy of a phase / its duration / GPU count must
lie between ``MIN_GPU_POWER_W`` (below any GPU's idle draw) and the board's power limit
(``leaderboard.hardware``) x ``POWER_TOLERANCE``.

Energy band (every run, with or without durations): the task registry's
``published_range_wh_per_1k`` is each task's lowest and highest GPU energy per 1,000 queries on the
published boards (AI Energy Score, February and December 2025, NVIDIA H100 80GB:
``reference/aienergyscore/``; a test recomputes it from those files). A result more than ``FAR_FACTOR`` beyond the range fails (no model on a GPU of this era
is a hundred times more, or less, efficient than every published one); more than
``NEAR_FACTOR`` beyond it is a warning that holds the result until a maintainer acknowledges it
with a reason (``accept --ack``): never a silent pass.
"""

from __future__ import annotations

from leaderboard.hardware import max_power_w
from leaderboard.submissions.model import Status
from leaderboard.tasks import TASKS_BY_ID

MIN_GPU_POWER_W = 20.0  # no GPU draws less than this while it runs a benchmark (idle is higher)
POWER_TOLERANCE = 1.05  # average power may exceed the board limit by 5% (counter and clock granularity)

NEAR_FACTOR = 10.0
FAR_FACTOR = 100.0


def power_per_gpu(energy_wh: float, duration_s: float, gpu_count: int) -> float:
    """Average power of one GPU over a phase (W)."""
    return energy_wh * 3600.0 / duration_s / gpu_count


def power_limits(gpu_name: str) -> tuple[float, float]:
    """The plausible range of average power per GPU (W): the floor, and the board limit with tolerance."""
    return MIN_GPU_POWER_W, max_power_w(gpu_name) * POWER_TOLERANCE


def published_range(task: str) -> tuple[float, float] | None:
    """The task's published range of GPU energy per 1,000 queries (Wh), or None for no known task."""
    found = TASKS_BY_ID.get(task)
    return found.published_range_wh_per_1k if found is not None else None


def band_verdict(task: str, wh_per_1k: float) -> tuple[Status, str]:
    """('pass' | 'warn' | 'fail', message) for an energy per 1,000 queries against the task's range."""
    lo, hi = TASKS_BY_ID[task].published_range_wh_per_1k
    shown = f"{wh_per_1k:,.4g} Wh per 1,000 queries"
    published = f"the published range of {task} is {lo:,.4g}–{hi:,.4g}"
    if not lo / FAR_FACTOR <= wh_per_1k <= hi * FAR_FACTOR:
        return "fail", (
            f"{shown} is more than {FAR_FACTOR:.0f}x outside {published}: the energy or the number of queries "
            "is wrong. Check the run and upload its own files."
        )
    if not lo / NEAR_FACTOR <= wh_per_1k <= hi * NEAR_FACTOR:
        return "warn", (
            f"{shown} is more than {NEAR_FACTOR:.0f}x outside {published}: held until a maintainer, having checked "
            "the run, acknowledges it with a reason."
        )
    return "pass", f"{shown}; {published}."

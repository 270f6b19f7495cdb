"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import time
from collections.abc import Callable


def timed(fn: Callable[[], object], runs: int, *, warm: bool = False) -> list[float]:
    """Seconds of each of ``runs`` calls of ``fn`` (after one unmeasured call when ``warm``)."""
    if warm:
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out

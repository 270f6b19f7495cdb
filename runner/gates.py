"""Measuring a window's validity gates: a background sampler of the GPUs (``WindowSampler``, every
``SAMPLE_PERIOD_S``) through a ``GpuProbe`` (GPU utilisation, SM clock, temperature, board power,
clock-event reasons, compute processes), ``judge`` (the samples and the counter's energy and time of a
window -> its ``WindowGate``, whose reasons ``leaderboard.gates.reasons_of`` decides) and ``settle``
(the bounded wait until a phase's power is steady). The energy counter is read only at window edges;
the probe's readings never enter the energy.

A run that fails a gate still writes its folder, marked (``RunGates.verdict == "fail"``): the checker
shows the reasons. A co-tenant found **before** the run, or an energy counter that does not advance,
stops the run instead (``runner.meter``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from leaderboard.gates import MIN_STEADY_S, THRESHOLDS, RunGates, Settling, WindowGate, reasons_of

SAMPLE_PERIOD_S = 0.5


@dataclass(frozen=True)
class Sample:
    """One reading of every measured GPU (in the meter's GPU order); None where NVML has no value."""

    utilisation: tuple[float | None, ...]  # 0..1, share of the last sample period a kernel ran
    sm_clock_mhz: tuple[float | None, ...]
    temperature_c: tuple[float | None, ...]
    power_w: tuple[float | None, ...]
    throttle_mask: int
    processes: int  # compute contexts on the measured GPUs, all processes


class GpuProbe(Protocol):
    def sample(self) -> Sample: ...


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _present(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def judge(
    phase: str,
    repeat: int,
    *,
    duration_s: float,
    passes: int,
    energy_j: float,
    samples: Sequence[Sample],
    idle_power_w: float,
    power_limit_w: float | None,
    own_processes: int,
    min_steady_s: float = MIN_STEADY_S,
) -> WindowGate:
    """The gate of one window from its duration, energy and samples (``own_processes``: the contexts this
    run holds on the measured GPUs, one per GPU)."""
    util = [sum(_present(s.utilisation)) / len(_present(s.utilisation)) for s in samples if _present(s.utilisation)]
    clocks = [c for c in (_mean(_present(s.sm_clock_mhz)) for s in samples) if c is not None]
    temps = [t for t in (_mean(_present(s.temperature_c)) for s in samples) if t is not None]
    powers = [sum(_present(s.power_w)) for s in samples if _present(s.power_w)]
    throttle = 0
    for s in samples:
        throttle |= s.throttle_mask
    gate = WindowGate(
        phase=phase,
        repeat=repeat,
        duration_s=round(duration_s, 6),
        passes=passes,
        mean_power_w=round(energy_j / duration_s, 3) if duration_s > 0 else 0.0,
        utilisation_mean=round(sum(util) / len(util), 4) if util else None,
        utilisation_min=round(min(util), 4) if util else None,
        sm_clock_start_mhz=clocks[0] if clocks else None,
        sm_clock_end_mhz=clocks[-1] if clocks else None,
        temperature_start_c=temps[0] if temps else None,
        temperature_end_c=temps[-1] if temps else None,
        power_min_w=round(min(powers), 3) if powers else None,
        power_max_w=round(max(powers), 3) if powers else None,
        processes_max=max((s.processes for s in samples), default=None),
        throttle_mask=throttle,
        samples=len(samples),
    )
    reasons = reasons_of(
        gate,
        idle_power_w=idle_power_w,
        power_limit_w=power_limit_w,
        own_processes=own_processes,
        min_steady_s=min_steady_s,
    )
    return replace(gate, reasons=reasons)


def run_gates(windows: list[WindowGate], settling: list[Settling], uuids: tuple[str, ...]) -> RunGates:
    return RunGates(tuple(windows), tuple(settling), uuids, dict(THRESHOLDS))


class WindowSampler:
    """Samples a probe every ``period_s`` from its own thread between ``start`` and ``stop`` (and once at
    each end, so even a short window has its two ends)."""

    def __init__(self, probe: GpuProbe, period_s: float = SAMPLE_PERIOD_S) -> None:
        self.probe, self.period_s = probe, period_s
        self.samples: list[Sample] = []
        self.errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.samples = []
        self.errors = 0
        self._take()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="gpu-probe", daemon=True)
        self._thread.start()

    def _take(self) -> None:
        # The gates are evidence beside the energy, never a reason to lose the measurement: a reading the
        # driver cannot give is left out (and counted), the window goes on.
        try:
            self.samples.append(self.probe.sample())
        except Exception:  # noqa: BLE001
            self.errors += 1

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            self._take()

    def stop(self) -> list[Sample]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._take()
        return list(self.samples)


SETTLE_WINDOW_S = 2.0  # one settling window (whole passes)
SETTLE_REL = 0.03  # settled: two settling windows' powers within 3% of each other
SETTLE_MAX_S = 30.0  # the bound on the wait, by default


def settle(
    phase: str,
    window: Callable[[float], tuple[float, float]],
    *,
    max_s: float,
    window_s: float = SETTLE_WINDOW_S,
    rel: float = SETTLE_REL,
    clock: Callable[[], float] = time.perf_counter,
) -> Settling:
    """Run short windows of the phase (``window(min_s)`` -> (energy J, seconds)) until two in a row draw
    the same power within ``rel``, or ``max_s`` has passed."""
    start = clock()
    last: float | None = None
    count = 0
    power = 0.0
    while True:
        energy_j, seconds = window(window_s)
        count += 1
        power = energy_j / seconds if seconds > 0 else 0.0
        if last is not None and last > 0 and abs(power - last) / last <= rel:
            return Settling(phase, round(clock() - start, 3), count, True, round(power, 3))
        if clock() - start >= max_s:
            return Settling(phase, round(clock() - start, 3), count, False, round(power, 3))
        last = power

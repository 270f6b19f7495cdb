"""Validity gates of a measured window, decided once for the runner that records them and the checker
that re-judges them (``reasons_of``): the thresholds and the rule, pure.

=====================  ===========================================================================
reason code            when
=====================  ===========================================================================
``too_short``          a GPU phase's window lasted less than ``MIN_STEADY_S`` (SPEC §8: 20 s)
``utilisation_low``    the GPU was busy less than ``MIN_UTILISATION`` of the window (host-bound)
``clocks_throttled``   a thermal or hardware slowdown reason was set (``THROTTLE_MASK``)
``clocks_dropped``     the SM clock ended below ``CLOCK_DROP`` of where it started
``power_out_of_range`` the window's mean power (counter energy / time) was below ``IDLE_SHARE`` of
                       the idle power measured before the run, or above the board's limit
``another_process``    another process held a context on a measured GPU during the window
=====================  ===========================================================================

Thresholds are decided here: 20 s is SPEC §8's steady state; 50% utilisation, a 10% clock drop and 90%
of idle power are this project's. The records are the run folder's (``leaderboard.runsummary``).
"""

from __future__ import annotations

from leaderboard.runsummary import GATE_REASONS, WindowGate

MIN_STEADY_S = 20.0
MIN_UTILISATION = 0.5
CLOCK_DROP = 0.9
IDLE_SHARE = 0.9
# NVML clock-event reasons that mean the clocks were held down by heat or the hardware, not by the
# workload: HW slowdown (0x8), SW thermal (0x20), HW thermal (0x40), HW power brake (0x80).
THROTTLE_MASK = 0x8 | 0x20 | 0x40 | 0x80
THRESHOLDS = {
    "min_steady_s": MIN_STEADY_S,
    "min_utilisation": MIN_UTILISATION,
    "clock_drop": CLOCK_DROP,
    "idle_share": IDLE_SHARE,
    "throttle_mask": float(THROTTLE_MASK),
}
# Phases that only the host runs (no GPU work to judge for steadiness or utilisation).
HOST_PHASES = frozenset({"preprocess"})


def reasons_of(
    gate: WindowGate,
    *,
    idle_power_w: float,
    power_limit_w: float | None,
    own_processes: int,
    min_steady_s: float = MIN_STEADY_S,
) -> tuple[str, ...]:
    """The gates a window fails, from its recorded figures (``GATE_REASONS`` order)."""
    gpu_phase = gate.phase not in HOST_PHASES
    found = set()
    if gpu_phase and gate.duration_s < min_steady_s:
        found.add("too_short")
    if gpu_phase and gate.utilisation_mean is not None and gate.utilisation_mean < MIN_UTILISATION:
        found.add("utilisation_low")
    if gate.throttle_mask & THROTTLE_MASK:
        found.add("clocks_throttled")
    start, end = gate.sm_clock_start_mhz, gate.sm_clock_end_mhz
    if gpu_phase and start is not None and end is not None and end < CLOCK_DROP * start:
        found.add("clocks_dropped")
    if gate.mean_power_w < IDLE_SHARE * idle_power_w or (
        power_limit_w is not None and gate.mean_power_w > power_limit_w
    ):
        found.add("power_out_of_range")
    if gate.processes_max is not None and gate.processes_max > own_processes:
        found.add("another_process")
    return tuple(r for r in GATE_REASONS if r in found)

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
of idle power are this project's. The records (``WindowGate``, ``Settling``, ``RunGates``) are the run
folder's summary's ``gates`` (``leaderboard.runsummary``), read from untrusted JSON with bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from leaderboard.errors import SubmissionError
from leaderboard.untrusted import UNCHANGED, at, integer, number, obj, opt_number, text

GATE_REASONS = (
    "too_short",
    "utilisation_low",
    "clocks_throttled",
    "clocks_dropped",
    "power_out_of_range",
    "another_process",
)
MAX_THRESHOLDS = 32
MAX_GATE_WINDOWS = 4 * 64  # windows of one run: phases x repeats (the readers bound repeats far lower)


def _opt(data: Mapping[str, object], key: str, where: str) -> float | None:
    return opt_number(data.get(key), at(where, key))


@dataclass(frozen=True)
class WindowGate:
    """One measured window's steady state (``runner.gates.judge``): duration (s), whole passes, mean power
    from the counter (W), GPU utilisation (0..1), SM clock (MHz) and temperature (°C) at both ends, the
    sampled board power range (W), the most compute processes seen, NVML's clock-event reasons, and
    the gate reasons it failed (``GATE_REASONS``; empty: it passed)."""

    phase: str
    repeat: int
    duration_s: float
    passes: int
    mean_power_w: float
    utilisation_mean: float | None = None
    utilisation_min: float | None = None
    sm_clock_start_mhz: float | None = None
    sm_clock_end_mhz: float | None = None
    temperature_start_c: float | None = None
    temperature_end_c: float | None = None
    power_min_w: float | None = None
    power_max_w: float | None = None
    processes_max: int | None = None
    throttle_mask: int = 0
    samples: int = 0
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, value: object, where: str) -> WindowGate:
        data = obj(value, where)
        reasons = data.get("reasons") or []
        if not isinstance(reasons, list) or len(reasons) > len(GATE_REASONS):
            raise SubmissionError(f"{at(where, 'reasons')} must be a list of gate reasons. {UNCHANGED}")
        unknown = [str(r)[:40] for r in reasons if r not in GATE_REASONS]
        if unknown:
            raise SubmissionError(f"{at(where, 'reasons')} names unknown gate reasons {unknown}. {UNCHANGED}")
        processes = data.get("processes_max")
        return cls(
            phase=text(data.get("phase"), at(where, "phase")),
            repeat=integer(data.get("repeat"), at(where, "repeat")),
            duration_s=number(data.get("duration_s"), at(where, "duration_s")),
            passes=integer(data.get("passes"), at(where, "passes")),
            mean_power_w=number(data.get("mean_power_w"), at(where, "mean_power_w")),
            utilisation_mean=_opt(data, "utilisation_mean", where),
            utilisation_min=_opt(data, "utilisation_min", where),
            sm_clock_start_mhz=_opt(data, "sm_clock_start_mhz", where),
            sm_clock_end_mhz=_opt(data, "sm_clock_end_mhz", where),
            temperature_start_c=_opt(data, "temperature_start_c", where),
            temperature_end_c=_opt(data, "temperature_end_c", where),
            power_min_w=_opt(data, "power_min_w", where),
            power_max_w=_opt(data, "power_max_w", where),
            processes_max=integer(processes, at(where, "processes_max")) if processes is not None else None,
            throttle_mask=integer(data.get("throttle_mask", 0), at(where, "throttle_mask")),
            samples=integer(data.get("samples", 0), at(where, "samples")),
            reasons=tuple(str(r) for r in reasons),
        )


@dataclass(frozen=True)
class Settling:
    """The wait before a phase's repeats until its power was steady: seconds, short windows, whether it
    settled before the bound, and the last window's power (W)."""

    phase: str
    seconds: float
    windows: int
    settled: bool
    last_power_w: float

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, value: object, where: str) -> Settling:
        data = obj(value, where)
        return cls(
            text(data.get("phase"), at(where, "phase")),
            number(data.get("seconds"), at(where, "seconds")),
            integer(data.get("windows"), at(where, "windows")),
            data.get("settled") is True,
            number(data.get("last_power_w"), at(where, "last_power_w")),
        )


@dataclass(frozen=True)
class RunGates:
    """Every measured window's gate, each phase's settling, the UUIDs of the GPUs measured, the thresholds
    judged against, and the verdict ('pass', or 'fail' with the reasons of every window that failed)."""

    windows: tuple[WindowGate, ...] = ()
    settling: tuple[Settling, ...] = ()
    uuids: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def reasons(self) -> tuple[str, ...]:
        found = {r for w in self.windows for r in w.reasons}
        return tuple(r for r in GATE_REASONS if r in found)

    @property
    def verdict(self) -> str:
        return "fail" if self.reasons else "pass"

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "thresholds": dict(self.thresholds),
            "uuids": list(self.uuids),
            "windows": [w.to_json() for w in self.windows],
            "settling": [s.to_json() for s in self.settling],
        }

    @classmethod
    def from_json(cls, value: object, where: str) -> RunGates:
        data = obj(value, where)
        lists: dict[str, list[object]] = {}
        for key in ("windows", "settling", "uuids"):
            items = data.get(key) or []
            if not isinstance(items, list) or len(items) > MAX_GATE_WINDOWS:
                raise SubmissionError(f"{at(where, key)} must be a list of at most {MAX_GATE_WINDOWS}. {UNCHANGED}")
            lists[key] = items
        windows, settling, uuids = lists["windows"], lists["settling"], lists["uuids"]
        thresholds = obj(data.get("thresholds") or {}, at(where, "thresholds"))
        if len(thresholds) > MAX_THRESHOLDS:
            raise SubmissionError(f"{at(where, 'thresholds')} holds more than {MAX_THRESHOLDS} entries. {UNCHANGED}")
        gates = cls(
            tuple(WindowGate.from_json(w, at(at(where, "windows"), i)) for i, w in enumerate(windows)),
            tuple(Settling.from_json(x, at(at(where, "settling"), i)) for i, x in enumerate(settling)),
            tuple(text(u, at(at(where, "uuids"), i)) for i, u in enumerate(uuids)),
            {str(k): number(v, at(at(where, "thresholds"), str(k))) for k, v in thresholds.items()},
        )
        stated = data.get("verdict")
        if stated is not None and stated != gates.verdict:
            raise SubmissionError(
                f"{at(where, 'verdict')} says {str(stated)[:20]!r} but its windows' reasons make it {gates.verdict!r}. "
                f"{UNCHANGED}"
            )
        return gates


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

"""The measurement protocol (SPEC §1, §8): warm up, then per repeat one window per phase that
covers all N queries (repeated whole passes until the window lasts at least ``min_window_s``),
idle power before and after, decode = generate - prefill."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from leaderboard.errors import WorkloadError
from leaderboard.gates import HOST_PHASES, MIN_STEADY_S, RunGates, Settling, WindowGate
from leaderboard.tasks import get_task
from runner.gates import GpuProbe, WindowSampler, judge, run_gates, settle
from runner.meter import EnergyMeter, Window, idle_power_w, measure
from runner.workloads import Workload

GENERATE = "generate"  # the measured step of a whole generation (prefill + decode)
HOST_WINDOW_S = 5.0  # the shortest window of a host-only phase (the counter's ~100 ms updates: ~2% of it)


@dataclass
class PhaseRecord:
    """Per-repeat energy (J, summed over GPUs; and per GPU) and duration (s) of one pass over all N
    queries."""

    name: str
    energy_j: list[float] = field(default_factory=list)
    per_gpu_j: list[tuple[float, ...]] = field(default_factory=list)
    duration_s: list[float] = field(default_factory=list)
    passes: int = 1  # the last repeat's passes per window
    window_s: list[float] = field(default_factory=list)
    reference_kwh: list[float] = field(default_factory=list)
    passes_per_repeat: list[int] = field(default_factory=list)


@dataclass
class RunRecord:
    """Everything measured in one run: per-phase records (decode derived), idle power (W) before
    and after, time spent at window edges and in the whole run (s), and meter reads."""

    task: str
    phases: dict[str, PhaseRecord]
    idle_power_w_before: float
    idle_power_w_after: float
    overhead_s: float
    wall_s: float
    meter_reads: int
    gates: RunGates = field(default_factory=RunGates)


def run_protocol(
    workload: Workload,
    queries: list[Any],
    meter: EnergyMeter,
    *,
    repeats: int,
    min_window_s: float,
    sync: Callable[[], None],
    idle_s: float = 3.0,
    reference: CodeCarbonReference | None = None,
    progress: Callable[[str], None] = lambda message: None,
    clock: Callable[[], float] = time.perf_counter,
    sleep: Callable[[float], None] = time.sleep,
    probe: GpuProbe | None = None,
    power_limit_w: float | None = None,
    own_processes: int = 1,
    settle_max_s: float = 0.0,
    min_steady_s: float = MIN_STEADY_S,
    uuids: tuple[str, ...] = (),
) -> RunRecord:
    """``clock`` and ``sleep`` time the windows and the idle measurements (tests simulate them).

    ``probe`` samples every measured window for its validity gates (``runner.gates``; without one the
    gates judge the windows' duration and power alone); ``settle_max_s`` bounds the wait before each
    GPU phase's repeats until its power is steady (0: no wait)."""
    start = clock()
    reads_before = getattr(meter, "reads", 0)
    progress("idle power (before)")
    idle_before = idle_power_w(meter, idle_s, sleep=sleep, clock=clock)
    overhead = 0.0
    task = get_task(workload.task)
    # The measured steps are the task's phases after preprocess, except that decode is measured as
    # the whole generation and derived below as generate - prefill.
    steps = [GENERATE if phase == "decode" else phase for phase in task.required_phases]
    missing = [step for step in steps if not callable(getattr(workload, step, None))]
    if missing:
        raise WorkloadError(f"{task.display_name} ({', '.join(task.phases)}) is not driven by this runner yet.")

    progress("warm-up")
    inputs = [workload.preprocess(q) for q in queries]
    workload.prepare(inputs)  # graph mode: static cache and the captured decode step
    for step in steps:
        fn = getattr(workload, step)
        for item in inputs[: task.protocol.warmup_runs]:  # 10 short runs (SPEC §1)
            fn(item)
    sync()

    def one_pass(step: str) -> Callable[[], list[Any]]:
        if step == "preprocess":
            return lambda: [workload.preprocess(q) for q in queries]
        fn = getattr(workload, step)
        return lambda: [fn(item) for item in inputs]

    # One full, unmeasured pass of every step: every input shape meets the allocator and the kernel
    # heuristics once before measuring (the first pass ran up to 3x slower on an H200), and the GPU
    # leaves its idle clocks.
    for step in ["preprocess", *steps]:
        progress(f"warm pass: {step}")
        one_pass(step)()
        sync()

    gate_windows: list[WindowGate] = []
    settling: list[Settling] = []
    if settle_max_s > 0:
        for step in steps:
            body = one_pass(step)

            def short_window(min_s: float, body: Callable[[], list[Any]] = body) -> tuple[float, float]:
                def work() -> None:
                    t0 = clock()
                    body()
                    while clock() - t0 < min_s:
                        body()

                window = measure(meter, work, sync, clock)
                return window.energy_j, window.duration_s

            progress(f"settling: {step} (until its power is steady, at most {settle_max_s:g} s)")
            settling.append(settle(step, short_window, max_s=settle_max_s, clock=clock))

    records = {step: PhaseRecord(step) for step in ["preprocess", *steps]}
    for r in range(repeats):
        for step in ["preprocess", *steps]:
            progress(
                f"repeat {r + 1}/{repeats}: {step} (whole passes of {len(queries)} queries, >= {min_window_s:g} s)"
            )
            body = one_pass(step)
            done: list[int] = []
            # A host-only phase (preprocess) holds no GPU steady state to wait for: a shorter window.
            shortest = min(min_window_s, HOST_WINDOW_S) if step in HOST_PHASES else min_window_s

            def work(body: Callable[[], list[Any]] = body, done: list[int] = done, shortest: float = shortest) -> None:
                # Whole passes until the window lasts ``shortest``: the counter's ~100 ms update
                # period then costs <= 1% (<= 0.1% at 10 s).
                t0 = clock()
                while not done or clock() - t0 < shortest:
                    body()
                    done.append(1)

            if reference is not None:
                reference.start(step)
            sampler = WindowSampler(probe) if probe is not None else None
            if sampler is not None:
                sampler.start()
            window: Window = measure(meter, work, sync, clock)
            samples = sampler.stop() if sampler is not None else []
            if reference is not None:
                records[step].reference_kwh.append(reference.stop(step) / len(done))
            overhead += window.overhead_s
            gate_windows.append(
                judge(
                    step,
                    r,
                    duration_s=window.duration_s,
                    passes=len(done),
                    energy_j=window.energy_j,
                    samples=samples,
                    idle_power_w=idle_before,
                    power_limit_w=power_limit_w,
                    own_processes=own_processes,
                    min_steady_s=min_steady_s,
                )
            )
            rec = records[step]
            rec.passes = len(done)
            rec.passes_per_repeat.append(len(done))
            rec.energy_j.append(window.energy_j / len(done))
            rec.per_gpu_j.append(tuple(j / len(done) for j in window.per_gpu_j))
            rec.duration_s.append(window.duration_s / len(done))
            rec.window_s.append(window.duration_s)
    progress("idle power (after)")
    idle_after = idle_power_w(meter, idle_s, sleep=sleep, clock=clock)
    if GENERATE in records:
        gen, pre = records.pop(GENERATE), records["prefill"]
        decode = PhaseRecord("decode", passes=gen.passes, passes_per_repeat=list(gen.passes_per_repeat))
        decode.energy_j = [g - p for g, p in zip(gen.energy_j, pre.energy_j, strict=True)]
        decode.per_gpu_j = [
            tuple(g - p for g, p in zip(gs, ps, strict=True))
            for gs, ps in zip(gen.per_gpu_j, pre.per_gpu_j, strict=True)
        ]
        decode.duration_s = [g - p for g, p in zip(gen.duration_s, pre.duration_s, strict=True)]
        decode.window_s = gen.window_s
        if gen.reference_kwh:
            decode.reference_kwh = [g - p for g, p in zip(gen.reference_kwh, pre.reference_kwh, strict=True)]
        records["decode"] = decode
        records[GENERATE] = gen
    reads = getattr(meter, "reads", 0) - reads_before
    gates = run_gates(gate_windows, settling, uuids)
    return RunRecord(task.id, records, idle_before, idle_after, overhead, clock() - start, reads, gates)


def codecarbon_reference(progress: Callable[[str], None]) -> CodeCarbonReference | None:
    """CodeCarbon's tracker if it can start here; otherwise None, with the reason printed."""
    try:
        return CodeCarbonReference()
    except Exception as exc:  # noqa: BLE001 - the reference is optional: the run goes on without it
        progress(f"warning: CodeCarbon reference unavailable ({type(exc).__name__}: {exc})")
        return None


class CodeCarbonReference:
    """CodeCarbon's tracker around the same windows, as an independent reference (GPU kWh per window)."""

    def __init__(self, gpu_ids: tuple[int, ...] = (0,)) -> None:
        from codecarbon import OfflineEmissionsTracker

        # Task mode only (no start()): no periodic sampling thread runs between windows.
        self.tracker = OfflineEmissionsTracker(
            country_iso_code="USA",
            save_to_file=False,
            log_level="error",
            gpu_ids=list(gpu_ids),
            tracking_mode="machine",
            measure_power_secs=5,
        )

    def start(self, name: str) -> None:
        self.tracker.start_task(name)

    def stop(self, name: str) -> float:
        data = self.tracker.stop_task()  # the active task (start_task renames repeats)
        return float(data.gpu_energy)

    def close(self) -> None:
        pass

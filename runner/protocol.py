"""The measurement protocol (SPEC §1, §8): warm up, then per repeat one window per phase that
covers all N queries (repeated whole passes until the window lasts at least ``min_window_s``),
idle power before and after, decode = generate - prefill."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from runner.meter import EnergyMeter, Window, idle_power_w, measure
from runner.workloads import FORWARD, GENERATIVE, Workload

WARMUP_QUERIES = 10


@dataclass
class PhaseRecord:
    """Per-repeat energy (J) and duration (s) of one pass over all N queries."""

    name: str
    energy_j: list[float] = field(default_factory=list)
    duration_s: list[float] = field(default_factory=list)
    passes: int = 1
    window_s: list[float] = field(default_factory=list)
    reference_kwh: list[float] = field(default_factory=list)


@dataclass
class RunRecord:
    phases: dict[str, PhaseRecord]
    idle_power_w_before: float
    idle_power_w_after: float
    overhead_s: float
    wall_s: float
    meter_reads: int


def _passes(seconds_per_pass: float, min_window_s: float) -> int:
    return max(1, math.ceil(min_window_s / max(seconds_per_pass, 1e-6)))


def run_protocol(workload: Workload, queries: list, meter: EnergyMeter, *, repeats: int, min_window_s: float,
                 sync: Callable[[], None], idle_s: float = 3.0, reference=None,
                 progress: Callable[[str], None] = lambda message: None) -> RunRecord:
    start = time.perf_counter()
    reads_before = getattr(meter, "reads", 0)
    progress("idle power (before)")
    idle_before = idle_power_w(meter, idle_s)
    overhead = 0.0
    steps = ["prefill", "generate"] if workload.task in GENERATIVE else ["forward"]
    if workload.task not in GENERATIVE | FORWARD:
        raise ValueError(f"task {workload.task} has no measured phases here")

    progress("warm-up")
    t0 = time.perf_counter()
    inputs = [workload.preprocess(q) for q in queries]
    sync()
    seconds_per_pass = {"preprocess": time.perf_counter() - t0}
    warm = inputs[:WARMUP_QUERIES]
    for step in steps:
        fn = getattr(workload, step)
        for item in warm:                                   # untimed: compilation, caches, allocator
            fn(item)
        sync()
        t0 = time.perf_counter()                            # timed: calibrates the window length
        for item in warm:
            fn(item)
        sync()
        seconds_per_pass[step] = (time.perf_counter() - t0) / len(warm) * len(inputs)

    def one_pass(step):
        if step == "preprocess":
            return lambda: [workload.preprocess(q) for q in queries]
        fn = getattr(workload, step)
        return lambda: [fn(item) for item in inputs]

    # Enough whole passes that each window lasts at least min_window_s (10 s: counter error ~0.1%).
    passes = {step: _passes(seconds, min_window_s) for step, seconds in seconds_per_pass.items()}

    records = {step: PhaseRecord(step, passes=passes[step]) for step in ["preprocess", *steps]}
    for r in range(repeats):
        for step in ["preprocess", *steps]:
            progress(f"repeat {r + 1}/{repeats}: {step} ({passes[step]} pass(es) of {len(queries)} queries)")
            body = one_pass(step)

            def work(body=body, n=passes[step]):
                for _ in range(n):
                    body()

            if reference is not None:
                reference.start(step)
            window: Window = measure(meter, work, sync)
            if reference is not None:
                records[step].reference_kwh.append(reference.stop(step) / passes[step])
            overhead += window.overhead_s
            rec = records[step]
            rec.energy_j.append(window.energy_j / passes[step])
            rec.duration_s.append(window.duration_s / passes[step])
            rec.window_s.append(window.duration_s)
    progress("idle power (after)")
    idle_after = idle_power_w(meter, idle_s)
    if "generate" in records:
        gen, pre = records.pop("generate"), records["prefill"]
        decode = PhaseRecord("decode", passes=gen.passes)
        decode.energy_j = [g - p for g, p in zip(gen.energy_j, pre.energy_j, strict=True)]
        decode.duration_s = [g - p for g, p in zip(gen.duration_s, pre.duration_s, strict=True)]
        decode.window_s = gen.window_s
        if gen.reference_kwh:
            decode.reference_kwh = [g - p for g, p in zip(gen.reference_kwh, pre.reference_kwh, strict=True)]
        records["decode"] = decode
        records["generate"] = gen
    reads = getattr(meter, "reads", 0) - reads_before
    return RunRecord(records, idle_before, idle_after, overhead, time.perf_counter() - start, reads)


def codecarbon_reference(progress: Callable[[str], None]):
    """CodeCarbon's tracker if it can start here; otherwise None, with the reason printed."""
    try:
        return CodeCarbonReference()
    except Exception as exc:  # noqa: BLE001 - the reference is optional: the run goes on without it
        progress(f"warning: CodeCarbon reference unavailable ({type(exc).__name__}: {exc})")
        return None


class CodeCarbonReference:
    """CodeCarbon's tracker around the same windows, as an independent reference (GPU kWh per window)."""

    def __init__(self, gpu_ids=(0,)):
        from codecarbon import OfflineEmissionsTracker

        self.tracker = OfflineEmissionsTracker(country_iso_code="USA", save_to_file=False, log_level="error",
                                               gpu_ids=list(gpu_ids), tracking_mode="machine",
                                               measure_power_secs=5)
        self.tracker.start()

    def start(self, name: str) -> None:
        self.tracker.start_task(name)

    def stop(self, name: str) -> float:
        data = self.tracker.stop_task(name)
        return float(data.gpu_energy)

    def close(self) -> None:
        self.tracker.stop()

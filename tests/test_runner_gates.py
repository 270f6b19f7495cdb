"""Validity gates, UUID mapping and the co-tenant refusal, on the CPU: a fake NVML, a probe that reports
what the test says, and the simulated GPU of the protocol tests (no torch, no GPU)."""

from __future__ import annotations

import sys
import types

import pytest

from leaderboard.errors import MeterError
from leaderboard.gates import MIN_STEADY_S, RunGates, WindowGate, reasons_of
from leaderboard.runsummary import Inputs, RunSettings, RunSummary
from leaderboard.submissions import check_zip
from runner.gates import Sample, judge, settle
from runner.meter import NvmlMeter, resolve_gpu_refs
from runner.output import write_run, zip_run
from runner.protocol import run_protocol
from tests.test_runner_protocol import SimulatedGpu

UUIDS = ["GPU-aaaa1111-0000", "GPU-bbbb2222-0000", "GPU-bbbc3333-0000"]


# --- which GPUs are measured ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "refs, expected",
    [
        (["0"], [0]),
        (["2", "0"], [2, 0]),
        (["GPU-bbbb2222-0000"], [1]),  # a full UUID
        (["GPU-aaaa"], [0]),  # a prefix CUDA accepts
        (["bbbc"], [2]),  # a prefix without 'GPU-'
    ],
)
def test_visible_devices_map_to_nvml_by_uuid(refs, expected):
    assert resolve_gpu_refs(refs, UUIDS) == expected


@pytest.mark.parametrize(
    "refs, message",
    [
        (["GPU-bbb"], "names 2 GPUs"),  # ambiguous prefix
        (["GPU-ffff"], "names no GPU"),
        (["3"], r"GPU 3 requested, 3 NVIDIA GPU\(s\) present"),
        (["MIG-1234-5678"], "MIG instance"),
    ],
)
def test_an_unresolvable_or_shared_gpu_is_refused(refs, message):
    with pytest.raises(MeterError, match=message):
        resolve_gpu_refs(refs, UUIDS)


class FakeNvml(types.ModuleType):
    """The parts of pynvml the meter uses, over three GPUs whose counters and processes the test sets."""

    class NVMLError(Exception):
        pass

    NVML_CLOCK_SM = 1
    NVML_TEMPERATURE_GPU = 0

    def __init__(self, counters=None, processes=None):
        super().__init__("pynvml")
        self.counters = counters or {0: [1000, 150_000], 1: [5000, 125_000], 2: [0, 0]}
        self.processes = processes or {}
        self.reads = {i: 0 for i in range(3)}

    def nvmlInit(self):
        pass

    def nvmlDeviceGetCount(self):
        return 3

    def nvmlDeviceGetHandleByIndex(self, i):
        return i

    def nvmlDeviceGetUUID(self, h):
        return UUIDS[h]

    def nvmlDeviceGetTotalEnergyConsumption(self, h):
        values = self.counters[h]
        value = values[min(self.reads[h], len(values) - 1)]
        self.reads[h] += 1
        return value

    def nvmlDeviceGetComputeRunningProcesses(self, h):
        return [types.SimpleNamespace(pid=p) for p in self.processes.get(h, [])]

    def nvmlDeviceGetName(self, h):
        return "NVIDIA H100 80GB HBM3"

    def nvmlDeviceGetMemoryInfo(self, h):
        return types.SimpleNamespace(total=85_520_809_984)

    def nvmlDeviceGetEnforcedPowerLimit(self, h):
        return 700_000

    def nvmlSystemGetDriverVersion(self):
        return "580.159.04"


@pytest.fixture
def nvml(monkeypatch):
    def install(**kw):
        fake = FakeNvml(**kw)
        monkeypatch.setitem(sys.modules, "pynvml", fake)
        return fake

    return install


def test_the_meter_measures_the_gpus_cuda_shows_and_records_their_uuids(nvml, monkeypatch):
    nvml()
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-bbbb2222,0")
    meter = NvmlMeter(range(2))
    assert meter.uuids == ("GPU-bbbb2222-0000", "GPU-aaaa1111-0000") and meter.handles == [1, 0]


def test_pytorchs_own_uuids_decide_the_order(nvml, monkeypatch):
    nvml()
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    meter = NvmlMeter(range(1), uuids=["GPU-bbbb2222-0000", "GPU-aaaa1111-0000"])
    assert meter.uuids == ("GPU-bbbb2222-0000",)


def test_another_process_on_a_measured_gpu_refuses_the_run(nvml, monkeypatch):
    nvml(processes={1: [4242]})
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    with pytest.raises(MeterError, match="process id 4242"):
        NvmlMeter(range(1)).refuse_co_tenants()
    # A process on a GPU that is not measured is no co-tenant.
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    NvmlMeter(range(1)).refuse_co_tenants()


def test_a_counter_that_does_not_advance_is_refused_before_the_run(nvml, monkeypatch):
    nvml(counters={0: [7, 7, 7], 1: [0], 2: [0]})
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    with pytest.raises(MeterError, match="not advancing"):
        NvmlMeter(range(1)).validate_counter(seconds=0.0, sleep=lambda s: None)


def test_a_counter_reading_no_gpus_power_is_refused(nvml, monkeypatch):
    # 10 MJ in a moment: no GPU draws that; the counter is not this GPU's energy.
    nvml(counters={0: [1, 1, 10**10], 1: [0], 2: [0]})
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0")
    with pytest.raises(MeterError, match="outside 1 W to twice the power limit"):
        NvmlMeter(range(1)).validate_counter(seconds=0.01)


# --- the gates -----------------------------------------------------------------------------------


def sample(util=0.95, clock=1980.0, temp=50.0, power=400.0, throttle=0, processes=1):
    return Sample((util,), (clock,), (temp,), (power,), throttle, processes)


@pytest.mark.parametrize(
    "phase, duration_s, energy_j, samples, expected",
    [
        ("prefill", 30.0, 30 * 400.0, [sample(), sample()], ()),
        ("prefill", 5.0, 5 * 400.0, [sample(), sample()], ("too_short",)),
        ("preprocess", 5.0, 5 * 130.0, [sample(util=0.0), sample(util=0.0)], ()),  # host only: exempt
        ("generate", 30.0, 30 * 300.0, [sample(util=0.3), sample(util=0.4)], ("utilisation_low",)),
        ("forward", 30.0, 30 * 400.0, [sample(), sample(throttle=0x20)], ("clocks_throttled",)),
        ("forward", 30.0, 30 * 400.0, [sample(throttle=0x4)], ()),  # a power cap is the workload's, not heat
        ("forward", 30.0, 30 * 400.0, [sample(clock=1980.0), sample(clock=1500.0)], ("clocks_dropped",)),
        ("forward", 30.0, 30 * 80.0, [sample(), sample()], ("power_out_of_range",)),  # below idle
        ("forward", 30.0, 30 * 900.0, [sample(), sample()], ("power_out_of_range",)),  # above the limit
        ("forward", 30.0, 30 * 400.0, [sample(), sample(processes=2)], ("another_process",)),
        ("forward", 30.0, 30 * 400.0, [], ()),  # no probe: duration and power alone
    ],
)
def test_each_gate_names_its_reason(phase, duration_s, energy_j, samples, expected):
    gate = judge(
        phase,
        0,
        duration_s=duration_s,
        passes=3,
        energy_j=energy_j,
        samples=samples,
        idle_power_w=120.0,
        power_limit_w=700.0,
        own_processes=1,
    )
    assert gate.reasons == expected
    # The checker re-judges the same window from its recorded figures and gets the same reasons.
    assert reasons_of(gate, idle_power_w=120.0, power_limit_w=700.0, own_processes=1) == expected


def test_settling_stops_once_the_power_is_steady_and_is_bounded():
    powers = iter([300.0, 350.0, 380.0, 385.0, 386.0])
    now = [0.0]

    def window(min_s):
        now[0] += min_s
        return next(powers) * min_s, min_s

    s = settle("prefill", window, max_s=30.0, clock=lambda: now[0])
    assert s.settled and s.windows == 4 and s.last_power_w == 385.0
    rising = iter(range(100, 10_000, 100))

    def never(min_s):
        now[0] += min_s
        return float(next(rising)) * min_s, min_s

    bounded = settle("prefill", never, max_s=10.0, clock=lambda: now[0])
    assert not bounded.settled and bounded.seconds <= 10.0 + 2.0


class Probe:
    """A probe that reports a steady, busy GPU, with a second process appearing from ``intruder_at``."""

    def __init__(self, intruder_at: int | None = None):
        self.calls, self.intruder_at = 0, intruder_at

    def sample(self):
        self.calls += 1
        intruder = self.intruder_at is not None and self.calls >= self.intruder_at
        return sample(processes=2 if intruder else 1)


def simulated_run(tmp_path, probe, *, min_window_s=MIN_STEADY_S, settle_max_s=0.0):
    gpu = SimulatedGpu("text_classification")
    record = run_protocol(
        gpu,
        list(range(4)),
        gpu,
        repeats=2,
        min_window_s=min_window_s,
        sync=lambda: None,
        idle_s=2.0,
        clock=gpu.clock,
        sleep=gpu.sleep,
        probe=probe,
        power_limit_w=700.0,
        settle_max_s=settle_max_s,
        uuids=("GPU-aaaa1111-0000",),
    )
    write_run(
        tmp_path / "run",
        model="org/model",
        no_weights=False,
        dtype="float32",
        num_queries=4,
        repeats=2,
        new_tokens=None,
        gpu=gpu.describe(),
        record=record,
        inputs=Inputs("offline", "test"),
        software={},
        settings=RunSettings(),
    )
    return record, check_zip(zip_run(tmp_path / "run").read_bytes())


def check_of(report, name):
    return next(c for c in report.checks if c.name == name)


def test_a_steady_run_passes_its_gates_and_the_checker_says_so(tmp_path):
    record, report = simulated_run(tmp_path, Probe(), settle_max_s=5.0)
    assert record.gates.verdict == "pass" and len(record.gates.windows) == 4  # 2 repeats x (preprocess, forward)
    assert record.phases["forward"].passes_per_repeat == [
        w.passes for w in record.gates.windows if w.phase == "forward"
    ]
    assert [s.phase for s in record.gates.settling] == ["forward"]
    gates = check_of(report, "Validity gates")
    assert gates.status == "pass" and "GPU-aaaa1111-0000" in gates.message


def test_a_run_that_fails_a_gate_still_writes_its_folder_marked_and_is_held(tmp_path):
    record, report = simulated_run(tmp_path, Probe(intruder_at=3))
    assert record.gates.verdict == "fail" and "another_process" in record.gates.reasons
    summary = RunSummary.from_json(
        __import__("json").loads((tmp_path / "run" / "energy_score_summary.json").read_text())
    )
    assert summary.gates is not None and summary.gates.verdict == "fail"
    held = check_of(report, "Validity gates")
    assert held.status == "warn" and "another_process" in held.message and report.valid


def test_short_windows_are_named(tmp_path):
    record, report = simulated_run(tmp_path, Probe(), min_window_s=1.0)
    assert "too_short" in record.gates.reasons
    assert check_of(report, "Validity gates").status == "warn"


def _rewrite(tmp_path, edit):
    import json

    path = tmp_path / "run" / "energy_score_summary.json"
    data = json.loads(path.read_text())
    edit(data)
    path.write_text(json.dumps(data))
    from leaderboard.runfolder import file_hashes, write_checksums

    data["files_sha256"] = file_hashes(tmp_path / "run")  # a forger rewrites the checksums too
    path.write_text(json.dumps(data))
    write_checksums(tmp_path / "run")
    return check_zip(zip_run(tmp_path / "run").read_bytes())


def test_a_forged_pass_is_caught_by_the_windows_own_figures(tmp_path):
    simulated_run(tmp_path, Probe(), min_window_s=1.0)  # windows of ~1 s: too short

    def cleared(data):
        for w in data["gates"]["windows"]:
            w["reasons"] = []
        data["gates"]["verdict"] = "pass"
        data["gates"]["reasons"] = []

    report = _rewrite(tmp_path, cleared)
    failed = check_of(report, "Validity gates")
    assert failed.status == "fail" and "its own figures give ['too_short']" in failed.message


def test_gate_windows_that_contradict_the_phases_fail(tmp_path):
    simulated_run(tmp_path, Probe())

    def stretched(data):
        for w in data["gates"]["windows"]:
            w["duration_s"] *= 2
            w["mean_power_w"] /= 2

    report = _rewrite(tmp_path, stretched)
    assert check_of(report, "Validity gates").status == "fail"


def test_gates_removed_are_held_like_gates_failed(tmp_path):
    simulated_run(tmp_path, Probe())
    report = _rewrite(tmp_path, lambda data: data.pop("gates"))
    assert check_of(report, "Validity gates").status == "warn"


def test_the_gate_records_round_trip():
    gates = RunGates(
        (WindowGate("forward", 0, 21.0, 5, 400.0, utilisation_mean=0.9, processes_max=1),),
        (),
        ("GPU-aaaa1111-0000",),
        {"min_steady_s": 20.0},
    )
    assert RunGates.from_json(gates.to_json(), "gates") == gates

"""The measurement protocol driven by known counter readings (a replay meter, or a simulated GPU
with its own clock): exact per-phase energies, decode = generate - prefill, per-GPU sums, and the
files written from them, which the checker accepts for every task (no torch, no timing)."""

import json
import random

import pytest

from leaderboard.runfolder import (
    BENCHMARK_REPORT,
    RUNNER_SUMMARY,
    GpuInfo,
)
from leaderboard.runsummary import (
    Inputs,
    RunSettings,
)
from leaderboard.submissions import check_zip
from leaderboard.tasks import TASKS, get_task
from runner.meter import ReplayMeter
from runner.output import write_run, zip_run
from runner.protocol import run_protocol


class FakeWorkload:
    """A workload whose steps do nothing: the energies come from the replay meter alone."""

    def __init__(self, task="text_generation"):
        self.task, self.calls = task, []

    def preprocess(self, query):
        return {"query": query}

    def prepare(self, inputs):
        self.calls.append("prepare")

    def prefill(self, inputs):
        self.calls.append("prefill")

    def generate(self, inputs):
        self.calls.append("generate")

    def forward(self, inputs):
        self.calls.append("forward")


def readings(windows_j, gpus=1, idle_j=(500.0, 500.0)):
    """Cumulative mJ readings: idle before, then each window (start, end), then idle after; each
    window's energy split evenly over the GPUs unless given per GPU."""
    out, total = [], [0] * gpus
    for energy in [idle_j[0], *windows_j, idle_j[1]]:
        per_gpu = energy if isinstance(energy, tuple) else tuple(energy / gpus for _ in range(gpus))
        out.append(list(total))
        total = [t + int(round(e * 1000)) for t, e in zip(total, per_gpu, strict=True)]
        out.append(list(total))
    return out


def run(workload, windows_j, *, repeats=2, queries=4, gpus=1):
    meter = ReplayMeter(readings(windows_j, gpus), GpuInfo(("NVIDIA H200",) * gpus, "580", (0,) * gpus))
    record = run_protocol(
        workload, list(range(queries)), meter, repeats=repeats, min_window_s=0.0, sync=lambda: None, idle_s=0.0
    )
    return meter, record


def write(tmp_path, meter, record, *, repeats, new_tokens=10, dtype="bfloat16"):
    """The run folder of a replayed record, as the runner writes it (4 queries)."""
    return write_run(
        tmp_path / "run",
        model="org/model",
        no_weights=True,
        dtype=dtype,
        num_queries=4,
        repeats=repeats,
        new_tokens=new_tokens,
        gpu=meter.describe(),
        record=record,
        inputs=Inputs("offline", "test"),
        software={},
        settings=RunSettings(new_tokens=new_tokens),
    )


def test_exact_phase_energies_and_decode_is_generate_minus_prefill(tmp_path):
    # Per repeat, in order: preprocess, prefill, generate windows (J); one pass each (min window 0).
    windows = [3.6, 36.0, 108.0, 7.2, 72.0, 180.0]
    meter, record = run(FakeWorkload(), windows)
    assert record.phases["preprocess"].energy_j == pytest.approx([3.6, 7.2])
    assert record.phases["prefill"].energy_j == pytest.approx([36.0, 72.0])
    assert record.phases["generate"].energy_j == pytest.approx([108.0, 180.0])
    assert record.phases["decode"].energy_j == pytest.approx([72.0, 108.0])  # generate - prefill
    summary = write(tmp_path, meter, record, repeats=2)
    # Wh per 1,000 queries = J / 3600 x 1000 / 4 queries.
    per_1k = {name: p.values_wh_per_1k for name, p in summary.phases.items()}
    assert per_1k["prefill"] == pytest.approx((36.0 / 3600 * 250, 72.0 / 3600 * 250))
    assert per_1k["decode"] == pytest.approx((72.0 / 3600 * 250, 108.0 / 3600 * 250))
    assert summary.total_gpu_energy_wh_per_1k == pytest.approx((3.6 + 36 + 72 + 7.2 + 72 + 108) / 2 / 3600 * 250)
    # benchmark_report.json: each phase's mean GPU energy of one pass, in kWh.
    report = json.loads((tmp_path / "run" / BENCHMARK_REPORT).read_text())
    assert report["decode"]["energy"] == {
        "unit": "kWh",
        "cpu": None,
        "ram": None,
        "gpu": pytest.approx(90.0 / 3600 / 1000),
        "total": pytest.approx(90.0 / 3600 / 1000),
    }
    assert report["preprocess_dataset"]["energy"]["gpu"] == pytest.approx(5.4 / 3600 / 1000)
    # The portal reads the same figure from the zip.
    checked = check_zip(zip_run(tmp_path / "run").read_bytes())
    assert checked.parsed is not None
    assert checked.parsed.gpu_energy_wh_per_1k == pytest.approx(summary.total_gpu_energy_wh_per_1k)
    saved = json.loads((tmp_path / "run" / RUNNER_SUMMARY).read_text())
    assert saved["settings"]["new_tokens"] == 10 and saved["phases"]["decode"]["repeats"] == 2


def test_energy_of_several_gpus_is_summed_and_kept_per_gpu(tmp_path):
    windows = [(1.8, 1.8), (30.0, 6.0), (90.0, 18.0)]  # GPU 0 does most of the work
    meter, record = run(FakeWorkload(), windows, repeats=1, gpus=2)
    assert record.phases["prefill"].energy_j == pytest.approx([36.0])
    assert record.phases["decode"].per_gpu_j == [pytest.approx((60.0, 12.0))]
    summary = write(tmp_path, meter, record, repeats=1)
    assert summary.gpu.count == 2
    assert summary.phases["decode"].per_gpu_wh_per_1k == pytest.approx((60.0 / 3600 * 250, 12.0 / 3600 * 250))
    assert summary.phases["decode"].gpu_energy_wh_per_1k == pytest.approx(72.0 / 3600 * 250)


def test_forward_tasks_measure_forward_and_idle_share_is_idle_power_times_time(tmp_path):
    meter, record = run(FakeWorkload("text_classification"), [0.36, 3.6, 0.72, 7.2])
    assert set(record.phases) == {"preprocess", "forward"}
    assert record.phases["forward"].energy_j == pytest.approx([3.6, 7.2])
    summary = write(tmp_path, meter, record, repeats=2, new_tokens=None, dtype="float32")
    forward = summary.phases["forward"]
    idle_w = (record.idle_power_w_before + record.idle_power_w_after) / 2
    assert forward.idle_wh_per_1k == pytest.approx(idle_w * forward.duration_s / 3600 * 250)


class SimulatedGpu:
    """A workload and its clock on a simulated GPU that draws ``idle_w`` always and ``work_w`` while
    it works, each step taking a fixed time per query: every reading and duration is known. Its idle
    power is a real H200's, and its clock, like a real one, never reads two windows to the nanosecond
    (a drift under 10 ns), so no two repeats look copied."""

    SECONDS = {"preprocess": 0.01, "prefill": 0.05, "generate": 0.5, "forward": 0.04, "call": 2.0}

    def __init__(self, task, idle_w=120.0, work_w=280.0):
        self.task, self.idle_w, self.work_w, self.now = task, idle_w, work_w, 0.0
        self.mj = 0
        self.jitter = random.Random(0)

    def clock(self):
        return self.now + self.jitter.random() * 1e-8  # under 10 ns, never the same twice

    def _advance(self, seconds, watts):
        self.now += seconds
        self.mj += round(seconds * watts * 1000)

    def sleep(self, seconds):
        self._advance(seconds, self.idle_w)

    def read_mj(self):
        return [self.mj]

    def describe(self):
        return GpuInfo(("NVIDIA H200",), "580", (150_754_820_096,), (700.0,))

    def preprocess(self, query):
        self._advance(self.SECONDS["preprocess"], self.idle_w + self.work_w)
        return {"query": query}

    def prepare(self, inputs):
        pass

    def __getattr__(self, step):  # prefill, generate, forward, call: only those the task measures
        if step not in self.SECONDS:
            raise AttributeError(step)
        return lambda inputs: self._advance(self.SECONDS[step], self.idle_w + self.work_w)


@pytest.mark.parametrize("task_id", [task.id for task in TASKS])
def test_every_task_family_from_known_readings_passes_the_checker_with_exact_figures(tmp_path, task_id):
    task = get_task(task_id)
    gpu = SimulatedGpu(task_id)
    queries, repeats = 4, 3
    record = run_protocol(
        gpu,
        list(range(queries)),
        gpu,
        repeats=repeats,
        min_window_s=1.0,
        sync=lambda: None,
        idle_s=2.0,
        clock=gpu.clock,
        sleep=gpu.sleep,
    )
    assert record.idle_power_w_before == pytest.approx(120.0) and record.idle_power_w_after == pytest.approx(120.0)
    new_tokens = task.protocol.new_tokens or (16 if task.generative else None)
    summary = write_run(
        tmp_path / "run",
        model="org/model",
        no_weights=False,
        dtype="bfloat16" if task.protocol.precision == "BF16" else "float32",
        num_queries=queries,
        repeats=repeats,
        new_tokens=new_tokens,
        gpu=gpu.describe(),
        record=record,
        inputs=Inputs("offline", "test"),
        software={},
        settings=RunSettings(
            new_tokens=new_tokens,
            decode_mode="generate" if task.generative else None,
            reasoning_effort="high" if task_id == "reasoning" else None,
            chat_template=task.protocol.chat_template,
            inference_steps=task.protocol.inference_steps,
            images_per_prompt=task.protocol.images_per_prompt,
        ),
    )
    # 400 W while working: one query's step of s seconds is 400 s J, s / 9 Wh per 1,000 queries.
    steps = {**SimulatedGpu.SECONDS, "decode": SimulatedGpu.SECONDS["generate"] - SimulatedGpu.SECONDS["prefill"]}
    expected = {phase: steps[phase] * 400 / 3600 * 1000 for phase in task.phases}
    assert set(summary.phases) == set(task.phases)
    for phase, wh_per_1k in expected.items():
        assert summary.phases[phase].values_wh_per_1k == pytest.approx((wh_per_1k,) * repeats)
        assert summary.phases[phase].duration_s == pytest.approx(steps[phase] * queries)
    assert summary.total_gpu_energy_wh_per_1k == pytest.approx(sum(expected.values()))
    checked = check_zip(zip_run(tmp_path / "run").read_bytes())
    assert checked.valid, [c.message for c in checked.checks if c.status == "fail"]
    assert checked.parsed is not None and checked.parsed.task == task_id
    assert checked.parsed.gpu_energy_wh_per_1k == pytest.approx(sum(expected.values()))
    assert {c.name: c.status for c in checked.checks}["Average power plausible"] == "pass"  # 400 W on a 700 W board

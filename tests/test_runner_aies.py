"""``run --harness aies-v2``: the official v2 harness (ai_energy_benchmarks) run by the runner on the CPU
with a tiny model and the word-level tokenizer it saves beside it; its folder is the official one and
the portal reads it as a v2 run. Nothing here depends on timing: the cross-check's arithmetic is
tested with a replay meter."""

import json
import os
import subprocess
import sys
import types

import pytest

from leaderboard.harnesses import AIEB_PYTORCH
from leaderboard.runfolder import GpuInfo
from leaderboard.submissions import check_zip
from leaderboard.submissions.layout_v2 import V2_LAYOUT
from tests.conftest import ROOT

pytestmark = pytest.mark.runner

OFFICIAL_FILES = {
    "benchmark_report.json",
    "benchmark_results.csv",
    "emissions/emissions.csv",
    "GPU_ENERGY_SUMMARY.json",
    "GPU_ENERGY_WH.txt",
    "nvml_crosscheck.json",
}


def test_the_official_harness_runs_and_its_zip_is_read_as_a_v2_run(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            "--harness",
            "aies-v2",
            "--task",
            "text_generation",
            "--model",
            "tiny-gpt2",
            "--no-weights",
            "--num-samples",
            "6",
            "--cpu",
            "--fake-meter",
            "--out",
            str(out),
            "--zip",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == OFFICIAL_FILES
    report_json = json.loads((out / "benchmark_report.json").read_text())
    assert report_json["config"]["num_samples"] == 6 and report_json["summary"]["successful_prompts"] == 6
    assert report_json["summary"]["total_completion_tokens"] <= 6 * 10  # the official config's 10 new tokens
    cross = json.loads((out / "nvml_crosscheck.json").read_text())
    assert cross["ai_energy_benchmarks_version"] == "0.0.4" and cross["codecarbon_version"] == "3.0.4"
    assert cross["meter"] == "fake" and cross["nvml_gpu_energy_wh"] == pytest.approx(sum(cross["nvml_per_gpu_wh"]))
    report = check_zip(out.with_suffix(".zip").read_bytes())
    assert report.parsed is not None and report.parsed.layout == V2_LAYOUT
    assert report.parsed.harness == AIEB_PYTORCH
    assert report.parsed.harness_version == "ai_energy_benchmarks 0.0.4, codecarbon 3.0.4"
    status = {c.name: c.status for c in report.checks}
    # A CPU run: what measures the GPU fails, everything the files state agrees.
    assert {n for n, s in status.items() if s == "fail"} == {
        "Energy run",
        "Energies finite and positive",
        "GPU is a GPU",
        "Energy plausible",
    }
    assert status["Files agree"] == "pass" and status["Phases add up"] == "pass" and status["Harness"] == "pass"
    assert status["Prompts complete"] == "pass" and status["NVML cross-check"] == "warn"


def test_the_harness_runs_with_every_request_refused_at_once(monkeypatch):
    from runner.official import _OFFLINE_ENV, CLOSED_PORT, go_offline

    # Every variable go_offline touches is set through monkeypatch first, so each is put back afterwards
    # (a proxy left behind would send later tests' local requests to the closed port).
    for key in (*_OFFLINE_ENV, "NO_PROXY", "no_proxy"):
        monkeypatch.setenv(key, "*")
    go_offline()
    assert os.environ["HTTPS_PROXY"] == CLOSED_PORT and "NO_PROXY" not in os.environ
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["HF_DATASETS_OFFLINE"] == "1"
    import requests

    with pytest.raises(requests.exceptions.ConnectionError):  # refused by the closed port, not a timeout
        requests.get("https://get.geojs.io/v1/ip/geo.json", timeout=30)


def test_the_cross_check_reads_the_meter_at_the_collector_edges():
    from runner.meter import ReplayMeter
    from runner.official import Window, _instrument

    calls = []
    collector = types.SimpleNamespace(start=lambda: calls.append("start"), stop=lambda: calls.append("stop") or {})
    bench = types.SimpleNamespace(metrics_collector=collector)
    meter = ReplayMeter([[1_000, 5_000], [3_601_000, 7_205_000]], GpuInfo(("NVIDIA H200",) * 2, "580", (0, 0)))
    window = Window()
    _instrument(bench, meter, window, "cpu")
    bench.metrics_collector.start()
    bench.metrics_collector.stop()
    assert calls == ["start", "stop"]
    assert window.per_gpu_wh() == pytest.approx([1.0, 2.0])  # 3,600,000 mJ = 1 Wh; 7,200,000 mJ = 2 Wh

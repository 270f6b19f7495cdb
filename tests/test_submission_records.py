"""Every record of a v2 or runner folder held against the energy (``evidence_v2``, ``evidence_runner``):
forgeries that rewrite records consistently, built from genuine folders, are refused or held; the
genuine folders, and genuine variations of them (a model that ends prompts early, another harness
version's results CSV), pass without a new warning.

The genuine folders: reference/aies-v2/ (the official code, unpatched) and the real H200 runs under
bench/gpu/results/ (this project's runner, and its runs of the official harness).
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from bench.gate_attacks import (
    REAL_CLAIM,
    V2_CLAIM,
    _copied_repeat,
    _forged_crosscheck,
    _h100,
    _h100_memory,
    _member,
    _no_durations,
    _official_short_inputs,
    _power_limit,
    _renamed_h100,
    _short_prompts,
    _then,
    _v2_edit,
    runner_real,
    runner_scale,
    v2_real,
    v2_scale,
)
from harness.zips import make_zip, runner_files, v2_files
from leaderboard.board_specs import idle_range_w, memory_problem, power_limit_problem
from leaderboard.submissions import Claim, check_zip
from leaderboard.submissions.evidence_runner import MIN_WINDOW_S

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "bench" / "gpu" / "results"


def check(report, name):
    [found] = [c for c in report.checks if c.name == name]
    return found


def not_passed(report) -> set[tuple[str, str]]:
    return {(c.name, c.status) for c in report.checks if c.status != "pass"}


def folder_zip(path: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for f in sorted(path.rglob("*")):
            if f.is_file():
                zf.write(f, "run/" + str(f.relative_to(path)))
    return buffer.getvalue()


# --- the honest twins and every genuine folder -----------------------------------------------------


def test_the_honest_twins_are_valid_and_held_only_by_their_own_protocol():
    v2 = check_zip(v2_real()[1], V2_CLAIM)
    assert v2.valid and not_passed(v2) == {("Protocol", "warn")}  # 100 queries from a local copy
    assert "average power" in check(v2, "Energy fits the run").message
    runner = check_zip(runner_real()[1], REAL_CLAIM)
    # A run from before the runner recorded its validity gates: how steady it was is held for a maintainer.
    expected = {("Protocol", "warn"), ("Harness", "warn"), ("Validity gates", "warn")}
    assert runner.valid and not_passed(runner) == expected
    assert check(runner, "Energy fits the board").status == "pass"


V2_OFFICIAL_RUNS = sorted(RUNS.glob("*/runs/official-*"))
RUNNER_RUNS = sorted(p.parent for p in RUNS.glob("*/runs/*/energy_score_summary.json"))


@pytest.mark.parametrize("path", V2_OFFICIAL_RUNS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_real_run_of_the_official_harness_fits_its_records(path):
    report = check_zip(folder_zip(path), V2_CLAIM)
    assert report.valid and not_passed(report) == {("Protocol", "warn")}, not_passed(report)
    assert check(report, "Energy fits the run").status == "pass"
    assert "it proves nothing alone" in check(report, "NVML cross-check").message  # never evidence on its own


@pytest.mark.parametrize("path", RUNNER_RUNS, ids=lambda p: f"{p.parts[-3]}/{p.name}")
def test_every_real_runner_run_fits_its_board(path):
    report = check_zip(folder_zip(path))
    assert check(report, "Energy fits the board").status == "pass", check(report, "Energy fits the board").message
    assert all(c.name != "Energy fits the run" or c.status == "pass" for c in report.checks)


def test_genuine_runs_recorded_what_the_board_tables_say():
    """The H200's recorded memory, limit and idle power (30 runs) are inside the ranges that judge them."""
    assert memory_problem("NVIDIA H200", 150_754_820_096 / 2**20) is None
    assert memory_problem("NVIDIA H100 80GB HBM3", 81_559) is None and memory_problem("NVIDIA L4", 23_034) is None
    assert memory_problem("NVIDIA H100 80GB HBM3", 143_771) is not None
    assert power_limit_problem("NVIDIA H200", 700.0) is None and power_limit_problem("NVIDIA H200", 701.0)
    lo, hi = idle_range_w("NVIDIA H200")
    assert lo <= 118.2 and 135.2 <= hi  # the lowest and highest idle power of the committed runs


# --- forgeries of the v2 folder ------------------------------------------------------------------------

V2_FORGERIES = [
    ("energy x0.5 everywhere", v2_scale(energy=0.5), "Energy fits the run", "67 W per GPU, outside 105–735 W"),
    ("and power x0.5", v2_scale(energy=0.5, power=0.5), "Energy fits the run", "outside 105–735 W"),
    ("energy x0.7 and power", v2_scale(energy=0.7, power=0.7), "Energy fits the run", "94 W per GPU"),
    ("and durations", v2_scale(0.5, 1.0, 0.5), "Energy fits the run", "ram_power 38 W lasts 49.12 s"),
    ("and CPU, RAM", v2_scale(0.5, 1.0, 0.5, 0.5), "Energy fits the run", "emissions_rate × duration"),
    ("durations alone", v2_scale(time=0.5), "Energy fits the run", "not its 24.57 s window"),
    ("GPU renamed", _v2_edit(_h100), "Energy fits the run", "records 140.4 GiB of memory"),
    ("and its memory", _v2_edit(_h100_memory), "Files agree", "gpu_stats_gpu_0_memory_total_mb"),
    ("short prompts", _v2_edit(_short_prompts), "Protocol", "inputs: 36.9 prompt tokens per query"),
    ("no durations", _v2_edit(_no_durations), "Energy tied to the run", "cannot be tied to the run's time"),
    (
        "a forged cross-check",
        _then(v2_scale(energy=0.5, power=0.5), _forged_crosscheck),
        "Energy fits the run",
        "outside 105–735 W",
    ),
]


@pytest.mark.parametrize(("what", "edit", "name", "fragment"), V2_FORGERIES, ids=[f[0] for f in V2_FORGERIES])
def test_a_consistently_rewritten_v2_folder_is_refused_or_held(what, edit, name, fragment):
    started = time.perf_counter()
    report = check_zip(v2_real(edit)[1], V2_CLAIM)
    assert time.perf_counter() - started < 2.0
    found = check(report, name)
    assert found.status in ("fail", "warn") and fragment in found.message, found.message
    assert not report.valid or found.status == "warn"


def test_power_readings_that_contradict_the_average_hold_the_result():
    report = check_zip(v2_real(v2_scale(energy=0.5))[1], V2_CLAIM)
    assert check(report, "Power records agree").status == "warn"  # CodeCarbon's 143 W against 67 W


def test_a_missing_codecarbon_row_or_duration_holds_the_result():
    report = check_zip(make_zip(v2_files(gpu="NVIDIA H200", gpu_wh=20.0, duration_s=600.0)))
    assert check(report, "Energy fits the run").status == "pass"
    assert all(c.name != "Energy tied to the run" for c in report.checks)
    files = v2_files()
    files["run/benchmark_report.json"]["energy"].pop("duration_seconds")
    held = check_zip(make_zip(files))
    assert check(held, "Energy tied to the run").status == "warn"


# --- genuine variations of the v2 folder ---------------------------------------------------------------


def _completion(tokens_per_prompt: float):
    """The genuine run as a real model's: it ended some prompts early (the harness sets only max_new_tokens)."""

    def edit(report, rows, emissions):
        s = report["summary"]
        s["total_completion_tokens"] = round(tokens_per_prompt * s["successful_prompts"])
        s["total_tokens"] = s["total_prompt_tokens"] + s["total_completion_tokens"]
        s["throughput_tokens_per_second"] = s["total_tokens"] / s["total_duration_seconds"]
        for key in ("total_completion_tokens", "total_tokens", "throughput_tokens_per_second"):
            rows[-1][f"summary_{key}"] = repr(s[key])

    return _v2_edit(edit)


@pytest.mark.parametrize(("per_prompt", "off"), [(10.0, False), (8.7, False), (5.0, False), (3.0, True), (12.0, True)])
def test_a_model_that_ends_prompts_early_is_on_protocol(per_prompt, off):
    report = check_zip(v2_real(_completion(per_prompt))[1], V2_CLAIM)
    assert report.valid
    assert ("new tokens" in check(report, "Protocol").message.split("):", 1)[1]) is off


def _earlier_version_csv(folder):
    """benchmark_results.csv as the harness leaves it when an earlier version wrote the folder's first run:
    that version's header (one column fewer) and row, then this run's row in full."""
    name = _member(folder, "benchmark_results.csv")
    rows = folder[name]
    older = {k: v for k, v in rows[-1].items() if k != "summary_avg_time_to_first_token"}
    header = ",".join(older)
    body = "\r\n".join([header, ",".join(older.values()), ",".join(f'"{v}"' for v in rows[-1].values())]) + "\r\n"
    folder[name] = body


def test_another_harness_version_in_the_results_csv_is_a_version_warning_not_a_refusal():
    report = check_zip(v2_real(_earlier_version_csv)[1], V2_CLAIM)
    assert report.valid and check(report, "Files agree").status == "pass"
    version = check(report, "Harness version")
    assert version.status == "warn" and "another version's of ai_energy_benchmarks" in version.message
    assert check(report, "Earlier runs in the folder").status == "warn"


def test_an_earlier_harness_versions_report_shape_passes_without_a_warning():
    """ai_energy_benchmarks before device_ids and gpu_stats were recorded: fewer records, no refusal."""

    def older(report, rows, emissions):
        del report["config"]["device_ids"], report["gpu_stats"], report["summary"]["avg_time_to_first_token"]
        del report["backend_info"]["device_ids"]
        dropped = ("config_device_ids", "summary_avg_time_to_first_token", "backend_info_device_ids")
        for key in [k for k in rows[-1] if k.startswith("gpu_stats") or k in dropped]:
            rows[-1].pop(key)

    report = check_zip(v2_real(_v2_edit(older))[1], V2_CLAIM)
    assert report.valid and not_passed(report) == {("Protocol", "warn")}


def test_a_results_csv_without_a_column_is_a_version_warning():
    def drop(report, rows, emissions):
        rows[-1].pop("summary_failed_prompts")

    report = check_zip(v2_real(_v2_edit(drop))[1], V2_CLAIM)
    assert report.valid and check(report, "Files agree").status == "pass"
    assert "no column summary_failed_prompts" in check(report, "Harness version").message


# --- forgeries of the runner folder ---------------------------------------------------------------------

RUNNER_FORGERIES = [
    ("energies and idle x0.7", runner_scale(0.7, 0.7), "87.3 W per GPU, outside the 105–150 W"),
    ("energies and idle x1.3", runner_scale(1.3, 1.3), "162.2 W per GPU"),
    ("windows of milliseconds", runner_scale(0.001, 1.0, 0.001), f"at least {MIN_WINDOW_S:g} s"),
    ("a copied repeat", _copied_repeat, "a repeat copied"),
    ("short official inputs", _official_short_inputs, "36.9 prompt tokens per query from the official dataset"),
    ("GPU renamed", _renamed_h100, "records 140.4 GiB of memory"),
    ("power limit", _power_limit, "power limit of 1,500 W"),
]


@pytest.mark.parametrize(("what", "edit", "fragment"), RUNNER_FORGERIES, ids=[f[0] for f in RUNNER_FORGERIES])
def test_a_consistently_rewritten_runner_folder_is_refused(what, edit, fragment):
    report = check_zip(runner_real(edit)[1], REAL_CLAIM)
    board = check(report, "Energy fits the board")
    assert board.status == "fail" and fragment in board.message, board.message
    assert not report.valid


def test_codecarbons_reading_of_the_same_windows_is_held_against_the_meters():
    """A run with CodeCarbon beside the meter: its energies scaled, CodeCarbon's readings kept."""
    folder = RUNS / "part-2" / "runs" / "tg-llama-1b"
    honest = check_zip(runner_real(folder=folder)[1], REAL_CLAIM)
    assert check(honest, "Energy fits the board").status == "pass"
    forged = check_zip(runner_real(runner_scale(0.9), folder=folder)[1], REAL_CLAIM)
    assert "CodeCarbon" not in check(forged, "Energy fits the board").message  # within the 25% the physics allow
    forged = check_zip(runner_real(runner_scale(0.7), folder=folder)[1], REAL_CLAIM)
    board = check(forged, "Energy fits the board")
    assert board.status == "fail" and "CodeCarbon" in board.message and "over the same window" in board.message


def test_the_synthetic_runner_folder_fits_its_board_and_short_windows_do_not():
    assert check(check_zip(make_zip(runner_files())), "Energy fits the board").status == "pass"

    def short_windows(files):
        for phase in files["energy_score_summary.json"]["phases"].values():
            phase["window_s"] = [0.5, 0.51, 0.52]

    short = check_zip(make_zip(runner_files(tamper=short_windows)))
    assert "a window of 0.5 s" in check(short, "Energy fits the board").message


# --- bounds ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entries", [150, 5_000])
def test_checksum_lists_are_bounded_and_each_file_hashed_once(entries):
    """A list naming one 1.9 MB file thousands of times was hashed once per entry (84 s for 163 KB)."""

    def tamper(files):
        files["benchmark_report.json"]["pad"] = "x" * 1_900_000
        files["energy_score_summary.json"]["files_sha256"] = {
            f"d{i}/benchmark_report.json": "0" * 64 for i in range(entries)
        }

    data = make_zip(runner_files(tamper=tamper))
    started = time.perf_counter()
    report = check_zip(data, Claim())
    assert time.perf_counter() - started < 2.0
    assert not report.valid
    lines = "".join(f"{'0' * 64}  benchmark_report.json\n" for _ in range(entries)).encode()
    files = {**{n: b for n, b in _unzipped(data).items() if not n.endswith("SHA256SUMS")}, "run/SHA256SUMS": lines}
    started = time.perf_counter()
    check_zip(make_zip(files))
    assert time.perf_counter() - started < 2.0


def _unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}

"""Submission parsing and validation: real layouts, every hostile input, named messages."""

import io
import json
import random
import stat
import zipfile

import pytest

from harness.zips import energy, energy_star_files, make_zip
from leaderboard.submissions import MAX_ZIP_BYTES, Claim, check_zip
from tests.conftest import REFERENCE

REFERENCE_REPORT = REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"


def failure(report):
    assert not report.valid
    return " ".join(c.message for c in report.failures)


def test_reference_energy_star_dev_report_parses_to_133_71():
    report = check_zip(make_zip({"run/benchmark_report.json": REFERENCE_REPORT.read_bytes()}))
    assert report.valid, report.failures
    assert report.parsed.layout == "optimum-benchmark energy_star_dev"
    assert round(report.parsed.gpu_energy_wh_per_1k, 2) == 133.71
    per_phase = {p.name: round(p.gpu_energy_wh_per_1k, 2) for p in report.parsed.phases}
    assert per_phase == {"preprocess": 0.16, "prefill": 72.01, "decode": 61.54}
    assert {p.repeats for p in report.parsed.phases if p.name != "preprocess"} == {10}


def test_energy_star_current_layout_with_config():
    report = check_zip(
        make_zip(energy_star_files(num_samples=500)),
        Claim(task="text_generation", model="org/model", model_class="A", hardware="NVIDIA H100 80GB"),
    )
    assert report.valid, report.failures
    p = report.parsed
    assert (p.model, p.task, p.num_queries, p.gpu_name, p.gpu_count) == (
        "org/model",
        "text_generation",
        500,
        "NVIDIA H100 80GB HBM3",
        1,
    )
    # 0.01 + 0.02 + 0.0002 kWh for 500 queries = 30.2 Wh per 500 -> 60.4 Wh per 1,000; load_model never counts.
    assert p.gpu_energy_wh_per_1k == pytest.approx(60.4)


def test_benchmark_json_layout():
    files = energy_star_files()
    combined = {"config": files["run/benchmark_config.json"], "report": files["run/benchmark_report.json"]}
    report = check_zip(make_zip({"benchmark.json": combined}))
    assert report.valid and report.parsed.gpu_energy_wh_per_1k == pytest.approx(30.2)


def test_docker_gpu_energy_summary():
    summary = {"units": "Wh", "total": 3.5, "preprocess_wh": 0.5, "prefill_wh": 1.0, "decode_wh": 2.0}
    report = check_zip(make_zip({"out/GPU_ENERGY_SUMMARY.json": summary, "out/GPU_ENERGY_WH.txt": "3.5\n"}))
    assert report.valid and report.parsed.gpu_energy_wh_per_1k == pytest.approx(3.5)


def test_project_runner_summary_with_durations_checks_power():
    summary = {
        "schema_version": 1,
        "task": "asr",
        "model": "openai/whisper-tiny",
        "num_queries": 200,
        "gpu": {"name": "NVIDIA H200", "count": 1, "driver": "580.1"},
        "phases": {
            "prefill": {"gpu_energy_wh": 1.0, "duration_s": 20.0},
            "decode": {"gpu_energy_wh": 2.0, "duration_s": 40.0},
        },
    }
    ok = check_zip(make_zip({"energy_score_summary.json": summary}), Claim(hardware="NVIDIA H200"))
    assert ok.valid and ok.parsed.gpu_energy_wh_per_1k == pytest.approx(15.0)  # 3 Wh / 200 queries x 1000
    summary["phases"]["decode"]["duration_s"] = 0.5  # 14,400 W: impossible
    bad = check_zip(make_zip({"energy_score_summary.json": summary}))
    assert "decode: 14,400 W per GPU" in failure(bad)


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"a/../benchmark_report.json": "{}"}, "points outside the zip ('..')"),
        ({"/etc/benchmark_report.json": "{}"}, "absolute or Windows path"),
        ({"run/inner.zip": b"PK\x03\x04rest"}, "nested archive"),
        ({"run/benchmark_report.json": b"PK\x03\x04 a zip in disguise"}, "zip inside the zip"),
        ({"run/data.bin": b"PK\x03\x04 hidden archive"}, "zip inside the zip"),
        ({"run/benchmark_report.json": '{"prefill": {"energy": '}, "truncated JSON"),
        ({"run/benchmark_report.json": '{"prefill": [1, 2,, 3]}'}, "invalid JSON"),
        ({"run/benchmark_report.json": '{"prefill": {"energy": {"unit": "kWh", "gpu": NaN}}}'}, "NaN or Infinity"),
        ({"run/benchmark_report.json": '{"prefill": {"energy": {"unit": "kWh", "gpu": Infinity}}}'}, "NaN or Infinity"),
        (
            {"run/benchmark_report.json": {"prefill": {"energy": energy(0.01, unit="calories")}}},
            "unknown unit 'calories'",
        ),
        ({"run/benchmark_report.json": {"prefill": {"energy": {"unit": "kWh", "cpu": 1.0}}}}, "has no GPU energy"),
        ({"run/notes.txt": "hello"}, "No benchmark report found"),
        ({"run/benchmark_report.json": b"\xff\xfe not utf-8"}, "not UTF-8 text"),
    ],
)
def test_hostile_or_broken_members_are_rejected_by_name(files, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = check_zip(make_zip(files))
    assert expected in failure(report)
    assert list(tmp_path.iterdir()) == []  # nothing extracted or written


@pytest.mark.parametrize(
    "phases, expected",
    [
        ({"prefill": -0.01, "decode": 0.02}, "prefill: -10.0 Wh"),
        ({"prefill": 0.0, "decode": 0.02}, "prefill: 0.0 Wh"),
        ({"prefill": 0.01}, "decode missing for text_generation"),
        ({"load_model": 1.0}, "No counted phase"),
    ],
)
def test_bad_energies_are_failed_checks(phases, expected):
    assert expected in failure(check_zip(make_zip(energy_star_files(phases=phases)), Claim(task="text_generation")))


@pytest.mark.parametrize("num_samples", [0, -5, 2.5, "many"])
def test_zero_negative_or_non_integer_query_counts(num_samples):
    assert "whole number above 0" in failure(check_zip(make_zip(energy_star_files(num_samples=num_samples))))


def test_zip_bomb_is_rejected():
    data = make_zip({"run/benchmark_report.json": b"0" * (20 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "looks like a zip bomb" in failure(check_zip(data))


def test_too_large_upload_too_many_members_and_too_much_data():
    assert "the limit is 50 MB" in failure(check_zip(b"x" * (MAX_ZIP_BYTES + 1)))
    many = make_zip({f"run/f{i}.txt": "x" for i in range(2001)})
    assert "2001 members; the limit is 2000" in failure(check_zip(many))
    rng = random.Random(0)
    sparse = bytes(rng.getrandbits(8) if i % 32 == 0 else 0 for i in range(1 << 20))  # inflates ~15x
    big = {f"run/part{i}.bin": sparse * 45 for i in range(5)}  # 5 x 45 MB in a ~15 MB zip
    data = make_zip(big)
    assert len(data) < MAX_ZIP_BYTES
    assert "expands to more than 200 MB" in failure(check_zip(data))


def test_symlink_member_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        info = zipfile.ZipInfo("run/benchmark_report.json")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    assert "is a symbolic link" in failure(check_zip(buffer.getvalue()))


def test_encrypted_member_is_rejected():
    data = bytearray(make_zip({"run/benchmark_report.json": "{}"}))
    # Set the "encrypted" flag in the local and central headers, as a password-protected zip has it.
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        data[at + offset] |= 0x01
    assert "is encrypted" in failure(check_zip(bytes(data)))


def test_non_utf8_member_name_is_rejected():
    data = make_zip({"run/cafe.json": "{}"}).replace(b"cafe", b"caf\x82")  # cp437 e-acute, no UTF-8 flag
    assert "is not UTF-8" in failure(check_zip(data))


def test_not_a_zip_and_truncated_zip():
    assert "not a readable zip" in failure(check_zip(b"just text"))
    data = make_zip(energy_star_files())
    assert "not a readable zip" in failure(check_zip(data[: len(data) // 2]))


def test_two_runs_in_one_zip_are_refused():
    files = {**energy_star_files(folder="a/"), **energy_star_files(folder="b/")}
    assert "upload one run folder per submission" in failure(check_zip(make_zip(files)))


@pytest.mark.parametrize(
    "claim, expected",
    [
        (Claim(hardware="NVIDIA A100 80GB"), "the logs ran on 'NVIDIA H100 80GB HBM3'"),
        (Claim(hardware="NVIDIA H100 94GB"), "the logs ran on"),
        (Claim(model="org/other"), "the logs measured 'org/model'"),
        (Claim(task="asr"), "the logs ran text_generation"),
    ],
)
def test_claims_are_checked_against_the_logs(claim, expected):
    assert expected in failure(check_zip(make_zip(energy_star_files()), claim))


def test_class_a_or_b_must_run_on_one_gpu():
    data = make_zip(energy_star_files(gpu_count=4))
    assert "must use one GPU" in failure(check_zip(data, Claim(model_class="B")))
    assert check_zip(data, Claim(model_class="C")).valid


def test_reasoning_claim_is_compatible_with_text_generation_logs():
    assert check_zip(make_zip(energy_star_files()), Claim(task="reasoning")).valid


def test_model_names_with_markup_are_kept_as_text():
    report = check_zip(make_zip(energy_star_files(model="<img src=x onerror=alert(1)>")))
    assert report.parsed.model == "<img src=x onerror=alert(1)>"
    assert json.loads(json.dumps(report.parsed.model)) == report.parsed.model

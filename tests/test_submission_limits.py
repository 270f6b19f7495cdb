"""Every named limit and threshold of the checker, on both sides of its edge: at the limit passes,
one step beyond is refused (so that a limit that drifts is noticed)."""

import json
import math
import random
import zipfile
import zlib

import pandas as pd
import pytest

from harness.zips import RawMember, energy_star_dev_files, energy_star_files, make_zip, raw_zip, runner_files
from leaderboard import untrusted as U
from leaderboard.submissions import MAX_ZIP_BYTES, Claim, check_zip, reading
from leaderboard.submissions import archive as A
from leaderboard.submissions.plausibility import (
    FAR_FACTOR,
    MIN_GPU_POWER_W,
    NEAR_FACTOR,
    band_verdict,
)
from leaderboard.submissions.repeats import MAX_SPREAD, judge_repeats
from leaderboard.tasks import TASKS
from tests.conftest import REFERENCE


def messages(report):
    return " ".join(c.message for c in report.checks if c.status != "pass")


def check(report, name):
    [found] = [c for c in report.checks if c.name == name]
    return found


def with_report(body, compression=zipfile.ZIP_DEFLATED):
    files = energy_star_files(codecarbon=False)  # the report alone: CodeCarbon's files would not agree with it
    files["run/benchmark_report.json"] = body
    return make_zip(files, compression)


def test_upload_size_limit():
    assert "the limit is 50 MB" not in messages(check_zip(b"x" * MAX_ZIP_BYTES))
    assert "the limit is 50 MB" in messages(check_zip(b"x" * (MAX_ZIP_BYTES + 1)))


def test_member_count_limit():
    base = energy_star_files()
    at = {**base, **{f"run/f{i}.log": "x" for i in range(A.MAX_MEMBERS - len(base))}}
    assert check_zip(make_zip(at)).valid
    over = {**at, "run/one-more.log": "x"}
    assert f"the limit is {A.MAX_MEMBERS}" in messages(check_zip(make_zip(over)))


def _declared(total: int, parts: int = 5) -> bytes:
    """Members declaring ``total`` bytes in all, each at ratio 100 (a valid deflate start, padded)."""
    members = [RawMember(n, b if isinstance(b, str) else json.dumps(b)) for n, b in energy_star_files().items()]
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = comp.compress(b"\0" * 1024) + comp.flush(zlib.Z_SYNC_FLUSH)
    each = [total // parts] * parts
    each[-1] += total - sum(each)
    for i, size in enumerate(each):
        csize = math.ceil(size / A.MAX_RATIO)
        members.append(RawMember(f"run/big{i}.bin", b"", payload=start + b"\0" * (csize - len(start)), size=size))
    return raw_zip(members)


def test_declared_total_limit():
    run = sum(len(json.dumps(b)) if not isinstance(b, str) else len(b) for b in energy_star_files().values())
    assert check_zip(_declared(A.MAX_UNCOMPRESSED_BYTES - run)).valid
    assert "expands to more than 200 MB" in messages(check_zip(_declared(A.MAX_UNCOMPRESSED_BYTES - run + 1)))


@pytest.mark.parametrize(
    "size, compressed, refused",
    [
        (A.RATIO_MIN_BYTES, 1, False),  # small members may compress better than the ratio
        (A.RATIO_MIN_BYTES + 1, 1, True),
        (2_000_000, 20_000, False),  # exactly 100x
        (2_000_000, 19_999, True),
    ],
)
def test_ratio_limit(size, compressed, refused):
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = comp.compress(b"\0" * 64) + comp.flush(zlib.Z_SYNC_FLUSH)
    payload = (start + b"\0" * compressed)[:compressed] if compressed >= len(start) else start[:compressed]
    members = [RawMember(n, b if isinstance(b, str) else json.dumps(b)) for n, b in energy_star_files().items()]
    members.append(RawMember("run/pad.bin", b"", payload=payload, size=size))
    assert ("zip bomb" in messages(check_zip(raw_zip(members)))) is refused


def test_name_length_limit():
    at = make_zip({**energy_star_files(), "run/" + "x" * (A.MAX_NAME_CHARS - 4): "x"})
    assert check_zip(at).valid
    over = make_zip({**energy_star_files(), "run/" + "x" * (A.MAX_NAME_CHARS - 3): "x"})
    assert f"longer than {A.MAX_NAME_CHARS}" in messages(check_zip(over))


def _padded_json(size: int) -> bytes:
    body = json.dumps(
        {
            "prefill": {"energy": {"unit": "kWh", "gpu": 0.01}, "efficiency": {"unit": "samples/kWh", "value": 1e5}},
            "decode": {"energy": {"unit": "kWh", "gpu": 0.02}, "efficiency": {"unit": "tokens/kWh", "value": 4.5e5}},
            "pad": "",
        }
    )
    return (body[:-2] + "x" * (size - len(body)) + '"}').encode()


def test_parsed_file_size_limits():
    stored = zipfile.ZIP_STORED  # padding compresses beyond the ratio limit
    assert check_zip(with_report(_padded_json(A.MAX_JSON_BYTES), stored)).valid
    assert "a report over 2 MB" in messages(check_zip(with_report(_padded_json(A.MAX_JSON_BYTES + 1), stored)))
    files = energy_star_files(codecarbon=False)
    files["run/benchmark_report.json"] = _padded_json(A.MAX_JSON_BYTES)
    config = json.dumps(files["run/benchmark_config.json"], indent=2)  # as make_zip writes it
    spare = A.MAX_JSON_TOTAL_BYTES - A.MAX_JSON_BYTES - len(config)
    files["run/GPU_ENERGY_WH.txt"] = b" " * (spare - 5) + b"30.2\n"  # a parsed file too
    assert "add up to more than" not in messages(check_zip(make_zip(files, zipfile.ZIP_STORED)))
    files["run/GPU_ENERGY_WH.txt"] = b" " * (spare - 4) + b"30.2\n"
    assert "add up to more than 4 MB" in messages(check_zip(make_zip(files, zipfile.ZIP_STORED)))


def test_json_depth_values_and_number_limits():
    def report(extra):
        return with_report('{"prefill": {"energy": {"unit": "kWh", "gpu": 0.01}}, "x": ' + extra + "}")

    depth = U.MAX_JSON_DEPTH - 1  # the report's own object is one level
    assert "levels deep" not in messages(check_zip(report("[" * depth + "]" * depth)))
    assert f"nested {U.MAX_JSON_DEPTH + 1} levels deep" in messages(
        check_zip(report("[" * (depth + 1) + "]" * (depth + 1)))
    )
    # Values: each container and each comma counts one.
    base = '{"prefill": {"energy": {"unit": "kWh", "gpu": 0.01}}, "x": [0]}'
    used = base.count("{") + base.count("[") + base.count(",")
    n = U.MAX_JSON_VALUES - used
    assert "values" not in messages(check_zip(report("[" + ",".join(["0"] * (n + 1)) + "]")))
    assert "more than 200,000 values" in messages(check_zip(report("[" + ",".join(["0"] * (n + 2)) + "]")))
    digits = U.MAX_NUMBER_CHARS
    assert "longer than" not in messages(check_zip(report("1" + "0" * (digits - 1))))
    assert f"longer than {digits} characters" in messages(check_zip(report("1" + "0" * digits)))


def test_zip_version_limit():
    for version, refused in ((A.MAX_EXTRACT_VERSION, False), (A.MAX_EXTRACT_VERSION + 1, True)):
        data = bytearray(make_zip(energy_star_files()))
        at = data.find(b"PK\x01\x02")
        data[at + 6] = version
        assert ("needs zip version" in messages(check_zip(bytes(data)))) is refused


def _crashed(logs: dict[str, bytes]) -> bytes:
    files = energy_star_files()
    del files["run/benchmark_report.json"], files["run/benchmark.log"]
    return make_zip({**files, **logs})


def test_crash_logs_read_within_their_limits():
    error = b"ERROR RuntimeError: CUDA out of memory\n"
    quiet = b"[INFO] working\n"
    five = {f"run/log{i}.log": quiet for i in range(A.MAX_LOGS_READ - 1)}
    assert "CUDA out of memory" in messages(check_zip(_crashed({**five, "run/z.log": error})))
    six = {f"run/log{i}.log": quiet for i in range(A.MAX_LOGS_READ)}
    assert "names no error" in messages(check_zip(_crashed({**six, "run/z.log": error})))
    # The error must be in the last MAX_LOG_BYTES of what is read: one byte more and its 'E' is cut.
    line = b"ERROR boom\n"
    inside = line + b"." * (A.MAX_LOG_BYTES - len(line))
    outside = line + b"." * (A.MAX_LOG_BYTES - len(line) + 1)
    assert "ERROR boom" in messages(check_zip(_crashed({"run/a.log": inside})))
    assert "names no error" in messages(check_zip(_crashed({"run/a.log": outside})))
    # A log longer than the scan limit is read only that far, and the message says so.
    noise = random.Random(0).randbytes(A.MAX_LOG_SCAN_BYTES // 2).hex().encode()  # deflates 2x, not 1,000x
    cap = A.MAX_LOG_SCAN_BYTES
    long_log = noise[: cap - 4] + error  # 'ERRO' within the scan, the rest beyond
    assert "(the first 16 MB read) names no error" in messages(check_zip(_crashed({"run/a.log": long_log})))
    exact = noise[: cap - 5] + error  # 'ERROR' ends at the scan's last byte: the line is found (and quoted)
    assert "Its log run/a.log says:" in messages(check_zip(_crashed({"run/a.log": exact})))


def test_gpu_count_limits():
    at = check_zip(make_zip(energy_star_files(gpu=["NVIDIA H100 80GB HBM3"], gpu_count=64)))
    assert at.parsed is not None and at.parsed.gpu_count == 64
    assert "not a number of GPUs" in messages(check_zip(make_zip(energy_star_files(gpu_count=65))))


def test_query_count_limits():
    assert check_zip(make_zip(energy_star_files(num_samples=10**9 - 1))).parsed.num_queries == 10**9 - 1
    assert "whole number above 0" in messages(check_zip(make_zip(energy_star_files(num_samples=10**9))))
    assert "out of any sensible range" in messages(check_zip(make_zip(energy_star_files(batch_size=2 * 10**12))))
    assert "out of any sensible range" not in messages(check_zip(make_zip(energy_star_files(batch_size=10**12 - 1))))


@pytest.mark.parametrize(
    "factor, agree",
    [
        (MAX_SPREAD * 0.99, True),
        (MAX_SPREAD * 1.01, False),
        (1 / (MAX_SPREAD * 0.99), True),
        (1 / (MAX_SPREAD * 1.01), False),
    ],
)
def test_readable_repeats_must_agree_within_the_spread(factor, agree):
    """A high or low repeat is never excluded (that rule is a lever); repeats that disagree fail the run."""
    verdict = judge_repeats({"forward": [10.0, 10.0, 10.0, 10.0 * factor]})
    assert not verdict.failed and verdict.agree is agree


@pytest.mark.parametrize(
    "count, bad, enough",
    [(1, 0, True), (2, 1, False), (3, 1, True), (4, 2, False), (5, 3, False), (10, 4, True), (10, 5, False)],
)
def test_complete_repeats_must_be_a_majority(count, bad, enough):
    values = [10.0] * (count - bad) + [0.0] * bad
    assert judge_repeats({"forward": values}).enough is enough


PUBLISHED_RANGE_WH_PER_1K = {t.id: t.published_range_wh_per_1k for t in TASKS}


@pytest.mark.parametrize("task", sorted(PUBLISHED_RANGE_WH_PER_1K))
def test_energy_band_edges(task):
    lo, hi = PUBLISHED_RANGE_WH_PER_1K[task]
    assert band_verdict(task, lo)[0] == "pass" and band_verdict(task, hi)[0] == "pass"
    assert (
        band_verdict(task, lo / NEAR_FACTOR)[0] == "pass" and band_verdict(task, lo / NEAR_FACTOR * 0.999)[0] == "warn"
    )
    assert (
        band_verdict(task, hi * NEAR_FACTOR)[0] == "pass" and band_verdict(task, hi * NEAR_FACTOR * 1.001)[0] == "warn"
    )
    assert band_verdict(task, lo / FAR_FACTOR)[0] == "warn" and band_verdict(task, lo / FAR_FACTOR * 0.999)[0] == "fail"
    assert band_verdict(task, hi * FAR_FACTOR)[0] == "warn" and band_verdict(task, hi * FAR_FACTOR * 1.001)[0] == "fail"


def test_published_ranges_are_the_reference_data():
    """The band's source: the lowest and highest published energies of each task (rounded outwards)."""
    found: dict[str, tuple[float, float]] = {}
    for path in sorted((REFERENCE / "aienergyscore").glob("*/*.csv")):
        energies = pd.read_csv(path)["total_gpu_energy"] * 1000
        lo, hi = found.get(path.stem, (math.inf, -math.inf))
        found[path.stem] = (min(lo, energies.min()), max(hi, energies.max()))
    assert set(found) == set(PUBLISHED_RANGE_WH_PER_1K)
    for task, (lo, hi) in found.items():
        table_lo, table_hi = PUBLISHED_RANGE_WH_PER_1K[task]
        assert lo * 0.999 <= table_lo <= lo and hi <= table_hi <= hi * 1.001, task


@pytest.mark.parametrize("watts, status", [(MIN_GPU_POWER_W * 1.01, "pass"), (MIN_GPU_POWER_W * 0.99, "fail")])
def test_power_floor(watts, status):
    files = runner_files(
        values_wh_per_1k={"prefill": [1.0, 1.0], "decode": [1.0, 1.0]},
        duration_s={"prefill": 3600.0 / 300.0, "decode": 3600.0 / watts},
    )
    assert check(check_zip(make_zip(files)), "Average power plausible").status == status


def test_reference_report_complete_repeats_are_within_the_factor():
    report = (REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json").read_bytes()
    parsed = check_zip(make_zip(energy_star_dev_files(report)), Claim(task="text_generation")).parsed
    assert parsed.failed_repeats == (4, 6)


def test_limits_are_the_documented_ones():
    """The README and the module docstrings state these; a change must be deliberate."""
    assert (A.MAX_ZIP_BYTES, A.MAX_MEMBERS, A.MAX_UNCOMPRESSED_BYTES) == (50 * 2**20, 2000, 200 * 2**20)
    assert (A.MAX_RATIO, A.RATIO_MIN_BYTES, A.MAX_NAME_CHARS) == (100, 1_000_000, 300)
    assert (A.MAX_JSON_BYTES, A.MAX_JSON_TOTAL_BYTES, U.MAX_JSON_DEPTH) == (2 * 2**20, 4 * 2**20, 64)
    assert (U.MAX_JSON_VALUES, U.MAX_NUMBER_CHARS, A.MAX_EXTRACT_VERSION) == (200_000, 40, 45)
    assert (A.MAX_LOG_BYTES, A.MAX_LOG_SCAN_BYTES, A.MAX_LOGS_READ) == (256 * 1024, 16 * 2**20, 5)
    from leaderboard.submissions import plausibility, repeats

    assert (plausibility.MIN_GPU_POWER_W, plausibility.POWER_TOLERANCE) == (20.0, 1.05)
    assert (plausibility.NEAR_FACTOR, plausibility.FAR_FACTOR) == (10.0, 100.0)
    assert (repeats.MAX_SPREAD, repeats.MIN_GOOD_REPEATS, repeats.MAX_REPEATS) == (1.5, 2, 1000)
    from leaderboard.submissions import evidence

    assert (evidence.EDGE_REL, evidence.PASSES_SLACK, evidence.IDLE_SHARE) == (0.05, 2.0, 0.9)
    assert (evidence.EFFICIENCY_REL, evidence.MAX_CPU_RAM_SPREAD, evidence.SAME_REL) == (0.01, 2.0, 1e-6)
    assert reading.MAX_GPUS == 64


def test_published_range_table_is_the_documented_one():
    """The band's numbers as documented (rounded outwards from the reference data, which the test above
    checks them against)."""
    assert PUBLISHED_RANGE_WH_PER_1K == {
        "text_generation": (1.313, 3426.39),
        "reasoning": (266.73, 18992.37),
        "summarization": (0.7848, 34.81),
        "question_answering": (0.0554, 178.14),
        "text_classification": (0.216, 27.79),
        "sentence_similarity": (0.1063, 5.221),
        "image_classification": (0.2991, 2.642),
        "object_detection": (1.004, 7.981),
        "asr": (0.6196, 86.68),
        "image_generation": (186.81, 1639.85),
        "image_captioning": (45.747, 179.94),
    }


def test_a_log_of_exactly_the_scan_limit_is_read_whole():
    noise = random.Random(1).randbytes(A.MAX_LOG_SCAN_BYTES // 2).hex().encode()
    message = messages(check_zip(_crashed({"run/a.log": noise})))
    assert "names no error" in message and "first 16 MB" not in message


def test_logs_that_inflate_fast_are_read_in_order():
    """A 64 kB piece of a very compressible log inflates to more than one 1 MB chunk: nothing is skipped."""
    lines = b"".join(b"INFO step %d of the warm-up is done\n" % i for i in range(200_000))
    log = lines + b"ERROR RuntimeError: CUDA out of memory\n"
    data = _crashed({"run/a.log": log})
    assert "CUDA out of memory" in messages(check_zip(data))


@pytest.mark.parametrize(
    "values, failed, agree",
    [
        ([10.0, 10.0, 10.0, 15.0], set(), True),  # exactly the spread: they agree
        ([10.0, 10.0, 10.0, 40.0], set(), False),  # one far repeat is not excluded: the run fails
        ([10.0, 30.0], set(), False),  # two that disagree: neither can be trusted
        ([0.3, 0.3, 0.3], set(), True),  # small totals are totals
        ([10.0, -1.0, 10.0], {1}, True),  # only a physically failed reading is excluded
    ],
)
def test_repeat_edges(values, failed, agree):
    verdict = judge_repeats({"forward": values})
    assert set(verdict.failed) == failed and verdict.agree is agree


def test_repeats_need_one_count():
    with pytest.raises(ValueError, match="same number of repeats"):
        judge_repeats({"prefill": [1.0, 2.0], "decode": [1.0]})


@pytest.mark.parametrize(
    "raw, skeleton",
    [
        (b'{"a": "x\\"y", "b": [1, "]"]}', b'{"": "", "": [1, ""]}'),
        (b'{"a": "\\\\", "b": 2}', b'{"": "", "": 2}'),  # an escaped backslash ends before the quote
        (b'{"a": "' + b'\\"' * 50_000, b'{"": ""'),  # unterminated: the skeleton ends there
        (b"[1, 2]", b"[1, 2]"),
    ],
)
def test_string_contents_are_removed_in_one_pass(raw, skeleton):
    """The JSON pre-screen's skeleton (counts, depth, long numbers) never sees a string's contents."""
    assert U._without_strings(raw) == skeleton


def test_a_report_of_escaped_quotes_is_refused_as_json():
    files = energy_star_files()
    files["run/benchmark_report.json"] = b'{"prefill": "' + b'\\"' * 200_000
    report = check_zip(make_zip(files, compression=zipfile.ZIP_STORED))
    assert "invalid JSON" in report.failures[0].message


def test_repeat_count_limit_is_exact():
    assert judge_repeats({"forward": [1.0] * 1000}).count == 1000
    with pytest.raises(ValueError, match="more than 1000 repeats"):
        judge_repeats({"forward": [1.0] * 1001})


def test_one_repeat_agrees_with_itself():
    verdict = judge_repeats({"forward": [10.0]})
    assert verdict.spread == 1.0 and verdict.agree and verdict.enough

"""Time and memory to judge 50 MB uploads of every hostile shape, and of every list at its limit (the
runner summary's, the checksums', the v2 CSVs'); target <= 1 s and <= 200 MB each.

    python bench/submission_bench.py [--runs N] [--case NAME]

Each case is judged in a fresh process (``--one``): the upload is read into memory first, then
``check_zip`` runs ``--runs`` times. Reported: the median time; the process's peak resident memory
while judging (Linux VmHWM, reset once the upload is loaded, so it includes the upload and the
interpreter) and what judging added above the process with the upload loaded; the peak of Python
allocations (``tracemalloc``, a separate run); then the slowest case three times at once in one
process (as a server judging three uploads).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.zips import (  # noqa: E402
    RawMember,
    energy_star_dev_files,
    energy_star_files,
    make_zip,
    raw_zip,
    runner_files,
    v2_files,
)
from leaderboard.runfolder import MAX_REPEATS  # noqa: E402
from leaderboard.submissions import MAX_ZIP_BYTES, Claim, check_zip  # noqa: E402
from leaderboard.submissions.archive import MAX_JSON_BYTES, MAX_MEMBERS  # noqa: E402

CLAIM = Claim(task="text_generation", model="org/model", model_class="A", hardware="NVIDIA H100 80GB")
TARGET = MAX_ZIP_BYTES - 64 * 1024


def _run_folder() -> dict[str, bytes]:
    return {n: b.encode() if isinstance(b, str) else json.dumps(b).encode() for n, b in energy_star_files().items()}


def big_log() -> bytes:
    """A valid run folder and one incompressible 50 MB log (stored)."""
    files = _run_folder()
    files["run/big.log"] = os.urandom(TARGET - 8192)
    return make_zip(files, compression=zipfile.ZIP_STORED)


def many_members() -> bytes:
    """A valid run folder and 1,990 incompressible logs: the member limit, 50 MB."""
    files = _run_folder()
    n = MAX_MEMBERS - len(files) - 7
    size = (TARGET - 200 * n) // n
    files.update({f"run/logs/part-{i:04d}.log": os.urandom(size) for i in range(n)})
    return make_zip(files, compression=zipfile.ZIP_STORED)


def million_entries(count: int) -> bytes:
    """A central directory of 1,000,000 entries (52 MB) whose end record says ``count``."""
    head = struct.Struct("<4s4B4H3I5H2I")
    body = b"".join(
        head.pack(b"PK\x01\x02", 20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0) + b"%06d" % i
        for i in range(1_000_000)
    )
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 6, 0) + b"000000"
    return local + body + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(body), len(local), 0)


def declared_200mb() -> bytes:
    """A run folder beside members that inflate to 4x their size (~190 MB declared in all, under the
    ratio limit): the checker inflates none of them."""
    table = bytes(b"acgt"[i % 4] for i in range(256))
    members = [RawMember(n, b) for n, b in _run_folder().items()]
    budget = TARGET - 20_000
    while budget > 1_000_000:
        data = os.urandom(min(48_000_000, budget * 4)).translate(table)  # 2 bits per byte: deflates ~4x
        member = RawMember(f"run/log{len(members)}.txt", data)
        if len(member.payload) > budget:
            data = data[: int(len(data) * budget / len(member.payload) * 0.98)]
            member = RawMember(f"run/log{len(members)}.txt", data)
        members.append(member)
        budget -= len(member.payload) + 100
    return raw_zip(members)


def json_at_limits() -> bytes:
    """Two parsed files at the JSON limits (2 MB, 199,000 values, 60 levels), padded to 50 MB."""
    nest = "[" * 60 + "]" * 60
    values = ",".join(["1.5e-3"] * 190_000)
    report = (
        '{"prefill": {"energy": {"unit": "kWh", "gpu": 0.01}}, "decode": {"energy": {"unit": "kWh", "gpu": 0.02}},'
        f' "x": [{values}], "y": {nest}}}'
    )
    report = report[:MAX_JSON_BYTES]
    files = _run_folder()
    files["run/benchmark_report.json"] = report.encode()
    files["run/pad.bin"] = os.urandom(TARGET - 3 * MAX_JSON_BYTES)
    return make_zip(files, compression=zipfile.ZIP_STORED)


def deep_json() -> bytes:
    """benchmark_report.json nested 100,000 deep, padded to 50 MB."""
    files = _run_folder()
    files["run/benchmark_report.json"] = b"[" * 100_000 + b"]" * 100_000
    files["run/pad.bin"] = os.urandom(TARGET - 2_100_000)
    return make_zip(files, compression=zipfile.ZIP_STORED)


def eocd_signatures() -> bytes:
    """50 MB of end-record signatures."""
    return b"PK\x05\x06" * (TARGET // 4)


def overlapping_bomb() -> bytes:
    """2,000 directory entries that all point at one member (the overlapping-member bomb), declaring 180 MB."""
    raw = os.urandom(90_000)
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = comp.compress(raw) + comp.flush()
    crc = zlib.crc32(raw)
    local = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(payload), len(raw), 9, 0) + b"run/a.log"
    head = struct.Struct("<4s4B4H3I5H2I")
    body = b"".join(
        head.pack(b"PK\x01\x02", 20, 3, 20, 0, 0, 8, 0, 0, crc, len(payload), len(raw), 13, 0, 0, 0, 0, 0, 0)
        + b"run/%05d.log" % i
        for i in range(MAX_MEMBERS)
    )
    start = len(local) + len(payload)
    return (
        local
        + payload
        + body
        + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, MAX_MEMBERS, MAX_MEMBERS, len(body), start, 0)
    )


def lying_report() -> bytes:
    """benchmark_report.json declares 2 MB but its deflate stream inflates to 1 GB."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = b"".join(comp.compress(b"\x00" * 1_000_000) for _ in range(1000)) + comp.flush()
    members = [RawMember(n, b) for n, b in _run_folder().items() if not n.endswith("report.json")]
    members.append(RawMember("run/benchmark_report.json", b"", payload=payload, size=MAX_JSON_BYTES, crc=0))
    members.append(RawMember("run/pad.bin", os.urandom(TARGET - len(payload) - 10_000), method=0))
    return raw_zip(members)


def crashed_run_big_log() -> bytes:
    """A crashed run (config, no report) whose log is 190 MB of text, 48 MB zipped."""
    files = _run_folder()
    del files["run/benchmark_report.json"], files["run/benchmark.log"]
    rng = random.Random(2)
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
    line = b" ".join(rng.choice(words) for _ in range(40_000)) + b"\n"
    log = io.BytesIO()
    with zipfile.ZipFile(log, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        with zf.open("run/benchmark.log", "w") as fh:
            while log.tell() < TARGET - 2_000_000:
                fh.write(line * 20)
            fh.write(b"[ERROR] - RuntimeError: CUDA out of memory\n")
    return log.getvalue()


def json_escaped_quotes() -> bytes:
    """benchmark_report.json: one unterminated 2 MB string of escaped quotes (a restarting string search
    is quadratic on it)."""
    files = _run_folder()
    files["run/benchmark_report.json"] = b'{"prefill": "' + b'\\"' * ((MAX_JSON_BYTES - 20) // 2)
    return make_zip(files, compression=zipfile.ZIP_STORED)


def repeats_at_limit() -> bytes:
    """An energy_star_dev report of 1,000 repeats (the limit) in both phases."""
    measures = [{"energy": {"unit": "kWh", "cpu": 0.001, "ram": 0.0001, "gpu": 0.08, "total": 0.0811}}] * MAX_REPEATS
    report = {
        "prefill": {
            "energy": {"unit": "kWh", "cpu": 0.001, "ram": 0.0001, "gpu": 0.08, "total": 0.0811},
            "measures": measures,
        },
        "decode": {
            "energy": {"unit": "kWh", "cpu": 0.001, "ram": 0.0001, "gpu": 0.08, "total": 0.0811},
            "measures": measures,
        },
    }
    return make_zip(
        {n: b if isinstance(b, (str, bytes)) else json.dumps(b) for n, b in energy_star_dev_files(report).items()}
    )


def distinct_repeats_at_limit() -> bytes:
    """An energy_star_dev report of 1,000 distinct repeats in both phases, with every field the evidence
    rules read (cpu, ram, efficiency): the copied-reading and phase rules see every repeat."""

    def measures(gpu: float) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for i in range(MAX_REPEATS):
            g = gpu * (1 + i * 1e-7)
            out.append(
                {"unit": "kWh", "cpu": g / 17, "ram": g / 17 / 53.9, "gpu": g, "total": g * (1 + 1 / 17 + 1 / 916.3)}
            )
        return out

    report = {
        phase: {
            "energy": {
                "unit": "kWh",
                "cpu": gpu / 17,
                "ram": gpu / 17 / 53.9,
                "gpu": gpu,
                "total": gpu * (1 + 1 / 17 + 1 / 916.3),
            },
            "efficiency": {"unit": "tokens/kWh", "value": work / (gpu * (1 + 1 / 17 + 1 / 916.3))},
            "measures": measures(gpu),
        }
        for phase, gpu, work in (("prefill", 0.072, 369_000), ("decode", 0.0615, 9_000))
    }
    return make_zip(
        {n: b if isinstance(b, (str, bytes)) else json.dumps(b) for n, b in energy_star_dev_files(report).items()}
    )


def codecarbon_at_limits() -> bytes:
    """An energy_star folder with all seven CodeCarbon windows, each padded to 500 kB (3.5 MB of parsed
    JSON), their gpu_model naming 64 GPU kinds."""
    files = energy_star_files()
    model = ", ".join(f"1 x NVIDIA H100 80GB HBM3 #{i}" for i in range(64))
    for window in ("load_dataset", "preprocess_dataset", "load_model", "prefill", "generate", "forward", "call"):
        name = f"run/{window}_codecarbon.json"
        record = dict(files.get(name) or files["run/prefill_codecarbon.json"])  # type: ignore[call-overload]
        record["gpu_model"] = model
        record["pad"] = "x" * 500_000
        files[name] = record
    return make_zip({n: b if isinstance(b, (str, bytes)) else json.dumps(b) for n, b in files.items()})


def report_sections() -> bytes:
    """An energy_star report with 60,000 sections that are not phases, each with an energy (the JSON
    values limit): each is read once and the warning names a dozen."""
    files = energy_star_files(codecarbon=False)
    report = files["run/benchmark_report.json"]
    assert isinstance(report, dict)
    for i in range(60_000):
        report[f"extra_{i}"] = {"energy": 1}
    return make_zip({n: b if isinstance(b, (str, bytes)) else json.dumps(b) for n, b in files.items()})


def repeats_over_limit() -> bytes:
    """A runner summary that says it made 10^12 repeats, and 190,000 readings in one phase."""
    files = runner_files(values_wh_per_1k={"prefill": [80.0, 80.1], "decode": [68.0, 68.1]})
    name = next(n for n in files if n.endswith("energy_score_summary.json"))
    summary = json.loads(files[name]) if isinstance(files[name], (str, bytes)) else files[name]
    summary["repeats"] = 10**12
    summary["phases"]["prefill"]["repeats"] = 10**12
    summary["phases"]["decode"]["values_wh_per_1k"] = [68.0] * 190_000
    files[name] = json.dumps(summary)
    return make_zip(
        {n: b if isinstance(b, (str, bytes)) else json.dumps(b) for n, b in files.items()},
        compression=zipfile.ZIP_STORED,
    )


def _jsonable(files: dict) -> dict:
    return {n: b if isinstance(b, (str, bytes)) else json.dumps(b) for n, b in files.items()}


def checksum_lists(entries: int) -> bytes:
    """A runner folder whose report is padded to 1.9 MB and whose two checksum lists (the summary's
    files_sha256 and SHA256SUMS) name it ``entries`` times each (it was hashed once per entry: a
    163 KB upload took 84 s)."""

    def tamper(files: dict) -> None:
        files["benchmark_report.json"]["pad"] = os.urandom(950_000).hex()  # 1.9 MB that deflates 2x
        files["energy_score_summary.json"]["files_sha256"] = {
            f"d{i}/benchmark_report.json": "0" * 64 for i in range(entries)
        }

    files = runner_files(tamper=tamper)
    files["run/SHA256SUMS"] = "".join(f"{'0' * 64}  d{i}/benchmark_report.json\n" for i in range(entries))
    return make_zip(files)


def runner_lists_at_limits() -> bytes:
    """A runner summary at every list's limit: 1,000 repeats per phase (readings, windows, CodeCarbon's
    readings), 64 GPUs with their memory and limits, 200 checksums and software versions."""
    n = MAX_REPEATS
    values = {
        "preprocess": [0.16 + i * 1e-6 for i in range(n)],
        "prefill": [80.0 + i * 1e-4 for i in range(n)],
        "decode": [68.0 + i * 1e-4 for i in range(n)],
    }

    def tamper(files: dict) -> None:
        summary = files["energy_score_summary.json"]
        for phase in summary["phases"].values():
            phase["reference_codecarbon_values_wh_per_1k"] = list(phase["values_wh_per_1k"])
            phase["per_gpu_wh_per_1k"] = [phase["gpu_energy_wh_per_1k"] / 64] * 64
        summary["gpu"] = dict(
            summary["gpu"],
            names=[summary["gpu"]["name"]] * 64,
            count=64,
            memory_bytes=[85520809984] * 64,
            power_limit_w=[700.0] * 64,
        )
        summary["software"] = {f"package-{i}": "1.0" for i in range(200)}
        summary["idle_power_w"] = {k: v * 64 for k, v in summary["idle_power_w"].items()}

    return make_zip(_jsonable(runner_files(values_wh_per_1k=values, tamper=tamper)))


def v2_csv_at_limits() -> bytes:
    """A v2 folder whose two CSV files hold 1,000 rows of 300 columns (the limits) and whose report has
    300 numbers in each section (compared column by column with the CSV)."""
    files = v2_files()
    report = files["run/benchmark_report.json"]
    for section in ("config", "summary", "energy", "backend_info", "metrics_metadata"):
        report[section].update({f"x{i}": float(i) for i in range(300 - len(report[section]))})
    for name in ("run/benchmark_results.csv", "run/emissions/emissions.csv"):
        header, row = files[name].splitlines()[:2]
        extra = 300 - len(header.split(","))
        wide_header = header + "".join(f",pad{i}" for i in range(extra))
        rng = random.Random(3)
        rows = [row + "".join(f",{rng.randint(0, 9)}" for _ in range(extra)) for _ in range(1_000)]
        files[name] = "\n".join([wide_header, *rows]) + "\n"
    return make_zip(_jsonable(files))


CASES: dict[str, Callable[[], bytes]] = {
    "json-escaped-quotes": json_escaped_quotes,
    "repeats-1000": repeats_at_limit,
    "repeats-1000-distinct": distinct_repeats_at_limit,
    "codecarbon-7-windows": codecarbon_at_limits,
    "report-60k-sections": report_sections,
    "repeats-10^12": repeats_over_limit,
    "big-log": big_log,
    "1990-members": many_members,
    "1M-entries-count-2000": lambda: million_entries(2000),
    "1M-entries-count-16960": lambda: million_entries(1_000_000 % 65536),
    "declared-190MB": declared_200mb,
    "json-at-limits": json_at_limits,
    "json-100k-deep": deep_json,
    "eocd-signatures": eocd_signatures,
    "overlapping-bomb": overlapping_bomb,
    "lying-report-1GB": lying_report,
    "crashed-run-190MB-log": crashed_run_big_log,
    "checksums-200x1.9MB": lambda: checksum_lists(200),
    "checksums-9000x1.9MB": lambda: checksum_lists(9_000),
    "runner-lists-at-limits": runner_lists_at_limits,
    "v2-csv-at-limits": v2_csv_at_limits,
}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM), MB."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")  # Linux: the peak resident memory starts again from now


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def one(path: Path, runs: int, parallel: int) -> dict[str, object]:
    """Judge the upload in ``path`` in this process; print what it cost."""
    data = path.read_bytes()
    check_zip(b"warm up the imports")
    rss_before = _rss_mb()
    _reset_peak()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if parallel == 1:
            report = check_zip(data, CLAIM)
        else:
            threads = [threading.Thread(target=check_zip, args=(data, CLAIM)) for _ in range(parallel)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            report = check_zip(data, CLAIM)
        times.append(time.perf_counter() - start)
    peak_after = _peak_mb()
    tracemalloc.start()
    check_zip(data, CLAIM)
    traced = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    failure = next((f"{c.name}: {c.message}" for c in report.checks if c.status == "fail"), "")
    return {
        "bytes": len(data),
        "median_s": statistics.median(times),
        "max_s": max(times),
        "rss_with_upload_mb": rss_before,
        "added_peak_mb": max(0.0, peak_after - rss_before),
        "peak_rss_mb": peak_after,
        "traced_peak_mb": traced,
        "valid": report.valid,
        "outcome": "VALID" if report.valid else failure[:110],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parallel", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.runs, args.parallel)))
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.case or CASES:
            path = Path(tmp) / f"{name}.zip"
            path.write_bytes(CASES[name]())
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(path), "--runs", str(args.runs)],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results[name] = (r, path)
            print(
                f"{name:<24} {r['bytes'] / 2**20:5.1f} MiB  median {r['median_s'] * 1000:6.0f} ms (max "
                f"{r['max_s'] * 1000:4.0f})  +{r['added_peak_mb']:5.1f} MB peak RSS over the loaded upload "
                f"(process peak {r['peak_rss_mb']:4.0f} MB)  traced {r['traced_peak_mb']:5.1f} MB  {r['outcome']}",
                flush=True,
            )
        worst = max(results, key=lambda n: results[n][0]["max_s"])
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(results[worst][1]), "--runs", "1", "--parallel", "3"],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"\nworst case ({worst}) three at once in one process, then once more: {r['median_s'] * 1000:.0f} ms, "
            f"+{r['added_peak_mb']:.1f} MB peak RSS over the loaded upload (process peak {r['peak_rss_mb']:.0f} MB)"
        )
    slowest = max(r["max_s"] for r, _ in results.values())
    added = max(r["added_peak_mb"] for r, _ in results.values())
    peak = max(r["peak_rss_mb"] for r, _ in results.values())
    print(
        f"slowest {slowest * 1000:.0f} ms (target <= 1,000 ms); most memory added by judging +{added:.1f} MB, "
        f"highest process peak {peak:.0f} MB with the upload loaded (target <= 200 MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

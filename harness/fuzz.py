"""A mutation fuzzer for the submission checker, shared by the test suite (short, fixed seed) and
``bench/fuzz_submissions.py`` (long).

Seeds: valid zips of every accepted layout. Each input is a seed mutated at the zip level (bit flips,
interesting field values, truncation, insertion, deletion, duplicated or spliced chunks, data before
or after) or at the JSON level (a value anywhere replaced by another type, a huge, tiny or
non-finite number, a deep nest, a long or hostile string; keys deleted, doubled or re-cased; member
names changed), then re-zipped. For every input the checker must

* return a report, raising nothing (the checker is called *inside* ``check_zip``'s last-resort
  handler, so that a bug cannot hide behind it),
* judge it within ``MAX_SECONDS_PER_INPUT``,
* give a parsed run that survives the store's JSON round trip, and
* for a zip it accepts as readable, read the same member names and parsed bytes as ``zipfile``
  (what a reviewer unzips is what was checked).
"""

from __future__ import annotations

import copy
import io
import json
import math
import random
import struct
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness.zips import (
    RawMember,
    docker_files,
    energy_star_dev_files,
    energy_star_files,
    make_zip,
    raw_zip,
    runner_files,
    v2_files,
)
from leaderboard.submissions import Claim
from leaderboard.submissions.archive import read_zip
from leaderboard.submissions.checks import _check
from leaderboard.submissions.model import ParsedRun

MAX_SECONDS_PER_INPUT = 1.0
CLAIM = Claim("text_generation", "org/model", "A", "NVIDIA H100 80GB")


GENUINE = Path(__file__).resolve().parents[1] / "reference" / "aies-v2" / "h200_llama1b_random.zip"
GENUINE_RUNNER = Path(__file__).resolve().parents[1] / "bench" / "gpu" / "results" / "round2-b" / "runs" / "tg-llama-1b"


def _genuine_seeds() -> list[dict[str, object]]:
    """The genuine v2 folder (and it with a cross-check file) and a genuine runner folder."""
    with zipfile.ZipFile(GENUINE) as zf:
        v2: dict[str, object] = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}
    crossed = dict(
        v2,
        **{
            "gpu_run/nvml_crosscheck.json": {
                "meter": "nvml",
                "window_s": 49.13,
                "official_gpu_energy_wh": 1.8348,
                "nvml_gpu_energy_wh": 1.83,
                "nvml_per_gpu_wh": [1.83],
            }
        },
    )
    runner: dict[str, object] = {
        f"run/{p.name}": p.read_bytes() for p in sorted(GENUINE_RUNNER.iterdir()) if p.is_file()
    }
    return [v2, crossed, runner]


def seeds(reference_report: bytes) -> list[dict[str, object]]:
    """Valid run folders of every layout (name -> body), to mutate, and genuine folders."""
    es = energy_star_files()
    return [
        es,
        energy_star_files(task="text-classification"),
        energy_star_files(latency=True, memory_mb=20_000.0, gpu_count=2),  # every record the evidence rules read
        {"run/benchmark.json": {"config": es["run/benchmark_config.json"], "report": es["run/benchmark_report.json"]}},
        energy_star_dev_files(reference_report),
        docker_files(),
        runner_files(),
        runner_files(task="asr", model="openai/whisper-small"),
        v2_files(),
        v2_files(backend="vllm", device_ids=(0, 1), failed=3),
        *_genuine_seeds(),
    ]


@dataclass
class Outcome:
    """What a fuzz run found."""

    inputs: int = 0
    seconds: float = 0.0
    valid: int = 0
    slowest_s: float = 0.0
    escaped: Counter = field(default_factory=Counter)  # (exception, file:line) -> count
    problems: list[str] = field(default_factory=list)  # broken invariants other than exceptions
    checks: Counter = field(default_factory=Counter)  # (check name, status) -> count
    examples: dict[str, bytes] = field(default_factory=dict)  # site -> the first input that raised it


INTERESTING_INTS = [0, 1, 2, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 2000, 2001, 65535]
INTERESTING_VALUES: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    10**18,
    10**40,
    0.0,
    -0.0,
    5e-324,
    1e308,
    -1e308,
    1e-300,
    "",
    "kWh",
    "kwh",
    "MJ",
    " Wh",
    "energy_star",
    "inference",
    "cuda",
    "cpu",
    "NVIDIA",
    "NVIDIA H100 80GB HBM3",
    "x" * 5000,
    "\x00\x1b[2J\u202e",
    "org/mоdel",
    [],
    {},
    [1, 2, 3],
    {"unit": "kWh", "gpu": 1.0},
]


def _json_paths(value: object, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _json_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:20]):
            out += _json_paths(v, (*path, i))
    return out


def _set(root: object, path: tuple, value: object) -> object:
    if not path:
        return value
    node = root
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return root


def _delete(root: object, path: tuple) -> object:
    if not path:
        return root
    node = root
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    del node[path[-1]]  # type: ignore[attr-defined]
    return root


GROWN_BYTES = 4_000_000  # the most one growth adds to a file


def _grown(rng: random.Random, node: object) -> object:
    """The node grown: a list repeated (up to 20,000 items: repeat counts, per-GPU lists), a string made
    long (up to 200,000 characters, escaped quotes among them), anything else wrapped in a long list."""
    size = len(json.dumps(node)) + 2
    times = min(rng.choice([2, 1_001, 20_000]), max(2, GROWN_BYTES // size))  # an upload stays under its limit
    if isinstance(node, list):
        return (node or [1.0]) * times
    if isinstance(node, str):
        return rng.choice([node * times, '\\"' * min(times, GROWN_BYTES // 2), "x" * 200_000])
    return [copy.deepcopy(node)] * times


def _mutate_json(rng: random.Random, value: object) -> bytes:
    value = json.loads(json.dumps(value))
    paths = _json_paths(value)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        kind = rng.random()
        try:
            if kind < 0.45:
                value = _set(value, path, copy.deepcopy(rng.choice(INTERESTING_VALUES)))
            elif kind < 0.55 and path:
                value = _delete(value, path)
            elif kind < 0.65:
                value = _set(value, path, f"__DEEP_{rng.choice([10, 70, 1000, 100_000])}__")
            elif kind < 0.8:
                node = value
                for key in path:
                    node = node[key]  # type: ignore[index]
                if isinstance(node, (int, float)) and not isinstance(node, bool):
                    value = _set(value, path, rng.choice([node * 100, node / 100, -node, node * 1e6, node + 1]))
                else:
                    value = _set(value, path, _grown(rng, node))
                    break  # a grown list repeats one object: growing inside it again would multiply
            else:
                pass  # textual mutation below
        except (KeyError, IndexError, TypeError):
            pass
        paths = _json_paths(value)
    text = json.dumps(value)
    for depth in (10, 70, 1000, 100_000):
        text = text.replace(f'"__DEEP_{depth}__"', "[" * depth + "]" * depth, 1)  # once: a grown list repeats it
    kind = rng.random()
    if kind < 0.1:
        text = text.replace('"gpu": ', '"gpu": 0.5, "gpu": ', 1)  # a key twice
    elif kind < 0.15:
        text = text.replace("1", "1" + "0" * rng.choice([40, 400, 5000]), 1)
    elif kind < 0.2:
        text = text.replace("0.", rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "0x1"]), 1)
    elif kind < 0.25:
        text = text[: rng.randint(0, len(text))]
    elif kind < 0.3:
        text = "\ufeff" + text + rng.choice(["", " ", "garbage", "\x00"])
    elif kind < 0.33:
        text = text.replace('"', '"\\ud800', 1)
    return text.encode("utf-8", "surrogatepass")


def _mutate_bytes(rng: random.Random, data: bytes, other: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not buf:
            break
        kind = rng.random()
        at = rng.randrange(len(buf))
        if kind < 0.25:
            buf[at] ^= 1 << rng.randrange(8)
        elif kind < 0.4:
            buf[at] = rng.choice([0x00, 0xFF, 0x7F, 0x80])
        elif kind < 0.55 and at + 4 <= len(buf):
            n = rng.choice(INTERESTING_INTS + [len(buf), at])
            struct.pack_into("<I", buf, at, n & 0xFFFFFFFF)
        elif kind < 0.6 and at + 2 <= len(buf):
            struct.pack_into("<H", buf, at, rng.choice(INTERESTING_INTS) & 0xFFFF)
        elif kind < 0.68:
            del buf[at:]
        elif kind < 0.76:
            buf[at:at] = rng.randbytes(rng.randint(1, 64))
        elif kind < 0.82:
            end = min(len(buf), at + rng.randint(1, 256))
            buf[at:at] = buf[at:end]
        elif kind < 0.88:
            del buf[at : at + rng.randint(1, 256)]
        elif kind < 0.94:
            buf = bytearray(other[: rng.randrange(len(other) + 1)]) + buf if rng.random() < 0.5 else buf + other
        else:
            cut = rng.randrange(len(other) + 1)
            buf = buf[:at] + bytearray(other[cut:])
    return bytes(buf)


def _mutate_names(rng: random.Random, files: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, body in files.items():
        r = rng.random()
        if r < 0.1:
            name = name.upper()
        elif r < 0.15:
            name = name.replace("run/", rng.choice(["", "a/", "run//", "./run/", "../", "/", "run\\", "rün/"]), 1)
        elif r < 0.2:
            name = name + rng.choice([".", " ", "\u200d", "\u202e"])
        out[name] = body
    if rng.random() < 0.1 and files:
        name, body = rng.choice(list(files.items()))
        out[name.replace("run/", "other/", 1)] = body
    return out


def make_input(rng: random.Random, corpus: list[dict[str, object]], zips: list[bytes]) -> bytes:
    """One fuzz input from the seed corpus."""
    kind = rng.random()
    if kind < 0.4:
        i = rng.randrange(len(zips))
        return _mutate_bytes(rng, zips[i], rng.choice(zips))
    files = dict(rng.choice(corpus))
    if kind < 0.85:
        json_names = [n for n in files if n.endswith(".json")]
        if json_names:
            name = rng.choice(json_names)
            body = files[name]
            try:
                parsed = json.loads(body) if isinstance(body, (bytes, str)) else body
                files[name] = _mutate_json(rng, parsed)
            except ValueError:
                files[name] = _mutate_bytes(rng, body if isinstance(body, bytes) else str(body).encode(), b"{}")
    files = _mutate_names(rng, files)
    if rng.random() < 0.2:
        members = [
            RawMember(
                n,
                b if isinstance(b, (bytes, str)) else json.dumps(b),
                method=rng.choice([0, 8]),
                descriptor=rng.random() < 0.5,
            )
            for n, b in files.items()
        ]
        return raw_zip(members)
    return make_zip(files, compression=rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))


def _site(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/leaderboard/" in f.filename]
    frame = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {frame.filename.rsplit('/', 2)[-2:][-1]}:{frame.lineno}"


def judge(data: bytes, outcome: Outcome, claim: Claim = CLAIM) -> None:
    """Check one input and record what broke."""
    before = len(outcome.problems)
    _judge(data, outcome, claim)
    for problem in outcome.problems[before:]:
        outcome.examples.setdefault(problem, data)


def _judge(data: bytes, outcome: Outcome, claim: Claim) -> None:
    start = time.perf_counter()
    try:
        report = _check(data, claim)
    except Exception as exc:  # noqa: BLE001 - counting every escape is the point
        site = _site(exc)
        outcome.escaped[site] += 1
        outcome.examples.setdefault(site, data)
        return
    finally:
        elapsed = time.perf_counter() - start
        outcome.slowest_s = max(outcome.slowest_s, elapsed)
        if elapsed > MAX_SECONDS_PER_INPUT:
            outcome.problems.append(f"{elapsed:.2f} s for one input of {len(data):,} bytes")
    outcome.valid += report.valid
    for c in report.checks:
        outcome.checks[(c.name, c.status)] += 1
    if report.parsed is not None:
        try:
            text = json.dumps(report.parsed.to_json(), allow_nan=False)
            if ParsedRun.from_json(json.loads(text)) != report.parsed:
                outcome.problems.append("a parsed run does not survive the store's JSON round trip")
        except (ValueError, TypeError) as exc:
            outcome.problems.append(f"a parsed run cannot be stored: {exc}")
        if not all(math.isfinite(p.gpu_energy_wh_per_1k) for p in report.parsed.phases):
            outcome.problems.append("a parsed run holds a non-finite figure")
    if report.checks and report.checks[0].status == "pass":
        archive = read_zip(data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                # a backslash is a separator to the checker, as to Windows and Info-ZIP's unzip
                names = {n.replace("\\", "/"): n for n in zf.namelist()}
                if list(names) != archive.names or any(zf.read(names[n]) != b for n, b in archive.members.items()):
                    outcome.problems.append("zipfile reads other names or bytes than the checker did")
        except Exception as exc:  # noqa: BLE001 - zipfile refusing what we read is a finding too
            outcome.problems.append(f"zipfile cannot read a zip the checker read: {type(exc).__name__}: {exc}")


def run(
    seconds: float,
    seed: int,
    reference_report: bytes,
    max_inputs: int | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Fuzz for ``seconds`` (or ``max_inputs``) from ``seed``."""
    rng = random.Random(seed)
    corpus = seeds(reference_report)
    zips = [make_zip(files) for files in corpus]
    outcome = Outcome()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds and (max_inputs is None or outcome.inputs < max_inputs):
        judge(make_input(rng, corpus, zips), outcome)
        outcome.inputs += 1
        if progress and outcome.inputs % 1000 == 0:
            progress(outcome)
    outcome.seconds = time.perf_counter() - start
    return outcome

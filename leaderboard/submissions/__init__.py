"""Submissions: zipped benchmark logs in, a validated result (or a report of every failed check) out.

Pure and UI-free: ``check_zip(zip_bytes)`` returns a ``Report``. Untrusted zips are read in memory,
never extracted, within these limits:

    MAX_ZIP_BYTES           50 MB uploaded
    MAX_MEMBERS             2,000 members
    MAX_UNCOMPRESSED_BYTES  200 MB in all, counted from what is actually read
    MAX_RATIO               100: a member may not inflate more than 100x (zip bombs)
    MAX_JSON_BYTES          20 MB for one JSON file that is parsed

Rejected outright, with a message naming the member: absolute paths, ``..``, symlinks, encrypted
members, nested zips, names that are not UTF-8, invalid or truncated JSON, NaN or infinite
numbers. Accepted layouts (SPEC §7): optimum-benchmark ``energy_star`` (``benchmark_config.json``
+ ``benchmark_report.json``, or ``benchmark.json``), ``energy_star_dev`` (``experiment_config.json``
+ ``benchmark_report.json`` with ``measures``), the Docker image's ``GPU_ENERGY_SUMMARY.json``,
and this project's runner output (``energy_score_summary.json`` beside the optimum-benchmark files).

Only the phases preprocess(_dataset), prefill, decode, forward and call count; loading never does.
GPU energy per 1,000 queries = GPU energy of the measured pass x 1000 / number of queries.
"""

from __future__ import annotations

import io
import json
import posixpath
import stat
import zipfile
from dataclasses import dataclass, field

from leaderboard.errors import EnergyScoreError

MAX_ZIP_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_JSON_BYTES = 20 * 1024 * 1024
DEFAULT_NUM_QUERIES = 1_000

COUNTED_PHASES = {"preprocess_dataset": "preprocess", "preprocess": "preprocess", "prefill": "prefill",
                  "decode": "decode", "forward": "forward", "call": "call"}
NOT_COUNTED_PHASES = {"load_dataset", "load_model", "load", "per_token", "warmup", "model_load"}
ENERGY_UNITS_TO_WH = {"kwh": 1000.0, "wh": 1.0, "j": 1 / 3600.0, "mj": 1 / 3600.0 / 1000.0}
PARSED_FILES = ("benchmark_config.json", "benchmark_report.json", "benchmark.json", "experiment_config.json",
                "GPU_ENERGY_SUMMARY.json", "energy_score_summary.json")
SUMMARY_FILE = "energy_score_summary.json"
# Hugging Face pipeline task names (as optimum-benchmark records them) -> task ids.
PIPELINE_TASKS = {
    "text-generation": "text_generation", "summarization": "summarization", "text2text-generation": "summarization",
    "question-answering": "question_answering", "text-classification": "text_classification",
    "sentence-similarity": "sentence_similarity", "feature-extraction": "sentence_similarity",
    "image-classification": "image_classification", "object-detection": "object_detection",
    "automatic-speech-recognition": "asr", "text-to-image": "image_generation",
    "image-to-text": "image_captioning",
}
# Board power limits (W) of common data-centre GPUs; others get GENERIC_MAX_POWER_W.
GPU_MAX_POWER_W = {"H100": 700.0, "H200": 700.0, "A100": 400.0, "L40S": 350.0, "L4": 72.0, "A10": 150.0,
                   "B200": 1000.0, "GH200": 1000.0, "MI300X": 750.0}
GENERIC_MAX_POWER_W = 1_000.0
MIN_GPU_POWER_W = 20.0   # no GPU draws less than this while it runs a benchmark (idle is higher)


class SubmissionError(EnergyScoreError):
    """The upload cannot be read at all (hostile or broken zip, unreadable JSON)."""


@dataclass(frozen=True)
class Check:
    """One named check: status is 'pass', 'fail' or 'warn'; ``message`` says what was found and what to do."""

    name: str
    status: str
    message: str


@dataclass(frozen=True)
class Phase:
    """A measured phase: GPU energy of the whole N-query pass in Wh, and per 1,000 queries."""

    name: str
    gpu_energy_wh: float
    gpu_energy_wh_per_1k: float
    duration_s: float | None = None
    repeats: int = 1


@dataclass(frozen=True)
class Parsed:
    """What the logs say, before the checks."""

    layout: str
    model: str | None
    task: str | None
    num_queries: int
    gpu_name: str | None
    gpu_count: int | None
    driver: str | None
    phases: tuple[Phase, ...]
    files: tuple[str, ...]

    @property
    def gpu_energy_wh_per_1k(self) -> float:
        return sum(p.gpu_energy_wh_per_1k for p in self.phases)


@dataclass(frozen=True)
class Report:
    """The outcome of checking a zip: every check, and the parsed figures when they could be read."""

    checks: tuple[Check, ...]
    parsed: Parsed | None = None
    sha256: str = ""
    size_bytes: int = 0

    @property
    def valid(self) -> bool:
        return self.parsed is not None and all(c.status != "fail" for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]


# --- reading the zip ---------------------------------------------------------------------------

@dataclass
class _Zip:
    members: dict[str, bytes] = field(default_factory=dict)   # parsed files only, by path
    names: list[str] = field(default_factory=list)


def read_zip(data: bytes) -> _Zip:
    """Read the zip in memory within the limits; raise ``SubmissionError`` naming the problem."""
    if len(data) > MAX_ZIP_BYTES:
        raise SubmissionError(f"The upload is {len(data) / 1e6:.1f} MB; the limit is {MAX_ZIP_BYTES // (1024 * 1024)} MB. "
                      "Zip only the run folder the benchmark wrote (logs and JSON reports).")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise SubmissionError(f"The upload is not a readable zip file ({exc}). Zip the run folder again and upload that.") from None
    if len(infos) > MAX_MEMBERS:
        raise SubmissionError(f"The zip has {len(infos)} members; the limit is {MAX_MEMBERS}. Zip only the run folder.")
    out = _Zip()
    total = 0
    for info in infos:
        name = info.filename
        if not info.flag_bits & 0x800 and any(ord(ch) > 127 for ch in name):
            raise SubmissionError(f"Member name {name.encode('cp437', 'replace')!r} is not UTF-8. "
                          "Rename the file with plain characters and zip again.")
        if info.flag_bits & 0x1:
            raise SubmissionError(f"Member {name!r} is encrypted. Upload a zip without a password.")
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or "\\" in name:
            raise SubmissionError(f"Member {name!r} has an absolute or Windows path. Zip the folder with relative paths.")
        if ".." in name.split("/"):
            raise SubmissionError(f"Member {name!r} points outside the zip ('..'). Zip the folder with relative paths.")
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            raise SubmissionError(f"Member {name!r} is a symbolic link. Zip the files themselves, not links to them.")
        if name.endswith("/"):
            continue
        if name.lower().endswith((".zip", ".jar", ".whl")):
            raise SubmissionError(f"Member {name!r} is a nested archive. Upload one zip of the run folder, not zips inside it.")
        if info.compress_size and info.file_size / max(info.compress_size, 1) > MAX_RATIO and info.file_size > 1_000_000:
            raise SubmissionError(f"Member {name!r} inflates {info.file_size / info.compress_size:.0f}x (limit {MAX_RATIO}x): "
                          "this looks like a zip bomb. Upload the real run folder.")
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SubmissionError(f"The zip expands to more than {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB. "
                          "Leave model weights and datasets out: zip only logs and reports.")
        out.names.append(name)
        base = posixpath.basename(name)
        if base in PARSED_FILES or base == "GPU_ENERGY_WH.txt":
            out.members[name] = _read_member(zf, info)
        else:
            _check_member_head(zf, info)
    return out


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size (+1 to catch a lying header), never more than the limits."""
    limit = min(info.file_size, MAX_JSON_BYTES)
    if info.file_size > MAX_JSON_BYTES:
        raise SubmissionError(f"{info.filename} is {info.file_size / 1e6:.0f} MB; a report over "
                      f"{MAX_JSON_BYTES // (1024 * 1024)} MB is not a benchmark report.")
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise SubmissionError(f"{info.filename} cannot be read from the zip ({exc}). Zip the run folder again.") from None
    if len(data) > info.file_size:
        raise SubmissionError(f"{info.filename} holds more data than its header says: the zip is corrupt or crafted.")
    if data[:4] == b"PK\x03\x04":
        raise SubmissionError(f"{info.filename} is a zip inside the zip. Upload one zip of the run folder.")
    return data


def _check_member_head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Peek at a member that is not parsed: refuse archives hidden under another name."""
    if info.file_size < 4:
        return
    try:
        with zf.open(info) as fh:
            head = fh.read(4)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise SubmissionError(f"{info.filename} cannot be read from the zip ({exc}). Zip the run folder again.") from None
    if head == b"PK\x03\x04":
        raise SubmissionError(f"{info.filename} is a zip inside the zip. Upload one zip of the run folder.")


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(name: str, data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(f"{name} is not UTF-8 text. Upload the file the benchmark wrote, unchanged.") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        kind = "truncated" if exc.pos >= len(text.rstrip()) else "invalid"
        raise SubmissionError(f"{name} is {kind} JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). "
                      "Upload the file the benchmark wrote, unchanged.") from None
    except ValueError as exc:
        raise SubmissionError(f"{name} contains NaN or Infinity ({exc}). A finished run writes finite numbers; "
                      "rerun the benchmark.") from None


from leaderboard.submissions.parse import Claim, check_zip, hardware_matches  # noqa: E402  (uses the names above)

__all__ = ["Check", "Claim", "Parsed", "Phase", "Report", "SubmissionError", "check_zip", "hardware_matches"]

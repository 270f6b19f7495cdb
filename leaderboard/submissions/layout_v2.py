"""Reading the AIEnergyScore v2 runner's folder (ai_energy_benchmarks, the December 2025 round's harness).

What the official code writes (``run_ai_energy_benchmark.py`` on ``ai_energy_benchmarks``, then
``summarize_gpu_wh.py``), file by file (names in ``leaderboard.runfolder``):

    benchmark_report.json    config (model, dataset, num_samples, device_ids), summary (prompts total,
                             successful, failed; tokens; durations), energy (GPU/CPU/RAM, kWh and Wh,
                             the window's duration), gpu_stats, backend_info, metrics_metadata
    benchmark_results.csv    the report flattened, one row per run written into the folder (last = this one)
    emissions/emissions.csv  CodeCarbon's row for the window: gpu_model ('1 x NVIDIA H200'), gpu_count,
                             gpu/cpu/ram energy in kWh, duration
    GPU_ENERGY_SUMMARY.json  "format": "ai_energy_benchmarks"; the summariser books all of it as decode_wh
    GPU_ENERGY_WH.txt        the total, two decimals

Every record bearing on energy, power, time, the GPU or the inputs, and what it is held against:
``evidence_v2`` (the reviewer's map).

The energy is one CodeCarbon window over all prompts: it is read as one whole-run figure (phase
``total``), never split into an invented prefill and decode. Every number that more than one file
states must agree; the GPU, its count and the number of queries come from the files, never assumed.
Anything that can still be judged is judged: a CPU run gets its figure, its zero GPU energy and its
missing GPU named, not one refusal.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from leaderboard.errors import SubmissionError
from leaderboard.harnesses import AIEB_PYTORCH, AIEB_VLLM
from leaderboard.runfolder import (
    BENCHMARK_REPORT,
    DOCKER_SUMMARY,
    DOCKER_WH_TEXT,
    NVML_CROSSCHECK,
    V2_EMISSIONS_CSV,
    V2_FORMAT,
    V2_RESULTS_CSV,
    GpuInfo,
)
from leaderboard.submissions.archive import Archive
from leaderboard.submissions.consistency import consistency_checks, nvml_crosscheck
from leaderboard.submissions.evidence_v2 import V2Records, v2_checks
from leaderboard.submissions.layout_docker import wh_text_value
from leaderboard.submissions.model import Check, ParsedRun, Phase
from leaderboard.submissions.protocol import RunSetup
from leaderboard.submissions.reading import MAX_GPUS, SAME_NUMBER_REL, Logs, Reader, Refused, agree
from leaderboard.untrusted import (
    MAX_CSV_COLUMNS,
    MAX_CSV_ROWS,
    integer,
    load_csv,
    number,
    obj,
    opt_text,
    text,
)

V2_LAYOUT = "AIEnergyScore v2 runner (ai_energy_benchmarks)"
V2_TOOL = "ai_energy_benchmarks"
V2_BACKENDS = {"pytorch": AIEB_PYTORCH, "vllm": AIEB_VLLM}
V2_PIPELINE = "text-generation"  # the harness loads causal language models only
# The summariser writes its figures rounded to two decimals.
ROUNDED_WH = 0.005 + 1e-9
_UNCHANGED = "Upload the folder the v2 runner wrote, unchanged."
_GPU_PART = re.compile(r"^\s*(\d{1,3})\s*x\s+(\S.{0,120}?)\s*$")


def is_v2(loaded: Mapping[str, tuple[str, object]]) -> bool:
    """Whether the files are a v2 runner folder: its report has the config, summary and energy inside,
    or its summary says so."""
    report = loaded.get(BENCHMARK_REPORT)
    if report is not None and isinstance(report[1], dict):
        data = report[1]
        return all(isinstance(data.get(k), dict) for k in ("config", "summary", "energy"))
    summary = loaded.get(DOCKER_SUMMARY)
    return summary is not None and isinstance(summary[1], dict) and summary[1].get("format") == V2_FORMAT


@dataclass
class _Findings:
    """What the files say beyond the report, and what does not add up."""

    disagreements: list[str] = field(default_factory=list)
    sums_off: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_v2(
    archive: Archive,
    files: Mapping[str, tuple[str, bytes]],
    loaded: Mapping[str, tuple[str, object]],
    checks: list[Check],
) -> Logs:
    """The run as the v2 folder states it, with the checks this reading decides."""
    if BENCHMARK_REPORT not in loaded:
        raise Refused(
            "Benchmark report found",
            f"{DOCKER_SUMMARY} says the v2 runner (ai_energy_benchmarks) wrote this folder, but its "
            f"{BENCHMARK_REPORT} is missing: the figure cannot be checked. {_UNCHANGED}",
        )
    name, raw = loaded[BENCHMARK_REPORT]
    data = obj(raw, name)
    config = obj(data.get("config"), f"{name} → config")
    summary = obj(data.get("summary"), f"{name} → summary")
    energy = obj(data.get("energy"), f"{name} → energy")
    backend_info = _opt_obj(data.get("backend_info"), f"{name} → backend_info")
    meta = _opt_obj(data.get("metrics_metadata"), f"{name} → metrics_metadata")
    stats = _opt_obj(data.get("gpu_stats"), f"{name} → gpu_stats")
    found = _Findings()

    harness, num, (total, good, failed) = _run_checks(name, config, backend_info, summary, checks)
    gpu_kwh, gpu_wh, parts, duration = _energy(name, energy, found)
    ids, model = _identity(name, config, backend_info, stats, found)

    gpu_names, emissions_row = _with_emissions(files, gpu_kwh, parts, duration, ids, found)
    _with_results_csv(files, data, model, num, total, good, failed, gpu_wh, found, checks)
    _with_summary(files, loaded, gpu_wh, found)
    versions = _versions(meta, loaded, found)
    crosscheck = nvml_crosscheck(loaded, gpu_wh, checks)
    found.disagreements += crosscheck

    checks.append(Check("Energy units known", "pass", "kWh and Wh, as the v2 report names them; read in Wh."))
    consistency_checks(found.disagreements, found.sums_off, files, archive.names, checks)
    cross = loaded.get(NVML_CROSSCHECK)
    v2_checks(
        V2Records(
            gpu_wh,
            duration,
            tuple(gpu_names),
            summary,
            emissions_row,
            stats,
            obj(cross[1], cross[0]) if cross is not None else None,
        ),
        checks,
    )
    if found.notes:
        checks.append(Check("Earlier runs in the folder", "warn", "; ".join(found.notes[:3]) + "."))

    completion = _count(summary.get("total_completion_tokens"), f"{name} → summary → total_completion_tokens")
    prompt_tokens = summary.get("total_prompt_tokens")
    prompt = _count(prompt_tokens, f"{name} → summary → total_prompt_tokens") if prompt_tokens is not None else None
    gpu = GpuInfo(tuple(gpu_names), None) if gpu_names else None
    phase = Phase("total", gpu_wh, gpu_wh * 1000.0 / num, duration, 1)
    if not math.isfinite(phase.gpu_energy_wh_per_1k):
        raise Refused("Energies finite and positive", f"The energy overflows once per 1,000 queries. {_UNCHANGED}")
    parsed = ParsedRun(
        V2_LAYOUT,
        model,
        "text_generation",
        num,
        gpu,
        (phase,),
        tuple(archive.names),
        harness=harness,
        harness_version=versions,
    )
    dtype = opt_text(backend_info.get("torch_dtype"), f"{name} → backend_info → torch_dtype")
    setup = RunSetup(
        tool=V2_TOOL,
        harness=harness,
        num_queries=num,
        batch_size=1,  # the harness sends one prompt at a time
        dataset=opt_text(config.get("dataset"), f"{name} → config → dataset"),
        dtype=dtype,
        mean_new_tokens=completion / good if good else None,
        mean_input_tokens=prompt / good if good and prompt is not None else None,
    )
    return Logs(parsed, setup, V2_PIPELINE)


def _run_checks(
    name: str,
    config: Mapping[str, object],
    backend_info: Mapping[str, object],
    summary: Mapping[str, object],
    checks: list[Check],
) -> tuple[str, int, tuple[int, int, int]]:
    """ "Energy run", "Number of queries", "Prompts complete": the harness, the number of queries, and
    the prompts (total, succeeded, failed) the summary counts."""
    backend = text(config.get("backend"), f"{name} → config → backend")
    harness = V2_BACKENDS.get(backend)
    if harness is None:
        raise Refused(
            "Energy run",
            f"{name} → config → backend is {backend[:40]!r}; the v2 runner's backends are "
            f"{', '.join(V2_BACKENDS)}. {_UNCHANGED}",
        )
    device = opt_text(backend_info.get("device"), f"{name} → backend_info → device")
    if device is not None and not device.lower().startswith(("cuda", "rocm")):
        checks.append(
            Check(
                "Energy run",
                "fail",
                f"The model ran on {device[:20]!r} (backend_info → device), not on a GPU: the run measured no GPU "
                "energy. Run the benchmark on the GPU (device cuda).",
            )
        )
    else:
        checks.append(Check("Energy run", "pass", f"One CodeCarbon window over all prompts ({backend} backend)."))

    num = _queries(config.get("num_samples"), f"{name} → config → num_samples")
    total = _count(summary.get("total_prompts"), f"{name} → summary → total_prompts")
    good = _count(summary.get("successful_prompts"), f"{name} → summary → successful_prompts")
    failed = _count(summary.get("failed_prompts"), f"{name} → summary → failed_prompts")
    if total != num:
        checks.append(
            Check(
                "Number of queries",
                "fail",
                f"config → num_samples is {num:,} but summary → total_prompts is {total:,}: the window did not cover "
                f"the pass the config names. {_UNCHANGED}",
            )
        )
    else:
        checks.append(Check("Number of queries", "pass", f"{num:,} prompts ({name} → config → num_samples)."))
    if failed or good + failed != total:
        checks.append(
            Check(
                "Prompts complete",
                "fail",
                f"{failed:,} of {total:,} prompts failed ({good:,} succeeded): the energy window holds failed "
                "prompts, so the figure is not the energy of the task's queries. Fix the failures and rerun.",
            )
        )
    else:
        checks.append(Check("Prompts complete", "pass", f"All {total:,} prompts succeeded."))
    return harness, num, (total, good, failed)


def _energy(
    name: str, energy: Mapping[str, object], found: _Findings
) -> tuple[float, float, dict[str, float], float | None]:
    """The report's energy: GPU kWh and Wh, CPU and RAM kWh, the window's duration (s); the figures that
    do not add up are noted."""
    gpu_kwh = number(energy.get("gpu_energy_kwh"), f"{name} → energy → gpu_energy_kwh")
    gpu_wh = number(energy.get("gpu_energy_wh"), f"{name} → energy → gpu_energy_wh")
    if not agree(gpu_kwh * 1000.0, gpu_wh):
        found.sums_off.append(
            f"energy: gpu_energy_wh {gpu_wh:.6g} is not gpu_energy_kwh x 1,000 ({gpu_kwh * 1000:.6g})"
        )
    parts = {k: number(energy.get(f"{k}_energy_kwh"), f"{name} → energy → {k}_energy_kwh") for k in ("cpu", "ram")}
    if energy.get("total_energy_kwh") is not None:
        stated = number(energy.get("total_energy_kwh"), f"{name} → energy → total_energy_kwh")
        if not agree(stated, gpu_kwh + parts["cpu"] + parts["ram"]):
            found.sums_off.append(f"energy: total_energy_kwh {stated:.6g} is not gpu + cpu + ram")
    if energy.get("energy_kwh") is not None:
        primary = number(energy.get("energy_kwh"), f"{name} → energy → energy_kwh")
        if not agree(primary, gpu_kwh):
            found.sums_off.append(f"energy: energy_kwh {primary:.6g} is not the GPU energy {gpu_kwh:.6g} it reports")
    duration = _opt_positive(energy.get("duration_seconds"), f"{name} → energy → duration_seconds")
    return gpu_kwh, gpu_wh, parts, duration


def _identity(
    name: str,
    config: Mapping[str, object],
    backend_info: Mapping[str, object],
    stats: Mapping[str, object],
    found: _Findings,
) -> tuple[list[int], str | None]:
    """The GPUs (device ids) and model the config names; where backend_info and gpu_stats name others,
    the disagreement is noted."""
    ids = _device_ids(config.get("device_ids"), f"{name} → config → device_ids", found)
    info_ids = backend_info.get("device_ids")
    if info_ids is not None and _device_ids(info_ids, f"{name} → backend_info → device_ids", found) != ids:
        found.disagreements.append("device_ids: config and backend_info name other GPUs")
    model = opt_text(config.get("model"), f"{name} → config → model")
    info_model = opt_text(backend_info.get("model"), f"{name} → backend_info → model")
    if info_model is not None and info_model != model:
        found.disagreements.append(f"model: {model!r} in config, {info_model!r} in backend_info")
    stat_ids = _stat_ids(stats, name)
    if stat_ids and stat_ids != set(ids):
        found.disagreements.append(
            f"GPUs: config → device_ids {sorted(ids)}, gpu_stats {sorted(stat_ids)}: not the same GPUs"
        )
    return ids, model


# --- small strict readers ---------------------------------------------------------------------------


def _opt_obj(value: object, where: str) -> Mapping[str, object]:
    return {} if value is None else obj(value, where)


def _count(value: object, where: str) -> int:
    result = integer(value, where)
    if not 0 <= result < 10**9:
        raise SubmissionError(f"{where} is {result:,}: not a count of prompts or tokens. {_UNCHANGED}")
    return result


def _queries(value: object, where: str) -> int:
    if value is None:
        raise Refused(
            "Number of queries",
            f"{where} is missing: the number of queries is never assumed. {_UNCHANGED}",
        )
    result = _count(value, where)
    if result == 0:
        raise Refused("Number of queries", f"{where} is 0: a run measures at least one query. {_UNCHANGED}")
    return result


def _opt_positive(value: object, where: str) -> float | None:
    if value is None:
        return None
    result = number(value, where)
    return result if result > 0 else None


def _device_ids(value: object, where: str, found: _Findings) -> list[int]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_GPUS:
        raise SubmissionError(f"{where} lists more than {MAX_GPUS} GPUs. {_UNCHANGED}")
    ids = [integer(v, f"{where}[{i}]") for i, v in enumerate(items)]
    if any(not 0 <= i < 1_000 for i in ids):
        raise SubmissionError(f"{where} holds {ids[:8]}: not GPU numbers. {_UNCHANGED}")
    if len(set(ids)) != len(ids):
        found.disagreements.append(f"{where} lists a GPU twice ({ids[:8]}): one GPU is one GPU")
    return sorted(set(ids))


def _stat_ids(stats: Mapping[str, object], name: str) -> set[int]:
    out = set()
    for key in list(stats)[: MAX_GPUS + 1]:
        m = re.fullmatch(r"gpu_(\d{1,3})", key)
        if m is None:
            raise SubmissionError(f"{name} → gpu_stats has {key[:40]!r}, not gpu_<number>. {_UNCHANGED}")
        out.add(int(m.group(1)))
    return out


def _last_row(files: Mapping[str, tuple[str, bytes]], base: str, found: _Findings) -> tuple[str, dict[str, str]] | None:
    if base not in files:
        return None
    member, body = files[base]
    rows = load_csv(member, body)
    if not rows:
        found.disagreements.append(f"{member} has no data row")
        return None
    if len(rows) > 1:
        found.notes.append(f"{member} holds {len(rows)} runs; the last one, this run's, is compared")
    return member, rows[-1]


def _csv_number(row: Mapping[str, str], key: str, member: str) -> float:
    raw = row.get(key, "")
    try:
        value = float(raw)
    except ValueError:
        raise SubmissionError(f"{member} → {key} is {raw[:40]!r}, not a number. {_UNCHANGED}") from None
    if not math.isfinite(value):
        raise SubmissionError(f"{member} → {key} is not a finite number. {_UNCHANGED}")
    return value


def gpu_model_names(gpu_model: str, where: str) -> list[str]:
    """CodeCarbon's ``gpu_model`` ('1 x NVIDIA H200', '2 x NVIDIA H100 80GB HBM3, 1 x NVIDIA A10') as
    one name per GPU; '' (no GPU) as none."""
    if not gpu_model.strip():
        return []
    names: list[str] = []
    for part in gpu_model.split(",")[: MAX_GPUS + 1]:
        m = _GPU_PART.match(part)
        if m is None:
            raise SubmissionError(f"{where} is {gpu_model[:60]!r}, not '<count> x <GPU>'. {_UNCHANGED}")
        names += [m.group(2)] * int(m.group(1))
        if len(names) > MAX_GPUS:
            raise SubmissionError(f"{where} names more than {MAX_GPUS} GPUs. {_UNCHANGED}")
    return names


def _with_emissions(
    files: Mapping[str, tuple[str, bytes]],
    gpu_kwh: float,
    parts: Mapping[str, float],
    duration: float | None,
    ids: list[int],
    found: _Findings,
) -> tuple[list[str], dict[str, str] | None]:
    """The GPUs CodeCarbon saw and its row, and its energies against the report's."""
    last = _last_row(files, V2_EMISSIONS_CSV, found)
    if last is None:
        found.disagreements.append(
            f"{V2_EMISSIONS_CSV} is missing: it names the GPU and its count (zip the folder with its emissions/)"
        )
        return [], None
    member, row = last
    names = gpu_model_names(row.get("gpu_model", ""), f"{member} → gpu_model")
    for key, stated in (("gpu_energy", gpu_kwh), ("cpu_energy", parts["cpu"]), ("ram_energy", parts["ram"])):
        value = _csv_number(row, key, member)
        if not agree(value, stated, SAME_NUMBER_REL):
            found.disagreements.append(f"{key}: {stated:.6g} kWh in the report, {value:.6g} kWh in {member}")
    if duration is not None and row.get("duration"):
        seconds = _csv_number(row, "duration", member)
        if not agree(seconds, duration, SAME_NUMBER_REL):
            found.disagreements.append(f"duration: {duration:.6g} s in the report, {seconds:.6g} s in {member}")
    if names:
        count = int(_csv_number(row, "gpu_count", member)) if row.get("gpu_count") else None
        if count is not None and count != len(names):
            found.disagreements.append(f"{member}: gpu_count {count} but gpu_model names {len(names)} GPU(s)")
        if ids and len(ids) != len(names):
            found.disagreements.append(f"GPUs: config → device_ids {ids}, {len(names)} in {member}")
    return names, row


VERSION_CHECK = "Harness version"


def _results_row(member: str, body: bytes, found: _Findings) -> tuple[dict[str, str] | None, str | None]:
    """The last row of benchmark_results.csv by its header, or why it cannot be aligned with it: the
    harness appends a row per run and writes the header once, so a folder that an earlier version of
    ai_energy_benchmarks wrote into keeps that version's header (another number of columns)."""
    try:
        text_body = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(f"{member} is not UTF-8 text. {_UNCHANGED}") from None
    if "\x00" in text_body:
        raise SubmissionError(f"{member} holds NUL characters: it is not a CSV file. {_UNCHANGED}")
    reader = csv.reader(io.StringIO(text_body, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header) or len(header) > MAX_CSV_COLUMNS:
            raise SubmissionError(f"{member} has no header row of at most {MAX_CSV_COLUMNS} columns. {_UNCHANGED}")
        if len(set(header)) != len(header):
            raise SubmissionError(f"{member} names a column twice in its header. {_UNCHANGED}")
        rows = 0
        last: list[str] | None = None
        for line in reader:
            if not line:
                continue
            rows += 1
            if rows > MAX_CSV_ROWS or len(line) > MAX_CSV_COLUMNS:
                raise SubmissionError(f"{member} has more than {MAX_CSV_ROWS:,} rows or {MAX_CSV_COLUMNS} columns.")
            last = line
    except csv.Error as exc:
        raise SubmissionError(f"{member} is not valid CSV (line {reader.line_num}: {exc}). {_UNCHANGED}") from None
    if last is None:
        found.disagreements.append(f"{member} has no data row")
        return None, None
    if rows > 1:
        found.notes.append(f"{member} holds {rows} runs; the last one, this run's, is compared")
    if len(last) != len(header):
        return None, (
            f"{member}'s last row has {len(last)} fields but its header {len(header)}: the header is another "
            "version's of ai_energy_benchmarks (the harness writes it once, for the folder's first run), so the row "
            "cannot be compared"
        )
    return dict(zip(header, last, strict=True)), None


def _flat_numbers(data: Mapping[str, object]) -> dict[str, float]:
    """The report's numbers under the column names the harness's CSV reporter gives them (nested keys
    joined by '_'), at most ``MAX_CSV_COLUMNS`` of them."""
    out: dict[str, float] = {}
    stack: list[tuple[str, object, int]] = [("", data, 0)]
    while stack and len(out) < MAX_CSV_COLUMNS:
        prefix, node, depth = stack.pop()
        if isinstance(node, dict) and depth < 4:
            stack += [
                (f"{prefix}_{k}" if prefix else str(k), v, depth + 1) for k, v in list(node.items())[:MAX_CSV_COLUMNS]
            ]
        elif isinstance(node, (int, float)) and not isinstance(node, bool) and math.isfinite(node):
            out[prefix] = float(node)
    return out


def _with_results_csv(
    files: Mapping[str, tuple[str, bytes]],
    data: Mapping[str, object],
    model: str | None,
    num: int,
    total: int,
    good: int,
    failed: int,
    gpu_wh: float,
    found: _Findings,
    checks: list[Check],
) -> None:
    if V2_RESULTS_CSV not in files:
        return
    member, body = files[V2_RESULTS_CSV]
    row, version = _results_row(member, body, found)
    absent: list[str] = []
    if row is not None:
        if model is not None and row.get("config_model") not in (None, model):
            found.disagreements.append(
                f"model: {model!r} in the report, {row.get('config_model', '')[:80]!r} in {member}"
            )
        for key, stated in (
            ("config_num_samples", num),
            ("summary_total_prompts", total),
            ("summary_successful_prompts", good),
            ("summary_failed_prompts", failed),
            ("energy_gpu_energy_wh", gpu_wh),
        ):
            if key not in row:
                absent.append(key)
            elif not agree(_csv_number(row, key, member), float(stated), SAME_NUMBER_REL):
                found.disagreements.append(f"{key}: {stated:.6g} in the report, {row[key][:20]} in {member}")
        for key, stated_value in _flat_numbers(data).items():
            cell = row.get(key)
            if cell is None or key in absent:
                continue
            try:
                value = float(cell)
            except ValueError:
                found.disagreements.append(f"{key}: {stated_value:.6g} in the report, {cell[:20]!r} in {member}")
                continue
            if not agree(value, stated_value, SAME_NUMBER_REL):
                found.disagreements.append(f"{key}: {stated_value:.6g} in the report, {cell[:20]} in {member}")
    if absent:
        version = (
            f"{member} has no column {', '.join(absent[:3])}: another version of ai_energy_benchmarks wrote it, "
            "so those figures are not compared"
        )
    if version:
        checks.append(
            Check(
                VERSION_CHECK,
                "warn",
                version + ". The report and CodeCarbon's row are compared in full; a maintainer "
                "checks which version ran.",
            )
        )


def _with_summary(
    files: Mapping[str, tuple[str, bytes]], loaded: Mapping[str, tuple[str, object]], gpu_wh: float, found: _Findings
) -> None:
    if DOCKER_SUMMARY in loaded:
        member, raw = loaded[DOCKER_SUMMARY]
        data = obj(raw, member)
        if data.get("format") != V2_FORMAT or data.get("units") != "Wh":
            found.disagreements.append(
                f"{member} is not the v2 summariser's (format {str(data.get('format'))[:30]!r}, units "
                f"{str(data.get('units'))[:10]!r}; expected {V2_FORMAT!r}, 'Wh')"
            )
            return
        total = number(data.get("total"), f"{member} → total")
        if not agree(total, gpu_wh, SAME_NUMBER_REL):
            found.disagreements.append(f"total: {gpu_wh:.6g} Wh in the report, {total:.6g} Wh in {member}")
        expected = {"preprocess_wh": 0.0, "prefill_wh": 0.0, "decode_wh": gpu_wh}
        for key, value in expected.items():
            stated = number(data.get(key), f"{member} → {key}")
            if abs(stated - value) > ROUNDED_WH:
                found.disagreements.append(
                    f"{key}: {stated:.6g} Wh in {member}; the summariser books {value:.2f} Wh there"
                )
    if DOCKER_WH_TEXT in files:
        member, body = files[DOCKER_WH_TEXT]
        value = wh_text_value(body)
        if not math.isfinite(value) or abs(value - gpu_wh) > ROUNDED_WH:
            found.disagreements.append(f"total: {gpu_wh:.6g} Wh in the report, {body[:20]!r} in {member}")


def _versions(meta: Mapping[str, object], loaded: Mapping[str, tuple[str, object]], found: _Findings) -> str | None:
    """'ai_energy_benchmarks 0.0.4, codecarbon 3.0.4' as far as the files record them."""
    parts = []
    if NVML_CROSSCHECK in loaded:
        member, raw = loaded[NVML_CROSSCHECK]
        package = opt_text(obj(raw, member).get("ai_energy_benchmarks_version"), f"{member} → version")
        if package:
            parts.append(f"ai_energy_benchmarks {package[:20]}")
    name = opt_text(meta.get("name"), "metrics_metadata → name")
    version = opt_text(meta.get("version"), "metrics_metadata → version")
    if name and version:
        parts.append(f"{name[:20]} {version[:20]}")
    return ", ".join(parts) or None


READER = Reader("AIEnergyScore v2 runner", is_v2, read_v2)

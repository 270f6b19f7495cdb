"""Reading the benchmark layouts out of a zip, and the checks every submission goes through."""

from __future__ import annotations

import hashlib
import math
import posixpath
from dataclasses import dataclass

from leaderboard.submissions import (
    COUNTED_PHASES,
    DEFAULT_NUM_QUERIES,
    ENERGY_UNITS_TO_WH,
    GENERIC_MAX_POWER_W,
    GPU_MAX_POWER_W,
    MIN_GPU_POWER_W,
    NOT_COUNTED_PHASES,
    PIPELINE_TASKS,
    SUMMARY_FILE,
    Check,
    Parsed,
    Phase,
    Report,
    SubmissionError,
    load_json,
    read_zip,
)
from leaderboard.tasks import TASKS_BY_ID

# Phases a task's score must include (SPEC §1); preprocess is optional in every layout.
REQUIRED_PHASES = {
    "text_generation": ("prefill", "decode"), "reasoning": ("prefill", "decode"),
    "summarization": ("prefill", "decode"), "asr": ("prefill", "decode"), "image_captioning": ("prefill", "decode"),
    "question_answering": ("forward",), "text_classification": ("forward",), "sentence_similarity": ("forward",),
    "image_classification": ("forward",), "object_detection": ("forward",), "image_generation": ("call",),
}


@dataclass(frozen=True)
class Claim:
    """What the submitter says in the form; checked against the logs."""

    task: str | None = None
    model: str | None = None
    model_class: str | None = None
    hardware: str | None = None


def _num(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _dig(data, *path):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _unique(members: dict[str, bytes], base: str) -> tuple[str, bytes] | None:
    found = [(name, body) for name, body in members.items() if posixpath.basename(name) == base]
    if len(found) > 1:
        raise SubmissionError(f"The zip holds {len(found)} files named {base} ({', '.join(n for n, _ in found[:5])}): "
                              "upload one run folder per submission.")
    return found[0] if found else None


def _json(members, base):
    found = _unique(members, base)
    return (found[0], load_json(found[0], found[1])) if found else (None, None)


def _gpu_wh(energy, where: str) -> float:
    if not isinstance(energy, dict):
        raise SubmissionError(f"{where} has no energy record. Zip the whole run folder that the benchmark wrote.")
    unit = str(energy.get("unit", "")).strip()
    if unit.lower() not in ENERGY_UNITS_TO_WH:
        raise SubmissionError(f"{where} has energy in unknown unit {unit!r} (known: kWh, Wh, J, mJ). "
                              "Upload the report the benchmark wrote, unchanged.")
    gpu = _num(energy.get("gpu"))
    if gpu is None:
        raise SubmissionError(f"{where} has no GPU energy (found keys: {', '.join(map(str, energy)) or 'none'}). "
                              "Zip the whole run folder that the benchmark wrote.")
    return gpu * ENERGY_UNITS_TO_WH[unit.lower()]


def _report_phases(report: dict, name: str, num_queries: int) -> tuple[list[Phase], bool]:
    """Counted phases of an optimum-benchmark report; averages ``measures`` where present."""
    if not isinstance(report, dict):
        raise SubmissionError(f"{name} is not a JSON object of phases. Upload the report the benchmark wrote.")
    phases, dev = [], False
    for key, body in report.items():
        if key not in COUNTED_PHASES or not isinstance(body, dict):
            continue
        measures = body.get("measures")
        if isinstance(measures, list) and measures:
            dev = True
            # Single repeats can read 0 or negative (counter granularity): average, never drop.
            values = [_gpu_wh(m, f"{name} → {key} → measures[{i}]") for i, m in enumerate(measures)]
            wh, repeats = sum(values) / len(values), len(values)
        elif body.get("energy") is None:
            continue
        else:
            wh, repeats = _gpu_wh(body.get("energy"), f"{name} → {key}"), 1
        phases.append(Phase(COUNTED_PHASES[key], wh, wh * 1000.0 / num_queries, None, repeats))
    return phases, dev


def _config_facts(config: dict | None) -> dict:
    config = config or {}
    backend = config.get("backend") or {}
    env = config.get("environment") or {}
    gpus = env.get("gpu")
    gpu_name = gpus[0] if isinstance(gpus, list) and gpus else gpus if isinstance(gpus, str) else None
    num = _dig(config, "scenario", "num_samples")
    if num is None:
        num = _dig(config, "benchmark", "num_samples")
    return {"model": backend.get("model") if isinstance(backend.get("model"), str) else None,
            "task": PIPELINE_TASKS.get(backend.get("task")) if isinstance(backend.get("task"), str) else None,
            "num_queries": num, "gpu_name": gpu_name if isinstance(gpu_name, str) else None,
            "gpu_count": env.get("gpu_count") if isinstance(env.get("gpu_count"), int) else None,
            "driver": env.get("nvidia_driver_version") or env.get("driver") or None}


def _queries(value, checks: list[Check]) -> int:
    if value is None:
        checks.append(Check("Number of queries", "warn", f"Not recorded in the config; assumed {DEFAULT_NUM_QUERIES:,} "
                                                          "(the benchmark's default)."))
        return DEFAULT_NUM_QUERIES
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value <= 0:
        raise SubmissionError(f"The config's number of queries (num_samples) is {value!r}: it must be a whole number "
                              "above 0. Rerun the benchmark with num_samples set (1,000 for the official board).")
    checks.append(Check("Number of queries", "pass", f"{int(value):,} queries."))
    return int(value)


def parse_logs(members: dict[str, bytes], names: list[str], checks: list[Check]) -> Parsed:
    """Find the layout and read task, model, queries, GPU and per-phase GPU energy."""
    summary_name, summary = _json(members, SUMMARY_FILE)
    if summary is not None:
        return _parse_summary(summary_name, summary, names, checks)
    report_name, report = _json(members, "benchmark_report.json")
    bench_name, bench = _json(members, "benchmark.json")
    config = None
    if report is None and isinstance(bench, dict):
        report_name, report, config = bench_name, bench.get("report"), bench.get("config")
    for base in ("benchmark_config.json", "experiment_config.json"):
        if config is None:
            config = _json(members, base)[1]
    facts = _config_facts(config if isinstance(config, dict) else None)
    if report is not None:
        num = _queries(facts["num_queries"], checks)
        phases, dev = _report_phases(report, report_name, num)
        layout = "optimum-benchmark energy_star_dev" if dev else "optimum-benchmark energy_star"
        ignored = sorted(k for k, v in report.items() if isinstance(v, dict) and k not in COUNTED_PHASES
                         and k not in NOT_COUNTED_PHASES and v.get("energy"))
        if ignored:
            checks.append(Check("Phases not counted", "warn", f"{', '.join(ignored)} are not scored phases."))
    else:
        gpu_name, gpu_summary = _json(members, "GPU_ENERGY_SUMMARY.json")
        if gpu_summary is None:
            raise SubmissionError(
                "No benchmark report found: the zip needs benchmark_report.json (with benchmark_config.json or "
                "experiment_config.json), benchmark.json, GPU_ENERGY_SUMMARY.json or energy_score_summary.json. "
                f"Found: {', '.join(names[:10]) or 'nothing'}. Zip the whole run folder that the benchmark wrote.")
        num = _queries(facts["num_queries"], checks)
        unit = str(gpu_summary.get("units", "")).strip()
        if unit.lower() not in ENERGY_UNITS_TO_WH:
            raise SubmissionError(f"{gpu_name} has energy in unknown unit {unit!r} (known: kWh, Wh, J, mJ).")
        factor = ENERGY_UNITS_TO_WH[unit.lower()]
        phases = []
        for key in ("preprocess", "prefill", "decode", "forward", "call"):
            value = _num(gpu_summary.get(f"{key}_wh"))
            if value is not None:
                wh = value * factor
                phases.append(Phase(key, wh, wh * 1000.0 / num))
        layout = "AI Energy Score Docker GPU_ENERGY_SUMMARY.json"
        if not phases and _num(gpu_summary.get("total")) is not None:
            wh = _num(gpu_summary["total"]) * factor
            phases.append(Phase("total", wh, wh * 1000.0 / num))
    return Parsed(layout, facts["model"], facts["task"], num, facts["gpu_name"], facts["gpu_count"],
                  facts["driver"], tuple(phases), tuple(names))


def _parse_summary(name: str, summary: dict, names: list[str], checks: list[Check]) -> Parsed:
    if not isinstance(summary, dict):
        raise SubmissionError(f"{name} is not a JSON object.")
    num = _queries(summary.get("num_queries"), checks)
    gpu = summary.get("gpu") or {}
    phases = []
    for key, body in (summary.get("phases") or {}).items():
        if key not in COUNTED_PHASES or not isinstance(body, dict):
            continue
        wh = _num(body.get("gpu_energy_wh"))
        if wh is None:
            raise SubmissionError(f"{name} → phases → {key} has no gpu_energy_wh. Zip the folder the runner wrote.")
        phases.append(Phase(COUNTED_PHASES[key], wh, wh * 1000.0 / num, _num(body.get("duration_s")),
                            int(body.get("repeats") or 1)))
    task = summary.get("task") if summary.get("task") in TASKS_BY_ID else None
    return Parsed("AI Energy Score runner", summary.get("model") if isinstance(summary.get("model"), str) else None,
                  task, num, gpu.get("name") if isinstance(gpu.get("name"), str) else None,
                  gpu.get("count") if isinstance(gpu.get("count"), int) else None,
                  gpu.get("driver") if isinstance(gpu.get("driver"), str) else None, tuple(phases), tuple(names))


def _gpu_key(name: str) -> str | None:
    compact = name.upper().replace(" ", "").replace("-", "")
    for key in sorted(GPU_MAX_POWER_W, key=len, reverse=True):
        if key in compact:
            return key
    return None


def hardware_matches(claimed: str, logged: str) -> bool:
    """'NVIDIA H100 80GB' matches 'NVIDIA H100 80GB HBM3'; memory size must agree when both give it."""
    c, g = claimed.upper().replace(" ", "").replace("-", ""), logged.upper().replace(" ", "").replace("-", "")
    ck, gk = _gpu_key(claimed), _gpu_key(logged)
    if ck is None or gk is None:
        return c in g or g in c
    if ck != gk:
        return False
    import re

    cm, gm = re.search(r"(\d+)GB", c), re.search(r"(\d+)GB", g)
    return not (cm and gm and cm.group(1) != gm.group(1))


def run_checks(parsed: Parsed, claim: Claim, checks: list[Check]) -> None:
    task = claim.task or parsed.task
    required = REQUIRED_PHASES.get(task or "", ())
    present = {p.name for p in parsed.phases}
    if not parsed.phases:
        checks.append(Check("Counted phases present", "fail", "No counted phase (preprocess, prefill, decode, forward, "
                            "call) has GPU energy. Zip the whole run folder that the benchmark wrote."))
    elif required and not set(required) <= present and "total" not in present:
        missing = sorted(set(required) - present)
        checks.append(Check("Counted phases present", "fail", f"{', '.join(missing)} missing for {task} (found: "
                            f"{', '.join(sorted(present))}). Rerun the benchmark for {task} and zip its whole folder."))
    else:
        checks.append(Check("Counted phases present", "pass", f"{', '.join(p.name for p in parsed.phases)}."))
    bad = [p for p in parsed.phases if not (math.isfinite(p.gpu_energy_wh) and p.gpu_energy_wh > 0)]
    if bad:
        checks.append(Check("Energies finite and positive", "fail", "; ".join(
            f"{p.name}: {p.gpu_energy_wh!r} Wh" for p in bad) + ". A complete run measures positive GPU energy in "
            "every phase; rerun the benchmark."))
    elif parsed.phases:
        checks.append(Check("Energies finite and positive", "pass", "Every counted phase has positive GPU energy."))
    checks.append(Check("Energy units known", "pass", "Energies read and converted to Wh."))
    _power_check(parsed, checks)
    _hardware_check(parsed, claim, checks)
    if claim.model_class in ("A", "B") and parsed.gpu_count and parsed.gpu_count > 1:
        checks.append(Check("Class rules", "fail", f"Class {claim.model_class} runs must use one GPU; the logs show "
                            f"{parsed.gpu_count}. Rerun on a single GPU, or submit as class C."))
    elif claim.model_class:
        checks.append(Check("Class rules", "pass", f"Class {claim.model_class} on {parsed.gpu_count or 'an unrecorded number of'} GPU(s)."))
    if claim.task and parsed.task and claim.task != parsed.task and \
            {claim.task, parsed.task} != {"reasoning", "text_generation"}:
        checks.append(Check("Task as claimed", "fail", f"The form says {claim.task}; the logs ran {parsed.task}. "
                            "Pick the task the benchmark ran."))
    elif claim.task:
        checks.append(Check("Task as claimed", "pass" if parsed.task else "warn",
                            f"{TASKS_BY_ID[claim.task].display_name}" + ("" if parsed.task else
                                                                         " (the logs do not record the task)") + "."))
    if claim.model and parsed.model and claim.model.strip() != parsed.model:
        checks.append(Check("Model as claimed", "fail", f"The form says {claim.model!r}; the logs measured "
                            f"{parsed.model!r}. Submit the logs of the model you name."))
    elif claim.model:
        checks.append(Check("Model as claimed", "pass" if parsed.model else "warn",
                            "Matches the logs." if parsed.model else "The logs do not record the model id."))


def _power_check(parsed: Parsed, checks: list[Check]) -> None:
    timed = [p for p in parsed.phases if p.duration_s and p.duration_s > 0 and p.gpu_energy_wh > 0]
    if not timed:
        checks.append(Check("Average power plausible", "warn", "Phase durations are not recorded; not checked."))
        return
    count = parsed.gpu_count or 1
    limit = GPU_MAX_POWER_W.get(_gpu_key(parsed.gpu_name or "") or "", GENERIC_MAX_POWER_W)
    problems = []
    for p in timed:
        watts = p.gpu_energy_wh * 3600.0 / p.duration_s / count
        if not MIN_GPU_POWER_W <= watts <= limit * 1.05:
            problems.append(f"{p.name}: {watts:,.0f} W per GPU")
    if problems:
        checks.append(Check("Average power plausible", "fail", "; ".join(problems) + f" is outside {MIN_GPU_POWER_W:.0f}–"
                            f"{limit:,.0f} W (idle to the GPU's limit): energy or duration is wrong. Rerun the benchmark."))
    else:
        checks.append(Check("Average power plausible", "pass", f"Between idle and the {limit:,.0f} W limit."))


def _hardware_check(parsed: Parsed, claim: Claim, checks: list[Check]) -> None:
    if not claim.hardware:
        checks.append(Check("Hardware recorded", "pass" if parsed.gpu_name else "warn",
                            f"{parsed.gpu_count or '?'} × {parsed.gpu_name}" if parsed.gpu_name
                            else "The logs do not record the GPU."))
    elif not parsed.gpu_name:
        checks.append(Check("Hardware as claimed", "warn", f"The logs do not record the GPU; {claim.hardware!r} cannot "
                            "be checked. Maintainers will ask for the config file."))
    elif hardware_matches(claim.hardware, parsed.gpu_name):
        checks.append(Check("Hardware as claimed", "pass", f"{parsed.gpu_name}."))
    else:
        checks.append(Check("Hardware as claimed", "fail", f"The form says {claim.hardware!r}; the logs ran on "
                            f"{parsed.gpu_name!r}. Pick the hardware the benchmark ran on."))


def check_zip(data: bytes, claim: Claim | None = None) -> Report:
    """Check an uploaded zip. Never raises for bad input: problems are failed checks."""
    claim = claim or Claim()
    sha = hashlib.sha256(data).hexdigest()
    checks: list[Check] = []
    try:
        archive = read_zip(data)
        checks.append(Check("Zip readable and safe", "pass", f"{len(archive.names)} files."))
        parsed = parse_logs(archive.members, archive.names, checks)
        checks.insert(1, Check("Benchmark report found", "pass", parsed.layout + "."))
    except SubmissionError as exc:
        checks.append(Check("Zip readable and safe" if not checks else "Benchmark report readable", "fail", str(exc)))
        return Report(tuple(checks), None, sha, len(data))
    run_checks(parsed, claim, checks)
    return Report(tuple(checks), parsed, sha, len(data))

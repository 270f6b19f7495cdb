"""Reading the accepted benchmark layouts (SPEC §7) out of a zip's files into a ``ParsedRun``.

    optimum-benchmark energy_star      benchmark_config.json + benchmark_report.json, or benchmark.json
    optimum-benchmark energy_star_dev  experiment_config.json + benchmark_report.json with ``measures``
    Docker summary                     GPU_ENERGY_SUMMARY.json (units, total, <phase>_wh)
    this project's runner              energy_score_summary.json beside the optimum-benchmark files

File names, phase keys and units come from ``leaderboard.runfolder``; task names from the task
registry. GPU energy per 1,000 queries = GPU energy of the measured pass x 1000 / number of queries.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import (
    BENCHMARK_JSON,
    BENCHMARK_REPORT,
    CONFIG_FILES,
    DEFAULT_NUM_QUERIES,
    DOCKER_PHASE_SUFFIX,
    DOCKER_SUMMARY,
    ENERGY_UNITS_TO_WH,
    NOT_COUNTED_PHASE_KEYS,
    PARSED_FILES,
    REPORT_PHASE_KEYS,
    RUNNER_SUMMARY,
    GpuInfo,
    RunSummary,
    number,
    obj,
)
from leaderboard.submissions.archive import load_json
from leaderboard.submissions.model import Check, ParsedRun, Phase
from leaderboard.tasks import PHASES, TASKS_BY_ID, task_for_pipeline

RUNNER_LAYOUT = "AI Energy Score runner"
DOCKER_LAYOUT = f"AI Energy Score Docker {DOCKER_SUMMARY}"
ENERGY_STAR_LAYOUT = "optimum-benchmark energy_star"
ENERGY_STAR_DEV_LAYOUT = "optimum-benchmark energy_star_dev"


def _unique(members: Mapping[str, bytes], base: str) -> tuple[str, bytes] | None:
    found = [(name, body) for name, body in members.items() if posixpath.basename(name) == base]
    if len(found) > 1:
        raise SubmissionError(
            f"The zip holds {len(found)} files named {base} ({', '.join(n for n, _ in found[:5])}): "
            "upload one run folder per submission."
        )
    return found[0] if found else None


def _json(members: Mapping[str, bytes], base: str) -> tuple[str | None, object]:
    found = _unique(members, base)
    return (found[0], load_json(found[0], found[1])) if found else (None, None)


def _unit_factor(unit: object, where: str) -> float:
    if not isinstance(unit, str) or unit.strip() not in ENERGY_UNITS_TO_WH:
        raise SubmissionError(
            f"{where} has energy in unknown unit {str(unit)[:20]!r} (known: {', '.join(ENERGY_UNITS_TO_WH)}). "
            "Upload the report the benchmark wrote, unchanged."
        )
    return ENERGY_UNITS_TO_WH[unit.strip()]


def _gpu_wh(energy: object, where: str) -> float:
    if not isinstance(energy, dict):
        raise SubmissionError(f"{where} has no energy record. Zip the whole run folder that the benchmark wrote.")
    factor = _unit_factor(energy.get("unit", ""), where)
    if energy.get("gpu") is None:
        raise SubmissionError(
            f"{where} has no GPU energy (found keys: {', '.join(map(str, energy)) or 'none'}). "
            "Zip the whole run folder that the benchmark wrote."
        )
    return number(energy.get("gpu"), f"{where} → gpu") * factor


def _report_phases(report: object, name: str, num_queries: int) -> tuple[list[Phase], bool]:
    """Counted phases of an optimum-benchmark report; averages ``measures`` where present."""
    if not isinstance(report, dict):
        raise SubmissionError(f"{name} is not a JSON object of phases. Upload the report the benchmark wrote.")
    phases, dev = [], False
    for key, body in report.items():
        if key not in REPORT_PHASE_KEYS or not isinstance(body, dict):
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
        phases.append(Phase(REPORT_PHASE_KEYS[key], wh, wh * 1000.0 / num_queries, None, repeats))
    return phases, dev


def _dig(data: object, *path: str) -> object:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _config_facts(config: object) -> tuple[str | None, str | None, object, GpuInfo | None]:
    """Model, task, number of queries (unchecked) and GPUs recorded in an optimum-benchmark config."""
    backend, env = _dig(config, "backend"), _dig(config, "environment")
    model = _dig(backend, "model")
    pipeline = _dig(backend, "task")
    task = task_for_pipeline(pipeline) if isinstance(pipeline, str) else None
    num = _dig(config, "scenario", "num_samples")
    if num is None:
        num = _dig(config, "benchmark", "num_samples")
    gpus = _dig(env, "gpu")
    names = (
        [g for g in gpus if isinstance(g, str)] if isinstance(gpus, list) else [gpus] if isinstance(gpus, str) else []
    )
    count = _dig(env, "gpu_count")
    if names and isinstance(count, int) and not isinstance(count, bool) and count > len(names) and len(names) == 1:
        names = names * min(count, 64)  # one name recorded for several identical GPUs
    driver = _dig(env, "nvidia_driver_version") or _dig(env, "driver")
    gpu = GpuInfo(tuple(names), driver if isinstance(driver, str) else None) if names else None
    return (model if isinstance(model, str) else None, task.id if task else None, num, gpu)


def _queries(value: object, checks: list[Check]) -> int:
    if value is None:
        checks.append(
            Check(
                "Number of queries",
                "warn",
                f"Not recorded in the config; assumed {DEFAULT_NUM_QUERIES:,} (the benchmark's default).",
            )
        )
        return DEFAULT_NUM_QUERIES
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not float("-inf") < value < float("inf")
        or value != int(value)
        or value <= 0
    ):
        raise SubmissionError(
            f"The config's number of queries (num_samples) is {str(value)[:40]!r}: it must be a whole number "
            "above 0. Rerun the benchmark with num_samples set (1,000 for the official board)."
        )
    checks.append(Check("Number of queries", "pass", f"{int(value):,} queries."))
    return int(value)


def parse_logs(members: Mapping[str, bytes], names: list[str], checks: list[Check]) -> ParsedRun:
    """Find the layout and read task, model, queries, GPU and per-phase GPU energy."""
    summary_name, summary = _json(members, RUNNER_SUMMARY)
    if summary_name is not None:
        return _parse_summary(summary_name, summary, names, checks)
    report_name, report = _json(members, BENCHMARK_REPORT)
    bench_name, bench = _json(members, BENCHMARK_JSON)
    config: object = None
    if report_name is None and isinstance(bench, dict):
        report_name, report, config = bench_name, bench.get("report"), bench.get("config")
    for base in CONFIG_FILES:
        if config is None:
            config = _json(members, base)[1]
    model, task, num_raw, gpu = _config_facts(config)
    if report_name is not None:
        num = _queries(num_raw, checks)
        phases, dev = _report_phases(report, report_name, num)
        layout = ENERGY_STAR_DEV_LAYOUT if dev else ENERGY_STAR_LAYOUT
        report_map = obj(report, report_name)
        ignored = sorted(
            k
            for k, v in report_map.items()
            if isinstance(v, dict)
            and k not in REPORT_PHASE_KEYS
            and k not in NOT_COUNTED_PHASE_KEYS
            and v.get("energy")
        )
        if ignored:
            checks.append(Check("Phases not counted", "warn", f"{', '.join(ignored)} are not scored phases."))
    else:
        docker_name, docker = _json(members, DOCKER_SUMMARY)
        if docker_name is None:
            raise SubmissionError(
                f"No benchmark report found: the zip needs one of {', '.join(PARSED_FILES)}. "
                f"Found: {', '.join(names[:10]) or 'nothing'}. Zip the whole run folder that the benchmark wrote."
            )
        num = _queries(num_raw, checks)
        phases = _docker_phases(docker_name, docker, num)
        layout = DOCKER_LAYOUT
    return ParsedRun(layout, model, task, num, gpu, tuple(phases), tuple(names))


def _docker_phases(name: str, summary: object, num: int) -> list[Phase]:
    data = obj(summary, name)
    factor = _unit_factor(data.get("units", ""), name)
    phases = []
    for phase in PHASES:
        value = data.get(f"{phase}{DOCKER_PHASE_SUFFIX}")
        if value is not None:
            wh = number(value, f"{name} → {phase}{DOCKER_PHASE_SUFFIX}") * factor
            phases.append(Phase(phase, wh, wh * 1000.0 / num))
    if not phases and data.get("total") is not None:
        wh = number(data.get("total"), f"{name} → total") * factor
        phases.append(Phase("total", wh, wh * 1000.0 / num))
    return phases


def _parse_summary(name: str, raw: object, names: list[str], checks: list[Check]) -> ParsedRun:
    summary = RunSummary.from_json(raw, name)
    num = _queries(summary.num_queries, checks)
    phases = tuple(
        Phase(key, p.gpu_energy_wh, p.gpu_energy_wh * 1000.0 / num, p.duration_s, p.repeats)
        for key, p in summary.phases.items()
    )
    task = summary.task if summary.task in TASKS_BY_ID else None
    return ParsedRun(RUNNER_LAYOUT, summary.model, task, num, summary.gpu, phases, tuple(names))

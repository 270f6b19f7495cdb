"""The optimum-benchmark family's reader (SPEC §7): optimum-benchmark's layouts, the Docker summary and
this project's runner, read out of a zip's files into a ``ParsedRun``.

    optimum-benchmark energy_star      benchmark_config.json + benchmark_report.json, or benchmark.json
    optimum-benchmark energy_star_dev  experiment_config.json + benchmark_report.json with ``measures``
    Docker summary                     GPU_ENERGY_SUMMARY.json (units, total, <phase>_wh) beside the config
    this project's runner              energy_score_summary.json beside the optimum-benchmark files

Which file gives the figure: the runner summary (``layout_runner``), else the benchmark report
(``optimum_report``), else the Docker summary (``layout_docker``). Every other file that states the
same facts is read too and must agree (``consistency``). A config (``optimum_config``) is required;
a config with no report is a crashed run: its log's error is named. File names, phase keys and units
come from ``leaderboard.runfolder``; task names from the task registry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from leaderboard.harnesses import ENERGY_STAR, ENERGY_STAR_DEV, runner_harness
from leaderboard.runfolder import (
    BENCHMARK_CONFIG,
    BENCHMARK_JSON,
    BENCHMARK_REPORT,
    DOCKER_SUMMARY,
    DOCKER_WH_TEXT,
    EXPERIMENT_CONFIG,
    FAKE_METER_DRIVER,
    PARSED_FILES,
    RUNNER_SUMMARY,
)
from leaderboard.runsummary import (
    RunSummary,
)
from leaderboard.submissions.archive import MAX_LOG_SCAN_BYTES, MAX_LOGS_READ, Archive, is_log
from leaderboard.submissions.consistency import (
    FileFacts,
    compare_energy,
    consistency_checks,
    disagreements,
)
from leaderboard.submissions.evidence import (
    cpu_ram_spread,
    efficiency_problems,
    evidence_checks,
    runner_problems,
)
from leaderboard.submissions.evidence_optimum import (
    CODECARBON_FILES,
    Trackers,
    against_trackers,
    durations,
    failed_repeat_problems,
    inputs_check,
    latency_problems,
    machine_disagreements,
    memory_check,
    phase_problems,
    prompt_tokens,
    read_trackers,
    repeat_problems,
    share_check,
    throughput_problems,
    tracker_problems,
    untied_check,
    work_problems,
)
from leaderboard.submissions.evidence_optimum import (
    efficiency_problems as optimum_efficiency_problems,
)
from leaderboard.submissions.layout_docker import DOCKER_LAYOUT, with_docker, with_wh_text
from leaderboard.submissions.layout_runner import from_summary, runner_settings
from leaderboard.submissions.model import Check, ParsedRun
from leaderboard.submissions.optimum_config import (
    ConfigFacts,
    comparable,
    config_facts,
    queries,
    scenario_check,
    whole,
)
from leaderboard.submissions.optimum_report import (
    EnergyRead,
    judge_without_config,
    report_energy,
    stated_energy,
)
from leaderboard.submissions.protocol import RunSetup
from leaderboard.submissions.reading import (
    SAME_NUMBER_REL,
    Logs,
    Reader,
    Reading,
    Refused,
    set_phases,
)
from leaderboard.tasks import TASKS_BY_ID
from leaderboard.untrusted import (
    UNCHANGED,
    obj,
)

ENERGY_STAR_LAYOUT = "optimum-benchmark energy_star"
ENERGY_STAR_DEV_LAYOUT = "optimum-benchmark energy_star_dev"
MAX_IGNORED_SHOWN = 12  # report sections that are not scored phases, named in the warning
ENERGY_STAR_DEFAULT_NEW_TOKENS = 100  # energy_star's generate_kwargs default (TEXT_GENERATION_DEFAULT_KWARGS)
_ERROR_LINE = re.compile(r"error|exception|traceback|killed|out of memory", re.IGNORECASE)


@dataclass(frozen=True)
class _Found:
    """The files of the optimum-benchmark family in a folder, each as (name, parsed JSON)."""

    summary: tuple[str, object] | None  # this project's runner summary
    configs: list[tuple[str, object]]  # benchmark_config.json, experiment_config.json, benchmark.json's config
    report: tuple[str, object] | None
    second: tuple[str, object] | None  # benchmark.json's report beside benchmark_report.json
    docker: tuple[str, object] | None


def _found(archive: Archive, loaded: Mapping[str, tuple[str, object]]) -> _Found:
    """Which files are there; a folder with no report (a crashed run, or no benchmark's files at all) or
    with two different configs is refused."""
    raw_configs = [loaded[b] for b in (BENCHMARK_CONFIG, EXPERIMENT_CONFIG) if b in loaded]
    report_file = loaded.get(BENCHMARK_REPORT)
    second: tuple[str, object] | None = None
    if BENCHMARK_JSON in loaded:
        bench_name, bench = loaded[BENCHMARK_JSON]
        combined = obj(bench, bench_name)
        if combined.get("config") is not None:
            raw_configs.append((f"{bench_name} → config", combined.get("config")))
        if combined.get("report") is not None:
            if report_file is None:
                report_file = (f"{bench_name} → report", combined.get("report"))
            else:
                second = (f"{bench_name} → report", combined.get("report"))
    found = _Found(loaded.get(RUNNER_SUMMARY), raw_configs, report_file, second, loaded.get(DOCKER_SUMMARY))
    if found.summary is None and found.report is None and found.docker is None:
        if raw_configs:
            raise Refused("Benchmark report found", _crash_message(archive, raw_configs[0][0]))
        raise Refused(
            "Benchmark report found",
            f"No benchmark report found: the zip needs one of {', '.join(PARSED_FILES)}. "
            f"Found: {', '.join(archive.names[:10]) or 'nothing'}. Zip the whole run folder that the benchmark wrote.",
        )
    if any(comparable(raw) != comparable(raw_configs[0][1]) for _, raw in raw_configs[1:]):
        raise Refused(
            "Energy run",
            f"The folder holds {len(raw_configs)} different configs ({', '.join(n for n, _ in raw_configs)}): which "
            f"one the report measured is a guess. Upload one run folder with its one config. {UNCHANGED}",
        )
    return found


def read_optimum(
    archive: Archive,
    files: Mapping[str, tuple[str, bytes]],
    loaded: Mapping[str, tuple[str, object]],
    checks: list[Check],
) -> Logs:
    """Read optimum-benchmark's layouts, the Docker summary and this project's runner: task, model,
    queries, GPU and per-phase GPU energy, adding the checks this reading decides (scenario, queries,
    units, files agree, checksums, sums, repeats)."""
    found = _found(archive, loaded)
    tool = "runner" if found.summary else "optimum-benchmark"
    configs = [config_facts(name, raw, tool) for name, raw in found.configs]
    if not configs:
        if found.report is not None:
            judge_without_config(found.report, checks)
        raise Refused(
            "Energy run",
            f"No config ({BENCHMARK_CONFIG} or {EXPERIMENT_CONFIG}) beside the report: the scenario, number of "
            "queries, model and GPU are unknown. Zip the whole run folder that the benchmark wrote.",
        )
    scenario_check(configs, checks)
    config = configs[0]
    num = queries(config.num_queries, config.source, checks)
    trackers = read_trackers(loaded)
    facts = [
        FileFacts(c.source, c.model, c.task, whole(c.num_queries), c.gpu.names if c.gpu else None) for c in configs
    ] + trackers.facts()
    report = report_energy(found.report[1], found.report[0]) if found.report else None
    if report is not None and report.ignored:
        more = (
            f" and {len(report.ignored) - MAX_IGNORED_SHOWN:,} more" if len(report.ignored) > MAX_IGNORED_SHOWN else ""
        )
        shown = ", ".join(report.ignored[:MAX_IGNORED_SHOWN])
        checks.append(Check("Phases not counted", "warn", f"{shown}{more} are not scored phases."))
    summary = RunSummary.from_json(found.summary[1], found.summary[0]) if found.summary else None
    reading = _reading(found, files, config, facts, report, summary, num, checks, trackers)
    checks.append(
        Check("Energy units known", "pass", f"Read in {', '.join(sorted(reading.units)) or 'Wh'} and converted to Wh.")
    )
    reading.disagreements += disagreements(facts)
    consistency_checks(
        reading.disagreements,
        reading.sums_off,
        files,
        archive.names,
        checks,
        summary_name=found.summary[0] if found.summary else "",
        summary=summary,
    )
    _evidence(reading, summary, report, config, num, trackers, checks)
    figures = [p.gpu_energy_wh for p in reading.phases] + [p.gpu_energy_wh_per_1k for p in reading.phases]
    if not all(math.isfinite(x) for x in [*figures, reading.all_repeats_wh_per_1k or 0.0]):
        raise Refused(
            "Energies finite and positive",
            "The energies overflow to infinity once converted to Wh per 1,000 queries: they are not measurements. "
            + UNCHANGED,
        )
    harness, version = _harness(reading.layout, summary, config)
    parsed = ParsedRun(
        reading.layout,
        reading.model,
        reading.task,
        num,
        reading.gpu,
        tuple(reading.phases),
        tuple(archive.names),
        reading.repeats,
        reading.failed,
        reading.all_repeats_wh_per_1k,
        harness,
        version,
        summary.parameters if summary is not None else None,
        summary.settings.reasoning_effort if summary is not None else config.reasoning_effort,
        tuple(reading.repeat_totals_wh_per_1k),
    )
    return Logs(parsed, _setup(config, num, harness, summary, found.summary), config.pipeline)


def _reading(
    found: _Found,
    files: Mapping[str, tuple[str, bytes]],
    config: ConfigFacts,
    facts: list[FileFacts],
    report: EnergyRead | None,
    summary: RunSummary | None,
    num: int,
    checks: list[Check],
    trackers: Trackers,
) -> Reading:
    """The figure, from the runner summary, else the report, else the Docker summary; what every other
    file states is checked against it."""
    if summary is not None and found.summary is not None:
        reading = from_summary(found.summary[0], summary, facts, report, num, checks)
        reading.disagreements += runner_settings(found.summary, summary, found.configs[0][1], config, checks)
    elif report is not None and found.report is not None:
        reading = Reading(
            ENERGY_STAR_DEV_LAYOUT if report.repeated else ENERGY_STAR_LAYOUT, config.model, config.task, config.gpu
        )
        reading.units |= report.units
        timed = durations(report, trackers)
        set_phases(reading, report.repeated, report.single, timed, num, per_1k=False, label="measures", checks=checks)
        if trackers.windows:
            reading.disagreements += against_trackers(found.report[0], report, trackers)
            environment = found.configs[0][1].get("environment") if isinstance(found.configs[0][1], dict) else None
            reading.disagreements += machine_disagreements(trackers, environment, found.configs[0][0])
    else:
        reading = Reading(DOCKER_LAYOUT, config.model, config.task, config.gpu)
    if report is not None:
        reading.sums_off += report.sums_off
        if found.second is not None:  # two reports in one folder must say the same, or which one counts is a guess
            other = report_energy(found.second[1], found.second[0])
            reading.sums_off += other.sums_off
            reading.disagreements += compare_energy(
                str(found.report[0] if found.report else ""),
                stated_energy(report),
                found.second[0],
                stated_energy(other),
                SAME_NUMBER_REL,
            )
    if found.docker is not None:
        with_docker(reading, found.docker[0], found.docker[1], report, num)
    if DOCKER_WH_TEXT in files:
        with_wh_text(reading, files[DOCKER_WH_TEXT], found.docker)
    return reading


def _setup(
    config: ConfigFacts, num: int, harness: str, summary: RunSummary | None, summary_file: tuple[str, object] | None
) -> RunSetup:
    """How the run was set up: the config's record, and what the runner recorded it did where it did."""
    setup = replace(config.settings, num_queries=num, harness=harness)
    if summary is not None and summary.no_weights:
        setup = replace(setup, random_weights=True)
    if summary is not None and summary_file is not None and obj(summary_file[1], "").get("settings") is not None:
        run = summary.settings  # what the runner recorded it did (batch size, decode mode, template, steps)
        setup = replace(
            setup,
            batch_size=run.batch_size,
            decode_mode=run.decode_mode,
            chat_template=run.chat_template,
            inference_steps=run.inference_steps if run.inference_steps is not None else setup.inference_steps,
            images_per_prompt=run.images_per_prompt if run.images_per_prompt is not None else setup.images_per_prompt,
        )
    return setup


def _evidence(
    reading: Reading,
    summary: RunSummary | None,
    report: EnergyRead | None,
    config: ConfigFacts,
    num: int,
    trackers: Trackers,
    checks: list[Check],
) -> None:
    """ "Energy fits the run": the energy against the run's other records (``evidence``, and for
    optimum-benchmark's own layouts ``evidence_optimum``, whose docstring maps them)."""
    problems: list[str] = []
    checked: list[str] = []
    if summary is not None and summary.gpu.driver != FAKE_METER_DRIVER:
        problems += runner_problems(summary, report.latency_s if report else {})
        checked += ["windows", "idle power", "durations"]
    spread = 1.0
    task = TASKS_BY_ID.get(config.task or "")
    optimum = reading.layout in (ENERGY_STAR_LAYOUT, ENERGY_STAR_DEV_LAYOUT)
    if report is not None:
        s = config.settings
        dev = reading.layout == ENERGY_STAR_DEV_LAYOUT
        forced = s.max_new_tokens if s.min_new_tokens == s.max_new_tokens else None
        # energy_star counts decode's work from the token budget (max_new_tokens, 100 unless set)
        tokens = forced if dev or not optimum else (s.max_new_tokens or ENERGY_STAR_DEFAULT_NEW_TOKENS)
        problems += efficiency_problems(report.efficiency, num, tokens, bool(task and task.generative))
        checked += ["efficiency"] if report.efficiency else []
        spread = cpu_ram_spread(report.cpu_ram)
        if optimum:
            problems += optimum_efficiency_problems(report, dev)
            problems += work_problems(report, num, s.images_per_prompt)
            problems += phase_problems(report, num, forced, task, config.gpu)
            problems += repeat_problems(report) + failed_repeat_problems(report)
            problems += throughput_problems(report, num, tokens, s.images_per_prompt)
            problems += latency_problems(report, trackers)
            checked += ["phases' work and power"]
    if trackers.windows:
        problems += tracker_problems(trackers, reading.sums_off, consecutive=reading.layout == ENERGY_STAR_LAYOUT)
        checked += ["CodeCarbon power × time"]
    evidence_checks(problems, spread, checked, checks)
    if report is not None and optimum:
        inputs_check(prompt_tokens(report, num, task), task, checks)
        share_check(report, checks)
    memory_check(config.gpu, config.source, report, checks)
    if reading.layout == DOCKER_LAYOUT:
        untied_check(f"{DOCKER_SUMMARY} alone states the energy", checks)
    elif reading.layout == ENERGY_STAR_LAYOUT and not trackers.windows:  # the tool writes one per window
        untied_check(
            f"The report's energy has no CodeCarbon file ({', '.join(CODECARBON_FILES[3:5])}, …) beside it, which "
            "optimum-benchmark writes for every window it measures (a latency, if any, was written with the energy)",
            checks,
        )
    elif reading.layout == ENERGY_STAR_DEV_LAYOUT and not any(p.duration_s for p in reading.phases):
        untied_check(
            "The energy_star_dev report records no duration or power: its energies are tied to the work (efficiency) "
            "and to each other, which a consistent rescaling keeps",
            checks,
        )


def _harness(layout: str, summary: RunSummary | None, config: ConfigFacts) -> tuple[str, str | None]:
    """The code that measured (``leaderboard.harnesses``) and the version the files record."""
    if summary is not None:
        return runner_harness(summary.settings.decode_mode), summary.software.get("runner_version")
    harness = ENERGY_STAR_DEV if layout == ENERGY_STAR_DEV_LAYOUT else ENERGY_STAR
    return harness, config.tool_version


def _crash_message(archive: Archive, config_name: str) -> str:
    logs = [n for n in archive.names if is_log(n)][:MAX_LOGS_READ]
    for log in logs:
        lines = [ln.strip() for ln in archive.log_tail(log).splitlines() if _ERROR_LINE.search(ln)]
        if lines:
            shown = " … ".join(ln[:300] for ln in lines[:3])
            return (
                f"The run did not finish: {config_name} is there but no report. Its log {log} says: {shown!r}. "
                "Fix that error and run the benchmark again."
            )
    scanned = any(archive.entries[n].size > MAX_LOG_SCAN_BYTES for n in logs)
    read = f" (the first {MAX_LOG_SCAN_BYTES // 2**20} MB read)" if scanned else ""
    return (
        f"The run did not finish: {config_name} is there but no report"
        + (f", and its log ({', '.join(logs)}){read} names no error" if logs else ", and no log (*.log) says why")
        + ". Run the benchmark again and zip its whole folder."
    )


# Reads whatever no other layout claims: optimum-benchmark's files, the Docker summary and the runner.
READER = Reader(
    "optimum-benchmark, Docker summary, this project's runner", lambda _: True, read_optimum, files=CODECARBON_FILES
)

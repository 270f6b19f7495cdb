"""This project's runner (``energy_score_summary.json`` beside optimum-benchmark's files): its summary's
figures, which count, checked against themselves and the report, and its recorded settings against
its config. Every record bearing on the energy, and what it is held against: ``evidence_runner`` (the
reviewer's map).
"""

from __future__ import annotations

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import (
    FAKE_METER_DRIVER,
)
from leaderboard.runsummary import (
    RunSummary,
)
from leaderboard.submissions.consistency import (
    FileFacts,
    compare_energy,
)
from leaderboard.submissions.evidence_runner import gates_check, runner_board_checks
from leaderboard.submissions.model import Check
from leaderboard.submissions.optimum_config import (
    ConfigFacts,
    section,
)
from leaderboard.submissions.optimum_report import (
    EnergyRead,
    stated_energy,
)
from leaderboard.submissions.reading import (
    SAME_NUMBER_REL,
    Reading,
    Refused,
    agree,
    set_phases,
)
from leaderboard.tasks import TASKS_BY_ID
from leaderboard.untrusted import (
    UNCHANGED,
    obj,
)

RUNNER_LAYOUT = "AI Energy Score runner"


def from_summary(
    name: str, summary: RunSummary, facts: list[FileFacts], report: EnergyRead | None, num: int, checks: list[Check]
) -> Reading:
    if summary.task not in TASKS_BY_ID:
        raise SubmissionError(f"{name} → task {summary.task[:40]!r} is not a task id. {UNCHANGED}")
    if not 0 < summary.num_queries < 10**9:
        raise Refused(
            "Number of queries",
            f"{name} → num_queries is {summary.num_queries}: it must be a whole number above 0. {UNCHANGED}",
        )
    reading = Reading(RUNNER_LAYOUT, summary.model, summary.task, summary.gpu, units={"Wh"})
    facts.append(FileFacts(name, summary.model, summary.task, summary.num_queries, summary.gpu.names))
    for key, p in summary.phases.items():
        where = f"{name} → phases → {key}"
        mean = sum(p.values_wh_per_1k) / len(p.values_wh_per_1k)
        if not agree(p.gpu_energy_wh_per_1k, mean):
            reading.sums_off.append(
                f"{where}: gpu_energy_wh_per_1k {p.gpu_energy_wh_per_1k:.6g} is not the mean of values_wh_per_1k ({mean:.6g})"
            )
        if not agree(p.gpu_energy_wh * 1000.0 / summary.num_queries, p.gpu_energy_wh_per_1k):
            reading.sums_off.append(f"{where}: gpu_energy_wh x 1,000 / num_queries is not gpu_energy_wh_per_1k")
        if p.per_gpu_wh_per_1k and not agree(sum(p.per_gpu_wh_per_1k), p.gpu_energy_wh_per_1k):
            reading.sums_off.append(f"{where}: per_gpu_wh_per_1k does not add up to gpu_energy_wh_per_1k")
        if p.per_gpu_wh_per_1k and len(p.per_gpu_wh_per_1k) != summary.gpu.count:
            reading.sums_off.append(
                f"{where}: per_gpu_wh_per_1k lists {len(p.per_gpu_wh_per_1k)} GPUs, gpu lists {summary.gpu.count}"
            )
    stated = sum(p.gpu_energy_wh_per_1k for p in summary.phases.values())
    if not agree(summary.total_gpu_energy_wh_per_1k, stated):
        reading.sums_off.append(
            f"{name}: total_gpu_energy_wh_per_1k {summary.total_gpu_energy_wh_per_1k:.6g} is not the sum of its "
            f"phases ({stated:.6g})"
        )
    if report is not None:
        reading.units |= report.units
        stated_report = stated_energy(report)
        reading.disagreements += compare_energy(
            name, {k: p.gpu_energy_wh for k, p in summary.phases.items()}, "the report", stated_report, SAME_NUMBER_REL
        )
    lengths = {len(p.values_wh_per_1k) for p in summary.phases.values()}
    repeated = {k: list(p.values_wh_per_1k) for k, p in summary.phases.items()} if len(lengths) == 1 else {}
    single = {} if repeated else {k: p.gpu_energy_wh for k, p in summary.phases.items()}
    durations = {k: p.duration_s for k, p in summary.phases.items()}
    if summary.gpu.driver == FAKE_METER_DRIVER:
        # The fake meter (CPU test runs) measured nothing: its repeats are noise, not readings to judge.
        checks.append(Check("Repeats complete", "warn", "Not judged: the runner's fake meter measured nothing."))
        single, repeated = {k: p.gpu_energy_wh for k, p in summary.phases.items()}, {}
    set_phases(reading, repeated, single, durations, num, per_1k=True, label="values_wh_per_1k", checks=checks)
    if summary.gpu.driver != FAKE_METER_DRIVER:
        runner_board_checks(summary, checks)
        gates_check(summary, checks)
    return reading


def runner_settings(
    summary_file: tuple[str, object], summary: RunSummary, config_raw: object, config: ConfigFacts, checks: list[Check]
) -> list[str]:
    """The runner's settings are required ("Runner settings recorded") and must be what its config says
    it did: batch size, new tokens, weights, inputs, precision and the settings block itself."""
    name = summary_file[0]
    raw = obj(summary_file[1], name).get("settings")
    if raw is None:
        checks.append(
            Check(
                "Runner settings recorded",
                "fail",
                f"{name} does not record the runner's settings (batch size, new tokens, decode mode, chat template): "
                "what the run did cannot be compared with the protocol. Run the current runner and upload its folder.",
            )
        )
        return []
    checks.append(Check("Runner settings recorded", "pass", f"{name} → settings."))
    run, c = summary.settings, config.settings
    scenario = section(obj(config_raw, config.source), "scenario", config.source)
    backend = section(obj(config_raw, config.source), "backend", config.source)
    out: list[str] = []

    def differ(label: str, in_summary: object, in_config: object) -> None:
        if in_config is not None and in_summary != in_config:
            out.append(f"{label}: {str(in_summary)[:40]} in {name}, {str(in_config)[:40]} in {config.source}")

    differ("batch size", run.batch_size, c.batch_size)
    if c.min_new_tokens == c.max_new_tokens:
        differ("new tokens", run.new_tokens, c.max_new_tokens)
    else:
        out.append(f"new tokens: min {c.min_new_tokens} and max {c.max_new_tokens} in {config.source}, not one number")
    differ("random weights", summary.no_weights, backend.get("no_weights"))
    differ("inputs", summary.inputs.source, c.inputs_source)
    differ("precision", summary.dtype or None, c.dtype)
    if scenario.get("settings") is not None and scenario.get("settings") != raw:
        out.append(f"settings: {name} and {config.source} record different runner settings")
    return out

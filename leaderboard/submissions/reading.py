"""What every layout's reader shares: the refusal that names its check, the reading being built, the
counted phases with their repeats judged ("Repeats complete"), and the ``Reader`` a layout registers
(``leaderboard.submissions.readers``).

GPU energy per 1,000 queries = GPU energy of the measured pass x 1000 / number of queries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from leaderboard.errors import SubmissionError
from leaderboard.runfolder import (
    MAX_RUN_GPUS,
    GpuInfo,
)
from leaderboard.submissions.archive import Archive
from leaderboard.submissions.model import Check, ParsedRun, Phase
from leaderboard.submissions.protocol import RunSetup
from leaderboard.submissions.repeats import MAX_SPREAD, RepeatVerdict, judge_repeats
from leaderboard.tasks import PHASES
from leaderboard.untrusted import UNCHANGED

# Relative tolerance for figures one program wrote from the same numbers (float rounding only), and
# for figures written as rounded text.
SAME_NUMBER_REL = 1e-6
ROUNDED_TEXT_REL = 5e-3
MAX_GPUS = MAX_RUN_GPUS  # no run's files list more GPUs


class Refused(SubmissionError):
    """A refusal that belongs to a named check (the check's name travels with the message)."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(message)
        self.check = check


def agree(a: float, b: float, rel: float = SAME_NUMBER_REL) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


@dataclass(frozen=True)
class Logs:
    """What the logs say: the parsed run, how it was set up, and its recorded pipeline and device."""

    parsed: ParsedRun
    setup: RunSetup
    pipeline: str | None


Files = Mapping[str, tuple[str, bytes]]  # basename -> (member name, bytes) of the parsed files
Loaded = Mapping[str, tuple[str, object]]  # basename -> (member name, JSON) of the parsed JSON files


@dataclass(frozen=True)
class Reader:
    """One layout in the registry: its name, whether the parsed files are its layout, and how to read
    them into ``Logs``, adding the checks the reading decides (``leaderboard.submissions.readers``)."""

    name: str
    matches: Callable[[Loaded], bool]
    read: Callable[[Archive, Files, Loaded, list[Check]], Logs]
    files: tuple[str, ...] = ()  # file names it reads beyond the run folder's (``runfolder.PARSED_FILES``)


@dataclass
class Reading:
    """The figure being read, and what the other files said about it."""

    layout: str
    model: str | None
    task: str | None
    gpu: GpuInfo | None
    phases: list[Phase] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    sums_off: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    repeats: int = 1
    failed: tuple[int, ...] = ()
    all_repeats_wh_per_1k: float | None = None
    repeat_totals_wh_per_1k: list[float] = field(default_factory=list)  # the complete repeats' totals


def set_phases(
    reading: Reading,
    repeated: Mapping[str, list[float]],
    single: Mapping[str, float],
    durations: Mapping[str, float | None],
    num: int,
    *,
    per_1k: bool,
    label: str,
    checks: list[Check],
) -> None:
    """The counted phases: repeated readings judged (failed repeats excluded whole), single ones as read.
    ``repeated`` holds Wh per 1,000 queries when ``per_1k``, else Wh of one pass; ``single`` Wh of one pass."""
    scale = 1.0 if per_1k else 1000.0 / num
    figures: dict[str, tuple[float, int]] = {k: (wh * 1000.0 / num, 1) for k, wh in single.items()}
    if repeated:
        counts = {len(v) for v in repeated.values()}
        if len(counts) != 1:
            raise Refused(
                "Repeats complete",
                f"The phases hold different numbers of repeats ({', '.join(f'{k}: {len(v)}' for k, v in repeated.items())}). "
                + UNCHANGED,
            )
        verdict = judge_repeats({k: [x * scale for x in v] for k, v in repeated.items()}, unit="Wh/1k")
        counted = verdict.mean_good if verdict.good else verdict.mean_all  # no complete repeat: the check fails
        for k in repeated:
            figures[k] = (counted[k], len(verdict.good) or verdict.count)
        reading.repeats, reading.failed = verdict.count, tuple(sorted(verdict.failed))
        singles_1k = sum(wh * 1000.0 / num for wh in single.values())
        all_mean = sum(verdict.mean_all.values()) + singles_1k
        reading.all_repeats_wh_per_1k = all_mean
        reading.repeat_totals_wh_per_1k = [
            sum(v[i] * scale for v in repeated.values()) + singles_1k for i in verdict.good
        ]
        if verdict.count > 1 or verdict.failed:
            checks.append(repeats_check(verdict, label, singles_1k, all_mean))
    for phase in PHASES:
        if phase in figures:
            per, n = figures[phase]
            reading.phases.append(Phase(phase, per * num / 1000.0, per, durations.get(phase), n))


def repeats_check(verdict: RepeatVerdict, label: str, singles_1k: float, all_mean: float) -> Check:
    """ "Repeats complete": failed repeats named and excluded whole; too few complete ones, complete ones
    that disagree, or an exclusion that would lower the figure below the files' own mean, fail."""
    good_total = sum(verdict.mean_good.values()) + singles_1k if verdict.good else math.nan
    named = "; ".join(f"{label}[{i}]: {why}" for i, why in sorted(verdict.failed.items())[:12])
    failed = f"{len(verdict.failed)} of {verdict.count} repeats failed and are excluded whole ({named}). "
    if not verdict.enough:
        return Check(
            "Repeats complete",
            "fail",
            f"{failed}Only {len(verdict.good)} of {verdict.count} repeats are complete, not a majority: too few "
            "to count. Rerun the benchmark.",
        )
    if not verdict.agree:
        return Check(
            "Repeats complete",
            "fail",
            (failed if verdict.failed else "")
            + f"The complete repeats disagree: their totals differ by a factor of {verdict.spread:,.3g} (at most "
            f"{MAX_SPREAD:g} within one run), so the files do not say which figure is the run's. Rerun the benchmark.",
        )
    if verdict.failed and good_total < all_mean * (1 - 1e-9):
        return Check(
            "Repeats complete",
            "fail",
            f"{failed}Without them the figure would be {good_total:,.2f} Wh per 1,000 queries, below the "
            f"{all_mean:,.2f} the files state: an exclusion never lowers a figure. Rerun the benchmark.",
        )
    if verdict.failed:
        return Check(
            "Repeats complete",
            "warn",
            f"{failed}The {len(verdict.good)} complete repeats give {good_total:,.2f} Wh per 1,000 queries: this "
            f"figure counts; the mean of all {verdict.count} repeats would be {all_mean:,.2f}.",
        )
    return Check("Repeats complete", "pass", f"All {verdict.count} repeats are complete and agree.")

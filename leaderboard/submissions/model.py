"""The records a check produces: named checks, the parsed run, the report, and the submitter's claim.

Frozen dataclasses (standard library, checked by the type checker); each has ``to_json`` and
``from_json`` so the store keeps them as JSON and reads them back as the same records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from leaderboard.harnesses import UNRECORDED
from leaderboard.runfolder import (
    GpuInfo,
)
from leaderboard.untrusted import (
    integer,
    number,
    obj,
    opt_number,
    opt_text,
    text,
)

Status = Literal["pass", "fail", "warn"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "warn")


@dataclass(frozen=True)
class Check:
    """One named check: status is 'pass', 'fail' or 'warn'; ``message`` says what was found and what to do."""

    name: str
    status: Status
    message: str

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "status": self.status, "message": self.message}

    @classmethod
    def from_json(cls, value: object) -> Check:
        data = obj(value, "check")
        status = data.get("status")
        if status != "pass" and status != "fail" and status != "warn":
            raise ValueError(f"check status {status!r} is not one of {STATUSES}")
        return cls(text(data.get("name"), "check → name"), status, text(data.get("message"), "message"))


@dataclass(frozen=True)
class Phase:
    """A counted phase: GPU energy of the whole N-query pass in Wh, and per 1,000 queries (Wh)."""

    name: str
    gpu_energy_wh: float
    gpu_energy_wh_per_1k: float
    duration_s: float | None = None
    repeats: int = 1

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "gpu_energy_wh": self.gpu_energy_wh,
            "gpu_energy_wh_per_1k": self.gpu_energy_wh_per_1k,
            "duration_s": self.duration_s,
            "repeats": self.repeats,
        }

    @classmethod
    def from_json(cls, value: object) -> Phase:
        data = obj(value, "phase")
        return cls(
            text(data.get("name"), "phase → name"),
            number(data.get("gpu_energy_wh"), "phase → gpu_energy_wh"),
            number(data.get("gpu_energy_wh_per_1k"), "phase → gpu_energy_wh_per_1k"),
            opt_number(data.get("duration_s"), "phase → duration_s"),
            integer(data.get("repeats", 1), "phase → repeats"),
        )


@dataclass(frozen=True)
class ParsedRun:
    """What the logs say, before the checks: layout, model, task, queries, GPUs, counted phases.

    With repeated measurements, ``phases`` hold the mean of the complete repeats (the figure that
    counts); ``repeats`` is how many were made, ``failed_repeats`` the indexes of those excluded
    and ``all_repeats_wh_per_1k`` the plain mean of all of them (Wh per 1,000 queries), shown beside.
    ``harness`` is the code that measured (``leaderboard.harnesses`` id), ``harness_version`` the
    version the logs record, if any; ``parameters`` the model's parameter count where the logs record it;
    ``reasoning_effort`` the reasoning effort the logs record the run used (None: not recorded).
    """

    layout: str
    model: str | None
    task: str | None
    num_queries: int
    gpu: GpuInfo | None
    phases: tuple[Phase, ...]
    files: tuple[str, ...]
    repeats: int = 1
    failed_repeats: tuple[int, ...] = ()
    all_repeats_wh_per_1k: float | None = None
    harness: str = UNRECORDED
    harness_version: str | None = None
    parameters: int | None = None
    reasoning_effort: str | None = None
    # The complete repeats' totals (Wh per 1,000 queries), in order: the result's own uncertainty.
    repeat_totals_wh_per_1k: tuple[float, ...] = ()

    @property
    def gpu_energy_wh_per_1k(self) -> float:
        """The score: GPU energy per 1,000 queries summed over the counted phases (Wh)."""
        return sum(p.gpu_energy_wh_per_1k for p in self.phases)

    @property
    def gpu_name(self) -> str | None:
        return self.gpu.name if self.gpu else None

    @property
    def gpu_count(self) -> int | None:
        return self.gpu.count if self.gpu else None

    def to_json(self) -> dict[str, object]:
        return {
            "layout": self.layout,
            "model": self.model,
            "task": self.task,
            "num_queries": self.num_queries,
            "gpu": self.gpu.to_json() if self.gpu else None,
            "gpu_energy_wh_per_1k": self.gpu_energy_wh_per_1k,
            "phases": [p.to_json() for p in self.phases],
            "files": list(self.files),
            "repeats": self.repeats,
            "failed_repeats": list(self.failed_repeats),
            "all_repeats_wh_per_1k": self.all_repeats_wh_per_1k,
            "harness": self.harness,
            "harness_version": self.harness_version,
            "parameters": self.parameters,
            "reasoning_effort": self.reasoning_effort,
            "repeat_totals_wh_per_1k": list(self.repeat_totals_wh_per_1k),
        }

    @classmethod
    def from_json(cls, value: object) -> ParsedRun:
        data = obj(value, "parsed")
        phases = data.get("phases") or []
        files = data.get("files") or []
        failed = data.get("failed_repeats") or []
        if not isinstance(phases, list) or not isinstance(files, list) or not isinstance(failed, list):
            raise ValueError("parsed → phases, files and failed_repeats must be lists")
        gpu = data.get("gpu")
        return cls(
            text(data.get("layout"), "parsed → layout"),
            opt_text(data.get("model"), "parsed → model"),
            opt_text(data.get("task"), "parsed → task"),
            integer(data.get("num_queries"), "parsed → num_queries"),
            GpuInfo.from_json(gpu, "parsed → gpu") if gpu is not None else None,
            tuple(Phase.from_json(p) for p in phases),
            tuple(str(f) for f in files),
            integer(data.get("repeats", 1), "parsed → repeats"),
            tuple(integer(i, "parsed → failed_repeats") for i in failed),
            opt_number(data.get("all_repeats_wh_per_1k"), "parsed → all_repeats_wh_per_1k"),
            opt_text(data.get("harness"), "parsed → harness") or UNRECORDED,
            opt_text(data.get("harness_version"), "parsed → harness_version"),
            integer(data["parameters"], "parsed → parameters") if data.get("parameters") is not None else None,
            opt_text(data.get("reasoning_effort"), "parsed → reasoning_effort"),
            _totals(data.get("repeat_totals_wh_per_1k")),
        )


MAX_STORED_REPEATS = 1000  # a stored record's repeat totals (the readers bound repeats far below this)


def _totals(value: object) -> tuple[float, ...]:
    """A stored record's repeat totals: a list of at most ``MAX_STORED_REPEATS`` numbers (none: empty)."""
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > MAX_STORED_REPEATS:
        raise ValueError(f"parsed → repeat_totals_wh_per_1k must be a list of at most {MAX_STORED_REPEATS} numbers")
    return tuple(number(v, "parsed → repeat_totals_wh_per_1k") for v in value)


@dataclass(frozen=True)
class Report:
    """The outcome of checking a zip: every check, and the parsed figures when they could be read."""

    checks: tuple[Check, ...]
    parsed: ParsedRun | None = None
    sha256: str = ""
    size_bytes: int = 0

    @property
    def valid(self) -> bool:
        return self.parsed is not None and all(c.status != "fail" for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]


@dataclass(frozen=True)
class Claim:
    """What the submitter says in the form; checked against the logs. ``cohort``: the round the result
    would join (None: the task's latest published round), whose harness the logs' harness must be.
    ``reasoning_effort``: the effort the form names; with a ``task`` given, None claims a run without one."""

    task: str | None = None
    model: str | None = None
    model_class: str | None = None
    hardware: str | None = None
    cohort: str | None = None
    reasoning_effort: str | None = None

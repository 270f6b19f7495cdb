"""The results dataset's columns, declared as data, and validation of untrusted rows.

Every energy is GPU energy in watt-hours per 1,000 queries (SPEC §3).
Limits on untrusted text: ``MAX_MODEL_ID_CHARS``, ``MAX_TEXT_CHARS``.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from typing import Any, cast
from urllib.parse import quote

import pandas as pd

from leaderboard.evidence import KINDS_BY_ID
from leaderboard.harnesses import HARNESSES_BY_ID, UNRECORDED
from leaderboard.tasks import MAX_STARS, MODEL_CLASSES, REASONING_EFFORTS, TASKS_BY_ID, round_harness
from leaderboard.uncertainty import MIN_REPEATS, REPEATS, SOURCES

MAX_MODEL_ID_CHARS = 200
# Characters no text of a row may hold: controls (C0, DEL, C1), format characters (bidi overrides and
# isolates, zero-width ones), line and paragraph separators; each makes text show as other text than it is.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
MAX_TEXT_CHARS = 200
# A month, `YYYY-MM`: cohorts, test dates, label scoring dates.
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# A Hub repository id, `org/name` (models and datasets).
HUB_ID_PATTERN = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")


@dataclass(frozen=True)
class Column:
    """A dataset column: name (with its unit where it has one), pandas dtype, meaning."""

    name: str
    dtype: str
    required: bool
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("run_id", "string", True, "Unique id of this result: cohort/task/model[/effort][#n]."),
    Column("task", "string", True, "Task id (SPEC §1), e.g. `text_generation`."),
    Column("model", "string", True, "Hugging Face model id, `org/name`, without any effort suffix."),
    Column("provider", "string", True, "Organisation part of the model id."),
    Column("model_class", "string", False, "A, B or C for text generation and reasoning; empty otherwise."),
    Column(
        "reasoning_effort", "string", False, "low, medium or high for reasoning entries that set it; empty otherwise."
    ),
    Column("cohort", "string", True, "Leaderboard round the result was rated in, `YYYY-MM`."),
    Column("test_date", "string", True, "Month the measurement was made, `YYYY-MM`."),
    Column("hardware", "string", True, "GPU the result was measured on, e.g. `NVIDIA H100 80GB`."),
    Column("gpu_energy_wh_per_1k", "float64", True, "GPU energy in watt-hours per 1,000 queries (Wh/1k queries)."),
    Column(
        "source", "string", True, "Where the figure comes from (file of the published leaderboard, or submission id)."
    ),
    Column(
        "published_stars",
        "Int8",
        False,
        "Stars as published in February 2025 (regression test only; the app computes stars).",
    ),
    Column("notes", "string", False, "Corrections and remarks about this row."),
    Column(
        "measured_by",
        "string",
        False,
        "Who measured it: the published leaderboard, this project's runner, or a submission.",
    ),
    Column(
        "harness",
        "string",
        False,
        "The code that measured it (`leaderboard.harnesses`), e.g. `ai_energy_benchmarks/pytorch`; part of the "
        "rating group. Empty: the harness of the task's published round in that cohort, else `unrecorded`.",
    ),
    Column("harness_version", "string", False, "The harness version the logs record (shown, not compared)."),
    Column(
        "energy_rel_uncertainty",
        "float64",
        False,
        "Relative standard uncertainty of gpu_energy_wh_per_1k (0.127 = 12.7%); empty: unknown "
        "(`leaderboard.uncertainty`).",
    ),
    Column(
        "uncertainty_source",
        "string",
        False,
        "Where the uncertainty comes from: `repeats` (the result's own repeats), `harness` (its harness's measured "
        "run-to-run spread) or `unknown`. Empty: taken from the harness when the dataset is loaded.",
    ),
    Column("uncertainty_n", "Int64", False, "The repeats or runs the uncertainty rests on."),
    Column("uncertainty_note", "string", False, "How the uncertainty was obtained, in words."),
    Column(
        "evidence",
        "string",
        False,
        "What backs the result (`leaderboard.evidence`): published, reproduced, logs cross-checked, held with "
        "acknowledged warnings, self-reported. Empty: from how the result came in.",
    ),
    Column("evidence_note", "string", False, "The warnings acknowledged and the reasons given, where there were any."),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS if c.required)


@dataclass(frozen=True)
class ResultRow:
    """One row of the results dataset (the columns of ``COLUMNS``, in order); energies in Wh per
    1,000 queries. Accepted submissions become rows of this type."""

    run_id: str
    task: str
    model: str
    provider: str
    model_class: str | None
    reasoning_effort: str | None
    cohort: str
    test_date: str
    hardware: str
    gpu_energy_wh_per_1k: float
    source: str
    published_stars: int | None = None
    notes: str | None = None
    measured_by: str | None = None
    harness: str | None = None
    harness_version: str | None = None
    energy_rel_uncertainty: float | None = None
    uncertainty_source: str | None = None
    uncertainty_n: int | None = None
    uncertainty_note: str | None = None
    evidence: str | None = None
    evidence_note: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: object) -> ResultRow:
        """A row from JSON written by ``to_dict``; ``ValidationError`` if it does not fit the schema."""
        from leaderboard.errors import ValidationError

        if not isinstance(value, dict):
            raise ValidationError(f"A result row must be a JSON object, not {type(value).__name__}.")
        names = {f.name for f in fields(cls)}
        problems = row_problems(value)
        if problems or not set(value) <= names:
            extra = sorted(map(str, set(value) - names))
            raise ValidationError(
                f"Result row {str(value.get('run_id'))[:80]!r} is invalid: "
                + "; ".join(problems + ([f"unknown fields {extra}"] if extra else []))
            )
        data: dict[str, Any] = {name: value.get(name) for name in names}
        data["provider"] = provider_of(str(value["model"]))
        return cls(**data)


def provider_of(model_id: str) -> str:
    """The organisation part of a Hub model id (`org/name` -> `org`), or '' if it has none."""
    return model_id.split("/", 1)[0] if "/" in model_id else ""


def hub_url(model_id: str) -> str:
    """The model's page on the Hugging Face Hub; an id from the data that is not a Hub id is percent-encoded,
    so no space, bracket or parenthesis of it ends a Markdown link or an attribute early."""
    return f"https://huggingface.co/{quote(model_id, safe='/')}"


def _text_problem(value: object, field: str, limit: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return f"{field} is empty"
    if len(value) > limit:
        return f"{field} is longer than {limit} characters"
    bad = next((ch for ch in value if unicodedata.category(ch) in _CONTROL_CATEGORIES), None)
    if bad is not None:
        return f"{field} contains control characters (U+{ord(bad):04X})"
    return None


def row_problems(row: dict[Any, Any]) -> list[str]:
    """Every reason this row cannot be shown; an empty list means it is valid."""
    # A cell of a list or struct column (a Parquet file may hold one) is no value of this schema; the
    # checks below compare single values.
    shapes = [
        f"{name} is not a single value ({type(row[name]).__name__})"
        for name in COLUMN_NAMES
        if name in row and not pd.api.types.is_scalar(row[name])
    ]
    if shapes:
        return shapes
    problems = []
    task = row.get("task")
    if task not in TASKS_BY_ID:
        problems.append(f"task {task!r} is not a known task id")
    for field, limit in (
        ("model", MAX_MODEL_ID_CHARS),
        ("hardware", MAX_TEXT_CHARS),
        ("run_id", MAX_MODEL_ID_CHARS + 40),
    ):
        problem = _text_problem(row.get(field), field, limit)
        if problem:
            problems.append(problem)
    energy = row.get("gpu_energy_wh_per_1k")
    try:
        energy_ok = energy is not None and math.isfinite(float(energy)) and float(energy) > 0
    except (TypeError, ValueError):
        energy_ok = False
    if not energy_ok:
        problems.append(f"gpu_energy_wh_per_1k {energy!r} is not a finite positive number")
    cohort = row.get("cohort")
    if not isinstance(cohort, str) or not MONTH_PATTERN.match(cohort):
        problems.append(f"cohort {cohort!r} is not YYYY-MM")
    model_class = _blank_to_none(row.get("model_class"))
    if task in TASKS_BY_ID and TASKS_BY_ID[task].has_classes:
        if model_class not in MODEL_CLASSES:
            problems.append(f"model_class {model_class!r} must be A, B or C for task {task}")
    elif model_class is not None:
        problems.append(f"model_class {model_class!r} must be empty for task {task}")
    effort = _blank_to_none(row.get("reasoning_effort"))
    if effort is not None and effort not in REASONING_EFFORTS:
        problems.append(f"reasoning_effort {effort!r} must be one of {', '.join(REASONING_EFFORTS)}")
    harness = _blank_to_none(row.get("harness"))
    if harness is not None and harness not in HARNESSES_BY_ID:
        problems.append(f"harness {str(harness)[:60]!r} is not a known harness ({', '.join(HARNESSES_BY_ID)})")
    problems += _trust_problems(row)
    stars = _blank_to_none(row.get("published_stars"))
    if stars is not None and stars not in range(1, MAX_STARS + 1):
        problems.append(f"published_stars {stars!r} must be empty or 1..{MAX_STARS}")
    return problems


MAX_REL_UNCERTAINTY = 10.0  # a relative uncertainty above 1000% is no measurement


def _trust_problems(row: dict[Any, Any]) -> list[str]:
    """The uncertainty and evidence columns, where a row has them."""
    problems = []
    source = _blank_to_none(row.get("uncertainty_source"))
    if source is not None and source not in SOURCES:
        problems.append(f"uncertainty_source {str(source)[:40]!r} must be one of {', '.join(SOURCES)} or empty")
    rel = _blank_to_none(row.get("energy_rel_uncertainty"))
    if rel is not None:
        rel_ok = (
            isinstance(rel, numbers.Real)
            and not isinstance(rel, bool)
            and math.isfinite(float(rel))
            and 0 <= float(rel) <= MAX_REL_UNCERTAINTY
        )
        if not rel_ok:
            problems.append(
                f"energy_rel_uncertainty {str(rel)[:40]!r} is not a number from 0 to {MAX_REL_UNCERTAINTY:g}"
            )
    if source == REPEATS:
        n = _blank_to_none(row.get("uncertainty_n"))
        if rel is None or not isinstance(n, numbers.Real) or isinstance(n, bool) or not float(n) >= MIN_REPEATS:
            problems.append(
                f"uncertainty_source repeats needs energy_rel_uncertainty and uncertainty_n of at least {MIN_REPEATS}"
            )
    evidence = _blank_to_none(row.get("evidence"))
    if evidence is not None and evidence not in KINDS_BY_ID:
        problems.append(f"evidence {str(evidence)[:40]!r} must be one of {', '.join(KINDS_BY_ID)} or empty")
    for field in ("uncertainty_note", "evidence_note"):
        value = _blank_to_none(row.get(field))
        if value is not None:
            problem = _text_problem(value, field, 1000)
            if problem:
                problems.append(problem)
    return problems


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == "":
        return None
    return value


@dataclass(frozen=True)
class Rejected:
    """A row left out of the results, with why."""

    index: int
    run_id: str
    problems: tuple[str, ...]

    def message(self) -> str:
        return f"row {self.index} ({self.run_id[:80]!r}): " + "; ".join(self.problems)


def validate_frame(df: pd.DataFrame) -> tuple[pd.DataFrame, list[Rejected]]:
    """Split a raw results frame into valid rows (normalised to the schema) and rejected rows.

    Raises nothing for bad rows; raises ``ValidationError`` only when required columns are
    missing altogether, since then no row can be read.
    """
    from leaderboard.errors import ValidationError

    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns and c != "provider"]
    if missing:
        raise ValidationError(
            f"The results dataset has no column {', '.join(missing)} "
            f"(found: {', '.join(map(str, df.columns)) or 'none'}). "
            "Publish it with the columns listed in the dataset card."
        )
    df = df.reset_index(drop=True)
    records = df.to_dict("records")
    rejected: list[Rejected] = []
    keep: list[int] = []
    for i, record in enumerate(records):
        problems = row_problems(record)
        if problems:
            rejected.append(Rejected(i, str(record.get("run_id", "")), tuple(problems)))
        else:
            keep.append(i)
    good = df.iloc[keep].copy()
    good["provider"] = good["model"].map(provider_of)
    for column in COLUMNS:
        if column.name not in good.columns:
            good[column.name] = None
        if column.dtype == "string":
            good[column.name] = good[column.name].map(_blank_to_none).astype("string")
        else:
            good[column.name] = good[column.name].astype(cast(Any, column.dtype))
    good["harness"] = [
        h if isinstance(h, str) else (round_harness(str(t), str(c)) or UNRECORDED)
        for h, t, c in zip(good["harness"], good["task"], good["cohort"], strict=True)
    ]
    good["harness"] = good["harness"].astype("string")
    dupes = good["run_id"].duplicated(keep="first")
    for i in good.index[dupes]:
        rejected.append(Rejected(int(i), str(good.at[i, "run_id"]), ("run_id is not unique",)))
    good = good[~dupes]
    return good[list(COLUMN_NAMES)].reset_index(drop=True), rejected

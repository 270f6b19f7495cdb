"""Quality beside energy: third-party quality figures of the rated models, as a typed table.

The registry is a folder (``data/quality/`` for the embedded copy) of one CSV per task,
``quality-<task>.csv``, with the columns of ``QUALITY_COLUMNS`` (``task`` optional: the file name says
it), plus ``metrics.csv`` describing each metric (direction, whether it is a rate of correct answers, a
note on its noise). A maintainer adds a source by adding or extending a file; every row names its
source and its licence, and a file with a row that breaks a rule is refused whole, each bad row named by
file, line and field (``QualityError``). A Hub dataset with the same columns (``task`` required) may be
read instead (``leaderboard.sources.load_quality``).

Rules this module keeps:
- an empty ``value`` is *no quality data* (``match = none``, with its reason), never zero;
- one metric is never compared with another: figures are keyed by metric, and each metric keeps one
  direction (``higher_is_better``) across all its rows;
- model ids are normalised as the results' are (SPEC §5): a trailing reasoning effort (`` high``) is split
  off, a stray ``*`` removed (``normalise_model``);
- quality never enters the stars (``leaderboard.rating.RULE`` stays energy-only).

Limits on untrusted files: ``MAX_FILE_BYTES``, ``MAX_ROWS``, ``MAX_TEXT_CHARS``, ``MAX_PROBLEMS`` (the bad
rows named before the rest are counted).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from leaderboard.errors import ValidationError
from leaderboard.schema import MONTH_PATTERN
from leaderboard.tasks import REASONING_EFFORTS, TASKS_BY_ID

QUALITY_COLUMNS: tuple[str, ...] = (
    "model",
    "round",
    "metric",
    "value",
    "higher_is_better",
    "source_model_id",
    "match",
    "reason",
    "source",
    "licence",
)
REQUIRED_TEXT = ("model", "round", "metric", "higher_is_better", "match", "source", "licence")
METRIC_COLUMNS: tuple[str, ...] = ("metric", "higher_is_better", "correct_answer_rate", "note")  # + optional noise
MATCH_KINDS: dict[str, str] = {
    "exact": "same id",
    "renamed": "same model, renamed id",
    "mapped-by-hand": "mapped by hand",
    "none": "no quality data",
}
NO_MATCH = "none"
FILE_PREFIX = "quality-"
METRICS_FILE = "metrics.csv"
PROVENANCE_FILE = "PROVENANCE.md"
MAX_FILE_BYTES = 2_000_000
MAX_ROWS = 20_000
MAX_TEXT_CHARS = 1_000
MAX_PROBLEMS = 20
NO_QUALITY = "no quality data"
_BOOLEANS = {"true": True, "false": False}
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_MODEL_PATTERN = re.compile(r"^[A-Za-z0-9][\w.\-]{0,95}/[A-Za-z0-9][\w.\-]{0,95}$")


class QualityError(ValidationError):
    """A quality file that breaks the registry's rules; the message names each bad row and field."""


@dataclass(frozen=True)
class Metric:
    """A quality metric: its name (with its unit), its direction, whether it is a rate of correct answers
    (then energy per correct answer means something), and a note on what it measures and its noise."""

    name: str
    higher_is_better: bool
    correct_answer_rate: bool = False
    note: str = ""
    noise: float | None = None  # gaps smaller than this are within the source's noise (same unit as the values)

    @property
    def direction(self) -> str:
        return "higher is better" if self.higher_is_better else "lower is better"


@dataclass(frozen=True)
class QualityRow:
    """One validated row: the quality of one model of one task and energy round, by one metric.
    ``value`` None: no quality data (``match`` is ``none`` and ``reason`` says why)."""

    task: str
    model: str
    effort: str | None
    round: str
    metric: str
    value: float | None
    higher_is_better: bool
    source_model_id: str
    match: str
    reason: str
    source: str
    licence: str
    published_model: str  # the id as the file spells it
    origin: str  # 'quality-asr.csv line 4'

    @property
    def key(self) -> tuple[str, str, str | None, str, str]:
        return (self.task, self.model, self.effort, self.round, self.metric)

    @property
    def match_text(self) -> str:
        return MATCH_KINDS[self.match]


def normalise_model(published: str) -> tuple[str, str | None]:
    """A published model id as the results hold it: (``org/name``, effort). 'openai/gpt-oss-120b high' →
    ('openai/gpt-oss-120b', 'high'); 'ibm-granite/*granite-4.0-h-tiny' → ('ibm-granite/granite-4.0-h-tiny',
    None)."""
    model, effort = published.strip(), None
    head, _, tail = model.rpartition(" ")
    if head and tail in REASONING_EFFORTS:
        model, effort = head.strip(), tail
    return model.replace("*", ""), effort


def _clean_text(value: str, column: str, problems: list[str]) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT_CHARS:
        problems.append(f"{column} is {len(text)} characters long (at most {MAX_TEXT_CHARS})")
    elif any(unicodedata.category(c) in _CONTROL_CATEGORIES for c in text):
        problems.append(f"{column} holds a control or invisible formatting character")
    return text


def parse_rows(
    records: Iterable[Mapping[str, str]], origin: str, *, task: str | None, metrics: Mapping[str, Metric]
) -> list[QualityRow]:
    """Validate one file's records (``origin``: its name, for messages; ``task``: the task its name says,
    or None where each record names its own). Raises ``QualityError`` naming every bad row (line numbers
    count the header as line 1)."""
    rows: list[QualityRow] = []
    problems: list[str] = []
    bad_rows = 0
    directions: dict[str, tuple[bool, str]] = {}
    seen: dict[tuple[str, str, str | None, str, str], str] = {}
    for n, record in enumerate(records, start=2):
        if n - 1 > MAX_ROWS:
            raise QualityError(f"{origin}: more than {MAX_ROWS} rows; split the source into files of fewer rows.")
        where = f"{origin} line {n}"
        mine: list[str] = []
        text = {c: _clean_text(str(record.get(c) or ""), c, mine) for c in (*QUALITY_COLUMNS, "task")}
        for column in REQUIRED_TEXT:
            if not text[column]:
                mine.append(
                    f"{column} is empty" + (" (every row must name its licence)" if column == "licence" else "")
                )
        row_task = text["task"] or task
        if row_task is None:
            mine.append("task is empty (a Hub quality dataset names each row's task)")
        elif task is not None and text["task"] and text["task"] != task:
            mine.append(f"task {text['task']!r} is not the task the file name says ({task!r})")
        elif row_task not in TASKS_BY_ID:
            mine.append(f"task {row_task!r} is not a task of the registry ({', '.join(TASKS_BY_ID)})")
        model, effort = normalise_model(text["model"])
        if text["model"] and not _MODEL_PATTERN.match(model):
            mine.append(f"model {text['model'][:100]!r} is not a Hub model id (org/name[ low|medium|high])")
        if text["round"] and not MONTH_PATTERN.match(text["round"]):
            mine.append(f"round {text['round'][:20]!r} is not a month YYYY-MM")
        hib = _BOOLEANS.get(text["higher_is_better"].lower())
        if text["higher_is_better"] and hib is None:
            mine.append(f"higher_is_better {text['higher_is_better'][:20]!r} is not true or false")
        match = text["match"]
        if match and match not in MATCH_KINDS:
            mine.append(f"match {match[:40]!r} is not one of {', '.join(MATCH_KINDS)}")
        value: float | None = None
        if text["value"]:
            try:
                value = float(text["value"])
            except ValueError:
                mine.append(f"value {text['value'][:40]!r} is not a number")
            else:
                if not math.isfinite(value):
                    mine.append(f"value {text['value'][:40]!r} is not a finite number")
                    value = None
        if match == NO_MATCH and text["value"]:
            mine.append("value is given but match is none (a row without a value has match none)")
        if match in MATCH_KINDS and match != NO_MATCH and not text["value"]:
            mine.append(f"value is empty but match is {match} (an empty value is no quality data: match none)")
        if match in (NO_MATCH, "mapped-by-hand") and not text["reason"]:
            mine.append(f"reason is empty (a {match} row must say why)")
        metric = text["metric"]
        if metric and hib is not None:
            known = metrics.get(metric)
            if known is not None and known.higher_is_better != hib:
                mine.append(f"higher_is_better is {text['higher_is_better']} but metrics.csv says {known.direction}")
            first = directions.setdefault(metric, (hib, where))
            if first[0] != hib:
                mine.append(f"higher_is_better differs from {first[1]} for the same metric {metric!r}")
        key = (row_task or "", model, effort, text["round"], metric)
        if not mine and key in seen:
            mine.append(
                f"a second row for {text['model']!r}, round {text['round']}, metric {metric!r} (first: {seen[key]}); "
                "keep one (e.g. the entry at the precision the energy was measured in) and give the other in reason"
            )
        if mine:
            bad_rows += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(f"{where} (model {text['model'][:100]!r}): " + "; ".join(mine))
            continue
        seen[key] = where
        rows.append(
            QualityRow(
                task=str(row_task),
                model=model,
                effort=effort,
                round=text["round"],
                metric=metric,
                value=value,
                higher_is_better=bool(hib),
                source_model_id=text["source_model_id"],
                match=match,
                reason=text["reason"],
                source=text["source"],
                licence=text["licence"],
                published_model=text["model"],
                origin=where,
            )
        )
    if problems:
        more = f" … and {bad_rows - len(problems)} more bad row(s)" if bad_rows > len(problems) else ""
        raise QualityError(
            f"{origin} refused: {bad_rows} bad row(s). " + " | ".join(problems) + more + ". Fix the rows and reload."
        )
    return rows


def _read_csv(name: str, data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_FILE_BYTES:
        raise QualityError(f"{name} is {len(data):,} bytes (at most {MAX_FILE_BYTES:,}); split the source.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QualityError(f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in QUALITY_COLUMNS if c not in header]
    if name != METRICS_FILE and missing:
        raise QualityError(
            f"{name} lacks the column(s) {', '.join(missing)}; the header must hold {', '.join(QUALITY_COLUMNS)}."
        )
    try:
        return [{k: v for k, v in r.items() if isinstance(k, str) and isinstance(v, str)} for r in reader]
    except csv.Error as exc:
        raise QualityError(f"{name} line {reader.line_num}: not valid CSV ({exc}).") from None


def parse_metrics(data: bytes, name: str = METRICS_FILE) -> dict[str, Metric]:
    """``metrics.csv``: one row per metric; a bad row is a ``QualityError`` naming it."""
    if len(data) > MAX_FILE_BYTES:
        raise QualityError(f"{name} is {len(data):,} bytes (at most {MAX_FILE_BYTES:,}).")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    missing = [c for c in METRIC_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise QualityError(f"{name} lacks the column(s) {', '.join(missing)}.")
    out: dict[str, Metric] = {}
    for n, r in enumerate(reader, start=2):
        problems: list[str] = []
        name_ = _clean_text(r.get("metric") or "", "metric", problems)
        hib = _BOOLEANS.get((r.get("higher_is_better") or "").strip().lower())
        rate = _BOOLEANS.get((r.get("correct_answer_rate") or "").strip().lower())
        note = _clean_text(r.get("note") or "", "note", problems)
        noise: float | None = None
        if (r.get("noise") or "").strip():
            try:
                noise = float(str(r.get("noise")))
            except ValueError:
                noise = math.nan
            if not math.isfinite(noise) or noise < 0:
                problems.append(f"noise {str(r.get('noise'))[:20]!r} is not a number >= 0")
        if not name_:
            problems.append("metric is empty")
        if hib is None:
            problems.append("higher_is_better is not true or false")
        if rate is None:
            problems.append("correct_answer_rate is not true or false")
        if rate and hib is False:
            problems.append("a rate of correct answers is higher-is-better")
        if name_ in out:
            problems.append(f"metric {name_!r} is listed twice")
        if problems:
            raise QualityError(f"{name} line {n}: " + "; ".join(problems) + ".")
        out[name_] = Metric(name_, bool(hib), bool(rate), note, noise)
    return out


@dataclass(frozen=True)
class QualityTable:
    """Every validated quality row, the metrics they use, and the files refused (with why)."""

    rows: tuple[QualityRow, ...] = ()
    metrics: Mapping[str, Metric] = field(default_factory=dict)
    refused: tuple[str, ...] = ()
    label: str = "no quality data"
    provenance: str = ""  # the registry's PROVENANCE.md, travelling with the exports

    def metric(self, name: str) -> Metric:
        """The metric named ``name``: from metrics.csv, else from its rows' direction (not a rate)."""
        known = self.metrics.get(name)
        if known is not None:
            return known
        hib = next((r.higher_is_better for r in self.rows if r.metric == name), True)
        return Metric(name, hib)

    def hiding(self, *matches: str) -> QualityTable:
        """The table with the figures of these match kinds (e.g. ``mapped-by-hand``) hidden: their rows stay,
        as no quality data saying why, so a hidden figure is never read as a missing model or as zero."""
        hidden = set(matches) - {NO_MATCH}
        rows = tuple(
            replace(
                r,
                value=None,
                match=NO_MATCH,
                reason=f"figure hidden: {MATCH_KINDS[r.match]}" + (f" ({r.reason})" if r.reason else ""),
            )
            if r.match in hidden
            else r
            for r in self.rows
        )
        return QualityTable(rows, self.metrics, self.refused, self.label, self.provenance)

    def task_metrics(self, task: str) -> tuple[str, ...]:
        """The metrics a task has rows for, in the order their files list them."""
        return tuple(dict.fromkeys(r.metric for r in self.rows if r.task == task))

    def lookup(self) -> dict[tuple[str, str, str | None, str, str], QualityRow]:
        return {r.key: r for r in self.rows}

    def frame(self) -> pd.DataFrame:
        """The table as the exports write it: one row per (task, model, effort, round, metric)."""
        records = [
            {
                "task": r.task,
                "model": r.model,
                "reasoning_effort": r.effort,
                "round": r.round,
                "metric": r.metric,
                "value": r.value,
                "higher_is_better": r.higher_is_better,
                "correct_answer_rate": self.metric(r.metric).correct_answer_rate,
                "published_model": r.published_model,
                "source_model_id": r.source_model_id or None,
                "match": r.match,
                "reason": r.reason or None,
                "source": r.source,
                "licence": r.licence,
            }
            for r in self.rows
        ]
        frame = pd.DataFrame.from_records(records, columns=EXPORT_COLUMNS)
        types = {
            c: ("float64" if c == "value" else "boolean" if c in _BOOL_COLUMNS else "string") for c in EXPORT_COLUMNS
        }
        return (
            frame.astype(types).sort_values(["task", "metric", "round", "model"], kind="stable").reset_index(drop=True)
        )


EXPORT_COLUMNS: tuple[str, ...] = (
    "task",
    "model",
    "reasoning_effort",
    "round",
    "metric",
    "value",
    "higher_is_better",
    "correct_answer_rate",
    "published_model",
    "source_model_id",
    "match",
    "reason",
    "source",
    "licence",
)
_BOOL_COLUMNS = frozenset({"higher_is_better", "correct_answer_rate"})


def task_of_file(name: str) -> str | None:
    """'quality-asr.csv' → 'asr'; None for a file that is not a quality file."""
    if not (name.startswith(FILE_PREFIX) and name.endswith(".csv")):
        return None
    return name[len(FILE_PREFIX) : -len(".csv")]


def load_folder(folder: Path, label: str = "embedded quality data") -> QualityTable:
    """Every ``quality-<task>.csv`` of ``folder``; a bad file is refused (named in ``refused``), the rest load.
    A missing folder is an empty table."""
    folder = Path(folder)
    if not folder.is_dir():
        return QualityTable(label=label)
    metrics: dict[str, Metric] = {}
    refused: list[str] = []
    metrics_path = folder / METRICS_FILE
    if metrics_path.is_file():
        try:
            metrics = parse_metrics(metrics_path.read_bytes())
        except QualityError as exc:
            refused.append(str(exc))
    rows: list[QualityRow] = []
    for path in sorted(folder.glob(f"{FILE_PREFIX}*.csv")):
        task = task_of_file(path.name)
        try:
            if task not in TASKS_BY_ID:
                raise QualityError(f"{path.name}: {task!r} is not a task of the registry; name it quality-<task>.csv.")
            rows += parse_rows(_read_csv(path.name, path.read_bytes()), path.name, task=task, metrics=metrics)
        except QualityError as exc:
            refused.append(str(exc))
    provenance_path = folder / PROVENANCE_FILE
    provenance = provenance_path.read_text(encoding="utf-8") if provenance_path.is_file() else ""
    return QualityTable(tuple(rows), metrics, tuple(refused), label, provenance)


def load_records(records: list[dict[str, str]], label: str, metrics: Mapping[str, Metric]) -> QualityTable:
    """A whole table from records that each name their task (a Hub dataset); refused whole when bad."""
    try:
        if not records or not all(c in records[0] for c in (*QUALITY_COLUMNS, "task")):
            raise QualityError(f"{label} lacks the columns task, {', '.join(QUALITY_COLUMNS)}.")
        rows = parse_rows(records, label, task=None, metrics=metrics)
    except QualityError as exc:
        return QualityTable((), metrics, (str(exc),), label)
    return QualityTable(tuple(rows), metrics, (), label)


def frame_records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """A raw frame's rows as text records (missing values as empty text, booleans as true/false)."""

    def text(v: object) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    return [{str(k): text(v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]

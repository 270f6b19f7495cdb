"""The campaign plan: a TOML file naming models × tasks × options, the output folder, the limits,
who attests the results, and the scheduler's settings. ``load_plan`` validates all of it and every
error names the key and what to write instead.

    [campaign]
    name = "round-2026-01"        # letters, digits, '-', '_' (the Slurm job name and bundle prefix)
    out = "campaign-out"          # bundles, logs, scripts; relative to the plan file's folder
    store = "store"               # optional: the final job's submission store (else the store_dir setting)
    cpu_only = false              # true: every job runs on the CPU with the fake meter (tests only)

    [limits]
    time_per_job_min = 60         # the time limit of one job (sbatch --time; the local scheduler's too)
    retries = 1                   # how often `campaign resume` may run a failed job again
    estimate_min_per_job = 20     # optional: the expected minutes of one job, for the GPU-hours estimate

    [attest]
    contact = "maintainers@example.org"
    measured_by = "maintainer"    # or "submitter": who ran the campaign and attests its logs
    attestations = ["Public Data Sharing", "Data Integrity", "Model Representation"]

    [slurm]
    partition = "gpu"
    account = "proj"
    constraint = "h100"
    gres = "gpu"                  # the GRES name (or "gpu:h100"); a job asks for --gres=<gres>:<gpus>
    exclusive = true              # whole nodes
    throttle = 4                  # at most 4 array tasks at once (--array=0-N%4)
    cpus_per_task = 8
    mem = "64G"
    setup = ["source /opt/venv/bin/activate"]   # shell lines each job runs first
    extra = ["--reservation=round"]             # further sbatch options, as given
    python = "/opt/venv/bin/python"             # default: the python that submits

    [[matrix]]                    # one or more; each is models × tasks × every list-valued option
    models = ["tiny-gpt2", { id = "org/model", path = "/models/org-model", class = "A" }]
    tasks = ["text_generation"]
    model_class = "A"
    num_samples = 1000
    repeats = 3
    batch_size = [1, 8]
    gpus = 1

A model is a string (a Hub id, or a shipped config with no_weights) or a table: ``id`` (what the
results name), ``path`` (what the runner loads, relative to the plan's folder) and ``class``.
Limits and defaults: the constants below.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaderboard.errors import RunnerError
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASK_IDS, get_task

MAX_PLAN_BYTES = 1_000_000  # a plan is a few kB; a larger file is not one
MAX_JOBS = 10_000  # one job array; Slurm's MaxArraySize is 1,001 by default, sites raise it
MAX_GPUS_PER_JOB = 64
MAX_TIME_PER_JOB_MIN = 14 * 24 * 60
DEFAULT_TIME_PER_JOB_MIN = 60
DEFAULT_RETRIES = 1
DEFAULT_THROTTLE = 4
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
SBATCH_OPTION = re.compile(r"--[a-z][a-z-]*(=[^\s'\"\\;&|`$]*)?")
MEASURED_BY = ("maintainer", "submitter")

# The runner options a matrix may set: key -> (type, runner flag). A list value makes one job per item.
OPTIONS: dict[str, tuple[type, str]] = {
    "harness": (str, "--harness"),
    "decode_mode": (str, "--decode-mode"),
    "repeats": (int, "--repeats"),
    "batch_size": (int, "--batch-size"),
    "gpus": (int, "--gpus"),
    "num_samples": (int, "--num-samples"),
    "new_tokens": (int, "--new-tokens"),
    "min_window_s": (float, "--min-window-s"),
    "idle_s": (float, "--idle-s"),
    "no_weights": (bool, "--no-weights"),
    "offline": (bool, "--offline"),
    "dataset_path": (str, "--dataset-path"),
    "effort": (str, "--effort"),
    "model_class": (str, ""),  # the form's class (A, B or C), not a runner flag
    "precision": (str, ""),  # the form's precision, not a runner flag
}
CHOICES: dict[str, tuple[str, ...]] = {
    "harness": ("runner", "aies-v2"),
    "decode_mode": ("generate", "graph"),
    "effort": REASONING_EFFORTS,
    "model_class": tuple(MODEL_CLASSES),
    "precision": ("FP32", "BF16", "FP16", "FP8", "INT8", "INT4", "other"),
}
SECTIONS = {
    "campaign": {"name", "out", "store", "cpu_only"},
    "limits": {"time_per_job_min", "retries", "estimate_min_per_job"},
    "attest": {"contact", "measured_by", "attestations"},
    "slurm": {
        "partition",
        "account",
        "qos",
        "constraint",
        "gres",
        "exclusive",
        "throttle",
        "cpus_per_task",
        "mem",
        "setup",
        "extra",
        "python",
    },
}


class PlanError(RunnerError):
    """The campaign plan cannot be used as written; the message names the key and what to do."""


@dataclass(frozen=True)
class Job:
    """One run of the runner: a model on a task with its options, and its place in the plan."""

    index: int
    key: str
    task: str
    model_id: str  # what the results name (the Hub id)
    model: str  # what the runner loads: the id, a shipped config or a local folder
    options: Mapping[str, Any]

    @property
    def gpus(self) -> int:
        return int(self.options.get("gpus", 1))

    def describe(self) -> str:
        shown = {k: v for k, v in self.options.items() if k not in ("model_class", "precision")}
        extra = " ".join(f"{k}={v}" for k, v in sorted(shown.items()))
        return f"{self.task} · {self.model_id}" + (f" · {extra}" if extra else "")


@dataclass(frozen=True)
class Slurm:
    partition: str = ""
    account: str = ""
    qos: str = ""
    constraint: str = ""
    gres: str = "gpu"
    exclusive: bool = True
    throttle: int = DEFAULT_THROTTLE
    cpus_per_task: int = 0
    mem: str = ""
    setup: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    python: str = ""


@dataclass(frozen=True)
class Plan:
    path: Path
    name: str
    out: Path
    store: Path | None
    cpu_only: bool
    time_per_job_min: int
    retries: int
    estimate_min_per_job: float | None
    contact: str
    measured_by: str
    attestations: tuple[str, ...]
    slurm: Slurm
    jobs: tuple[Job, ...] = field(default_factory=tuple)
    sha256: str = ""  # of the plan file's bytes: a job submitted from it runs only while the file is the same

    def job(self, index: int) -> Job:
        if not 0 <= index < len(self.jobs):
            raise PlanError(f"Job index {index} is not in the plan {self.path} (it has jobs 0-{len(self.jobs) - 1}).")
        return self.jobs[index]

    @property
    def gpus(self) -> int:
        return 0 if self.cpu_only else sum(j.gpus for j in self.jobs)


def _where(section: str, key: str) -> str:
    return f"[{section}] {key}" if section else key


def _get(
    table: Mapping[str, Any], section: str, key: str, kind: type, default: Any = None, required: bool = False
) -> Any:
    if key not in table:
        if required:
            raise PlanError(
                f"{_where(section, key)} is missing: add it to the plan (see python -m runner campaign --help)."
            )
        return default
    value = table[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise PlanError(f"{_where(section, key)} = {value!r} is not a {kind.__name__}: write a {kind.__name__}.")
    return value


def _positive(value: Any, where: str, upper: float | None = None) -> None:
    if value is not None and (value <= 0 or (upper is not None and value > upper)):
        bound = f" and at most {upper:g}" if upper is not None else ""
        raise PlanError(f"{where} = {value!r} must be above 0{bound}.")


def _text_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanError(f'{where} must be a list of strings, e.g. ["..."].')
    return tuple(value)


def _check_keys(table: Mapping[str, Any], section: str, known: set[str]) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise PlanError(
            f"[{section}] has unknown key(s) {', '.join(unknown)}: the keys of [{section}] are {', '.join(sorted(known))}."
        )


def load_plan(path: str | Path) -> Plan:
    """Read and validate the plan at ``path``: every error is a ``PlanError`` naming the key."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanError(
            f"Cannot read the plan {path}: {exc.strerror or exc}. Give the path of a campaign TOML file."
        ) from None
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError(
            f"The plan {path} is {len(raw):,} bytes, more than {MAX_PLAN_BYTES:,}: it is not a campaign plan."
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PlanError(f"The plan {path} is not valid TOML ({exc}). Fix the line named.") from None
    unknown = sorted(set(data) - set(SECTIONS) - {"matrix"})
    if unknown:
        raise PlanError(
            f"The plan has unknown section(s) {', '.join(unknown)}: the sections are [campaign], [limits], [attest], "
            "[slurm] and [[matrix]]."
        )
    for section, known in SECTIONS.items():
        if not isinstance(data.get(section, {}), dict):
            raise PlanError(f"{section} must be a table: write [{section}] on a line of its own.")
        _check_keys(data.get(section, {}), section, known)
    campaign, limits = data.get("campaign", {}), data.get("limits", {})
    attest, slurm = data.get("attest", {}), data.get("slurm", {})
    if "campaign" not in data:
        raise PlanError('The plan has no [campaign] section: add one with name = "..." and out = "...".')
    name = _get(campaign, "campaign", "name", str, required=True)
    if not NAME.fullmatch(name):
        raise PlanError(
            f"[campaign] name = {name!r}: use up to 40 letters, digits, '-' or '_', starting with a letter or digit."
        )
    base = path.resolve().parent
    out = base / _get(campaign, "campaign", "out", str, required=True)
    store = _get(campaign, "campaign", "store", str)
    time_min = _get(limits, "limits", "time_per_job_min", int, DEFAULT_TIME_PER_JOB_MIN)
    _positive(time_min, "[limits] time_per_job_min", MAX_TIME_PER_JOB_MIN)
    retries = _get(limits, "limits", "retries", int, DEFAULT_RETRIES)
    if not 0 <= retries <= 100:
        raise PlanError(f"[limits] retries = {retries!r} must be from 0 to 100.")
    estimate = _get(limits, "limits", "estimate_min_per_job", float)
    _positive(estimate, "[limits] estimate_min_per_job", MAX_TIME_PER_JOB_MIN)
    if "attest" not in data:
        raise PlanError(
            "The plan has no [attest] section: the final job submits the results, so the plan names who attests "
            'them: contact = "...", measured_by = "maintainer" or "submitter", and attestations = [the three names].'
        )
    contact = _get(attest, "attest", "contact", str, required=True).strip()
    if not contact or len(contact) > 200:
        raise PlanError(
            "[attest] contact must name who attests (an e-mail address or Hub user, at most 200 characters)."
        )
    measured_by = _get(attest, "attest", "measured_by", str, required=True)
    if measured_by not in MEASURED_BY:
        raise PlanError(f"[attest] measured_by = {measured_by!r}: write one of {', '.join(MEASURED_BY)}.")
    attestations = _text_list(_get(attest, "attest", "attestations", list, required=True), "[attest] attestations")
    settings = Slurm(
        **{k: _get(slurm, "slurm", k, str, "") for k in ("partition", "account", "qos", "constraint", "mem", "python")},
        gres=_get(slurm, "slurm", "gres", str, "gpu"),
        exclusive=_get(slurm, "slurm", "exclusive", bool, True),
        throttle=_get(slurm, "slurm", "throttle", int, DEFAULT_THROTTLE),
        cpus_per_task=_get(slurm, "slurm", "cpus_per_task", int, 0),
        setup=_text_list(slurm.get("setup", []), "[slurm] setup"),
        extra=_text_list(slurm.get("extra", []), "[slurm] extra"),
    )
    _positive(settings.throttle, "[slurm] throttle", MAX_JOBS)
    if settings.cpus_per_task < 0:
        raise PlanError("[slurm] cpus_per_task must be 0 (the partition's default) or more.")
    for option in settings.extra:
        if not SBATCH_OPTION.fullmatch(option):
            raise PlanError(
                f"[slurm] extra: {option!r} is not one sbatch long option (--name or --name=value, no spaces, quotes "
                "or shell characters)."
            )
    for key in ("partition", "account", "qos", "constraint", "gres", "mem"):
        value = getattr(settings, key)
        if value and not re.fullmatch(r"[A-Za-z0-9_.:,&|\[\]*()!-]+", value):
            raise PlanError(f"[slurm] {key} = {value!r} holds characters Slurm does not take there (spaces, quotes).")
    cpu_only = _get(campaign, "campaign", "cpu_only", bool, False)
    jobs = _jobs(data.get("matrix"), cpu_only, base)
    return Plan(
        path=path.resolve(),
        name=name,
        out=out,
        store=base / store if store else None,
        cpu_only=cpu_only,
        time_per_job_min=time_min,
        retries=retries,
        estimate_min_per_job=estimate,
        contact=contact,
        measured_by=measured_by,
        attestations=attestations,
        slurm=settings,
        jobs=jobs,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _model(entry: Any, where: str, base: Path) -> tuple[str, str, str | None]:
    """(the id results name, what the runner loads, the model's class or None). A relative ``path`` is
    relative to the plan file's folder."""
    if isinstance(entry, str) and entry.strip():
        return entry, entry, None
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - {"id", "path", "class"})
        if unknown or not isinstance(entry.get("id"), str) or not entry["id"].strip():
            raise PlanError(
                f'{where}: a model is a string, or a table {{ id = "org/name", path = "/models/x", class = "A" }} '
                f"(id required; path and class optional){'; unknown: ' + ', '.join(unknown) if unknown else ''}."
            )
        path, klass = entry.get("path", entry["id"]), entry.get("class")
        if not isinstance(path, str) or (klass is not None and klass not in MODEL_CLASSES):
            raise PlanError(f"{where}: path must be a string and class one of {', '.join(MODEL_CLASSES)}.")
        if "path" in entry and not Path(path).is_absolute():
            path = str(base / path)
        return entry["id"], path, klass
    raise PlanError(f'{where}: {entry!r} is not a model: write a model id string or a table with id = "...".')


def _jobs(matrix: Any, cpu_only: bool, base: Path) -> tuple[Job, ...]:
    if not isinstance(matrix, list) or not matrix:
        raise PlanError("The plan has no [[matrix]]: add one with models = [...] and tasks = [...].")
    jobs: list[Job] = []
    seen: dict[str, str] = {}
    for m, table in enumerate(matrix):
        where = f"[[matrix]] {m + 1}"
        _check_keys(table, f"matrix {m + 1}", {"models", "tasks", *OPTIONS})
        models = table.get("models")
        tasks = table.get("tasks")
        if not isinstance(models, list) or not models:
            raise PlanError(f'{where}: models must be a non-empty list, e.g. models = ["org/name"].')
        if not isinstance(tasks, list) or not tasks or not all(isinstance(t, str) for t in tasks):
            raise PlanError(f'{where}: tasks must be a non-empty list of task ids, e.g. tasks = ["text_generation"].')
        for task in tasks:
            if task not in TASK_IDS:
                raise PlanError(f"{where}: task {task!r} is not one of {', '.join(TASK_IDS)}.")
        choices: list[list[tuple[str, Any]]] = []
        for key, (kind, _) in OPTIONS.items():
            if key not in table:
                continue
            values = table[key] if isinstance(table[key], list) else [table[key]]
            if not values:
                raise PlanError(f"{where}: {key} = [] gives no job: give a value or leave it out.")
            checked = [_get({key: v}, f"matrix {m + 1}", key, kind) for v in values]
            for value in checked:
                if key in CHOICES and value not in CHOICES[key]:
                    raise PlanError(f"{where}: {key} = {value!r} is not one of {', '.join(CHOICES[key])}.")
                if kind in (int, float) and key not in ("idle_s", "min_window_s"):
                    _positive(value, f"{where}: {key}", MAX_GPUS_PER_JOB if key == "gpus" else None)
                if key in ("idle_s", "min_window_s") and value < 0:
                    raise PlanError(f"{where}: {key} = {value!r} must be 0 or more.")
            choices.append([(key, v) for v in checked])
        for entry, task, combo in itertools.product(models, tasks, itertools.product(*choices)):
            model_id, model, klass = _model(entry, f"{where} models", base)
            options = dict(combo)
            if "dataset_path" in options and not Path(options["dataset_path"]).is_absolute():
                options["dataset_path"] = str(base / options["dataset_path"])
            if klass:
                options["model_class"] = klass  # the model's own class, over the matrix's
            if get_task(task).has_classes and options.get("model_class") not in MODEL_CLASSES:
                raise PlanError(
                    f'{where}: {task} results are rated per model class: give model_class = "A", "B" or "C" '
                    f"(or class in the model's table) for {model_id}."
                )
            if cpu_only and options.get("gpus", 1) != 1:
                raise PlanError(
                    f"{where}: gpus = {options['gpus']} with [campaign] cpu_only = true: a CPU job has no GPUs."
                )
            spec = json.dumps([task, model_id, model, sorted(options.items())], sort_keys=True)
            key = f"{_slug(task)}--{_slug(model_id)}-{hashlib.sha256(spec.encode()).hexdigest()[:8]}"
            if key in seen:
                raise PlanError(
                    f"{where}: the job {task} · {model_id} with these options is already in the plan ({seen[key]})."
                )
            seen[key] = where
            jobs.append(Job(len(jobs), key, task, model_id, model, options))
            if len(jobs) > MAX_JOBS:
                raise PlanError(f"The plan makes more than {MAX_JOBS:,} jobs: split it into several campaigns.")
    return tuple(jobs)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text.rsplit("/", 1)[-1])[:40]


def runner_args(plan: Plan, job: Job, out: Path) -> list[str]:
    """The ``python -m runner run`` arguments of ``job``, writing its run folder (and zip) at ``out``."""
    args = ["run", "--task", job.task, "--model", job.model, "--out", str(out), "--zip"]
    for key, value in sorted(job.options.items()):
        flag = OPTIONS[key][1]
        if not flag:
            continue
        if isinstance(value, bool):
            args += [flag] if value else []
        else:
            args += [flag, str(value)]
    if plan.cpu_only:
        args += ["--cpu", "--fake-meter"]
    return args


def estimate(plan: Plan) -> tuple[float, float | None]:
    """GPU-hours: the most the time limits allow, and the plan's estimate where it gives minutes per job."""
    gpus = [1 if plan.cpu_only else j.gpus for j in plan.jobs]
    most = sum(gpus) * plan.time_per_job_min / 60
    expected = sum(gpus) * plan.estimate_min_per_job / 60 if plan.estimate_min_per_job else None
    return most, expected

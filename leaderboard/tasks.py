"""The task registry (SPEC §1, §2): the one place that says, per task, what is run and measured.

Every other module asks this registry: the leaderboard (names, classes, the star scale
``MAX_STARS``), the submission checks (required phases, pipeline names, protocol, the published
energy range, the model classes' parameter ranges), and the benchmark runner (what to run, how long
to generate, in which precision, how large one query is). Nothing else spells a task's facts: a
new task is one ``Task`` here (tests/test_task_registry.py adds a twelfth).

Phases are the project's canonical names: ``preprocess``, ``prefill``, ``decode``, ``forward``,
``call``. All of a task's phases count toward its score (GPU energy summed over them); loading
phases never count. How a benchmark report spells a phase is the run folder's business
(``leaderboard.runfolder``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from leaderboard.errors import UnknownTaskError
from leaderboard.harnesses import AIEB_PYTORCH, ENERGY_STAR_DEV

# The canonical measured phases, in the order they run.
PHASES: tuple[str, ...] = ("preprocess", "prefill", "decode", "forward", "call")
GENERATE_PHASES: tuple[str, ...] = ("preprocess", "prefill", "decode")
FORWARD_PHASES: tuple[str, ...] = ("preprocess", "forward")
CALL_PHASES: tuple[str, ...] = ("preprocess", "call")

REASONING_EFFORTS: tuple[str, ...] = ("low", "medium", "high")

# Every result is rated 1 to MAX_STARS stars within its rating group (``leaderboard.rating``).
MAX_STARS = 5


@dataclass(frozen=True)
class QueryInputs:
    """One query of the task's official dataset, as the runner's offline sample imitates it.

    kind: "text" (``tokens``: the official dataset's average input tokens per query), "image"
    (``size``: height and width in px), "prompt" (``tokens``: the length every prompt is padded to:
    CLIP text encoders pad to 77, so the work per prompt is fixed) or "audio" (``seconds``: a typical
    utterance of the ASR datasets).
    """

    kind: Literal["text", "image", "prompt", "audio"]
    tokens: int | None = None
    size: tuple[int, int] | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class Protocol:
    """How one task is measured for the official board (SPEC §1, §8).

    num_queries: queries per measured pass (the fixed Hub dataset has 1,000).
    batch_size: queries per model call.
    new_tokens: generated tokens per query, forced (min = max); None for non-generative tasks.
    max_new_tokens: the budget when generation is not forced (reasoning); None otherwise.
    precision: the numeric precision of the official runs ("BF16" or "FP32"; FP16 accepted for BF16).
    warmup_runs: short runs before measuring.
    inference_steps: denoising steps per image (image generation); None otherwise.
    images_per_prompt: images per query (image generation); None otherwise.
    chat_template: whether inputs go through the model's chat template (reasoning on).
    """

    num_queries: int = 1_000
    batch_size: int = 1
    new_tokens: int | None = None
    max_new_tokens: int | None = None
    precision: str = "FP32"
    warmup_runs: int = 10
    inference_steps: int | None = None
    images_per_prompt: int | None = None
    chat_template: bool = False

    def summary(self) -> str:
        """One line for people: '1,000 queries, batch 1, exactly 10 new tokens, BF16'."""
        parts = [f"{self.num_queries:,} queries", f"batch {self.batch_size}"]
        if self.new_tokens:
            parts.append(f"exactly {self.new_tokens} new tokens")
        if self.max_new_tokens:
            parts.append(f"up to {self.max_new_tokens:,} new tokens")
        if self.chat_template:
            parts.append("chat template with reasoning on")
        if self.inference_steps:
            parts.append(f"{self.inference_steps} steps, {self.images_per_prompt} image per prompt")
        parts.append("/".join(self.accepted_precisions))
        return ", ".join(parts)

    @property
    def accepted_precisions(self) -> tuple[str, ...]:
        """Precisions that follow the protocol (FP16 and BF16 are both half precision)."""
        return ("BF16", "FP16") if self.precision == "BF16" else (self.precision,)


@dataclass(frozen=True)
class Task:
    """One rated task.

    id: stable identifier used in URLs, files and the dataset (e.g. ``text_generation``).
    display_name: human name shown in the UI and on labels.
    hub_dataset: the fixed 1,000-query input dataset on the Hugging Face Hub.
    input_columns: columns of ``hub_dataset`` fed to the model.
    pipeline_task: the Hugging Face pipeline task a run records (optimum-benchmark's ``backend.task``).
    pipeline_aliases: other pipeline names that runs of this task record.
    phases: the measured phases, all counted toward the score.
    required_phases: phases a result must have (preprocess is optional in every layout).
    has_classes: whether results are split by model class (A/B/C).
    protocol: how the official board measures it.
    inputs: what one query of ``hub_dataset`` is (the runner's offline sample imitates it).
    published_range_wh_per_1k: the lowest and highest GPU energy per 1,000 queries on the published
    boards (AI Energy Score, February and December 2025, NVIDIA H100 80GB: ``reference/aienergyscore/``,
    rounded outwards; a test recomputes them from those files): the plausibility check's band.
    """

    id: str
    display_name: str
    hub_dataset: str
    input_columns: tuple[str, ...]
    pipeline_task: str
    phases: tuple[str, ...]
    protocol: Protocol
    inputs: QueryInputs
    published_range_wh_per_1k: tuple[float, float]
    has_classes: bool = False
    pipeline_aliases: tuple[str, ...] = ()

    @property
    def required_phases(self) -> tuple[str, ...]:
        return tuple(p for p in self.phases if p != "preprocess")

    @property
    def generative(self) -> bool:
        """Prefill and decode are measured (decode = generation - prefill)."""
        return "decode" in self.phases

    @property
    def precision(self) -> str:
        return self.protocol.precision


_GENERATION = Protocol(new_tokens=10, precision="BF16")
_FORWARD = Protocol()

TASKS: tuple[Task, ...] = (
    Task(
        "text_generation",
        "Text Generation",
        "AIEnergyScore/text_generation",
        ("text",),
        "text-generation",
        GENERATE_PHASES,
        _GENERATION,
        inputs=QueryInputs("text", tokens=369),
        published_range_wh_per_1k=(1.313, 3426.39),
        has_classes=True,
    ),
    Task(
        "reasoning",
        "Reasoning",
        "AIEnergyScore/text_generation",
        ("text",),
        "text-generation",
        GENERATE_PHASES,
        Protocol(max_new_tokens=8_192, precision="BF16", chat_template=True),
        inputs=QueryInputs("text", tokens=369),
        published_range_wh_per_1k=(266.73, 18992.37),
        has_classes=True,
    ),
    Task(
        "summarization",
        "Summarization",
        "AIEnergyScore/summarization",
        ("text",),
        "summarization",
        GENERATE_PHASES,
        Protocol(new_tokens=10),
        inputs=QueryInputs("text", tokens=384),
        published_range_wh_per_1k=(0.7848, 34.81),
        pipeline_aliases=("text2text-generation",),
    ),
    Task(
        "question_answering",
        "Extractive Question Answering",
        "AIEnergyScore/extractive_qa",
        ("question", "context"),
        "question-answering",
        FORWARD_PHASES,
        _FORWARD,
        inputs=QueryInputs("text", tokens=11),
        published_range_wh_per_1k=(0.0554, 178.14),
    ),
    Task(
        "text_classification",
        "Text Classification",
        "AIEnergyScore/text_classification",
        ("text",),
        "text-classification",
        FORWARD_PHASES,
        _FORWARD,
        inputs=QueryInputs("text", tokens=157),
        published_range_wh_per_1k=(0.216, 27.79),
    ),
    Task(
        "sentence_similarity",
        "Sentence Similarity",
        "AIEnergyScore/sentence_similarity",
        ("sentence1", "sentence2"),
        "sentence-similarity",
        FORWARD_PHASES,
        _FORWARD,
        inputs=QueryInputs("text", tokens=23),
        published_range_wh_per_1k=(0.1063, 5.221),
        pipeline_aliases=("feature-extraction",),
    ),
    Task(
        "image_classification",
        "Image Classification",
        "AIEnergyScore/image_classification",
        ("image",),
        "image-classification",
        FORWARD_PHASES,
        _FORWARD,
        inputs=QueryInputs("image", size=(224, 224)),
        published_range_wh_per_1k=(0.2991, 2.642),
    ),
    Task(
        "object_detection",
        "Object Detection",
        "AIEnergyScore/object_detection",
        ("image",),
        "object-detection",
        FORWARD_PHASES,
        _FORWARD,
        inputs=QueryInputs("image", size=(800, 1066)),
        published_range_wh_per_1k=(1.004, 7.981),
    ),
    Task(
        "asr",
        "Automatic Speech Recognition",
        "AIEnergyScore/ASR",
        ("audio",),
        "automatic-speech-recognition",
        GENERATE_PHASES,
        Protocol(new_tokens=10),
        inputs=QueryInputs("audio", seconds=6.0),
        published_range_wh_per_1k=(0.6196, 86.68),
    ),
    Task(
        "image_generation",
        "Image Generation",
        "AIEnergyScore/image_generation",
        ("prompt",),
        "text-to-image",
        CALL_PHASES,
        Protocol(inference_steps=30, images_per_prompt=1),
        inputs=QueryInputs("prompt", tokens=77),
        published_range_wh_per_1k=(186.81, 1639.85),
    ),
    Task(
        "image_captioning",
        "Image Captioning",
        "AIEnergyScore/image_captioning",
        ("image",),
        "image-to-text",
        GENERATE_PHASES,
        Protocol(new_tokens=10),
        inputs=QueryInputs("image", size=(384, 384)),
        published_range_wh_per_1k=(45.747, 179.94),
    ),
)

TASKS_BY_ID: dict[str, Task] = {t.id: t for t in TASKS}
TASK_IDS: tuple[str, ...] = tuple(TASKS_BY_ID)


@dataclass(frozen=True)
class Round:
    """A published leaderboard round: its cohort (``YYYY-MM``), the tasks it rated, the harness that
    measured them (``leaderboard.harnesses``) and how we know which harness that was.

    also_lists: earlier cohorts whose results this round's board listed beside its own, each with
    its own stars (only for the tasks those cohorts rated)."""

    cohort: str
    title: str
    tasks: tuple[str, ...]
    harness: str
    evidence: str
    also_lists: tuple[str, ...] = ()


ROUNDS: tuple[Round, ...] = (
    Round(
        "2025-02",
        "February 2025",
        tuple(t.id for t in TASKS if t.id != "reasoning"),
        ENERGY_STAR_DEV,
        "The February 2025 numbers were measured with optimum-benchmark's energy_star_dev scenario: the "
        "AI Energy Score repository's own report of that scenario (reference/optimum-benchmark/) has the "
        "per-phase measures lists with 10 repeats that the round describes.",
    ),
    Round(
        "2025-12",
        "December 2025",
        ("text_generation", "reasoning"),
        AIEB_PYTORCH,
        "The December 2025 round was run by the AIEnergyScore repository's v2 runner "
        "(run_non_docker.sh -> run_ai_energy_benchmark.py, default backend pytorch) on the "
        "ai_energy_benchmarks package, 0.0.4 with codecarbon 3.0.4 as the official image pins them. The "
        "published CSVs do not record the backend; the runner's default (PyTorch) is taken.",
        also_lists=("2025-02",),  # the text-generation board listed the February models with February stars
    ),
)


def current_round() -> Round:
    """The round new submissions join unless a maintainer names another: the newest round this registry
    knows (``ROUNDS``), never a cohort read from the data (one row of a far-future month must not move it)."""
    return max(ROUNDS, key=lambda r: r.cohort)


def round_of(task_id: str, cohort: str) -> Round | None:
    """The published round that rated this task in this cohort, or None (no published round did)."""
    for r in ROUNDS:
        if r.cohort == cohort and task_id in r.tasks:
            return r
    return None


def expected_round(task_id: str, cohort: str | None = None) -> Round | None:
    """The round whose harness a new result of this task must share to be rated with it: the round
    of (task, cohort) where one rated the task, else the task's latest published round."""
    if cohort:
        found = round_of(task_id, cohort)
        if found is not None:
            return found
    rated = [r for r in ROUNDS if task_id in r.tasks]
    return max(rated, key=lambda r: r.cohort) if rated else None


def board_cohorts(task_id: str) -> tuple[str, ...]:
    """The cohorts of a task's published results that the official board lists: those of the task's
    latest published round, and the earlier ones that round lists beside its own (``also_lists``,
    where they rated the task). Empty where no published round rated the task."""
    latest = expected_round(task_id)
    if latest is None:
        return ()
    return (latest.cohort, *(c for c in latest.also_lists if round_of(task_id, c) is not None))


def round_harness(task_id: str, cohort: str) -> str | None:
    """The harness the published round of (task, cohort) used, or None where no round rated it."""
    r = round_of(task_id, cohort)
    return r.harness if r else None


@dataclass(frozen=True)
class ModelClass:
    """A model class of text generation and reasoning (SPEC §2).

    Thresholds come from memory = 1.2 x 2 bytes x parameters (FP16 plus 20% overhead).
    max_gpus: how many GPUs a run of this class may use (None: several, summed).
    """

    id: str
    meaning: str
    min_params_b: float
    max_params_b: float | None
    max_gpus: int | None

    def fits(self, params_b: float) -> bool:
        """Whether a model of ``params_b`` billion parameters belongs to this class."""
        return self.min_params_b <= params_b and (self.max_params_b is None or params_b <= self.max_params_b)


MODEL_CLASSES: dict[str, ModelClass] = {
    "A": ModelClass("A", "fits one consumer GPU (24 GB), up to 20 B parameters", 0.0, 20.0, 1),
    "B": ModelClass("B", "fits one data-centre GPU (80 GB), 20 B to 66 B parameters", 20.0, 66.0, 1),
    "C": ModelClass("C", "needs several GPUs, over 66 B parameters", 66.0, None, None),
}


def get_task(task_id: str) -> Task:
    """Return the task with this id, or raise ``UnknownTaskError`` naming the accepted ids."""
    try:
        return TASKS_BY_ID[task_id]
    except (KeyError, TypeError):
        raise UnknownTaskError(f"Unknown task {str(task_id)[:80]!r}. Use one of: {', '.join(TASK_IDS)}.") from None


def same_logs(a: str, b: str) -> bool:
    """Whether runs of the tasks ``a`` and ``b`` write logs that cannot tell them apart: the same task, or
    two tasks of one pipeline (reasoning is text generation with reasoning on: its logs record
    text-generation, and the form says which)."""
    if a == b:
        return True
    task_a, task_b = TASKS_BY_ID.get(a), TASKS_BY_ID.get(b)
    return task_a is not None and task_b is not None and task_a.pipeline_task == task_b.pipeline_task


def task_for_pipeline(pipeline_task: str) -> Task | None:
    """The task a run that recorded this Hugging Face pipeline task measured (text-generation is
    text generation: a reasoning run says so in its form), or None if no task uses it."""
    for task in TASKS:
        if pipeline_task == task.pipeline_task or pipeline_task in task.pipeline_aliases:
            return task
    return None

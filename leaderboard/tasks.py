"""The task registry (SPEC §1) declared as data, plus the model classes (SPEC §2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One rated task.

    id: stable identifier used in URLs, files and the dataset (e.g. ``text_generation``).
    display_name: human name shown in the UI and on labels.
    hub_dataset: the fixed 1,000-query input dataset on the Hugging Face Hub.
    input_columns: columns of ``hub_dataset`` fed to the model.
    phases: the measured phases whose GPU energy is summed into the score.
    has_classes: whether results are split by model class (A/B/C).
    precision: numeric precision of the measured runs.
    """

    id: str
    display_name: str
    hub_dataset: str
    input_columns: tuple[str, ...]
    phases: tuple[str, ...]
    has_classes: bool = False
    precision: str = "FP32"


TASKS: tuple[Task, ...] = (
    Task("text_generation", "Text Generation", "AIEnergyScore/text_generation", ("text",),
         ("preprocess", "prefill", "decode"), has_classes=True, precision="FP16/BF16"),
    Task("reasoning", "Reasoning", "AIEnergyScore/text_generation", ("text",),
         ("preprocess", "prefill", "decode"), has_classes=True, precision="FP16/BF16"),
    Task("summarization", "Summarization", "AIEnergyScore/summarization", ("text",),
         ("preprocess", "prefill", "decode")),
    Task("question_answering", "Extractive Question Answering", "AIEnergyScore/extractive_qa",
         ("question", "context"), ("preprocess", "forward")),
    Task("text_classification", "Text Classification", "AIEnergyScore/text_classification",
         ("text",), ("preprocess", "forward")),
    Task("sentence_similarity", "Sentence Similarity", "AIEnergyScore/sentence_similarity",
         ("sentence1", "sentence2"), ("preprocess", "forward")),
    Task("image_classification", "Image Classification", "AIEnergyScore/image_classification",
         ("image",), ("preprocess", "forward")),
    Task("object_detection", "Object Detection", "AIEnergyScore/object_detection", ("image",),
         ("preprocess", "forward")),
    Task("asr", "Automatic Speech Recognition", "AIEnergyScore/ASR", ("audio",),
         ("preprocess", "prefill", "decode")),
    Task("image_generation", "Image Generation", "AIEnergyScore/image_generation", ("prompt",),
         ("preprocess", "call")),
    Task("image_captioning", "Image Captioning", "AIEnergyScore/image_captioning", ("image",),
         ("preprocess", "prefill", "decode")),
)

TASKS_BY_ID: dict[str, Task] = {t.id: t for t in TASKS}
TASK_IDS: tuple[str, ...] = tuple(TASKS_BY_ID)

# Model classes for text generation and reasoning (SPEC §2): (id, meaning, parameter range).
MODEL_CLASSES: dict[str, str] = {
    "A": "fits one consumer GPU (24 GB), up to 20 B parameters",
    "B": "fits one data-centre GPU (80 GB), 20 B to 66 B parameters",
    "C": "needs several GPUs, over 66 B parameters",
}
REASONING_EFFORTS: tuple[str, ...] = ("low", "medium", "high")


def get_task(task_id: str) -> Task:
    """Return the task with this id, or raise ``UnknownTaskError`` naming the accepted ids."""
    from leaderboard.errors import UnknownTaskError

    try:
        return TASKS_BY_ID[task_id]
    except KeyError:
        raise UnknownTaskError(
            f"Unknown task {task_id!r}. Use one of: {', '.join(TASK_IDS)}."
        ) from None

"""Inputs for a run: the official task datasets when they can be loaded, else a small offline
sample built to match the official datasets' input sizes.

The offline sample is deterministic (seeded) and described in the output. What one query of a task
is comes from the task registry (``Task.inputs``): text queries are token ids with lengths drawn
around the official average input tokens per query; images, audio and prompts have the typical
dimensions and durations of the official datasets.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from leaderboard.tasks import TASKS_BY_ID

AUDIO_SAMPLE_RATE = 16_000


@dataclass
class Sample:
    """The queries of a run and how they were made."""

    task: str
    queries: list[Any] = field(default_factory=list)
    source: str = "offline"
    description: str = ""
    mean_input_tokens: float | None = None
    chat_template: bool = False  # inputs went through the model's chat template (reasoning on)


def _lengths(mean: int, n: int, rng: random.Random, cap: int) -> list[int]:
    """n lengths of at most ``cap`` with the given mean: log-normal spread (sigma 0.5), rescaled
    (a few rounds, since capping the tail lowers the mean)."""
    raw = [math.exp(rng.gauss(0, 0.5)) for _ in range(n)]
    scale = mean / (sum(raw) / n)
    for _ in range(8):
        lengths = [min(cap, max(1, round(r * scale))) for r in raw]
        scale *= mean / (sum(lengths) / n)
    return lengths


def hub_sample(
    task: str,
    n: int,
    model: str,
    *,
    max_tokens: int = 1024,
    dataset_path: str | None = None,
    reasoning_effort: str | None = None,
) -> Sample:
    """The official dataset's first ``n`` queries, tokenized with the model's tokenizer (text tasks).

    ``dataset_path`` replaces the Hub id (a local copy of the dataset). Raises on any failure;
    ``load_sample`` then falls back to the offline sample and says why.
    """
    import datasets
    from transformers import AutoTokenizer

    spec = TASKS_BY_ID.get(task)
    if spec is None or spec.inputs.kind != "text":
        raise ValueError(f"reading {task} inputs from the Hub is not supported yet")
    ds = datasets.load_dataset(dataset_path or spec.hub_dataset, split="train")
    if len(ds) < n:
        raise ValueError(f"{spec.hub_dataset} has {len(ds)} rows, fewer than --num-samples {n}")
    tokenizer = AutoTokenizer.from_pretrained(model)
    templated = spec.protocol.chat_template and bool(getattr(tokenizer, "chat_template", None))
    effort = reasoning_effort or "medium"
    queries = []
    for row in ds.select(range(n)):
        text = " ".join(str(row[column]) for column in spec.input_columns)
        if templated:
            # Reasoning on: the model's chat template with thinking enabled and the effort (SPEC §1).
            encoded = tokenizer.apply_chat_template(
                [{"role": "user", "content": text}],
                add_generation_prompt=True,
                tokenize=True,
                return_dict=True,
                enable_thinking=True,
                reasoning_effort=effort,
            )
            ids = list(encoded["input_ids"])[-max_tokens:]
        else:
            ids = tokenizer(text, truncation=True, max_length=max_tokens)["input_ids"]
        queries.append(list(ids) or [0])
    mean = sum(len(q) for q in queries) / n
    how = ""
    if templated:
        how = f", chat template with thinking on (effort {effort})"
    elif spec.protocol.chat_template:
        how = ", plain text: the tokenizer has no chat template"
    return Sample(
        task,
        queries,
        "official dataset",
        f"first {n} queries of {dataset_path or spec.hub_dataset}, {mean:.0f} input tokens on average{how}",
        mean,
        templated,
    )


def load_sample(
    task: str,
    n: int,
    model: str,
    *,
    offline: bool,
    vocab_size: int,
    max_tokens: int,
    dataset_path: str | None = None,
    reasoning_effort: str | None = None,
) -> Sample:
    """Hub inputs unless ``offline``; the offline sample when they cannot be had, with the reason."""
    if not offline:
        try:
            return hub_sample(
                task, n, model, max_tokens=max_tokens, dataset_path=dataset_path, reasoning_effort=reasoning_effort
            )
        except Exception as exc:  # noqa: BLE001 - any failure falls back, and the output says why
            sample = offline_sample(task, n, vocab_size=vocab_size, max_tokens=max_tokens)
            sample.description += f" (official dataset not used: {type(exc).__name__}: {str(exc)[:160]})"
            return sample
    return offline_sample(task, n, vocab_size=vocab_size, max_tokens=max_tokens)


def offline_sample(task: str, n: int, *, vocab_size: int = 1000, max_tokens: int = 1024, seed: int = 0) -> Sample:
    """``n`` synthetic queries the size of the task's official ones (``Task.inputs``)."""
    rng = random.Random(seed)
    spec = TASKS_BY_ID.get(task)
    inputs = spec.inputs if spec is not None else None
    if inputs is not None and inputs.kind == "text" and inputs.tokens:
        lengths = _lengths(inputs.tokens, n, rng, max_tokens)
        queries = [[rng.randrange(5, vocab_size) for _ in range(length)] for length in lengths]
        mean = sum(lengths) / n
        return Sample(
            task,
            queries,
            "offline",
            f"{n} synthetic queries of token ids, {mean:.0f} input tokens on "
            f"average (official dataset: {inputs.tokens})",
            mean,
        )
    if inputs is not None and inputs.kind == "image" and inputs.size:
        h, w = inputs.size
        return Sample(
            task, [("image", h, w, seed + i) for i in range(n)], "offline", f"{n} synthetic RGB images of {w}x{h} px"
        )
    if inputs is not None and inputs.kind == "prompt" and inputs.tokens:
        tokens = inputs.tokens
        prompts = [("prompt", [rng.randrange(1, vocab_size) for _ in range(tokens)], seed + i) for i in range(n)]
        return Sample(task, prompts, "offline", f"{n} synthetic prompts of token ids (padded to {tokens} tokens)")
    if inputs is not None and inputs.kind == "audio" and inputs.seconds:
        return Sample(
            task,
            [("audio", inputs.seconds, seed + i) for i in range(n)],
            "offline",
            f"{n} synthetic clips of {inputs.seconds:.0f} s at {AUDIO_SAMPLE_RATE} Hz",
        )
    raise ValueError(f"No offline sample for task {task!r}.")

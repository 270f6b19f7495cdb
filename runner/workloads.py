"""What one query does on each task (SPEC §1), built on transformers; batch size 1 throughout.

Generative tasks measure prefill (a generate call that makes exactly 1 token) and generate (exactly
``new_tokens`` tokens, min = max, so random weights do the same work as real ones); decode is
generate - prefill. Forward-only tasks measure one forward pass. Preprocess turns a query into
device tensors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaderboard.errors import WorkloadError
from leaderboard.tasks import get_task

CONFIG_DIR = Path(__file__).resolve().parent / "configs"
# The transformers class that loads a model for each task this runner drives (what the task
# measures is the task registry's; this is only how the runner builds it).
AUTO_CLASS = {
    "text_generation": "AutoModelForCausalLM",
    "reasoning": "AutoModelForCausalLM",
    "summarization": "AutoModelForSeq2SeqLM",
    "asr": "AutoModelForSpeechSeq2Seq",
    "image_captioning": "AutoModelForImageTextToText",
    "text_classification": "AutoModelForSequenceClassification",
    "question_answering": "AutoModelForQuestionAnswering",
    "sentence_similarity": "AutoModel",
    "image_classification": "AutoModelForImageClassification",
    "object_detection": "AutoModelForObjectDetection",
}


# A shipped config may name the Hub model whose architecture it reproduces (key HUB_ID_KEY): runs
# of it record that id as the model, so their zips can be submitted under it.
HUB_ID_KEY = "hub_id"


def shipped_configs() -> list[str]:
    return sorted(p.stem for p in CONFIG_DIR.glob("*.json"))


def shipped_config(name: str) -> dict[str, Any] | None:
    """The shipped architecture config of this name (without its Hub id), or None."""
    path = CONFIG_DIR / f"{name}.json"
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw.pop(HUB_ID_KEY, None)
    return raw


def recorded_model(name: str) -> str:
    """The model id a run of ``name`` records: the Hub id a shipped config mirrors, else ``name``."""
    path = CONFIG_DIR / f"{name}.json"
    if path.is_file():
        hub_id = json.loads(path.read_text(encoding="utf-8")).get(HUB_ID_KEY)
        if isinstance(hub_id, str):
            return hub_id
    return name


def load_model(task: str, model: str, *, no_weights: bool, dtype, device: str):
    """The model, on ``device`` in ``dtype``: from a shipped config name, a local folder or the Hub."""
    import torch
    import transformers

    if task not in AUTO_CLASS:
        raise WorkloadError(
            f"{get_task(task).display_name} needs the diffusers package, which this runner does not drive yet."
        )
    auto = getattr(transformers, AUTO_CLASS[task])
    shipped = shipped_config(model)
    if shipped is not None:
        if not no_weights:
            raise WorkloadError(f"{model!r} is a shipped architecture config without weights: add --no-weights.")
        config = transformers.AutoConfig.for_model(**shipped)
    elif no_weights:
        config = transformers.AutoConfig.from_pretrained(model)
    else:
        with torch.device(device):
            return auto.from_pretrained(model, dtype=dtype).eval()
    with torch.device(device):
        torch.manual_seed(0)
        built = auto.from_config(config, dtype=dtype)
    return built.eval()


@dataclass
class Workload:
    """Per-query callables for one task and model."""

    task: str
    model: Any  # a torch module (torch is imported lazily, so its types are not followed)
    device: str
    new_tokens: int

    def preprocess(self, query):
        import torch

        if isinstance(query, list):  # token ids
            ids = torch.tensor([query], device=self.device)
            return {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
        kind = query[0]
        generator = torch.Generator().manual_seed(int(query[-1]))
        dtype = next(self.model.parameters()).dtype
        if kind == "image":
            _, h, w, _ = query
            size = getattr(self.model.config, "image_size", None)
            if size and self.task == "image_classification":
                h = w = size  # the processor resizes to the model's size
            pixels = torch.rand((1, 3, h, w), generator=generator).to(self.device, dtype)
            return {"pixel_values": pixels}
        if kind == "audio":
            bins = getattr(self.model.config, "num_mel_bins", 80)
            frames = 2 * getattr(self.model.config, "max_source_positions", 1500)
            feats = torch.randn((1, bins, frames), generator=generator).to(self.device, dtype)
            return {"input_features": feats}
        raise WorkloadError(f"Unknown query kind {kind!r}.")

    def _generate(self, inputs, tokens: int):
        import torch

        config = self.model.generation_config
        with torch.inference_mode():
            return self.model.generate(
                **inputs,
                min_new_tokens=tokens,
                max_new_tokens=tokens,
                do_sample=False,
                pad_token_id=config.pad_token_id if config.pad_token_id is not None else 0,
            )

    def prefill(self, inputs):
        return self._generate(inputs, 1)

    def generate(self, inputs):
        return self._generate(inputs, self.new_tokens)

    def forward(self, inputs):
        import torch

        with torch.inference_mode():
            return self.model(**inputs)


def prepare_generation(model) -> None:
    """Random-weight models must not stop early: no EOS, and forced lengths do the rest."""
    config = model.generation_config
    config.eos_token_id = None
    if config.pad_token_id is None:
        config.pad_token_id = 0
    if getattr(model.config, "model_type", "") == "whisper":
        config.forced_decoder_ids = None
        config.suppress_tokens = None
        config.begin_suppress_tokens = None

"""What one query does on each task (SPEC §1), built on transformers and diffusers.

Generative tasks measure prefill (exactly 1 new token) and generate (exactly ``new_tokens`` tokens,
min = max, so random weights do the same work as real ones); decode is generate - prefill. Two
decode modes do that same work: ``generate`` (the library's loop) and ``graph`` (``runner.decode``:
static KV cache, one CUDA graph replay per token). Forward-only tasks measure one forward pass;
image generation one pipeline call (the protocol's steps, one image per prompt). Preprocess turns a
query into device tensors. Batch size 1 is the protocol; text generation may run larger batches
as an operating point (never rated on the official board).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaderboard.errors import WorkloadError
from leaderboard.tasks import get_task

DECODE_MODES = ("generate", "graph")

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
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
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


def parameter_count(model: Any) -> int | None:
    """The parameters of a loaded model (a pipeline's: every component's), or None if it has none."""
    import torch

    parts = [model] if isinstance(model, torch.nn.Module) else list(getattr(model, "components", {}).values())
    count = sum(p.numel() for m in parts if isinstance(m, torch.nn.Module) for p in m.parameters())
    return int(count) or None


def load_model(task: str, model: str, *, no_weights: bool, dtype: Any, device: str, gpus: int = 1) -> Any:
    """The model, on ``device`` in ``dtype`` (or sharded over ``gpus`` GPUs): from a shipped config
    name, a local folder or the Hub. Image generation returns a diffusers pipeline. A model that
    cannot be found or read is a ``WorkloadError`` naming it."""
    try:
        return _load_model(task, model, no_weights=no_weights, dtype=dtype, device=device, gpus=gpus)
    except (OSError, ValueError, KeyError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise WorkloadError(
            f"Could not load {model!r} ({type(exc).__name__}: {first}). Give a Hub id with its weights reachable, "
            f"a local model folder, or a shipped config with --no-weights: {', '.join(shipped_configs())}."
        ) from None


def _load_model(task: str, model: str, *, no_weights: bool, dtype: Any, device: str, gpus: int) -> Any:
    import torch
    import transformers

    if task == "image_generation":
        return load_pipeline(model, no_weights=no_weights, dtype=dtype, device=device)
    if task not in AUTO_CLASS:
        raise WorkloadError(f"{get_task(task).display_name} is not driven by this runner yet.")
    auto = getattr(transformers, AUTO_CLASS[task])
    shipped = shipped_config(model)
    if shipped is not None:
        if not no_weights:
            raise WorkloadError(f"{model!r} is a shipped architecture config without weights: add --no-weights.")
        config = transformers.AutoConfig.for_model(**shipped)
    elif no_weights:
        config = transformers.AutoConfig.from_pretrained(model)
    elif gpus > 1:
        return auto.from_pretrained(model, dtype=dtype, device_map="balanced").eval()
    else:
        with torch.device(device):
            return auto.from_pretrained(model, dtype=dtype).eval()
    if gpus > 1:
        return sharded_random_model(auto, config, dtype=dtype, gpus=gpus)
    with torch.device(device):
        torch.manual_seed(0)
        built = auto.from_config(config, dtype=dtype)
    return built.eval()


def sharded_random_model(auto: Any, config: Any, *, dtype: Any, gpus: int) -> Any:
    """A random-weight model spread over ``gpus`` GPUs with accelerate: built empty, its layers
    placed by ``infer_auto_device_map`` with an equal share of memory per GPU (a larger cap put
    almost all of a 70 B model on the first GPU), then each weight drawn on its own GPU, so a
    70 B model is ready in seconds without a copy through host memory."""
    import torch
    from accelerate import dispatch_model, infer_auto_device_map, init_empty_weights
    from accelerate.utils import set_module_tensor_to_device

    with init_empty_weights():
        model = auto.from_config(config, dtype=dtype)
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    share = int(weight_bytes / gpus * 1.08) + 2**30
    device_map = infer_auto_device_map(
        model, max_memory={i: share for i in range(gpus)}, no_split_module_classes=model._no_split_modules, dtype=dtype
    )
    if any(d not in range(gpus) for d in device_map.values()):
        raise WorkloadError(f"The model does not fit on {gpus} GPUs with {share / 2**30:.0f} GiB each: {device_map}.")
    torch.manual_seed(0)
    std = getattr(config, "initializer_range", 0.02)
    for name, param in list(model.named_parameters()):
        device = f"cuda:{_device_for(name, device_map)}"
        value = torch.empty(param.shape, dtype=dtype, device=device).normal_(0.0, std)
        set_module_tensor_to_device(model, name, device, value=value)
    model.tie_weights()
    return dispatch_model(model.eval(), device_map=device_map)


def _device_for(name: str, device_map: dict[str, Any]) -> Any:
    """The device of the longest module prefix of ``name`` in an accelerate device map."""
    parts = name.split(".")
    for end in range(len(parts), -1, -1):
        key = ".".join(parts[:end])
        if key in device_map:
            return device_map[key]
    raise WorkloadError(f"{name} has no device in the map.")


def load_pipeline(model: str, *, no_weights: bool, dtype: Any, device: str) -> Any:
    """A diffusers text-to-image pipeline: random weights from a shipped pipeline config (its
    components' configs), or a pipeline folder / Hub id with weights."""
    try:
        import diffusers
    except ImportError:
        raise WorkloadError("Image generation needs the diffusers package: pip install diffusers") from None
    import torch

    shipped = shipped_config(model)
    if shipped is None:
        if no_weights:
            raise WorkloadError("--no-weights for image generation needs a shipped pipeline config (runner/configs).")
        return diffusers.DiffusionPipeline.from_pretrained(model, torch_dtype=dtype).to(device)
    if not no_weights:
        raise WorkloadError(f"{model!r} is a shipped pipeline config without weights: add --no-weights.")
    import transformers

    torch.manual_seed(0)
    with torch.device(device):
        unet = diffusers.UNet2DConditionModel(**shipped["unet"]).to(dtype)
        vae = diffusers.AutoencoderKL(**shipped["vae"]).to(dtype)
        text_encoder = transformers.CLIPTextModel(transformers.CLIPTextConfig(**shipped["text_encoder"])).to(dtype)
    scheduler = getattr(diffusers, shipped["scheduler"]["class"])(**shipped["scheduler"].get("config", {}))
    pipe = diffusers.StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=None,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.set_progress_bar_config(disable=True)
    return pipe.to(device)


@dataclass
class Workload:
    """Per-query callables for one task and model.

    new_tokens: new tokens per query (generative tasks): exactly that many when ``forced``, else a
    budget the model may stop short of (reasoning with real weights). decode_mode: see ``DECODE_MODES``.
    inference_steps, images_per_prompt: image generation. batch_size: queries per call.
    """

    task: str
    model: Any  # a torch module or diffusers pipeline (imported lazily, so their types are not followed)
    device: str
    new_tokens: int
    forced: bool = True
    decode_mode: str = "generate"
    inference_steps: int = 30
    images_per_prompt: int = 1
    batch_size: int = 1
    decoder: Any = field(default=None, repr=False)

    def _dtype(self) -> Any:
        return self.model.dtype if self.task == "image_generation" else next(self.model.parameters()).dtype

    def _input_device(self) -> Any:
        """Where inputs go: the first GPU of a sharded model, else the run's device."""
        if self.task == "image_generation":
            return self.device
        return next(self.model.parameters()).device

    def preprocess(self, query: Any) -> dict[str, Any]:
        import torch

        device = self._input_device()
        if isinstance(query, list):  # token ids
            ids = torch.tensor([query], device=device)
            return {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
        kind = query[0]
        if kind == "batch":  # several token-id queries, padded on the left
            rows = query[1]
            width = max(len(r) for r in rows)
            ids = torch.tensor([[0] * (width - len(r)) + r for r in rows], device=device)
            mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows], device=device)
            return {"input_ids": ids, "attention_mask": mask}
        generator = torch.Generator().manual_seed(int(query[-1]))
        dtype = self._dtype()
        if kind == "image":
            _, h, w, _ = query
            size = getattr(self.model.config, "image_size", None)
            if size and self.task == "image_classification":
                h = w = size  # the processor resizes to the model's size
            pixels = torch.rand((1, 3, h, w), generator=generator).to(device, dtype)
            return {"pixel_values": pixels}
        if kind == "audio":
            bins = getattr(self.model.config, "num_mel_bins", 80)
            frames = 2 * getattr(self.model.config, "max_source_positions", 1500)
            feats = torch.randn((1, bins, frames), generator=generator).to(device, dtype)
            return {"input_features": feats}
        if kind == "prompt":  # prompt token ids, encoded by the pipeline's text encoder in the call
            _, ids, _ = query
            limit = self.model.text_encoder.config.max_position_embeddings
            ids = (ids + [0] * limit)[:limit]  # CLIP prompts are padded to the encoder's length
            return {"prompt_ids": torch.tensor([ids], device=device)}
        raise WorkloadError(f"Unknown query kind {kind!r}.")

    def prepare(self, inputs: list[dict[str, Any]]) -> None:
        """Before warm-up: in graph mode, build the static cache and capture the decode step."""
        if self.decode_mode != "graph":
            return
        if self.batch_size != 1 or not get_task(self.task).generative or "input_ids" not in inputs[0]:
            raise WorkloadError("--decode-mode graph runs text generation at batch size 1 only.")
        from runner.decode import StaticDecoder

        longest = max(int(item["input_ids"].shape[1]) for item in inputs)
        self.decoder = StaticDecoder(self.model, longest + self.new_tokens + 1, self.device)
        import torch

        with torch.inference_mode():
            if str(self.device).startswith("cuda"):
                self.decoder.capture(inputs[0]["input_ids"])

    def _generate(self, inputs: dict[str, Any], tokens: int) -> Any:
        import torch

        with torch.inference_mode():
            if self.decoder is not None:
                return self.decoder.run(inputs["input_ids"], tokens)
            config = self.model.generation_config
            return self.model.generate(
                **inputs,
                min_new_tokens=tokens if self.forced else 1,
                max_new_tokens=tokens,
                do_sample=False,
                pad_token_id=config.pad_token_id if config.pad_token_id is not None else 0,
            )

    def prefill(self, inputs: dict[str, Any]) -> Any:
        return self._generate(inputs, 1)

    def generate(self, inputs: dict[str, Any]) -> Any:
        return self._generate(inputs, self.new_tokens)

    def forward(self, inputs: dict[str, Any]) -> Any:
        import torch

        with torch.inference_mode():
            return self.model(**inputs)

    def call(self, inputs: dict[str, Any]) -> Any:
        """One text-to-image pipeline call: encode the prompt, the protocol's denoising steps, decode."""
        import torch

        with torch.inference_mode():
            # The pipeline would encode the prompt and the empty negative prompt: the same two passes.
            embeds = self.model.text_encoder(inputs["prompt_ids"])[0]
            negative = self.model.text_encoder(torch.zeros_like(inputs["prompt_ids"]))[0]
            return self.model(
                prompt_embeds=embeds,
                negative_prompt_embeds=negative,
                num_inference_steps=self.inference_steps,
                num_images_per_prompt=self.images_per_prompt,
                output_type="pil",
            )


def prepare_generation(model: Any) -> None:
    """Random-weight models must not stop early: no EOS, and forced lengths do the rest."""
    config = model.generation_config
    config.eos_token_id = None
    if config.pad_token_id is None:
        config.pad_token_id = 0
    if getattr(model.config, "model_type", "") == "whisper":
        config.forced_decoder_ids = None
        config.suppress_tokens = None
        config.begin_suppress_tokens = None

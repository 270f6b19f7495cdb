"""The official protocol of a task (``leaderboard.tasks.Task.protocol``) against how a run was set up.

A run whose config departs from the task's protocol is **off-protocol**: every difference is named
(queries, batch size, generation lengths, dataset, precision, image steps). It may still be a valid
measurement, but it cannot join the official board without a maintainer's recorded override
(``accept --ack Protocol --reason …``). A setting the config does not record is a difference too, unless
the tool that wrote the run has a fixed value for it that follows the protocol (optimum-benchmark's
and this runner's batch size of 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from leaderboard.harnesses import AIEB_PYTORCH, AIEB_VLLM, UNRECORDED, harness_name
from leaderboard.tasks import Round, Task

# The organisation the task datasets were published under before AIEnergyScore (SPEC §1).
FORMER_DATASET_ORG = "EnergyStarAI"
OFFICIAL_INPUTS = "official dataset"  # what the runner records when it used the task's dataset

# torch dtype names -> the protocol's precision names.
DTYPES: dict[str, str] = {
    "float32": "FP32",
    "fp32": "FP32",
    "float": "FP32",
    "torch.float32": "FP32",
    "float16": "FP16",
    "fp16": "FP16",
    "half": "FP16",
    "torch.float16": "FP16",
    "bfloat16": "BF16",
    "bf16": "BF16",
    "torch.bfloat16": "BF16",
}


@dataclass(frozen=True)
class RunSetup:
    """How a run was set up, as far as its config records it (None: not recorded).

    tool: 'runner' (this project's), 'optimum-benchmark' or 'ai_energy_benchmarks'. harness: the
    ``leaderboard.harnesses`` id of the code that measured. inputs_source: the runner's record of
    its inputs ('official dataset' or 'offline'). decode_mode: the runner's 'generate' or 'graph'
    (static KV cache, CUDA graphs: not the official runs' generate loop). chat_template: whether the
    inputs went through the chat template (None: not recorded). mean_new_tokens: generated tokens
    per query on average, where a harness records only totals (the v2 runner's summary), and
    mean_input_tokens the prompt tokens per query on average (held against the official dataset's).
    text_column: the dataset column the inputs came from. random_weights: the model's weights were
    random (optimum-benchmark's and this runner's ``no_weights``), not the model's. departures: every other recorded setting
    that can change the work and is not the protocol's (``setting_departures``).
    """

    tool: str
    harness: str = UNRECORDED
    num_queries: int | None = None
    batch_size: int | None = None
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None
    dataset: str | None = None
    inputs_source: str | None = None
    dtype: str | None = None
    inference_steps: int | None = None
    images_per_prompt: int | None = None
    decode_mode: str | None = None
    chat_template: bool | None = None
    mean_new_tokens: float | None = None
    mean_input_tokens: float | None = None
    text_column: str | None = None
    random_weights: bool = False
    departures: tuple[str, ...] = ()  # settings outside the allow-list (``setting_departures``)


# A backend's fields that optimum-benchmark fills in at run time (a server's port, its process id, the
# processor and library it resolved): they differ between a config written before and after the run,
# and never change the work.
RUNTIME_FILLED_KEYS: tuple[str, ...] = ("port", "pid", "processor", "library", "model_type", "version")

# --- the allow-list: every setting of an optimum-benchmark-style config that can change the work -----
# A key listed with a value must have that value (or be absent); a key listed as ANY does not change the
# work (names, ids, threads, the measured values the checker reads itself); any other key is unknown
# and named. Generation defaults are optimum-benchmark energy_star's own.
ANY = object()
SCENARIO_KEYS: dict[str, object] = {
    "name": ANY,
    "_target_": ANY,
    "dataset_name": ANY,  # compared with the task's dataset
    "dataset_split": "train",
    "dataset_config": "",
    "num_samples": ANY,  # compared with the protocol
    "input_shapes": ANY,  # compared key by key (INPUT_SHAPE_KEYS)
    "text_column_name": ANY,  # compared with the task's input columns
    "image_column_name": ANY,
    "audio_column_name": ANY,
    "question_column_name": ANY,  # columns of other tasks' datasets, written into every config
    "context_column_name": ANY,
    "sentence1_column_name": ANY,
    "sentence2_column_name": ANY,
    "t5_task": "",
    "resize": False,
    "dataset_prefix1": ANY,
    "dataset_prefix2": ANY,
    "truncation": ANY,
    "max_length": -1,
    "warmup_runs": ANY,
    "energy": True,
    "memory": ANY,
    "latency": ANY,
    "iterations": ANY,
    "duration": ANY,
    "forward_kwargs": {},
    "generate_kwargs": ANY,  # compared key by key (GENERATE_KEYS)
    "call_kwargs": ANY,  # compared key by key (CALL_KEYS)
    "reasoning": ANY,  # compared with the task's protocol
    "reasoning_params": ANY,
    "repeats": ANY,  # this runner's repeats, judged by the repeats check
    "inputs": ANY,  # this runner's record of its inputs, compared with the protocol
    "settings": ANY,  # this runner's settings, compared with its summary's
}
INPUT_SHAPE_KEYS: dict[str, object] = {"batch_size": ANY}
GENERATE_KEYS: dict[str, object] = {
    "min_new_tokens": ANY,  # compared with the protocol
    "max_new_tokens": ANY,
    "num_return_sequences": 1,
    "temperature": 1.0,
    "do_sample": False,
    "use_cache": True,
    "num_beams": 1,
}
CALL_KEYS: dict[str, object] = {"num_inference_steps": ANY, "num_images_per_prompt": ANY}
BACKEND_KEYS: dict[str, object] = {
    "name": ANY,
    "version": ANY,
    "_target_": ANY,
    "task": ANY,
    "library": ANY,
    "model_type": ANY,
    "model": ANY,
    "processor": ANY,
    "device": ANY,
    "device_ids": ANY,
    "seed": ANY,
    "inter_op_num_threads": ANY,
    "intra_op_num_threads": ANY,
    "hub_kwargs": ANY,
    "processor_kwargs": ANY,
    "low_cpu_mem_usage": ANY,
    "torch_dtype": ANY,  # compared with the protocol's precision
    "no_weights": ANY,  # random weights are refused on their own ("Real weights")
    "architecture_config": ANY,
    "eval_mode": True,
    "model_kwargs": {},
    "autocast_enabled": False,
    "autocast_dtype": None,
    "torch_compile": False,
    "torch_compile_target": ANY,
    "torch_compile_config": {},
    "quantization_scheme": None,
    "quantization_config": {},
    "to_bettertransformer": False,
    "deepspeed_inference": False,
    "deepspeed_inference_config": {},
    "peft_type": None,
    "peft_config": {},
    "attn_implementation": None,
    "cache_implementation": None,
    "tp_plan": None,
    "device_map": None,
    "allow_tf32": False,
    # older optimum-benchmark versions' spellings (the energy_star_dev branch), at their defaults
    "disable_grad": ANY,
    "amp_autocast": False,
    "amp_dtype": None,
    "bettertransformer": False,
    "quantization_strategy": None,
    "use_ddp": False,
    "ddp_config": {},
    "peft_strategy": None,
    "continuous_isolation": ANY,
    "isolation_check_interval": ANY,
    "delete_cache": ANY,
    **{key: ANY for key in RUNTIME_FILLED_KEYS},
}
MAX_DEPARTURES_SHOWN = 12
# The v2 harness sets only max_new_tokens: a real model ends some prompts early (its end-of-text token),
# so generated tokens per query are at most the protocol's and, on the official dataset, most of it.
MIN_NEW_TOKENS_SHARE = 0.5
# Prompt tokens per query against the official dataset's (``Task.inputs.tokens``: the average input
# tokens per query of the task's Hub dataset, tokenized as the runner records it, 369 for text
# generation; the genuine v2 run in reference/aies-v2/ has 368.6). Tokenizers differ by tens of per
# cent on English text, never by half: a run outside this range did not use the official prompts.
INPUT_TOKENS_RANGE = (0.5, 2.0)


def _ends_early(mean: float, maximum: int) -> bool:
    """Whether a mean of generated tokens is what a maximum of ``maximum`` gives a real model."""
    return MIN_NEW_TOKENS_SHARE * maximum <= mean <= maximum


def _shown(value: object) -> str:
    return repr(value)[:60]


def _against(section: Mapping[str, object], allowed: Mapping[str, object], where: str) -> list[str]:
    out: list[str] = []
    for key, value in list(section.items())[:2000]:
        want = allowed.get(key, _UNKNOWN)
        if want is _UNKNOWN:
            out.append(f"{where} → {str(key)[:40]}: {_shown(value)} (not a setting the protocol knows)")
        elif want is not ANY and value is not None and not _same(value, want):
            out.append(f"{where} → {key}: {_shown(value)} (protocol: {_shown(want)})")
    return out


_UNKNOWN = object()


def _same(value: object, want: object) -> bool:
    if isinstance(want, dict):
        return isinstance(value, dict) and not value  # only the empty default
    if isinstance(want, bool) or isinstance(value, bool):
        return value is want
    return value == want


def setting_departures(scenario: Mapping[str, object], backend: Mapping[str, object], where: str) -> tuple[str, ...]:
    """Every recorded setting of a config's scenario and backend (and their generation, call and
    input-shape settings) that is unknown or not the protocol's value, for people."""
    out = _against(scenario, SCENARIO_KEYS, f"{where} → scenario")
    out += _against(backend, BACKEND_KEYS, f"{where} → backend")
    for key, allowed in (
        ("generate_kwargs", GENERATE_KEYS),
        ("call_kwargs", CALL_KEYS),
        ("input_shapes", INPUT_SHAPE_KEYS),
    ):
        section = scenario.get(key)
        if isinstance(section, dict):
            out += _against(section, allowed, f"{where} → scenario → {key}")
    return tuple(out)


def _tokens(n: int | None) -> str:
    return "not recorded" if n is None else f"{n:,}"


def official_datasets(task: Task) -> tuple[str, ...]:
    name = task.hub_dataset.split("/", 1)[1]
    return (task.hub_dataset, f"{FORMER_DATASET_ORG}/{name}")


def harness_difference(run: RunSetup, expected: Round | None) -> str | None:
    """'harness: X; the Y round used Z' where the run's harness is not the one of the round the result
    would join (None: the same, or no published round of the task to compare with)."""
    if expected is None or run.harness == expected.harness:
        return None
    return (
        f"harness: {harness_name(run.harness)}; the {expected.title} round used {harness_name(expected.harness)}, "
        "so it is rated apart from that round's results"
    )


# The v2 harness loads a model in its own precision (torch_dtype "auto"), as its round did.
_OWN_PRECISION_HARNESSES = (AIEB_PYTORCH, AIEB_VLLM)


def differences(task: Task, run: RunSetup) -> list[str]:
    """Every way the run's settings depart from the task's protocol, for people ('queries: 500
    (protocol: 1,000)'). The harness is judged on its own (``harness_difference``)."""
    p = task.protocol
    out: list[str] = []
    if run.num_queries != p.num_queries:
        out.append(f"queries: {_tokens(run.num_queries)} (protocol: {p.num_queries:,})")
    batch = run.batch_size if run.batch_size is not None else 1  # every tool defaults to batch 1
    if batch != p.batch_size:
        out.append(f"batch size: {batch:,} (protocol: {p.batch_size})")
    if p.new_tokens is not None:
        recorded = (run.min_new_tokens, run.max_new_tokens) != (None, None) or run.mean_new_tokens is None
        if recorded and (run.min_new_tokens, run.max_new_tokens) != (p.new_tokens, p.new_tokens):
            out.append(
                f"new tokens: min {_tokens(run.min_new_tokens)}, max {_tokens(run.max_new_tokens)} "
                f"(protocol: exactly {p.new_tokens})"
            )
        elif not recorded and run.mean_new_tokens is not None and not _ends_early(run.mean_new_tokens, p.new_tokens):
            out.append(
                f"new tokens: {run.mean_new_tokens:,.2f} per query on average (protocol: {p.new_tokens}; a harness "
                f"that sets only the maximum makes at most {p.new_tokens}, at least {MIN_NEW_TOKENS_SHARE:.0%} of it "
                "on average)"
            )
    if p.max_new_tokens is not None and run.max_new_tokens != p.max_new_tokens:
        out.append(f"max new tokens: {_tokens(run.max_new_tokens)} (protocol: {p.max_new_tokens:,})")
    if run.tool == "runner":
        if run.inputs_source != OFFICIAL_INPUTS:
            out.append(f"inputs: {run.inputs_source or 'not recorded'} (protocol: {task.hub_dataset})")
    elif run.dataset not in official_datasets(task):
        out.append(f"dataset: {(run.dataset or 'not recorded')[:120]} (protocol: {task.hub_dataset})")
    official_tokens = task.inputs.tokens if task.inputs.kind == "text" else None
    if run.mean_input_tokens is not None and official_tokens:
        lo, hi = INPUT_TOKENS_RANGE
        if not lo * official_tokens <= run.mean_input_tokens <= hi * official_tokens:
            out.append(
                f"inputs: {run.mean_input_tokens:,.1f} prompt tokens per query on average (the official dataset's: "
                f"{official_tokens}; with any tokenizer {lo * official_tokens:,.0f}–{hi * official_tokens:,.0f})"
            )
    precision = DTYPES.get((run.dtype or "").lower())
    own_precision = run.dtype == "auto" and run.harness in _OWN_PRECISION_HARNESSES
    if precision not in p.accepted_precisions and not own_precision:
        shown = run.dtype if run.dtype not in (None, "auto") else "not recorded (the model's default)"
        out.append(f"precision: {shown} (protocol: {'/'.join(p.accepted_precisions)})")
    if run.decode_mode not in (None, "generate"):
        out.append(f"decode mode: {run.decode_mode} (protocol: the library's generate loop)")
    if p.chat_template and run.chat_template is False:
        out.append("chat template: off (protocol: on, with reasoning)")
    if p.inference_steps is not None and run.inference_steps != p.inference_steps:
        out.append(f"inference steps: {_tokens(run.inference_steps)} (protocol: {p.inference_steps})")
    if p.images_per_prompt is not None and run.images_per_prompt != p.images_per_prompt:
        out.append(f"images per prompt: {_tokens(run.images_per_prompt)} (protocol: {p.images_per_prompt})")
    if run.text_column is not None and run.text_column not in task.input_columns:
        out.append(f"input column: {run.text_column[:40]!r} (protocol: {', '.join(task.input_columns)})")
    out += run.departures[:MAX_DEPARTURES_SHOWN]
    if len(run.departures) > MAX_DEPARTURES_SHOWN:
        out.append(f"and {len(run.departures) - MAX_DEPARTURES_SHOWN} more settings outside the protocol")
    return out

"""Builders for campaign tests that run the runner (torch, transformers): tiny model folders with saved
weights, and campaign plans of tiny CPU jobs (the fake meter)."""

import json
from pathlib import Path

from tests.conftest import ROOT

ATTESTATIONS = '["Public Data Sharing", "Data Integrity", "Model Representation"]'
# One tiny job: 4 queries, 2 repeats, one pass per window, the shipped offline sample.
TINY_RUN = "num_samples = 4\nrepeats = 2\nmin_window_s = 0\nidle_s = 0.01\noffline = true"


def tiny_model_with_weights(folder: Path) -> None:
    """A tiny GPT-2 with saved (random) weights and a word-level tokenizer: a model folder the checker
    reads as real weights, unlike --no-weights."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

    vocab = {"[UNK]": 0, **{w: i + 1 for i, w in enumerate("the a energy model query of gpu and to is".split())}}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]").save_pretrained(folder)
    config = AutoConfig.for_model(**json.loads((ROOT / "runner/configs/tiny-gpt2.json").read_text()))
    AutoModelForCausalLM.from_config(config).save_pretrained(folder)


def tiny_campaign(
    folder: Path, *, name: str = "ci", with_weights: str = "abcd", no_weights=(), throttle: int = 1
) -> Path:
    """A CPU-only plan in ``folder``: one text-generation job per letter of ``with_weights`` (a model
    folder with weights, class A: valid), then one job per (shipped config, task) of ``no_weights``
    (random weights: 'Real weights' fails). Returns the plan's path."""
    for letter in with_weights:
        tiny_model_with_weights(folder / "models" / letter)
    models = ", ".join(f'{{ id = "example-org/tiny-{n}", path = "models/{n}", class = "A" }}' for n in with_weights)
    text = f"""
[campaign]
name = "{name}"
out = "out"
store = "store"
cpu_only = true

[limits]
time_per_job_min = 10
retries = 1

[attest]
contact = "maintainers@example.org"
measured_by = "maintainer"
attestations = {ATTESTATIONS}

[slurm]
throttle = {throttle}
cpus_per_task = 1
mem = "2G"
"""
    if with_weights:
        text += f'\n[[matrix]]\nmodels = [{models}]\ntasks = ["text_generation"]\n{TINY_RUN}\n'
    for model, task in no_weights:
        text += f'\n[[matrix]]\nmodels = ["{model}"]\ntasks = ["{task}"]\nno_weights = true\n{TINY_RUN}\n'
    plan = folder / "plan.toml"
    plan.write_text(text)
    return plan

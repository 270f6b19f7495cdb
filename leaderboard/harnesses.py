"""Harnesses: the code that measured a result, and which harness each published round used.

A harness is part of every result, beside task, class, round and board (SPEC §4): the same model
on the same GPU reads several times more energy under one harness than under another (the official
v2 harness's per-prompt loop at batch 1 keeps the GPU idling between steps), so results of
different harnesses are never rated together. The id is what the results dataset stores in its
``harness`` column and what rating groups compare; the version a run records is kept beside it
(``harness_version``) for people, not for grouping.

Which harness each published round used, and how we know, is in ``leaderboard.tasks.ROUNDS``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Harness:
    """One way of measuring: ``id`` (stored, compared), ``name`` (shown), ``short`` (on a label) and what it is."""

    id: str
    name: str
    description: str
    short: str = ""


ENERGY_STAR = "optimum-benchmark/energy_star"
ENERGY_STAR_DEV = "optimum-benchmark/energy_star_dev"
AIEB_PYTORCH = "ai_energy_benchmarks/pytorch"
AIEB_VLLM = "ai_energy_benchmarks/vllm"
RUNNER_GENERATE = "runner/generate"
RUNNER_GRAPH = "runner/graph"
# Rows of a dataset that does not say which code measured them and whose round names none.
UNRECORDED = "unrecorded"

HARNESSES: tuple[Harness, ...] = (
    Harness(
        ENERGY_STAR_DEV,
        "optimum-benchmark energy_star_dev",
        "optimum-benchmark's energy_star_dev scenario: preprocess, prefill and decode each measured "
        "10 times over the task's queries with CodeCarbon; produced the February 2025 round.",
        "optimum energy_star_dev",
    ),
    Harness(
        ENERGY_STAR,
        "optimum-benchmark energy_star",
        "optimum-benchmark's energy_star scenario (the 2025 Docker image): one measured pass per phase.",
        "optimum energy_star",
    ),
    Harness(
        AIEB_PYTORCH,
        "ai_energy_benchmarks (PyTorch)",
        "The AIEnergyScore v2 runner: ai_energy_benchmarks' PyTorch backend generates for one prompt at a "
        "time inside one CodeCarbon window over all prompts; produced the December 2025 round.",
        "v2 harness, PyTorch",
    ),
    Harness(
        AIEB_VLLM,
        "ai_energy_benchmarks (vLLM)",
        "The AIEnergyScore v2 runner against a vLLM server: one CodeCarbon window over all prompts, sent "
        "one at a time over HTTP.",
        "v2 harness, vLLM",
    ),
    Harness(
        RUNNER_GENERATE,
        "AI Energy Score runner (generate)",
        "This project's runner: NVML energy counter at window edges, per phase, transformers' generate loop.",
        "runner, generate",
    ),
    Harness(
        RUNNER_GRAPH,
        "AI Energy Score runner (CUDA-graph decode)",
        "This project's runner with its decode step captured as a CUDA graph (static KV cache): the host "
        "never waits inside a query.",
        "runner, CUDA graph",
    ),
    Harness(
        UNRECORDED, "harness not recorded", "The dataset row does not say which code measured it.", "harness unrecorded"
    ),
)
HARNESSES_BY_ID: dict[str, Harness] = {h.id: h for h in HARNESSES}


def harness_name(harness_id: str | None) -> str:
    """The name people read for a harness id ('ai_energy_benchmarks (PyTorch)'); unknown ids as given."""
    if not harness_id:
        return HARNESSES_BY_ID[UNRECORDED].name
    known = HARNESSES_BY_ID.get(harness_id)
    return known.name if known else harness_id


def harness_short_name(harness_id: str | None) -> str:
    """The few words a label has room for ('runner, CUDA graph'); unknown ids as given."""
    known = HARNESSES_BY_ID.get(harness_id or UNRECORDED)
    return known.short if known else str(harness_id)


def runner_harness(decode_mode: str | None) -> str:
    """This project's runner, by the decode mode it recorded (no mode: the generate loop)."""
    return RUNNER_GRAPH if decode_mode == "graph" else RUNNER_GENERATE

"""Command line of the benchmark runner.

    python -m runner check-env
    python -m runner run --task T --model M [--no-weights] [--num-samples N] [--repeats R]
                         [--out DIR] [--zip] [--offline] [--min-window-s S] [--reference codecarbon]
    python -m runner run --harness aies-v2 --task text_generation --model M [--no-weights] [--num-samples N]
                         [--dataset-path DIR] [--out DIR] [--zip]
    python -m runner campaign plan|submit|status|resume|collect PLAN    (runner/campaign: many runs on Slurm)

``--model`` is a Hub id, a local folder, or one of the shipped architecture configs (with
--no-weights): see ``runner/configs/``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from leaderboard.errors import MeterError, RunnerError, WorkloadError
from leaderboard.gates import MIN_STEADY_S
from leaderboard.hardware import OFFICIAL_HARDWARE, hardware_matches
from leaderboard.runsummary import (
    Inputs,
    RunSettings,
)
from leaderboard.tasks import REASONING_EFFORTS, TASK_IDS, Task, get_task
from runner.gates import SETTLE_MAX_S
from runner.meter import EnergyMeter, NvmlMeter, idle_power_w
from runner.workloads import DECODE_MODES, recorded_model, shipped_config, shipped_configs


def check_env(args: argparse.Namespace) -> int:
    try:
        meter = NvmlMeter()
    except MeterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    gpu = meter.describe()
    import pynvml

    print(f"driver: {gpu.driver}")
    for i, handle in enumerate(meter.handles):
        name = pynvml.nvmlDeviceGetName(handle)
        memory = pynvml.nvmlDeviceGetMemoryInfo(handle).total / 2**30
        print(f"GPU {i}: {name}, {memory:.0f} GiB")
    first = meter.read_mj()
    time.sleep(1.0)
    delta = meter.read_mj()[0] - first[0]
    print(f"energy counter: {'works' if delta > 0 else 'NOT ADVANCING'} ({delta} mJ in 1 s)")
    if delta <= 0:
        return 2
    print(f"idle power: {idle_power_w(meter, args.idle_s):.1f} W over {args.idle_s:.0f} s")
    if hardware_matches(OFFICIAL_HARDWARE, gpu.name):
        print(f"hardware: matches the official board ({OFFICIAL_HARDWARE})")
    else:
        print(
            f"warning: {gpu.name} is not the official board's {OFFICIAL_HARDWARE}: results are rated on a "
            "board of their own for this hardware."
        )
    return 0


def device_and_meter(args: argparse.Namespace) -> tuple[bool, EnergyMeter]:
    """Whether the run uses CUDA, and the meter that reads it: NVML on ``--gpus`` GPUs, or the fake
    meter of CPU test runs (``--cpu --fake-meter``)."""
    import torch

    cuda = torch.cuda.is_available() and not args.cpu
    if not cuda and not args.fake_meter:
        raise MeterError(
            "No CUDA GPU visible to PyTorch. The runner measures NVIDIA GPUs; --cpu --fake-meter exists for tests only."
        )
    if args.fake_meter:
        from runner.meter import CountingFakeMeter

        return cuda, CountingFakeMeter()
    return cuda, nvml_meter(args.gpus)


def nvml_meter(gpus: int) -> NvmlMeter:
    """The NVML meter of the first ``gpus`` GPUs PyTorch sees, matched by UUID, checked before the run: no
    other process may hold one (checked before this process opens its own context), and the counter must
    advance at a power a GPU draws."""
    from runner.meter import torch_uuids

    meter = NvmlMeter(range(gpus))  # through CUDA_VISIBLE_DEVICES: NVML only, no CUDA context yet
    meter.refuse_co_tenants()
    uuids = torch_uuids()
    if uuids is not None and tuple(uuids[:gpus]) != meter.uuids:
        # PyTorch orders GPUs fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID: its UUIDs decide.
        meter = NvmlMeter(range(gpus), uuids=uuids)
    meter.validate_counter()
    return meter


def run(args: argparse.Namespace) -> int:
    if args.harness == "aies-v2":
        return run_v2(args)
    import torch

    from runner.inputs import load_sample
    from runner.output import write_run, zip_run
    from runner.protocol import codecarbon_reference, run_protocol
    from runner.workloads import Workload, load_model, parameter_count, prepare_generation

    task = get_task(args.task)
    validate_run_args(args)
    cuda, meter = device_and_meter(args)
    device = "cuda" if cuda else "cpu"
    half = task.protocol.precision == "BF16"
    dtype = (torch.bfloat16 if half else torch.float32) if cuda else torch.float32
    gpu = meter.describe()

    def progress(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    progress(f"loading {args.model} ({'random weights' if args.no_weights else 'weights'}) on {device}")
    model = load_model(args.task, args.model, no_weights=args.no_weights, dtype=dtype, device=device, gpus=args.gpus)
    # Random weights never stop on their own; real weights of a reasoning model stop at their EOS
    # within the budget (the protocol does not force the length of reasoning).
    forced = not (args.task == "reasoning" and not args.no_weights and args.new_tokens is None)
    if task.generative and forced:
        prepare_generation(model)
    config = model.text_encoder.config if args.task == "image_generation" else model.config
    vocab = getattr(config, "vocab_size", 1000)
    max_tokens = int(getattr(config, "max_position_embeddings", 0) or getattr(config, "n_positions", 0) or 1024)
    sample = load_sample(
        args.task,
        args.num_samples,
        args.model,
        offline=args.offline,
        vocab_size=vocab,
        max_tokens=min(max_tokens, 4096) - 16,
        dataset_path=args.dataset_path,
        reasoning_effort=args.effort,
    )
    progress(f"inputs: {sample.description}")
    new_tokens = new_tokens_for(task, args) if task.generative else None
    queries = batched(sample.queries, args.batch_size)
    workload = Workload(
        args.task,
        model,
        device,
        new_tokens or 0,
        forced=forced,
        decode_mode=args.decode_mode,
        inference_steps=task.protocol.inference_steps or 0,
        images_per_prompt=task.protocol.images_per_prompt or 1,
        batch_size=args.batch_size,
    )
    settings = RunSettings(
        batch_size=args.batch_size,
        new_tokens=new_tokens,
        decode_mode=args.decode_mode if task.generative else None,
        reasoning_effort=args.effort,
        chat_template=sample.chat_template,
        inference_steps=task.protocol.inference_steps,
        images_per_prompt=task.protocol.images_per_prompt,
    )
    reference = codecarbon_reference(progress) if args.reference == "codecarbon" else None

    def sync() -> None:
        # Every measured GPU must be idle at a window edge, not only the current one.
        for index in range(args.gpus if cuda else 0):
            torch.cuda.synchronize(index)

    record = run_protocol(
        workload,
        queries,
        meter,
        repeats=args.repeats,
        min_window_s=args.min_window_s,
        sync=sync,
        idle_s=args.idle_s,
        reference=reference,
        progress=progress,
        probe=meter.probe() if isinstance(meter, NvmlMeter) else None,
        power_limit_w=sum(w for w in gpu.power_limit_w if w is not None) or None,
        own_processes=args.gpus,
        settle_max_s=args.settle_max_s if isinstance(meter, NvmlMeter) else 0.0,  # a fake meter has no heat
        uuids=meter.uuids if isinstance(meter, NvmlMeter) else (),
    )
    if reference is not None:
        reference.close()
    import platform

    import transformers

    software = {
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        **_diffusers_version(args.task),
        "runner_version": __import__("runner").__version__,
        "python": platform.python_version(),
    }
    inputs = Inputs(sample.source, sample.description, sample.mean_input_tokens)
    out = Path(args.out or f"runs/{args.task}-{Path(args.model).name}-{time.strftime('%Y%m%d-%H%M%S')}")
    summary = write_run(
        out,
        model=recorded_model(args.model),
        architecture_config=args.model if shipped_config(args.model) is not None else None,
        no_weights=args.no_weights,
        parameters=parameter_count(model),
        dtype=str(dtype).replace("torch.", ""),
        num_queries=args.num_samples,
        repeats=args.repeats,
        new_tokens=new_tokens,
        gpu=gpu,
        record=record,
        inputs=inputs,
        software=software,
        settings=settings,
    )
    print(
        f"\n{args.task} · {args.model} · {gpu.count} x {gpu.name} · {args.num_samples} queries x "
        f"{args.repeats} repeats · inputs: {sample.source}"
    )
    print(f"{'phase':<11}{'Wh/1k queries':>15}{'95% CI':>11}{'CV':>8}{'pass s':>9}{'window s':>10}")
    for name, p in summary.phases.items():
        print(
            f"{name:<11}{p.gpu_energy_wh_per_1k:>15,.3f}{_fmt(p.ci95_wh_per_1k, '11,.3f')}{_pct(p.cv)}"
            f"{p.duration_s or 0:>9.2f}{min(p.window_s):>10.1f}"
        )
    print(
        f"{'total':<11}{summary.total_gpu_energy_wh_per_1k:>15,.3f}{_fmt(summary.total_ci95_wh_per_1k, '11,.3f')}"
        f"{_pct(summary.total_cv)}"
    )
    share = summary.overhead.share_of_run if summary.overhead else 0.0
    print(
        f"idle power {record.idle_power_w_before:.1f} W before, {record.idle_power_w_after:.1f} W after; "
        f"meter overhead {share * 100:.3f}% of {record.wall_s:.0f} s"
    )
    gates = record.gates
    print(f"validity gates: {gates.verdict}" + (f" ({', '.join(gates.reasons)})" if gates.reasons else ""))
    for s in gates.settling:
        print(
            f"settling {s.phase}: {s.seconds:.1f} s in {s.windows} windows, {'steady' if s.settled else 'NOT steady'}"
        )
    print(f"wrote {out}")
    if args.zip:
        print(f"wrote {zip_run(out)}")
    return 0


def run_v2(args: argparse.Namespace) -> int:
    """The official v2 harness itself (``runner.official``), with this project's NVML reading beside it."""
    import torch

    from runner.inputs import offline_sample
    from runner.official import run_official, save_word_tokenizer, word_tokenizer_texts, write_prompts

    for flag, default in (("repeats", 3), ("batch_size", 1), ("decode_mode", "generate"), ("new_tokens", None)):
        if getattr(args, flag) != default:
            raise WorkloadError(f"--{flag.replace('_', '-')} is not a setting of the v2 harness: it runs its own loop.")
    cuda, meter = device_and_meter(args)
    out = Path(args.out or f"runs/{args.task}-{Path(args.model).name}-aies-v2-{time.strftime('%Y%m%d-%H%M%S')}")
    if out.exists() and any(out.iterdir()):
        raise WorkloadError(f"{out} is not empty: the v2 harness appends to files in its folder. Give a new --out.")
    work = out.parent / f"{out.name}.inputs"  # the model and prompts the harness reads, beside the run folder
    model_dir = Path(args.model)
    if not model_dir.is_dir():
        if shipped_config(args.model) is None or not args.no_weights:
            raise WorkloadError(
                f"{args.model!r}: the v2 harness loads a model folder; give a local folder, or a shipped config "
                f"with --no-weights ({', '.join(shipped_configs())})."
            )
        from runner.workloads import load_model

        dtype = torch.bfloat16 if cuda else torch.float32
        model = load_model(args.task, args.model, no_weights=True, dtype=dtype, device="cpu")
        model_dir = work / "model"
        model.save_pretrained(model_dir)
        save_word_tokenizer(model_dir, int(model.config.vocab_size))
        del model
    if args.dataset_path:
        dataset_dir = Path(args.dataset_path)
    else:
        from transformers import AutoConfig

        config = AutoConfig.from_pretrained(model_dir)
        limit = int(getattr(config, "max_position_embeddings", 0) or getattr(config, "n_positions", 0) or 1024)
        sample = offline_sample(args.task, args.num_samples, vocab_size=int(config.vocab_size), max_tokens=limit - 16)
        dataset_dir = write_prompts(work / "prompts", word_tokenizer_texts(sample.queries), "text")
        print(f"inputs: {sample.description}, as words of the model folder's word-level tokenizer", file=sys.stderr)
    results = run_official(
        task_id=args.task,
        model_dir=model_dir,
        dataset_dir=dataset_dir,
        num_samples=args.num_samples,
        device="cuda" if cuda else "cpu",
        device_ids=list(range(args.gpus)),
        out=out,
        meter=meter,
        meter_kind="fake" if args.fake_meter else "nvml",
        make_zip=args.zip,
    )
    energy, summary = results.get("energy", {}), results.get("summary", {})
    print(
        f"\n{args.task} · {args.model} · v2 harness · {summary.get('total_prompts')} prompts · "
        f"{summary.get('total_duration_seconds', 0):.1f} s"
    )
    wh = float(energy.get("gpu_energy_wh", 0.0))
    print(f"GPU energy (CodeCarbon): {wh:.4f} Wh = {wh * 1000 / max(args.num_samples, 1):.3f} Wh per 1,000 queries")
    print(f"wrote {out}" + (f" and {out.with_suffix('.zip')}" if args.zip else ""))
    return 0


def validate_run_args(args: argparse.Namespace) -> None:
    """Refuse combinations the protocol cannot run, naming the flag."""
    task = get_task(args.task)
    if args.batch_size != 1 and args.task != "text_generation":
        raise WorkloadError("--batch-size above 1 is an operating point for text generation only.")
    if args.decode_mode == "graph" and (args.batch_size != 1 or args.gpus != 1 or not task.generative):
        raise WorkloadError("--decode-mode graph runs generative tasks at batch size 1 on one GPU.")
    if args.effort and args.task != "reasoning":
        raise WorkloadError("--effort is for the reasoning task.")
    if args.new_tokens is not None and not task.generative:
        raise WorkloadError(f"--new-tokens is for generative tasks, not {task.display_name}.")


def new_tokens_for(task: Task, args: argparse.Namespace) -> int:
    """The new tokens per query: --new-tokens, else the protocol's forced count, else its budget."""
    if args.new_tokens is not None:
        return int(args.new_tokens)
    return task.protocol.new_tokens or task.protocol.max_new_tokens or 10


def batched(queries: list[Any], batch_size: int) -> list[Any]:
    """Token-id queries grouped into batches of ``batch_size`` (the last may be smaller)."""
    if batch_size == 1:
        return queries
    return [("batch", queries[i : i + batch_size]) for i in range(0, len(queries), batch_size)]


def _diffusers_version(task_id: str) -> dict[str, str]:
    if task_id != "image_generation":
        return {}
    import diffusers

    return {"diffusers_version": diffusers.__version__}


def _fmt(value: float | None, spec: str) -> str:
    width = int(spec.split(",")[0].split(".")[0] or 0)
    return f"{value:{spec}}" if value is not None and value == value else f"{'-':>{width}}"


def _pct(value: float | None) -> str:
    return f"{value * 100:>7.2f}%" if value is not None and value == value else f"{'-':>8}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["campaign"]:
        from runner.campaign.cli import main as campaign_main

        return campaign_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m runner", description="Measure GPU energy per 1,000 queries.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "campaign",
        help="Many runs from one plan on Slurm or here: campaign plan|submit|status|resume|collect PLAN (--help).",
        add_help=False,
    )
    env = sub.add_parser("check-env", help="GPUs, energy counter, idle power, hardware vs the official board.")
    env.add_argument("--idle-s", type=float, default=5.0)
    r = sub.add_parser("run", help="Run the benchmark protocol and write the run folder.")
    r.add_argument("--task", required=True, choices=TASK_IDS)
    r.add_argument(
        "--harness",
        choices=("runner", "aies-v2"),
        default="runner",
        help="runner: this project's protocol (default); aies-v2: the official v2 harness (ai_energy_benchmarks) "
        "itself, with this project's NVML reading of the same window beside it.",
    )
    r.add_argument(
        "--model", required=True, help=f"Hub id, local folder, or shipped config: {', '.join(shipped_configs())}"
    )
    r.add_argument("--no-weights", action="store_true", help="Random weights from the architecture config.")
    r.add_argument("--num-samples", type=int, default=1000, help="Queries per pass (default 1,000).")
    r.add_argument("--repeats", type=int, default=3, help="Measured repeats of each phase (default 3).")
    r.add_argument(
        "--new-tokens",
        type=int,
        help="Generated tokens per query, forced (default: the protocol's: 10; reasoning: a budget of 8,192).",
    )
    r.add_argument("--effort", choices=REASONING_EFFORTS, help="Reasoning effort (reasoning task).")
    r.add_argument(
        "--decode-mode",
        choices=DECODE_MODES,
        default="generate",
        help="generate: the library's loop; graph: static KV cache, one CUDA graph per token (batch 1, one GPU).",
    )
    r.add_argument("--batch-size", type=int, default=1, help="Queries per call (text generation; protocol: 1).")
    r.add_argument("--gpus", type=int, default=1, help="GPUs to shard the model over and measure (class C).")
    r.add_argument(
        "--min-window-s",
        type=float,
        default=MIN_STEADY_S,
        help=f"Shortest measured window (default {MIN_STEADY_S:g} s, the steady state the validity gates ask for).",
    )
    r.add_argument(
        "--settle-max-s",
        type=float,
        default=SETTLE_MAX_S,
        help=f"Before each phase's repeats, run it until its power is steady, at most this long (default "
        f"{SETTLE_MAX_S:g} s; 0: no wait).",
    )
    r.add_argument("--idle-s", type=float, default=5.0, help="Seconds of idle power before and after.")
    r.add_argument("--offline", action="store_true", help="Use the shipped offline sample, not the Hub datasets.")
    r.add_argument("--dataset-path", help="A local copy of the task's dataset, used instead of the Hub.")
    r.add_argument("--reference", choices=("codecarbon",), help="Also measure with CodeCarbon's tracker.")
    r.add_argument("--out", help="Output folder (default runs/<task>-<model>-<time>).")
    r.add_argument("--zip", action="store_true", help="Also write <out>.zip for the submission portal.")
    r.add_argument("--cpu", action="store_true", help=argparse.SUPPRESS)
    r.add_argument("--fake-meter", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for flag in ("num_samples", "repeats", "batch_size", "gpus", "new_tokens"):
        value = getattr(args, flag, None)
        if value is not None and value <= 0:
            parser.error(f"--{flag.replace('_', '-')} must be above 0")
    try:
        return check_env(args) if args.command == "check-env" else run(args)
    except RunnerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

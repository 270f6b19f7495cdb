"""Where the official v2 harness's time per query goes, on a GPU.

Usage there: ``python3 bench/gpu/profile_official.py MODEL_DIR PROMPTS_JSONL [N]`` — the model folder
and prompts an official run of ``python -m runner run --harness aies-v2 --no-weights`` left beside its
run folder (``bench/gpu/harnesses.sh`` keeps them). Loads the model through the harness's own
``PyTorchBackend`` (as its runner does) and times, per prompt, with the GPU synchronised at every edge:

* ``harness``: the backend's ``run_inference`` as the harness calls it (10 new tokens, T = 0.7);
* its parts, done by hand: tokenize, ``generate`` with the harness's sampling arguments, ``generate``
  greedy, ``generate`` with the model's device hooks removed, ``decode``;
* a plain loop of ``model(...)`` calls with a KV cache (prefill + 9 decode steps, greedy): the work
  the GPU must do for one query, with no ``generate`` around it;
* ``torch.profiler`` over a few harness calls: CPU time per operator and how long the GPU was busy.

Prints one table and writes ``profile.json`` to ``$OUT`` (or the current folder).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def main() -> int:
    import torch
    from ai_energy_benchmarks.backends.pytorch import PyTorchBackend

    model_dir, prompts_file = sys.argv[1], Path(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    prompts = [json.loads(line)["text"] for line in prompts_file.read_text().splitlines()[:n]]
    device = "cuda" if torch.cuda.is_available() else "cpu"  # cpu: a smoke test of this script only
    backend = PyTorchBackend(model=model_dir, device=device, device_ids=[0])
    backend._initialize_model()
    model, tok = backend.model, backend.tokenizer
    hooks = sum(1 for m in model.modules() if hasattr(m, "_hf_hook"))
    facts: dict[str, Any] = {
        "model": type(model).__name__,
        "dtype": str(model.dtype),
        "device_map": getattr(model, "hf_device_map", None),
        "modules_with_device_hooks": hooks,
        "attn_implementation": getattr(model.config, "_attn_implementation", None),
        "generation_config": model.generation_config.to_diff_dict(),
        "torch": torch.__version__,
    }
    print(json.dumps(facts, indent=1, default=str))
    sample_kwargs = {"max_new_tokens": 10, "temperature": 0.7, "top_p": 0.9, "top_k": 50, "do_sample": True}
    greedy_kwargs = {"max_new_tokens": 10, "do_sample": False}
    pad = {"pad_token_id": tok.pad_token_id}

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
        sync()
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        sync()
        return time.perf_counter() - start, result

    def manual_loop(ids: Any) -> int:
        """Prefill and 9 greedy decode steps with the model's cache, no generate()."""
        with torch.no_grad():
            out = model(input_ids=ids, use_cache=True)
            cache, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
            for _ in range(9):
                out = model(input_ids=nxt, past_key_values=cache, use_cache=True)
                cache, nxt = out.past_key_values, out.logits[:, -1:].argmax(-1)
        return 10

    # Warm-up: the first call pays CUDA context, kernels' first loads and caches.
    for p in prompts[:3]:
        backend.run_inference(p, max_tokens=10, temperature=0.7)
    rows: dict[str, list[float]] = {
        k: [] for k in ("harness", "tokenize", "generate_sampling", "generate_greedy", "manual_loop", "decode")
    }
    new_tokens: list[int] = []
    lengths: list[int] = []
    for p in prompts:
        t, result = timed(backend.run_inference, p, max_tokens=10, temperature=0.7)
        rows["harness"].append(t)
        new_tokens.append(int(result.get("completion_tokens", -1)))
        t, enc = timed(tok, p, return_tensors="pt", padding=True, truncation=True)
        rows["tokenize"].append(t)
        inputs = {k: v.to(device) for k, v in enc.items() if k != "token_type_ids"}
        lengths.append(int(inputs["input_ids"].shape[1]))
        with torch.no_grad():
            t, out = timed(model.generate, **inputs, **sample_kwargs, **pad)
            rows["generate_sampling"].append(t)
            t, _ = timed(model.generate, **inputs, **greedy_kwargs, **pad)
            rows["generate_greedy"].append(t)
        t, _ = timed(manual_loop, inputs["input_ids"])
        rows["manual_loop"].append(t)
        t, _ = timed(tok.decode, out[0], skip_special_tokens=True)
        rows["decode"].append(t)

    # The same generate with accelerate's per-module hooks removed (what device_map="auto" adds).
    no_hooks: list[float] = []
    if hooks:
        from accelerate.hooks import remove_hook_from_module

        remove_hook_from_module(model, recurse=True)
        for p in prompts:
            enc = tok(p, return_tensors="pt")
            inputs = {k: v.to(device) for k, v in enc.items() if k != "token_type_ids"}
            with torch.no_grad():
                t, _ = timed(model.generate, **inputs, **sample_kwargs, **pad)
            no_hooks.append(t)
        rows["generate_sampling_no_hooks"] = no_hooks

    # torch.profiler over five harness calls: CPU operators and GPU busy time.
    from torch.profiler import ProfilerActivity, profile

    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        start = time.perf_counter()
        for p in prompts[:5]:
            backend.run_inference(p, max_tokens=10, temperature=0.7)
        sync()
        wall = time.perf_counter() - start
    events = prof.key_averages()
    gpu_us = sum(max(0.0, getattr(e, "self_device_time_total", 0.0)) for e in events)
    table = events.table(sort_by="self_cpu_time_total", row_limit=25)
    print(table)
    print(f"profiler: 5 harness calls in {wall:.3f} s wall; GPU kernels busy {gpu_us / 1e6:.3f} s")

    def med(xs: list[float]) -> float:
        return statistics.median(xs) if xs else float("nan")

    print(f"\n{n} prompts, {statistics.mean(lengths):.0f} tokens on average, new tokens {sorted(set(new_tokens))}")
    print(f"{'part':28} {'median s':>9} {'min s':>8} {'max s':>8}")
    for name, xs in rows.items():
        if xs:
            print(f"{name:28} {med(xs):9.4f} {min(xs):8.4f} {max(xs):8.4f}")
    out_dir = Path(os.environ.get("OUT", "."))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "profile.json").write_text(
        json.dumps(
            {
                "facts": facts,
                "prompt_tokens": lengths,
                "new_tokens": new_tokens,
                "seconds": rows,
                "profiler": {"calls": 5, "wall_s": wall, "gpu_busy_s": gpu_us / 1e6, "table": table},
            },
            indent=1,
            default=str,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

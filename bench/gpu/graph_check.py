"""On a GPU: does the CUDA-graph decode loop produce the same tokens as the same loop run eagerly
and as the library's generate, and how long does one query take in each? (random weights, BF16)

    python3 bench/gpu/graph_check.py [--configs gpt2 llama-1b] [--queries 20] [--new-tokens 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    import torch

    from runner.decode import StaticDecoder
    from runner.inputs import offline_sample
    from runner.workloads import load_model, prepare_generation

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", nargs="+", default=["gpt2", "llama-1b"])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--new-tokens", type=int, default=10)
    args = parser.parse_args()
    print(
        f"{'config':<10}{'graph = eager loop':>20}{'graph = generate':>18}{'ms/query graph':>16}"
        f"{'eager loop':>12}{'generate':>10}"
    )
    for name in args.configs:
        model = load_model("text_generation", name, no_weights=True, dtype=torch.bfloat16, device="cuda")
        prepare_generation(model)
        sample = offline_sample("text_generation", args.queries, vocab_size=model.config.vocab_size, max_tokens=1000)
        prompts = [torch.tensor([q], device="cuda") for q in sample.queries]
        longest = max(p.shape[1] for p in prompts)
        graph = StaticDecoder(model, longest + args.new_tokens + 1, "cuda")
        eager = StaticDecoder(model, longest + args.new_tokens + 1, "cuda")
        same_eager = same_generate = 0
        times: dict[str, list[float]] = {"graph": [], "eager": [], "generate": []}
        with torch.inference_mode():
            graph.capture(prompts[0])
            for p in prompts:
                ref = model.generate(
                    input_ids=p,
                    attention_mask=torch.ones_like(p),
                    min_new_tokens=args.new_tokens,
                    max_new_tokens=args.new_tokens,
                    do_sample=False,
                    pad_token_id=0,
                )
                ref_tokens = ref[0, p.shape[1] :].tolist()
                g = [int(t) for t in graph.generate(p, args.new_tokens)]
                e = [int(t) for t in eager.generate(p, args.new_tokens)]
                same_eager += g == e
                same_generate += g == ref_tokens
            runners = {
                "graph": lambda p, d=graph: d.run(p, args.new_tokens),
                "eager": lambda p, d=eager: d.run(p, args.new_tokens),
                "generate": lambda p, m=model: m.generate(
                    input_ids=p,
                    attention_mask=torch.ones_like(p),
                    min_new_tokens=args.new_tokens,
                    max_new_tokens=args.new_tokens,
                    do_sample=False,
                    pad_token_id=0,
                ),
            }
            for label, fn in runners.items():
                for p in prompts:
                    torch.cuda.synchronize()
                    t0 = time.perf_counter()
                    fn(p)
                    torch.cuda.synchronize()
                    times[label].append((time.perf_counter() - t0) * 1000)
        n = len(prompts)
        print(
            f"{name:<10}{f'{same_eager}/{n}':>20}{f'{same_generate}/{n}':>18}"
            f"{statistics.median(times['graph']):>16.2f}{statistics.median(times['eager']):>12.2f}"
            f"{statistics.median(times['generate']):>10.2f}"
        )
        torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A decode loop that does not wait on the host: greedy generation of exactly N new tokens at batch 1
with a static KV cache, each decode step one CUDA graph replay.

Why: at batch 1 the library's ``generate`` is host-bound on small and mid-size models (the GPU
waits for Python between kernels), so its energy follows the host's speed and varies from machine
to machine. Here the decode step (forward of one token, greedy choice on the GPU, position + 1) is
captured once per model as a CUDA graph and replayed, so the host launches one graph per token and
never synchronises inside a query. The work per query is the same as ``generate`` with
``min_new_tokens == max_new_tokens``: the prompt's prefill, then exactly N - 1 single-token steps.

On a machine without CUDA the same loop runs eagerly (tests compare its tokens with ``generate``).
"""

from __future__ import annotations

import inspect
from typing import Any


class StaticDecoder:
    """Greedy decoding with a static KV cache of ``max_len`` positions; ``capture`` records the
    decode step as a CUDA graph (CUDA only)."""

    def __init__(self, model: Any, max_len: int, device: str) -> None:
        import torch
        from transformers import StaticCache

        self.model, self.device = model, device
        self.cache = StaticCache(config=model.config, max_cache_len=max_len)
        # Newer transformers name the cache argument `cache`; older ones `past_key_values`.
        self.cache_arg = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
        self.tok = torch.zeros((1, 1), dtype=torch.long, device=device)
        self.pos = torch.zeros((1,), dtype=torch.long, device=device)
        self.graph: Any = None

    def _forward(self, input_ids: Any, cache_position: Any) -> Any:
        out = self.model(
            input_ids=input_ids, cache_position=cache_position, use_cache=True, **{self.cache_arg: self.cache}
        )
        return out.logits[:, -1:, :].argmax(-1)

    def _step(self) -> None:
        """One decode step on device tensors only: next token and position, no host sync."""
        self.tok.copy_(self._forward(self.tok, self.pos))
        self.pos.add_(1)

    def prefill(self, input_ids: Any) -> Any:
        """Fill the cache with the prompt and choose the first new token; returns it (on device)."""
        import torch

        self.cache.reset()
        n = int(input_ids.shape[1])
        self.tok.copy_(self._forward(input_ids, torch.arange(n, device=self.device)))
        self.pos.fill_(n)
        return self.tok

    def generate(self, input_ids: Any, new_tokens: int) -> list[Any]:
        """Exactly ``new_tokens`` new tokens (the first from the prefill); returns them as device tensors."""
        tokens = [self.prefill(input_ids).clone()]
        for _ in range(new_tokens - 1):
            if self.graph is not None:
                self.graph.replay()
            else:
                self._step()
            tokens.append(self.tok.clone())
        return tokens

    def run(self, input_ids: Any, new_tokens: int) -> None:
        """As ``generate`` without keeping the tokens (what is measured)."""
        self.prefill(input_ids)
        for _ in range(new_tokens - 1):
            if self.graph is not None:
                self.graph.replay()
            else:
                self._step()

    def capture(self, sample_ids: Any) -> None:
        """Record the decode step as a CUDA graph (after warm-up steps on a side stream)."""
        import torch

        self.prefill(sample_ids)
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(3):
                self._step()
        torch.cuda.current_stream().wait_stream(stream)
        self.prefill(sample_ids)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            self._step()
        self.graph = graph

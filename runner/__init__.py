"""Benchmark runner: GPU energy per 1,000 queries of a model on a task, measured on NVIDIA GPUs.

Heavy dependencies (torch, transformers, nvidia-ml-py, datasets) are imported only inside the
functions that need them; the leaderboard app never imports this package.
"""

__version__ = "0.1.0"

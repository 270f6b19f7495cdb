"""GPU names: the official board, board power limits, and matching a claimed board to a logged one."""

from __future__ import annotations

import re

# The hardware of every published result, and the board that runs join by default (SPEC §5).
OFFICIAL_HARDWARE = "NVIDIA H100 80GB"

# Board power limits (W) of common data-centre GPUs, by model key; others get GENERIC_MAX_POWER_W.
GPU_MAX_POWER_W: dict[str, float] = {
    "H100": 700.0,
    "H200": 700.0,
    "A100": 400.0,
    "L40S": 350.0,
    "L4": 72.0,
    "A10": 150.0,
    "B200": 1000.0,
    "GH200": 1000.0,
    "MI300X": 750.0,
}
GENERIC_MAX_POWER_W = 1_000.0


def _compact(name: str) -> str:
    return name.upper().replace(" ", "").replace("-", "")


def gpu_key(name: str) -> str | None:
    """The model key of a GPU name ('NVIDIA H100 80GB HBM3' -> 'H100'), or None if unknown."""
    compact = _compact(name)
    for key in sorted(GPU_MAX_POWER_W, key=len, reverse=True):
        if key in compact:
            return key
    return None


def max_power_w(name: str) -> float:
    """The board power limit of this GPU (W), or the generic ceiling for an unknown board."""
    return GPU_MAX_POWER_W.get(gpu_key(name) or "", GENERIC_MAX_POWER_W)


def hardware_matches(claimed: str, logged: str) -> bool:
    """'NVIDIA H100 80GB' matches 'NVIDIA H100 80GB HBM3'; memory size must agree when both give it."""
    c, g = _compact(claimed), _compact(logged)
    ck, gk = gpu_key(claimed), gpu_key(logged)
    if ck is None or gk is None:
        return c in g or g in c
    if ck != gk:
        return False
    cm, gm = re.search(r"(\d+)GB", c), re.search(r"(\d+)GB", g)
    return not (cm and gm and cm.group(1) != gm.group(1))

"""What a GPU board's own records must look like: its memory as NVML reports it, and its idle power.

Beside ``leaderboard.hardware`` (names, aliases and power limits): a run's files record the GPU's
total memory (the v2 harness's ``gpu_stats → memory_total_mb``, the runner's ``gpu → memory_bytes``),
its power limit (the runner's ``gpu → power_limit_w``) and, for this project's runner, its idle power.
A GPU whose name is one board's but whose memory is another's, or whose idle power no such board
draws, is not that board (or the figures were scaled with the idle power to keep the rules).

Memory: each board's sizes are ``hardware.BOARDS``' (``Board.memory_gib``), judged by
``hardware.memory_fits`` (NVML reports about that many GiB less ECC and reserved memory: 'H100 80GB
HBM3' 81,559 MiB, 'H200' 143,771 MiB, 'L4' 23,034 MiB; within ``hardware.MEMORY_SHARE_RANGE``).

Idle power (W per GPU, nothing running): measured here for the H200 (SPEC §8: 115–125 W; the 30 runs
under ``bench/gpu/results/``: 118–135 W before and after each run), given a margin; for other
boards, no measurement is in the repository, so the range is a share of the board's power limit
(``GENERIC_IDLE_SHARE``: 3% to 30%, wide enough for every board in the table, from an A10G's ~15 W
of 300 W to an L4's ~16 W of 72 W).
"""

from __future__ import annotations

from leaderboard.hardware import board_of, max_power_w, memory_fits

GENERIC_IDLE_SHARE = (0.03, 0.30)
MIB_PER_GIB = 1024.0

# Measured idle power per GPU (W), where the repository holds measurements (see the docstring).
IDLE_W: dict[str, tuple[float, float]] = {
    "NVIDIA H200": (105.0, 150.0),
}


def memory_problem(gpu_name: str, memory_mib: float) -> str | None:
    """Why a recorded total memory (MiB) is not the named board's (``hardware.memory_fits``; None: it is, or
    the board's memory is not in the table)."""
    board = board_of(gpu_name)
    if board is None or memory_fits(gpu_name, memory_mib * 2**20) is not False:
        return None
    sizes = " or ".join(f"{gb:g} GB" for gb in board.memory_gib)
    return f"{gpu_name[:60]} records {memory_mib / MIB_PER_GIB:,.1f} GiB of memory; the {board.name} has {sizes}"


def idle_range_w(gpu_name: str) -> tuple[float, float]:
    """The idle power (W) one GPU of this board draws with nothing running: measured, or a share of its limit."""
    board = board_of(gpu_name)
    if board is not None and board.name in IDLE_W:
        return IDLE_W[board.name]
    limit = max_power_w(gpu_name)
    return GENERIC_IDLE_SHARE[0] * limit, GENERIC_IDLE_SHARE[1] * limit


def power_limit_problem(gpu_name: str, limit_w: float) -> str | None:
    """Why a recorded power limit (W) is not one the named board can have (above its highest limit, or
    below its idle power)."""
    ceiling = max_power_w(gpu_name)
    if not idle_range_w(gpu_name)[0] <= limit_w <= ceiling:
        return f"{gpu_name[:60]} records a power limit of {limit_w:,.0f} W; the board's is at most {ceiling:,.0f} W"
    return None

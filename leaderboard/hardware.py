"""GPU names: the official board, known boards and their power limits, and matching by exact
normalized name.

A GPU name is normalized to its tokens, upper case, without the vendor, memory-type and form-factor
words that different tools add or leave out: 'NVIDIA H100 80GB HBM3' (NVML), 'NVIDIA H100 80GB'
(the board's name) and 'NVIDIA H100-80GB' (the label) are all 'H100 80GB'. A normalized name that is
an alias of a known board stands for that board. Two names match when they stand for the same
board, or, for boards not in the table, when their normalized names are equal. Never by substring:
'NVIDIA' alone, or 'H100', matches nothing but itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The hardware of every published result, and the board that runs join by default (SPEC §5).
OFFICIAL_HARDWARE = "NVIDIA H100 80GB"


@dataclass(frozen=True)
class Board:
    """A GPU board: its display name, the highest board power of its variants (W), the normalized
    names that stand for it, and the memory of its variants as sold (GiB, ``memory_gib``)."""

    name: str
    max_power_w: float
    aliases: tuple[str, ...]
    memory_gib: tuple[float, ...] = ()


# Board power limits and memory: NVIDIA and AMD data sheets (the highest limit among the board's
# variants; every memory size it is sold with).
BOARDS: tuple[Board, ...] = (
    Board("NVIDIA H100 80GB", 700.0, ("H100 80GB",), (80.0,)),
    Board("NVIDIA H100 PCIe", 350.0, ("H100 PCIE", "H100 PCIE 80GB", "H100 80GB PCIE"), (80.0,)),
    Board("NVIDIA H100 NVL", 400.0, ("H100 NVL", "H100 NVL 94GB"), (94.0,)),
    Board("NVIDIA H200", 700.0, ("H200", "H200 141GB"), (141.0,)),
    Board("NVIDIA H200 NVL", 600.0, ("H200 NVL", "H200 NVL 141GB"), (141.0,)),
    Board("NVIDIA GH200", 1000.0, ("GH200", "GH200 480GB", "GH200 96GB", "GH200 144GB"), (96.0, 144.0)),
    Board("NVIDIA B200", 1000.0, ("B200", "B200 180GB", "B200 192GB"), (180.0, 192.0)),
    Board("NVIDIA A100 80GB", 400.0, ("A100 80GB",), (80.0,)),
    Board("NVIDIA A100 80GB PCIe", 300.0, ("A100 80GB PCIE", "A100 PCIE 80GB"), (80.0,)),
    Board("NVIDIA A100 40GB", 400.0, ("A100 40GB",), (40.0,)),
    Board("NVIDIA A100 40GB PCIe", 250.0, ("A100 40GB PCIE", "A100 PCIE 40GB", "A100 PCIE"), (40.0,)),
    Board("NVIDIA L40S", 350.0, ("L40S",), (48.0,)),
    Board("NVIDIA L4", 72.0, ("L4",), (24.0,)),
    Board("NVIDIA A10", 150.0, ("A10",), (24.0,)),
    Board("NVIDIA A10G", 300.0, ("A10G",), (24.0,)),
    Board("NVIDIA T4", 70.0, ("T4",), (16.0,)),
    Board("AMD Instinct MI300X", 750.0, ("MI300X",), (192.0,)),
)
# The memory a driver reports for a board (NVML's total, in bytes) is its size as sold less what ECC
# and the driver keep: 79.65 GiB for an H100 80GB (85,520,809,984 bytes, reference/optimum-benchmark/),
# 140.4 GiB for an H200, 45.0 GiB for an L40S with ECC on, 0.92 of a T4's with ECC on. It lies within
# this share of a variant's size (as sold, GB as the data sheets write it, read as GiB).
MEMORY_SHARE_RANGE = (0.90, 1.02)
GIB = 2**30
# Ceiling for a GPU that is not in the table (no single card draws more).
GENERIC_MAX_POWER_W = 1_000.0

# Words that name the vendor, the memory or the form factor rather than the board.
_NOISE = frozenset(
    {
        "NVIDIA",
        "AMD",
        "INSTINCT",
        "TESLA",
        "GEFORCE",
        "QUADRO",
        "RADEON",
        "HBM2",
        "HBM2E",
        "HBM3",
        "HBM3E",
        "SXM",
        "SXM4",
        "SXM5",
    }
)
# Words that show a name is a processor, not a GPU.
_CPU_WORDS = frozenset(
    {"CPU", "XEON", "EPYC", "RYZEN", "PROCESSOR", "THREADRIPPER", "GRAVITON", "I3", "I5", "I7", "I9"}
)
_GPU_VENDORS = frozenset({"NVIDIA", "AMD", "INTEL", "TESLA", "GEFORCE", "QUADRO", "RADEON", "INSTINCT"})
_BY_ALIAS: dict[str, Board] = {alias: board for board in BOARDS for alias in board.aliases}
_COUNT_PREFIX = re.compile(r"^\s*(\d{1,3})\s*[x×]\s*", re.IGNORECASE)


def _tokens(name: str) -> list[str]:
    raw = re.findall(r"[A-Z0-9]+", name.upper())
    out: list[str] = []
    for tok in raw:
        if tok == "GB" and out and out[-1].isdigit():
            out[-1] += "GB"  # '80 GB' -> '80GB'
        else:
            out.append(tok)
    return out


def normalized(name: str) -> str:
    """'NVIDIA H100 80GB HBM3' -> 'H100 80GB'; the key two names are compared by."""
    return " ".join(t for t in _tokens(name) if t not in _NOISE)


def board_of(name: str) -> Board | None:
    """The known board this GPU name stands for (exact normalized name), or None."""
    return _BY_ALIAS.get(normalized(name))


def split_count(claimed: str) -> tuple[int | None, str]:
    """'8 x NVIDIA H100 80GB' -> (8, 'NVIDIA H100 80GB'); a name without a count -> (None, name)."""
    m = _COUNT_PREFIX.match(claimed)
    return (int(m.group(1)), claimed[m.end() :]) if m else (None, claimed)


def is_gpu_name(name: str) -> bool:
    """Whether a logged name names a GPU board: a known board, or a GPU vendor's name with a model
    number ('NVIDIA GeForce RTX 4090'). 'NVIDIA' alone, a processor or an empty name is not."""
    if board_of(name) is not None:
        return True
    tokens = _tokens(name)
    if not tokens or any(t in _CPU_WORDS for t in tokens):
        return False
    model = [t for t in tokens if t not in _GPU_VENDORS and t not in _NOISE]
    return any(t in _GPU_VENDORS for t in tokens) and any(any(c.isdigit() for c in t) for t in model)


def max_power_w(name: str) -> float:
    """The board power limit of this GPU (W), or the generic ceiling for a board not in the table."""
    board = board_of(name)
    return board.max_power_w if board else GENERIC_MAX_POWER_W


def memory_fits(name: str, memory_bytes: float) -> bool | None:
    """Whether a GPU's reported memory is one of its board's variants (``MEMORY_SHARE_RANGE``); None
    for a board whose memory is not in the table (nothing to compare)."""
    board = board_of(name)
    if board is None or not board.memory_gib:
        return None
    lo, hi = MEMORY_SHARE_RANGE
    return any(lo * gib * GIB <= memory_bytes <= hi * gib * GIB for gib in board.memory_gib)


def hardware_matches(claimed: str, logged: str) -> bool:
    """Whether a claimed board is the logged GPU: same known board, or equal normalized names."""
    c, g = normalized(claimed), normalized(logged)
    if not c or not g:
        return False
    cb, gb = _BY_ALIAS.get(c), _BY_ALIAS.get(g)
    if cb is not None or gb is not None:
        return cb is gb
    return c == g


def board_name(gpu_name: str, gpu_count: int = 1) -> str:
    """The board a result is rated on: 'NVIDIA H200', '2 × NVIDIA H200' (the GPU count is part of
    the board: results on 2 and 8 GPUs are not comparable). How the run measured (a decode mode, a
    harness) is the result's harness, not its board (``leaderboard.harnesses``)."""
    return gpu_name if gpu_count <= 1 else f"{gpu_count} × {gpu_name}"


MAX_BOARD_CHARS = 80


def rated_board(gpu_name: str, gpu_count: int = 1) -> str:
    """The board a result is rated on, from the GPU its logs name: a known board's canonical name
    ('NVIDIA H100 80GB HBM3' -> 'NVIDIA H100 80GB'), else the logged name's tokens, with the GPU count.
    Never the submitter's free text: a name one word off would form a rating group of its own."""
    board = board_of(gpu_name)
    name = board.name if board else " ".join(_tokens(gpu_name))[:MAX_BOARD_CHARS] or "unknown GPU"
    return board_name(name, gpu_count)


@dataclass(frozen=True)
class BoardChoice:
    """What a typed board name stands for (``resolve_board``): ``board`` the known board it is read as
    (None: no known board, so rated nowhere), ``exact`` whether the name is one of that board's own
    names, ``did_you_mean`` the known boards' names to offer instead (closest first)."""

    typed: str
    board: Board | None
    exact: bool
    did_you_mean: tuple[str, ...]

    def words(self) -> str:
        """What the choice means for people: 'NVIDIA H100 80GB', "'H100' read as NVIDIA H100 80GB (or: …)",
        "'RTX 4090' is no known board: not rated (did you mean …?)"."""
        shown = self.typed.strip()[:MAX_BOARD_CHARS]
        if self.board is not None and self.exact:
            return self.board.name
        others = f" (or did you mean {', '.join(self.did_you_mean)}?)" if self.did_you_mean else ""
        if self.board is not None:
            return f"{shown!r} read as {self.board.name}{others}"
        hint = f" Did you mean {', '.join(self.did_you_mean)}?" if self.did_you_mean else ""
        return f"{shown!r} is no known board: not rated.{hint}"


MAX_DID_YOU_MEAN = 3


def resolve_board(typed: str) -> BoardChoice:
    """The known board a free-text board name stands for, for a self-reported (custom) label.

    One of a board's own names (any spelling ``normalized`` reads the same: 'nvidia h100 80gb',
    'H100 80GB', 'NVIDIA H100-80GB') is that board. A name whose words are all in one or more boards'
    names ('H100', 'NVIDIA H100') is read as the first of them in ``BOARDS`` (each family's SXM board,
    the one its bare name means: 'H100' is the H100 80GB SXM board), the others offered instead. Any
    other name stands for no known board (rated nowhere), with the closest known boards offered.
    Matching logs to a claim never uses this: there a name stands only for itself (``hardware_matches``)."""
    import difflib

    key = normalized(str(typed)[: MAX_BOARD_CHARS * 2])
    exact = _BY_ALIAS.get(key)
    if exact is not None:
        return BoardChoice(str(typed), exact, True, ())
    words = set(key.split())
    if words:
        within = [b for b in BOARDS if any(words <= set(alias.split()) for alias in b.aliases)]
        if within:
            return BoardChoice(str(typed), within[0], False, tuple(b.name for b in within[1 : 1 + MAX_DID_YOU_MEAN]))
    names = {alias: board.name for board in BOARDS for alias in board.aliases}
    starting = [a for a in names if key and a.startswith(key)]
    close = starting + difflib.get_close_matches(key, list(names), n=MAX_DID_YOU_MEAN * 2, cutoff=0.5)
    return BoardChoice(str(typed), None, False, tuple(dict.fromkeys(names[a] for a in close))[:MAX_DID_YOU_MEAN])


def board_names() -> tuple[str, ...]:
    """Every known board's display name, in ``BOARDS`` order (the official board first)."""
    return tuple(b.name for b in BOARDS)

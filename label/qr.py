"""QR codes of label links: segno's module matrix as runs of dark modules, placed on the card so
that every module is a whole number of PNG pixels (crisp to scan, no seams between rows).

Limits: a link longer than ``MAX_QR_URL_CHARS`` gets no QR code (segno is never asked to encode it),
and neither does one whose symbol would not fit ``box_px`` with modules of at least
``MODULE_STEPS_PX[-1]`` px; the label's link and button stay.

The data mask is chosen as segno chooses it (ISO/IEC 18004 7.8.3: the lowest penalty), but scored
with numpy: segno's own evaluation, in Python loops over every module of the eight candidates,
took 5 of the 7 ms a symbol cost. ``best_mask`` reproduces it exactly (a test compares the two
over the dataset's links), then segno makes the symbol with that mask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np
import segno
from segno import consts

QR_ERROR = "l"  # the smallest symbol for the link; segno raises the level when the version has room
MODULE_STEPS_PX = (1.5, 1.0)  # module sizes tried, largest first: 3 and 2 PNG pixels at 2x
GRID_PX = 0.5  # one PNG pixel at 2x: positions snap to it
MAX_QR_URL_CHARS = 1000


@dataclass(frozen=True)
class QrCode:
    """A QR code placed on the label (positions and sizes in the card's px).

    url: what it encodes.  version, error: the symbol's version (1..40) and error correction level.
    modules: modules per side (no quiet zone: the card around it is light).
    x_px, y_px: top-left corner.  module_px: side of one module.
    runs: (row, first column, length) of each horizontal run of dark modules.
    """

    url: str
    version: int
    error: str
    modules: int
    x_px: float
    y_px: float
    module_px: float
    runs: tuple[tuple[int, int, int], ...]

    @property
    def size_px(self) -> float:
        return self.modules * self.module_px

    def rects(self) -> list[tuple[float, float, float, float]]:
        """(x, y, width, height) of each run, in px."""
        m = self.module_px
        return [(self.x_px + col * m, self.y_px + row * m, length * m, m) for row, col, length in self.runs]

    def path(self) -> str:
        """The dark modules as one SVG path: a closed rectangle per run."""
        return "".join(
            f"M{_number(x)} {_number(y)}h{_number(w)}v{_number(h)}h-{_number(w)}z" for x, y, w, h in self.rects()
        )


@lru_cache(maxsize=4096)
def _number(value: float) -> str:
    """A position in px as the path writes it: "16", "20.5"."""
    return f"{value:g}"


def _snap(value: float) -> float:
    return round(value / GRID_PX) * GRID_PX


def runs_of(matrix: Sequence[Sequence[int]]) -> tuple[tuple[int, int, int], ...]:
    """Horizontal runs of dark modules in a matrix of rows of 0/1 values."""
    runs = []
    for r, row in enumerate(matrix):
        c, n = 0, len(row)
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return tuple(runs)


_N3_PATTERN = bytes((1, 0, 1, 1, 1, 0, 1))


@lru_cache(maxsize=8)
def _regions(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For a QR code of ``n`` modules a side: where data goes (the encoding region), where format and
    version information go (empty while masks are scored), and the eight mask patterns there."""
    version = (n - 17) // 4
    data = np.ones((n, n), bool)
    info = np.zeros((n, n), bool)
    data[:9, :9] = data[:9, n - 8 :] = data[n - 8 :, :9] = False  # finder patterns, separators, format
    data[6, :] = data[:, 6] = False  # timing patterns
    info[:9, 8] = info[8, :9] = info[n - 8 :, 8] = info[8, n - 8 :] = True
    info[6, 8] = info[8, 6] = False  # where the timing patterns cross the format areas
    if version >= 2:
        positions = consts.ALIGNMENT_POS[version - 2]
        corners = {(positions[0], positions[0]), (positions[0], positions[-1]), (positions[-1], positions[0])}
        for x, y in product(positions, repeat=2):
            if (x, y) not in corners:
                data[x - 2 : x + 3, y - 2 : y + 3] = False
    if version >= 7:
        info[:6, n - 11 : n - 8] = info[n - 11 : n - 8, :6] = True
        data[:6, n - 11 : n - 8] = data[n - 11 : n - 8, :6] = False
    i, j = np.indices((n, n))
    patterns = np.stack(
        [
            (i + j) % 2 == 0,
            i % 2 == 0,
            j % 3 == 0,
            (i + j) % 3 == 0,
            (i // 2 + j // 3) % 2 == 0,
            (i * j) % 2 + (i * j) % 3 == 0,
            ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            ((i + j) % 2 + (i * j) % 3) % 2 == 0,
        ]
    )
    return data, info, (patterns & data).astype(np.uint8)


def _n1(candidates: np.ndarray) -> np.ndarray:
    """Penalty N1 of each candidate (k, n, n): a run of r >= 5 same-colour modules in a row costs r - 2."""
    k, n, _ = candidates.shape
    rows = candidates.reshape(k * n, n)
    starts = np.ones((k * n, n), bool)
    starts[:, 1:] = rows[:, 1:] != rows[:, :-1]
    first = np.flatnonzero(starts)
    lengths = np.diff(np.append(first, k * n * n))
    cost = np.where(lengths >= 5, lengths - 2, 0)
    return np.bincount(first // (n * n), weights=cost, minlength=k)


def _n3(seq: bytes, n: int) -> int:
    """Penalty N3 of one row or column: 40 per 1:1:3:1:1 pattern with 4 light modules on one side
    (the symbol's edge counts as light), scanned as segno scans it."""
    count, idx = 0, seq.find(_N3_PATTERN)
    while idx != -1:
        offset = idx + 7
        if idx in (0, n - 7) or not any(seq[max(idx - 4, 0) : idx]) or not any(seq[offset : offset + 4]):
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_N3_PATTERN, offset)
    return count


def best_mask(matrix: Sequence[Sequence[int]], applied: int) -> int:
    """The mask (0..7) segno would choose for a symbol: the lowest N1 + N2 + N3 + N4 penalty, the first
    of equals, scored without format and version information. ``matrix``: the symbol's rows of 0/1
    with mask ``applied``."""
    n = len(matrix)
    symbol = np.frombuffer(b"".join(bytes(row) for row in matrix), np.uint8).reshape(n, n)
    data, info, patterns = _regions(n)
    raw = np.where(info, 0, symbol) ^ patterns[applied]
    candidates = raw[None, :, :] ^ patterns  # (8, n, n)
    n1 = _n1(candidates) + _n1(candidates.transpose(0, 2, 1))
    same = candidates[:, 1:, 1:]
    n2 = 3 * (
        (same == candidates[:, 1:, :-1]) & (same == candidates[:, :-1, 1:]) & (same == candidates[:, :-1, :-1])
    ).sum(axis=(1, 2))
    scores = []
    for k in range(len(patterns)):
        rows, cols = candidates[k], np.ascontiguousarray(candidates[k].T)
        n3 = sum(_n3(rows[r].tobytes(), n) + _n3(cols[r].tobytes(), n) for r in range(n))
        percent = float(int(candidates[k].sum())) / (n**2)
        n4 = 10 * int(abs(percent * 100 - 50) / 5)
        scores.append(int(n1[k]) + int(n2[k]) + n3 + n4)
    return scores.index(min(scores))


@lru_cache(maxsize=1024)
def qr_code(url: str, box_x_px: float, box_y_px: float, box_px: float) -> QrCode | None:
    """The QR code of ``url`` in the square box at (``box_x_px``, ``box_y_px``): at its left edge (the
    card's padding), centred from top to bottom; or None when it would not fit with readable
    modules (see the module docstring)."""
    if not url or len(url) > MAX_QR_URL_CHARS:
        return None
    first = segno.make_qr(url, error=QR_ERROR, mask=0)
    symbol = segno.make_qr(url, error=QR_ERROR, mask=best_mask(first.matrix, 0))
    n = symbol.symbol_size(border=0)[0]
    step = next((s for s in MODULE_STEPS_PX if n * s <= box_px), None)
    if step is None:
        return None
    offset = _snap((box_px - n * step) / 2)
    return QrCode(
        url=url,
        version=int(symbol.version),
        error=str(symbol.error),
        modules=int(n),
        x_px=_snap(box_x_px),
        y_px=_snap(box_y_px) + offset,
        module_px=step,
        runs=runs_of(symbol.matrix),
    )

"""QR codes of label links: segno's module matrix as runs of dark modules, placed on the card so
that every module is a whole number of PNG pixels (crisp to scan, no seams between rows).

Limits: a link longer than ``MAX_QR_URL_CHARS`` gets no QR code (segno is never asked to encode it),
and neither does one whose symbol would not fit ``box_px`` with modules of at least
``MODULE_STEPS_PX[-1]`` px; the label's link and button stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import segno

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
        return "".join(f"M{x:g} {y:g}h{w:g}v{h:g}h-{w:g}z" for x, y, w, h in self.rects())


def _snap(value: float) -> float:
    return round(value / GRID_PX) * GRID_PX


def runs_of(matrix) -> tuple[tuple[int, int, int], ...]:
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


@lru_cache(maxsize=1024)
def qr_code(url: str, box_x_px: float, box_y_px: float, box_px: float) -> QrCode | None:
    """The QR code of ``url`` centred in the square box at (``box_x_px``, ``box_y_px``), or None
    when it would not fit with readable modules (see the module docstring)."""
    if not url or len(url) > MAX_QR_URL_CHARS:
        return None
    symbol = segno.make_qr(url, error=QR_ERROR)
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
        x_px=_snap(box_x_px) + offset,
        y_px=_snap(box_y_px) + offset,
        module_px=step,
        runs=runs_of(symbol.matrix),
    )

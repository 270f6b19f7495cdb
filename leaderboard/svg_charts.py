"""Charts as inline SVG (no script, no library), for the app and the static site: a strip per row on a log axis of
GPU energy, a dot for one value or a bar from the lowest to the highest. Every text from the data is
escaped; the axis names its unit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

from leaderboard.formatting import energy_short

ENERGY_AXIS = "GPU energy (Wh per 1,000 queries, log scale)"
# Narrow enough to read on a phone scaled to its width: each row's label sits above its strip, so the
# plot spans the whole width and no label column squeezes it.
WIDTH = 480
LEFT = 12
RIGHT = 118  # room for the value written after the highest mark
LABEL_CHARS = 70  # longer labels are cut (the whole label is the row's tooltip)
ROW_HEIGHT = 40
TOP = 6
AXIS_HEIGHT = 44
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
MARK = "#1a7f37"


@dataclass(frozen=True)
class StripRow:
    """One row: its label, the lowest and highest GPU energy (equal for a dot), and the text beside it."""

    label: str
    low_wh: float
    high_wh: float
    text: str


def _ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten from below ``lo`` to above ``hi``."""
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    if first == last:
        last += 1
    return [10.0**e for e in range(first, last + 1)]


def strip_chart(rows: list[StripRow], title: str) -> Markup:
    """An SVG of ``rows`` on one log axis of GPU energy; ``title`` is its accessible name."""
    values = [v for r in rows for v in (r.low_wh, r.high_wh) if v > 0]
    if not rows or not values:
        return Markup("")
    ticks = _ticks(min(values), max(values))
    lo, hi = math.log10(ticks[0]), math.log10(ticks[-1])
    plot = WIDTH - LEFT - RIGHT

    def x(value: float) -> float:
        return LEFT + plot * (math.log10(max(value, ticks[0])) - lo) / (hi - lo)

    height = TOP + ROW_HEIGHT * len(rows) + AXIS_HEIGHT
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    axis_y = TOP + ROW_HEIGHT * len(rows)
    for tick in ticks:
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{axis_y}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="middle" fill="{MUTED}">{escape(energy_short(tick))}</text>'
        )
    out.append(
        f'<text x="{LEFT + plot / 2:.1f}" y="{axis_y + 36}" text-anchor="middle" fill="{INK}">'
        f"{escape(ENERGY_AXIS)}</text>"
    )
    for i, row in enumerate(rows):
        top = TOP + ROW_HEIGHT * i
        cy = top + 28
        label = row.label if len(row.label) <= LABEL_CHARS else row.label[: LABEL_CHARS - 1] + "…"
        out.append(
            f'<text x="{LEFT}" y="{top + 13}" fill="{MUTED}" font-size="12">'
            f"<title>{escape(row.label)}</title>{escape(label)}</text>"
        )
        x1, x2 = x(row.low_wh), x(row.high_wh)
        if x2 - x1 >= 1:
            out.append(f'<rect x="{x1:.1f}" y="{cy - 4:.1f}" width="{x2 - x1:.1f}" height="8" rx="4" fill="{MARK}"/>')
        else:
            out.append(f'<circle cx="{x1:.1f}" cy="{cy:.1f}" r="5" fill="{MARK}"/>')
        out.append(f'<text x="{x2 + 9:.1f}" y="{cy + 4:.1f}" fill="{INK}">{escape(row.text)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))

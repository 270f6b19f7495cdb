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


# --- energy against quality (leaderboard.pareto) ------------------------------------------------------------

QUALITY_HEIGHT = 340
QUALITY_LEFT = 50
QUALITY_RIGHT = 14
QUALITY_TOP = 26
QUALITY_BOTTOM = 46
OFF_FRONT = "#8c959f"


@dataclass(frozen=True)
class QualityPoint:
    """One result on the quality chart: its name, GPU energy, quality value, and its number on the front
    (1 = the front's least energy; None: not on the front)."""

    label: str
    energy_wh: float
    value: float
    front_number: int | None


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1, 2 and 5 times powers of ten between ``lo`` and ``hi`` (powers of ten alone where they are many)."""
    ticks = [m * 10.0**e for e in range(math.floor(lo) - 1, math.ceil(hi) + 1) for m in (1, 2, 5)]
    inside = [t for t in ticks if lo <= math.log10(t) <= hi]
    if len(inside) > 8:
        inside = [t for t in inside if math.isclose(math.log10(t), round(math.log10(t)))]
    return inside


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round values (1, 2, 2.5 or 5 times a power of ten apart) between ``lo`` and ``hi``."""
    raw = (hi - lo) / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def quality_chart(points: list[QualityPoint], metric: str, higher_is_better: bool, title: str) -> Markup:
    """An SVG of ``points``: GPU energy on a log axis (x) against one quality metric (y, better upwards, so
    a lower-is-better metric's axis runs downwards); the front's dots filled, joined and numbered (the
    numbers of the list beside the chart)."""
    points = [p for p in points if p.energy_wh > 0 and math.isfinite(p.value)]
    if not points:
        return Markup("")
    logs = [math.log10(p.energy_wh) for p in points]
    span = max(max(logs) - min(logs), 0.3)
    lo, hi = min(logs) - 0.06 * span, max(logs) + 0.06 * span
    plot_w = WIDTH - QUALITY_LEFT - QUALITY_RIGHT
    plot_h = QUALITY_HEIGHT - QUALITY_TOP - QUALITY_BOTTOM
    vmin, vmax = min(p.value for p in points), max(p.value for p in points)
    pad = (vmax - vmin) * 0.08 or abs(vmax) * 0.05 or 1.0
    vmin, vmax = vmin - pad, vmax + pad

    def x(energy: float) -> float:
        return QUALITY_LEFT + plot_w * (math.log10(energy) - lo) / (hi - lo)

    def y(value: float) -> float:
        share = (value - vmin) / (vmax - vmin)
        return QUALITY_TOP + plot_h * ((1 - share) if higher_is_better else share)

    direction = "higher is better" if higher_is_better else "lower is better"
    out = [
        f'<svg class="chart aies-quality-chart" viewBox="0 0 {WIDTH} {QUALITY_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" '
        'font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="14" fill="{INK}">{escape(metric)} ({direction}: better is up)</text>',
    ]
    bottom = QUALITY_TOP + plot_h
    out.append(
        f'<rect x="{QUALITY_LEFT}" y="{QUALITY_TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>'
    )
    for tick in _log_ticks(lo, hi):
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" y1="{QUALITY_TOP}" x2="{tx:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{tx:.1f}" y="{bottom + 15}" text-anchor="middle" fill="{MUTED}">{escape(energy_short(tick))}</text>'
        )
    out.append(
        f'<text x="{QUALITY_LEFT + plot_w / 2:.1f}" y="{bottom + 36}" text-anchor="middle" fill="{INK}">'
        f"{escape(ENERGY_AXIS)}</text>"
    )
    for value in _nice_ticks(vmin, vmax):
        ty = y(value)
        out.append(
            f'<line x1="{QUALITY_LEFT}" y1="{ty:.1f}" x2="{WIDTH - QUALITY_RIGHT}" y2="{ty:.1f}" stroke="{GRID}" '
            'stroke-dasharray="2 3"/>'
        )
        out.append(f'<text x="{QUALITY_LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{MUTED}">{value:g}</text>')
    best = sorted((p for p in points if p.front_number is not None), key=lambda p: p.front_number or 0)
    if len(best) >= 2:
        steps = []
        for a, b in zip(best, best[1:], strict=False):
            steps += [f"{x(a.energy_wh):.1f},{y(a.value):.1f}", f"{x(b.energy_wh):.1f},{y(a.value):.1f}"]
        steps.append(f"{x(best[-1].energy_wh):.1f},{y(best[-1].value):.1f}")
        out.append(f'<polyline points="{" ".join(steps)}" fill="none" stroke="{MARK}" stroke-width="1.5"/>')
    for p in sorted(points, key=lambda p: p.front_number is not None):
        px, py = x(p.energy_wh), y(p.value)
        tip = f"{p.label}: {energy_short(p.energy_wh)} Wh per 1,000 queries, {p.value:g}"
        if p.front_number is not None:
            tip += f" (on the front, number {p.front_number})"
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{MARK}"><title>{escape(tip)}</title></circle>')
            out.append(
                f'<text x="{px - 7:.1f}" y="{py - 6:.1f}" fill="{INK}" font-size="11" font-weight="600" '
                f'text-anchor="end">{p.front_number}</text>'
            )
        else:
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#fff" stroke="{OFF_FRONT}" stroke-width="1.5">'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.append("</svg>")
    return Markup("\n".join(out))

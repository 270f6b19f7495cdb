"""Label rendering speed, measured; prints medians and the targets.

    python bench/label_bench.py [--runs N] [--zip-runs N]

From one run:
  - the ZIP of every label of the embedded dataset (PNG + SVG; target <= 5 s), from result rows
    to ZIP bytes as ``python -m label render --all`` does it (labels, QR codes, SVG, PNG, ZIP),
    with the workers it uses by default and, for comparison, in this process alone;
  - one PNG against plain ``cairosvg.svg2png`` of the same label SVG (target: ratio <= 0.6), label
    by label over the dataset, each PNG from a fresh label (its QR code not cached), the two
    renders alternating; medians, and the ratio against the spec variant's SVG (no QR path) too;
  - where one PNG's time goes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cairosvg  # noqa: E402

from bench import timing  # noqa: E402
from label import qr as label_qr_module  # noqa: E402
from label.model import label_for_row  # noqa: E402
from label.render import (  # noqa: E402
    PNG_SIZE_PX,
    _draw_label_svg,
    _png_file,
    _png_rows,
    label_qr,
    labels_zip,
    render_png,
    render_svg,
    zip_workers,
)
from leaderboard.sources import load_results  # noqa: E402

BASE_URL = "https://huggingface.co/spaces/AIEnergyScore/Leaderboard"  # a public address of typical length
ZIP_TARGET_S = 5.0
RATIO_TARGET = 0.6


def timed(fn, runs: int) -> list[float]:
    return timing.timed(fn, runs, warm=True)  # warm: template compile, font load, shared layer


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.2f} ms"


def plain_png(svg: str) -> bytes:
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=PNG_SIZE_PX[0], output_height=PNG_SIZE_PX[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="repeats of the per-part timings")
    parser.add_argument("--zip-runs", type=int, default=3, help="repeats of the whole ZIP")
    args = parser.parse_args()
    rows = list(load_results().results.sorted("asc").frame.itertuples())
    render_png(label_for_row(rows[0], BASE_URL))  # warm

    def whole_zip(workers: int | None) -> bytes:
        label_qr_module.qr_code.cache_clear()  # every QR code made again, as in a fresh process
        items = [(f"{r.task}/{r.run_id}", label_for_row(r, BASE_URL)) for r in rows]
        return labels_zip(items, workers=workers)

    zip_t, blob = [], b""
    for _ in range(args.zip_runs):
        start = time.perf_counter()
        blob = whole_zip(None)
        zip_t.append(time.perf_counter() - start)
    serial_t = []
    for _ in range(args.zip_runs):
        start = time.perf_counter()
        whole_zip(1)
        serial_t.append(time.perf_counter() - start)
    zip_s = statistics.median(zip_t)
    print(
        f"ZIP of all {len(rows)} labels (PNG + SVG, {len(blob) / 1e6:.1f} MB), rows to bytes, median of "
        f"{len(zip_t)}: {zip_s:.2f} s with {zip_workers(len(rows))} worker(s)  "
        f"(target <= {ZIP_TARGET_S:g} s: {'met' if zip_s <= ZIP_TARGET_S else 'MISSED'}); "
        f"in this process alone {statistics.median(serial_t):.2f} s"
    )

    # One PNG against plain cairosvg, label by label, alternating.
    fast, plain, plain_spec = [], [], []
    for row in rows:
        label_qr_module.qr_code.cache_clear()
        label = label_for_row(row, BASE_URL)
        start = time.perf_counter()
        render_png(label)  # makes the QR code, the SVG and the PNG
        fast.append(time.perf_counter() - start)
        svg = render_svg(label)
        start = time.perf_counter()
        plain_png(svg)
        plain.append(time.perf_counter() - start)
        spec_svg = render_svg(label_for_row(row, BASE_URL, variant="spec"))
        start = time.perf_counter()
        plain_png(spec_svg)
        plain_spec.append(time.perf_counter() - start)
    median = statistics.median
    ratio = median(fast) / median(plain)
    print(
        f"PNG 520x728, one label, medians over the {len(rows)} dataset labels: render_png {ms(fast)}, "
        f"cairosvg.svg2png of the same SVG {ms(plain)}: ratio {ratio:.2f}  "
        f"(target <= {RATIO_TARGET}: {'met' if ratio <= RATIO_TARGET else 'MISSED'}); "
        f"median of per-label ratios {median(a / b for a, b in zip(fast, plain, strict=True)):.2f}"
    )
    print(
        f"  against svg2png of the spec variant's SVG (no QR path to parse) {ms(plain_spec)}: "
        f"ratio {median(fast) / median(plain_spec):.2f}"
    )

    # Where one PNG's time goes.
    label = label_for_row(rows[len(rows) // 2], BASE_URL)
    svg = render_svg(label)
    url = label.link

    def fresh_qr():
        label_qr_module.qr_code.cache_clear()
        label_qr(label)

    svg_t = timed(lambda: render_svg(label), args.runs * 5)
    qr_t = timed(fresh_qr, args.runs)
    draw_t = timed(lambda: _draw_label_svg(svg).finish(), args.runs)
    surface = _draw_label_svg(svg)
    rows_t = timed(lambda: _png_rows(surface), args.runs)
    scanlines = _png_rows(surface)
    enc_t = timed(lambda: _png_file(scanlines, *PNG_SIZE_PX), args.runs)
    png_t = timed(lambda: render_png(svg=svg), args.runs)
    print(f"One label's PNG, by part (medians over {args.runs}; link of {len(url)} characters):")
    print(f"  QR code of the link (segno)                 {ms(qr_t)}")
    print(f"  SVG text (template, QR cached)              {ms(svg_t)}")
    print(f"  draw: shared layer copied + label's own part {ms(draw_t)}")
    print(f"  pixels to PNG scanlines                     {ms(rows_t)}")
    print(f"  PNG encode (zlib level 1)                   {ms(enc_t)}")
    print(f"  render_png(svg=...) in all                  {ms(png_t)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

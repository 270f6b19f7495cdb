"""Label rendering speed, measured; prints medians.

    python bench/label_bench.py [--runs N]

Median SVG render (target <= 1 ms), median PNG render at 520 x 728 (target <= 15 ms), where the
PNG time goes (SVG parse, cairosvg drawing with and without its text, pixel encoding), and the
time to build the ZIP of every label in the dataset (target <= 5 s).
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from label.model import label_for_row  # noqa: E402
from label.render import PNG_SIZE_PX, PNG_ZLIB_LEVEL, encode_png, labels_zip, render_png, render_svg  # noqa: E402
from leaderboard.sources import load_results  # noqa: E402

BASE_URL = "https://example.org/leaderboard"


def timed(fn, runs: int) -> list[float]:
    fn()  # warm: template compile, font load
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.3f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    results = load_results().results
    rows = list(results.sorted("asc").frame.itertuples())
    labels = [label_for_row(r, BASE_URL) for r in rows]
    label = labels[len(labels) // 2]
    svg = render_svg(label)

    svg_t = timed(lambda: render_svg(label), args.runs * 10)
    print(f"SVG render, one label, median over {len(svg_t)}:      {ms(svg_t)}  (target <= 1 ms)")
    png_t = timed(lambda: render_png(label), args.runs)
    print(f"PNG render 520x728, one label, median over {len(png_t)}: {ms(png_t)}  (target <= 15 ms)")
    every = []
    for _ in range(3):
        for lbl in labels:  # every label of the dataset: names of every length
            start = time.perf_counter()
            render_png(lbl)
            every.append(time.perf_counter() - start)
    print(
        f"PNG render, every dataset label x3, median of {len(every)}: {ms(every)}  "
        f"(p90 {sorted(every)[int(len(every) * 0.9)] * 1000:.3f} ms)"
    )

    # Where the PNG time goes.
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface
    from PIL import Image

    data = svg.encode()
    no_text = re.sub(rb"<text[^>]*>[^<]*</text>", b"", data)
    parse_t = timed(lambda: Tree(bytestring=data), args.runs)

    def draw(svg_bytes):
        surface = PNGSurface(
            Tree(bytestring=svg_bytes), None, 96, output_width=PNG_SIZE_PX[0], output_height=PNG_SIZE_PX[1]
        )
        surface.finish()

    draw_t = timed(lambda: draw(data), args.runs)
    draw_nt = timed(lambda: draw(no_text), args.runs)
    image = Image.open(io.BytesIO(render_png(label))).convert("RGBA")
    pixels = image.tobytes()
    enc_t = timed(lambda: encode_png(pixels, *image.size), args.runs)
    enc_6 = timed(lambda: image.save(io.BytesIO(), format="PNG", compress_level=6), args.runs)
    print("PNG time, by part (medians):")
    print(f"  parse SVG (cairosvg Tree)            {ms(parse_t)}")
    print(f"  parse + draw (cairosvg)              {ms(draw_t)}")
    print(
        f"  parse + draw without <text> nodes    {ms(draw_nt)}  -> text costs {ms([statistics.median(draw_t) - statistics.median(draw_nt)])}"
    )
    print(f"  encode PNG (project, zlib {PNG_ZLIB_LEVEL})       {ms(enc_t)}")
    print(f"  encode PNG (Pillow, zlib 6)          {ms(enc_6)}")

    zip_t = []
    for _ in range(3):
        start = time.perf_counter()
        blob = labels_zip([(r.run_id, lbl) for r, lbl in zip(rows, labels, strict=True)])
        zip_t.append(time.perf_counter() - start)
    print(
        f"ZIP of all {len(labels)} labels (PNG + SVG), median of 3: {statistics.median(zip_t):.2f} s "
        f"({len(blob) / 1e6:.1f} MB)  (target <= 5 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Labels in a real browser: the label SVG drawn by headless Chromium with no Inter installed, compared
with the PNG (cairosvg), and screenshots at 1440 and 390 px for docs/screenshots/: the Label page with a
custom 'H100' value, a provisional label on a model page, a model page's disclosure section, and the
SVG in Chromium beside the PNG; and the static site's model page (its SVG labels, its disclosure).

python -m harness.label_screenshots [--out docs/screenshots]

The difference is measured on the 520 x 728 px PNG (the label at 2x) against Chromium's drawing of the
SVG at device scale 2, both over white: the mean absolute difference per channel (0-255) and the share
of pixels where a channel differs by more than ``STRONG_DIFF``. Anti-aliasing and hinting differ between
the two renderers, so a few edge pixels always differ; a fallback font moves whole words.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from harness.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, streamlit_server
from leaderboard.links import record_id

# A provisional result (alone in its rating group): its model page's label picker opens on it.
PROVISIONAL_RECORD = record_id("2026-11/text_classification/google-bert/bert-base-uncased")
STRONG_DIFF = 64  # a channel this far off is a visibly different pixel, not anti-aliasing
# The tolerance the browser test holds the embedded-font SVG to. Measured on seven golden labels (Chromium
# of Debian's package, no Inter installed): mean 1.09-1.55, share 0.38-0.56 %; the same SVGs without their
# fonts (Chromium's fallback face): mean 7.3-11.5, share 4.3-6.7 %.
MAX_MEAN_DIFF = 2.5
MAX_STRONG_SHARE = 0.012


def launch_without_label_fonts(chromium: Any) -> Any:
    """Chromium (``chromium``: Playwright's browser type, ``playwright.chromium``) with the system's fonts
    only: ``label.fonts`` points FONTCONFIG_FILE at the shipped Inter for cairo, and a browser started
    from this process would find Inter through it."""
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    return chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)


def svg_in_chromium(page: Any, svg: str) -> bytes:
    """The SVG drawn by Chromium as an image (``<img>``, as a model card shows it), 260 x 364 CSS px at
    device scale 2: a PNG of 520 x 728 px. ``page`` must have device_scale_factor=2."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    page.set_content(
        f'<html><body style="margin:0;background:#fff"><img id="label" src="{uri}" width="260" height="364"></body></html>'
    )
    page.wait_for_function("document.getElementById('label').complete")
    shot: bytes = page.locator("#label").screenshot()
    return shot


def on_white(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    white = Image.new("RGBA", image.size, "white")
    white.alpha_composite(image)
    return np.asarray(white.convert("RGB"), dtype=np.int16)


def pixel_difference(browser_png: bytes, label_png: bytes) -> tuple[float, float]:
    """(mean absolute difference per channel, share of pixels with a channel off by more than STRONG_DIFF)."""
    a, b = on_white(browser_png), on_white(label_png)
    if a.shape != b.shape:
        raise ValueError(f"sizes differ: {a.shape[1]}x{a.shape[0]} and {b.shape[1]}x{b.shape[0]}")
    diff = np.abs(a - b)
    return float(diff.mean()), float((diff.max(axis=2) > STRONG_DIFF).mean())


def side_by_side_html(svg: str, png: bytes, difference: tuple[float, float]) -> str:
    svg_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    png_uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    mean, share = difference
    return f"""<html><body style="margin:16px;font:14px sans-serif;color:#313131">
<p>Left: the label SVG drawn by Chromium (no Inter installed: the SVG carries its fonts). Right: the PNG (cairosvg).
Mean difference {mean:.2f} of 255 per channel; {share * 100:.2f}% of pixels off by more than {STRONG_DIFF}.</p>
<div style="display:flex;flex-wrap:wrap;gap:16px">
<figure style="margin:0;max-width:100%"><img src="{svg_uri}" width="350" height="490" style="max-width:100%;height:auto">
<figcaption>SVG in Chromium</figcaption></figure>
<figure style="margin:0;max-width:100%"><img src="{png_uri}" width="350" height="490" style="max-width:100%;height:auto">
<figcaption>PNG (cairosvg)</figcaption></figure>
</div></body></html>"""


def custom_h100_label() -> Any:
    """The custom label of class A text generation at 50 Wh per 1,000 queries on hardware typed 'H100',
    rated as the label page rates it (against the board's own results)."""
    from label.select import custom_label, rate_custom
    from leaderboard.results import OFFICIAL_STATUSES
    from leaderboard.sources import load_results

    results = load_results().results.statuses(*OFFICIAL_STATUSES)
    rating = rate_custom(results, task="text_generation", model_class="A", hardware="H100", energy_wh=50.0)
    return custom_label(
        model="my-org/my-model",
        task="text_generation",
        scored=rating.cohort,
        hardware="H100",
        energy_wh=50.0,
        stars=rating.stars,
        base_url="https://example.org/leaderboard",
        model_class="A",
        rating=rating,
    )


def scroll_to(element: Any, above_px: int) -> None:
    """Scroll the page (Streamlit scrolls its main block, not the window) so that ``element`` is
    ``above_px`` below the top."""
    element.evaluate(
        """(e, above) => {
            e.scrollIntoView({block: 'start'});
            let box = e.parentElement;
            while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
            (box || document.scrollingElement).scrollBy(0, -above);
        }""",
        above_px,
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    from label.render import render_png, render_svg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    label = custom_h100_label()
    svg, png = render_svg(label), render_png(label)
    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch_without_label_fonts(p.chromium)
        measure = browser.new_page(device_scale_factor=2)
        difference = pixel_difference(svg_in_chromium(measure, svg), png)
        print(f"custom-h100: mean {difference[0]:.2f}, strong {difference[1] * 100:.2f}%")
        for width_name, (width, height) in {"1440": (1440, 900), "390": (390, 844)}.items():
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
            page = context.new_page()
            page.set_content(side_by_side_html(svg, png, difference))
            page.wait_for_timeout(500)
            page.screenshot(path=str(args.out / f"label-svg-vs-png-{width_name}.png"), full_page=True)

            page.goto(f"{url}/label?mode=Custom+values&task=Text+Generation")
            page.get_by_label("Model name").fill("my-org/my-model")
            page.get_by_label("Model name").press("Enter")
            hardware = page.get_by_role("combobox", name="Hardware")
            hardware.click()
            page.keyboard.type("H100")
            page.keyboard.press("Enter")
            energy = page.get_by_label("GPU energy (Wh per 1,000 queries)")
            energy.fill("50")
            energy.press("Enter")
            page.get_by_test_id("stImage").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1_500)
            scroll_to(page.get_by_text("read as NVIDIA H100 80GB").first, 140)  # the boxes above, the label below
            page.wait_for_timeout(500)
            page.screenshot(path=str(args.out / f"label-custom-h100-{width_name}.png"))

            for name, path, anchor in (
                ("label-provisional", f"/model?id=google-bert/bert-base-uncased&record={PROVISIONAL_RECORD}", "Labels"),
                ("model-disclosure", "/model?id=openai-community/gpt2", "Disclosure"),
            ):
                page.goto(url + path)
                page.get_by_test_id("stApp").wait_for(timeout=60_000)
                page.wait_for_timeout(4_000)
                scroll_to(page.get_by_role("heading", name=anchor).first, 20)
                page.wait_for_timeout(1_000)
                page.screenshot(path=str(args.out / f"{name}-{width_name}.png"))
            context.close()
            print(f"wrote the {width_name} px screenshots to {args.out}")
        browser.close()
    site_screenshots(args.out)
    return 0


def site_screenshots(out: Path) -> None:
    """The static site's model page of gpt2: its labels (SVG, drawn with no Inter installed) and its
    disclosure section with the Annex XI entry open."""
    import subprocess
    import sys
    import tempfile

    from playwright.sync_api import sync_playwright

    from harness.static_server import static_server

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "leaderboard", "site", "--out", str(site)], cwd=ROOT, check=True)
        with static_server(site) as (url, _), sync_playwright() as p:
            browser = launch_without_label_fonts(p.chromium)
            for width_name, (width, height) in {"1440": (1440, 900), "390": (390, 844)}.items():
                context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
                page = context.new_page()
                page.goto(f"{url}/model/openai-community/gpt2/")
                page.wait_for_load_state("networkidle")
                scroll_to(page.get_by_role("heading", name="Labels"), 10)
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / f"site-model-labels-{width_name}.png"))
                page.locator("#disclosure-annex").evaluate("e => e.open = true")
                scroll_to(page.locator("#disclosure"), 10)
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / f"site-model-disclosure-{width_name}.png"))
                context.close()
            browser.close()
    print(f"wrote the site's screenshots to {out}")


if __name__ == "__main__":
    raise SystemExit(main())

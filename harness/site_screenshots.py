"""Screenshots of the built static site at 1440 and 390 px wide, in real headless Chromium, for
docs/screenshots/site-*.png.

python -m harness.site_screenshots [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.browser import ROOT, launch_chromium
from harness.static_server import static_server
from leaderboard.links import record_id

PAGES = {
    "site-index": "/",
    "site-board": "/text_generation/",
    "site-model": "/model?id=openai-community/gpt2&record="
    + record_id("2025-02/text_generation/openai-community/gpt2"),
    "site-stability": "/stability/",
    "site-model-unsure": "/model/google/gemma-3-4b-pt/",
    "site-board-search-near-miss": "/text_generation/?class=all&cohort=all&q=gtp2",
    "site-404": "/no/such/page",
}
WIDTHS = {"1440": (1440, 900), "390": (390, 844)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "leaderboard", "site", "--out", str(site)], cwd=ROOT, check=True)
        with static_server(site) as (url, _), sync_playwright() as p:
            browser = launch_chromium(p)
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    target = args.out / f"{name}-{width_name}.png"
                    page.screenshot(path=str(target), full_page=False)
                    print(f"wrote {target.relative_to(ROOT)}")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

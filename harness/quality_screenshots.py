"""Screenshots of quality beside energy at 1440 and 390 px wide, in real headless Chromium, for
docs/screenshots/quality-*.png: the app's text-generation board (February 2025, class A) at its quality
column and at its energy-against-quality chart, a model page's quality section, and the same on the
static site.

python -m harness.quality_screenshots [--out docs/screenshots] [--only app,site]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.browser import ROOT, launch_chromium, streamlit_server
from harness.static_server import static_server

BOARD = "/?task=Text+Generation&round=February+2025&class=A"
MODEL = "/model?id=tiiuae/falcon-7b"
# name -> (path, the element to scroll to, or None for the top)
APP_PAGES = {
    "quality-board": (BOARD, "th.aies-quality"),
    "quality-chart": (BOARD, ".aies-quality-figure"),
    "quality-model": (MODEL, ".aies-model-quality"),
}
SITE_PAGES = {
    "quality-site-board": ("/text_generation/?cohort=2025-02&class=A", "th.aies-quality"),
    "quality-site-chart": ("/text_generation/?cohort=2025-02&class=A", ".aies-quality-figure"),
    "quality-site-model": ("/model/tiiuae/falcon-7b/", ".aies-model-quality"),
}
WIDTHS = {"1440": (1440, 900), "390": (390, 844)}
# Scroll the element to the top of its scrolling container, less the height of the app's sticky header.
SCROLL_TO = """e => {
  e.scrollIntoView({block: 'start'});
  let p = e.parentElement;
  while (p && p.scrollHeight <= p.clientHeight + 1) { p = p.parentElement; }
  (p || document.scrollingElement).scrollBy(0, -72);
}"""


def _shoot(browser, url: str, pages: dict[str, tuple[str, str | None]], out: Path, wait_ms: int) -> None:
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
        page = context.new_page()
        for name, (path, anchor) in pages.items():
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            if anchor:
                element = page.locator(f"{anchor} >> visible=true").first
                element.wait_for(timeout=90_000)
                page.wait_for_timeout(wait_ms)
                element.scroll_into_view_if_needed()
                element.evaluate(SCROLL_TO)
                page.wait_for_timeout(500)
            target = out / f"{name}-{width_name}.png"
            page.screenshot(path=str(target), full_page=False)
            print(f"wrote {target}")
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="app,site", help="app, site or both (default: app,site)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    parts = args.only.split(",")
    from playwright.sync_api import sync_playwright

    if "app" in parts:
        with streamlit_server() as (url, _), sync_playwright() as p:
            browser = launch_chromium(p)
            _shoot(browser, url, APP_PAGES, args.out, 3_000)
            browser.close()
    if "site" in parts:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "leaderboard", "site", "--out", str(site)], cwd=ROOT, check=True)
            with static_server(site) as (url, _), sync_playwright() as p:
                browser = launch_chromium(p)
                _shoot(browser, url, SITE_PAGES, args.out, 200)
                browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

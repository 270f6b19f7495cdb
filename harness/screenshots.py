"""Screenshots of every page at 1440 and 390 px wide, in real headless Chromium, for docs/screenshots/.

python -m harness.screenshots [--out docs/screenshots] [--only leaderboard,model]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from harness.browser import ROOT, launch_chromium, streamlit_server
from leaderboard.links import record_id

PAGES = {
    "leaderboard-overview": "/",
    "leaderboard": "/?task=Text+Generation",
    "leaderboard-grouped": "/?task=Text+Generation&class=All&round=All+rounds",
    "leaderboard-all-results": "/?task=Text+Generation&show=All+results&q=openai-community/gpt2&round=All+rounds",
    "leaderboard-chart": "/?task=Text+Generation&view=Chart",
    "model": "/model?id=openai-community/gpt2&record=" + record_id("2025-02/text_generation/openai-community/gpt2"),
    "label": "/label?task=Automatic+Speech+Recognition",
    "model-unknown": "/model?id=openai-community/gpt3",
    "submit": "/submit",
    "about": "/about",
    "stability": "/stability",
    "model-unsure": "/model?id=google/gemma-3-4b-pt",
    "leaderboard-search-near-miss": "/?task=Text+Generation&q=gtp2",
    "leaderboard-overview-chart": "/?view=Chart",
    "leaderboard-compare": "/?view=Compare&cmp=openai-community%2Fgpt2+%C2%B7+Text+Generation+%C2%B7+2025-02"
    "&cmp=meta-llama%2FMeta-Llama-3.1-8B+%C2%B7+Text+Generation+%C2%B7+2025-02",
}
WIDTHS = {"1440": (1440, 900), "390": (390, 844)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    args = parser.parse_args()
    pages = {k: v for k, v in PAGES.items() if not args.only or k in args.only.split(",")}
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with streamlit_server() as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < 600)
            page = context.new_page()
            for name, path in pages.items():
                page.goto(url + path)
                page.get_by_test_id("stApp").wait_for(timeout=60_000)
                page.wait_for_timeout(4_000)  # let the grid, charts and images draw
                target = args.out / f"{name}-{width_name}.png"
                page.screenshot(path=str(target), full_page=False)
                print(f"wrote {target}")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

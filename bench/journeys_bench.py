"""Three user journeys timed in headless Chromium against a running app (medians of N runs):

    python bench/journeys_bench.py [--runs 5] [--checkout DIR]

(1) filter to a class: on Text Generation, pick class B, until the board shows class B;
(2) open a model's label and download its PNG: from the page that offers it (the model page where
    the app has one, else the label page) to the file saved;
(3) permalink round trip: open a shared link (Reasoning, class C, highest first) until its table.
``--checkout`` times another checkout of the app (e.g. an older commit) with the same browser; a checkout
whose boards are the older single data grid (no leaderboard/board.py) is driven through that grid's controls.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.browser import BOARD_ROWS, CELLS, launch_chromium, streamlit_server  # noqa: E402


def journey_filter(page, url: str, lists: bool) -> float:
    page.goto(url + "/?task=Text+Generation")
    page.wait_for_selector(BOARD_ROWS if lists else CELLS, state="attached", timeout=120_000)
    start = time.perf_counter()
    if lists:
        page.get_by_role("radiogroup", name="Model class").get_by_role("radio", name="B", exact=True).click()
        page.get_by_role("heading", name="Class B · December 2025 round · NVIDIA H100 80GB").wait_for(timeout=60_000)
    else:
        page.get_by_role("combobox", name="Model class").click()
        page.get_by_role("option", name="B", exact=True).click()
        page.get_by_text("Text Generation: 6 results").wait_for(timeout=60_000)
    return time.perf_counter() - start


def journey_label(page, url: str, has_model_page: bool) -> float:
    start = time.perf_counter()
    if has_model_page:
        page.goto(url + "/model?id=openai-community/gpt2")
    else:
        page.goto(url + "/label?task=Text+Generation&model=openai-community%2Fgpt2")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="PNG", exact=True).click(timeout=120_000)
    info.value.path()
    return time.perf_counter() - start


def journey_permalink(page, url: str, lists: bool) -> float:
    start = time.perf_counter()
    if lists:
        page.goto(url + "/?task=Reasoning&class=C&sort=Highest+GPU+energy+first")
        page.wait_for_selector(BOARD_ROWS, state="visible", timeout=120_000)
    else:
        page.goto(url + "/?task=Reasoning&class=C&sort=Highest+first")
        page.get_by_text("Reasoning: 8 results").wait_for(timeout=120_000)
        page.wait_for_selector(CELLS, state="attached", timeout=120_000)  # its grid drawn (its cells are hidden text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checkout", type=Path, default=ROOT)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app = args.checkout / "streamlit_app.py"
    has_model_page = (args.checkout / "leaderboard" / "ui" / "model_page.py").exists()
    lists = (args.checkout / "leaderboard" / "board.py").exists()
    times: dict[str, list[float]] = {"filter": [], "label": [], "permalink": []}
    with streamlit_server(app, cwd=args.checkout) as (url, _), sync_playwright() as p:
        browser = launch_chromium(p)
        for run in range(args.runs + 1):  # the first round is unmeasured: caches, first compile
            for name in times:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
                page = context.new_page()
                if name == "filter":
                    elapsed = journey_filter(page, url, lists)
                elif name == "label":
                    elapsed = journey_label(page, url, has_model_page)
                else:
                    elapsed = journey_permalink(page, url, lists)
                if run:
                    times[name].append(elapsed)
                context.close()
        browser.close()
    print(f"checkout: {args.checkout}  runs: {args.runs}")
    for name, values in times.items():
        print(f"({name}) median {statistics.median(values):.2f} s   runs: {', '.join(f'{v:.2f}' for v in values)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

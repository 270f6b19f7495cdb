"""Leaderboard speed, measured; prints medians and ratios.

    python bench/leaderboard_bench.py [--runs N] [--only warm,cold,rerun,rating]

(a) warm: server running, time from opening the page to the first rated table visible in
    headless Chromium, against the floor app (harness/floor_app.py) in the same run. Target ratio <= 1.2.
    The model page's first paint (/model?id=openai-community/gpt2, its results table) is timed in
    the same run against the same floor. Target ratio <= 1.5.
(b) cold: the same from a cold ``streamlit run`` (process start to table visible). Target ratio <= 1.3.
(c) rerun: server time of a rerun after a filter change (AppTest, in-process). Target <= 100 ms.
(d) rating: rating 1,000,000 synthetic rows. Target <= 0.3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.browser import BOARD_ROWS, CELLS, launch_chromium, rerun_times, streamlit_server, wait_healthy  # noqa: E402

APP_URL = "/?task=Text+Generation"
# The leaderboard is ready when its first ranked row is in the page, the model page when its first
# result's row is, the floor when its data grid's first cell is.
READY = {"app": BOARD_ROWS, "floor": CELLS, "model": "table.aies-model-results tbody tr"}
MODEL_URL = "/model?id=openai-community/gpt2"
SCRIPTS = {"app": "streamlit_app.py", "floor": "harness/floor_app.py"}


def time_page(browser, url: str, ready: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def bench_warm(browser, runs: int) -> dict:
    times: dict[str, list[float]] = {"app": [], "floor": [], "model": []}
    with streamlit_server(SCRIPTS["app"]) as (app_url, _), streamlit_server(SCRIPTS["floor"]) as (floor_url, _):
        urls = {"app": app_url + APP_URL, "floor": floor_url, "model": app_url + MODEL_URL}
        for name in times:  # one unmeasured visit each: caches, first compile
            time_page(browser, urls[name], READY[name])
        for _ in range(runs):
            for name in times:  # interleaved so drift hits both alike
                times[name].append(time_page(browser, urls[name], READY[name]))
    return times


def bench_cold(browser, runs: int) -> dict:
    times = {"app": [], "floor": []}
    for _ in range(runs):
        for name in times:
            start = time.perf_counter()
            with streamlit_server(SCRIPTS[name], wait=False) as (url, proc):
                wait_healthy(int(url.rsplit(":", 1)[1]), proc=proc)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(url + (APP_URL if name == "app" else ""))
                page.wait_for_selector(READY[name], state="attached", timeout=120_000)
                times[name].append(time.perf_counter() - start)
                context.close()
    return times


def bench_rating(runs: int) -> list[float]:
    import numpy as np
    import pandas as pd

    from leaderboard.rating import rate

    rng = np.random.default_rng(42)
    n = 1_000_000
    df = pd.DataFrame(
        {
            "task": pd.Categorical(rng.choice([f"task{i}" for i in range(11)], n)),
            "model_class": rng.choice(["A", "B", "C", None], n),
            "cohort": rng.choice(["2025-02", "2025-12", "2026-06"], n),
            "hardware": rng.choice(["NVIDIA H100 80GB", "NVIDIA H200"], n),
            "gpu_energy_wh_per_1k": rng.lognormal(1, 2, n),
        }
    )
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        rated = rate(df)
        times.append(time.perf_counter() - start)
    assert rated["stars"].between(1, 5).all()
    return times


def report(name: str, values: list[float], unit: str = "s", scale: float = 1.0) -> float:
    med = statistics.median(values)
    spread = ", ".join(f"{v * scale:.3f}" for v in values)
    print(f"{name:<34} median {med * scale:8.3f} {unit}   runs: {spread}")
    return med


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="warm,cold,rerun,rating")
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(f"runs per measurement: {args.runs}")
    if only & {"warm", "cold"}:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = launch_chromium(p)
            if "warm" in only:
                t = bench_warm(browser, args.runs)
                a, f = (
                    report("(a) warm page -> table, app", t["app"]),
                    report("(a) warm page -> table, floor", t["floor"]),
                )
                print(f"(a) ratio app/floor: {a / f:.2f} (target <= 1.2)")
                m = report("(a) warm model page -> table", t["model"])
                print(f"(a) ratio model page/floor: {m / f:.2f} (target <= 1.5)")
            if "cold" in only:
                t = bench_cold(browser, max(3, args.runs // 2))
                a, f = (
                    report("(b) cold run -> table, app", t["app"]),
                    report("(b) cold run -> table, floor", t["floor"]),
                )
                print(f"(b) ratio app/floor: {a / f:.2f} (target <= 1.3)")
            browser.close()
    if "rerun" in only:
        med = report("(c) rerun after filter change", rerun_times(args.runs), "ms", 1000)
        print(f"(c) target <= 100 ms: {'met' if med <= 0.1 else 'missed'}")
    if "rating" in only:
        med = report("(d) rate 1,000,000 rows", bench_rating(args.runs))
        print(f"(d) target <= 0.3 s: {'met' if med <= 0.3 else 'missed'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

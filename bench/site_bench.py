"""The static site's speed and weight, measured; prints medians and ratios.

    python bench/site_bench.py [--runs 7] [--only build,weight,warm] [--gradio-python PATH]

build:  ``python -m leaderboard site`` of the whole dataset into a new folder, process start to exit
        (target <= 30 s on the 2-core machine).
weight: a text-generation board as a new visitor downloads it, gzip: its HTML, stylesheet and script
        (target <= 150 KB).
warm:   servers running, time from opening the text-generation board to its first row visible in headless
        Chromium: the site on a static server (harness/static_server.py), this Streamlit app
        (``/?task=Text+Generation``, its first ranked row, as bench/leaderboard_bench.py times it) and a
        one-table Gradio page of the same rows (harness/gradio_floor.py), interleaved, after one unmeasured
        visit each. Targets: site <= 0.25 x the app and <= 0.5 x the Gradio floor.

The Gradio floor needs gradio, which pins an older pillow than the app's: it runs in a virtual environment
of its own (requirements-bench.txt; default ``.venv-bench/bin/python``). Without it the bench says so and
times the site and the app only.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.browser import BOARD_ROWS, free_port, launch_chromium, stop, streamlit_server, wait_answering  # noqa: E402
from harness.static_server import static_server  # noqa: E402
from leaderboard.site import paths  # noqa: E402

BOARD = "text_generation/"
APP_URL = "/?task=Text+Generation"
SITE_READY = ".board-list tbody tr"  # the first row of the board's first list, visible
# Gradio's table is virtual: its first visible body cell (the stars column) is the first row shown.
GRADIO_READY = 'span.text:has-text("★★★★★") >> visible=true'
DEFAULT_GRADIO_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
INSTALL = "python3 -m venv .venv-bench && .venv-bench/bin/pip install -r requirements-bench.txt"


def build(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "leaderboard", "site", "--out", str(out)], cwd=ROOT, check=True)
    return time.perf_counter() - start


def weight(folder: Path) -> dict[str, int]:
    files = [paths.board("text_generation"), paths.STYLESHEET, paths.BOARD_STYLESHEET, paths.SCRIPT]
    return {f: len(gzip.compress((folder / f).read_bytes(), 9)) for f in files}


def has_gradio(python: Path) -> bool:
    if not python.exists():
        return False
    return subprocess.run([str(python), "-c", "import gradio"], capture_output=True).returncode == 0


@contextlib.contextmanager
def gradio_server(python: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "NO_PROXY": "127.0.0.1,localhost"}
    proc = subprocess.Popen(
        [str(python), "harness/gradio_floor.py", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_answering(url, proc, "the Gradio floor", 120)
        yield url
    finally:
        stop(proc)


def time_page(browser, url: str, ready: str, state: str) -> float:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(ready, state=state, timeout=120_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def bench_warm(site: Path, runs: int, gradio_python: Path | None) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        site_url, _ = stack.enter_context(static_server(site))
        app_url, _ = stack.enter_context(streamlit_server())
        targets = {
            "site": (f"{site_url}/{BOARD}", SITE_READY, "visible"),
            "app": (app_url + APP_URL, BOARD_ROWS, "visible"),
        }
        if gradio_python is not None:
            targets["gradio"] = (stack.enter_context(gradio_server(gradio_python)), GRADIO_READY, "visible")
        p = stack.enter_context(sync_playwright())
        browser = launch_chromium(p)
        times: dict[str, list[float]] = {name: [] for name in targets}
        for target in targets.values():  # one unmeasured visit each: caches, first compile
            time_page(browser, *target)
        for _ in range(runs):
            for name, target in targets.items():  # interleaved so drift hits all alike
                times[name].append(time_page(browser, *target))
        browser.close()
    return times


def report(name: str, values: list[float], unit: str = "s") -> float:
    med = statistics.median(values)
    print(f"{name:<44} median {med:8.3f} {unit}   runs: {', '.join(f'{v:.3f}' for v in values)}")
    return med


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="build,weight,warm")
    parser.add_argument("--gradio-python", type=Path, default=DEFAULT_GRADIO_PYTHON)
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(f"runs per measurement: {args.runs}; cores: {len(os.sched_getaffinity(0))}")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        builds = [build(site if i == 0 else Path(tmp) / f"site-{i}") for i in range(3 if "build" in only else 1)]
        if "build" in only:
            med = report("build: the whole site, process start to exit", builds)
            print(f"build: target <= 30 s: {'met' if med <= 30 else 'missed'}")
        if "weight" in only:
            sizes = weight(site)
            total = sum(sizes.values())
            print("weight (gzip): " + ", ".join(f"{k} {v / 1000:.1f} KB" for k, v in sizes.items()))
            print(f"weight: text-generation board, gzip {total / 1000:.1f} KB (target <= 150 KB)")
        if "warm" in only:
            gradio_python: Path | None = args.gradio_python
            if not has_gradio(args.gradio_python):
                print(
                    f"gradio is missing at {args.gradio_python}: the Gradio floor is not timed. Install it: {INSTALL}"
                )
                gradio_python = None
            t = bench_warm(site, args.runs, gradio_python)
            s = report("warm: board -> first row, static site", t["site"])
            a = report("warm: board -> first row, this Streamlit app", t["app"])
            print(f"warm: ratio site/app: {s / a:.3f} (target <= 0.25)")
            if "gradio" in t:
                g = report("warm: one-table Gradio floor -> first row", t["gradio"])
                print(f"warm: ratio site/Gradio floor: {s / g:.3f} (target <= 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

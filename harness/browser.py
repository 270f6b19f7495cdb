"""Start a Streamlit server and a headless Chromium for browser tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Flags that keep Chromium off the network it cannot reach and fit a container run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(port: int, timeout_s: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        time.sleep(0.05)
    raise TimeoutError(f"streamlit did not answer on port {port} within {timeout_s} s")


def wait_answering(url: str, proc: subprocess.Popen[bytes], what: str, timeout_s: float) -> None:
    """Wait until ``url`` answers; a RuntimeError naming ``what`` if ``proc`` exits first or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:  # URLError included
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.05)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a server process: politely, then by force after 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def streamlit_server(
    script: str | Path = "streamlit_app.py", env: dict | None = None, wait: bool = True, cwd: Path = ROOT
):
    """Run ``streamlit run script`` in ``cwd`` (a checkout) on a free port; yields (base_url, process)."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    )
    try:
        if wait:
            try:
                wait_healthy(port, proc=proc)
            except (RuntimeError, TimeoutError) as exc:
                log.seek(0)
                raise RuntimeError(f"{exc}\n{log.read().decode(errors='replace')[-3000:]}") from None
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc)
        log.close()


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
            "(apt-get install chromium) or set CHROMIUM to its path."
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


TABLE = '[data-testid="stDataFrame"]'
# The data grid draws on a canvas; its accessible (hidden) cells carry the text.
CELLS = '[data-testid="stDataFrame"] [role="gridcell"]'


# A task board's ranked lists are HTML tables (templates/board_list.html.j2): one row per result.
BOARD_ROWS = "table.aies-table tbody tr"


def board_rows(page, timeout_ms: float = 60_000) -> list[str]:
    """Texts of the board's rows (every list) once the first is in the page."""
    page.wait_for_selector(BOARD_ROWS, state="attached", timeout=timeout_ms)
    return page.locator(BOARD_ROWS).all_inner_texts()


def table_text(page, timeout_ms: float = 60_000) -> list[str]:
    """Texts of the first data grid's cells once it is rendered."""
    page.wait_for_selector(CELLS, state="attached", timeout=timeout_ms)
    return page.locator(CELLS).all_text_contents()


def rerun_times(runs: int) -> list[float]:
    """Server time (s) of reruns after filter changes, measured in-process with AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["task"] = "Text Generation"
    at.run()
    changes = [("round", "all"), ("round", "latest"), ("class", "B"), ("class", "A")]
    times = []
    for i in range(runs * len(changes)):
        key, value = changes[i % len(changes)]
        widget = at.selectbox(key=key) if key == "round" else at.segmented_control(key=key)
        widget.set_value(value)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    return times

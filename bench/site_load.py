"""Loopback load test: concurrent readers of the text-generation board, against the static site on a
static server and against the Streamlit app, each for a fixed time; it stops by itself.

    python bench/site_load.py [--readers 200] [--seconds 60] [--only site,app] [--site DIR]

A reader repeats page views until the time is up, each a new visitor's: for the site, a new connection
that fetches the board's HTML, its stylesheet and its script (HTTP/1.1 keep-alive); for the app, the
page's HTML and a new session over its WebSocket that runs the page until its run finishes (the table's
data included: harness/streamlit_reader.py). Reported: page views served per second, latency of a view
(median and p95), failed views, and the server process's memory (resident set: at start and peak).
Traffic goes to 127.0.0.1 only; every request has a deadline, and the whole run one more.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.browser import streamlit_server  # noqa: E402
from harness.static_server import static_server  # noqa: E402

BOARD = "/text_generation/"
SITE_VIEW = (BOARD, "/assets/site.css", "/assets/site.js")
APP_QUERY = "task=Text+Generation"
REQUEST_TIMEOUT_S = 60.0  # a page view past this counts as failed


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    rss_kib: list[int] = field(default_factory=list)


def rss_kib(pid: int) -> int:
    """Resident memory of a process (KiB), from /proc; 0 where it cannot be read."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class MemorySampler:
    def __init__(self, pid: int, run: Run, every_s: float = 0.25) -> None:
        self.pid, self.run, self.every_s = pid, run, every_s
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.is_set():
            self.run.rss_kib.append(rss_kib(self.pid))
            self.stop.wait(self.every_s)

    def __enter__(self) -> MemorySampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: identity\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    await reader.readexactly(length)
    return status


async def site_view(base_url: str) -> None:
    parts = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        for path in SITE_VIEW:
            if await _get(reader, writer, parts.netloc, path) != 200:
                raise RuntimeError(f"{path}: not 200")
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def app_view(base_url: str) -> None:
    from harness.streamlit_reader import read_page

    parts = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        if await _get(reader, writer, parts.netloc, f"/?{APP_QUERY}") != 200:
            raise RuntimeError("the app's page: not 200")
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
    await read_page(base_url, APP_QUERY, timeout_s=REQUEST_TIMEOUT_S)


async def load(view, base_url: str, readers: int, seconds: float, run: Run) -> None:  # type: ignore[no-untyped-def]
    if urlsplit(base_url).hostname != "127.0.0.1":
        raise SystemExit("the load test only sends traffic to 127.0.0.1")
    deadline = time.monotonic() + seconds

    async def reader() -> None:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                await asyncio.wait_for(view(base_url), REQUEST_TIMEOUT_S)
            except Exception as exc:  # a failed view (refused, reset, past its deadline) is counted, never fatal
                run.failures += 1
                reason = "past the deadline" if isinstance(exc, asyncio.TimeoutError) else type(exc).__name__
                run.reasons[reason] = run.reasons.get(reason, 0) + 1
                await asyncio.sleep(0.05)
                continue
            run.latencies.append(time.perf_counter() - start)

    await asyncio.wait_for(asyncio.gather(*(reader() for _ in range(readers))), seconds + REQUEST_TIMEOUT_S + 10)


def measure(name: str, view, base_url: str, pid: int, readers: int, seconds: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    run = Run()
    time.sleep(0.5)
    start_rss = rss_kib(pid)
    with MemorySampler(pid, run):
        start = time.perf_counter()
        asyncio.run(load(view, base_url, readers, seconds, run))
        elapsed = time.perf_counter() - start
    lat = sorted(run.latencies)
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
    result = {
        "views": len(lat),
        "views_per_s": len(lat) / elapsed,
        "median_ms": statistics.median(lat) * 1000 if lat else float("nan"),
        "p95_ms": p95 * 1000,
        "failures": run.failures,
        "rss_start_mib": start_rss / 1024,
        "rss_peak_mib": max(run.rss_kib + [start_rss]) / 1024,
    }
    print(
        f"{name:<5} {readers} readers {seconds:g} s: {result['views']:,} views, {result['views_per_s']:,.1f} views/s, "
        f"latency median {result['median_ms']:,.0f} ms p95 {result['p95_ms']:,.0f} ms, {run.failures} failed"
        f"{' (' + ', '.join(f'{k}: {v}' for k, v in sorted(run.reasons.items())) + ')' if run.reasons else ''}; "
        f"server memory {result['rss_start_mib']:,.0f} MiB at start, {result['rss_peak_mib']:,.0f} MiB peak",
        flush=True,
    )
    return result


def build_site(out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "leaderboard", "site", "--out", str(out)], cwd=ROOT, check=True, capture_output=True
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--only", default="site,app", help="site, app or both (default)")
    parser.add_argument("--site", type=Path, help="A built site to serve (default: build one now)")
    args = parser.parse_args(argv)
    if not (1 <= args.readers <= 1000 and 0 < args.seconds <= 600):
        parser.error("--readers must be 1..1000 and --seconds 0..600")
    only = set(args.only.split(","))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if "site" in only:
            folder = args.site or Path(tmp) / "site"
            if args.site is None:
                build_site(folder)
            with static_server(folder) as (url, proc):
                results["site"] = measure("site", site_view, url, proc.pid, args.readers, args.seconds)
        if "app" in only:
            with streamlit_server() as (url, proc):
                asyncio.run(app_view(url))  # one unmeasured view: the first run loads and caches the data
                results["app"] = measure("app", app_view, url, proc.pid, args.readers, args.seconds)
    if {"site", "app"} <= set(results) and results["app"]["views"]:
        ratio = results["site"]["views_per_s"] / results["app"]["views_per_s"]
        print(f"site/app views per second: {ratio:,.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time to fall back to the embedded dataset when the Hub is unreachable; prints medians.

    python bench/hub_outage_bench.py [--runs N]

With ``AIES_RESULTS_DATASET=org/name`` and ``HF_HUB_OFFLINE`` unset, ``HF_ENDPOINT`` points at
each kind of outage: a name that never resolves (``.invalid``), a closed local port (connection
refused), a local port that accepts connections and never answers, and a local server answering
HTTP 503. Each kind runs ``python -m leaderboard export`` as a subprocess N times (wall time,
interpreter start included) and checks that the one-line fallback note was printed; then, in this
process, times a first ``load_results()`` and the second one that the remembered failure answers.
A run without the Hub setting gives the command's floor. Target <= 2 s per export. No network is
used beyond this machine's resolver (which answers ``.invalid`` with "no such name").
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FALLBACK_NOTE = "Showing the embedded dataset instead"
TARGET_S = 2.0


class _ServerError(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.send_response(503)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def outages() -> Iterator[dict[str, str]]:
    """Endpoint per failure kind; the local listeners live as long as the context."""
    with socket.socket() as silent, ThreadingHTTPServer(("127.0.0.1", 0), _ServerError) as server:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # the kernel completes the handshakes; nobody ever reads or answers
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield {
                "name not resolved": "http://nonexistent.invalid",
                "connection refused": f"http://127.0.0.1:{closed_port()}",
                "accepts, never answers": f"http://127.0.0.1:{silent.getsockname()[1]}",
                "server error (HTTP 503)": f"http://127.0.0.1:{server.server_address[1]}",
            }
        finally:
            server.shutdown()


def export_env(endpoint: str | None, store: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")}
    env["AIES_STORE_DIR"] = store  # an empty store of its own, never the repository's
    env.pop("AIES_RESULTS_DATASET", None)
    env.pop("HF_ENDPOINT", None)
    if endpoint is not None:
        env["AIES_RESULTS_DATASET"] = "org/name"
        env["HF_ENDPOINT"] = endpoint
    return env


def time_export(endpoint: str | None, runs: int, store: str) -> tuple[list[float], bool, str]:
    """Wall times of ``python -m leaderboard export``, whether every run printed the note, the last note."""
    times, noted, note = [], True, ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "leaderboard", "export"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=export_env(endpoint, store),
            timeout=120,
        )
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"export failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        note = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
        noted = noted and (FALLBACK_NOTE in note) == (endpoint is not None)
    return times, noted, note


def time_in_process(endpoint: str, runs: int) -> tuple[list[float], list[float], int]:
    """First ``load_results()`` with a fresh gate, then the second, answered by the remembered failure;
    and how many times the Hub was probed in all."""
    from leaderboard import sources

    probes = 0

    def counted(endpoint: str, repo_id: str, revision: str, timeout_s: float) -> str | None:
        nonlocal probes
        probes += 1
        return sources.probe_endpoint(endpoint, repo_id, revision, timeout_s)

    os.environ["HF_ENDPOINT"] = endpoint
    first: list[float] = []
    second: list[float] = []
    for _ in range(runs):
        sources.HUB_GATE = sources.HubGate(probe=counted)
        for times in (first, second):
            start = time.perf_counter()
            loaded = sources.load_results()
            times.append(time.perf_counter() - start)
            assert loaded.warning and FALLBACK_NOTE in loaded.warning, loaded.warning
    return first, second, probes


def row(label: str, times: list[float], note: str) -> str:
    median = statistics.median(times)
    verdict = "ok" if median <= TARGET_S else "SLOW"
    return f"{label:<46} {median:>8.2f} {min(times):>7.2f} {max(times):>7.2f}  {verdict:<4}  {note}"


def kind_of(note: str) -> str:
    """The failure kind the note names, e.g. "(connection refused)"."""
    head = note.split(FALLBACK_NOTE)[0]
    tags = [part.split(")")[0] for part in head.split("(")[1:]]
    return next((t for t in tags if not t.startswith("AIES_")), "?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "AIES_HUB_RETRY_S"):
        os.environ.pop(name, None)
    os.environ["AIES_RESULTS_DATASET"] = "org/name"

    header = f"{'case':<46} {'median s':>8} {'min':>7} {'max':>7}  {'':<4}  fallback note / kind named"
    print(f"{args.runs} runs each; target <= {TARGET_S:g} s\n")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as store, outages() as endpoints:
        times, ok, _ = time_export(None, args.runs, store)
        print(row("export, no Hub setting (floor)", times, "no note" if ok else "UNEXPECTED NOTE"))
        for kind, endpoint in endpoints.items():
            times, ok, note = time_export(endpoint, args.runs, store)
            print(row(f"export, {kind}", times, f"printed: {kind_of(note)}" if ok else "MISSING"))
        for kind, endpoint in endpoints.items():
            first, second, probes = time_in_process(endpoint, args.runs)
            print(row(f"in process, {kind}: 1st load", first, "fallback"))
            print(row(f"in process, {kind}: 2nd load", second, f"fallback; {probes} probes for {2 * args.runs} loads"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

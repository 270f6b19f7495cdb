"""A static file server for the built site, as a static host serves it: Python's ThreadingHTTPServer
(HTTP/1.1, keep-alive), ``404.html`` for a missing path, no request log. The browser tests, the
benchmarks and the load test start it as a process of its own:

    python -m harness.static_server DIR [--port N]
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from harness.browser import ROOT, free_port, stop, wait_answering


class SiteHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".svg": "image/svg+xml", ".js": "text/javascript"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # a static host's listen backlog (nginx: 511), not socketserver's 5


def serve(folder: Path, port: int) -> None:
    server = SiteServer(("127.0.0.1", port), partial(SiteHandler, directory=str(folder)))
    server.serve_forever()


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Serve ``folder`` on a free port in a process of its own; yields (base URL, process)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness.static_server", str(folder), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_answering(url + "/", proc, f"the static server on port {port}", 30)
        yield url, proc
    finally:
        stop(proc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    serve(args.folder, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

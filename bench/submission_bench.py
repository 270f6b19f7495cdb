"""Time to validate a 50 MB submission; prints medians.

    python bench/submission_bench.py [--runs N]

Two 50 MB uploads (the limit): one large incompressible log beside the reports, and the same
bytes spread over 1,990 members. Validation = reading the zip in memory within the limits,
parsing the reports, every check, and the SHA-256 of the upload. Target <= 1 s.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.zips import energy_star_files, make_zip  # noqa: E402
from leaderboard.submissions import MAX_ZIP_BYTES, Claim, check_zip  # noqa: E402


def upload(members: int) -> bytes:
    files = energy_star_files()
    budget = MAX_ZIP_BYTES - len(make_zip(files)) - 300 * members - 4096
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, body in files.items():
            zf.writestr(name, body if isinstance(body, str) else __import__("json").dumps(body))
        for i in range(members):
            zf.writestr(f"run/logs/part-{i:04d}.log", os.urandom(budget // members))
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    claim = Claim(task="text_generation", model="org/model", model_class="A", hardware="NVIDIA H100 80GB")
    for members in (1, 1990):
        data = upload(members)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            report = check_zip(data, claim)
            times.append(time.perf_counter() - start)
        assert report.valid, report.failures
        print(
            f"validate {len(data) / 2**20:.1f} MiB upload, {members + 3} members: median "
            f"{statistics.median(times) * 1000:.0f} ms over {args.runs} runs "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})  target <= 1,000 ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

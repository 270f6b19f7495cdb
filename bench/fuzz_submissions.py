"""A long fuzz run of the submission checker (the suite runs a short one): inputs tried, time,
exceptions escaped (target 0), broken invariants, the slowest input, and which checks the inputs reached.

    python bench/fuzz_submissions.py [--seconds 300] [--seed 1] [--save-failures DIR]

Inputs are valid zips of every layout, mutated at the zip and JSON level (``harness/fuzz.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import fuzz  # noqa: E402

REFERENCE_REPORT = ROOT / "reference" / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--save-failures", type=Path, help="Write each failing input here, for a regression test.")
    args = parser.parse_args()

    def progress(o: fuzz.Outcome) -> None:
        if o.inputs % 20_000 == 0:
            print(f"  {o.inputs:,} inputs, {sum(o.escaped.values())} escaped", file=sys.stderr, flush=True)

    o = fuzz.run(args.seconds, args.seed, REFERENCE_REPORT.read_bytes(), progress=progress)
    print(
        f"inputs {o.inputs:,} in {o.seconds:.0f} s ({o.inputs / o.seconds:,.0f}/s), seed {args.seed}; "
        f"valid {o.valid:,}; slowest input {o.slowest_s * 1000:.0f} ms"
    )
    print(f"exceptions escaped: {sum(o.escaped.values())} ({len(o.escaped)} distinct sites)")
    for site, n in o.escaped.most_common():
        print(f"  {n:>6}  {site}")
    print(f"broken invariants: {len(o.problems)}")
    for problem in sorted(set(o.problems))[:20]:
        print(f"  {problem}")
    print("checks reached (name: pass / warn / fail):")
    for name in sorted({n for n, _ in o.checks}):
        counts = " / ".join(f"{o.checks[(name, s)]:,}" for s in ("pass", "warn", "fail"))
        print(f"  {name:<30} {counts}")
    if args.save_failures:
        args.save_failures.mkdir(parents=True, exist_ok=True)
        for i, (what, data) in enumerate(o.examples.items()):
            (args.save_failures / f"failure-{i:03d}.zip").write_bytes(data)
            print(f"saved failure-{i:03d}.zip: {what}")
    return 1 if o.escaped or o.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

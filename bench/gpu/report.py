"""Tables of the H200 measurements kept in bench/gpu/results/ (medians are not needed: 3 repeats,
mean, 95% CI and CV are printed as the runner computed them).

    python bench/gpu/report.py [--include-first-attempt]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(RESULTS.parents[2]))

from leaderboard.runfolder import RUNNER_SUMMARY  # noqa: E402


def summaries(include_first: bool):
    for path in sorted(RESULTS.glob(f"*/runs/*/{RUNNER_SUMMARY}")):
        part = path.parts[-4]
        if part == "first-attempt" and not include_first:
            continue
        yield part, path.parent.name, json.loads(path.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include-first-attempt", action="store_true")
    args = parser.parse_args()
    print(
        f"{'run':<28}{'phase':<11}{'Wh/1k q':>10}{'±95% CI':>10}{'CV':>8}{'passes':>8}{'min win s':>10}"
        f"{'CodeCarbon':>12}{'diff':>9}"
    )
    for part, name, s in summaries(args.include_first_attempt):
        label = f"{part}/{name}"
        for phase, p in s["phases"].items():
            ref = p.get("reference_codecarbon_wh_per_1k")
            diff = f"{(ref - p['gpu_energy_wh_per_1k']) / p['gpu_energy_wh_per_1k'] * 100:+.3f}%" if ref else "-"
            print(
                f"{label:<28}{phase:<11}{p['gpu_energy_wh_per_1k']:>10.4f}{p['ci95_wh_per_1k']:>10.4f}"
                f"{p['cv'] * 100:>7.2f}%{p['passes_per_window']:>8}{min(p['window_s']):>10.1f}"
                f"{ref if ref is not None else float('nan'):>12.4f}{diff:>9}"
            )
        o = s["overhead"]
        print(
            f"{label:<28}{'total':<11}{s['total_gpu_energy_wh_per_1k']:>10.4f}{s['total_ci95_wh_per_1k']:>10.4f}"
            f"{s['total_cv'] * 100:>7.2f}%   idle {s['idle_power_w']['before']:.1f}/{s['idle_power_w']['after']:.1f} W"
            f"   edge overhead {o['share_of_run'] * 100:.3f}% of {o['run_wall_s']:.0f} s"
            f"   {s['num_queries']} queries, {s['gpu']['name']}, driver {s['gpu']['driver']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

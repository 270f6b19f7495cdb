"""Tables of the H200 measurements kept in bench/gpu/results/: every run, the reproducibility of the
same command on two machines, and the share of each phase's energy that idle power accounts for.

    python bench/gpu/report.py [--include-first-attempt]     every run, per phase (mean, 95% CI, CV)
    python bench/gpu/report.py --reproducibility             the same command on two machines
    python bench/gpu/report.py --idle                        idle share of each phase (round 2 runs)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(RESULTS.parents[2]))

from leaderboard.runfolder import RUNNER_SUMMARY, RunSummary  # noqa: E402

# The same command on two different machines (each part is one lease; part-1/part-2 are the first
# round's machine). Generative configs are compared in graph decode mode, the repeatable one; the
# forward-only configs have one mode. The generate-mode rows follow for comparison.
REPEATABLE = (
    ("gpt2", "graph", "round2-a/runs/tg-gpt2-graph", "round2-c/runs/tg-gpt2-graph"),
    ("llama-1b", "graph", "round2-a/runs/tg-llama-1b-graph", "round2-c/runs/tg-llama-1b-graph"),
    ("llama-8b", "graph", "round2-a/runs/tg-llama-8b-graph", "round2-c/runs/tg-llama-8b-graph"),
    ("bert-base", "forward", "part-2/runs/tc-bert-base", "round2-a/runs/tc-bert-base"),
    ("vit-base", "forward", "part-1/runs/ic-vit-base", "round2-a/runs/ic-vit-base"),
)
GENERATE_MODE = (
    ("gpt2", "generate", "part-2/runs/tg-gpt2", "round2-a/runs/tg-gpt2"),
    ("llama-1b", "generate", "part-2/runs/tg-llama-1b", "round2-b/runs/tg-llama-1b"),
)


def load(folder: str) -> RunSummary:
    path = RESULTS / folder / RUNNER_SUMMARY
    return RunSummary.from_json(json.loads(path.read_text()), str(path))


def summaries(include_first: bool) -> list[tuple[str, str, RunSummary]]:
    out = []
    for path in sorted(RESULTS.glob(f"*/runs/*/{RUNNER_SUMMARY}")):
        part = path.parts[-4]
        if part == "first-attempt" and not include_first:
            continue
        out.append((part, path.parent.name, RunSummary.from_json(json.loads(path.read_text()), str(path))))
    return out


def pct(value: float | None) -> str:
    return f"{value * 100:6.2f}%" if value is not None else "     -"


def every_run(include_first: bool) -> None:
    print(f"{'run':<30}{'phase':<11}{'Wh/1k q':>10}{'±95% CI':>10}{'CV':>8}{'passes':>8}{'min win s':>10}")
    for part, name, s in summaries(include_first):
        label = f"{part}/{name}"
        for phase, p in s.phases.items():
            ci = f"{p.ci95_wh_per_1k:>10.4f}" if p.ci95_wh_per_1k is not None else f"{'-':>10}"
            print(
                f"{label:<30}{phase:<11}{p.gpu_energy_wh_per_1k:>10.4f}{ci}{pct(p.cv):>8}{p.passes_per_window:>8}"
                f"{min(p.window_s):>10.1f}"
            )
        mode = s.settings.decode_mode or "-"
        print(
            f"{label:<30}{'total':<11}{s.total_gpu_energy_wh_per_1k:>10.4f}{s.total_ci95_wh_per_1k or 0:>10.4f}"
            f"{pct(s.total_cv):>8}   {s.num_queries} queries, batch {s.settings.batch_size}, decode {mode}, "
            f"{s.gpu.count} x {s.gpu.name}, idle {s.idle_power_w_before or 0:.1f}/{s.idle_power_w_after or 0:.1f} W"
        )


def active(s: RunSummary) -> float | None:
    """Total minus the idle share (idle power x time) of every phase: the energy the work added.
    First-round summaries predate the idle figure: it is computed the runner's way from their idle
    power and pass durations."""
    if s.idle_power_w_before is None or s.idle_power_w_after is None:
        return None
    idle_w = (s.idle_power_w_before + s.idle_power_w_after) / 2
    total = 0.0
    for p in s.phases.values():
        idle = p.idle_wh_per_1k
        if idle is None:
            idle = idle_w * (p.duration_s or 0.0) / 3600.0 * 1000.0 / s.num_queries
        total += p.gpu_energy_wh_per_1k - idle
    return total


def reproducibility() -> None:
    print(
        f"{'config':<11}{'mode':<10}{'machine 1 Wh/1k':>16}{'machine 2 Wh/1k':>16}{'spread':>9}"
        f"{'CV run 1':>10}{'CV run 2':>10}{'active spread':>15}"
    )
    spreads = []
    for rows, counted in ((REPEATABLE, True), (GENERATE_MODE, False)):
        for config, mode, first, second in rows:
            a, b = load(first), load(second)
            x, y = a.total_gpu_energy_wh_per_1k, b.total_gpu_energy_wh_per_1k
            spread = abs(x - y) / ((x + y) / 2)
            if counted:
                spreads.append(spread)
            ax, ay = active(a), active(b)
            active_spread = f"{abs(ax - ay) / ((ax + ay) / 2) * 100:>14.1f}%" if ax and ay else f"{'-':>15}"
            print(
                f"{config:<11}{mode:<10}{x:>16.4f}{y:>16.4f}{spread * 100:>8.1f}%{pct(a.total_cv):>10}"
                f"{pct(b.total_cv):>10}{active_spread}"
            )
    print(
        "(machine 1 / machine 2: "
        + "; ".join(f"{c}: {f.split('/')[0]} / {s.split('/')[0]}" for c, _, f, s in REPEATABLE)
        + ")"
    )
    print(f"max spread: {max(spreads) * 100:.1f}%")


def idle_share() -> None:
    print(f"{'run':<30}{'phase':<11}{'Wh/1k q':>10}{'idle Wh/1k':>12}{'idle share':>12}{'active Wh/1k':>14}")
    for part, name, s in summaries(False):
        for phase, p in s.phases.items():
            if p.idle_wh_per_1k is None or phase == "preprocess":
                continue
            share = p.idle_wh_per_1k / p.gpu_energy_wh_per_1k
            print(
                f"{part + '/' + name:<30}{phase:<11}{p.gpu_energy_wh_per_1k:>10.4f}{p.idle_wh_per_1k:>12.4f}"
                f"{share * 100:>11.1f}%{p.gpu_energy_wh_per_1k - p.idle_wh_per_1k:>14.4f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include-first-attempt", action="store_true")
    parser.add_argument("--reproducibility", action="store_true")
    parser.add_argument("--idle", action="store_true")
    args = parser.parse_args()
    if args.reproducibility:
        reproducibility()
    elif args.idle:
        idle_share()
    else:
        every_run(args.include_first_attempt)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Tables of the H200 measurements kept in bench/gpu/results/: every run, the reproducibility of the
same command on two machines, and the share of each phase's energy that idle power accounts for.

    python bench/gpu/report.py [--include-first-attempt]     every run, per phase (mean, 95% CI, CV)
    python bench/gpu/report.py --reproducibility             the same command on two machines
    python bench/gpu/report.py --idle                        idle share of each phase (round 2 runs)
    python bench/gpu/report.py --harnesses                   the official v2 harness beside this runner
    python bench/gpu/report.py --round3                      the H100 runs with validity gates, and the
                                                             February 2025 reproduction beside the published figures
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(RESULTS.parents[2]))

from leaderboard.runfolder import RUNNER_SUMMARY  # noqa: E402
from leaderboard.runsummary import RunSummary  # noqa: E402

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


HARNESS_PARTS = ("harnesses-a", "harnesses-b", "harnesses-c")  # bench/gpu/harnesses.sh, three leases


def harness_runs() -> dict[tuple[str, str], list[tuple[str, float, float, float | None]]]:
    """(harness, model) -> [(machine, Wh per 1,000 queries, seconds per query, NVML Wh/1k)] of the side-by-side."""
    out: dict[tuple[str, str], list[tuple[str, float, float, float | None]]] = {}
    for part in HARNESS_PARTS:
        for folder in sorted((RESULTS / part / "runs").glob("*")):
            kind, _, rest = folder.name.partition("-")
            model = rest.rsplit("-", 1)[0]
            if kind == "official":
                report = json.loads((folder / "benchmark_report.json").read_text())
                cross = json.loads((folder / "nvml_crosscheck.json").read_text())
                n = report["config"]["num_samples"]
                row = (
                    part[-1],
                    report["energy"]["gpu_energy_wh"] * 1000 / n,
                    report["summary"]["total_duration_seconds"] / n,
                    cross["nvml_gpu_energy_wh"] * 1000 / n,
                )
            else:
                summary = load(f"{part}/runs/{folder.name}")
                seconds = sum(p.duration_s or 0.0 for p in summary.phases.values())  # decode = generate - prefill
                row = (part[-1], summary.total_gpu_energy_wh_per_1k, seconds / summary.num_queries, None)
            out.setdefault((kind, model), []).append(row)
    return out


def harnesses() -> None:
    import statistics

    names = {"official": "official v2 harness", "eager": "runner, generate", "graph": "runner, CUDA-graph decode"}
    print(
        "| harness | model | runs (Wh per 1,000 queries; machine) | median | spread | s per query | NVML/CodeCarbon |"
    )
    print("|---|---|---|---|---|---|---|")
    runs = harness_runs()
    for model in ("gpt2", "llama-1b"):
        for kind in ("official", "eager", "graph"):
            rows = runs.get((kind, model), [])
            if not rows:
                continue
            values = [r[1] for r in rows]
            shown = ", ".join(f"{v:.2f} ({m})" for m, v, _, _ in rows)
            spread = (max(values) - min(values)) / statistics.median(values)
            seconds = statistics.median(r[2] for r in rows)
            cross = [r[3] / r[1] - 1 for r in rows if r[3] is not None]
            nvml = f"{max(abs(c) for c in cross) * 100:.3f}% max" if cross else "-"
            print(
                f"| {names[kind]} | {model} | {shown} | {statistics.median(values):.2f} | {spread * 100:.0f}% | "
                f"{seconds:.3f} | {nvml} |"
            )
    for model in ("gpt2", "llama-1b"):
        official = statistics.median(r[1] for r in runs.get(("official", model), []))
        for kind in ("eager", "graph"):
            other = statistics.median(r[1] for r in runs.get((kind, model), []))
            print(f"{model}: official / {names[kind]} = {official / other:.1f}x")


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


# Published February 2025 figures on NVIDIA H100 80GB (reference/aienergyscore/leaderboard-2025-02, Wh per 1,000
# queries) of the architectures the runner's shipped configs reproduce.
PUBLISHED_FEB_2025 = {
    "tg-gpt2": ("openai-community/gpt2", 2.146),
    "ic-vit-base": ("google/vit-base-patch16-224", 0.583),
    "su-bart-large": ("facebook/bart-large-cnn", 2.039),
}


def round3() -> None:
    print("| run (H100, machine a) | total Wh/1k | CV per phase | gates | settling |")
    print("|---|---|---|---|---|")
    for folder in sorted((RESULTS / "round3-a" / "runs").iterdir()):
        if not folder.is_dir():
            continue
        summary = load(f"round3-a/runs/{folder.name}")
        cvs = ", ".join(f"{n} {(p.cv or 0) * 100:.1f}%" for n, p in summary.phases.items())
        gates = summary.gates
        verdict = (
            "not recorded"
            if gates is None
            else gates.verdict + (f" ({', '.join(gates.reasons)})" if gates.reasons else "")
        )
        settle = "; ".join(
            f"{s.phase} {s.seconds:.1f} s{'' if s.settled else ' (not steady)'}"
            for s in (gates.settling if gates else ())
        )
        print(f"| {folder.name} | {summary.total_gpu_energy_wh_per_1k:.3f} | {cvs} | {verdict} | {settle} |")
    print()
    print("| architecture | runner, generate mode (Wh/1k) | published February 2025 | runner / published |")
    print("|---|---|---|---|")
    for name, (model, published) in PUBLISHED_FEB_2025.items():
        summary = load(f"round3-a/runs/{name}")
        total = summary.total_gpu_energy_wh_per_1k
        print(f"| {model} | {total:.3f} | {published:.3f} | {total / published:.2f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--include-first-attempt", action="store_true")
    parser.add_argument("--reproducibility", action="store_true")
    parser.add_argument("--harnesses", action="store_true", help="The official v2 harness beside this runner.")
    parser.add_argument("--idle", action="store_true")
    parser.add_argument("--round3", action="store_true", help="The H100 runs with validity gates.")
    args = parser.parse_args()
    if args.round3:
        round3()
    elif args.harnesses:
        harnesses()
    elif args.reproducibility:
        reproducibility()
    elif args.idle:
        idle_share()
    else:
        every_run(args.include_first_attempt)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

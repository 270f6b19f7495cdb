"""What a determined submitter's uploads get: each attack class, the cases built for it, and the outcome.

    python bench/gate_attacks.py

Every case starts from an honest run folder (``harness/zips.py``) and changes what an attacker would
change, keeping every sum, checksum and mean consistent unless the attack is about them. Outcome:
``refused`` (a failed check: never stored), ``held`` (valid, but a warning a maintainer must
acknowledge with a reason before it reaches a board: off-protocol, unprovable class, far from the
published range, …), each compared with the honest folder of the same kind, whose own warnings are
shown apart; ``THROUGH`` when nothing holds it. The target: no case gets through. Exit status 1 if
one does.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.zips import energy_star_dev_files, energy_star_files, make_zip, runner_files, v2_files  # noqa: E402
from leaderboard.submissions import Claim, Report, check_zip  # noqa: E402

REFERENCE = ROOT / "reference" / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"
CLAIM = Claim(task="text_generation", model="openai-community/gpt2", model_class="A", hardware="NVIDIA H100 80GB")
OPT_CLAIM = Claim(task="text_generation", model="org/model", model_class="A", hardware="NVIDIA H100 80GB")
Files = dict[str, object]
Built = tuple[str, bytes]  # the kind of folder (for its honest baseline) and the zip


def runner(tamper: Callable[[Files], None] | None = None, **kw: object) -> Built:
    """A runner folder changed by ``tamper``, its summary's checksums recomputed (as an attacker would)."""

    def resigned(files: Files) -> None:
        if tamper is not None:
            tamper(files)
        summary = files["energy_score_summary.json"]
        assert isinstance(summary, dict)
        summary["files_sha256"] = {
            name: hashlib.sha256((json.dumps(files[name], indent=2) + "\n").encode()).hexdigest()
            for name in ("benchmark_config.json", "benchmark_report.json")
        }

    return "runner", make_zip(runner_files(tamper=resigned, **kw))


def optimum(edit: Callable[[Files], None], **kw: object) -> Built:
    files = energy_star_files(**kw)
    edit(files)
    return "optimum", make_zip(files)


def reference(edit: Callable[[dict], None]) -> Built:
    report = json.loads(REFERENCE.read_text())
    edit(report)
    return "reference", make_zip(energy_star_dev_files(report))


def v2(**kw: object) -> Built:
    return "v2", make_zip(v2_files(**{"model": "org/model", **kw}))


def scaled(factor: float, durations: bool) -> Callable[[Files], None]:
    """A tamper scaling every energy (and with ``durations`` every duration, latency and idle share) of a runner
    folder's summary and report alike, so every sum still adds up."""

    def tamper(files: Files) -> None:
        summary, report = files["energy_score_summary.json"], files["benchmark_report.json"]
        assert isinstance(summary, dict) and isinstance(report, dict)
        summary["total_gpu_energy_wh_per_1k"] *= factor
        for p in summary["phases"].values():
            p["gpu_energy_wh"] *= factor
            p["gpu_energy_wh_per_1k"] *= factor
            p["values_wh_per_1k"] = [v * factor for v in p["values_wh_per_1k"]]
            if durations:
                p["duration_s"] *= factor
                p["idle_wh_per_1k"] *= factor
        for section in report.values():
            section["energy"]["gpu"] *= factor
            section["energy"]["total"] *= factor
            if durations:
                section["latency"]["values"] = [v * factor for v in section["latency"]["values"]]

    return tamper


def halve_decode(report: dict) -> None:
    """Decode's GPU energy halved in every reading, each total kept the sum of its parts."""

    for record in [report["decode"]["energy"], *report["decode"]["measures"]]:
        gpu = record["gpu"] / 2
        record["total"] -= record["gpu"] - gpu
        record["gpu"] = gpu


def gpu_into_cpu(report: dict) -> None:
    """Half of decode's GPU energy moved into the CPU field in every reading; totals unchanged."""

    for record in [report["decode"]["energy"], *report["decode"]["measures"]]:
        record["cpu"] += record["gpu"] * 0.5
        record["gpu"] *= 0.5


def _config(edit: Callable[[dict], None]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        cfg = files["run/benchmark_config.json"]
        assert isinstance(cfg, dict)
        edit(cfg)

    return apply


def _summary(edit: Callable[[dict], None]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        summary = files["energy_score_summary.json"]
        assert isinstance(summary, dict)
        edit(summary)

    return apply


def _two_configs(files: Files) -> None:
    other = copy.deepcopy(files["run/benchmark_config.json"])
    assert isinstance(other, dict)
    other["backend"]["torch_dtype"] = "float16"
    files["run/benchmark.json"] = {"config": other, "report": files["run/benchmark_report.json"]}


LOW = {"prefill": [80.0, 80.0, 8.0, 8.0, 8.0], "decode": [68.0, 68.0, 6.8, 6.8, 6.8]}
CASES: list[tuple[str, str, Callable[[], Built], Claim]] = [
    (
        "wrong number",
        "no query count (a 200-query pass read as 1,000)",
        lambda: optimum(lambda f: None, num_samples=None),
        OPT_CLAIM,
    ),
    (
        "wrong number",
        "one high 'outlier' repeat added",
        lambda: runner(values_wh_per_1k={"prefill": [80.0] * 3 + [80.0], "decode": [68.0] * 3 + [400.0]}),
        CLAIM,
    ),
    ("wrong number", "honest repeats made the minority", lambda: runner(values_wh_per_1k=LOW), CLAIM),
    (
        "wrong number",
        "a zero-prefill repeat to drop a high total",
        lambda: runner(values_wh_per_1k={"prefill": [80.0, 80.0, 80.0, 0.0], "decode": [68.0, 68.0, 68.0, 400.0]}),
        CLAIM,
    ),
    (
        "wrong number",
        "kWh written as Wh, durations scaled too",
        lambda: runner(scaled(1e-3, durations=True)),
        CLAIM,
    ),
    (
        "wrong number",
        "energy scaled x0.1, durations kept",
        lambda: runner(scaled(0.1, durations=False)),
        CLAIM,
    ),
    (
        "wrong number",
        "energy x0.5 with window records scaled",
        lambda: runner(scaled(0.5, durations=True)),
        CLAIM,
    ),
    (
        "wrong number",
        "idle share rewritten",
        lambda: runner(_summary(lambda s: s["phases"]["decode"].update(idle_wh_per_1k=1.0))),
        CLAIM,
    ),
    (
        "wrong number",
        "windows and idle power removed",
        lambda: runner(
            _summary(
                lambda s: (
                    s.update(idle_power_w={"before": None, "after": None}),
                    [p.update(window_s=[]) for p in s["phases"].values()],
                )
            )
        ),
        CLAIM,
    ),
    ("wrong number", "decode energy halved, efficiency kept", lambda: reference(halve_decode), OPT_CLAIM),
    ("wrong number", "GPU energy moved into the cpu field", lambda: reference(gpu_into_cpu), OPT_CLAIM),
    (
        "wrong number",
        "report latency rewritten",
        lambda: runner(lambda f: f["benchmark_report.json"]["prefill"]["latency"].update(values=[0.001])),
        CLAIM,
    ),  # type: ignore[index]
    (
        "wrong number",
        "summary claims 10^12 repeats",
        lambda: runner(_summary(lambda s: s["phases"]["prefill"].update(repeats=10**12))),
        CLAIM,
    ),
    (
        "wrong number",
        "far above the published range, plausible power",
        lambda: runner(
            values_wh_per_1k={"prefill": [34000.0] * 2, "decode": [34000.0] * 2},
            duration_s={"prefill": 34000 * 3.6 / 0.3, "decode": 34000 * 3.6 / 0.3},
        ),
        CLAIM,
    ),
    (
        "claim",
        "a 124 M model claimed as class C",
        lambda: runner(),
        Claim(task="text_generation", model="openai-community/gpt2", model_class="C"),
    ),
    (
        "claim",
        "class C with no parameter count in the logs",
        lambda: v2(),
        Claim(task="text_generation", model="org/model", model_class="C"),
    ),
    (
        "claim",
        "random weights in the summary",
        lambda: runner(_summary(lambda s: s.update(no_weights=True))),
        CLAIM,
    ),
    (
        "claim",
        "random weights in the config",
        lambda: optimum(_config(lambda c: c["backend"].update(no_weights=True))),
        OPT_CLAIM,
    ),
    (
        "claim",
        "a GPU id listed four times",
        lambda: optimum(_config(lambda c: c["backend"].update(device_ids="0,0,0,0")), gpu_count=4),
        OPT_CLAIM,
    ),
    (
        "claim",
        "local model folder under a Hub id",
        lambda: v2(model="/tmp/model"),
        Claim(task="text_generation", model="meta-llama/Llama-3.1-70B", model_class="C"),
    ),
    (
        "claim",
        "hardware one word off (board from the logs)",
        lambda: runner(),
        Claim(
            task="text_generation",
            model="openai-community/gpt2",
            model_class="A",
            hardware="NVIDIA H100 80GB SXM5 Turbo",
        ),
    ),
    (
        "protocol",
        "bnb 4-bit quantization",
        lambda: optimum(
            _config(
                lambda c: c["backend"].update(quantization_scheme="bnb", quantization_config={"load_in_4bit": True})
            )
        ),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "autocast FP16",
        lambda: optimum(_config(lambda c: c["backend"].update(autocast_enabled=True, autocast_dtype="float16"))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "dtype in model_kwargs",
        lambda: optimum(_config(lambda c: c["backend"].update(model_kwargs={"torch_dtype": "float16"}))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "input truncation (max_length 16)",
        lambda: optimum(_config(lambda c: c["scenario"].update(truncation=True, max_length=16))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "generate_kwargs max_time",
        lambda: optimum(_config(lambda c: c["scenario"]["generate_kwargs"].update(max_time=0.01))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "another dataset config",
        lambda: optimum(_config(lambda c: c["scenario"].update(dataset_config="short"))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "another text column",
        lambda: optimum(_config(lambda c: c["scenario"].update(text_column_name="title"))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "reasoning switched off",
        lambda: optimum(_config(lambda c: c["scenario"].update(reasoning=False))),
        Claim(task="reasoning", model="org/model", model_class="A"),
    ),
    (
        "protocol",
        "torch.compile",
        lambda: optimum(_config(lambda c: c["backend"].update(torch_compile=True))),
        OPT_CLAIM,
    ),
    (
        "protocol",
        "an unknown backend key",
        lambda: optimum(_config(lambda c: c["backend"].update(fast_path=True))),
        OPT_CLAIM,
    ),
    ("protocol", "two different configs", lambda: optimum(_two_configs), OPT_CLAIM),
    (
        "protocol",
        "scenario and benchmark sections",
        lambda: optimum(_config(lambda c: c.update(benchmark=dict(c["scenario"], num_samples=10)))),
        OPT_CLAIM,
    ),
    ("protocol", "runner settings removed", lambda: runner(settings=False), CLAIM),
    (
        "protocol",
        "runner settings say 5 new tokens",
        lambda: runner(_summary(lambda s: s["settings"].update(new_tokens=5))),
        CLAIM,
    ),
    (
        "protocol",
        "runner summary says offline inputs",
        lambda: runner(_summary(lambda s: s["inputs"].update(source="offline"))),
        CLAIM,
    ),
]


BASELINES: dict[str, Callable[[], Built]] = {
    "runner": lambda: runner(),
    "optimum": lambda: optimum(lambda f: None),
    "reference": lambda: reference(lambda r: None),
    "v2": lambda: v2(),
}


# Warnings compared by their message (what is off-protocol), the rest by name (their figures move).
BY_MESSAGE = ("Protocol", "Harness")


def warnings(report: Report) -> set[str]:
    return {f"{c.name}: {c.message}" if c.name in BY_MESSAGE else c.name for c in report.checks if c.status == "warn"}


def outcome(report: Report, baseline: set[str]) -> tuple[str, str]:
    """(what detected the attack: failed checks, or warnings the honest folder does not raise; or
    "not detected") and the honest folder's own warnings that hold it anyway."""
    found = warnings(report)
    anyway = ", ".join(sorted(w.split(":")[0] for w in found & baseline))
    if not report.valid:
        return "refused: " + ", ".join(c.name for c in report.failures), anyway
    extra = sorted({w.split(":")[0] for w in found - baseline})
    return ("held: " + ", ".join(extra) if extra else "not detected"), anyway


def main() -> int:
    detected = held = through = 0
    print("Detected: refused by a failed check, or held by a warning the honest folder of the same kind and")
    print("claim does not raise. Held anyway: that folder's own warnings (a harness other than the round's,")
    print("a class its logs cannot prove), which hold every such result for a maintainer.\n")
    print(f"{'class':<13} {'case':<50} {'detected':<45} held anyway")
    for kind, name, build, claim in CASES:
        family, data = build()
        baseline = warnings(check_zip(BASELINES[family]()[1], claim))
        result, anyway = outcome(check_zip(data, claim), baseline)
        if result != "not detected":
            detected += 1
        elif anyway:
            held += 1
        else:
            through += 1
        print(f"{kind:<13} {name:<50} {result:<45} {anyway or ('—' if result != 'not detected' else 'THROUGH')}")
    print(
        f"\n{len(CASES)} cases: {detected} detected, {held} not detected but held for a maintainer anyway, "
        f"{through} through to a board"
    )
    return 1 if through else 0


if __name__ == "__main__":
    raise SystemExit(main())

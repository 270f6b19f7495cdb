"""What a determined submitter's uploads get: each attack class, the cases built for it, and the outcome.

    python bench/gate_attacks.py

Every case starts from an honest run folder (``harness/zips.py``, or a genuine folder: the v2 run of
``reference/aies-v2/`` and a real H200 run of ``bench/gpu/results/``) and changes what an attacker would
change, keeping every sum, checksum and mean consistent unless the attack is about them. Outcome:
``refused`` (a failed check: never stored), ``held`` (valid, but a warning a maintainer must
acknowledge with a reason before it reaches a board: off-protocol, unprovable class, far from the
published range, …), each compared with the honest folder of the same kind, whose own warnings are
shown apart; ``THROUGH`` when nothing holds it. The target: no case gets through. Exit status 1 if
one does.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness.zips import (  # noqa: E402
    docker_files,
    energy_star_dev_files,
    energy_star_files,
    make_zip,
    runner_files,
    v2_files,
)
from leaderboard.submissions import Claim, Report, check_zip  # noqa: E402

REFERENCE = ROOT / "reference" / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"
LLAMA_FOLDER = ROOT / "reference" / "optimum-benchmark" / "energy_star_llama3_8b"  # a genuine energy_star run
LLAMA_CLAIM = Claim(task="text_generation", model="meta-llama/Llama-3.1-8B-Instruct", hardware="NVIDIA H100 80GB")
H200_MEMORY_BYTES = 150754820096  # what NVML reports for an H200
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


def genuine(edit: Callable[[Files], None]) -> Built:
    """The genuine energy_star folder (``LLAMA_FOLDER``), each JSON file parsed, changed by ``edit``."""
    files: Files = {f"run/{p.name}": json.loads(p.read_text()) for p in sorted(LLAMA_FOLDER.iterdir())}
    edit(files)
    return "llama", make_zip(files)


def docker_beside(drop_report: bool) -> Built:
    """An energy_star folder with the Docker summary of the same figures beside it (or the summary
    without its report)."""
    files = {
        **energy_star_files(folder="out/"),
        **docker_files({"preprocess": 0.2, "prefill": 10.0, "decode": 20.0}, folder="out/"),
    }
    if drop_report:
        for name in [n for n in files if n.endswith(("benchmark_report.json", "_codecarbon.json"))]:
            del files[name]
    return "docker beside", make_zip(files)


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


# --- forgeries of the February-round layout (energy_star_dev) and the genuine energy_star folder --------------------


def _records(report: dict, phase: str) -> list[dict]:
    return [report[phase]["energy"], *(report[phase].get("measures") or [])]


def efficiency_nulled(report: dict) -> None:
    for phase in ("preprocess", "prefill", "decode"):
        report[phase]["efficiency"] = None


def gpu_into_cpu_and_ram(report: dict, share: float = 0.5, phases: tuple[str, ...] = ("decode",)) -> None:
    """``share`` of the phases' GPU energy moved into their CPU and RAM fields in their own ratio: every
    total and the CPU-to-RAM ratio kept."""
    for phase in phases:
        for record in _records(report, phase):
            split = record["cpu"] + record["ram"]
            moved, cpu_share = record["gpu"] * share, record["cpu"] / split if split else 0.98
            record["gpu"] -= moved
            record["cpu"] += moved * cpu_share
            record["ram"] += moved * (1 - cpu_share)


def prefill_cut(factor: float) -> Callable[[dict], None]:
    """Prefill's every field scaled alone (sums and means kept), its efficiency rescaled to keep its work."""

    def edit(report: dict) -> None:
        for record in _records(report, "prefill"):
            for key in ("cpu", "ram", "gpu", "total"):
                record[key] *= factor
        report["prefill"]["efficiency"]["value"] /= factor

    return edit


def one_repeat_copied(report: dict) -> None:
    """Every repeat replaced by the first one, the mean and the efficiency made to fit."""
    for phase in ("prefill", "decode"):
        first = report[phase]["measures"][0]
        work = report[phase]["efficiency"]["value"] * report[phase]["energy"]["total"]
        report[phase]["measures"] = [copy.deepcopy(first) for _ in report[phase]["measures"]]
        report[phase]["energy"] = copy.deepcopy(first)
        report[phase]["efficiency"]["value"] = work / first["total"]


def every_energy_scaled(report: dict) -> None:
    """Every energy of every phase and repeat halved, every efficiency doubled: all ties kept."""
    for phase in ("preprocess", "prefill", "decode"):
        for record in [report[phase]["energy"], *(report[phase].get("measures") or [])]:
            for key in ("cpu", "ram", "gpu", "total"):
                record[key] *= 0.5
        report[phase]["efficiency"]["value"] *= 2


def _measures_swapped(report: dict) -> None:
    report["prefill"]["measures"], report["decode"]["measures"] = (
        report["decode"]["measures"],
        report["prefill"]["measures"],
    )


def _phases_swapped(report: dict) -> None:
    report["prefill"], report["decode"] = report["decode"], report["prefill"]


def _reports(edit: Callable[[dict], None]) -> Callable[[Files], None]:
    """An edit applied to both copies of the genuine folder's report (benchmark_report.json, benchmark.json's)."""

    def apply(files: Files) -> None:
        for report in (files["run/benchmark_report.json"], files["run/benchmark.json"]["report"]):  # type: ignore[index]
            edit(report)  # type: ignore[arg-type]

    return apply


def _configs(edit: Callable[[dict], None]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        for config in (files["run/benchmark_config.json"], files["run/benchmark.json"]["config"]):  # type: ignore[index]
            edit(config)  # type: ignore[arg-type]

    return apply


WINDOWS = ("preprocess_dataset", "prefill", "generate")
COUNTED = ("preprocess_dataset", "prefill", "decode")


def report_scaled(factor: float) -> Callable[[dict], None]:
    def edit(report: dict) -> None:
        for phase in COUNTED:
            for key in ("cpu", "ram", "gpu", "total"):
                report[phase]["energy"][key] *= factor
            report[phase]["efficiency"]["value"] /= factor

    return edit


def codecarbon_scaled(factor: float, windows: tuple[str, ...], fields: tuple[str, ...]) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        for window in windows:
            record = files[f"run/{window}_codecarbon.json"]
            assert isinstance(record, dict)
            for key in fields:
                record[key] *= factor

    return edit


ENERGIES = ("cpu_energy", "gpu_energy", "ram_energy", "energy_consumed")
POWERS = ("cpu_power", "gpu_power", "ram_power")


def _all(*edits: Callable[[Files], None]) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        for edit in edits:
            edit(files)

    return apply


def _codecarbon_gpu(name: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        for window in WINDOWS:
            files[f"run/{window}_codecarbon.json"]["gpu_model"] = f"1 x {name}"  # type: ignore[index]

    return apply


def _removed(*names: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        for name in names:
            del files[f"run/{name}"]

    return apply


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
    # the February-round layout (energy_star_dev), from the genuine report
    ("energy_star_dev", "efficiency null in every phase", lambda: reference(efficiency_nulled), OPT_CLAIM),
    (
        "energy_star_dev",
        "decode's efficiency unit renamed",
        lambda: reference(lambda r: r["decode"]["efficiency"].update(unit="tokens per kWh")),
        OPT_CLAIM,
    ),
    (
        "energy_star_dev",
        "half of decode's GPU energy into cpu and ram, in their ratio",
        lambda: reference(gpu_into_cpu_and_ram),
        OPT_CLAIM,
    ),
    (
        "energy_star_dev",
        "a fifth of decode's GPU energy into cpu and ram, in their ratio",
        lambda: reference(lambda r: gpu_into_cpu_and_ram(r, 0.2)),
        OPT_CLAIM,
    ),
    (
        "energy_star_dev",
        "half of every phase's GPU energy into cpu and ram, in their ratio",
        lambda: reference(lambda r: gpu_into_cpu_and_ram(r, 0.5, ("preprocess", "prefill", "decode"))),
        OPT_CLAIM,
    ),
    (
        "energy_star_dev",
        "prefill cut to a tenth alone, efficiency kept fitting",
        lambda: reference(prefill_cut(0.1)),
        OPT_CLAIM,
    ),
    (
        "energy_star_dev",
        "prefill cut by a tenth alone, efficiency kept fitting",
        lambda: reference(prefill_cut(0.9)),
        OPT_CLAIM,
    ),
    ("energy_star_dev", "prefill cut out, decode left", lambda: reference(lambda r: r.update(prefill=None)), OPT_CLAIM),
    (
        "energy_star_dev",
        "GPU named H100 with an H200's memory",
        lambda: (
            "reference",
            make_zip(energy_star_dev_files(json.loads(REFERENCE.read_text()), gpu_vram_mb=H200_MEMORY_BYTES)),
        ),
        OPT_CLAIM,
    ),
    ("energy_star_dev", "one honest repeat copied ten times", lambda: reference(one_repeat_copied), OPT_CLAIM),
    ("energy_star_dev", "prefill and decode swapped", lambda: reference(_phases_swapped), OPT_CLAIM),
    ("energy_star_dev", "measures swapped between phases", lambda: reference(_measures_swapped), OPT_CLAIM),
    (
        "energy_star_dev",
        "num_samples doubled, efficiencies made to fit",
        lambda: (
            "reference",
            make_zip(
                energy_star_dev_files(
                    _edited(json.loads(REFERENCE.read_text()), _efficiencies_doubled), num_samples=2000
                )
            ),
        ),
        OPT_CLAIM,
    ),
    ("energy_star_dev", "every energy halved, efficiencies doubled", lambda: reference(every_energy_scaled), OPT_CLAIM),
    # optimum-benchmark's current layout (energy_star), from the genuine folder
    (
        "energy_star",
        "report halved, CodeCarbon's files kept",
        lambda: genuine(_reports(report_scaled(0.5))),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "report and CodeCarbon energies halved, powers kept",
        lambda: genuine(_all(_reports(report_scaled(0.5)), codecarbon_scaled(0.5, WINDOWS, ENERGIES))),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "prefill and generate windows halved with their powers",
        lambda: genuine(
            _all(
                _reports(report_scaled(0.5)),
                codecarbon_scaled(0.5, WINDOWS[1:], ENERGIES + POWERS),
                codecarbon_scaled(0.5, WINDOWS[:1], ENERGIES + POWERS + ("emissions", "emissions_rate")),
            )
        ),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "energy and duration halved together (powers kept)",
        lambda: genuine(
            _all(
                _reports(report_scaled(0.5)),
                codecarbon_scaled(0.5, WINDOWS, ENERGIES + ("duration", "emissions")),
            )
        ),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "H100 in the config, A100 in CodeCarbon",
        lambda: genuine(_codecarbon_gpu("NVIDIA A100-SXM4-80GB")),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "GPU named H100 with an H200's memory",
        lambda: genuine(_configs(lambda c: c["environment"].update(gpu_vram_mb=H200_MEMORY_BYTES))),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "generate's CodeCarbon file removed",
        lambda: genuine(_removed("generate_codecarbon.json")),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "every CodeCarbon file removed",
        lambda: genuine(_removed(*(f"{w}_codecarbon.json" for w in WINDOWS))),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "decode's efficiency null",
        lambda: genuine(_reports(lambda r: r["decode"].update(efficiency=None))),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "decode's GPU energy into cpu and ram, report only",
        lambda: genuine(_reports(gpu_into_cpu_and_ram)),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "num_samples doubled, efficiencies made to fit",
        lambda: genuine(
            _all(_configs(lambda c: c["scenario"].update(num_samples=2000)), _reports(_efficiencies_doubled))
        ),
        LLAMA_CLAIM,
    ),
    (
        "energy_star",
        "energy and latency halved together, CodeCarbon kept",
        lambda: optimum(_latency_and_energy_halved, latency=True),
        OPT_CLAIM,
    ),
    (
        "energy_star",
        "energy and latency halved together, CodeCarbon removed",
        lambda: optimum(
            _all(_latency_and_energy_halved, _removed(*(f"{w}_codecarbon.json" for w in ("load_model", *WINDOWS)))),
            latency=True,
        ),
        OPT_CLAIM,
    ),
    (
        "energy_star",
        "memory tracking shows more than an H100 holds",
        lambda: optimum(
            lambda f: f["run/benchmark_report.json"]["decode"]["memory"].update(max_global_vram=120_000.0),  # type: ignore[index]
            memory_mb=20_000.0,
        ),
        OPT_CLAIM,
    ),
    (
        "energy_star",
        "prefill's CodeCarbon file from another, cheaper run",
        lambda: genuine(
            _all(
                _reports(lambda r: r["prefill"]["energy"].update(gpu=r["prefill"]["energy"]["gpu"] * 0.5)),
                _reports(
                    lambda r: r["prefill"]["energy"].update(
                        total=r["prefill"]["energy"]["total"] - r["prefill"]["energy"]["gpu"]
                    )
                ),
                _other_run_prefill,
            )
        ),
        LLAMA_CLAIM,
    ),
    ("Docker summary", "report removed, the Docker summary left", lambda: docker_beside(drop_report=True), OPT_CLAIM),
]


# --- genuine folders, rewritten as a forger who keeps every record consistent would -----------------
# The v2 folder is reference/aies-v2's H200 run; the runner folder is a real H200 run of
# bench/gpu/results/ made a real-weights run (the only way it differs from one), its checksums rewritten.
V2_REAL = ROOT / "reference" / "aies-v2" / "h200_llama1b_random.zip"
RUNNER_REAL = ROOT / "bench" / "gpu" / "results" / "round2-b" / "runs" / "tg-llama-1b"
REAL_CLAIM = Claim(task="text_generation", model="meta-llama/Llama-3.2-1B", cohort="2025-12")
V2_CLAIM = Claim(task="text_generation", cohort="2025-12")
Folder = dict[str, object]  # member -> parsed JSON, CSV rows (list of dicts) or text


def _load(name: str, body: bytes) -> object:
    if name.endswith(".json"):
        return json.loads(body)
    if name.endswith(".csv"):
        return list(csv.DictReader(io.StringIO(body.decode())))
    return body.decode()


def _dump(body: object) -> bytes:
    if isinstance(body, list):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(body[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(body)
        return out.getvalue().encode()
    return body.encode() if isinstance(body, str) else (json.dumps(body, indent=2) + "\n").encode()


def v2_real(edit: Callable[[Folder], None] | None = None) -> Built:
    """The genuine v2 folder, each file parsed, edited, and written back."""
    with zipfile.ZipFile(V2_REAL) as zf:
        folder: Folder = {i.filename: _load(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()}
    if edit is not None:
        edit(folder)
    return "v2 real", make_zip({n: _dump(b) for n, b in folder.items()})


def _member(folder: Folder, base: str) -> str:
    return next(n for n in folder if n.endswith("/" + base))


def v2_scale(
    energy: float = 1.0, power: float = 1.0, time: float = 1.0, cpu_ram: float = 1.0
) -> Callable[[Folder], None]:
    """Every statement of the GPU energy (report, CSV, summary, txt, CodeCarbon) × ``energy``;
    CodeCarbon's gpu_power and gpu_stats' power_draw_w × ``power``; every duration and latency × ``time``
    (throughput ÷ it); CPU and RAM energy × ``cpu_ram``; every total kept the sum of its parts."""

    def edit(folder: Folder) -> None:
        report = folder[_member(folder, "benchmark_report.json")]
        rows = folder[_member(folder, "benchmark_results.csv")]
        emissions = folder[_member(folder, "emissions.csv")]
        summary = folder[_member(folder, "GPU_ENERGY_SUMMARY.json")]
        assert isinstance(report, dict) and isinstance(rows, list) and isinstance(emissions, list)
        assert isinstance(summary, dict)
        e, sm = report["energy"], report["summary"]
        gpu_kwh = e["gpu_energy_kwh"] * energy
        for unit, k in (("kwh", 1.0), ("wh", 1000.0)):
            gpu = gpu_kwh * k
            e[f"gpu_energy_{unit}"] = e[f"energy_{unit}"] = gpu
            for part in ("cpu", "ram"):
                e[f"{part}_energy_{unit}"] *= cpu_ram
            e[f"total_energy_{unit}"] = gpu + (e[f"cpu_energy_{unit}"] + e[f"ram_energy_{unit}"])
        e["duration_seconds"] *= time
        sm["total_duration_seconds"] *= time
        sm["avg_latency_seconds"] *= time
        sm["avg_time_to_first_token"] *= time
        sm["throughput_tokens_per_second"] /= time
        for stats in report["gpu_stats"].values():
            stats["power_draw_w"] *= power
        row = emissions[-1]
        row["gpu_energy"] = repr(e["gpu_energy_kwh"])
        row["cpu_energy"], row["ram_energy"] = repr(e["cpu_energy_kwh"]), repr(e["ram_energy_kwh"])
        row["energy_consumed"] = repr(e["total_energy_kwh"])
        row["duration"] = repr(e["duration_seconds"])
        row["gpu_power"] = repr(float(row["gpu_power"]) * power)
        flat = rows[-1]
        for key in list(flat):
            for section in ("energy", "summary", "gpu_stats"):
                node: object = report
                for part in _path(key, report):
                    node = node[part] if isinstance(node, dict) else None  # type: ignore[index]
                if key.startswith(section + "_") and isinstance(node, (int, float)):
                    flat[key] = repr(node)
        summary["total"] = e["gpu_energy_wh"]
        summary["decode_wh"] = round(e["gpu_energy_wh"], 2)
        folder[_member(folder, "GPU_ENERGY_WH.txt")] = f"{e['gpu_energy_wh']:.2f}"

    return edit


def _path(flat_key: str, report: dict) -> list[str]:
    """The report path of a flattened CSV column ('gpu_stats_gpu_0_power_draw_w' -> gpu_stats, gpu_0, power_draw_w)."""
    parts: list[str] = []
    node: object = report
    rest = flat_key
    while rest and isinstance(node, dict):
        key = next((k for k in sorted(node, key=len, reverse=True) if rest == k or rest.startswith(k + "_")), None)
        if key is None:
            return []
        parts.append(key)
        node, rest = node[key], rest[len(key) + 1 :]
    return parts


def _v2_edit(edit: Callable[[dict, list, list], None]) -> Callable[[Folder], None]:
    """An edit of the report, the results CSV's rows and CodeCarbon's rows."""

    def apply(folder: Folder) -> None:
        edit(
            folder[_member(folder, "benchmark_report.json")],  # type: ignore[arg-type]
            folder[_member(folder, "benchmark_results.csv")],  # type: ignore[arg-type]
            folder[_member(folder, "emissions.csv")],  # type: ignore[arg-type]
        )

    return apply


def _then(*edits: Callable[[Folder], None]) -> Callable[[Folder], None]:
    def apply(folder: Folder) -> None:
        for edit in edits:
            edit(folder)

    return apply


def _h100(report: dict, rows: list, emissions: list) -> None:
    emissions[-1]["gpu_model"] = "1 x NVIDIA H100 80GB HBM3"


def _h100_memory(report: dict, rows: list, emissions: list) -> None:
    _h100(report, rows, emissions)
    report["gpu_stats"]["gpu_0"]["memory_total_mb"] = 81559.0


def _short_prompts(report: dict, rows: list, emissions: list) -> None:
    """Prompts a tenth of the official length, named as the official dataset, every token figure rewritten."""
    s = report["summary"]
    s["total_prompt_tokens"] //= 10
    s["total_tokens"] = s["total_prompt_tokens"] + s["total_completion_tokens"]
    s["throughput_tokens_per_second"] = s["total_tokens"] / s["total_duration_seconds"]
    report["config"]["dataset"] = "AIEnergyScore/text_generation"
    for key, value in (
        ("summary_total_prompt_tokens", s["total_prompt_tokens"]),
        ("summary_total_tokens", s["total_tokens"]),
        ("summary_throughput_tokens_per_second", s["throughput_tokens_per_second"]),
        ("config_dataset", "AIEnergyScore/text_generation"),
    ):
        rows[-1][key] = str(value) if isinstance(value, str) else repr(value)


def _no_durations(report: dict, rows: list, emissions: list) -> None:
    """Every duration and power field removed (CodeCarbon's columns emptied)."""
    del report["energy"]["duration_seconds"]
    rows[-1]["energy_duration_seconds"] = ""
    for key in ("duration", "gpu_power", "cpu_power", "ram_power"):
        emissions[-1][key] = ""


def _forged_crosscheck(folder: Folder) -> None:
    """An NVML cross-check written by the uploader for the halved figure: 'agrees'."""
    report = folder[_member(folder, "benchmark_report.json")]
    assert isinstance(report, dict)
    wh = report["energy"]["gpu_energy_wh"]
    folder["gpu_run/nvml_crosscheck.json"] = {
        "meter": "nvml",
        "window_s": report["energy"]["duration_seconds"],
        "official_gpu_energy_wh": wh,
        "nvml_gpu_energy_wh": wh,
        "nvml_per_gpu_wh": [wh],
    }


def runner_real(edit: Callable[[dict, dict, dict], None] | None = None, folder: Path = RUNNER_REAL) -> Built:
    """The genuine runner folder as a real-weights run, ``edit(summary, config, report)``, its checksums rewritten."""
    files = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
    summary, config, report = (
        files["energy_score_summary.json"],
        files["benchmark_config.json"],
        files["benchmark_report.json"],
    )
    summary["no_weights"] = config["backend"]["no_weights"] = False
    if edit is not None:
        edit(summary, config, report)
    raw = {n: (json.dumps(b, indent=2) + "\n").encode() for n, b in files.items() if n != "energy_score_summary.json"}
    summary["files_sha256"] = {n: hashlib.sha256(b).hexdigest() for n, b in raw.items()}
    raw["energy_score_summary.json"] = (json.dumps(summary, indent=2) + "\n").encode()
    raw["SHA256SUMS"] = "".join(f"{hashlib.sha256(b).hexdigest()}  {n}\n" for n, b in sorted(raw.items())).encode()
    return "runner real", make_zip({f"run/{n}": b for n, b in raw.items()})


def runner_scale(energy: float, idle: float = 1.0, time: float = 1.0) -> Callable[[dict, dict, dict], None]:
    """Every energy of the summary and report × ``energy``, the idle power × ``idle``, every duration,
    window and latency × ``time``; idle shares, means and totals recomputed."""

    def edit(summary: dict, config: dict, report: dict) -> None:
        for when in ("before", "after"):
            summary["idle_power_w"][when] *= idle
        idle_w = sum(summary["idle_power_w"].values()) / 2
        n = summary["num_queries"]
        for name, p in summary["phases"].items():
            p["values_wh_per_1k"] = [v * energy for v in p["values_wh_per_1k"]]
            p["gpu_energy_wh_per_1k"] *= energy
            p["gpu_energy_wh"] *= energy
            p["ci95_wh_per_1k"] *= energy
            p["duration_s"] *= time
            p["window_s"] = [w * time for w in p["window_s"]]
            p["idle_wh_per_1k"] = idle_w * p["duration_s"] / 3600 * 1000 / n
            section = report["preprocess_dataset" if name == "preprocess" else name]
            section["energy"]["gpu"] = section["energy"]["total"] = p["gpu_energy_wh"] / 1000
            section["latency"]["values"] = [p["duration_s"]]
        summary["total_gpu_energy_wh_per_1k"] = sum(p["gpu_energy_wh_per_1k"] for p in summary["phases"].values())
        summary["total_ci95_wh_per_1k"] *= energy

    return edit


def _copied_repeat(summary: dict, config: dict, report: dict) -> None:
    """Decode's lowest repeat written over its highest (reading and window), mean and total recomputed."""
    p = summary["phases"]["decode"]
    lo = min(range(len(p["values_wh_per_1k"])), key=lambda i: p["values_wh_per_1k"][i])
    hi = max(range(len(p["values_wh_per_1k"])), key=lambda i: p["values_wh_per_1k"][i])
    p["values_wh_per_1k"][hi], p["window_s"][hi] = p["values_wh_per_1k"][lo], p["window_s"][lo]
    mean = sum(p["values_wh_per_1k"]) / len(p["values_wh_per_1k"])
    p["gpu_energy_wh_per_1k"], p["gpu_energy_wh"] = mean, mean * summary["num_queries"] / 1000
    report["decode"]["energy"]["gpu"] = report["decode"]["energy"]["total"] = p["gpu_energy_wh"] / 1000
    summary["total_gpu_energy_wh_per_1k"] = sum(q["gpu_energy_wh_per_1k"] for q in summary["phases"].values())


def _official_short_inputs(summary: dict, config: dict, report: dict) -> None:
    for record in (summary["inputs"], config["scenario"]["inputs"]):
        record.update(source="official dataset", mean_input_tokens=36.9)


def _renamed_h100(summary: dict, config: dict, report: dict) -> None:
    summary["gpu"]["name"], summary["gpu"]["names"] = "NVIDIA H100 80GB HBM3", ["NVIDIA H100 80GB HBM3"]
    config["environment"]["gpu"] = ["NVIDIA H100 80GB HBM3"]


def _power_limit(summary: dict, config: dict, report: dict) -> None:
    summary["gpu"]["power_limit_w"] = [1500.0]


V2_RUNNER_CASES: list[tuple[str, str, Callable[[], Built], Claim]] = [
    ("v2", "GPU energy x0.5 in every file that states it", lambda: v2_real(v2_scale(energy=0.5)), V2_CLAIM),
    (
        "v2",
        "... and CodeCarbon's and gpu_stats' power x0.5",
        lambda: v2_real(v2_scale(energy=0.5, power=0.5)),
        V2_CLAIM,
    ),
    ("v2", "... and every duration x0.5 (power kept)", lambda: v2_real(v2_scale(0.5, 1.0, 0.5)), V2_CLAIM),
    ("v2", "... and CPU and RAM energy x0.5 too", lambda: v2_real(v2_scale(0.5, 1.0, 0.5, 0.5)), V2_CLAIM),
    ("v2", "GPU energy x0.7 with its power records", lambda: v2_real(v2_scale(energy=0.7, power=0.7)), V2_CLAIM),
    ("v2", "durations x0.5 alone (power doubled)", lambda: v2_real(v2_scale(time=0.5)), V2_CLAIM),
    ("v2", "gpu_model renamed H200 -> H100 80GB", lambda: v2_real(_v2_edit(_h100)), V2_CLAIM),
    ("v2", "... and gpu_stats memory in the report", lambda: v2_real(_v2_edit(_h100_memory)), V2_CLAIM),
    ("v2", "prompts a tenth as long, named the official dataset", lambda: v2_real(_v2_edit(_short_prompts)), V2_CLAIM),
    ("v2", "every duration and power field removed", lambda: v2_real(_v2_edit(_no_durations)), V2_CLAIM),
    (
        "v2",
        "energy x0.5 with an NVML cross-check saying [ok]",
        lambda: v2_real(_then(v2_scale(energy=0.5, power=0.5), _forged_crosscheck)),
        V2_CLAIM,
    ),
    ("runner", "energies and idle power x0.7 together", lambda: runner_real(runner_scale(0.7, 0.7)), REAL_CLAIM),
    ("runner", "energies and idle power x1.3 together", lambda: runner_real(runner_scale(1.3, 1.3)), REAL_CLAIM),
    (
        "runner",
        "energies, idle share and windows x0.001",
        lambda: runner_real(runner_scale(0.001, 1.0, 0.001)),
        REAL_CLAIM,
    ),
    ("runner", "one decode repeat copied over another", lambda: runner_real(_copied_repeat), REAL_CLAIM),
    (
        "runner",
        "official dataset with a tenth of its prompt tokens",
        lambda: runner_real(_official_short_inputs),
        REAL_CLAIM,
    ),
    ("runner", "GPU renamed H200 -> H100 80GB (memory kept)", lambda: runner_real(_renamed_h100), REAL_CLAIM),
    ("runner", "a power limit no board has", lambda: runner_real(_power_limit), REAL_CLAIM),
]
CASES += V2_RUNNER_CASES


def _latency_and_energy_halved(files: Files) -> None:
    """Every counted phase's energy and latency halved, its efficiency and throughput made to fit: the
    average power is unchanged."""
    report = files["run/benchmark_report.json"]
    assert isinstance(report, dict)
    for phase in COUNTED:
        section = report[phase]
        for key in ("cpu", "ram", "gpu", "total"):
            section["energy"][key] *= 0.5
        section["efficiency"]["value"] *= 2
        section["latency"]["values"] = [v * 0.5 for v in section["latency"]["values"]]
        section["throughput"]["value"] *= 2


def _other_run_prefill(files: Files) -> None:
    """prefill_codecarbon.json replaced by one of another run (its own run_id and machine), whose
    energies are the report's."""
    record = files["run/prefill_codecarbon.json"]
    report = files["run/benchmark_report.json"]
    assert isinstance(record, dict) and isinstance(report, dict)
    energy = report["prefill"]["energy"]
    record.update(
        run_id="0d5e7c1a-2b4f-4c8e-9a11-3f6b2e8d9c70",
        os="Linux-6.8.0-1015-gcp-x86_64-with-glibc2.35",
        gpu_energy=energy["gpu"],
        energy_consumed=energy["total"],
        gpu_power=energy["gpu"] * 3.6e6 / record["duration"],
        emissions=energy["total"] * record["emissions"] / record["energy_consumed"],
    )
    record["emissions_rate"] = record["emissions"] / record["duration"]


def _efficiencies_doubled(report: dict) -> None:
    for section in report.values():
        if isinstance(section, dict) and section.get("efficiency"):
            section["efficiency"]["value"] *= 2


def _edited(report: dict, edit: Callable[[dict], None]) -> dict:
    edit(report)
    return report


BASELINES: dict[str, Callable[[], Built]] = {
    "v2 real": lambda: v2_real(),
    "runner real": lambda: runner_real(),
    "runner": lambda: runner(),
    "optimum": lambda: optimum(lambda f: None),
    "reference": lambda: reference(lambda r: None),
    "v2": lambda: v2(),
    "llama": lambda: genuine(lambda f: None),
    "docker beside": lambda: docker_beside(drop_report=False),
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
    print(f"{'class':<16} {'case':<66} {'detected':<45} held anyway")
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
        print(f"{kind:<16} {name:<66} {result:<45} {anyway or ('—' if result != 'not detected' else 'THROUGH')}")
    print(
        f"\n{len(CASES)} cases: {detected} detected, {held} not detected but held for a maintainer anyway, "
        f"{through} through to a board"
    )
    return 1 if through else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""optimum-benchmark's layouts read as the tool writes them: genuine folders (``reference/optimum-benchmark/``)
pass, re-zipped as Windows PowerShell does and with the fields the tool fills at run time; forgeries of
those folders are refused or held (the evidence map in ``layout_optimum``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import gate_attacks as A
from harness.zips import energy_star_dev_files, energy_star_files, make_zip
from leaderboard.submissions import Claim, check_zip
from leaderboard.tasks import TASKS_BY_ID

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "optimum-benchmark"
DEV_REPORT = REFERENCE / "energy_star_dev_text_generation_benchmark_report.json"
LLAMA_FOLDER = REFERENCE / "energy_star_llama3_8b"
LLAMA_CLAIM = Claim(task="text_generation", model="meta-llama/Llama-3.1-8B-Instruct", hardware="NVIDIA H100 80GB")
DEV_CLAIM = Claim(task="text_generation", model="org/model", hardware="NVIDIA H100 80GB")


def llama_files(folder: str = "run/") -> dict[str, object]:
    """The genuine energy_star folder, every file parsed (JSON) so a test can edit it."""
    return {f"{folder}{p.name}": json.loads(p.read_text()) for p in sorted(LLAMA_FOLDER.iterdir())}


def dev_files() -> dict[str, object]:
    return energy_star_dev_files(json.loads(DEV_REPORT.read_text()))


def powershell(files: dict[str, object]) -> dict[str, object]:
    """The folder as Windows PowerShell's Compress-Archive names its members: 'run\\benchmark_report.json'."""
    return {name.replace("/", "\\"): body for name, body in files.items()}


def statuses(files: dict[str, object], claim: Claim) -> dict[str, str]:
    report = check_zip(make_zip(files), claim)
    return {c.name: c.status for c in report.checks}


def warned(files: dict[str, object], claim: Claim) -> dict[str, str]:
    return {c.name: c.message for c in check_zip(make_zip(files), claim).checks if c.status == "warn"}


GENUINE = [("energy_star", llama_files, LLAMA_CLAIM), ("energy_star_dev", dev_files, DEV_CLAIM)]


@pytest.mark.parametrize(("layout", "build", "claim"), GENUINE, ids=[g[0] for g in GENUINE])
@pytest.mark.parametrize("rezip", [lambda f: f, powershell], ids=["as written", "PowerShell"])
def test_genuine_folders_are_valid(layout, build, claim, rezip):
    report = check_zip(make_zip(rezip(build())), claim)
    assert report.valid, [c.message for c in report.failures]
    assert report.parsed is not None and layout in report.parsed.layout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("run\\..\\benchmark_report.json", "points outside the zip"),
        ("C:\\run\\benchmark_report.json", "absolute or Windows path"),
        ("\\run\\benchmark_report.json", "absolute or Windows path"),
        ("run\\\\benchmark_report.json", "empty or '.' part"),
    ],
)
def test_backslash_names_are_still_refused_outside_the_folder(name, expected):
    report = check_zip(make_zip({name: "{}"}))
    assert not report.valid and expected in report.failures[0].message


def test_default_keys_of_the_genuine_config_are_known_settings():
    protocol = warned(llama_files(), LLAMA_CLAIM)["Protocol"]
    assert "not a setting the protocol knows" not in protocol
    # what the genuine run really changed is still named
    assert "dataset: jdelavande/" in protocol and "max 1,000" in protocol


@pytest.mark.parametrize("field", [{"port": 34567}, {"pid": 4242}, {"processor": None, "library": None}])
def test_runtime_filled_backend_fields_do_not_make_two_configs(field):
    files = llama_files()
    files["run/benchmark.json"]["config"]["backend"].update(field)
    assert statuses(files, LLAMA_CLAIM)["Energy run"] == "pass"


def test_a_changed_setting_still_makes_two_configs():
    files = llama_files()
    files["run/benchmark.json"]["config"]["backend"]["torch_dtype"] = "float16"
    report = check_zip(make_zip(files), LLAMA_CLAIM)
    assert not report.valid and "different configs" in report.failures[0].message


# --- honest builders: every task, one and several GPUs, no new warning ---------------------------------------------

HELD_BY_EVIDENCE = ("Energy tied to the run", "GPU share of the energy", "Inputs as the official dataset's")


@pytest.mark.parametrize("task", [t.id for t in TASKS_BY_ID.values()])
@pytest.mark.parametrize("gpu_count", [1, 2])
def test_honest_energy_star_folders_of_every_task_pass_every_evidence_rule(task, gpu_count):
    report = check_zip(make_zip(energy_star_files(task=TASKS_BY_ID[task].pipeline_task, gpu_count=gpu_count)))
    assert report.valid, [c.message for c in report.failures]
    by_name = {c.name: c.status for c in report.checks}
    assert by_name["Energy fits the run"] == by_name["Average power plausible"] == "pass"
    assert by_name["GPU memory matches the board"] == "pass"
    assert not set(HELD_BY_EVIDENCE) & {c.name for c in report.checks if c.status == "warn"}


def test_each_phase_lasts_its_codecarbon_window():
    phases = {p.name: p.duration_s for p in check_zip(make_zip(llama_files()), LLAMA_CLAIM).parsed.phases}
    assert phases == pytest.approx({"preprocess": 1.3937625950202346, "prefill": 390.2968, "decode": 1183.4570})


# --- forgeries: each is refused or held by a check its honest twin passes -----------------------------------------

FORGERIES = [
    # (layout, case, build, claim, check that catches it, status, words of its message)
    ("dev", "efficiency null", lambda: A.reference(A.efficiency_nulled), "Energy fits the run", "fail", "is null"),
    (
        "dev",
        "efficiency unit renamed",
        lambda: A.reference(lambda r: r["decode"]["efficiency"].update(unit="tokens per kWh")),
        "Energy fits the run",
        "fail",
        "not tokens/kWh",
    ),
    (
        "dev",
        "GPU into cpu and ram",
        lambda: A.reference(A.gpu_into_cpu_and_ram),
        "GPU share of the energy",
        "warn",
        "decode 46%",
    ),
    (
        "dev",
        "prefill cut alone",
        lambda: A.reference(A.prefill_cut(0.1)),
        "Energy fits the run",
        "fail",
        "a decode step costs",
    ),
    (
        "dev",
        "prefill cut by a tenth",
        lambda: A.reference(A.prefill_cut(0.9)),
        "Energy fits the run",
        "fail",
        "measures[4]: prefill cpu 4.23319 Wh + decode cpu -4.70354 Wh is a generate window below zero",
    ),
    (
        "dev",
        "a fifth of decode's GPU into cpu and ram",
        lambda: A.reference(lambda r: A.gpu_into_cpu_and_ram(r, 0.2)),
        "Energy fits the run",
        "fail",
        "measures[6]: prefill read 0, so decode holds the whole generate window",
    ),
    (
        "dev",
        "half of every phase's GPU into cpu and ram",
        lambda: A.reference(lambda r: A.gpu_into_cpu_and_ram(r, 0.5, ("preprocess", "prefill", "decode"))),
        "GPU share of the energy",
        "warn",
        "prefill 47%, decode 46%",
    ),
    (
        "dev",
        "prefill cut out",
        lambda: A.reference(lambda r: r.update(prefill=None)),
        "Counted phases present",
        "fail",
        "prefill missing",
    ),
    (
        "dev",
        "a repeat copied",
        lambda: A.reference(A.one_repeat_copied),
        "Energy fits the run",
        "fail",
        "a reading copied",
    ),
    (
        "dev",
        "phases swapped",
        lambda: A.reference(A._phases_swapped),
        "Energy fits the run",
        "fail",
        "not the run's 9,000",
    ),
    (
        "energy_star",
        "report halved",
        lambda: A.genuine(A._reports(A.report_scaled(0.5))),
        "Files agree",
        "fail",
        "prefill_codecarbon.json",
    ),
    (
        "energy_star",
        "energies halved, powers kept",
        lambda: A.genuine(A._all(A._reports(A.report_scaled(0.5)), A.codecarbon_scaled(0.5, A.WINDOWS, A.ENERGIES))),
        "Energy fits the run",
        "fail",
        "gpu_power 688 W × duration 390.3 s",
    ),
    (
        "energy_star",
        "two windows halved with their powers",
        lambda: A.genuine(
            A._all(
                A._reports(A.report_scaled(0.5)),
                A.codecarbon_scaled(0.5, A.WINDOWS[1:], A.ENERGIES + A.POWERS),
                A.codecarbon_scaled(0.5, A.WINDOWS[:1], A.ENERGIES + A.POWERS + ("emissions", "emissions_rate")),
            )
        ),
        "Energy fits the run",
        "fail",
        "different carbon intensity",
    ),
    (
        "energy_star",
        "energy and duration halved",
        lambda: A.genuine(
            A._all(
                A._reports(A.report_scaled(0.5)),
                A.codecarbon_scaled(0.5, A.WINDOWS, A.ENERGIES + ("duration", "emissions")),
            )
        ),
        "Energy fits the run",
        "fail",
        "the generate window opens as prefill's closes",
    ),
    (
        "energy_star",
        "CodeCarbon names another GPU",
        lambda: A.genuine(A._codecarbon_gpu("NVIDIA A100-SXM4-80GB")),
        "Files agree",
        "fail",
        "A100",
    ),
    (
        "energy_star",
        "H100 with an H200's memory",
        lambda: A.genuine(A._configs(lambda c: c["environment"].update(gpu_vram_mb=A.H200_MEMORY_BYTES))),
        "GPU memory matches the board",
        "fail",
        "140.4 GiB per GPU",
    ),
    (
        "energy_star",
        "generate's window removed",
        lambda: A.genuine(A._removed("generate_codecarbon.json")),
        "Files agree",
        "fail",
        "no generate and prefill_codecarbon.json",
    ),
    (
        "energy_star",
        "every window removed",
        lambda: A.genuine(A._removed(*(f"{w}_codecarbon.json" for w in A.WINDOWS))),
        "Energy tied to the run",
        "warn",
        "no CodeCarbon file",
    ),
    (
        "energy_star",
        "decode's efficiency halved",
        lambda: A.genuine(
            A._reports(lambda r: r["decode"]["efficiency"].update(value=r["decode"]["efficiency"]["value"] / 2))
        ),
        "Energy fits the run",
        "fail",
        "not the run's 999,000",
    ),
    ("docker", "report removed", lambda: A.docker_beside(drop_report=True), "Energy tied to the run", "warn", "alone"),
]


@pytest.mark.parametrize(
    ("layout", "case", "build", "check_name", "status", "words"),
    FORGERIES,
    ids=[f"{f[0]}: {f[1]}" for f in FORGERIES],
)
def test_forgeries_are_caught_by_a_check_the_honest_twin_passes(layout, case, build, check_name, status, words):
    family, data = build()
    claim = LLAMA_CLAIM if family == "llama" else A.OPT_CLAIM
    caught = [c for c in check_zip(data, claim).checks if c.name == check_name and c.status == status]
    assert caught and words in caught[0].message, [
        c.message for c in check_zip(data, claim).checks if c.status != "pass"
    ]
    twin = check_zip(A.BASELINES[family]()[1], claim)
    assert twin.valid and not [c for c in twin.checks if c.name == check_name and c.status == status]


def test_the_dev_layout_alone_is_held_as_untied():
    """energy_star_dev records no duration or power: a consistent rescaling of every energy with its
    efficiency keeps every rule, so the result is held for a maintainer (its honest twin too)."""
    for data in (A.reference(lambda r: None)[1], A.reference(A.every_energy_scaled)[1]):
        report = check_zip(data, DEV_CLAIM)
        assert report.valid and "energy_star_dev report records no duration or power" in warned_in(report)


def warned_in(report) -> str:
    return " ".join(c.message for c in report.checks if c.status == "warn")


@pytest.mark.parametrize(
    ("tokens", "status"), [(369, "pass"), (185, "pass"), (738, "pass"), (100, "warn"), (2000, "warn")]
)
def test_prefill_tokens_against_the_official_dataset(tokens, status):
    report = json.loads(DEV_REPORT.read_text())
    eff = report["prefill"]["efficiency"]
    eff["value"] = tokens * 1000 / report["prefill"]["energy"]["total"]
    found = {c.name: c.status for c in check_zip(make_zip(energy_star_dev_files(report)), DEV_CLAIM).checks}
    assert found["Inputs as the official dataset's"] == status


@pytest.mark.parametrize(
    ("gpu_model", "expected"),
    [
        ("1 x NVIDIA H100 80GB HBM3", "pass"),
        ("2 x NVIDIA H100 80GB HBM3", "fail"),
        ("999 x NVIDIA H100", "names 999 GPUs"),
    ],
)
def test_codecarbon_gpu_model_is_read_as_the_gpus_it_tracked(gpu_model, expected):
    files = llama_files()
    for window in A.WINDOWS:
        files[f"run/{window}_codecarbon.json"]["gpu_model"] = gpu_model
    report = check_zip(make_zip(files), LLAMA_CLAIM)
    if expected in ("pass", "fail"):
        assert {c.name: c.status for c in report.checks}["Files agree"] == expected
    else:
        assert not report.valid and expected in report.failures[-1].message


@pytest.mark.parametrize(
    ("environment", "status"),
    [
        ({"gpu_vram_mb": 81559}, "pass"),  # written in MiB, as the name says: read as such
        ({"gpu_vram_mb": 85520809984 * 2}, "fail"),  # two H100s' memory on a host of one
        ({"gpu": ["NVIDIA H100 80GB HBM3", "NVIDIA H200"], "gpu_count": 2, "gpu_vram_mb": 1.0e11}, None),  # mixed
    ],
)
def test_gpu_memory_as_optimum_benchmark_records_it(environment, status):
    files = llama_files()
    for config in (files["run/benchmark_config.json"], files["run/benchmark.json"]["config"]):
        config["environment"].update(environment)
    checks = {c.name: c.status for c in check_zip(make_zip(files), LLAMA_CLAIM).checks}
    assert checks.get("GPU memory matches the board") == status


def test_power_fields_of_codecarbon_before_3_are_not_held_to_the_window():
    """CodeCarbon 2 writes its last interval's power, not the window's mean: only its energies are compared."""
    files = llama_files()
    for window in A.WINDOWS:
        files[f"run/{window}_codecarbon.json"].update(codecarbon_version="2.8.3", gpu_power=300.0)
    assert statuses(files, LLAMA_CLAIM)["Energy fits the run"] == "pass"
    files["run/prefill_codecarbon.json"]["codecarbon_version"] = "3.0.1"
    assert statuses(files, LLAMA_CLAIM)["Energy fits the run"] == "fail"


def test_latency_throughput_and_memory_as_the_tool_writes_them_pass():
    report = check_zip(make_zip(energy_star_files(latency=True, memory_mb=20_000.0)))
    assert report.valid and {c.name: c.status for c in report.checks}["Energy fits the run"] == "pass"


@pytest.mark.parametrize(
    ("edit", "check_name", "words"),
    [
        (
            lambda r: r["prefill"]["latency"].update(values=[r["prefill"]["latency"]["values"][0] / 2]),
            "Energy fits the run",
            "lasted",
        ),
        (
            lambda r: r["decode"]["throughput"].update(value=r["decode"]["throughput"]["value"] * 2),
            "Energy fits the run",
            "throughput",
        ),
        (
            lambda r: r["decode"]["memory"].update(max_global_vram=120_000.0),
            "GPU memory matches the board",
            "more than the 1 GPU(s) hold",
        ),
    ],
)
def test_latency_throughput_and_memory_are_held_against_the_run(edit, check_name, words):
    files = energy_star_files(latency=True, memory_mb=20_000.0)
    edit(files["run/benchmark_report.json"])
    failed = {c.name: c.message for c in check_zip(make_zip(files)).failures}
    assert words in failed.get(check_name, ""), failed


@pytest.mark.parametrize(
    ("window", "field", "value"),
    [
        ("prefill", "run_id", "5b0fa12a-0000-0000-0000-000000000000"),  # a window of another tracker run
        ("generate", "os", "Linux-6.8.0-1015-gcp-x86_64-with-glibc2.35"),  # of another machine
        ("preprocess_dataset", "python_version", "3.12.3"),
        ("prefill", "cpu_model", "Intel(R) Xeon(R) Platinum 8480+"),
    ],
)
def test_codecarbon_files_of_another_run_or_machine_do_not_agree(window, field, value):
    files = llama_files()
    files[f"run/{window}_codecarbon.json"][field] = value
    failed = {c.name: c.message for c in check_zip(make_zip(files), LLAMA_CLAIM).failures}
    assert f"{field}: " in failed.get("Files agree", ""), failed


@pytest.mark.parametrize(
    ("prefill", "decode"),
    [
        ({"gpu": 1e-300, "cpu": 1e300, "ram": 1.0}, {"gpu": 1.0, "cpu": 1.0, "ram": 0.1}),  # a power ratio underflows
        ({"gpu": 5e-324, "cpu": 5e-324, "ram": 0.0}, {"gpu": 1e300, "cpu": 1e-300, "ram": 0.0}),
    ],
)
def test_extreme_figures_are_judged_not_crashed_on(prefill, decode):
    """Found by the fuzzer: a quotient of two uploaded figures that underflows to zero."""

    def section(record, work):
        total = sum(record.values())
        return {
            "energy": {"unit": "kWh", **record, "total": total},
            "efficiency": {"unit": "tokens/kWh", "value": work},
        }

    report = {"prefill": section(prefill, 1e5), "decode": section(decode, 1e4)}
    checked = check_zip(make_zip(energy_star_dev_files(report)), DEV_CLAIM)
    assert checked.checks and all(c.name != "Checker error" for c in checked.checks)

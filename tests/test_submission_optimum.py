"""optimum-benchmark's layouts read as the tool writes them: genuine folders (``reference/optimum-benchmark/``)
pass, re-zipped as Windows PowerShell does and with the fields the tool fills at run time; forgeries of
those folders are refused or held (the evidence map in ``layout_optimum``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.zips import energy_star_dev_files, make_zip
from leaderboard.submissions import Claim, check_zip

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

"""The AIEnergyScore v2 runner's folders (ai_energy_benchmarks), and the harness as part of every result.

The genuine folders in reference/aies-v2/ were written by the official code, unpatched; the builder
``harness.zips.v2_files`` makes folders of the same shape with chosen values.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from harness.zips import make_zip, runner_files, v2_files
from leaderboard.errors import SubmissionError
from leaderboard.harnesses import AIEB_PYTORCH, AIEB_VLLM, ENERGY_STAR, RUNNER_GENERATE
from leaderboard.results import Results
from leaderboard.schema import validate_frame
from leaderboard.sources import load_results
from leaderboard.submissions import Claim, check_zip
from leaderboard.submissions.archive import read_zip
from leaderboard.submissions.checks import CHECKER_ERROR
from leaderboard.submissions.layout_v2 import V2_LAYOUT, gpu_model_names
from leaderboard.submissions.model import Check, ParsedRun, Phase
from leaderboard.submissions.protocol import RunSetup
from leaderboard.submissions.readers import Reader, parse_logs
from leaderboard.submissions.reading import Logs
from tests.conftest import REFERENCE

V2 = REFERENCE / "aies-v2"
DEC = Claim("text_generation", "org/model", "A", "NVIDIA H100 80GB", cohort="2025-12")


def check(report, name):
    [found] = [c for c in report.checks if c.name == name]
    return found


def statuses(report):
    return {c.name: c.status for c in report.checks}


def rezip(files: dict, **changes) -> bytes:
    """``files`` with some members replaced (name -> new body; None removes the member)."""
    out = dict(files)
    for name, body in changes.items():
        if body is None:
            out.pop(name)
        else:
            out[name] = body
    return make_zip(out)


def genuine(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(V2 / name) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


# --- the genuine folders ---------------------------------------------------------------------------


def test_the_genuine_h200_folder_is_read_with_its_figure_and_gpu():
    report = check_zip((V2 / "h200_llama1b_random.zip").read_bytes())
    assert report.valid, [c for c in report.checks if c.status == "fail"]
    p = report.parsed
    assert p.layout == V2_LAYOUT and p.harness == AIEB_PYTORCH and p.harness_version == "codecarbon 3.0.4"
    assert p.gpu_energy_wh_per_1k == pytest.approx(18.3483, abs=1e-4)  # 1.8348 Wh over 100 prompts
    assert p.num_queries == 100 and p.gpu is not None and p.gpu.names == ("NVIDIA H200",)
    assert [(ph.name, ph.repeats) for ph in p.phases] == [("total", 1)]  # one window, no invented split
    assert p.phases[0].duration_s == pytest.approx(49.134, abs=1e-3)
    protocol = check(report, "Protocol")
    assert protocol.status == "warn" and "queries: 100 (protocol: 1,000)" in protocol.message
    assert "dataset: /tmp/aies_v2_work/data/text_generation" in protocol.message
    departures = protocol.message.split("):", 1)[1]
    assert "new tokens" not in departures and "precision" not in departures  # 10 per prompt; "auto" as its round
    assert check(report, "Harness").status == "pass"  # the December 2025 round's harness
    assert "No config" not in " ".join(c.message for c in report.checks)
    assert statuses(report)["Files agree"] == "pass" and statuses(report)["Average power plausible"] == "pass"


def test_the_genuine_cpu_folder_is_judged_in_full_not_refused_at_once():
    report = check_zip((V2 / "cpu_tiny_gpt2.zip").read_bytes())
    assert not report.valid and report.parsed is not None and report.parsed.layout == V2_LAYOUT
    s = statuses(report)
    assert s["Energy run"] == "fail" and "'cpu'" in check(report, "Energy run").message
    assert s["Energies finite and positive"] == "fail" and s["GPU is a GPU"] == "fail"
    assert s["Files agree"] == "pass" and s["Phases add up"] == "pass" and s["Prompts complete"] == "pass"


def test_a_claim_is_checked_against_the_genuine_folder():
    report = check_zip(
        (V2 / "h200_llama1b_random.zip").read_bytes(),
        Claim("text_generation", "meta-llama/Llama-3.2-1B", "A", "NVIDIA H100 80GB", cohort="2025-12"),
    )
    assert check(report, "Hardware as claimed").status == "fail"  # ran on an H200
    assert check(report, "Model as claimed").status == "warn"  # a local folder: reviewers ask which model


# --- a folder on the December 2025 protocol, and every way its files can disagree ----------------------


def test_a_v2_folder_on_protocol_passes_every_check():
    """Every check passes but the class, which a v2 folder cannot prove (it records no parameter count)."""
    report = check_zip(make_zip(v2_files(model="org/model", gpu_wh=18.0)), DEC)
    assert report.valid and [c.name for c in report.checks if c.status != "pass"] == ["Class rules"]
    assert report.parsed.gpu_energy_wh_per_1k == pytest.approx(18.0)


BASE = v2_files()
REPORT = "run/benchmark_report.json"
EMISSIONS = "run/emissions/emissions.csv"
RESULTS_CSV = "run/benchmark_results.csv"
SUMMARY = "run/GPU_ENERGY_SUMMARY.json"
WH_TXT = "run/GPU_ENERGY_WH.txt"


def _report(**changes):
    data = json.loads(json.dumps(BASE[REPORT]))
    for path, value in changes.items():
        node = data
        *head, last = path.split("__")
        for key in head:
            node = node[key]
        node[last] = value
    return data


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({EMISSIONS: BASE[EMISSIONS].replace("0.018,", "0.009,")}, "gpu_energy: 0.018 kWh in the report"),
        ({RESULTS_CSV: BASE[RESULTS_CSV].replace(",18.0,", ",9.0,")}, "energy_gpu_energy_wh: 18 in the report"),
        ({SUMMARY: {**BASE[SUMMARY], "total": 9.0}}, "total: 18 Wh in the report, 9 Wh in"),
        ({SUMMARY: {**BASE[SUMMARY], "decode_wh": 9.0}}, "decode_wh: 9 Wh in"),
        ({SUMMARY: {**BASE[SUMMARY], "format": "optimum"}}, "not the v2 summariser's"),
        ({WH_TXT: "9.00\n"}, "in run/GPU_ENERGY_WH.txt"),
        ({REPORT: _report(config__device_ids=[0, 0])}, "lists a GPU twice"),
        ({REPORT: _report(gpu_stats={"gpu_3": {}})}, "gpu_stats [3]"),
        ({REPORT: _report(backend_info__model="org/other")}, "'org/other' in backend_info"),
        ({EMISSIONS: BASE[EMISSIONS].replace("1,1 x", "2,1 x")}, "gpu_count 2 but gpu_model names 1"),
        ({EMISSIONS: None}, "emissions.csv is missing"),
    ],
)
def test_files_that_disagree_are_named(changes, expected):
    report = check_zip(rezip(BASE, **changes), DEC)
    agree = check(report, "Files agree")
    assert agree.status == "fail" and expected in agree.message, agree.message
    assert not report.valid


def test_sums_inside_the_report_are_checked():
    report = check_zip(rezip(BASE, **{REPORT: _report(energy__gpu_energy_wh=1.0)}), DEC)
    assert check(report, "Phases add up").status == "fail"
    assert "gpu_energy_wh 1 is not gpu_energy_kwh x 1,000" in check(report, "Phases add up").message


def test_failed_prompts_fail_and_the_count_is_never_assumed():
    failed = check_zip(make_zip(v2_files(failed=3)), DEC)
    prompts = check(failed, "Prompts complete")
    assert prompts.status == "fail" and "3 of 1,000 prompts failed" in prompts.message
    short = check_zip(rezip(BASE, **{REPORT: _report(summary__total_prompts=900)}), DEC)
    assert check(short, "Number of queries").status == "fail"
    missing = _report()
    del missing["config"]["num_samples"]
    refused = check_zip(rezip(BASE, **{REPORT: missing}))
    assert check(refused, "Number of queries").status == "fail" and "never assumed" in refused.failures[0].message


def test_gpus_and_their_count_come_from_the_files():
    report = check_zip(make_zip(v2_files(device_ids=(0, 1), gpu_wh=40.0)), DEC)
    assert report.parsed.gpu.names == ("NVIDIA H100 80GB HBM3",) * 2
    assert check(report, "Class rules").status == "fail"  # class A runs use one GPU
    assert gpu_model_names("2 x NVIDIA H100 80GB HBM3, 1 x NVIDIA A10", "w") == ["NVIDIA H100 80GB HBM3"] * 2 + [
        "NVIDIA A10"
    ]
    assert gpu_model_names("", "w") == []


def test_the_vllm_backend_is_its_own_harness():
    report = check_zip(make_zip(v2_files(backend="vllm")), DEC)
    assert report.parsed.harness == AIEB_VLLM
    harness = check(report, "Harness")
    assert harness.status == "warn" and "ai_energy_benchmarks (vLLM)" in harness.message
    assert "the December 2025 round used ai_energy_benchmarks (PyTorch)" in harness.message


def test_earlier_runs_in_the_same_folder_are_named_and_the_last_row_is_compared():
    lines = BASE[EMISSIONS].splitlines()
    twice = "\n".join([lines[0], lines[1].replace("0.018,", "0.5,"), lines[1]]) + "\n"
    report = check_zip(rezip(BASE, **{EMISSIONS: twice}), DEC)
    assert check(report, "Files agree").status == "pass"
    assert check(report, "Earlier runs in the folder").status == "warn"


@pytest.mark.parametrize(
    "body",
    [
        "gpu_model\n" + "x" * 200_000 + "\n",  # a field over the csv module's limit
        "a,a\n1,2\n",  # a column twice
        "gpu_model,gpu_energy\n1 x NVIDIA H200\n",  # a short row
        "gpu_model\n" + "1 x NVIDIA H200\n" * 1_500,  # too many rows
        "gpu_model\x00\n",  # NUL
        "",  # empty
        '"unterminated\n',
    ],
)
def test_hostile_csv_gets_a_named_refusal(body):
    report = check_zip(rezip(BASE, **{EMISSIONS: body}), DEC)
    assert not report.valid
    assert all(c.name != CHECKER_ERROR for c in report.checks)
    assert "emissions.csv" in " ".join(c.message for c in report.failures)


# --- a report with no config: refused, but judged ---------------------------------------------------


def test_a_report_without_config_is_refused_with_its_failed_repeats_named():
    report_bytes = (
        REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"
    ).read_bytes()
    report = check_zip(make_zip({"run/benchmark_report.json": report_bytes}))
    repeats = check(report, "Repeats complete")
    assert "measures[4]" in repeats.message and "measures[6]" in repeats.message
    assert "148.54 Wh per measured pass" in repeats.message and "133.71 Wh" in repeats.message
    assert check(report, "Energy run").status == "fail" and "No config" in check(report, "Energy run").message


# --- the harness is part of every result ------------------------------------------------------------


def test_a_runner_result_for_the_december_round_is_off_protocol_and_rated_apart(tmp_path):
    from leaderboard.errors import ValidationError
    from leaderboard.submissions.store import Store
    from leaderboard.submissions.workflow import accept, submit
    from tests.test_store import ALL_ATTESTED, form

    data = make_zip(runner_files())
    report = check_zip(data, Claim("text_generation", "openai-community/gpt2", "A", "NVIDIA H100 80GB", "2025-12"))
    harness = check(report, "Harness")
    assert harness.status == "warn"
    assert "AI Energy Score runner (generate); the December 2025 round used ai_energy_benchmarks" in harness.message
    store = Store(tmp_path)
    stored = submit(store, data, report, form(model="openai-community/gpt2"), ALL_ATTESTED)
    with pytest.raises(ValidationError, match=r"\[Harness\] Off-protocol"):
        accept(store, stored.id, by="m", cohort="2025-12")
    acks = {"Harness": "a harness comparison"}
    row = accept(store, stored.id, by="m", cohort="2025-12", acks=acks).row
    assert row.harness == RUNNER_GENERATE and row.cohort == "2025-12" and row.hardware == "NVIDIA H100 80GB"
    before = load_results().results.task("text_generation").cohort("2025-12").frame.set_index("run_id")["stars"]
    after = load_results(accepted=[row]).results
    mine = after.runs(row.run_id)
    assert mine.frame["stars"].iloc[0] == 5 and bool(mine.frame["provisional"].iloc[0])  # alone in its group
    assert "AI Energy Score runner (generate)" in mine.group_labels().iloc[0]
    round_rows = after.task("text_generation").cohort("2025-12").harness(AIEB_PYTORCH).frame.set_index("run_id")
    assert (round_rows["stars"] == before).all()  # no star of the round moved


def test_the_harness_splits_rating_groups():
    from tests.builders import make_frame, row

    frame = make_frame(
        [
            row(task="asr", energy=1.0),
            row(task="asr", energy=10.0),
            row(task="asr", energy=100.0, harness=ENERGY_STAR),
        ]
    )
    rated = Results.from_frame(validate_frame(frame)[0]).frame.sort_values("gpu_energy_wh_per_1k")
    assert rated["stars"].tolist() == [5, 1, 5] and rated["provisional"].tolist() == [False, False, True]


def test_an_unknown_harness_in_a_dataset_row_is_refused():
    from tests.builders import make_frame, row

    _, rejected = validate_frame(make_frame([row(harness="my-own-harness")]))
    assert rejected and "not a known harness" in rejected[0].message()


# --- the reader registry ----------------------------------------------------------------------------


def test_a_new_layout_is_one_reader_and_the_checker_is_unchanged():
    def matches(loaded):
        return "benchmark_report.json" in loaded and loaded["benchmark_report.json"][1].get("kind") == "toy"

    def read(archive, files, loaded, checks):
        name, raw = loaded["benchmark_report.json"]
        wh = float(raw["gpu_wh"])
        checks.append(Check("Energy run", "pass", "toy"))
        parsed = ParsedRun("toy", "org/toy", "asr", 1000, None, (Phase("total", wh, wh),), tuple(archive.names))
        return Logs(parsed, RunSetup(tool="toy"), "automatic-speech-recognition")

    data = make_zip({"run/benchmark_report.json": {"kind": "toy", "gpu_wh": 2.5}})
    logs = parse_logs(read_zip(data), [], [Reader("toy", matches, read)])
    assert logs.parsed.layout == "toy" and logs.parsed.gpu_energy_wh_per_1k == 2.5
    # Without the reader, the same files go to the default reader and are refused by it.
    with pytest.raises(SubmissionError, match="No config"):
        parse_logs(read_zip(data), [])


def test_v2_zips_round_trip_through_zipfile():
    data = make_zip(BASE)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == sorted(BASE)


def test_every_committed_h200_run_of_the_official_harness_reads_as_a_v2_run():
    """bench/gpu/results/harnesses-*: the official harness on an H200 via ``--harness aies-v2``."""
    folders = sorted(REFERENCE.parent.glob("bench/gpu/results/harnesses-*/runs/official-*"))
    assert len(folders) == 6
    for folder in folders:
        files = {
            f"{folder.name}/{p.relative_to(folder).as_posix()}": p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file()
        }
        report = check_zip(make_zip(files))
        stated = json.loads((folder / "benchmark_report.json").read_text())["energy"]["gpu_energy_wh"]
        assert report.valid, (folder, report.failures)
        assert report.parsed.gpu_energy_wh_per_1k == pytest.approx(stated * 10)  # 100 prompts
        assert report.parsed.gpu.names == ("NVIDIA H200",) and check(report, "NVML cross-check").status == "pass"

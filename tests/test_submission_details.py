"""The checker's reports in full, and the details a wrong number could hide in: every layout's
exact list of checks and messages, how GPUs are counted, two reports in one folder, the Docker
text total, runner summaries that do not add up, checksums, settings the runner recorded, the
protocol of every kind of task, records that round-trip, and the last-resort handler."""

import dataclasses
import json
import logging

import pytest

from harness.zips import (
    H100,
    docker_files,
    energy_star_dev_files,
    energy_star_files,
    make_zip,
    runner_files,
)
from leaderboard.runsummary import (
    RunSettings,
)
from leaderboard.submissions import (
    Check,
    Claim,
    ParsedRun,
    Phase,
    Report,
    check_zip,
    consistency,
    optimum_config,
    protocol,
    reading,
    repeats,
)
from leaderboard.submissions import checks as checks_module
from leaderboard.submissions.checks import CHECKER_ERROR
from leaderboard.tasks import TASKS_BY_ID
from tests.conftest import REFERENCE

REFERENCE_REPORT = REFERENCE / "optimum-benchmark" / "energy_star_dev_text_generation_benchmark_report.json"
CLAIM = Claim("text_generation", "org/model", "A", "NVIDIA H100 80GB")
PROTOCOL = "On protocol: 1,000 queries, batch 1, exactly 10 new tokens, BF16/FP16."


def listed(report):
    return [(c.name, c.status, c.message) for c in report.checks]


def check(report, name):
    [found] = [c for c in report.checks if c.name == name]
    return found


def failures(report):
    return " ".join(c.message for c in report.failures)


# --- every layout's report, whole --------------------------------------------------------------------


def test_energy_star_report_in_full():
    report = check_zip(make_zip(energy_star_files()), CLAIM)
    assert listed(report) == [
        ("Zip readable and safe", "pass", "7 files."),
        (
            "Benchmark report found",
            "pass",
            "optimum-benchmark energy_star; measured with optimum-benchmark energy_star, optimum-benchmark 0.6.0.dev0.",
        ),
        ("Energy run", "pass", "energy_star scenario (run/benchmark_config.json)."),
        ("Number of queries", "pass", "1,000 queries (run/benchmark_config.json)."),
        ("Energy units known", "pass", "Read in kWh and converted to Wh."),
        ("Files agree", "pass", "The 6 files read state the same run."),
        ("Phases add up", "pass", "Every stated total is the sum of its parts."),
        (
            "Energy fits the run",
            "pass",
            "The energy fits the run's efficiency, phases' work and power and CodeCarbon power × time.",
        ),
        ("GPU memory matches the board", "pass", f"{H100}: 79.6 GiB per GPU, as the board has."),
        ("Counted phases present", "pass", "preprocess, prefill, decode."),
        ("Energies finite and positive", "pass", "Every counted phase has positive GPU energy."),
        ("Protocol", "pass", PROTOCOL),
        (
            "Harness",
            "warn",
            "Off-protocol: harness: optimum-benchmark energy_star; the December 2025 round used "
            "ai_energy_benchmarks (PyTorch), so it is rated apart from that round's results. It can join the "
            "board only if a maintainer records an override.",
        ),
        ("GPU is a GPU", "pass", f"1 × {H100}."),
        ("Average power plausible", "pass", "Between idle and the 735 W limit."),
        (
            "Energy plausible",
            "pass",
            "30.2 Wh per 1,000 queries; the published range of text_generation is 1.313–3,426.",
        ),
        ("Hardware as claimed", "pass", f"{H100}."),
        (
            "Class rules",
            "warn",
            "Class A on 1 GPU(s); the logs do not record the model's parameter count, so the class is held until a "
            "maintainer checks it.",
        ),
        ("Task as claimed", "pass", "Text Generation."),
        ("Model as claimed", "pass", "Matches the logs."),
    ]
    parsed = report.parsed
    assert parsed.repeats == 1 and parsed.failed_repeats == () and parsed.all_repeats_wh_per_1k is None
    assert [p.repeats for p in parsed.phases] == [1, 1, 1]
    # each phase lasts its CodeCarbon window: the builder's GPU draws 350 W (decode: generate less prefill)
    assert [p.duration_s for p in parsed.phases] == pytest.approx([0.2 * 3.6 / 0.35, 10 * 3.6 / 0.35, 20 * 3.6 / 0.35])
    assert report.size_bytes == len(make_zip(energy_star_files())) and len(report.sha256) == 64


def test_runner_report_in_full():
    report = check_zip(
        make_zip(runner_files()), Claim("text_generation", "openai-community/gpt2", "A", "NVIDIA H100 80GB")
    )
    assert listed(report)[:12] == [
        ("Zip readable and safe", "pass", "4 files."),
        ("Benchmark report found", "pass", "AI Energy Score runner; measured with AI Energy Score runner (generate)."),
        ("Energy run", "pass", "energy_star scenario (run/benchmark_config.json)."),
        ("Number of queries", "pass", "1,000 queries (run/benchmark_config.json)."),
        ("Repeats complete", "pass", "All 3 repeats are complete and agree."),
        (
            "Energy fits the board",
            "pass",
            "Memory, power limit and idle power of a NVIDIA H100 80GB HBM3; windows of at least 1 s; inputs of the "
            "recorded dataset.",
        ),
        ("Validity gates", "pass", "All 9 measured windows passed the runner's validity gates."),
        ("Runner settings recorded", "pass", "run/energy_score_summary.json → settings."),
        ("Energy units known", "pass", "Read in Wh, kWh and converted to Wh."),
        ("Files agree", "pass", "The 4 files read state the same run."),
        ("Checksums match", "pass", "5 file(s) match the SHA-256 the runner recorded."),
        ("Phases add up", "pass", "Every stated total is the sum of its parts."),
    ]
    assert check(report, "Average power plausible").message == "Between idle and the 735 W limit."
    assert [p.repeats for p in report.parsed.phases] == [3, 3, 3] and report.parsed.repeats == 3


def test_docker_report_in_full_without_a_claim():
    report = check_zip(make_zip(docker_files()))
    assert [(n, s) for n, s, _ in listed(report)] == [
        ("Zip readable and safe", "pass"),
        ("Benchmark report found", "pass"),
        ("Energy run", "pass"),
        ("Number of queries", "pass"),
        ("Energy units known", "pass"),
        ("Files agree", "pass"),
        ("Phases add up", "pass"),
        ("GPU memory matches the board", "pass"),
        ("Energy tied to the run", "warn"),  # the summary alone records no time, power or work
        ("Counted phases present", "pass"),
        ("Energies finite and positive", "pass"),
        ("Protocol", "pass"),
        ("Harness", "warn"),
        ("GPU is a GPU", "pass"),
        ("Energy plausible", "pass"),
        ("Hardware recorded", "pass"),
    ]
    assert check(report, "Energy units known").message == "Read in Wh and converted to Wh."
    assert check(report, "Files agree").message == "The 3 files read state the same run."
    assert check(report, "Hardware recorded").message == f"1 × {H100}"
    assert [(p.name, p.repeats) for p in report.parsed.phases] == [("preprocess", 1), ("prefill", 1), ("decode", 1)]


def test_reference_report_figures_exactly():
    parsed = check_zip(make_zip(energy_star_dev_files(REFERENCE_REPORT.read_bytes()))).parsed
    assert parsed.gpu_energy_wh_per_1k == pytest.approx(148.5385011570947, rel=1e-12)
    assert parsed.all_repeats_wh_per_1k == pytest.approx(133.7118726083014, rel=1e-12)
    assert [(p.name, p.repeats) for p in parsed.phases] == [("preprocess", 1), ("prefill", 8), ("decode", 8)]


def test_repeated_measures_with_another_query_count_are_scaled():
    report = json.loads(REFERENCE_REPORT.read_text())
    parsed = check_zip(make_zip(energy_star_dev_files(report, num_samples=500))).parsed
    assert parsed.num_queries == 500
    assert parsed.gpu_energy_wh_per_1k == pytest.approx(2 * 148.5385011570947, rel=1e-12)
    assert parsed.all_repeats_wh_per_1k == pytest.approx(2 * 133.7118726083014, rel=1e-12)


def test_no_complete_repeat_fails_and_still_reports_the_mean():
    report = json.loads(REFERENCE_REPORT.read_text())
    for m in report["prefill"]["measures"]:
        m["gpu"] = 0.0
        m["total"] = m["cpu"] + m["ram"]
    report["prefill"]["energy"]["gpu"] = 0.0
    report["prefill"]["energy"]["total"] = report["prefill"]["energy"]["cpu"] + report["prefill"]["energy"]["ram"]
    result = check_zip(make_zip(energy_star_dev_files(report)))
    assert "Only 0 of 10 repeats are complete" in failures(result)
    assert result.parsed is not None and result.parsed.gpu_energy_wh_per_1k == pytest.approx(
        result.parsed.all_repeats_wh_per_1k
    )


def test_phases_with_different_repeat_counts_are_refused():
    report = json.loads(REFERENCE_REPORT.read_text())
    report["decode"]["measures"] = report["decode"]["measures"][:9]
    report["decode"]["energy"]["gpu"] = sum(m["gpu"] for m in report["decode"]["measures"]) / 9
    message = failures(check_zip(make_zip(energy_star_dev_files(report))))
    assert "different numbers of repeats (prefill: 10, decode: 9)" in message


def test_single_repeat_runs_have_no_repeat_check():
    report = check_zip(make_zip(runner_files(values_wh_per_1k={"prefill": [80.0], "decode": [68.0]})))
    assert report.valid and all(c.name != "Repeats complete" for c in report.checks)


# --- claims and checks without what they need -----------------------------------------------------------


def test_checks_say_what_the_logs_do_not_record():
    no_gpu = check_zip(make_zip(energy_star_files(gpu=[], gpu_count=0)), Claim(hardware="NVIDIA H100 80GB"))
    assert check(no_gpu, "Hardware as claimed").status == "warn"
    assert "cannot be checked" in check(no_gpu, "Hardware as claimed").message
    assert check(check_zip(make_zip(energy_star_files(gpu=[], gpu_count=0))), "Hardware recorded").status == "warn"
    no_model = check_zip(make_zip(energy_star_files(model=None)), Claim(model="org/model"))
    assert check(no_model, "Model as claimed").message == "The logs do not record the model id."
    no_task = check_zip(make_zip(energy_star_files(task=None)), Claim(task="text_generation"))
    assert (
        check(no_task, "Task as claimed").status == "warn"
        and "do not record the task" in check(no_task, "Task as claimed").message
    )
    assert "'painting' is not a task." in failures(check_zip(make_zip(energy_star_files()), Claim(task="painting")))
    assert "must use one GPU" in failures(check_zip(make_zip(energy_star_files(gpu_count=2)), Claim(model_class="A")))


@pytest.mark.parametrize(
    "durations, status",
    [
        ({"prefill": 0.0, "decode": 3600.0 / 300.0}, "pass"),  # a phase without a duration is not judged
        ({"prefill": 180.0, "decode": 180.0}, "pass"),  # exactly the 20 W floor
    ],
)
def test_power_edges(durations, status):
    files = runner_files(values_wh_per_1k={"prefill": [1.0, 1.0], "decode": [1.0, 1.0]}, duration_s=durations)
    assert check(check_zip(make_zip(files)), "Average power plausible").status == status


def test_power_exactly_at_the_board_limit_with_its_tolerance_passes():
    # 7.35 Wh over 36 s is exactly 735 W: 700 W x 1.05 for an H100.
    files = runner_files(
        values_wh_per_1k={"prefill": [1.0, 1.0], "decode": [7.35, 7.35]}, duration_s={"prefill": 60.0, "decode": 36.0}
    )
    assert check(check_zip(make_zip(files)), "Average power plausible").status == "pass"


# --- GPUs counted from the config --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw, count, problem",
    [
        ({"gpu": [H100] * 8, "gpu_count": 8, "device_ids": "0"}, 1, None),
        ({"gpu": [H100] * 8, "gpu_count": 1, "device_ids": ""}, 1, None),  # no device_ids: gpu_count says
        ({"gpu": [H100, "NVIDIA H200"], "gpu_count": 2, "device_ids": "1"}, 1, None),
        ({"gpu": [H100], "gpu_count": 4, "device_ids": ""}, 4, None),  # one name for several GPUs
        ({"gpu": [H100], "gpu_count": 1, "device_ids": 0}, 1, None),  # a number, not text
        ({"gpu": [H100] * 64, "gpu_count": 64, "device_ids": ""}, 64, None),
        ({"gpu": [H100, H100], "gpu_count": 3, "device_ids": ""}, None, "names 2 GPU(s) but gpu_count is 3"),
        (
            {"gpu": [H100, H100], "gpu_count": 2, "device_ids": "2"},
            None,
            "device_ids name GPUs the environment does not list",
        ),
        ({"gpu": [H100], "gpu_count": -1, "device_ids": ""}, None, "not a number of GPUs"),
        ({"gpu": [H100] * 65, "gpu_count": None, "device_ids": ""}, None, "lists more than 64 GPUs"),
        ({"gpu": [H100], "gpu_count": 1, "device_ids": ",".join(["0"] * 65)}, None, "lists more than 64 GPUs"),
        ({"gpu": [H100], "gpu_count": 1, "device_ids": "x"}, None, "not GPU numbers"),
        ({"gpu": [H100], "gpu_count": 4, "device_ids": "0,0,0,0"}, None, "lists a GPU twice"),  # one GPU, four times
        ({"gpu": [H100], "gpu_count": 1, "device_ids": "1000"}, None, "not GPU numbers"),
        ({"gpu": [H100] * 1000, "gpu_count": 1, "device_ids": "999"}, None, "lists more than 64 GPUs"),
    ],
)
def test_gpus_used(kw, count, problem):
    report = check_zip(make_zip(energy_star_files(**kw)))
    if problem is None:
        assert report.parsed.gpu_count == count, failures(report)
    else:
        assert problem in failures(report)


def test_large_values_in_the_config_are_bounded_on_both_sides():
    for batch, ok in ((10**12 - 1, True), (10**12, False), (-(10**12) + 1, True), (-(10**12), False)):
        message = failures(check_zip(make_zip(energy_star_files(batch_size=batch)))) if not ok else ""
        report = check_zip(make_zip(energy_star_files(batch_size=batch)))
        assert ("out of any sensible range" in " ".join(c.message for c in report.checks)) is not ok, message


# --- files that state the same thing --------------------------------------------------------------------------


def test_two_reports_in_one_folder_must_agree():
    files = energy_star_files()
    combined = {"config": files["run/benchmark_config.json"], "report": files["run/benchmark_report.json"]}
    assert check_zip(make_zip({**files, "run/benchmark.json": combined})).valid
    doubled = json.loads(json.dumps(combined))
    doubled["report"]["decode"]["energy"] = {"unit": "kWh", "gpu": 0.04, "total": 0.04}
    message = failures(check_zip(make_zip({**files, "run/benchmark.json": doubled})))
    assert "decode: 20 Wh in run/benchmark_report.json, 40 Wh in run/benchmark.json → report" in message


def test_phases_not_counted_are_named_and_loading_is_not():
    phases = {"load_model": 0.5, "sampling": 0.3, "prefill": 0.01, "decode": 0.02}
    report = check_zip(make_zip(energy_star_files(phases=phases)))
    assert check(report, "Phases not counted").message == "sampling are not scored phases."
    assert all(c.name != "Phases not counted" for c in check_zip(make_zip(energy_star_files())).checks)


def test_docker_text_total_and_total_only_summaries():
    near = docker_files({"preprocess": 0.5, "prefill": 1.0, "decode": 2.0}, total=3.517, wh_text=False)
    near["out/GPU_ENERGY_WH.txt"] = "3.534\n"  # agrees with the stated total, not with the phases' sum
    assert check_zip(make_zip(near)).valid
    for text, ok in ((b" " * 96 + b"3.5\n", True), (b" " * 97 + b"3.5\n", False), (b"abc", False)):
        files = docker_files()
        files["out/GPU_ENERGY_WH.txt"] = text
        report = check_zip(make_zip(files))
        assert report.valid is ok
        if not ok:
            assert "out/GPU_ENERGY_WH.txt holds" in failures(report) and "not a number of Wh" in failures(report)
    beside = {**energy_star_files(folder="out/"), **docker_files({}, total=30.2, wh_text=False)}
    assert check_zip(make_zip(beside)).valid
    beside["out/GPU_ENERGY_SUMMARY.json"] = {"units": "Wh", "total": 40.0}
    assert "total: 30.2 Wh in the report, 40 Wh in out/GPU_ENERGY_SUMMARY.json" in failures(check_zip(make_zip(beside)))
    sums = docker_files({"prefill": 1.0, "decode": 2.0}, total=30.0, wh_text=False)
    assert "out/GPU_ENERGY_SUMMARY.json: total 30 Wh is not the sum" in failures(check_zip(make_zip(sums)))


def _edit(path, value):
    def tamper(files):
        node = files
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return tamper


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (
            ("phases", "decode", "gpu_energy_wh"),
            6.84,
            "decode: gpu_energy_wh x 1,000 / num_queries is not gpu_energy_wh_per_1k",
        ),
        (("phases", "decode", "per_gpu_wh_per_1k"), [30.0, 30.0], "decode: per_gpu_wh_per_1k does not add up"),
        (("phases", "decode", "per_gpu_wh_per_1k"), [34.2, 34.2], "per_gpu_wh_per_1k lists 2 GPUs, gpu lists 1"),
        (("num_queries",), 1_000_000_000, "num_queries is 1000000000: it must be a whole number above 0"),
        (("num_queries",), -3, "num_queries is -3"),
    ],
)
def test_runner_summaries_that_do_not_add_up(path, value, expected):
    def tamper(files):
        _edit(path, value)(files["energy_score_summary.json"])

    assert expected in failures(check_zip(make_zip(runner_files(tamper=tamper))))
    assert "run/energy_score_summary.json" in failures(check_zip(make_zip(runner_files(tamper=tamper))))


def test_per_gpu_figures_that_add_up_pass():
    def tamper(files):
        files["energy_score_summary.json"]["phases"]["decode"]["per_gpu_wh_per_1k"] = [34.2, 34.2]

    assert check_zip(make_zip(runner_files(gpu_count=2, tamper=tamper))).valid


def test_one_query_runs_are_read():
    report = check_zip(make_zip(runner_files(num_queries=1)))
    assert report.parsed.num_queries == 1 and "queries: 1 (protocol: 1,000)" in check(report, "Protocol").message


def test_runner_report_with_measures_is_compared_by_its_mean():
    def tamper(files):
        decode = files["benchmark_report.json"]["decode"]
        decode["measures"] = [decode["energy"], decode["energy"]]

    report = check_zip(make_zip(runner_files(tamper=tamper)))
    assert check(report, "Files agree").status == "pass", failures(report)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda raw: raw.__setitem__("run/SHA256SUMS", b"not a checksum line\n"), "run/SHA256SUMS line 1 is not"),
        (lambda raw: raw.__setitem__("run/SHA256SUMS", b"\xff\xfe"), "run/SHA256SUMS is not UTF-8 text"),
        (
            lambda raw: raw.__setitem__("run/SHA256SUMS", raw["run/SHA256SUMS"] + b"0" * 64 + b"  extra.bin\n"),
            "lists 'extra.bin', which is not in the zip",
        ),
        (
            lambda raw: raw.__setitem__("run/energy_score_summary.json", raw["run/energy_score_summary.json"] + b" "),
            "energy_score_summary.json is not the file run/SHA256SUMS vouches for",
        ),
    ],
)
def test_checksum_records(change, expected):
    raw = runner_files()
    change(raw)
    assert expected in failures(check_zip(make_zip(raw)))


def test_checksums_of_files_kept_but_not_read_are_not_judged():
    raw = runner_files()
    raw["run/notes.log"] = b"kept"
    raw["run/SHA256SUMS"] += b"0" * 64 + b"  notes.log\n"
    report = check_zip(make_zip(raw))
    assert report.valid and check(report, "Checksums match").message.startswith("5 file(s)")


def test_no_checksum_check_without_checksums():
    assert all(c.name != "Checksums match" for c in check_zip(make_zip(energy_star_files())).checks)


# --- the protocol of every kind of task and what the runner recorded ---------------------------------------------


def test_runner_settings_decide_the_protocol():
    batch = check_zip(make_zip(runner_files(settings=RunSettings(batch_size=8, new_tokens=10))))
    assert "batch size: 8 (protocol: 1)" in check(batch, "Protocol").message
    graph = check_zip(make_zip(runner_files(settings=RunSettings(new_tokens=10, decode_mode="graph"))))
    assert "decode mode: graph (protocol: the library's generate loop)" in check(graph, "Protocol").message
    generate = check_zip(make_zip(runner_files(settings=RunSettings(new_tokens=10, decode_mode="generate"))))
    assert check(generate, "Protocol").status == "pass"
    plain = check_zip(make_zip(runner_files(task="reasoning", new_tokens=8192, settings=RunSettings(new_tokens=None))))
    assert "chat template: off (protocol: on, with reasoning)" in check(plain, "Protocol").message
    chat = RunSettings(chat_template=True, reasoning_effort="low")
    templated = check_zip(make_zip(runner_files(task="reasoning", new_tokens=8192, settings=chat)))
    assert check(templated, "Protocol").status == "pass", check(templated, "Protocol").message


@pytest.mark.parametrize(
    "settings, expected",
    [
        (RunSettings(inference_steps=30, images_per_prompt=1), None),
        (RunSettings(inference_steps=20, images_per_prompt=1), "inference steps: 20 (protocol: 30)"),
        (RunSettings(inference_steps=30, images_per_prompt=4), "images per prompt: 4 (protocol: 1)"),
        (RunSettings(), "inference steps: not recorded (protocol: 30)"),
    ],
)
def test_image_generation_protocol(settings, expected):
    values = {"preprocess": [0.5, 0.5], "call": [190.0, 191.0]}
    report = check_zip(
        make_zip(
            runner_files(
                task="image_generation", model="org/sd", values_wh_per_1k=values, dtype="float32", settings=settings
            )
        )
    )
    message = check(report, "Protocol").message
    if expected is None:
        assert check(report, "Protocol").status == "pass", message
    else:
        assert expected in message


def test_official_datasets_of_every_task():
    for task in TASKS_BY_ID.values():
        name = task.hub_dataset.split("/")[1]
        assert protocol.official_datasets(task) == (f"AIEnergyScore/{name}", f"EnergyStarAI/{name}")


def test_protocol_of_forward_tasks_needs_no_generation_lengths():
    run = protocol.RunSetup(
        tool="optimum-benchmark", num_queries=1000, dataset="AIEnergyScore/text_classification", dtype="float32"
    )
    assert protocol.differences(TASKS_BY_ID["text_classification"], run) == []
    assert protocol.differences(TASKS_BY_ID["text_classification"], dataclasses.replace(run, batch_size=None)) == []


# --- records -----------------------------------------------------------------------------------------------------------


def test_records_are_immutable():
    from leaderboard.submissions.archive import Member

    for cls in (
        Member,
        Check,
        Phase,
        ParsedRun,
        Report,
        Claim,
        optimum_config.ConfigFacts,
        consistency.FileFacts,
        reading.Logs,
        repeats.RepeatVerdict,
        protocol.RunSetup,
    ):
        assert cls.__dataclass_params__.frozen, cls.__name__


def test_parsed_runs_round_trip_and_old_records_read_with_defaults():
    parsed = check_zip(make_zip(energy_star_dev_files(REFERENCE_REPORT.read_bytes()))).parsed
    assert ParsedRun.from_json(json.loads(json.dumps(parsed.to_json()))) == parsed
    old = parsed.to_json()
    for key in ("repeats", "failed_repeats", "all_repeats_wh_per_1k"):
        del old[key]
    for phase in old["phases"]:
        del phase["repeats"]
    read = ParsedRun.from_json(old)
    assert (read.repeats, read.failed_repeats, read.all_repeats_wh_per_1k) == (1, (), None)
    assert {p.repeats for p in read.phases} == {1} and read.files == parsed.files
    with pytest.raises(ValueError, match="must be lists"):
        ParsedRun.from_json({**parsed.to_json(), "files": "a.json"})
    with pytest.raises(ValueError, match="must be lists"):
        ParsedRun.from_json({**parsed.to_json(), "failed_repeats": 4})
    assert ParsedRun("x", None, None, 1, None, (), ()).repeats == 1 and Report(()).size_bytes == 0
    assert Phase("decode", 1.0, 1.0).repeats == 1


@pytest.mark.parametrize("status", ["pass", "fail", "warn"])
def test_check_statuses(status):
    assert Check.from_json({"name": "n", "status": status, "message": "m"}).status == status


def test_unknown_check_status_is_refused():
    with pytest.raises(ValueError, match="is not one of"):
        Check.from_json({"name": "n", "status": "maybe", "message": "m"})


def test_the_last_resort_handler_reports_and_logs(monkeypatch, caplog):
    def broken(data, claim):
        raise RuntimeError("a bug")

    monkeypatch.setattr(checks_module, "_check", broken)
    with caplog.at_level(logging.ERROR, logger="leaderboard.submissions.checks"):
        report = check_zip(b"PK")
    assert [c.name for c in report.checks] == [CHECKER_ERROR] and "RuntimeError" in report.checks[0].message
    assert report.size_bytes == 2 and report.sha256 and not report.valid
    assert any("checker failed" in r.getMessage() for r in caplog.records)
    odd = check_zip(None)  # not bytes at all
    assert odd.size_bytes == 0 and odd.sha256 == ""


def test_refusals_carry_their_message_alone():
    report = check_zip(make_zip({"run/benchmark_report.json": REFERENCE_REPORT.read_bytes()}))
    assert check(report, "Energy run").message.startswith("No config (benchmark_config.json")


def test_messages_name_the_file_they_come_from():
    files = energy_star_files()
    files["run/benchmark_report.json"] = {"prefill": ["x"]}
    assert "run/benchmark_report.json → prefill must be a JSON object" in failures(check_zip(make_zip(files)))

    def tamper(raw):
        raw["energy_score_summary.json"]["phases"] = []

    assert "run/energy_score_summary.json → phases must be a JSON object" in failures(
        check_zip(make_zip(runner_files(tamper=tamper)))
    )
    combined = {
        "config": files["run/benchmark_config.json"],
        "report": energy_star_files()["run/benchmark_report.json"],
    }
    combined["report"]["decode"]["energy"]["total"] = 1.0
    beside = {**energy_star_files(), "run/benchmark.json": combined}
    assert "run/benchmark.json → report → decode → energy: total 1 is not cpu + ram + gpu" in failures(
        check_zip(make_zip(beside))
    )


def test_docker_units_are_named():
    report = check_zip(make_zip(docker_files({"prefill": 0.001, "decode": 0.002}, units="kWh")))
    assert check(report, "Energy units known").message == "Read in kWh and converted to Wh."


def test_two_repeats_are_reported_complete():
    report = check_zip(make_zip(runner_files(values_wh_per_1k={"prefill": [80.0, 80.2], "decode": [68.0, 68.1]})))
    assert check(report, "Repeats complete").message == "All 2 repeats are complete and agree."


def test_a_phase_that_read_zero_is_left_to_the_energy_check():
    report = check_zip(make_zip(runner_files(values_wh_per_1k={"prefill": [80.0, 80.0], "decode": [0.0, 0.0]})))
    assert check(report, "Energies finite and positive").status == "fail"
    assert check(report, "Average power plausible").status == "pass"

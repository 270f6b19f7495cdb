"""Layouts are a registry of readers (``leaderboard.submissions.readers``): a new layout is one module
that defines its reader and one line in ``READERS``; the checker (``check_zip``) is not changed."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest

import leaderboard.submissions
from harness.zips import make_zip, runner_files
from leaderboard.runfolder import (
    GpuInfo,
)
from leaderboard.submissions import Claim, check_zip, readers
from leaderboard.submissions.consistency import FileFacts, consistency_checks, disagreements
from leaderboard.submissions.model import Check, ParsedRun, Phase
from leaderboard.submissions.protocol import RunSetup
from leaderboard.submissions.reading import Logs, Reader, Refused
from leaderboard.tasks import PHASES
from leaderboard.untrusted import UNCHANGED, integer, number, obj, text

# --- a fictional layout, as its own module would define it ------------------------------------------------------------

TOY_FILE = "toy_energy.json"
TOY_LAYOUT = "toy meter"


def toy_matches(loaded) -> bool:
    return TOY_FILE in loaded


def toy_read(archive, files, loaded, checks) -> Logs:
    """{"model", "task", "gpu": [names], "queries", "wh": {phase: Wh of the pass}, "wh_total"}"""
    name, raw = loaded[TOY_FILE]
    data = obj(raw, name)
    num = integer(data.get("queries"), f"{name} → queries")
    if num <= 0:
        raise Refused("Number of queries", f"{name} → queries is {num}. {UNCHANGED}")
    checks.append(Check("Number of queries", "pass", f"{num:,} queries ({name})."))
    gpus = tuple(text(g, f"{name} → gpu") for g in data.get("gpu") or [])
    wh = {k: number(v, f"{name} → wh → {k}") for k, v in obj(data.get("wh"), f"{name} → wh").items()}
    sums_off = []
    stated = number(data.get("wh_total"), f"{name} → wh_total")
    if abs(stated - sum(wh.values())) > 1e-9:
        sums_off.append(f"{name}: wh_total {stated:.6g} is not the sum of its phases")
    model, task = text(data.get("model"), f"{name} → model"), text(data.get("task"), f"{name} → task")
    facts = [FileFacts(name, model, task, num, gpus)]
    consistency_checks(disagreements(facts), sums_off, files, archive.names, checks)  # the shared rules
    phases = tuple(Phase(p, wh[p], wh[p] * 1000.0 / num) for p in PHASES if p in wh)
    parsed = ParsedRun(TOY_LAYOUT, model, task, num, GpuInfo(gpus) if gpus else None, phases, tuple(archive.names))
    return Logs(parsed, RunSetup(tool="toy", num_queries=num), None)


TOY = Reader(TOY_LAYOUT, toy_matches, toy_read, files=(TOY_FILE,))

# --------------------------------------------------------------------------------------------------------------------


def toy_zip(**change) -> bytes:
    body = {
        "model": "org/toy-model",
        "task": "text_generation",
        "gpu": ["NVIDIA H100 80GB HBM3"],
        "queries": 1000,
        "wh": {"prefill": 12.0, "decode": 140.0},
        "wh_total": 152.0,
        **change,
    }
    return make_zip({f"run/{TOY_FILE}": json.dumps(body).encode(), "run/run.log": b"done\n"})


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(readers, "READERS", [*readers.READERS, TOY])


def by_name(report):
    return {c.name: c for c in report.checks}


def test_a_registered_layout_is_read_through_check_zip(registered):
    report = check_zip(toy_zip(), Claim(task="text_generation", model="org/toy-model"))
    assert report.parsed is not None and report.parsed.layout == TOY_LAYOUT
    assert report.parsed.gpu_energy_wh_per_1k == pytest.approx(152.0)
    checks = by_name(report)
    assert checks["Benchmark report found"].message.startswith(TOY_LAYOUT)
    # the layout's own checks, then the shared consistency rules, then every check of the checker
    for name in ("Number of queries", "Files agree", "Phases add up", "Counted phases present", "Model as claimed"):
        assert name in checks, name
    assert checks["Files agree"].status == "pass" and checks["Model as claimed"].status == "pass"


def test_a_registered_layout_gets_the_shared_rules_and_refusals(registered):
    off = by_name(check_zip(toy_zip(wh_total=999.0)))
    assert off["Phases add up"].status == "fail" and "wh_total 999" in off["Phases add up"].message
    refused = by_name(check_zip(toy_zip(queries=0)))
    assert refused["Number of queries"].status == "fail"
    unreadable = by_name(check_zip(toy_zip(wh=[1, 2])))
    assert unreadable["Benchmark report readable"].status == "fail"


def test_without_the_registry_line_the_files_are_not_its_layout():
    checks = by_name(check_zip(toy_zip()))
    assert checks["Benchmark report found"].status == "fail"


def test_a_registered_layout_leaves_the_others_as_they_were(monkeypatch):
    data = make_zip(runner_files())
    before = check_zip(data)
    monkeypatch.setattr(readers, "READERS", [*readers.READERS, TOY])
    assert check_zip(data) == before and before.parsed is not None


def test_every_reader_a_module_defines_is_registered():
    modules = [
        importlib.import_module(f"leaderboard.submissions.{m.name}")
        for m in pkgutil.iter_modules(leaderboard.submissions.__path__)
    ]
    defined = [m.READER for m in modules if isinstance(getattr(m, "READER", None), Reader)]
    registered = [*readers.READERS, readers.FALLBACK]
    assert len(defined) >= 2 and sorted(r.name for r in defined) == sorted(r.name for r in registered)
    assert readers.FALLBACK.matches({}) and all(not r.matches({}) for r in readers.READERS)

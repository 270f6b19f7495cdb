"""The disclosure pack of a rated result: the model-card block is YAML with the result's facts, the
SPDX element keeps SPDX 3.0's AI-profile rules for EnergyConsumption, EnergyConsumptionDescription and
EnergyUnitType, the Annex XI entry says what, how, how sure, what backs it and where, the boundary puts
the measured GPU energy first and marks everything else assumed with its source; the command line."""

import json
import re
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml

from leaderboard import impact
from leaderboard.disclosure import (
    ASSUMED,
    MEASURED,
    SPDX_CONTEXT,
    annex,
    card,
    card_metadata,
    disclose,
    find_result,
    render,
    spdx_element,
)
from leaderboard.errors import ValidationError
from leaderboard.hardware import OFFICIAL_HARDWARE
from leaderboard.links import record_id
from leaderboard.sources import load_results
from tests.conftest import ROOT

BASE_URL = "https://example.org/leaderboard"
GPT2 = "2025-02/text_generation/openai-community/gpt2"

# SPDX 3.0 AI profile (spdx-3-model, model/AI): EnergyConsumption has three optional lists of
# EnergyConsumptionDescription; each description has exactly one energyQuantity (xsd:decimal) and one
# energyUnit (EnergyUnitType: kilowattHour, megajoule, other). JSON-LD names them with the ai_ prefix.
SPDX_CONSUMPTION_LISTS = {
    "ai_trainingEnergyConsumption",
    "ai_finetuningEnergyConsumption",
    "ai_inferenceEnergyConsumption",
}
SPDX_UNITS = {"kilowattHour", "megajoule", "other"}
XSD_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")  # no exponent, no NaN or INF


def spdx_problems(element: object) -> list[str]:
    """Every way ``element`` breaks SPDX 3.0's rules for an energyConsumption value (empty: none)."""
    if not isinstance(element, dict):
        return ["not an object"]
    problems = []
    if element.get("@context") not in (None, SPDX_CONTEXT):
        problems.append("context is not SPDX 3.0.1's")
    if element.get("type") != "ai_EnergyConsumption":
        problems.append("type is not ai_EnergyConsumption")
    extra = set(element) - SPDX_CONSUMPTION_LISTS - {"type", "@context"}
    if extra:
        problems.append(f"fields SPDX does not define: {sorted(extra)}")
    for name in SPDX_CONSUMPTION_LISTS & set(element):
        entries = element[name]
        if not isinstance(entries, list):
            problems.append(f"{name} is not a list")
            continue
        for entry in entries:
            if not isinstance(entry, dict) or entry.get("type") != "ai_EnergyConsumptionDescription":
                problems.append(f"{name}: an entry is not an ai_EnergyConsumptionDescription")
                continue
            if set(entry) != {"type", "ai_energyQuantity", "ai_energyUnit"}:
                problems.append(f"{name}: fields {sorted(entry)}, not exactly one quantity and one unit")
            quantity = entry.get("ai_energyQuantity")
            decimal_text = isinstance(quantity, str) and XSD_DECIMAL.fullmatch(quantity)
            number = isinstance(quantity, (int, float)) and not isinstance(quantity, bool)
            if not (decimal_text or number):
                problems.append(f"{name}: energyQuantity {quantity!r} is not an xsd:decimal")
            if entry.get("ai_energyUnit") not in SPDX_UNITS:
                problems.append(f"{name}: energyUnit {entry.get('ai_energyUnit')!r} is not an EnergyUnitType")
    if not SPDX_CONSUMPTION_LISTS & set(element):
        problems.append("no energy consumption at all")
    return problems


@pytest.fixture(scope="module")
def results():
    return load_results().results


@pytest.fixture(scope="module")
def gpt2(results):
    row = find_result(
        results, model="openai-community/gpt2", task="text_generation", official_hardware=OFFICIAL_HARDWARE
    )
    return disclose(results, row, BASE_URL, "gpt2-label.png")


def front_matter(text: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    assert match, "no YAML block at the top"
    return yaml.safe_load(match.group(1))


def test_the_model_card_block_is_yaml_with_the_results_facts(gpt2):
    text = card(gpt2)
    meta = front_matter(text)
    assert meta == card_metadata(gpt2)
    facts = meta["ai_energy_score"]
    assert facts["task"] == "text_generation" and facts["model_class"] == "A"
    assert facts["gpu_energy_wh_per_1000_queries"] == pytest.approx(2.146239)
    assert facts["round"] == "2025-02" and isinstance(facts["round"], str)  # never read as a date or a number
    assert facts["stars"] == 5 and facts["max_stars"] == 5 and facts["provisional"] is False
    assert facts["evidence"] == "published" and facts["hardware"] == "NVIDIA H100 80GB"
    assert facts["record"] == record_id(GPT2) and facts["record_url"].endswith(f"&record={record_id(GPT2)}")
    assert facts["relative_uncertainty"] is None and facts["uncertainty"] == "unknown"  # never zero
    section = text.split("---\n", 2)[2]
    assert f"[![AI Energy Score label for openai-community/gpt2](gpt2-label.png)]({facts['record_url']})" in section
    assert "**2.15 Wh of GPU energy per 1,000 queries**" in section and "lower bound" in section


def test_the_spdx_element_keeps_spdx_3_rules_and_its_figure_is_kwh_per_query(gpt2):
    element = spdx_element(gpt2)
    assert spdx_problems(element) == []
    assert spdx_problems(json.loads(render(gpt2, "spdx"))) == []
    (entry,) = element["ai_inferenceEnergyConsumption"]
    assert entry["ai_energyUnit"] == "kilowattHour"
    assert Decimal(entry["ai_energyQuantity"]) == Decimal("2.146239") / 1_000_000  # one inference, in kWh


def valid_element(**entry):
    description = {
        "type": "ai_EnergyConsumptionDescription",
        "ai_energyQuantity": "0.001",
        "ai_energyUnit": "kilowattHour",
    }
    return {"type": "ai_EnergyConsumption", "ai_inferenceEnergyConsumption": [{**description, **entry}]}


@pytest.mark.parametrize(
    "element, problem",
    [
        (valid_element(), None),
        (valid_element(ai_energyQuantity=36.5), None),  # a JSON number is a decimal too
        (valid_element(ai_energyUnit="megajoule"), None),
        (valid_element(ai_energyUnit="wattHour"), "is not an EnergyUnitType"),
        (valid_element(ai_energyQuantity="2.1e-06"), "is not an xsd:decimal"),
        (valid_element(ai_energyQuantity="NaN"), "is not an xsd:decimal"),
        (valid_element(ai_energyQuantity=True), "is not an xsd:decimal"),
        (valid_element(ai_energyPerQuery="x"), "not exactly one quantity and one unit"),
        ({**valid_element(), "ai_boundary": "GPU"}, "fields SPDX does not define"),
        ({**valid_element(), "type": "ai_Energy"}, "type is not ai_EnergyConsumption"),
        ({"type": "ai_EnergyConsumption"}, "no energy consumption at all"),
    ],
)
def test_the_spdx_rules_refuse_what_spdx_does_not_define(element, problem):
    found = spdx_problems(element)
    assert (found == []) if problem is None else any(problem in p for p in found), found


def test_the_annex_entry_says_what_how_how_sure_what_backs_it_and_where(gpt2):
    text = annex(gpt2)
    for expected in (
        "Annex XI, Section 1, point 2(e)",
        "2.15 Wh of GPU energy per 1,000 queries (0.000002146239 kWh per query)",
        "1,000 queries of the dataset AIEnergyScore/text_generation",
        "harness optimum-benchmark energy_star_dev",
        "hardware NVIDIA H100 80GB",
        "protocol 1,000 queries, batch 1, exactly 10 new tokens",
        "Uncertainty: unknown (",
        "Evidence: Published: From an official AI Energy Score round",
        f"Record: {record_id(GPT2)} — {BASE_URL}/model?id=openai-community/gpt2&record={record_id(GPT2)}",
    ):
        assert expected in text, expected


def test_the_boundary_puts_measured_gpu_energy_first_and_marks_every_other_factor_assumed(gpt2):
    first, *rest = gpt2.boundary
    assert first.kind == MEASURED and first.part.startswith("GPU energy") and "2.15 Wh" in first.value
    assert rest and all(b.kind == ASSUMED and b.source for b in rest)
    parts = " ".join(b.part for b in rest)
    assert "CPU, memory" in parts and "Idle capacity" in parts and "PUE" in parts
    sources = {b.source for b in rest}
    assert impact.PUE_SOURCE in sources and impact.GRID_SOURCE in sources
    table = annex(gpt2).split("Boundary", 1)[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [r.split(" | ")[1] for r in rows] == [MEASURED] + [ASSUMED] * len(rest)


def test_every_rated_result_gives_a_valid_disclosure(results):
    for row in results.frame.to_dict("records"):
        d = disclose(results, row, BASE_URL, "label.png")
        assert spdx_problems(spdx_element(d)) == [], row["run_id"]
        assert front_matter(card(d))["ai_energy_score"]["record"] == record_id(row["run_id"])
        if row["status"] == "random weights":
            assert "Figure (estimated: measured on random weights" in annex(d)
        if row["uncertainty_source"] != "unknown":
            assert "±" in d.uncertainty


def test_a_record_picks_the_result_and_a_wrong_one_names_the_choices(results):
    h200 = "2026-11/text_generation/openai-community/gpt2"
    for record in (h200, record_id(h200)):
        row = find_result(
            results,
            model="openai-community/gpt2",
            task="text_generation",
            record=record,
            official_hardware=OFFICIAL_HARDWARE,
        )
        assert row["run_id"] == h200
    with pytest.raises(ValidationError, match=r"--record 'deadbeef'.*its records: b9e79dd91dacf26e \(2025-02/"):
        find_result(
            results,
            model="openai-community/gpt2",
            task="text_generation",
            record="deadbeef",
            official_hardware=OFFICIAL_HARDWARE,
        )
    with pytest.raises(ValidationError, match=r"--task 'asr': openai-community/gpt2 has results in text_generation"):
        find_result(results, model="openai-community/gpt2", task="asr", official_hardware=OFFICIAL_HARDWARE)
    with pytest.raises(ValidationError, match=r"--model 'nobody/nothing': no rated result"):
        find_result(results, model="nobody/nothing", task="asr", official_hardware=OFFICIAL_HARDWARE)


def disclose_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "leaderboard", "disclose", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_command_writes_each_format_and_names_bad_input(tmp_path):
    base = ("--model", "openai-community/gpt2", "--task", "text_generation")
    spdx_proc = disclose_cli(*base, "--format", "spdx")
    assert spdx_proc.returncode == 0, spdx_proc.stderr
    assert spdx_problems(json.loads(spdx_proc.stdout)) == []
    out = tmp_path / "all.md"
    proc = disclose_cli(*base, "--record", record_id(GPT2), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert (
        text.startswith("<!-- card -->\n---\nai_energy_score:") and "<!-- spdx -->" in text and "<!-- annex -->" in text
    )
    assert "openai-community_gpt2-text_generation-2025-02-b9e79dd91dacf26e.png" in text  # the label's file name
    proc = disclose_cli(*base, "--record", "nope")
    assert proc.returncode == 2 and "--record 'nope'" in proc.stderr and "Traceback" not in proc.stderr
    proc = disclose_cli(*base, "--format", "pdf")
    assert proc.returncode == 2 and "--format" in proc.stderr

"""An energy disclosure from one rated result: what a model card, an SBOM or a regulator can take.

Four formats, from the same facts (``disclose``):

* ``card``: a Hugging Face model-card snippet: a YAML metadata block (merge its ``ai_energy_score`` key
  into the card's front matter; Hugging Face has no inference-energy field of its own) and a Markdown
  section with the label and its link.
* ``spdx``: an SPDX 3.0 AI-profile ``energyConsumption`` value (JSON-LD): an ``ai_EnergyConsumption``
  with one ``ai_inferenceEnergyConsumption`` ``ai_EnergyConsumptionDescription`` (``ai_energyQuantity``
  an ``xsd:decimal``, ``ai_energyUnit`` one of ``EnergyUnitType``: kilowattHour, megajoule, other). SPDX
  defines inference energy consumption as the energy of one inference, so the quantity is kWh per query
  (GPU Wh per 1,000 queries / 1,000,000), written as a plain decimal (no exponent: ``xsd:decimal`` has
  none). Only the fields SPDX 3.0 defines; what the figure covers is in the card and the annex entry.
* ``annex``: an entry for the EU AI Act, Annex XI, Section 1, point 2(e) ("known or estimated energy
  consumption of the model"): the figure, what it measures, how (harness, hardware, protocol, queries),
  its uncertainty (``leaderboard.uncertainty``), its evidence (``leaderboard.evidence``) and the record.
* every format states the boundary: the measured GPU energy first, then the node (CPU, memory), idle
  capacity and data-centre factors, each marked measured or assumed, assumptions with their sources
  (the energy-at-scale defaults of ``leaderboard.impact``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from leaderboard import impact
from leaderboard.errors import ValidationError
from leaderboard.evidence import KINDS_BY_ID, of_status
from leaderboard.evidence import words as evidence_words
from leaderboard.formatting import energy_wh, month_name, task_name
from leaderboard.harnesses import harness_name
from leaderboard.links import model_page_url, record_id, status_text
from leaderboard.rating import ENERGY_COLUMN
from leaderboard.results import Results
from leaderboard.tasks import MAX_STARS, TASKS_BY_ID
from leaderboard.uncertainty import NOTE_COLUMN, SOURCE_COLUMN, of_values

FORMATS = ("card", "spdx", "annex")
SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPDX_ENERGY_UNITS = ("kilowattHour", "megajoule", "other")  # SPDX 3.0 AI EnergyUnitType
SPDX_UNIT = "kilowattHour"
WH_PER_1K_PER_KWH_PER_QUERY = Decimal(1_000_000)  # Wh per 1,000 queries -> kWh per query
ANNEX_POINT = "EU AI Act, Annex XI, Section 1, point 2(e): known or estimated energy consumption of the model"
MEASURED = "measured"
ASSUMED = "assumed"
LOWER_BOUND_SOURCE = (
    "AI Energy Score metric (SPEC §3): CPU and RAM energy never enter the score; leaderboard.impact: CPU, memory, "
    "network and idle servers add to it, so the figure is a lower bound"
)


@dataclass(frozen=True)
class BoundaryItem:
    """One part of the energy boundary: what it is, ``MEASURED`` or ``ASSUMED``, its value, its source."""

    part: str
    kind: str
    value: str
    source: str


@dataclass(frozen=True)
class Disclosure:
    """The facts of one rated result that every format states (see the module docstring)."""

    model: str
    shown_model: str
    task: str
    task_name: str
    model_class: str | None
    effort: str | None
    cohort: str
    hardware: str
    harness: str
    energy_wh_per_1k: float
    stars: int
    provisional: bool
    group: str
    status: str
    evidence: str
    evidence_meaning: str
    uncertainty: str
    uncertainty_rel: float | None
    uncertainty_detail: str
    protocol: str
    dataset: str
    phases: tuple[str, ...]
    record: str
    record_url: str
    label_image: str
    boundary: tuple[BoundaryItem, ...]

    @property
    def energy_text(self) -> str:
        return f"{energy_wh(self.energy_wh_per_1k)} Wh"

    @property
    def kwh_per_query(self) -> str:
        """The figure as SPDX takes it: kWh per query, a plain decimal."""
        value = Decimal(repr(float(self.energy_wh_per_1k))) / WH_PER_1K_PER_KWH_PER_QUERY
        return format(value.normalize(), "f")

    @property
    def stars_text(self) -> str:
        return f"{self.stars} of {MAX_STARS} stars{' (provisional: nothing to compare in its group)' if self.provisional else ''}"


def find_result(results: Results, *, model: str, task: str, record: str | None = None, official_hardware: str) -> Any:
    """The result row to disclose: ``record`` (a record id, 16 hex digits, or a run id) among the model's
    results of ``task``, else the model's first result of the task in ``Results.published_first`` order
    (the official published result first). ``ValidationError`` names what is wrong and the choices."""
    mine = results.model(model).task(task)
    if mine.frame.empty:
        tasks = sorted(results.model(model).tasks())
        if not tasks:
            raise ValidationError(
                f"--model {model[:100]!r}: no rated result of that model; check the Hub id (org/name)."
            )
        raise ValidationError(f"--task {task!r}: {model} has results in {', '.join(tasks)} only.")
    ordered = mine.published_first(official_hardware).frame
    if not record:
        return ordered.iloc[0]
    found = ordered[(ordered["run_id"] == record) | (ordered["run_id"].map(record_id) == record)]
    if found.empty:
        choices = ", ".join(f"{record_id(str(r))} ({r})" for r in ordered["run_id"])
        raise ValidationError(f"--record {record[:40]!r}: not a result of {model} in {task}; its records: {choices}.")
    return found.iloc[0]


def disclose(results: Results, row: Any, base_url: str, label_image: str) -> Disclosure:
    """The disclosure of one rated result ``row`` (a row of ``results``); ``base_url`` is the public
    address its record link points at, ``label_image`` the address (or file name) of its label PNG."""
    from leaderboard.formatting import run_label

    get = row.get if hasattr(row, "get") else lambda k, default=None: getattr(row, k, default)
    run_id, task = str(get("run_id")), str(get("task"))
    model = str(get("model"))
    effort = get("reasoning_effort", None)
    effort = effort if isinstance(effort, str) and effort else None
    model_class = get("model_class", None)
    model_class = model_class if isinstance(model_class, str) and model_class else None
    energy = float(get(ENERGY_COLUMN))
    status = str(get("status", "published") or "published")
    evidence = get("evidence", None)
    evidence = evidence if isinstance(evidence, str) and evidence in KINDS_BY_ID else of_status(status)
    unc = of_values(
        get("energy_rel_uncertainty", None),
        get(SOURCE_COLUMN, None),
        get("uncertainty_n", None),
        get(NOTE_COLUMN, None),
    )
    definition = TASKS_BY_ID[task]
    group = results.runs(run_id).group_labels().iloc[0]
    provisional = bool(get("provisional", False) is True)
    harness = str(get("harness", "") or "")
    hardware = str(get("hardware"))
    scale = impact.at_scale(energy, impact.DEFAULT_QUERIES_PER_DAY)
    per_day = f"{impact.DEFAULT_QUERIES_PER_DAY:,}"
    boundary = (
        BoundaryItem(
            f"GPU energy of inference ({', '.join(definition.phases)})",
            MEASURED,
            f"{energy_wh(energy)} Wh per 1,000 queries",
            f"record {record_id(run_id)}: {harness_name(harness)} on {hardware}",
        ),
        BoundaryItem(
            "CPU, memory and the rest of the node", ASSUMED, "none counted (a lower bound)", LOWER_BOUND_SOURCE
        ),
        BoundaryItem(
            "Idle capacity (servers provisioned but not serving)",
            ASSUMED,
            "none counted (a lower bound)",
            LOWER_BOUND_SOURCE,
        ),
        BoundaryItem("Data-centre overhead (PUE)", ASSUMED, f"{impact.DEFAULT_PUE:g}", impact.PUE_SOURCE),
        BoundaryItem(
            "Grid carbon intensity", ASSUMED, f"{impact.DEFAULT_GRID_G_PER_KWH:g} g CO2e/kWh", impact.GRID_SOURCE
        ),
        BoundaryItem(
            f"A year at {per_day} queries per day",
            ASSUMED,
            f"{scale.gpu_kwh_per_year:,.1f} kWh GPU; {scale.meter_kwh_per_year:,.1f} kWh at the meter (× PUE); "
            f"{scale.kg_co2e_per_year:,.1f} kg CO2e",
            f"the measured figure × an assumed volume ({per_day} queries per day, leaderboard.impact's default)",
        ),
    )
    return Disclosure(
        model=model,
        shown_model=run_label(model, effort),
        task=task,
        task_name=task_name(task),
        model_class=model_class,
        effort=effort,
        cohort=str(get("cohort")),
        hardware=hardware,
        harness=harness_name(harness),
        energy_wh_per_1k=energy,
        stars=int(get("stars")),
        provisional=provisional,
        group=str(group),
        status=status,
        evidence=evidence,
        evidence_meaning=KINDS_BY_ID[evidence].meaning,
        uncertainty=unc.words(),
        uncertainty_rel=unc.rel,
        uncertainty_detail=unc.detail(),
        protocol=definition.protocol.summary(),
        dataset=definition.hub_dataset,
        phases=definition.phases,
        record=record_id(run_id),
        record_url=model_page_url(base_url, model, run_id),
        label_image=label_image,
        boundary=boundary,
    )


def card_metadata(d: Disclosure) -> dict[str, object]:
    """The model card's metadata (the ``ai_energy_score`` key of its YAML front matter)."""
    return {
        "ai_energy_score": {
            "task": d.task,
            **({"model_class": d.model_class} if d.model_class else {}),
            **({"reasoning_effort": d.effort} if d.effort else {}),
            "gpu_energy_wh_per_1000_queries": round(d.energy_wh_per_1k, 6),
            "energy_boundary": "GPU energy only (measured); node, idle capacity and data-centre overhead not included",
            "stars": d.stars,
            "max_stars": MAX_STARS,
            "provisional": d.provisional,
            "rating_group": d.group,
            "round": d.cohort,
            "hardware": d.hardware,
            "harness": d.harness,
            "protocol": d.protocol,
            "dataset": d.dataset,
            "relative_uncertainty": d.uncertainty_rel,
            "uncertainty": d.uncertainty,
            "evidence": d.evidence,
            "record": d.record,
            "record_url": d.record_url,
        }
    }


def card(d: Disclosure) -> str:
    """The model-card snippet: the YAML metadata block, then a Markdown section with the label and its link."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's where PyYAML has it: the same text, faster
    meta = yaml.dump(card_metadata(d), Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000)
    alt = f"AI Energy Score label for {d.shown_model}".replace("[", "").replace("]", "")
    return (
        f"---\n{meta}---\n\n"
        "## Energy (AI Energy Score)\n\n"
        f"[![{alt}]({d.label_image})]({d.record_url})\n\n"
        f"**{d.energy_text} of GPU energy per 1,000 queries** for {d.task_name.lower()}"
        f"{f' ({d.effort} reasoning effort)' if d.effort else ''}, measured with {d.harness} on {d.hardware} "
        f"({d.protocol}): {d.stars_text} in its rating group ({d.group}).\n\n"
        f"- Uncertainty: {d.uncertainty}.\n"
        f"- Evidence: {evidence_words(d.evidence)} ({status_text(d.status).lower()}): {d.evidence_meaning}\n"
        f"- Boundary: measured GPU energy only; CPU, memory, idle capacity and data-centre overhead are not included, "
        f"so the figure is a lower bound.\n"
        f"- Record: [{d.record}]({d.record_url})\n"
    )


def spdx_element(d: Disclosure) -> dict[str, object]:
    """The SPDX 3.0 AI-profile ``energyConsumption`` value for inference (JSON-LD, with its context)."""
    return {
        "@context": SPDX_CONTEXT,
        "type": "ai_EnergyConsumption",
        "ai_inferenceEnergyConsumption": [
            {
                "type": "ai_EnergyConsumptionDescription",
                "ai_energyQuantity": d.kwh_per_query,
                "ai_energyUnit": SPDX_UNIT,
            }
        ],
    }


def spdx(d: Disclosure) -> str:
    return json.dumps(spdx_element(d), indent=2) + "\n"


def boundary_table(d: Disclosure) -> str:
    rows = [
        "| Part | Measured or assumed | Value | Source |",
        "|---|---|---|---|",
        *(f"| {b.part} | {b.kind} | {b.value} | {b.source} |" for b in d.boundary),
    ]
    return "\n".join(rows) + "\n"


def annex(d: Disclosure) -> str:
    """The Annex XI §1(2)(e) entry (Markdown)."""
    inputs = "; ".join(d.phases)
    return (
        f"### {ANNEX_POINT}\n\n"
        f"- Model: {d.shown_model}\n"
        f"- Figure ({'estimated: measured on random weights of the architecture' if d.status == 'random weights' else 'known: measured'}): "
        f"{d.energy_text} of GPU energy per 1,000 queries "
        f"({d.kwh_per_query} kWh per query).\n"
        f"- What it measures: the GPU energy of inference for {d.task_name.lower()} "
        f"(phases: {inputs}), summed over the GPUs used, for 1,000 queries of the dataset {d.dataset}.\n"
        f"- How: harness {d.harness}; hardware {d.hardware}; protocol {d.protocol}; round {month_name(d.cohort)} "
        f"({d.cohort}).\n"
        f"- Uncertainty: {d.uncertainty_detail}.\n"
        f"- Evidence: {evidence_words(d.evidence)}: {d.evidence_meaning}\n"
        f"- Rating: {d.stars_text} among {d.group}.\n"
        f"- Record: {d.record} — {d.record_url}\n\n"
        "Boundary (measured GPU energy first; everything else is a declared assumption):\n\n"
        f"{boundary_table(d)}"
    )


def render(d: Disclosure, fmt: str) -> str:
    """One format (``FORMATS``) or ``all`` of them, each under a heading."""
    makers = {"card": card, "spdx": spdx, "annex": annex}
    if fmt == "all":
        return "\n".join(f"<!-- {name} -->\n{makers[name](d)}" for name in FORMATS)
    if fmt not in makers:
        raise ValidationError(f"--format {fmt!r}: one of {', '.join(FORMATS)} or all.")
    return makers[fmt](d)

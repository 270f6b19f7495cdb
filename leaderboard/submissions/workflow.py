"""Submitting, accepting and rejecting: the steps between a checked zip and the results dataset."""

from __future__ import annotations

import re
from dataclasses import dataclass

from leaderboard import settings
from leaderboard.errors import ValidationError
from leaderboard.schema import MAX_MODEL_ID_CHARS, provider_of
from leaderboard.storage import ATTESTATIONS, HubPublisher, Store, Stored, now_iso, publish_queued
from leaderboard.submissions import Report
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASKS_BY_ID

MODEL_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[\w.-]{1,96}$")
PRECISIONS = ("FP32", "BF16", "FP16", "FP8", "INT8", "INT4", "other")
MAX_CONTACT_CHARS = 200


@dataclass(frozen=True)
class Form:
    """What the submitter fills in."""

    model: str
    task: str
    model_class: str | None
    precision: str
    reasoning_effort: str | None
    contact: str
    hardware: str


def form_problems(form: Form) -> list[str]:
    problems = []
    if not MODEL_ID.match(form.model or "") or len(form.model) > MAX_MODEL_ID_CHARS:
        problems.append(f"Model id {form.model[:80]!r} must be a Hub id like org/name (letters, digits, '.', '-', '_').")
    if form.task not in TASKS_BY_ID:
        problems.append(f"Task {form.task!r} is not one of: {', '.join(TASKS_BY_ID)}.")
    elif TASKS_BY_ID[form.task].has_classes and form.model_class not in MODEL_CLASSES:
        problems.append(f"Pick the model class (A, B or C) for {TASKS_BY_ID[form.task].display_name}.")
    if form.precision not in PRECISIONS:
        problems.append(f"Precision must be one of: {', '.join(PRECISIONS)}.")
    if form.reasoning_effort and form.reasoning_effort not in REASONING_EFFORTS:
        problems.append(f"Reasoning effort must be one of: {', '.join(REASONING_EFFORTS)}.")
    contact = (form.contact or "").strip()
    if not contact or len(contact) > MAX_CONTACT_CHARS or any(ord(c) < 32 for c in contact):
        problems.append("Give a contact (an e-mail address or Hub user name, at most 200 characters).")
    if not (form.hardware or "").strip() or len(form.hardware) > 100:
        problems.append("Name the hardware the benchmark ran on (at most 100 characters).")
    return problems


def submit(store: Store, zip_bytes: bytes, report: Report, form: Form, attested: dict[str, bool]) -> Stored:
    """Store a submission; refuses unless the logs are valid, the form is complete and all three
    attestations are given."""
    missing = [name for name, _ in ATTESTATIONS if not attested.get(name)]
    problems = form_problems(form)
    if not report.valid:
        problems.insert(0, "The logs did not pass validation: " + "; ".join(c.name for c in report.failures) + ".")
    if missing:
        problems.append(f"Tick all three attestations (missing: {', '.join(missing)}).")
    if problems:
        raise ValidationError(" ".join(problems))
    parsed = report.parsed
    record = {
        "sha256": report.sha256, "size_bytes": report.size_bytes, "submitted": now_iso(),
        "form": {"model": form.model, "task": form.task, "model_class": form.model_class,
                 "precision": form.precision, "reasoning_effort": form.reasoning_effort,
                 "contact": form.contact.strip(), "hardware": form.hardware.strip()},
        "attestations": [{"name": name, "text": text, "attested": True} for name, text in ATTESTATIONS],
        "parsed": {"layout": parsed.layout, "model": parsed.model, "task": parsed.task,
                   "num_queries": parsed.num_queries, "gpu_name": parsed.gpu_name, "gpu_count": parsed.gpu_count,
                   "driver": parsed.driver, "gpu_energy_wh_per_1k": parsed.gpu_energy_wh_per_1k,
                   "phases": [{"name": p.name, "gpu_energy_wh": p.gpu_energy_wh,
                               "gpu_energy_wh_per_1k": p.gpu_energy_wh_per_1k, "duration_s": p.duration_s,
                               "repeats": p.repeats} for p in parsed.phases]},
        "checks": [{"name": c.name, "status": c.status, "message": c.message} for c in report.checks],
    }
    return store.add(zip_bytes, record)


def joining_cohort(results) -> str | None:
    """The cohort accepted and pending submissions join: the ``current_cohort`` setting, else the
    latest cohort of the leaderboard's own results."""
    return settings.get("current_cohort") or results.current_cohort()


def result_row(record: dict, cohort: str, sub_id: str) -> dict:
    """The results-dataset row of an accepted submission (schema of ``leaderboard.schema``)."""
    form = record["form"]
    effort = form.get("reasoning_effort")
    base = f"{cohort}/{form['task']}/{form['model']}" + (f"/{effort}" if effort else "")
    return {
        "run_id": f"{base}@{sub_id}", "task": form["task"], "model": form["model"],
        "provider": provider_of(form["model"]), "model_class": form.get("model_class"),
        "reasoning_effort": effort, "cohort": cohort, "test_date": record["submitted"][:7],
        "hardware": form["hardware"], "gpu_energy_wh_per_1k": record["parsed"]["gpu_energy_wh_per_1k"],
        "source": f"submission {sub_id}", "published_stars": None,
        "notes": f"Accepted submission; precision {form['precision']}.", "measured_by": "submitter",
    }


def accept(store: Store, sub_id: str, *, by: str, cohort: str, publisher: HubPublisher | None = None) -> dict:
    """Accept into ``cohort``; with a publisher, push it (it stays queued if the push fails)."""
    row = result_row(store.record(sub_id), cohort, sub_id)
    store.decide(sub_id, "accepted", by=by, row=row)
    outcome = {"id": sub_id, "row": row, "pushed": False, "error": None}
    if publisher is not None:
        store.queue(sub_id)
        pushed, error = publish_queued(store, publisher)
        outcome.update(pushed=sub_id in pushed, error=error)
    return outcome


def reject(store: Store, sub_id: str, *, by: str, reason: str) -> dict:
    if not reason.strip():
        raise ValidationError("Give a reason for the rejection (--reason); the submitter is told it.")
    return store.decide(sub_id, "rejected", by=by, reason=reason.strip()[:1000])

"""Submitting, accepting and rejecting: the steps between a checked zip and the results dataset."""

from __future__ import annotations

from dataclasses import dataclass

from leaderboard import settings
from leaderboard.errors import ValidationError
from leaderboard.results import Results
from leaderboard.schema import HUB_ID_PATTERN, MAX_MODEL_ID_CHARS, ResultRow, provider_of
from leaderboard.storage import Decision, HubPublisher, Store, Stored, now_iso, publish_queued, submission_id
from leaderboard.submissions.model import Report
from leaderboard.submissions.record import ATTESTATIONS, Form, SubmissionRecord
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASKS_BY_ID

PRECISIONS = ("FP32", "BF16", "FP16", "FP8", "INT8", "INT4", "other")
MAX_CONTACT_CHARS = 200


def form_problems(form: Form) -> list[str]:
    """Every reason the form cannot be submitted; empty when it is complete."""
    problems = []
    if not HUB_ID_PATTERN.match(form.model or "") or len(form.model) > MAX_MODEL_ID_CHARS:
        problems.append(
            f"Model id {form.model[:80]!r} must be a Hub id like org/name (letters, digits, '.', '-', '_')."
        )
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
    if report.parsed is None:
        raise ValidationError("The logs could not be read; upload the run folder's zip again.")
    record = SubmissionRecord(
        id=submission_id(report.sha256),
        sha256=report.sha256,
        size_bytes=report.size_bytes,
        submitted=now_iso(),
        form=Form(
            form.model,
            form.task,
            form.model_class,
            form.precision,
            form.reasoning_effort,
            form.contact.strip(),
            form.hardware.strip(),
        ),
        attestations=tuple(name for name, _ in ATTESTATIONS),
        parsed=report.parsed,
        checks=report.checks,
    )
    return store.add(zip_bytes, record)


def joining_cohort(results: Results) -> str:
    """The cohort accepted and pending submissions join: the ``current_cohort`` setting, else the
    latest cohort of the leaderboard's own results."""
    cohort = settings.get("current_cohort") or results.current_cohort()
    if cohort is None:
        env = settings.SETTINGS_BY_NAME["current_cohort"].env
        raise ValidationError(f"There is no cohort for new results to join: set {env} (YYYY-MM).")
    return cohort


def result_row(record: SubmissionRecord, cohort: str, sub_id: str) -> ResultRow:
    """The results-dataset row of an accepted submission."""
    form = record.form
    effort = form.reasoning_effort
    base = f"{cohort}/{form.task}/{form.model}" + (f"/{effort}" if effort else "")
    return ResultRow(
        run_id=f"{base}@{sub_id}",
        task=form.task,
        model=form.model,
        provider=provider_of(form.model),
        model_class=form.model_class,
        reasoning_effort=effort,
        cohort=cohort,
        test_date=record.submitted[:7],
        hardware=form.hardware,
        gpu_energy_wh_per_1k=record.parsed.gpu_energy_wh_per_1k,
        source=f"submission {sub_id}",
        published_stars=None,
        notes=f"Accepted submission; precision {form.precision}.",
        measured_by="submitter",
    )


@dataclass(frozen=True)
class Accepted:
    """The outcome of accepting: the row added, and whether it reached the Hub (or the push error)."""

    id: str
    row: ResultRow
    pushed: bool = False
    error: str | None = None


def accept(store: Store, sub_id: str, *, by: str, cohort: str, publisher: HubPublisher | None = None) -> Accepted:
    """Accept into ``cohort``; with a publisher, push it (it stays queued if the push fails)."""
    row = result_row(store.record(sub_id), cohort, sub_id)
    store.decide(sub_id, "accepted", by=by, row=row)
    if publisher is None:
        return Accepted(sub_id, row)
    store.queue(sub_id)
    pushed, error = publish_queued(store, publisher)
    return Accepted(sub_id, row, sub_id in pushed, error)


def reject(store: Store, sub_id: str, *, by: str, reason: str) -> Decision:
    if not reason.strip():
        raise ValidationError("Give a reason for the rejection (--reason); the submitter is told it.")
    return store.decide(sub_id, "rejected", by=by, reason=reason.strip()[:1000])

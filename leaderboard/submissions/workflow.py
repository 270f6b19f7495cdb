"""Submitting, accepting and rejecting: the steps between a checked zip and the results dataset.

Accept and reject can be run again after any failure: the decision is the store's one commit point
(``leaderboard.submissions.store``), and running the same decision again completes what is left (the Hub
push). Accept judges the stored zip again with today's checker (``recheck``): the verdict stored at
submit time is never trusted on its own. A result with warnings (off-protocol, a class the logs cannot prove, an energy far outside the
published range, …) is accepted only once the maintainer acknowledges every warning with a reason
(``acks``), recorded in the decision (and an off-protocol reason in the row's notes); a fake-meter
test run never.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from leaderboard import evidence, settings
from leaderboard.errors import StoreError, ValidationError
from leaderboard.hardware import rated_board
from leaderboard.schema import MAX_MODEL_ID_CHARS, MONTH_PATTERN, ResultRow, provider_of
from leaderboard.submissions.checks import OFF_PROTOCOL_CHECKS, check_zip, is_fake_meter
from leaderboard.submissions.model import Check, Report
from leaderboard.submissions.publish import HubPublisher, publish_queued
from leaderboard.submissions.record import ATTESTATIONS, Form, SubmissionRecord
from leaderboard.submissions.store import Decision, Store, Stored, now_iso, submission_id
from leaderboard.submissions.text import model_id_problem, printable
from leaderboard.tasks import MODEL_CLASSES, REASONING_EFFORTS, TASKS_BY_ID, current_round
from leaderboard.uncertainty import from_repeats

FIRST_COHORT = "2024-01"  # no AI Energy Score round is older
COHORT_MONTHS_AHEAD = 12  # a round may be prepared up to a year ahead, never further

PRECISIONS = ("FP32", "BF16", "FP16", "FP8", "INT8", "INT4", "other")
MAX_CONTACT_CHARS = 200


def form_problems(form: Form) -> list[str]:
    """Every reason the form cannot be submitted; empty when it is complete."""
    problems = []
    model_problem = model_id_problem(form.model or "")
    if model_problem or len(form.model) > MAX_MODEL_ID_CHARS:
        problems.append(model_problem or f"Model id is longer than {MAX_MODEL_ID_CHARS} characters.")
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
    hardware = (form.hardware or "").strip()
    if not hardware or len(hardware) > 100 or printable(hardware) != hardware:
        problems.append("Name the hardware the benchmark ran on (at most 100 plain characters).")
    return problems


def submit(store: Store, zip_bytes: bytes, report: Report, form: Form, attested: dict[str, bool]) -> Stored:
    """Store a submission; refuses unless ``zip_bytes`` are the bytes ``report`` checked (their SHA-256),
    the logs are valid, the form is complete and all three attestations are given."""
    if hashlib.sha256(zip_bytes).hexdigest() != report.sha256:
        raise ValidationError(
            "These bytes are not the zip that was checked (their SHA-256 differs from the check's). Nothing was "
            "stored: check the zip, then submit that same file."
        )
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


def joining_cohort() -> str:
    """The cohort accepted and pending submissions join: the ``current_cohort`` setting (validated as a
    cohort), else the newest round the task registry knows (``tasks.current_round``), never a cohort
    read from a data row."""
    configured = settings.get("current_cohort")
    if configured:
        env = settings.SETTINGS_BY_NAME["current_cohort"].env
        try:
            return validate_cohort(configured)
        except ValidationError as exc:
            raise ValidationError(f"{env}: {exc}") from None
    return current_round().cohort


def result_row(
    record: SubmissionRecord,
    cohort: str,
    sub_id: str,
    off_protocol_override: str | None = None,
    acknowledged: Mapping[str, str] | None = None,
) -> ResultRow:
    """The results-dataset row of an accepted submission. Its hardware is the board the logs name, with
    their GPU count (``rated_board``), never the form's text. Its uncertainty is its own repeats' spread
    where the logs hold two complete repeats or more (else the loader gives its harness's); its evidence
    is *logs cross-checked*, or *held with acknowledged warnings* naming each and the reason given."""
    form = record.form
    own = from_repeats(record.parsed.repeat_totals_wh_per_1k)
    kind, note = evidence.of_acknowledged(acknowledged or {})
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
        hardware=rated_board(record.parsed.gpu_name or form.hardware, record.parsed.gpu_count or 1),
        gpu_energy_wh_per_1k=record.parsed.gpu_energy_wh_per_1k,
        source=f"submission {sub_id}",
        published_stars=None,
        notes=f"Accepted submission; precision {form.precision}."
        + (f" Off-protocol, accepted by override: {off_protocol_override}" if off_protocol_override else ""),
        measured_by="submitter",
        harness=record.parsed.harness,
        harness_version=record.parsed.harness_version,
        energy_rel_uncertainty=own.rel if own else None,
        uncertainty_source=own.source if own else None,
        uncertainty_n=own.n if own else None,
        uncertainty_note=own.note if own else None,
        evidence=kind,
        evidence_note=note,
    )


@dataclass(frozen=True)
class Accepted:
    """The outcome of accepting: the row added, and whether it reached the Hub (or the push error)."""

    id: str
    row: ResultRow
    pushed: bool = False
    error: str | None = None


def validate_cohort(cohort: str, today: datetime | None = None) -> str:
    """``cohort`` if it is a month from ``FIRST_COHORT`` to a year from now, else ``ValidationError``."""
    now = today or datetime.now(UTC)
    latest = f"{now.year + (now.month - 1 + COHORT_MONTHS_AHEAD) // 12:04d}-{(now.month - 1 + COHORT_MONTHS_AHEAD) % 12 + 1:02d}"
    if not isinstance(cohort, str) or not MONTH_PATTERN.match(cohort) or not FIRST_COHORT <= cohort <= latest:
        raise ValidationError(
            f"Cohort {printable(str(cohort))[:40]!r} is not a leaderboard round: give a month YYYY-MM from "
            f"{FIRST_COHORT} to {latest}, e.g. {now:%Y-%m}."
        )
    return cohort


MAX_ACK_REASON_CHARS = 500
MAX_SHOWN_MESSAGE_CHARS = 300  # a check's message as an accept refusal quotes it


def warnings_of(checks: tuple[Check, ...]) -> dict[str, str]:
    """Every warning among ``checks``: check name -> its message."""
    return {c.name: c.message for c in checks if c.status == "warn"}


def recheck(store: Store, sub_id: str, record: SubmissionRecord, cohort: str) -> Report:
    """Today's verdict on a stored submission: its stored zip checked again by today's checker, with the
    stored form's claim and the cohort it would join. The verdict stored at submit time is never
    trusted on its own: the checker may have learnt since what that zip gets wrong."""
    report = check_zip(store.original(sub_id), record.form.claim(cohort))
    if report.sha256 != record.sha256:
        raise StoreError(
            f"The stored zip of submission {sub_id} is not the one its record was made from (their SHA-256 "
            "differ): the store is damaged. Restore it from backup; nothing was changed."
        )
    return report


def _quoted(checks: Mapping[str, str]) -> str:
    return " ".join(f"[{printable(n)}] {printable(m)[:MAX_SHOWN_MESSAGE_CHARS]}" for n, m in checks.items())


def accept(
    store: Store,
    sub_id: str,
    *,
    by: str,
    cohort: str,
    publisher: HubPublisher | None = None,
    acks: Mapping[str, str] | None = None,
) -> Accepted:
    """Accept into ``cohort``; with a publisher, push it (it stays queued if the push fails). Running it
    again after an interruption completes it.

    The stored zip is checked again first (``recheck``): what today's checker fails is refused, naming
    the failed checks. Every warning today's checker raises holds the result until the maintainer
    acknowledges it: ``acks`` maps each warning's check name to the maintainer's reason (recorded in the
    decision; an off-protocol one also in the row's notes). An ack of a warning the submission had at
    review but no longer has is dropped (it stands for nothing now); an ack of a check that was never a
    warning is refused, so a reason never stands for something that was not looked at. A refusal
    writes nothing: the decision is the store's one write, and it comes last."""
    validate_cohort(cohort)
    record = store.record(sub_id)
    if store.decision(sub_id) is not None:
        # Decided before: the same acceptance is returned and its push completed; any other is refused.
        decided, _ = store.decide(
            sub_id,
            "accepted",
            by=by,
            row=result_row(record, cohort, sub_id, acknowledged=_recorded_acks(store, sub_id)),
        )
        return _published(store, sub_id, decided, publisher)
    if is_fake_meter(record.parsed):
        raise _fake_meter(sub_id)
    report = recheck(store, sub_id, record, cohort)
    if report.failures or report.parsed is None:
        failed = {c.name: c.message for c in report.failures}
        raise ValidationError(
            f"Submission {sub_id} fails today's checker ({len(failed)} failed check(s)): {_quoted(failed)} It cannot "
            f'be accepted; nothing was changed. Reject it, with the reason: reject {sub_id} --reason "…"'
        )
    if is_fake_meter(report.parsed):
        raise _fake_meter(sub_id)
    given = {name: " ".join(str(reason).split())[:MAX_ACK_REASON_CHARS] for name, reason in (acks or {}).items()}
    warnings = warnings_of(report.checks)
    at_review = warnings_of(record.checks)
    unknown = sorted(set(given) - set(warnings) - set(at_review))
    if unknown:
        raise ValidationError(
            f"Submission {sub_id} has no warning {', '.join(repr(printable(n)[:60]) for n in unknown)} to acknowledge"
            + (f" (its warnings: {', '.join(warnings)})." if warnings else "; it has no warnings.")
        )
    open_ = {name: message for name, message in warnings.items() if not given.get(name)}
    if open_:
        new = [name for name in open_ if name not in at_review]
        example = " ".join(f'--ack "{name}" --reason "…"' for name in open_)
        raise ValidationError(
            f"Submission {sub_id} has {len(open_)} unacknowledged warning(s): {_quoted(open_)} "
            + (f"New since it was submitted (today's checker raises them): {', '.join(new)}. " if new else "")
            + "Each holds the result until you have checked it; acknowledge each with your reason (recorded with "
            f"the decision): accept {sub_id} {example}"
        )
    acknowledged = {name: given[name] for name in warnings}
    off = "; ".join(f"{name}: {given[name]}" for name in OFF_PROTOCOL_CHECKS if name in acknowledged) or None
    today = replace(record, parsed=report.parsed, checks=report.checks)  # the row is what today's checker read
    row = result_row(today, cohort, sub_id, off, acknowledged)
    decision, _ = store.decide(sub_id, "accepted", by=by, row=row, off_protocol_override=off, acknowledged=acknowledged)
    return _published(store, sub_id, decision, publisher)


def _recorded_acks(store: Store, sub_id: str) -> Mapping[str, str]:
    decision = store.decision(sub_id)
    return decision.acknowledged if decision is not None else {}


def _fake_meter(sub_id: str) -> ValidationError:
    return ValidationError(
        f"Submission {sub_id} was measured by the runner's fake meter (a CPU test run): nothing was measured. "
        "Reject it."
    )


def _published(store: Store, sub_id: str, decision: Decision, publisher: HubPublisher | None) -> Accepted:
    """The accepted decision, pushed to the Hub when there is a publisher (it stays queued if that fails)."""
    assert decision.row is not None
    if publisher is None:
        return Accepted(sub_id, decision.row)
    pushed, error = publish_queued(store, publisher)
    return Accepted(sub_id, decision.row, sub_id in pushed or store.pushed(sub_id), error)


def reject(store: Store, sub_id: str, *, by: str, reason: str) -> Decision:
    """Reject with a reason the submitter is told. Running it again returns the recorded rejection."""
    if not reason.strip():
        raise ValidationError("Give a reason for the rejection (--reason); the submitter is told it.")
    decision, _ = store.decide(sub_id, "rejected", by=by, reason=reason.strip()[:1000])
    return decision

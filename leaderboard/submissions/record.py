"""A stored submission as a typed record: the form, the attestations, the parsed run and its checks.

The store keeps it as ``record.json`` (``to_json``) and reads it back with ``from_json``; each later
upload of the same zip with another form is a ``Resubmission`` kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaderboard.submissions.model import Check, Claim, ParsedRun
from leaderboard.untrusted import (
    integer,
    obj,
    opt_text,
    text,
)

# The three attestations (SPEC §7), exact wording: all three must be ticked to submit.
ATTESTATIONS: tuple[tuple[str, str], ...] = (
    (
        "Public Data Sharing",
        "You consent to the public sharing of the energy performance data derived from your submission. No "
        "additional information related to this model including proprietary configurations will be disclosed.",
    ),
    (
        "Data Integrity",
        "You validate that the log files submitted are accurate, unaltered, and generated directly from testing "
        "your model as per the specified benchmarking procedures.",
    ),
    (
        "Model Representation",
        "You verify that the model tested and submitted is representative of the production-level version of the "
        "model, including its level of quantization and any other relevant characteristics impacting energy "
        "efficiency and performance.",
    ),
)


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

    def claim(self, cohort: str | None = None) -> Claim:
        """What this form claims, as the checker compares it with the logs (``cohort``: the round the result
        would join). The one place a form becomes a claim: the Submit page and ``accept`` both use it."""
        return Claim(
            task=self.task,
            model=self.model.strip() or None,
            model_class=self.model_class,
            hardware=self.hardware.strip() or None,
            cohort=cohort,
            reasoning_effort=self.reasoning_effort or None,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model,
            "task": self.task,
            "model_class": self.model_class,
            "precision": self.precision,
            "reasoning_effort": self.reasoning_effort,
            "contact": self.contact,
            "hardware": self.hardware,
        }

    @classmethod
    def from_json(cls, value: object) -> Form:
        data = obj(value, "form")
        return cls(
            text(data.get("model"), "form → model"),
            text(data.get("task"), "form → task"),
            opt_text(data.get("model_class"), "form → model_class"),
            text(data.get("precision"), "form → precision"),
            opt_text(data.get("reasoning_effort"), "form → reasoning_effort"),
            text(data.get("contact"), "form → contact"),
            text(data.get("hardware"), "form → hardware"),
        )


@dataclass(frozen=True)
class SubmissionRecord:
    """Everything stored about one submission besides the zip itself.

    id: the first 16 hex digits of ``sha256`` (of the zip). submitted: UTC time, ISO 8601.
    attestations: the names of the attestations given (their wording is ``ATTESTATIONS``).
    """

    id: str
    sha256: str
    size_bytes: int
    submitted: str
    form: Form
    attestations: tuple[str, ...]
    parsed: ParsedRun
    checks: tuple[Check, ...]

    def to_json(self) -> dict[str, object]:
        texts = dict(ATTESTATIONS)
        return {
            "id": self.id,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "submitted": self.submitted,
            "form": self.form.to_json(),
            "attestations": [{"name": n, "text": texts.get(n, ""), "attested": True} for n in self.attestations],
            "parsed": self.parsed.to_json(),
            "checks": [c.to_json() for c in self.checks],
        }

    @classmethod
    def from_json(cls, value: object) -> SubmissionRecord:
        data = obj(value, "record")
        attestations = data.get("attestations") or []
        checks = data.get("checks") or []
        if not isinstance(attestations, list) or not isinstance(checks, list):
            raise ValueError("record → attestations and checks must be lists")
        return cls(
            text(data.get("id"), "record → id"),
            text(data.get("sha256"), "record → sha256"),
            integer(data.get("size_bytes"), "record → size_bytes"),
            text(data.get("submitted"), "record → submitted"),
            Form.from_json(data.get("form")),
            tuple(text(obj(a, "attestation").get("name"), "attestation → name") for a in attestations),
            ParsedRun.from_json(data.get("parsed")),
            tuple(Check.from_json(c) for c in checks),
        )


@dataclass(frozen=True)
class Resubmission:
    """The same zip uploaded again with a form of its own (another submitter, or other claims): when,
    the form, and the attestations given. The first record is never changed; this is kept beside it
    for the maintainers. submitted: UTC time, ISO 8601."""

    submitted: str
    form: Form
    attestations: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "submitted": self.submitted,
            "form": self.form.to_json(),
            "attestations": list(self.attestations),
        }

    @classmethod
    def from_json(cls, value: object) -> Resubmission:
        data = obj(value, "resubmission")
        attestations = data.get("attestations") or []
        if not isinstance(attestations, list):
            raise ValueError("resubmission → attestations must be a list")
        return cls(
            text(data.get("submitted"), "resubmission → submitted"),
            Form.from_json(data.get("form")),
            tuple(text(a, "resubmission → attestation") for a in attestations),
        )

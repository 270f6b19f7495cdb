"""Where submissions and accepted results are kept: an append-only local store, and a Hub dataset.

Layout under the store folder (setting ``store_dir``)::

    submissions/<id>/original.zip      the upload, byte for byte
    submissions/<id>/record.json       parsed figures, form, attestations, time, SHA-256
    submissions/<id>/decision.json     accepted or rejected (written once, never changed)
    accepted/<id>.json                 the result row added to the results dataset
    queue/<id>.json                    accepted results not yet pushed to the Hub, with the last error

Nothing is ever overwritten or deleted, except a queue entry once its push has succeeded. The id
is derived from the zip's SHA-256, so uploading the same zip again is recognised. A submission
is first written to a private temporary folder and then renamed into place in one step, so
readers and concurrent writers (several processes) never see half a submission; a decision is
created with O_EXCL, so two maintainers cannot both decide.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from leaderboard.errors import StoreError
from leaderboard.schema import ResultRow
from leaderboard.submissions.record import SubmissionRecord

ID_CHARS = 16


def submission_id(sha256: str) -> str:
    return sha256[:ID_CHARS]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _temp_copy(path: Path, data: bytes) -> str:
    """A fully written, fsynced temporary file holding ``data`` beside ``path``; returns its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    tmp = _temp_copy(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_once(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` unless it exists (atomic: a full temp file, then a hard link)."""
    tmp = _temp_copy(path, data)
    try:
        os.link(tmp, path)  # fails if path exists: the first writer wins
        return True
    except FileExistsError:
        return False
    finally:
        Path(tmp).unlink(missing_ok=True)


def _dumps(obj: object) -> bytes:
    return (json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Stored:
    """The outcome of ``Store.add``: ``created`` is False when this exact zip was submitted before."""

    id: str
    created: bool
    record: SubmissionRecord


DecisionStatus = Literal["accepted", "rejected"]


@dataclass(frozen=True)
class Decision:
    """A maintainer's final decision; an accepted one carries the result row it adds."""

    status: DecisionStatus
    by: str
    reason: str
    time: str
    row: ResultRow | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"status": self.status, "by": self.by, "reason": self.reason, "time": self.time}
        if self.row is not None:
            out["row"] = self.row.to_dict()
        return out

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Decision:
        status = data.get("status")
        if status != "accepted" and status != "rejected":
            raise StoreError(f"A decision file holds status {status!r}; the store is damaged. Restore it from backup.")
        row = data.get("row")
        return cls(
            status,
            str(data.get("by", "")),
            str(data.get("reason", "")),
            str(data.get("time", "")),
            ResultRow.from_json(row) if row is not None else None,
        )


@dataclass(frozen=True)
class QueueEntry:
    """An accepted result waiting to be pushed to the Hub, with its last error."""

    id: str
    attempts: int
    first_queued: str
    last_error: str | None = None
    last_attempt: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "attempts": self.attempts,
            "first_queued": self.first_queued,
            "last_error": self.last_error,
            "last_attempt": self.last_attempt,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> QueueEntry:
        attempts, error, attempt = data.get("attempts", 0), data.get("last_error"), data.get("last_attempt")
        return cls(
            str(data["id"]),
            attempts if isinstance(attempts, int) else 0,
            str(data.get("first_queued", "")),
            error if isinstance(error, str) else None,
            attempt if isinstance(attempt, str) else None,
        )


def configured_store() -> Store:
    """The store named by the ``store_dir`` setting (the one place that builds it)."""
    from leaderboard import settings

    return Store(settings.get("store_dir") or "store")


class Store:
    """The local submission store (see the module docstring for the layout)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _dir(self, sub_id: str) -> Path:
        if len(sub_id) != ID_CHARS or any(c not in "0123456789abcdef" for c in sub_id):
            raise StoreError(
                f"{sub_id!r} is not a submission id (16 hex characters). "
                "List them with: python -m leaderboard.submissions list"
            )
        return self.root / "submissions" / sub_id

    def add(self, zip_bytes: bytes, record: SubmissionRecord) -> Stored:
        """Store a validated submission. Returns the existing record if this zip was stored before."""
        sub_id = submission_id(record.sha256)
        record = replace(record, id=sub_id)
        target = self._dir(sub_id)
        if (target / "record.json").exists():
            return Stored(sub_id, False, self.record(sub_id))
        staging = self.root / "staging" / f"{sub_id}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            _write_atomic(staging / "original.zip", zip_bytes)
            _write_atomic(staging / "record.json", _dumps(record.to_json()))
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(staging, target)  # atomic; fails if another process stored it first
            except OSError:
                if (target / "record.json").exists():
                    return Stored(sub_id, False, self.record(sub_id))
                raise
            return Stored(sub_id, True, record)
        finally:
            if staging.exists():
                for f in staging.iterdir():
                    f.unlink()
                staging.rmdir()

    def ids(self) -> list[str]:
        folder = self.root / "submissions"
        return sorted(p.name for p in folder.iterdir() if (p / "record.json").exists()) if folder.exists() else []

    def record(self, sub_id: str) -> SubmissionRecord:
        path = self._dir(sub_id) / "record.json"
        if not path.exists():
            raise StoreError(f"No submission {sub_id}. List them with: python -m leaderboard.submissions list")
        return SubmissionRecord.from_json(json.loads(path.read_text(encoding="utf-8")))

    def original(self, sub_id: str) -> bytes:
        return (self._dir(sub_id) / "original.zip").read_bytes()

    def decision(self, sub_id: str) -> Decision | None:
        path = self._dir(sub_id) / "decision.json"
        return Decision.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None

    def status(self, sub_id: str) -> str:
        decision = self.decision(sub_id)
        return decision.status if decision else "pending"

    def decide(
        self, sub_id: str, status: DecisionStatus, *, by: str, reason: str = "", row: ResultRow | None = None
    ) -> Decision:
        """Record a decision once. Accepting also writes the result row to ``accepted/``."""
        self.record(sub_id)  # raises for an unknown id
        if status == "accepted" and row is None:
            raise StoreError("Accepting needs the result row.")
        decision = Decision(status, by, reason, now_iso(), row if status == "accepted" else None)
        if not _create_once(self._dir(sub_id) / "decision.json", _dumps(decision.to_json())):
            existing = self.decision(sub_id)
            assert existing is not None
            raise StoreError(
                f"Submission {sub_id} was already {existing.status} on {existing.time}; decisions are final."
            )
        if decision.row is not None:
            _create_once(self.root / "accepted" / f"{sub_id}.json", _dumps(decision.row.to_dict()))
        return decision

    def accepted_rows(self) -> list[ResultRow]:
        folder = self.root / "accepted"
        return (
            [ResultRow.from_json(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]
            if folder.exists()
            else []
        )

    def pending(self) -> list[SubmissionRecord]:
        return [self.record(i) for i in self.ids() if self.decision(i) is None]

    # --- the Hub push queue -------------------------------------------------------------

    def queue(self, sub_id: str, error: str | None = None) -> None:
        path = self.root / "queue" / f"{sub_id}.json"
        entry = QueueEntry(sub_id, 0, now_iso())
        if path.exists():
            entry = QueueEntry.from_json(json.loads(path.read_text(encoding="utf-8")))
        if error is not None:
            entry = replace(entry, attempts=entry.attempts + 1, last_error=error[:500], last_attempt=now_iso())
        _write_atomic(path, _dumps(entry.to_json()))

    def queued(self) -> list[QueueEntry]:
        folder = self.root / "queue"
        return (
            [QueueEntry.from_json(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.json"))]
            if folder.exists()
            else []
        )

    def unqueue(self, sub_id: str) -> None:
        (self.root / "queue" / f"{sub_id}.json").unlink(missing_ok=True)


class HubApi(Protocol):
    """What the publisher needs of ``huggingface_hub.HfApi`` (tests pass a fake)."""

    def repo_info(self, repo_id: str, *, repo_type: str) -> Any: ...

    def create_commit(
        self, repo_id: str, *, operations: list[Any], repo_type: str, parent_commit: str, commit_message: str
    ) -> Any: ...


class HubPublisher:
    """Pushes accepted results to a Hub dataset repo as one commit per push.

    ``api`` is a ``huggingface_hub.HfApi`` (or any object with ``repo_info`` and ``create_commit``):
    tests pass a fake. The commit names the repo's current head as ``parent_commit``, so a
    concurrent change makes it fail instead of overwriting; it is then retried on the new head.
    """

    def __init__(self, repo_id: str, api: HubApi, *, retries: int = 3, backoff_s: float = 0.5) -> None:
        self.repo_id, self.api, self.retries, self.backoff_s = repo_id, api, retries, backoff_s

    def push(self, rows: dict[str, ResultRow]) -> str:
        """Add ``accepted/<id>.json`` for every row in one commit; returns the commit id."""
        from huggingface_hub import CommitOperationAdd

        operations = [
            CommitOperationAdd(path_in_repo=f"accepted/{sub_id}.json", path_or_fileobj=_dumps(row.to_dict()))
            for sub_id, row in sorted(rows.items())
        ]
        last_error: Exception | None = None
        for attempt in range(self.retries):
            head = self.api.repo_info(self.repo_id, repo_type="dataset").sha
            try:
                info = self.api.create_commit(
                    self.repo_id,
                    operations=operations,
                    repo_type="dataset",
                    parent_commit=head,
                    commit_message=f"Add {len(rows)} accepted result(s): {', '.join(sorted(rows))[:200]}",
                )
                return getattr(info, "oid", None) or str(info)
            except Exception as exc:  # noqa: BLE001 - the Hub client raises many types; all are retried
                last_error = exc
                if not _is_conflict(exc):
                    break
                time.sleep(self.backoff_s * (attempt + 1))
        raise StoreError(f"Pushing to {self.repo_id} failed: {type(last_error).__name__}: {last_error}")


def _is_conflict(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code in (409, 412) or "parent" in str(exc).lower() or "conflict" in str(exc).lower()


def publish_queued(store: Store, publisher: HubPublisher) -> tuple[list[str], str | None]:
    """Push every queued accepted result in one commit. On failure every entry stays queued with
    the error. Returns (pushed ids, error message or None)."""
    queued = [entry.id for entry in store.queued()]
    if not queued:
        return [], None
    rows: dict[str, ResultRow] = {}
    for sub_id in queued:
        decision = store.decision(sub_id)
        if decision is None or decision.row is None:
            raise StoreError(f"Queued submission {sub_id} has no accepted result row; the store is damaged.")
        rows[sub_id] = decision.row
    try:
        publisher.push(rows)
    except StoreError as exc:
        for sub_id in queued:
            store.queue(sub_id, str(exc))
        return [], str(exc)
    for sub_id in queued:
        store.unqueue(sub_id)
    return queued, None

"""Where submissions and accepted results are kept: an append-only local store, and a Hub dataset.

Layout under the store folder (setting ``store_dir``)::

    submissions/<id>/original.zip      the upload, byte for byte
    submissions/<id>/record.json       parsed figures, form, attestations, time, SHA-256
    submissions/<id>/decision.json     accepted (with its result row) or rejected; written once
    submissions/<id>/pushed.json       the Hub commit an accepted result went out in
    submissions/<id>/resubmissions/<ns>-<random>.json
                                       the same zip uploaded again with another form (one file each)
    queue/<id>.json                    the last failed push of an accepted result (attempts, error)
    staging/<id>-<random>/             a submission being written (renamed into submissions/)
    .../.<name>.<random>.tmp           a file being written (renamed to <name>)

``<random>`` is 32 hex digits (``STAGING_NAME``, ``TEMP_NAME``): the store removes only what it made,
so ``sweep`` matches those names and nothing else.

The id is the first 16 hex digits of the zip's SHA-256, so uploading the same zip again is recognised.
The first upload's record is never changed; a later upload of the same zip with a form unlike every one
kept (another submitter, other claims) is kept beside it in ``resubmissions/``, one new file each, up to
``MAX_RESUBMISSIONS``, and the maintainers see them (``show``, ``list``).

How nothing is lost, whatever fails (a full disk, a killed process, a read-only folder):

* Every file is written whole to a temporary file beside it (fsynced), then put in place in one step
  (a rename, or a hard link that fails if the name exists). A reader sees the old state or the new.
* A submission is written to ``staging/`` and renamed into ``submissions/`` in one step.
* ``decision.json`` is the one commit point of accept and reject, and it holds the accepted row:
  the results rows (``accepted_rows``) and the push queue (``queued``: accepted, not yet pushed)
  are read from the decisions, so there is no second file that a crash could leave missing.
  Pushing to the Hub, and recording the push (``pushed.json``), come after the commit; a crash
  before them leaves the result accepted and queued, and ``push`` (or accept again) completes it.
* Accept and reject are re-runnable: the same decision again returns the one recorded; a different
  one is refused (decisions are final). Two maintainers deciding at once: the first link wins.
* Temporary files and staging folders left by a killed process are removed by ``sweep`` (run once
  per process by ``configured_store``) when older than ``STALE_S``; younger ones may belong to a
  write in progress in another process. The sweep removes only what the store makes: names of its own
  patterns, real files and folders inside the (resolved) store folder. It never follows a symbolic
  link (one named like a staging folder is left where it is), and it empties a staging folder file
  by file (its two files and temporary files), so a folder holding anything else stays.
* An ``OSError`` (full disk, no permission) becomes a one-line ``StoreError`` naming the setting,
  never a traceback or a server path.

Every write goes through ``store_files.OPS`` (``store_files.Ops``), so that a test can make any single
step fail. Pushing accepted results to the Hub: ``leaderboard.submissions.publish``.
"""

from __future__ import annotations

import re
import stat
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from leaderboard.errors import StoreError
from leaderboard.schema import ResultRow
from leaderboard.submissions import store_files
from leaderboard.submissions.record import Resubmission, SubmissionRecord
from leaderboard.submissions.store_files import (
    TEMP_NAME,
    create_once,
    dumps,
    entries,
    open_folder,
    read_json,
    remove_temps,
    store_errors,
    write_atomic,
)
from leaderboard.submissions.text import printable

ID_CHARS = 16  # a submission id: 64 bits of the zip's SHA-256, the key of everything stored about it
MIN_PREFIX_CHARS = 8  # the shortest start of an id the command line takes for the whole id
STALE_S = 15 * 60  # a staging folder or temporary file this old belongs to no write in progress
# The names of what the store makes, and nothing else: sweep removes only these (and ``TEMP_NAME``).
SUBMISSION_ID = re.compile(f"[0-9a-f]{{{ID_CHARS}}}")
STAGING_NAME = re.compile(f"[0-9a-f]{{{ID_CHARS}}}-[0-9a-f]{{32}}")
RESUBMISSION_NAME = re.compile(r"\d{20}-[0-9a-f]{32}\.json")  # nanoseconds since 1970, then random
STAGED_FILES = ("original.zip", "record.json")  # what a staging folder holds
MAX_RESUBMISSIONS = 50  # other forms kept per zip; one more upload of it with a new form is refused


def submission_id(sha256: str) -> str:
    return sha256[:ID_CHARS]


def staging_name(sub_id: str) -> str:
    """The name of a new staging folder (``STAGING_NAME``)."""
    return f"{sub_id}-{uuid.uuid4().hex}"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Stored:
    """The outcome of ``Store.add``: ``created`` is False when this exact zip was submitted before;
    ``record`` is then the first upload's, and ``resubmission`` the form this upload added beside it
    (None when the form was one already kept)."""

    id: str
    created: bool
    record: SubmissionRecord
    resubmission: Resubmission | None = None


DecisionStatus = Literal["accepted", "rejected"]


@dataclass(frozen=True)
class Decision:
    """A maintainer's final decision; an accepted one carries the result row it adds.

    off_protocol_override: the maintainer's reason for accepting an off-protocol result, if any.
    acknowledged: each warning the maintainer acknowledged (check name -> their reason).
    """

    status: DecisionStatus
    by: str
    reason: str
    time: str
    row: ResultRow | None = None
    off_protocol_override: str | None = None
    acknowledged: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """For people: 'rejected by alice on 2025-12-01T10:00:00Z (reason: power too low)'."""
        cohort = f" into cohort {self.row.cohort}" if self.row else ""
        reason = f" (reason: {self.reason})" if self.reason else ""
        return printable(f"{self.status}{cohort} by {self.by or 'an unnamed maintainer'} on {self.time}{reason}")

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"status": self.status, "by": self.by, "reason": self.reason, "time": self.time}
        if self.row is not None:
            out["row"] = self.row.to_dict()
        if self.off_protocol_override is not None:
            out["off_protocol_override"] = self.off_protocol_override
        if self.acknowledged:
            out["acknowledged"] = dict(self.acknowledged)
        return out

    @classmethod
    def from_json(cls, data: object) -> Decision:
        if not isinstance(data, dict):
            raise StoreError("A decision file is not a JSON object; the store is damaged. Restore it from backup.")
        status = data.get("status")
        if status != "accepted" and status != "rejected":
            raise StoreError(f"A decision file holds status {status!r}; the store is damaged. Restore it from backup.")
        row = data.get("row")
        override = data.get("off_protocol_override")
        acked = data.get("acknowledged")
        return cls(
            status,
            str(data.get("by", "")),
            str(data.get("reason", "")),
            str(data.get("time", "")),
            ResultRow.from_json(row) if row is not None else None,
            override if isinstance(override, str) else None,
            {str(k): str(v) for k, v in acked.items()} if isinstance(acked, dict) else {},
        )


@dataclass(frozen=True)
class QueueEntry:
    """An accepted result not yet pushed to the Hub, with its last error."""

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


_SWEPT: set[Path] = set()


def configured_store() -> Store:
    """The store named by the ``store_dir`` setting (the one place that builds it); its stale
    staging folders and temporary files are swept once per process."""
    from leaderboard import settings

    store = Store(settings.get("store_dir") or "store")
    root = store.root.resolve()
    if root not in _SWEPT:
        _SWEPT.add(root)
        try:
            store.sweep()
        except StoreError:
            pass  # a read-only store is reported by the operation that needs to write
    return store


def _remove_staging(staging: int | None, name: str) -> int:
    """Remove the staging folder ``name`` (in the folder ``staging``) file by file: the files the
    store writes there (``STAGED_FILES``, temporary files), then the folder if that left it empty;
    anything else stays, and so does the folder. Returns 1 if the folder went, else 0."""
    with open_folder(name, staging) as fd:
        if fd is None:
            return 0
        made = re.compile("|".join([*map(re.escape, STAGED_FILES), TEMP_NAME.pattern]))
        for file in entries(fd, made, stat.S_ISREG):
            store_files.OPS.unlink(Path(file), dir_fd=fd)
    try:
        store_files.OPS.rmdir(Path(name), dir_fd=staging)
    except OSError:
        return 0
    return 1


class Store:
    """The local submission store (see the module docstring for the layout and the guarantees)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, *parts: str) -> Path:
        """A path in the store; a store folder that is a file is refused."""
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(
                "The submission store is a file, not a folder: the store_dir setting (AIES_STORE_DIR) must name "
                "a folder (it is made if missing). Nothing was read or changed."
            )
        return self.root.joinpath(*parts)

    def _dir(self, sub_id: str) -> Path:
        if not isinstance(sub_id, str) or not SUBMISSION_ID.fullmatch(sub_id):
            raise StoreError(
                f"{str(sub_id)[:40]!r} is not a submission id ({ID_CHARS} hex digits). "
                "List them with: python -m leaderboard.submissions list"
            )
        return self._path("submissions", sub_id)

    @store_errors
    def find(self, given: str) -> str:
        """The id of the one submission whose id starts with ``given`` (at least ``MIN_PREFIX_CHARS``
        hex digits, or the whole id); an unknown, too short or ambiguous prefix is refused."""
        prefix = given.strip().lower() if isinstance(given, str) else ""
        if not re.fullmatch(f"[0-9a-f]{{{MIN_PREFIX_CHARS},{ID_CHARS}}}", prefix):
            raise StoreError(
                f"{printable(str(given))[:40]!r} is not a submission id: give its {ID_CHARS} hex digits, or at least "
                f"its first {MIN_PREFIX_CHARS}. List them with: python -m leaderboard.submissions list"
            )
        found = [i for i in self.ids() if i.startswith(prefix)]
        if not found:
            raise StoreError(f"No submission {prefix}. List them with: python -m leaderboard.submissions list")
        if len(found) > 1:
            raise StoreError(
                f"{prefix} is the start of {len(found)} submission ids ({', '.join(found[:5])}): give more of the id."
            )
        return found[0]

    @store_errors
    def sweep(self, stale_s: float = STALE_S) -> int:
        """Remove the staging folders and temporary files the store made that are older than
        ``stale_s``; returns how many. Only names of the store's own patterns (``STAGING_NAME``,
        ``TEMP_NAME``), only real files and folders inside the resolved store folder, reached through
        folders opened without following links: a symbolic link is never followed nor removed."""
        cutoff = time.time() - stale_s
        removed = 0
        with open_folder(self._path().resolve()) as root:
            if root is None:
                return 0
            with open_folder("staging", root) as staging:
                for name in entries(staging, STAGING_NAME, stat.S_ISDIR, cutoff):
                    removed += _remove_staging(staging, name)
            with open_folder("queue", root) as queue:
                removed += remove_temps(queue, cutoff)
            with open_folder("submissions", root) as submissions:
                for name in entries(submissions, SUBMISSION_ID, stat.S_ISDIR):
                    with open_folder(name, submissions) as folder:
                        if folder is None:
                            continue
                        removed += remove_temps(folder, cutoff)
                        with open_folder("resubmissions", folder) as forms:
                            removed += remove_temps(forms, cutoff)
        return removed

    @store_errors
    def add(self, zip_bytes: bytes, record: SubmissionRecord) -> Stored:
        """Store a validated submission. Returns the existing record if this zip was stored before."""
        sub_id = submission_id(record.sha256)
        record = replace(record, id=sub_id)
        target = self._dir(sub_id)
        if (target / "record.json").exists():
            return self._resubmitted(sub_id, record)
        staging = self._path("staging", staging_name(sub_id))
        store_files.OPS.mkdir(staging)
        try:
            write_atomic(staging / "original.zip", zip_bytes)
            write_atomic(staging / "record.json", dumps(record.to_json()))
            store_files.OPS.mkdir(target.parent)
            try:
                store_files.OPS.rename_dir(staging, target)  # atomic; fails if another process stored it first
            except OSError:
                if (target / "record.json").exists():
                    return self._resubmitted(sub_id, record)
                raise
            return Stored(sub_id, True, record)
        finally:
            if staging.exists():
                with open_folder(staging.parent) as parent:
                    _remove_staging(parent, staging.name)

    def _resubmitted(self, sub_id: str, record: SubmissionRecord) -> Stored:
        """This zip was stored before: keep this upload's form beside the first unless it is one
        already kept (each in a new file, so that no upload's form replaces another's)."""
        first = self.record(sub_id)
        kept = self.resubmissions(sub_id)
        if record.form == first.form or any(r.form == record.form for r in kept):
            return Stored(sub_id, False, first)
        if len(kept) >= MAX_RESUBMISSIONS:
            raise StoreError(
                f"This zip was submitted as {sub_id} with {len(kept) + 1} different forms already; no more are "
                "kept. Ask the maintainers about that submission."
            )
        entry = Resubmission(record.submitted, record.form, record.attestations)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex}.json"  # in the order they came
        create_once(self._dir(sub_id) / "resubmissions" / name, dumps(entry.to_json()))
        return Stored(sub_id, False, first, entry)

    @store_errors
    def resubmissions(self, sub_id: str) -> list[Resubmission]:
        """The other forms this zip was uploaded with after the first, oldest first."""
        folder = self._dir(sub_id) / "resubmissions"
        if not folder.is_dir():
            return []
        out = []
        for path in sorted(p for p in folder.iterdir() if RESUBMISSION_NAME.fullmatch(p.name)):
            try:
                out.append(Resubmission.from_json(read_json(path)))
            except (ValueError, TypeError) as exc:
                raise StoreError(
                    f"A resubmission of submission {sub_id} is damaged ({exc}). Restore it from backup."
                ) from None
        return out

    @store_errors
    def ids(self) -> list[str]:
        folder = self._path("submissions")
        return sorted(p.name for p in folder.iterdir() if (p / "record.json").exists()) if folder.exists() else []

    def newest_last(self) -> list[SubmissionRecord]:
        """Every submission's record, oldest first: by the time submitted (to the second), then id."""
        return sorted((self.record(i) for i in self.ids()), key=lambda r: (r.submitted, r.id))

    @store_errors
    def record(self, sub_id: str) -> SubmissionRecord:
        path = self._dir(sub_id) / "record.json"
        if not path.exists():
            raise StoreError(f"No submission {sub_id}. List them with: python -m leaderboard.submissions list")
        try:
            return SubmissionRecord.from_json(read_json(path))
        except (ValueError, TypeError) as exc:
            raise StoreError(f"The record of submission {sub_id} is damaged ({exc}). Restore it from backup.") from None

    @store_errors
    def original(self, sub_id: str) -> bytes:
        return (self._dir(sub_id) / "original.zip").read_bytes()

    @store_errors
    def decision(self, sub_id: str) -> Decision | None:
        path = self._dir(sub_id) / "decision.json"
        return Decision.from_json(read_json(path)) if path.exists() else None

    def status(self, sub_id: str) -> str:
        decision = self.decision(sub_id)
        return decision.status if decision else "pending"

    @store_errors
    def decide(
        self,
        sub_id: str,
        status: DecisionStatus,
        *,
        by: str,
        reason: str = "",
        row: ResultRow | None = None,
        off_protocol_override: str | None = None,
        acknowledged: Mapping[str, str] | None = None,
    ) -> tuple[Decision, bool]:
        """Record a decision once (the commit point). Returns (the decision, whether this call made
        it). Deciding the same again returns the recorded decision, so an interrupted command can be
        run again; a different decision is refused."""
        self.record(sub_id)  # raises for an unknown id
        if status == "accepted" and row is None:
            raise StoreError("Accepting needs the result row.")
        decision = Decision(
            status,
            by,
            reason,
            now_iso(),
            row if status == "accepted" else None,
            off_protocol_override,
            dict(acknowledged or {}),
        )
        if create_once(self._dir(sub_id) / "decision.json", dumps(decision.to_json())):
            return decision, True
        existing = self.decision(sub_id)
        if existing is None:  # pragma: no cover - the link said it exists
            raise StoreError(f"Submission {sub_id}: the decision could not be read back. Try again.")
        same_cohort = status == "rejected" or (
            existing.row is not None and row is not None and existing.row.cohort == row.cohort
        )
        if existing.status == status and same_cohort:
            return existing, False
        raise StoreError(
            f"Submission {sub_id} was already {existing.describe()}. Decisions are final: nothing was changed."
        )

    @store_errors
    def accepted(self) -> dict[str, ResultRow]:
        """Every accepted result row, by submission id (read from the decisions)."""
        rows: dict[str, ResultRow] = {}
        for sub_id in self.ids():
            decision = self.decision(sub_id)
            if decision is not None and decision.row is not None:
                rows[sub_id] = decision.row
        return rows

    def accepted_rows(self) -> list[ResultRow]:
        return list(self.accepted().values())

    def pending(self) -> list[SubmissionRecord]:
        return [self.record(i) for i in self.ids() if self.decision(i) is None]

    # --- the Hub push queue: accepted results without pushed.json --------------------------

    def pushed(self, sub_id: str) -> bool:
        return (self._dir(sub_id) / "pushed.json").exists()

    @store_errors
    def queued(self) -> list[QueueEntry]:
        """Accepted results not yet on the Hub, with the last push error of each."""
        out = []
        for sub_id in self.accepted():
            if self.pushed(sub_id):
                continue
            path = self._path("queue", f"{sub_id}.json")
            data = read_json(path) if path.exists() else None
            if isinstance(data, dict):
                out.append(QueueEntry.from_json(data))
            else:
                decision = self.decision(sub_id)
                out.append(QueueEntry(sub_id, 0, decision.time if decision else ""))
        return out

    @store_errors
    def queue(self, sub_id: str, error: str) -> None:
        """Record a failed push of an accepted result (it stays queued)."""
        path = self._path("queue", f"{sub_id}.json")
        data = read_json(path) if path.exists() else None
        entry = QueueEntry.from_json(data) if isinstance(data, dict) else QueueEntry(sub_id, 0, now_iso())
        entry = replace(entry, attempts=entry.attempts + 1, last_error=error[:500], last_attempt=now_iso())
        write_atomic(path, dumps(entry.to_json()))

    @store_errors
    def mark_pushed(self, sub_id: str, commit: str) -> None:
        """Record that an accepted result went out in ``commit``; its failed-push entry goes."""
        create_once(self._dir(sub_id) / "pushed.json", dumps({"commit": commit, "time": now_iso()}))
        store_files.OPS.unlink(self._path("queue", f"{sub_id}.json"))

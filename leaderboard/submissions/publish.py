"""Publishing accepted results: ``HubPublisher`` pushes them to a Hub dataset repo in one commit per
push, and ``publish_queued`` pushes every accepted result the store (``leaderboard.submissions.store``)
holds as not yet pushed, recording the commit or leaving each queued with the error.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from leaderboard.errors import StoreError
from leaderboard.schema import ResultRow
from leaderboard.submissions.store import Store
from leaderboard.submissions.store_files import dumps


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
            CommitOperationAdd(path_in_repo=f"accepted/{sub_id}.json", path_or_fileobj=dumps(row.to_dict()))
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
    rows = {sub_id: row for sub_id, row in store.accepted().items() if not store.pushed(sub_id)}
    if not rows:
        return [], None
    try:
        commit = publisher.push(rows)
    except StoreError as exc:
        for sub_id in rows:
            store.queue(sub_id, str(exc))
        return [], str(exc)
    for sub_id in rows:
        store.mark_pushed(sub_id, commit)
    return sorted(rows), None

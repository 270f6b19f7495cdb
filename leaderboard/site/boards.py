"""A task board of the static site: every rating group of the task as one ranked list, from the same
code as the app's board (``leaderboard.board.board_lists``, rendered by ``render_list``), with what the
site's filters need beside each list: its class, round, hardware and whether it is on the official board.

``Board.default_key`` is the first list: the task's latest round on the official hardware, first class.
The page opens on it and on the earlier rounds that round lists beside its own (its *Latest round*,
``build._listed``), as the app's board does.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaderboard.board import BoardList, board_lists
from leaderboard.formatting import task_name
from leaderboard.quality import QualityTable
from leaderboard.results import Results


@dataclass(frozen=True)
class SiteList:
    """One list, and whether its results are on the current official board (``Results.official``); the
    filters read its group's facts (class, round, hardware) from the list."""

    board_list: BoardList
    official: bool

    @property
    def model_class(self) -> str | None:
        return self.board_list.model_class

    @property
    def cohort(self) -> str:
        return self.board_list.cohort

    @property
    def hardware(self) -> str:
        return self.board_list.hardware


@dataclass(frozen=True)
class Board:
    """A task's board: its lists (the default one first, then the official ones, then the rest)."""

    task: str
    name: str
    lists: tuple[SiteList, ...]
    default_key: str | None
    classes: tuple[str, ...]
    cohorts: tuple[str, ...]
    hardware: tuple[str, ...]


def task_board(results: Results, task_id: str, official_hardware: str, quality: QualityTable | None = None) -> Board:
    """The board of ``task_id``: every result of the task as lists per rating group (with quality columns
    and charts where ``quality`` has a source for the task)."""
    scope = results.task(task_id)
    on_board = set(scope.official(official_hardware).frame["run_id"])
    lists = [
        SiteList(b, any(row.run_id in on_board for row in b.rows)) for b in board_lists(scope, scope, quality=quality)
    ]
    latest = results.latest_cohort(task_id, official_hardware)
    default = _default_list(lists, latest, official_hardware)
    lists.sort(key=lambda s: (s.board_list.key != default, not s.official, s.hardware != official_hardware))
    return Board(
        task=task_id,
        name=task_name(task_id),
        lists=tuple(lists),
        default_key=default,
        classes=tuple(sorted({s.model_class for s in lists if s.model_class})),
        cohorts=tuple(sorted({s.cohort for s in lists}, reverse=True)),
        hardware=tuple(sorted({s.hardware for s in lists}, key=lambda h: (h != official_hardware, h))),
    )


def _default_list(lists: list[SiteList], latest: str | None, hardware: str) -> str | None:
    """The list a board opens on: the latest round on the official hardware, its first class."""
    candidates = [s for s in lists if s.official and s.cohort == latest and s.hardware == hardware]
    candidates = candidates or [s for s in lists if s.official] or lists
    if not candidates:
        return None
    return min(candidates, key=lambda s: (s.model_class or "", s.board_list.key)).board_list.key

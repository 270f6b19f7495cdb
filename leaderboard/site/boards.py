"""A task board as ranked lists, one per rating group (task, class, round, hardware, harness), each
ranked by GPU energy: the typed records the board page, its JSON and the tests read.

The board opens on one list: the task's latest round on the official hardware, first class
(``default_list``). Ranks, stars and statuses come from ``Results`` (one star rule for the app and
the site); a list's rows are in rank order.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaderboard.formatting import energy_wh, month_name, plural, task_name
from leaderboard.harnesses import harness_name
from leaderboard.links import status_text
from leaderboard.rating import ENERGY_COLUMN, GROUP_COLUMNS
from leaderboard.results import Results, is_round_harness


@dataclass(frozen=True)
class BoardRow:
    """One result in a list. bar_percent: its energy as a share of the list's highest (0–100)."""

    rank: int
    model: str
    effort: str | None
    energy_wh: float
    energy_text: str
    stars: int
    provisional: bool
    status: str
    status_text: str
    record: str
    official: bool
    bar_percent: float


@dataclass(frozen=True)
class BoardList:
    """One rating group's ranked list. key: a stable id (for HTML ids and the URL); title and caption
    in plain words; official: whether its results are on the current official board."""

    key: str
    title: str
    caption: str
    model_class: str | None
    cohort: str
    hardware: str
    harness: str
    official: bool
    rows: tuple[BoardRow, ...]


@dataclass(frozen=True)
class Board:
    """A task's board: its lists (the default one first, then official ones, then the rest)."""

    task: str
    name: str
    lists: tuple[BoardList, ...]
    default_key: str | None
    classes: tuple[str, ...]
    cohorts: tuple[str, ...]
    hardware: tuple[str, ...]


def _present(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _scope(model_class: str | None, cohort: str, hardware: str) -> str:
    """'of class A in the December 2025 round on NVIDIA H100 80GB'."""
    who = f"of class {model_class} " if model_class else ""
    return f"{who}in the {month_name(cohort)} round on {hardware}"


def list_key(model_class: str | None, cohort: str, hardware: str, harness: str) -> str:
    """A list's id from its group: letters, digits and '-' only ('a-2025-12-nvidia-h100-80gb-…')."""
    raw = "-".join([model_class or "all", cohort, hardware, harness]).lower()
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in raw).strip("-")


def task_board(results: Results, task_id: str, official_hardware: str) -> Board:
    """The board of ``task_id``: every result of the task as lists per rating group."""
    scope = results.task(task_id).sorted("asc")
    on_board = set(scope.official(official_hardware).frame["run_id"])
    table = scope.table()
    lists: list[BoardList] = []
    keys = table[list(GROUP_COLUMNS[1:])].astype(object).where(table[list(GROUP_COLUMNS[1:])].notna(), None)
    for group_key, rows in table.groupby([keys[c] for c in keys.columns], sort=False, dropna=False):
        model_class, cohort_, hardware_, harness = (_present(v) for v in group_key)
        cohort, hardware, harness_id = str(cohort_), str(hardware_), harness or ""
        highest = float(rows[ENERGY_COLUMN].max())
        board_rows = tuple(
            BoardRow(
                rank=int(r["rank"]),
                model=str(r["model"]),
                effort=_present(r["reasoning_effort"]),
                energy_wh=float(r[ENERGY_COLUMN]),
                energy_text=energy_wh(float(r[ENERGY_COLUMN])),
                stars=int(r["stars"]),
                provisional=bool(r["provisional"]),
                status=str(r["status"]),
                status_text=status_text(str(r["status"])),
                record=str(r["record"]),
                official=str(r["run_id"]) in on_board,
                bar_percent=round(100.0 * float(r[ENERGY_COLUMN]) / highest, 1) if highest > 0 else 0.0,
            )
            for _, r in rows.iterrows()
        )
        title_parts = [f"Class {model_class}"] if model_class else []
        title_parts += [f"{month_name(cohort)} round", hardware]
        if not is_round_harness(task_id, cohort, harness):
            title_parts.append(harness_name(harness))
        n = len(board_rows)
        ratio = highest / board_rows[0].energy_wh if n > 1 and board_rows[0].energy_wh > 0 else None
        caption = (
            f"Ranked by GPU energy: {plural(n, 'result')} {_scope(model_class, cohort, hardware)}"
            + (f"; the highest uses {ratio:,.1f}× the GPU energy of the lowest." if ratio else ".")
            if n > 1
            else f"The only result {_scope(model_class, cohort, hardware)}: 5 stars, provisional (nothing to "
            "compare it with)."
        )
        lists.append(
            BoardList(
                key=list_key(model_class, cohort, hardware, harness_id),
                title=" · ".join(title_parts),
                caption=caption,
                model_class=model_class,
                cohort=cohort,
                hardware=hardware,
                harness=harness_id,
                official=any(row.official for row in board_rows),
                rows=board_rows,
            )
        )
    default = _default_list(lists, results.latest_cohort(task_id, official_hardware), official_hardware)
    lists.sort(
        key=lambda b: (
            b.key != default,
            not b.official,
            b.hardware != official_hardware,
            _newest_first(b.cohort),
            b.model_class or "",
            b.key,
        )
    )
    return Board(
        task=task_id,
        name=task_name(task_id),
        lists=tuple(lists),
        default_key=default,
        classes=tuple(sorted({b.model_class for b in lists if b.model_class})),
        cohorts=tuple(sorted({b.cohort for b in lists}, reverse=True)),
        hardware=tuple(sorted({b.hardware for b in lists}, key=lambda h: (h != official_hardware, h))),
    )


def _newest_first(cohort: str) -> tuple[int, ...]:
    """A sort key that puts later cohorts (YYYY-MM) first."""
    return tuple(-ord(c) for c in cohort)


def _default_list(lists: list[BoardList], latest: str | None, hardware: str) -> str | None:
    """The list a board opens on: the latest round on the official hardware, its first class."""
    candidates = [b for b in lists if b.official and b.cohort == latest and b.hardware == hardware]
    candidates = candidates or [b for b in lists if b.official] or lists
    if not candidates:
        return None
    return min(candidates, key=lambda b: (b.model_class or "", b.key)).key


def group_caption(task_id: str, model_class: str | None, cohort: str, hardware: str) -> str:
    """A result's rating group for a sentence: 'Text Generation, class A, December 2025 round, NVIDIA H100 80GB'."""
    parts = [task_name(task_id)] + ([f"class {model_class}"] if model_class else [])
    return ", ".join([*parts, f"{month_name(cohort)} round", hardware])

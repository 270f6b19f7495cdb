"""An immutable, rated results collection with chainable filters.

    Results.from_frame(df).task("asr").cohort("2025-02").to_dataframe()

Stars are computed once, over the whole collection, by ``leaderboard.rating.rate``: filtering
a view never changes a model's stars, because a star is relative to its whole group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leaderboard import evidence, uncertainty
from leaderboard import search as model_search
from leaderboard.formatting import result_title, star_glyphs, task_name
from leaderboard.groups import group_name
from leaderboard.harnesses import UNRECORDED
from leaderboard.links import model_page_url, record_id
from leaderboard.rating import (
    ENERGY_COLUMN,
    GROUP_COLUMNS,
    P_STAR_COLUMNS,
    RULE,
    GroupKey,
    group_codes,
    rate,
    seeds_of,
)
from leaderboard.schema import ResultRow, hub_url
from leaderboard.tasks import MAX_STARS, TASK_IDS, TASKS_BY_ID, board_cohorts, get_task

# By GPU energy (lowest or highest first), or the least sure stars first (``p_shown``; unknown last).
SORT_ORDERS = ("asc", "desc", "sure")
# Statuses of the results the official board lists.
OFFICIAL_STATUSES = ("published", "accepted")
RUNNER_MEASUREMENT = "this project's runner (random weights)"


@dataclass(frozen=True)
class Candidate:
    """A new result rated in its group with the group's current results (``Results.rate_candidate``).

    peers: results already in the group. group_min_wh, group_max_wh: the group's range of GPU energy
    (Wh per 1,000 queries) with the candidate in it, the range its stars were cut from."""

    stars: int
    provisional: bool
    peers: int
    group_min_wh: float
    group_max_wh: float
    p_stars: tuple[float, ...] | None  # P(1..MAX_STARS stars); None where an uncertainty is unknown
    uncertainty: uncertainty.Uncertainty  # the candidate's, from which its probabilities were drawn


@dataclass(frozen=True)
class Results:
    """A view over rated results. Every method returns a new ``Results``."""

    frame: pd.DataFrame

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> Results:
        """Rate a validated frame (see ``leaderboard.schema.validate_frame``)."""
        rated = rate(df)
        rated["status"] = np.select(
            [
                rated["source"].astype("string").fillna("").str.startswith("submission ").to_numpy(dtype=bool),
                (rated["measured_by"].astype("string").fillna("") == RUNNER_MEASUREMENT).to_numpy(dtype=bool),
            ],
            ["accepted", "random weights"],
            default="published",
        )
        rated = uncertainty.assign(rated)
        rated["evidence"] = pd.array(
            [
                e if isinstance(e, str) and e in evidence.KINDS_BY_ID else evidence.of_status(str(st))
                for e, st in zip(
                    rated["evidence"] if "evidence" in rated.columns else [None] * len(rated),
                    rated["status"],
                    strict=True,
                )
            ],
            dtype="string",
        )
        return cls(with_probabilities(rated))

    def with_pending(self, rows: Sequence[ResultRow]) -> Results:
        """Add pending (unverified) results, each rated as a candidate against its rating group
        (``rate_candidate``: task, class, cohort, hardware, harness): its stars, provisional flag and
        the range shown with it all come from that one rating. They are shown, marked, and never
        change the stars of verified results."""
        extra = []
        for row in rows:
            harness = row.harness or UNRECORDED
            rated = self.rate_candidate(
                task=row.task,
                model_class=row.model_class,
                cohort=row.cohort,
                hardware=row.hardware,
                harness=harness,
                energy_wh=row.gpu_energy_wh_per_1k,
                own_uncertainty=uncertainty.row_uncertainty(
                    row.energy_rel_uncertainty, row.uncertainty_source, row.uncertainty_n, row.uncertainty_note, harness
                ),
            )
            u = rated.uncertainty
            p = rated.p_stars or (np.nan,) * MAX_STARS
            extra.append(
                {
                    **row.to_dict(),
                    "harness": harness,
                    "stars": rated.stars,
                    "provisional": rated.provisional,
                    "status": "pending",
                    "group_min_wh_per_1k": rated.group_min_wh,
                    "group_max_wh_per_1k": rated.group_max_wh,
                    "group_key": GroupKey(row.task, row.model_class, row.cohort, row.hardware, harness).id,
                    uncertainty.REL_COLUMN: u.rel if u.rel is not None else np.nan,
                    uncertainty.SOURCE_COLUMN: u.source,
                    uncertainty.N_COLUMN: u.n,
                    uncertainty.NOTE_COLUMN: u.note,
                    "evidence": evidence.SELF_REPORTED,
                    **dict(zip(P_STAR_COLUMNS, p, strict=True)),
                    "p_shown": p[rated.stars - 1],
                }
            )
        if not extra:
            return self
        added = pd.DataFrame(extra).astype({"stars": "int8", uncertainty.N_COLUMN: "Int64"})
        frame = pd.concat([self.frame, added], ignore_index=True)
        return Results(frame)

    def __len__(self) -> int:
        return len(self.frame)

    def _where(self, mask: object) -> Results:
        return Results(self.frame[np.asarray(mask, dtype=bool)])

    def task(self, task_id: str) -> Results:
        get_task(task_id)
        return self._where(self.frame["task"] == task_id)

    def model_class(self, *classes: str) -> Results:
        return self._where(self.frame["model_class"].isin(classes)) if classes else self

    def cohort(self, *cohorts: str) -> Results:
        return self._where(self.frame["cohort"].isin(cohorts)) if cohorts else self

    def hardware(self, *names: str) -> Results:
        return self._where(self.frame["hardware"].isin(names)) if names else self

    def harness(self, *ids: str) -> Results:
        return self._where(self.frame["harness"].isin(ids)) if ids else self

    def group(self, *, task: str, model_class: str | None, cohort: str, hardware: str, harness: str) -> Results:
        """The results of one rating group (``leaderboard.rating.GROUP_COLUMNS``)."""
        peers = self.task(task).cohort(cohort).hardware(hardware).harness(harness)
        if model_class is None:
            return peers._where(peers.frame["model_class"].isna())
        return peers.model_class(model_class)

    def search(self, text: str) -> Results:
        """Rows whose model id the query finds (``leaderboard.search``: case and separators ignored, a
        Hub address read as its model id; literal, not a pattern)."""
        wanted = model_search.query_key(text)
        if not wanted:
            return self
        keys = self.frame["model"].astype("string").str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
        return self._where(keys.str.contains(wanted, regex=False).fillna(False))

    def energy_between(self, low_wh: float | None, high_wh: float | None) -> Results:
        energy = self.frame[ENERGY_COLUMN]
        mask = pd.Series(True, index=self.frame.index)
        if low_wh is not None:
            mask &= energy >= low_wh
        if high_wh is not None:
            mask &= energy <= high_wh
        return self._where(mask)

    def statuses(self, *names: str) -> Results:
        """Results of these statuses ('published', 'accepted', 'pending', 'random weights')."""
        return self._where(self.frame["status"].isin(names)) if names else self

    def model(self, model_id: str) -> Results:
        """Every result of one model (all tasks, efforts, cohorts and hardware)."""
        return self._where(self.frame["model"] == model_id)

    def record(self, rid: str) -> Results:
        """The result whose record id (``leaderboard.links.record_id``, 16 hex digits) is ``rid``."""
        return self._where(self.frame["run_id"].map(lambda r: record_id(str(r)) == rid))

    def evidence(self, *kinds: str) -> Results:
        """Results backed by these kinds of evidence (``leaderboard.evidence.KINDS``)."""
        return self._where(self.frame["evidence"].isin(kinds)) if kinds else self

    def unsure(self) -> Results:
        """Results whose star is not sure: the star shown is less than ``uncertainty.SURE_P`` likely."""
        return self._where((self.frame["p_shown"] < uncertainty.SURE_P).fillna(False))

    def runs(self, *run_ids: str) -> Results:
        return self._where(self.frame["run_id"].isin(run_ids))

    def sorted(self, order: str = "asc") -> Results:
        """Sort by GPU energy ('asc', 'desc') or by how sure the star is ('sure': the least likely star
        shown first, unknown last, then by energy); ties by model id so the order is stable."""
        if order not in SORT_ORDERS:
            raise ValueError(f"sort order must be one of {SORT_ORDERS}, not {order!r}")
        if order == "sure":
            keyed = self.frame.assign(_p=self.frame["p_shown"].fillna(2.0))
            return Results(
                keyed.sort_values(["_p", ENERGY_COLUMN, "model", "run_id"], kind="stable").drop(columns="_p")
            )
        frame = self.frame.sort_values(
            [ENERGY_COLUMN, "model", "run_id"], ascending=[order == "asc", True, True], kind="stable"
        )
        return Results(frame)

    def published_first(self, hardware: str) -> Results:
        """The results that count first: those on the official board (``official``), then other
        published and accepted results, then estimates and pending ones; within each, the latest round
        first, then the lowest energy. The order a model's page lists its results in (and picks its
        label from)."""
        frame = self.frame
        on_board = frame["run_id"].isin(set(self.official(hardware).frame["run_id"]))
        counted = frame["status"].isin(OFFICIAL_STATUSES)
        keys = pd.DataFrame(
            {
                "board": ~on_board.to_numpy(dtype=bool),
                "counted": ~counted.to_numpy(dtype=bool),
                "cohort": frame["cohort"].astype("string").fillna(""),
                "energy": frame[ENERGY_COLUMN].to_numpy(),
                "run_id": frame["run_id"].astype("string"),
            },
            index=frame.index,
        )
        order = keys.sort_values(
            ["board", "counted", "cohort", "energy", "run_id"], ascending=[True, True, False, True, True], kind="stable"
        ).index
        return Results(frame.loc[order])

    def latest_cohort(self, task_id: str, hardware: str | None = None) -> str | None:
        """The task's latest cohort on this hardware (any hardware if None or if it has none)."""
        scope = self.task(task_id)
        cohorts = scope.hardware(hardware).values("cohort") if hardware else []
        cohorts = cohorts or scope.values("cohort")
        return cohorts[-1] if cohorts else None

    def rate_candidate(
        self,
        *,
        task: str,
        model_class: str | None,
        cohort: str,
        hardware: str,
        harness: str,
        energy_wh: float,
        own_uncertainty: uncertainty.Uncertainty | None = None,
    ) -> Candidate:
        """How a new result would be rated in its group (task, class, cohort, hardware, harness), rated
        together with the group's current results (``leaderboard.rating.rate``, the one star rule), and
        how sure that star is given every uncertainty (the candidate's: ``own_uncertainty``, else its harness's)."""
        peers = self.group(task=task, model_class=model_class, cohort=cohort, hardware=hardware, harness=harness)
        frame = peers.frame[list(GROUP_COLUMNS) + [ENERGY_COLUMN]]
        own = own_uncertainty or uncertainty.of_harness(harness)
        candidate = pd.DataFrame(
            [
                {
                    "task": task,
                    "model_class": model_class,
                    "cohort": cohort,
                    "hardware": hardware,
                    "harness": harness,
                    ENERGY_COLUMN: float(energy_wh),
                }
            ]
        )
        rated = rate(pd.concat([frame, candidate], ignore_index=True).astype({"model_class": object}))
        last = rated.iloc[-1]
        rel = np.r_[
            peers.frame[uncertainty.REL_COLUMN].to_numpy(dtype=float), [own.rel if own.rel is not None else np.nan]
        ]
        seeds = np.r_[seeds_of(peers.frame["run_id"]), [np.uint64(0)]]
        probabilities = RULE.probabilities(
            rated[ENERGY_COLUMN].to_numpy(dtype=float), rel, np.zeros(len(rated), dtype=int), seeds.astype(np.uint64)
        )[-1]
        return Candidate(
            int(last["stars"]),
            bool(last["provisional"]),
            len(frame),
            float(last["group_min_wh_per_1k"]),
            float(last["group_max_wh_per_1k"]),
            None if np.isnan(probabilities).any() else tuple(float(x) for x in probabilities),
            own,
        )

    # --- facts about the view -------------------------------------------------------------

    def values(self, column: str) -> list[str]:
        """Distinct non-empty values of a column, sorted."""
        return sorted(v for v in self.frame[column].dropna().unique() if v != "")

    def tasks(self) -> list[str]:
        present = set(self.frame["task"])
        return [t for t in TASK_IDS if t in present]

    def energy_range(self) -> tuple[float, float] | None:
        if self.frame.empty:
            return None
        energy = self.frame[ENERGY_COLUMN]
        return float(energy.min()), float(energy.max())

    def max_min_ratio(self) -> float | None:
        """Highest over lowest GPU energy in the view (None for fewer than two rows)."""
        rng = self.energy_range()
        if rng is None or len(self.frame) < 2:
            return None
        return rng[1] / rng[0]

    def overview(self) -> pd.DataFrame:
        """One row per task: model count, energy range and the most efficient model."""
        rows = []
        for task_id in self.tasks():
            sub = self.frame[self.frame["task"] == task_id]
            best = sub.iloc[int(np.argmin(sub[ENERGY_COLUMN].to_numpy(dtype=float)))]
            rows.append(
                {
                    "task": task_id,
                    "Task": TASKS_BY_ID[task_id].display_name,
                    "Models": int(sub["model"].nunique()),
                    "Results": len(sub),
                    "Lowest GPU energy (Wh/1k queries)": float(sub[ENERGY_COLUMN].min()),
                    "Highest GPU energy (Wh/1k queries)": float(sub[ENERGY_COLUMN].max()),
                    "Most efficient model": best["model"],
                }
            )
        return pd.DataFrame(rows)

    def titles(self, *, with_task: bool = False) -> dict[str, str]:
        """Each result's name by run id, in the view's order: model, effort and run number
        (``formatting.result_title``), and with ``with_task`` its task and cohort too."""
        out: dict[str, str] = {}
        for run_id, model, effort, task, cohort in zip(
            self.frame["run_id"],
            self.frame["model"],
            self.frame["reasoning_effort"],
            self.frame["task"],
            self.frame["cohort"],
            strict=True,
        ):
            title = result_title(str(run_id), str(model), effort if isinstance(effort, str) else None)
            out[str(run_id)] = f"{title} · {task_name(str(task))} · {cohort}" if with_task else title
        return out

    def official(self, hardware: str) -> Results:
        """The current official leaderboard: the results the board itself lists (published rounds and
        accepted submissions, not runner estimates nor pending submissions) on the official hardware,
        of each task's latest round. A published result is listed when its cohort is one the task's
        latest published round lists (``tasks.board_cohorts``: the December 2025 text-generation round
        listed the February 2025 models with their February stars beside the December ones, so both
        cohorts are in); an accepted submission also when it joined a later cohort (the round being
        built on the latest). Anything older is not."""
        frame = self.frame
        tasks = frame["task"].unique()
        listed = {t: board_cohorts(t) for t in tasks}
        latest = {t: max(listed[t], default="") for t in tasks}
        accepted = frame["status"] == "accepted"
        current = [
            cohort in listed[task] or (is_accepted and cohort > latest[task])
            for task, cohort, is_accepted in zip(frame["task"], frame["cohort"], accepted, strict=True)
        ]
        mask = frame["status"].isin(OFFICIAL_STATUSES) & (frame["hardware"] == hardware) & np.asarray(current, bool)
        return self._where(mask)

    def group_labels(self, *, with_task: bool = True) -> pd.Series:
        """Each row's rating group named for people (``leaderboard.groups.group_name``): 'Text Generation ·
        class B · December 2025 round · NVIDIA H100 80GB' (stars and ranks are within such a group). The
        harness is named where it is not the one its round used ('… · NVIDIA H200 · AI Energy Score
        runner (generate)'). Group rows by ``group_key``, never by this text."""
        keys = self.frame["group_key"]
        names = {k: group_name(GroupKey.from_id(str(k)), with_task=with_task) for k in keys.unique()}
        return keys.map(names).astype("string")

    def by_group(self) -> Results:
        """Rows ordered by rating group (largest group first), keeping the current order within
        each group."""
        if self.frame.empty:
            return self
        groups = self.frame["group_key"]
        sizes = groups.map(groups.value_counts())
        order = pd.DataFrame({"size": -sizes, "group": groups, "pos": np.arange(len(groups))}, index=groups.index)
        return Results(self.frame.loc[order.sort_values(["size", "group", "pos"], kind="stable").index])

    def to_dataframe(self) -> pd.DataFrame:
        return self.frame.copy()

    def table(self, *, ranked_in: Results | None = None) -> pd.DataFrame:
        """The leaderboard table of this view, in its current order.

        ``rank`` counts within the row's rating group (``group``) from the lowest energy (1 = most
        efficient), whatever the sort order; equal energies share a rank. The group is the view's, or
        with ``ranked_in`` (the results the view was cut from) the whole group there, the rank the board
        shows (``board.board_lists``). ``model_page`` links to the model page's view of the record.
        """
        frame = self.frame
        groups = self.group_labels()
        whole = (ranked_in if ranked_in is not None else self).frame
        ranks = whole[ENERGY_COLUMN].groupby(whole["group_key"]).rank(method="min", ascending=True)
        rank = frame["run_id"].map(dict(zip(whole["run_id"], ranks, strict=True)))
        return pd.DataFrame(
            {
                "rank": rank.fillna(0).astype(int),
                "group": groups,
                "model_page": [
                    model_page_url("", str(m), str(r)).lstrip("/")
                    for m, r in zip(frame["model"], frame["run_id"], strict=True)
                ],
                "record": frame["run_id"].map(lambda r: record_id(str(r))),
                "model_url": frame["model"].map(hub_url),
                "model": frame["model"],
                "provider": frame["provider"],
                "task": frame["task"],
                "model_class": frame["model_class"],
                "reasoning_effort": frame["reasoning_effort"],
                "cohort": frame["cohort"],
                "hardware": frame["hardware"],
                "harness": frame["harness"],
                ENERGY_COLUMN: frame[ENERGY_COLUMN],
                "stars": frame["stars"].astype(int),
                "stars_glyphs": frame["stars"].map(star_glyphs),
                "provisional": frame["provisional"],
                "p_shown": frame["p_shown"],
                uncertainty.REL_COLUMN: frame[uncertainty.REL_COLUMN],
                uncertainty.SOURCE_COLUMN: frame[uncertainty.SOURCE_COLUMN],
                "evidence": frame["evidence"],
                "status": frame["status"],
                "run_id": frame["run_id"],
            }
        ).reset_index(drop=True)


def with_probabilities(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (rated, with uncertainties) with P(star) per result (``P_STAR_COLUMNS``, NaN where unknown)
    and ``p_shown``, the probability of the star it shows (``leaderboard.rating.RULE.probabilities``)."""
    out = frame.copy()
    if out.empty:
        for column in (*P_STAR_COLUMNS, "p_shown"):
            out[column] = pd.Series(dtype=float)
        return out
    p = RULE.probabilities(
        out[ENERGY_COLUMN].to_numpy(dtype=float),
        out[uncertainty.REL_COLUMN].to_numpy(dtype=float),
        group_codes(out),
        seeds_of(out["run_id"]),
    )
    for i, column in enumerate(P_STAR_COLUMNS):
        out[column] = p[:, i]
    out["p_shown"] = p[np.arange(len(out)), out["stars"].to_numpy(dtype=int) - 1]
    return out


EXPORT_COLUMNS = (
    "task",
    "model",
    "model_class",
    "reasoning_effort",
    "cohort",
    "hardware",
    "harness",
    ENERGY_COLUMN,
    "stars",
    "provisional",
    *P_STAR_COLUMNS,
    uncertainty.REL_COLUMN,
    uncertainty.SOURCE_COLUMN,
    uncertainty.N_COLUMN,
    uncertainty.NOTE_COLUMN,
    "evidence",
    "evidence_note",
    "status",
)


def export_frame(results: Results) -> pd.DataFrame:
    """The rated table for export: SPEC task ids, model without effort suffix, stars computed."""
    frame = results.sorted("asc").frame
    frame = frame.assign(_order=frame["task"].map({t: i for i, t in enumerate(TASK_IDS)}))
    frame = frame.sort_values(["_order", "cohort", "model_class", ENERGY_COLUMN, "model"], kind="stable")
    out = frame[list(EXPORT_COLUMNS)].reset_index(drop=True)
    out["stars"] = out["stars"].astype(int)
    out["provisional"] = out["provisional"].astype(bool)
    return out


# Spreadsheet formula injection: a spreadsheet may read a cell as a formula when the cell, or any piece
# of it that the spreadsheet splits off at a separator (which separator depends on its locale and
# import dialog: , ; tab and line breaks), begins with one of FORMULA_STARTS, spaces before it included.
FORMULA_STARTS = "=+-@\t\r"
CSV_SEPARATORS = ",;\t\r\n"
_FORMULA_PIECE = re.compile(f"(^|[{re.escape(CSV_SEPARATORS)}])( *)(?=[{re.escape(FORMULA_STARTS)}])")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Guard text cells against spreadsheet formula injection: every piece of a cell that begins (after
    spaces) with ``FORMULA_STARTS``, the cell itself or a piece after one of ``CSV_SEPARATORS``, gets a
    single quote in front, so it reads as text whichever separator the spreadsheet splits at:
    '=1+1' -> "'=1+1", 'RTX;=HYPERLINK(…)' -> "RTX;'=HYPERLINK(…)". Other text, and numbers, are kept."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or pd.api.types.is_object_dtype(out[column]):
            out[column] = out[column].map(csv_cell)
    return out


def csv_cell(value: object) -> object:
    """One cell of ``csv_safe``."""
    if isinstance(value, str):
        return _FORMULA_PIECE.sub(r"\1\2'", value)
    return value

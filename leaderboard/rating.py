"""The star rule of SPEC §4, pure and vectorised.

Within each group (task, model class, cohort, hardware, harness) with GPU energies E:

    lo = min(E); hi = max(E); w = (hi - lo) / 5
    band = floor((e - lo) / w), clamped to 0..4      (the maximum lands in band 4)
    stars = 5 - band                                  (lowest energy: 5 stars)

Decisions where the published rule is silent, recorded here on purpose:

* A value exactly on a band edge goes to the band above it (fewer stars). Band positions
  ``(e - lo) / w`` that lie within ``EDGE_TOLERANCE`` of an integer are snapped to it, so
  that float rounding never moves a value that is on an edge in exact arithmetic, and
  scaling every energy of a group by the same factor never changes a star.
* A group of one result, or whose energies are all equal, gets 5 stars and is flagged
  ``provisional``: there is nothing to compare it with. Energies whose spread is within
  ``EDGE_TOLERANCE`` of their magnitude (they differ only in float rounding, e.g. 1e-4 and the
  next float above it) count as equal, so that scaling a group never turns a tie into a range.
* Missing values in the class column form their own group (tasks without classes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leaderboard.tasks import MAX_STARS

# A rating group: one task, class, round (cohort), hardware board and harness (the code that measured).
GROUP_COLUMNS: tuple[str, ...] = ("task", "model_class", "cohort", "hardware", "harness")
ENERGY_COLUMN = "gpu_energy_wh_per_1k"
N_BANDS = MAX_STARS  # one band per star
EDGE_TOLERANCE = 1e-9


def star_bands(lo: float, hi: float) -> list[float]:
    """Return the four inner band edges (Wh per 1,000 queries) of a group from lo to hi.

    A value at or above ``edges[k]`` has at most ``4 - k`` stars.
    """
    width = (hi - lo) / N_BANDS
    return [lo + k * width for k in range(1, N_BANDS)]


def stars_from_energy(energy: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stars (int8, 1..MAX_STARS) and the provisional flag for energies given their group's lo and hi."""
    energy = np.asarray(energy, dtype=float)
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    span = hi - lo
    provisional = ~(span > EDGE_TOLERANCE * np.maximum(np.abs(hi), np.abs(lo)))
    with np.errstate(divide="ignore", invalid="ignore"):
        position = np.where(provisional, 0.0, (energy - lo) * N_BANDS / np.where(provisional, 1.0, span))
    nearest = np.round(position)
    position = np.where(np.abs(position - nearest) <= EDGE_TOLERANCE, nearest, position)
    band = np.clip(np.floor(position), 0, N_BANDS - 1).astype(np.int8)
    return (N_BANDS - band).astype(np.int8), provisional


def rate(df: pd.DataFrame, group_columns: tuple[str, ...] = GROUP_COLUMNS) -> pd.DataFrame:
    """Return a copy of ``df`` with ``stars`` (1..MAX_STARS), ``provisional`` and the group's
    ``group_min_wh_per_1k`` / ``group_max_wh_per_1k`` columns.

    ``df`` needs the columns of ``group_columns`` and ``gpu_energy_wh_per_1k``.
    """
    out = df.copy()
    if out.empty:
        out["stars"] = pd.Series(dtype="int8")
        out["provisional"] = pd.Series(dtype=bool)
        out["group_min_wh_per_1k"] = pd.Series(dtype=float)
        out["group_max_wh_per_1k"] = pd.Series(dtype=float)
        return out
    codes = group_codes(out, group_columns)
    energy = out[ENERGY_COLUMN].to_numpy(dtype=float)
    lo, hi = _group_min_max(codes, energy)
    row_lo, row_hi = lo[codes], hi[codes]
    stars, provisional = stars_from_energy(energy, row_lo, row_hi)
    out["stars"] = stars
    out["provisional"] = provisional
    out["group_min_wh_per_1k"] = row_lo
    out["group_max_wh_per_1k"] = row_hi
    return out


def group_codes(df: pd.DataFrame, group_columns: tuple[str, ...] = GROUP_COLUMNS) -> np.ndarray:
    """Dense integer code per row identifying its rating group (missing values are a value)."""
    return df.groupby(list(group_columns), sort=False, dropna=False).ngroup().to_numpy()


def _group_min_max(codes: np.ndarray, energy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-group minimum and maximum, indexed by group code: one sort, then segment reductions."""
    n_groups = int(codes.max()) + 1
    lo = np.full(n_groups, np.nan)
    hi = np.full(n_groups, np.nan)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    sorted_energy = energy[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    present = sorted_codes[starts]
    lo[present] = np.minimum.reduceat(sorted_energy, starts)
    hi[present] = np.maximum.reduceat(sorted_energy, starts)
    return lo, hi

"""The star rule of SPEC §4 as an object that owns its band edges, stars and P(star); pure and vectorised.

Within each group (task, model class, cohort, hardware, harness) with GPU energies E:

    lo = min(E); hi = max(E); w = (hi - lo) / 5
    band = floor((e - lo) / w), clamped to 0..4      (the maximum lands in band 4)
    stars = 5 - band                                  (lowest energy: 5 stars)

``RULE`` (``EqualWidthRule``) is that rule: charts, boards, labels and custom ratings ask it for band
edges and stars instead of recomputing them. ``RankRule`` is a what-if (bands of equal width over the
ranks instead of the energies), never the default.

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

**P(star).** ``EqualWidthRule.probabilities`` gives, for every result, the probability of each star
when every result of its group varies by its relative standard uncertainty u (the two results that
set the bands included): each draw multiplies each energy by a lognormal factor with median 1 and
relative standard deviation u (sigma = sqrt(ln(1 + u²))), recomputes the group's bands from the
drawn energies and rates every drawn energy. ``DRAWS`` draws (the Monte Carlo standard error of a
probability near 0.9 is then about 0.005). The draws are deterministic and a result's draws depend
only on its own run id (``_Streams``: a fixed pool of counter-based normals, read at a column and offset
its run id's hash picks), so adding a result to one group never changes another group's probabilities.
The work is linear in results × draws, in blocks of at most ``BLOCK_ELEMENTS``; a group in which nothing
varies is not simulated. A result whose own uncertainty, or that of any result in its group, is unknown (NaN)
has unknown probabilities (NaN): an unknown spread is never taken as zero.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from leaderboard.tasks import MAX_STARS

# A rating group: one task, class, round (cohort), hardware board and harness (the code that measured).
GROUP_COLUMNS: tuple[str, ...] = ("task", "model_class", "cohort", "hardware", "harness")
ENERGY_COLUMN = "gpu_energy_wh_per_1k"
N_BANDS = MAX_STARS  # one band per star
EDGE_TOLERANCE = 1e-9
DRAWS = 4000
# Elements of one (draws x results) block of the simulation: bounds its memory (~8 arrays of 8 bytes each).
BLOCK_ELEMENTS = 1 << 21
# Columns of the probability of each star, 1..MAX_STARS.
P_STAR_COLUMNS: tuple[str, ...] = tuple(f"p_star_{s}" for s in range(1, MAX_STARS + 1))
# Key separator: a control character, which no validated text of a row may hold (``schema.row_problems``).
KEY_SEPARATOR = "\x1f"


class GroupKey(NamedTuple):
    """A rating group's identity. ``id`` is its one string form (the ``group_key`` column); people read
    it through ``leaderboard.groups.group_name``, never as the key itself."""

    task: str
    model_class: str | None
    cohort: str
    hardware: str
    harness: str

    @property
    def id(self) -> str:
        return KEY_SEPARATOR.join([self.task, self.model_class or "", self.cohort, self.hardware, self.harness or ""])

    @classmethod
    def from_id(cls, key: str) -> GroupKey:
        task, model_class, cohort, hardware, harness = key.split(KEY_SEPARATOR)
        return cls(task, model_class or None, cohort, hardware, harness)


def group_keys(df: pd.DataFrame) -> pd.Series:
    """Each row's ``GroupKey.id`` (string dtype), vectorised."""
    if df.empty:
        return pd.Series([], index=df.index, dtype="string")
    parts = [df[c].astype("string").fillna("") for c in GROUP_COLUMNS]
    out = parts[0]
    for part in parts[1:]:
        out = out + KEY_SEPARATOR + part
    return out.astype("string")


def group_codes(df: pd.DataFrame, group_columns: tuple[str, ...] = GROUP_COLUMNS) -> np.ndarray:
    """Dense integer code per row identifying its rating group (missing values are a value)."""
    return df.groupby(list(group_columns), sort=False, dropna=False).ngroup().to_numpy()


class _Segments:
    """Rows ordered by group once, so per-group reductions are segment reductions (linear after one sort)."""

    def __init__(self, codes: np.ndarray) -> None:
        self.codes = np.asarray(codes)
        self.order = np.argsort(self.codes, kind="stable")
        sorted_codes = self.codes[self.order]
        self.starts = (
            np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]) if len(codes) else np.array([], int)
        )
        self.present = sorted_codes[self.starts] if len(codes) else np.array([], int)
        self.n_groups = int(self.codes.max()) + 1 if len(codes) else 0

    def min_max(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per-row group minimum and maximum of ``values`` (shape (n,) or (draws, n))."""
        ordered = values[..., self.order]
        lo_g = np.minimum.reduceat(ordered, self.starts, axis=-1)
        hi_g = np.maximum.reduceat(ordered, self.starts, axis=-1)
        index = np.empty(self.n_groups, dtype=np.intp)
        index[self.present] = np.arange(len(self.present))
        return lo_g[..., index[self.codes]], hi_g[..., index[self.codes]]


class EqualWidthRule:
    """The published rule: equal-width bands over a group's linear energy range (SPEC §4)."""

    name = "equal-width bands over the energy range (the published rule)"
    description = "five bands of equal width over each group's range of GPU energy"

    def edges(self, lo: float, hi: float) -> list[float]:
        """The four inner band edges (Wh per 1,000 queries) of a group from lo to hi; none for a group
        whose energies are all equal. A value at or above ``edges[k]`` has at most ``4 - k`` stars."""
        return star_bands(lo, hi) if hi > lo else []

    def stars(self, energy: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stars (int8, 1..MAX_STARS) and the provisional flag for energies given their group's lo and hi
        (any shape, elementwise)."""
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

    def rate(self, df: pd.DataFrame, group_columns: tuple[str, ...] = GROUP_COLUMNS) -> pd.DataFrame:
        """A copy of ``df`` with ``stars`` (1..MAX_STARS), ``provisional``, the group's
        ``group_min_wh_per_1k`` / ``group_max_wh_per_1k`` and its ``group_key``.

        ``df`` needs the columns of ``group_columns`` and ``gpu_energy_wh_per_1k``."""
        out = df.copy()
        if out.empty:
            out["stars"] = pd.Series(dtype="int8")
            out["provisional"] = pd.Series(dtype=bool)
            out["group_min_wh_per_1k"] = pd.Series(dtype=float)
            out["group_max_wh_per_1k"] = pd.Series(dtype=float)
            out["group_key"] = pd.Series(dtype="string")
            return out
        codes = group_codes(out, group_columns)
        energy = out[ENERGY_COLUMN].to_numpy(dtype=float)
        row_lo, row_hi = _Segments(codes).min_max(energy)
        stars, provisional = self.stars(energy, row_lo, row_hi)
        out["stars"] = stars
        out["provisional"] = provisional
        out["group_min_wh_per_1k"] = row_lo
        out["group_max_wh_per_1k"] = row_hi
        if set(GROUP_COLUMNS) <= set(out.columns):
            out["group_key"] = group_keys(out)
        return out

    def probabilities(
        self,
        energy: np.ndarray,
        rel_uncertainty: np.ndarray,
        codes: np.ndarray,
        seeds: np.ndarray,
        draws: int | None = None,
    ) -> np.ndarray:
        """P(star) per result: an (n, MAX_STARS) array whose column s-1 is the probability of s stars
        (rows sum to 1), NaN where the result's or any group member's uncertainty is unknown.

        energy: Wh per 1,000 queries; rel_uncertainty: relative standard uncertainty (NaN: unknown);
        codes: dense group codes (``group_codes``); seeds: one uint64 per result (``seeds_of``); draws:
        ``DRAWS`` unless given."""
        draws = draws or DRAWS
        energy = np.asarray(energy, dtype=float)
        rel = np.asarray(rel_uncertainty, dtype=float)
        n = len(energy)
        if n == 0:
            return np.zeros((0, MAX_STARS))
        codes = np.asarray(codes)
        segments = _Segments(codes)
        # Work in group order: per-group reductions are then contiguous segments, no gather per draw.
        order = segments.order
        e_sorted = energy[order]
        sigma = np.sqrt(np.log1p(np.nan_to_num(rel[order], nan=0.0) ** 2))
        streams = _Streams(np.asarray(seeds, dtype=np.uint64)[order], draws)
        lengths = np.diff(np.r_[segments.starts, n])
        counts = np.zeros((n, MAX_STARS))
        # A group where nothing varies has its rule's stars in every draw: no simulation.
        varies_g = np.maximum.reduceat(sigma, segments.starts) > 0
        varies = np.repeat(varies_g, lengths)
        if not varies.all():
            fixed_lo = np.repeat(np.minimum.reduceat(e_sorted, segments.starts), lengths)
            fixed_hi = np.repeat(np.maximum.reduceat(e_sorted, segments.starts), lengths)
            fixed, _ = self.stars(e_sorted, fixed_lo, fixed_hi)
            counts[np.flatnonzero(~varies), fixed[~varies] - 1] = draws
        if varies.any():
            keep = np.flatnonzero(varies)
            starts = np.r_[0, np.cumsum(lengths[varies_g])[:-1]]
            counts[keep] = self._simulate(e_sorted[keep], sigma[keep], streams.subset(keep), starts, draws)
        out = np.empty_like(counts)
        out[order] = counts / draws
        unknown_in_group = np.bincount(codes, weights=np.isnan(rel).astype(float), minlength=segments.n_groups) > 0
        out[unknown_in_group[codes]] = np.nan
        return out

    def _simulate(
        self, energy: np.ndarray, sigma: np.ndarray, streams: _Streams, starts: np.ndarray, draws: int
    ) -> np.ndarray:
        """Counts of each star over ``draws`` draws for rows in group order (groups begin at ``starts``)."""
        n = len(energy)
        lengths = np.diff(np.r_[starts, n])
        counts = np.zeros((n, MAX_STARS))
        block = max(1, min(draws, BLOCK_ELEMENTS // n))
        for first in range(0, draws, block):
            count = min(block, draws - first)
            drawn = streams.normals(first, count)
            drawn *= sigma
            np.exp(drawn, out=drawn)
            drawn *= energy
            lo_g = np.minimum.reduceat(drawn, starts, axis=1)
            span_g = np.maximum.reduceat(drawn, starts, axis=1) - lo_g
            tied = ~(span_g > EDGE_TOLERANCE * np.abs(lo_g + span_g))
            scale_g = np.where(tied, 0.0, N_BANDS / np.where(tied, 1.0, span_g))
            drawn -= np.repeat(lo_g, lengths, axis=1)
            drawn *= np.repeat(scale_g, lengths, axis=1)  # the band position, as in ``stars``
            # ``stars`` snaps a position within EDGE_TOLERANCE of an integer to it, then floors: the same as
            # flooring the position plus the tolerance.
            drawn += EDGE_TOLERANCE
            np.floor(drawn, out=drawn)
            band = np.clip(drawn, 0, N_BANDS - 1).astype(np.int8)
            for b in range(N_BANDS):
                counts[:, N_BANDS - 1 - b] += np.count_nonzero(band == b, axis=0)
        return counts


class RankRule:
    """A what-if, never the default: bands of equal width over the ranks 1..n of a group (ties share
    the lowest rank) instead of over its energies, so one outlier cannot squeeze the others into one band.
    Position ``(rank - 1) * 5 / (n - 1)`` is banded like the published rule's (the last rank: 1 star)."""

    name = "equal-width bands over the ranks (a quantile rule)"
    description = "five bands of equal width over each group's ranks"

    def stars(self, energy: np.ndarray, codes: np.ndarray) -> np.ndarray:
        energy = np.asarray(energy, dtype=float)
        if len(energy) == 0:
            return np.zeros(0, dtype=np.int8)
        frame = pd.DataFrame({"code": codes, "e": energy})
        rank = frame.groupby("code")["e"].rank(method="min").to_numpy()
        size = frame.groupby("code")["e"].transform("size").to_numpy(dtype=float)
        top = frame.groupby("code")["e"].rank(method="min").groupby(frame["code"]).transform("max").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            position = np.where(top > 1, (rank - 1) * N_BANDS / np.maximum(size - 1, 1), 0.0)
        band = np.clip(np.floor(position + EDGE_TOLERANCE), 0, N_BANDS - 1).astype(np.int8)
        return (N_BANDS - band).astype(np.int8)


RULE = EqualWidthRule()
RANK_RULE = RankRule()

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _splitmix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def noise(seeds: np.ndarray, first: int, count: int) -> np.ndarray:
    """Standard normal draws ``first .. first + count - 1`` of every result, shape (count, n): a
    counter-based stream (SplitMix64, then Box–Muller) keyed by each result's seed, so a draw depends
    only on its result and its index."""
    with np.errstate(over="ignore"):
        index = np.arange(first, first + count, dtype=np.uint64)[:, None] + np.uint64(1)
        base = seeds[None, :] + index * _GOLDEN
        a = _splitmix(base)
        b = _splitmix(a ^ _GOLDEN)
    scale = 1.0 / float(1 << 53)
    u1 = ((a >> np.uint64(11)).astype(np.float64) + 0.5) * scale
    u2 = (b >> np.uint64(11)).astype(np.float64) * scale
    normals: np.ndarray = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    return normals


POOL_COLUMNS = 64


class _Streams:
    """Each result's ``draws`` normal draws, cheaply: a fixed pool of ``POOL_COLUMNS`` columns of
    ``draws`` normals (``noise`` of seeds 0..63); a result reads the column its seed picks, starting at
    the offset its seed picks. Two results share a draw only with the same column and offset (one chance
    in 64 × draws for a pair); otherwise their draws at one index are two different draws of the pool."""

    def __init__(self, seeds: np.ndarray, draws: int) -> None:
        self.draws = draws
        pool = noise(np.arange(POOL_COLUMNS, dtype=np.uint64), 0, draws).T  # (POOL_COLUMNS, draws)
        # Each column twice over, so a stream read from any offset is one contiguous run.
        self.flat = np.ascontiguousarray(np.concatenate([pool, pool], axis=1)).ravel()
        column = (seeds % np.uint64(POOL_COLUMNS)).astype(np.intp)
        offset = ((seeds // np.uint64(POOL_COLUMNS)) % np.uint64(draws)).astype(np.intp)
        self.base = column * (2 * draws) + offset

    def subset(self, rows: np.ndarray) -> _Streams:
        """The streams of these results only."""
        out = object.__new__(_Streams)
        out.draws, out.flat, out.base = self.draws, self.flat, self.base[rows]
        return out

    def normals(self, first: int, count: int) -> np.ndarray:
        """Draws ``first .. first + count - 1`` of every result, shape (count, n)."""
        index = self.base[None, :] + np.arange(first, first + count, dtype=np.intp)[:, None]
        picked: np.ndarray = np.take(self.flat, index)
        return picked


def seeds_of(run_ids: pd.Series) -> np.ndarray:
    """One deterministic uint64 per result from its run id (pandas' fixed-key hash)."""
    return pd.util.hash_pandas_object(pd.Series(run_ids, dtype="string").reset_index(drop=True), index=False).to_numpy(
        dtype=np.uint64
    )


# The published rule's functions, for callers that need no object.
def star_bands(lo: float, hi: float) -> list[float]:
    """The four inner band edges from lo to hi, as the formula gives them (also for lo == hi)."""
    width = (hi - lo) / N_BANDS
    return [lo + k * width for k in range(1, N_BANDS)]


def stars_from_energy(energy: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``RULE.stars``."""
    return RULE.stars(energy, lo, hi)


def rate(df: pd.DataFrame, group_columns: tuple[str, ...] = GROUP_COLUMNS) -> pd.DataFrame:
    """``RULE.rate``."""
    return RULE.rate(df, group_columns)

"""How sure a result's GPU energy is: its relative standard uncertainty and where that figure comes from.

Every result has one of three sources, taken in this order (SPEC §4, "How sure a star is"):

* ``repeats``: its own complete repeats in its logs (this runner's ``values_wh_per_1k``,
  optimum-benchmark's ``measures``): the coefficient of variation (sample standard deviation / mean)
  of the repeats' totals, n stated; two repeats at least.
* ``harness``: the run-to-run spread measured for the harness that measured it (``HARNESS_SPREADS``:
  the figure, the number of runs and where they are in this repository).
* ``unknown``: neither is on record. Shown as unknown, never as zero, and a rating group holding an
  unknown result has unknown star probabilities (``leaderboard.rating``).

Decided here: the uncertainty of a result measured as the mean of n repeats is the spread of **one**
repeat, not that spread divided by √n. Repeats of one run share the machine, its clocks and its drift,
so averaging them does not cancel what differs from one run (or machine) to the next; the measured
run-to-run spreads below are several times the within-run ones. This never claims more certainty
than the measurements carry.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leaderboard.harnesses import (
    AIEB_PYTORCH,
    AIEB_VLLM,
    ENERGY_STAR,
    ENERGY_STAR_DEV,
    RUNNER_GENERATE,
    RUNNER_GRAPH,
    UNRECORDED,
    harness_name,
)

REPEATS = "repeats"
HARNESS = "harness"
UNKNOWN = "unknown"
SOURCES = (REPEATS, HARNESS, UNKNOWN)
# A star whose probability is below this is "not sure" (shown with its likeliest alternative).
SURE_P = 0.9
MIN_REPEATS = 2
# Dataset columns (``leaderboard.schema.COLUMNS`` declares them).
REL_COLUMN = "energy_rel_uncertainty"
SOURCE_COLUMN = "uncertainty_source"
N_COLUMN = "uncertainty_n"
NOTE_COLUMN = "uncertainty_note"


@dataclass(frozen=True)
class HarnessSpread:
    """The run-to-run spread of one harness: ``rel_sd`` the largest coefficient of variation over the
    configurations measured (None: no repeat runs on record), ``runs`` the runs of that configuration,
    ``measured`` the configurations with their own figures, ``where`` the folders that hold the runs."""

    harness: str
    rel_sd: float | None
    runs: int
    measured: str
    where: str


_HARNESS_RUNS = "bench/gpu/results/harnesses-{a,b,c}/runs (python bench/gpu/report.py --harnesses)"
# Figures recomputed from the committed runs by tests/test_uncertainty.py; keep them in step.
HARNESS_SPREADS: tuple[HarnessSpread, ...] = (
    HarnessSpread(
        AIEB_PYTORCH,
        0.127,
        3,
        "gpt2 shape 12.7% (3 runs), Llama-3.2-1B shape 6.9% (3 runs); 100 prompts, NVIDIA H200, three machines",
        _HARNESS_RUNS,
    ),
    HarnessSpread(
        RUNNER_GENERATE,
        0.184,
        2,
        "gpt2 7.9% (3 runs), Llama-3.2-1B shape 18.4% (2 runs); NVIDIA H200",
        _HARNESS_RUNS,
    ),
    HarnessSpread(
        RUNNER_GRAPH,
        0.057,
        3,
        "gpt2 1.1% (3 runs), Llama-3.2-1B shape 5.7% (3 runs); NVIDIA H200, two machines",
        _HARNESS_RUNS,
    ),
    HarnessSpread(
        ENERGY_STAR_DEV,
        None,
        0,
        "no two runs of one model on record; the 8 complete repeats inside the one reference run agree within "
        "0.2%, but repeats inside one run do not show what differs between runs",
        "reference/optimum-benchmark",
    ),
    HarnessSpread(ENERGY_STAR, None, 0, "no repeat runs on record", ""),
    HarnessSpread(AIEB_VLLM, None, 0, "no repeat runs on record", ""),
    HarnessSpread(UNRECORDED, None, 0, "the harness is not recorded", ""),
)
SPREAD_BY_HARNESS: dict[str, HarnessSpread] = {h.harness: h for h in HARNESS_SPREADS}


@dataclass(frozen=True)
class Uncertainty:
    """A result's relative standard uncertainty (``rel``: 0.127 = 12.7%; None: unknown), its source
    (``SOURCES``), the repeats or runs it rests on (``n``) and a note for people."""

    rel: float | None
    source: str
    n: int | None
    note: str

    def short(self) -> str:
        """'±12.7%' or 'unknown'."""
        return f"±{self.rel * 100:.1f}%" if self.rel is not None else "unknown"

    def words(self) -> str:
        """'±12.7%, from its 8 repeats' / '±12.7%, assumed from 3 runs of its harness' / 'unknown'."""
        if self.rel is None:
            return "unknown"
        if self.source == REPEATS:
            return f"{self.short()}, from its {self.n} repeats"
        return f"{self.short()}, assumed from {self.n} runs of its harness"

    def detail(self) -> str:
        """``words`` and how the figure was obtained (a tooltip)."""
        return f"{self.words()} ({self.note})" if self.note else self.words()


def from_repeats(totals_wh_per_1k: Sequence[float]) -> Uncertainty | None:
    """The spread of a result's own complete repeats (their totals, Wh per 1,000 queries), or None with
    fewer than ``MIN_REPEATS`` or a non-positive mean."""
    values = [float(v) for v in totals_wh_per_1k if math.isfinite(float(v))]
    if len(values) < MIN_REPEATS:
        return None
    mean = statistics.fmean(values)
    if not mean > 0:
        return None
    rel = statistics.stdev(values) / mean
    return Uncertainty(round(rel, 6), REPEATS, len(values), f"coefficient of variation of {len(values)} repeats")


def of_harness(harness: str | None) -> Uncertainty:
    """The harness's measured run-to-run spread, else unknown (with why)."""
    spread = SPREAD_BY_HARNESS.get(harness or UNRECORDED)
    if spread is None:
        return Uncertainty(None, UNKNOWN, None, f"no repeat runs of {harness_name(harness)} on record")
    if spread.rel_sd is None:
        return Uncertainty(None, UNKNOWN, None, f"{harness_name(spread.harness)}: {spread.measured}")
    return Uncertainty(spread.rel_sd, HARNESS, spread.runs, f"{harness_name(spread.harness)}: {spread.measured}")


def row_uncertainty(rel: object, source: object, n: object, note: object, harness: object) -> Uncertainty:
    """A dataset row's uncertainty: its stored figure where it has one, else its harness's."""
    if isinstance(source, str) and source == REPEATS and _number(rel) is not None:
        return Uncertainty(_number(rel), REPEATS, _count(n), note if isinstance(note, str) else "")
    return of_harness(harness if isinstance(harness, str) else None)


def assign(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the four uncertainty columns filled for every row (``row_uncertainty``): a stored
    repeats figure is kept, every other row takes its harness's spread or unknown."""
    out = frame.copy()
    rows = [
        row_uncertainty(rel, source, n, note, harness)
        for rel, source, n, note, harness in zip(
            _column(out, REL_COLUMN),
            _column(out, SOURCE_COLUMN),
            _column(out, N_COLUMN),
            _column(out, NOTE_COLUMN),
            out["harness"],
            strict=True,
        )
    ]
    out[REL_COLUMN] = pd.array([u.rel if u.rel is not None else np.nan for u in rows], dtype="float64")
    out[SOURCE_COLUMN] = pd.array([u.source for u in rows], dtype="string")
    out[N_COLUMN] = pd.array([u.n for u in rows], dtype="Int64")
    out[NOTE_COLUMN] = pd.array([u.note for u in rows], dtype="string")
    return out


def of_values(rel: object, source: object, n: object, note: object) -> Uncertainty:
    """The uncertainty of a frame row that went through ``assign``, from its four columns."""
    return Uncertainty(
        _number(rel),
        source if isinstance(source, str) and source in SOURCES else UNKNOWN,
        _count(n),
        note if isinstance(note, str) else "",
    )


def _column(frame: pd.DataFrame, name: str) -> list[object]:
    return list(frame[name]) if name in frame.columns else [None] * len(frame)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _count(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def sureness_words(stars: int, p_stars: Sequence[float] | None, provisional: bool) -> str:
    """How sure a star is, in the few words a label has room for: '4★ is 97% likely', '4★ 56% · 3★ 42%',
    'How sure: unknown', 'Provisional: nothing to compare'."""
    from leaderboard.formatting import percent

    if provisional:
        return "Provisional: nothing to compare"
    if p_stars is None or any(math.isnan(p) for p in p_stars):
        return "How sure: unknown"
    shown = p_stars[stars - 1]
    if shown >= SURE_P:
        return f"{stars}★ is {percent(shown)} likely"
    other, p_other = likeliest_other(stars, p_stars)
    return f"{stars}★ {percent(shown)} likely · {other}★ {percent(p_other)}"


def likeliest_other(stars: int, p_stars: Sequence[float]) -> tuple[int, float]:
    """The likeliest star other than ``stars`` (P(1..MAX_STARS) in ``p_stars``), and its probability."""
    p, s = max((p, s) for s, p in enumerate(p_stars, start=1) if s != stars)
    return s, p

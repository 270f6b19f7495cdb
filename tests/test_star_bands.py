"""The band edges charts draw (``leaderboard.rating.star_bands``): values, and agreement with the star rule."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaderboard.rating import star_bands, stars_from_energy


@pytest.mark.parametrize(
    "lo, hi, edges",
    [
        (0.0, 10.0, [2.0, 4.0, 6.0, 8.0]),
        (1.0, 11.0, [3.0, 5.0, 7.0, 9.0]),  # a group that does not start at zero
        (100.0, 150.0, [110.0, 120.0, 130.0, 140.0]),
        (1.3133, 3426.3818, [686.32700, 1371.34070, 2056.35440, 2741.36810]),  # text generation, February 2025
        (5.0, 5.0, [5.0, 5.0, 5.0, 5.0]),  # one value: no width
    ],
)
def test_band_edges(lo, hi, edges):
    assert star_bands(lo, hi) == pytest.approx(edges, rel=1e-9)


@given(
    st.floats(min_value=1e-3, max_value=1e4, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1e3, allow_nan=False),
)
def test_band_edges_are_where_the_stars_change(lo, spread):
    width = lo * spread  # groups spread by at least 0.1% (float rounding decides narrower ones)
    hi = lo + width
    edges = star_bands(lo, hi)
    assert len(edges) == 4 and edges == sorted(edges) and lo < edges[0] and edges[-1] < hi
    assert np.diff([lo, *edges, hi]) == pytest.approx([width / 5] * 5, rel=1e-6)
    # A value on edge k has 4 - k stars, and just below it one more (the rule the charts illustrate).
    on_edge, _ = stars_from_energy(np.array(edges), np.full(4, lo), np.full(4, hi))
    assert list(on_edge) == [4, 3, 2, 1]
    below, _ = stars_from_energy(np.array(edges) - width * 1e-3, np.full(4, lo), np.full(4, hi))
    assert list(below) == [5, 4, 3, 2]

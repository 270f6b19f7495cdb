"""The star rule's float tolerance is relative to the group's magnitude (``leaderboard.rating``)."""

import numpy as np
import pytest

from leaderboard.rating import EDGE_TOLERANCE, stars_from_energy


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e3, 1e6])
def test_energies_equal_but_for_float_rounding_are_a_tie_at_any_magnitude(scale):
    lo = 1.0 * scale
    hi = lo * (1 + EDGE_TOLERANCE / 10)  # closer than the tolerance, relative to the energies
    stars, provisional = stars_from_energy(np.array([lo, hi]), np.array([lo, lo]), np.array([hi, hi]))
    assert list(provisional) == [True, True] and list(stars) == [5, 5]
    apart = lo * (1 + EDGE_TOLERANCE * 10)  # farther than the tolerance: a real range
    stars, provisional = stars_from_energy(np.array([lo, apart]), np.array([lo, lo]), np.array([apart, apart]))
    assert list(provisional) == [False, False] and list(stars) == [5, 1]

"""The viewshed sweep on tiny grids: walls hide, slopes show, the range clips."""

import numpy as np
import pytest

from twin.coverage.algorithms.viewshed import Observer, viewshed


def test_a_wall_hides_what_lies_behind_it_and_nothing_else():
    z = np.zeros((9, 9))
    z[:, 6] = 30.0
    seen = viewshed(z, Observer(4, 4, 2.0), cell_m=10.0, curvature=0.0)
    assert seen[:, :6].all()
    assert seen[4, 6]
    assert not seen[:, 7:].any()


def test_a_slope_rising_away_from_the_observer_is_seen_whole():
    z = np.tile(np.arange(20, dtype=float) ** 2, (5, 1))
    seen = viewshed(z, Observer(2, 0, 1.0), cell_m=10.0, curvature=0.0)
    assert seen.all()


def test_earth_curvature_hides_low_ground_far_away():
    z = np.zeros((1, 2001))
    flat = viewshed(z, Observer(0, 0, 2.0), cell_m=50.0, curvature=0.0)
    curved = viewshed(z, Observer(0, 0, 2.0), cell_m=50.0, target_height_m=0.0)
    assert flat.all()
    assert curved[0, :40].all() and not curved[0, -1]


def test_max_distance_clips_a_circle():
    seen = viewshed(np.zeros((41, 41)), Observer(20, 20, 10.0), cell_m=10.0, max_distance_m=100.0)
    assert seen[20, 30] and not seen[20, 31] and not seen[28, 28]


def test_an_observer_off_the_grid_is_refused():
    with pytest.raises(ValueError, match="outside"):
        viewshed(np.zeros((3, 3)), Observer(5, 0, 1.0), cell_m=1.0)

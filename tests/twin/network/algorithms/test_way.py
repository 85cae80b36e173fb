"""Distance and compass direction to a device (twin.network.algorithms.way)."""

from __future__ import annotations

import math

import pytest

from twin.network.algorithms.way import (
    COMPASS,
    bearing_deg,
    compass_point,
    distance_m,
    way,
)

HERE = (106.1946, 21.2731)  # Bắc Giang city centre (lon, lat)


def test_one_thousandth_of_a_degree_of_latitude_is_about_111_m():
    assert distance_m(HERE, (HERE[0], HERE[1] + 0.001)) == pytest.approx(111.2, abs=0.1)


def test_a_degree_of_longitude_shrinks_with_the_cosine_of_latitude():
    east = distance_m(HERE, (HERE[0] + 0.001, HERE[1]))
    assert east == pytest.approx(111.19 * math.cos(math.radians(HERE[1])), rel=1e-3)


def test_distance_is_symmetric_and_zero_on_the_spot():
    there = (106.21, 21.29)
    assert distance_m(HERE, there) == pytest.approx(distance_m(there, HERE))
    assert distance_m(HERE, HERE) == 0.0


@pytest.mark.parametrize(
    ("offset", "bearing", "point"),
    [
        ((0, 0.001), 0, "n"),
        ((0.001, 0), 90, "e"),
        ((0, -0.001), 180, "s"),
        ((-0.001, 0), 270, "w"),
    ],
)
def test_bearings_of_the_four_cardinal_points(offset, bearing, point):
    there = (HERE[0] + offset[0], HERE[1] + offset[1])
    assert bearing_deg(HERE, there) == pytest.approx(bearing, abs=0.01)
    assert compass_point(bearing_deg(HERE, there)) == point


def test_north_east_of_a_device_320_m_away():
    there = (HERE[0] + 0.00215, HERE[1] + 0.00203)
    found = way(HERE, there)
    assert found["compass"] == "ne"
    assert 300 < found["distance_m"] < 330


def test_compass_points_split_the_circle_in_eight_equal_sectors():
    assert [compass_point(45 * i) for i in range(8)] == list(COMPASS)
    assert compass_point(22.4) == "n" and compass_point(22.6) == "ne"
    assert compass_point(359.9) == "n" and compass_point(-90) == "w"

"""Pure functions of the map queries."""

from __future__ import annotations

import pytest

from twin.maps.lookup import metres_per_pixel


def test_a_pixel_halves_with_each_zoom_and_shrinks_with_latitude():
    assert metres_per_pixel(0, 0) == pytest.approx(156543.03392)
    assert metres_per_pixel(21.27, 18) == pytest.approx(metres_per_pixel(21.27, 17) / 2)
    assert metres_per_pixel(21.27, 18) == pytest.approx(0.5565, abs=1e-3)

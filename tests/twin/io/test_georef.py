"""Placing sources on the earth: --crs, declared systems and local model grids."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import CRS, Geod
from shapely.geometry import Point

from twin.errors import InvalidInput
from twin.io.georef import LocalGrid, resolve_crs, to_storage

GEOD = Geod(ellps="WGS84")


def test_a_local_grid_puts_the_anchor_on_the_origin_and_keeps_distances():
    grid = LocalGrid.parse("106.2,21.28", "ft", "4000,4000")
    crs, text, problems = resolve_crs(None, crs=grid, local=True)
    assert problems == [] and "0.3048 m per unit" in text
    a, b = to_storage(np.array([Point(4000, 4000), Point(4000 + 3280.84, 4000)]), crs)
    assert (a.x, a.y) == pytest.approx((106.2, 21.28), abs=1e-9)
    assert GEOD.inv(a.x, a.y, b.x, b.y)[2] == pytest.approx(1000.0, rel=1e-4)


def test_without_an_anchor_the_centre_of_the_data_lands_on_the_origin():
    crs, _, _ = resolve_crs(
        None, crs=LocalGrid.parse("106.2,21.28", "2.5"), local=True, extent=(0, 0, 200, 100)
    )
    (p,) = to_storage(np.array([Point(100, 50)]), crs)
    assert (p.x, p.y) == pytest.approx((106.2, 21.28), abs=1e-9)


def test_model_coordinates_without_placement_are_a_problem():
    crs, _, problems = resolve_crs(None, local=True)
    assert crs is None and problems[0].rule == "crs_required"


def test_the_users_crs_wins_over_the_declared_one():
    crs, text, _ = resolve_crs(CRS.from_epsg(4326), crs="vn2000:bac-giang")
    assert crs.to_epsg() == 9214 and text.endswith("(--crs)")
    declared, text, _ = resolve_crs(CRS.from_epsg(3405))
    assert declared.to_epsg() == 3405 and "declared by the file" in text
    assumed, text, _ = resolve_crs(None)
    assert assumed.to_epsg() == 4326 and "assumed" in text


@pytest.mark.parametrize("origin,units", [("106,x", "m"), ("200,21", "m"), ("106,21", "yards")])
def test_bad_placement_options_are_refused(origin, units):
    with pytest.raises(InvalidInput):
        LocalGrid.parse(origin, units)

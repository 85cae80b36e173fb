"""Catchments derived around inlets, imperviousness from buildings and roads."""

from __future__ import annotations

import pytest
import shapely

from twin.simulation import drainage_standards
from twin.simulation.algorithms.drainage_catchments import derive_catchments

LAT = 21.27
DEG_M = 110_574.0  # metres per degree of latitude


def _at(x_m: float, y_m: float) -> tuple[float, float]:
    import math

    return (106.2 + x_m / (111_320.0 * math.cos(math.radians(LAT))), LAT + y_m / DEG_M)


def _square(x_m, y_m, side_m):
    (x0, y0), (x1, y1) = _at(x_m, y_m), _at(x_m + side_m, y_m + side_m)
    return shapely.box(x0, y0, x1, y1).wkb


def test_two_inlets_split_the_ground_and_the_paved_share_is_measured():
    std = dict(drainage_standards())
    std["catchment.cell_max_m"] = 100.0
    features = {"drainage_inlet": [{"code": "A", "xy": _at(0, 0)},
                                   {"code": "B", "xy": _at(400, 0)}]}
    # A 40 m square building beside A; nothing paved near B.
    surfaces = {"buildings": [_square(10, 10, 40)], "roads": []}
    rows = {r["outlet"]: r for r in derive_catchments(features, surfaces, std)}
    assert set(rows) == {"A", "B"}
    disc = 3.14159 * 100**2  # far apart: each cell is the 100 m disc around its inlet
    assert rows["A"]["area_m2"] == pytest.approx(disc, rel=0.01)
    assert rows["A"]["derived_impervious_pct"] == pytest.approx(100 * 1600 / disc, rel=0.02)
    assert rows["B"]["derived_impervious_pct"] == 0


def test_roads_count_with_their_width():
    std = dict(drainage_standards())
    std["catchment.cell_max_m"] = 100.0
    features = {"drainage_inlet": [{"code": "A", "xy": _at(0, 0)},
                                   {"code": "B", "xy": _at(1000, 0)}]}
    road = shapely.LineString([_at(-50, 0), _at(50, 0)]).wkb
    rows = derive_catchments(features, {"buildings": [], "roads": [(road, 8.0)]}, std)
    a = next(r for r in rows if r["outlet"] == "A")
    paved = 100 * 8 + 3.14159 * 4**2  # the buffered line's round ends
    assert a["derived_impervious_pct"] == pytest.approx(100 * paved / a["area_m2"], rel=0.03)

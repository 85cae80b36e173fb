import numpy as np
import pytest
from shapely import LineString, Point

from layers import feature_type
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.zoning.asset_source import load_assets, load_existing_roads

from .places import CRS, X0, Y0, lonlat, shifted

pytestmark = pytest.mark.db

FAR = (106.6, 21.6)  # about 50 km from the origin


def add(session, table, geometry_m, **properties):
    ft = feature_type(table)
    result = create_feature(
        session, table, sample_properties(ft, **properties), lonlat(shifted(geometry_m)), user="t"
    )
    return result.feature["id"]


def by_code(table, code):
    index = list(table.codes).index(code)
    return {
        "type": table.feature_types[index],
        "class": table.classes[index],
        "placement": table.placements[index],
        "status": table.statuses[index],
        "depth": table.depth_m[index],
        "elevation": table.elevation_m[index],
        "dn": table.diameter_mm[index],
        "geometry": table.geometries[index],
    }


def test_assets_come_with_class_placement_status_and_sizes_in_metres(session):
    pipe = add(session, "water_pipe", LineString([(0, 0), (100, 0)]), depth_m=1.2, diameter_mm=300)
    sewer = add(
        session,
        "drainage_conduit",
        LineString([(0, 10), (100, 10)]),
        system="sewer",
        diameter_mm=400,
        invert_up_m=10.0,
        invert_down_m=9.0,
    )
    storm = add(session, "drainage_conduit", LineString([(0, 20), (100, 20)]), system="storm")
    fiber = add(session, "telecom_cable", LineString([(0, 30), (100, 30)]), status="planned")
    line = add(session, "power_line", LineString([(0, 40), (100, 40)]), placement="overhead")
    tree = add(session, "trees_tree", Point(50, 50))
    add(session, "water_pipe", LineString([(0, 60), (100, 60)]), status="abandoned")

    table = load_assets(session, CRS)
    assert len(table) == 6
    assert by_code(table, pipe)["class"] == "water"
    assert by_code(table, pipe)["depth"] == pytest.approx(1.2)
    assert by_code(table, pipe)["geometry"].length == pytest.approx(100, abs=0.01)
    assert by_code(table, pipe)["geometry"].bounds[0] == pytest.approx(X0, abs=0.01)
    assert (by_code(table, sewer)["class"], by_code(table, sewer)["elevation"]) == (
        "sewer",
        pytest.approx(9.7),
    )
    assert by_code(table, storm)["class"] == "storm"
    assert (by_code(table, fiber)["class"], by_code(table, fiber)["status"]) == (
        "telecom",
        "planned",
    )
    assert by_code(table, line)["placement"] == "overhead"
    assert (by_code(table, tree)["placement"], by_code(table, tree)["class"]) == ("surface", "")
    assert np.all(table.statuses[table.codes != fiber] == "existing")


def test_assets_are_read_within_the_bounds_only(session):
    near = add(session, "trees_tree", Point(10, 10))
    create_feature(
        session, "trees_tree", sample_properties(feature_type("trees_tree")), Point(*FAR), user="t"
    )
    west, south = lonlat(shifted(Point(-50, -50))).coords[0]
    east, north = lonlat(shifted(Point(50, 50))).coords[0]
    table = load_assets(session, CRS, bounds=(west, south, east, north))
    assert list(table.codes) == [near]


def test_existing_roads_are_buffered_by_half_their_width(session):
    ft = feature_type("base_road")
    road = LineString([(X0, Y0), (X0 + 100, Y0)])
    create_feature(
        session, "base_road", sample_properties(ft, width_m=12.0), lonlat(road), user="t"
    )
    (polygon,) = load_existing_roads(session, CRS)
    assert polygon.area == pytest.approx(1200, rel=1e-3)

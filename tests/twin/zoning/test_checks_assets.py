import numpy as np
import pytest
from shapely import LineString, MultiPolygon, Point, box

from twin.zoning.assets import AssetTable, asset_table
from twin.zoning.checks_assets import (
    assets_in_planned_buildings,
    check_assets_against_plan,
    fiber_in_restricted_zones,
    trees_and_poles_in_road_widening,
)
from twin.zoning.model import Asset

from .drawing import kinds, make_plan

# A planned school east of a widened road (x 80-120); today's road is x 95-105, with a
# side street (y 5-15) that the school closes.
PLAN = {
    "homes": ("ODT", box(0, 0, 80, 100)),
    "road": ("DGT", box(80, 0, 120, 100)),
    "school": ("DGD", box(120, 0, 220, 100)),
    "barracks": ("CQP", box(220, 0, 320, 100)),
}
TODAY_ROAD = [box(95, 0, 105, 100), box(105, 5, 220, 15)]


def plan():
    return make_plan("Z", PLAN)


def pipe(code, coords, **fields):
    return Asset(code, fields.pop("feature_type", "water_pipe"), LineString(coords), **fields)


def test_assets_along_roads_raise_nothing_but_a_cable_through_the_school():
    assets = [
        pipe("W-road", [(100, -50), (100, 150)]),
        pipe("W-edge", [(120.5, -50), (120.5, 150)]),  # under the pavement, within edge_m
        Asset("T-road", "tree", Point(96, 50)),
        Asset("T-park", "tree", Point(150, 50), status="planned"),
        pipe("F-road", [(100, 10), (200, 10)], feature_type="fiber_cable", status="existing"),
    ]
    findings = check_assets_against_plan(plan(), assets, existing_roads=TODAY_ROAD)
    assert kinds(findings) == ["asset_in_planned_building"]  # only the existing fiber
    assert findings[0].involved == ("asset:F-road", "zone:Z/school")
    assert findings[0].length_m == pytest.approx(80.0)  # in the school, on the side street


def test_with_todays_roads_only_networks_under_a_street_built_over_count():
    across_block = pipe("P-block", [(130, 50), (210, 90)], feature_type="power_line")
    under_street = pipe("W-side", [(100, 8), (200, 8)])
    findings = assets_in_planned_buildings(
        plan(), [across_block, under_street], existing_roads=TODAY_ROAD
    )
    assert [f.involved[0] for f in findings] == ["asset:W-side"]
    assert "runs under a road" in findings[0].rule
    without_roads = assets_in_planned_buildings(plan(), [across_block, under_street])
    assert sorted(f.involved[0] for f in without_roads) == ["asset:P-block", "asset:W-side"]


def test_pipe_under_a_planned_school():
    (finding,) = assets_in_planned_buildings(plan(), [pipe("W1", [(150, -10), (150, 110)])])
    assert finding.kind == "asset_in_planned_building"
    assert finding.involved == ("asset:W1", "zone:Z/school")
    assert finding.length_m == pytest.approx(100.0)
    assert finding.details["code"] == "DGD"


def test_short_pipe_end_inside_a_building_plot_is_ignored():
    sticking_in = pipe("W2", [(100, 50), (121.8, 50)])  # 1.8 m in, 0.8 m past edge_m
    assert assets_in_planned_buildings(plan(), [sticking_in]) == []


def test_network_node_under_a_planned_building_is_reported():
    valve = Asset("V1", "water_pipe", Point(160, 50))
    (finding,) = assets_in_planned_buildings(plan(), [valve])
    assert finding.length_m is None


def test_trees_and_poles_in_the_road_widening():
    assets = [
        Asset("T1", "tree", Point(85, 50)),
        Asset("P1", "light_pole", Point(115, 20)),
        Asset("T2", "tree", Point(100, 50)),
        Asset("T3", "tree", Point(50, 50)),
    ]
    findings = trees_and_poles_in_road_widening(plan(), assets, existing_roads=TODAY_ROAD)
    assert kinds(findings) == ["pole_in_road_widening", "tree_in_road_widening"]
    assert {f.involved[0] for f in findings} == {"asset:T1", "asset:P1"}


def test_existing_roads_may_come_as_one_multipolygon():
    roads = MultiPolygon(TODAY_ROAD)
    trees = [Asset("T1", "tree", Point(85, 50)), Asset("T2", "tree", Point(100, 50))]
    findings = trees_and_poles_in_road_widening(plan(), trees, existing_roads=roads)
    assert [f.involved[0] for f in findings] == ["asset:T1"]


def test_without_existing_roads_the_whole_road_land_counts():
    findings = trees_and_poles_in_road_widening(plan(), [Asset("T2", "tree", Point(100, 50))])
    assert kinds(findings) == ["tree_in_road_widening"]


def test_planned_fiber_through_defence_land():
    route = pipe("F1", [(230, 50), (310, 50)], feature_type="fiber_cable", status="planned")
    (finding,) = fiber_in_restricted_zones(plan(), [route])
    assert finding.kind == "fiber_in_restricted_zone"
    assert finding.involved == ("asset:F1", "zone:Z/barracks")
    assert finding.length_m == pytest.approx(80.0)


def test_assets_outside_the_plan_are_left_alone():
    far = [pipe("W9", [(5000, 0), (5100, 0)]), Asset("T9", "tree", Point(5000, 5))]
    assert check_assets_against_plan(plan(), far) == []


def test_asset_table_from_columns_matches_records():
    records = [
        pipe("W1", [(150, -10), (150, 110)], diameter_mm=200, depth_m=1.2),
        Asset("T1", "tree", Point(85, 50)),
    ]
    table = AssetTable.from_columns(
        codes=["W1", "T1"],
        feature_types=["water_pipe", "tree"],
        geometries=[r.geometry for r in records],
        diameter_mm=[200, np.nan],
        depth_m=[1.2, np.nan],
    )
    from_records = asset_table(records)
    assert list(table.classes) == list(from_records.classes) == ["water", ""]
    np.testing.assert_array_equal(table.diameter_mm, from_records.diameter_mm)
    assert asset_table(table) is table
    assert kinds(check_assets_against_plan(plan(), table)) == [
        "asset_in_planned_building",
        "tree_in_road_widening",
    ]

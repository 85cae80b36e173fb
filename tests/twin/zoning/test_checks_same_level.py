import pytest
from shapely import LineString, box

from twin.errors import InvalidInput
from twin.zoning.checks_same_level import (
    are_neighbours,
    check_same_level,
    incompatible_neighbours,
    line_mismatches,
    plan_overlaps,
)
from twin.zoning.model import Corridor

from .drawing import kinds, make_plan

# Two zoning plans meeting along x = 100, with a 20 m road (y 100-120) crossing the seam.
WEST_ZONES = {
    "w1": ("ODT", box(0, 0, 100, 100)),
    "road": ("DGT", box(0, 100, 100, 120)),
    "w2": ("ODT", box(0, 120, 100, 220)),
}
WEST_RED = {"r-south": [(0, 100), (100, 100)], "r-north": [(0, 120), (100, 120)]}


def west(**overrides):
    return make_plan("W", {**WEST_ZONES, **overrides}, red_lines=WEST_RED)


EAST_ZONES = {
    "e1": ("DGD", box(100, 0, 200, 100)),
    "road": ("DGT", box(100, 100, 200, 120)),
    "e2": ("TMD", box(100, 120, 200, 220)),
}
EAST_RED = {"s-south": [(100, 100), (200, 100)], "s-north": [(100, 120), (200, 120)]}


def east(zones=None, red_lines=None):
    return make_plan(
        "E", zones or EAST_ZONES, red_lines=EAST_RED if red_lines is None else red_lines
    )


def test_clean_pair_has_no_finding():
    assert are_neighbours(west(), east())
    assert check_same_level(west(), east()) == []


def test_far_apart_plans_are_not_compared():
    far = make_plan("F", {"f": ("SKK", box(1000, 0, 1100, 100))})
    assert not are_neighbours(west(), far)
    assert check_same_level(west(), far) == []


def test_plans_of_different_levels_are_refused():
    with pytest.raises(InvalidInput) as error:
        check_same_level(west(), make_plan("D", level="detailed"))
    assert error.value.problems[0].field == "level"


def test_overlapping_plans_report_the_land_planned_twice():
    intruding = east(
        zones={
            "e1": ("DGD", box(95, 0, 200, 100)),
            "road": ("DGT", box(100, 100, 200, 120)),
            "e2": ("TMD", box(100, 120, 200, 220)),
        }
    )
    (finding,) = plan_overlaps(west(), intruding)
    assert finding.kind == "plan_overlap"
    assert finding.plan_ids == ("E", "W")
    assert finding.involved == ("zone:E/e1", "zone:W/w1")
    assert finding.area_m2 == pytest.approx(500.0)


def test_housing_across_the_seam_from_an_industrial_park_is_incompatible():
    industrial = east(
        zones={
            "e1": ("SKK", box(100, 0, 200, 100)),
            "road": ("DGT", box(100, 100, 200, 120)),
            "e2": ("TMD", box(100, 120, 200, 220)),
        }
    )
    (finding,) = incompatible_neighbours(west(), industrial)
    assert finding.kind == "incompatible_neighbour"
    assert finding.involved == ("zone:E/e1", "zone:W/w1")
    assert finding.length_m == pytest.approx(100.0, abs=2.0)
    assert "isolation" in finding.rule


def test_corner_contact_is_not_a_shared_boundary():
    corner = east(zones={"e1": ("SKK", box(100, -100, 200, 0))}, red_lines={})
    assert incompatible_neighbours(west(), corner) == []


@pytest.mark.parametrize(
    ("offset_m", "expected"),
    [
        (0.4, []),
        (0.6, ["red_line_mismatch"]),
        (3.0, ["red_line_mismatch"]),
    ],
)
def test_red_lines_must_join_within_tolerance(offset_m, expected):
    shifted = east(
        red_lines={
            "s-south": [(100, 100 + offset_m), (200, 100 + offset_m)],
            "s-north": [(100, 120), (200, 120)],
        }
    )
    findings = line_mismatches(west(), shifted)
    assert kinds(findings) == expected
    if findings:
        (finding,) = findings
        assert finding.involved == ("red_line:E/s-south", "red_line:W/r-south")
        assert finding.length_m == pytest.approx(offset_m)
        assert finding.details["offset_m"] == pytest.approx(offset_m)


def test_red_line_stopping_at_the_seam_is_a_mismatch():
    dead_end = east(red_lines={"s-north": [(100, 120), (200, 120)]})
    (finding,) = line_mismatches(west(), dead_end)
    assert finding.involved == ("red_line:W/r-south",)
    assert finding.length_m is None
    assert (finding.geometry.x, finding.geometry.y) == (100.0, 100.0)


def test_utility_corridors_must_join_too():
    west_plan = make_plan(
        "W",
        WEST_ZONES,
        red_lines=WEST_RED,
        corridors=[Corridor("c1", "power_110kv", LineString([(0, 50), (100, 50)]), width_m=15)],
    )
    east_plan = make_plan(
        "E",
        EAST_ZONES,
        red_lines=EAST_RED,
        corridors=[Corridor("k1", "power_110kv", LineString([(100, 53), (200, 53)]), width_m=15)],
    )
    (finding,) = check_same_level(west_plan, east_plan)
    assert finding.kind == "corridor_mismatch"
    assert finding.involved == ("corridor:E/k1", "corridor:W/c1")
    assert finding.length_m == pytest.approx(3.0)

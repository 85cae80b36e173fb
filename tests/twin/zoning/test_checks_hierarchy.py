import pytest
from shapely import box

from twin.errors import InvalidInput
from twin.zoning.checks_hierarchy import (
    check_against_higher,
    land_use_conflicts,
    roads_not_followed,
)

from .drawing import make_plan

# A general plan: a park west of x = 100, housing east of it, one road along y = 50.
GENERAL = {"park": ("DKV", box(0, 0, 100, 100)), "housing": ("ODT", box(100, 0, 300, 100))}
GENERAL_ROAD = {"g-road": [(0, 50), (300, 50)]}


def general(red_lines=GENERAL_ROAD):
    return make_plan("G", GENERAL, level="general", red_lines=red_lines)


def zoning(zones, red_lines=None):
    return make_plan("Z", zones, red_lines=red_lines or {"z-road": [(0, 48), (300, 48)]})


def test_clean_pair_has_no_finding():
    lower = zoning(
        {
            "green": ("DKV", box(0, 0, 100, 100)),
            "road": ("DGT", box(100, 40, 300, 60)),
            "homes": ("ODT", box(100, 0, 300, 40)),
            "school": ("DGD", box(100, 60, 300, 100)),
        }
    )
    assert check_against_higher(lower, general()) == []


def test_housing_inside_a_park_is_a_land_use_conflict():
    lower = zoning({"homes": ("ODT", box(0, 0, 60, 100)), "green": ("DKV", box(60, 0, 300, 100))})
    (finding,) = land_use_conflicts(lower, general())
    assert finding.kind == "land_use_conflict"
    assert finding.involved == ("zone:G/park", "zone:Z/homes")
    assert finding.area_m2 == pytest.approx(6000.0)
    message = finding.details["rule_message"]
    assert {k: v for k, v in finding.details.items() if k != "rule_message"} == {
        "lower_code": "ODT",
        "higher_code": "DKV",
    }
    # Stored in English, and as the message and its values for other languages.
    assert finding.rule == message["text"] % message["values"]
    assert finding.rule.startswith("ODT is not permitted inside the higher plan's DKV: ")


def test_detailed_road_inside_housing_is_allowed():
    lower = zoning({"road": ("DGT", box(100, 0, 300, 100)), "green": ("DKV", box(0, 0, 100, 100))})
    assert land_use_conflicts(lower, general()) == []


def test_drawing_differences_narrower_than_the_scale_tolerance_are_ignored():
    # The housing zone reaches 1.5 m into the park: below hierarchy_width_m (2 m).
    lower = zoning(
        {"green": ("DKV", box(0, 0, 98.5, 100)), "homes": ("ODT", box(98.5, 0, 300, 100))}
    )
    assert land_use_conflicts(lower, general()) == []


def test_road_of_the_higher_plan_must_be_followed():
    lower = zoning({"all": ("ODT", box(100, 0, 300, 100))}, red_lines={"z": [(100, 48), (180, 48)]})
    (finding,) = roads_not_followed(lower, general())
    assert finding.kind == "road_not_followed"
    assert finding.involved == ("red_line:G/g-road",)
    # The higher road runs on to x = 300; the lower edge stops at 180 and counts up to 185.
    assert finding.length_m == pytest.approx(115.0, abs=0.5)


def test_road_zones_stand_in_when_the_lower_plan_draws_no_red_lines():
    zones = {
        "homes": ("ODT", box(100, 0, 300, 45)),
        "road": ("DGT", box(100, 45, 300, 55)),
        "more": ("ODT", box(100, 55, 300, 100)),
    }
    lower = make_plan("Z", zones)
    assert roads_not_followed(lower, general()) == []


def test_a_plan_is_not_checked_against_a_lower_or_equal_level():
    with pytest.raises(InvalidInput) as error:
        check_against_higher(general(), zoning({"a": ("ODT", box(0, 0, 10, 10))}))
    assert error.value.problems[0].rule == "higher_level"

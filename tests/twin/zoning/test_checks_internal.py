import pytest
from shapely import Polygon, box

from twin.zoning.checks_internal import (
    check_plan_internal,
    gaps_and_slivers,
    invalid_geometries,
    unknown_codes,
    zone_overlaps,
)
from twin.zoning.tolerances import Tolerances

from .drawing import kinds, make_plan


def four_blocks(**overrides):
    """Four 100 m blocks meeting along shared edges: a clean plan."""
    zones = {
        "sw": ("ODT", box(0, 0, 100, 100)),
        "se": ("DGD", box(100, 0, 200, 100)),
        "nw": ("DGT", box(0, 100, 100, 200)),
        "ne": ("DKV", box(100, 100, 200, 200)),
    }
    zones.update(overrides)
    return make_plan("P", zones)


def test_clean_plan_has_no_finding():
    assert check_plan_internal(four_blocks()) == []


def test_partial_overlap_is_located_and_measured():
    plan = four_blocks(se=("DGD", box(90, 0, 200, 100)))
    (finding,) = zone_overlaps(plan)
    assert finding.kind == "overlap"
    assert finding.involved == ("zone:P/se", "zone:P/sw")
    assert finding.area_m2 == pytest.approx(1000.0)
    assert finding.geometry.bounds == (90.0, 0.0, 100.0, 100.0)
    assert "contained" not in finding.details


def test_full_containment_is_an_overlap_naming_both_zones():
    plan = four_blocks(pond=("MNC", box(20, 20, 40, 30)))
    (finding,) = zone_overlaps(plan)
    assert finding.area_m2 == pytest.approx(200.0)
    assert finding.details["contained"] == "zone:P/pond"
    assert finding.details["container"] == "zone:P/sw"
    assert "wholly inside" in finding.rule


def test_hole_between_zones_is_a_gap_with_its_neighbours():
    plan = four_blocks(sw=("ODT", box(0, 0, 100, 100).difference(box(40, 40, 60, 60))))
    (finding,) = gaps_and_slivers(plan)
    assert finding.kind == "gap"
    assert finding.area_m2 == pytest.approx(400.0)
    assert finding.involved == ("zone:P/sw",)


def test_island_inside_a_hole_is_not_part_of_the_gap():
    donut = box(0, 0, 100, 100).difference(box(20, 20, 80, 80))
    plan = four_blocks(sw=("ODT", donut), island=("DVH", box(40, 40, 60, 60)))
    (finding,) = gaps_and_slivers(plan)
    assert finding.area_m2 == pytest.approx(3600.0 - 400.0)


def _strip_plan(width_m):
    """Two blocks 100 m long with a strip ``width_m`` wide left between them."""
    return make_plan(
        "P",
        {
            "left": ("ODT", box(0, 0, 100, 100)),
            "right": ("ODT", box(100 + width_m, 0, 200, 100)),
            "top": ("DGT", box(0, 100, 200, 120)),
            "bottom": ("DGT", box(0, -20, 200, 0)),
        },
    )


@pytest.mark.parametrize(
    ("width_m", "expected"),
    [
        (0.09, []),  # just below the snap tolerance: digitising noise
        (0.11, ["sliver"]),  # just above it: a sliver
        (1.9, ["sliver"]),  # still nowhere wider than sliver_width_m
        (2.1, ["gap"]),  # wide enough to be forgotten land
    ],
)
def test_strip_between_zones_against_the_width_tolerances(width_m, expected):
    findings = gaps_and_slivers(_strip_plan(width_m), tolerances=Tolerances(snap_m=0.1))
    assert kinds(findings) == expected
    for finding in findings:
        assert finding.area_m2 == pytest.approx(100 * width_m)
        assert finding.involved == ("zone:P/bottom", "zone:P/left", "zone:P/right", "zone:P/top")


@pytest.mark.parametrize(("side_m", "expected"), [(0.95, []), (1.05, ["sliver"])])
def test_small_hole_against_the_area_tolerance(side_m, expected):
    plan = four_blocks(
        sw=("ODT", box(0, 0, 100, 100).difference(box(50, 50, 50 + side_m, 50 + side_m)))
    )
    assert kinds(gaps_and_slivers(plan, tolerances=Tolerances(min_area_m2=1.0))) == expected


def test_thin_overlap_below_snap_tolerance_is_noise():
    plan = four_blocks(se=("DGD", box(99.95, 0, 200, 100)))
    assert zone_overlaps(plan) == []


def test_boundary_not_covered_by_zones_is_a_gap():
    plan = make_plan("P", {"a": ("ODT", box(0, 0, 100, 100))}, boundary=box(0, 0, 150, 100))
    (finding,) = gaps_and_slivers(plan)
    assert finding.kind == "gap"
    assert finding.area_m2 == pytest.approx(5000.0)


def test_self_intersecting_zone_is_reported_where_it_crosses():
    bowtie = Polygon([(300, 0), (400, 100), (400, 0), (300, 100)])
    (finding,) = invalid_geometries(four_blocks(bad=("ODT", bowtie)))
    assert finding.kind == "invalid_geometry"
    assert (finding.geometry.x, finding.geometry.y) == (350.0, 50.0)
    assert "Self-intersection" in finding.details["reason"]


def test_non_polygon_zone_is_invalid_and_skipped_by_the_other_checks():
    plan = four_blocks(line=("ODT", box(0, 0, 10, 10).exterior))
    assert kinds(check_plan_internal(plan)) == ["invalid_geometry"]


def test_unknown_code_is_reported_but_legend_codes_are_mapped():
    plan = make_plan(
        "P",
        {
            "a": ("CX1", box(0, 0, 10, 10)),
            "b": ("ZZZ", box(10, 0, 20, 10)),
            "c": (None, box(20, 0, 30, 10)),
        },
        legend={"CX1": "DKV"},
    )
    findings = unknown_codes(plan)
    assert sorted(f.involved[0] for f in findings) == ["zone:P/b", "zone:P/c"]
    assert findings[0].area_m2 == pytest.approx(100.0)


def test_a_strip_between_zones_open_at_both_ends_is_a_gap():
    plan = make_plan("P", {"a": ("ODT", box(0, 0, 100, 100)), "b": ("DKV", box(104, 0, 200, 100))})
    (gap,) = gaps_and_slivers(plan)
    assert (gap.kind, gap.area_m2) == ("gap", pytest.approx(400))
    assert gap.geometry.equals(box(100, 0, 104, 100))


def test_a_strip_wider_than_the_slot_width_is_outside_the_plan():
    plan = make_plan("P", {"a": ("ODT", box(0, 0, 100, 100)), "b": ("DKV", box(104, 0, 200, 100))})
    assert gaps_and_slivers(plan, tolerances=Tolerances(slot_width_m=3)) == []


def test_the_outline_of_an_l_shaped_plan_leaves_no_gap():
    plan = make_plan(
        "P",
        {
            "a": ("ODT", box(0, 0, 100, 100)),
            "b": ("DKV", box(100, 0, 200, 100)),
            "c": ("DGD", box(0, 100, 100, 200)),
            "d": ("DGT", Polygon([(100, 100), (110, 100), (100, 180)])),  # an acute corner
        },
    )
    assert gaps_and_slivers(plan) == []

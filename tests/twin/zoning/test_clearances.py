import numpy as np
import pytest
from shapely import LineString

from twin.errors import InvalidInput
from twin.zoning.clearances import check_clearances, load_clearance_rules
from twin.zoning.model import Asset


def line(code, feature_type, coords, **fields):
    return Asset(code, feature_type, LineString(coords), **fields)


def parallel_pair(gap_m, *, water_dn, sewer_dn=300, length_m=100.0):
    """A water pipe and a sewer side by side, ``gap_m`` apart wall to wall."""
    axis = gap_m + water_dn / 2000 + sewer_dn / 2000
    return [
        line("W", "water_pipe", [(0, 0), (length_m, 0)], diameter_mm=water_dn),
        line("S", "sewer_pipe", [(0, axis), (length_m, axis)], diameter_mm=sewer_dn),
    ]


@pytest.mark.parametrize(
    ("gap_m", "water_dn", "required"),
    [
        (1.4, 150, 1.5),  # note: drinking water parallel to a sewer, 1.5 m
        (2.9, 200, 3.0),  # note: DN200 or larger, 3 m
        (2.9, 600, 3.0),
    ],
)
def test_water_parallel_to_sewer_too_close(gap_m, water_dn, required):
    (finding,) = check_clearances(parallel_pair(gap_m, water_dn=water_dn))
    assert finding.kind == "clearance"
    assert finding.involved == ("asset:S", "asset:W")
    assert finding.details["required_m"] == required
    assert finding.details["clear_m"] == pytest.approx(gap_m)
    assert finding.length_m == pytest.approx(100.0)
    assert finding.severity == "medium"
    assert "QCVN 01:2021/BXD" in finding.rule


@pytest.mark.parametrize(("gap_m", "water_dn"), [(1.6, 150), (3.1, 200)])
def test_water_parallel_to_sewer_far_enough(gap_m, water_dn):
    assert check_clearances(parallel_pair(gap_m, water_dn=water_dn)) == []


def test_much_too_close_is_high_severity():
    (finding,) = check_clearances(parallel_pair(0.5, water_dn=250))
    assert finding.severity == "high"


def test_perpendicular_crossing_is_not_a_horizontal_conflict():
    assets = [
        line("W", "water_pipe", [(0, 0), (100, 0)], diameter_mm=300),
        line("S", "sewer_pipe", [(50, -50), (50, 50)], diameter_mm=300),
    ]
    assert check_clearances(assets) == []  # no depths: the vertical rule cannot be tested


def test_connected_segments_of_one_main_are_not_in_conflict():
    assets = [
        line("W1", "water_pipe", [(0, 0), (100, 0)], diameter_mm=300),
        line("W2", "water_pipe", [(100, 0), (200, 0)], diameter_mm=300),
        line("W3", "water_pipe", [(100, 0), (100, 80)], diameter_mm=150),
    ]
    assert check_clearances(assets) == []


def test_crossing_with_too_little_vertical_clearance():
    assets = [
        line("W", "water_pipe", [(0, 0), (100, 0)], diameter_mm=200, depth_m=1.0),
        line("S", "sewer_pipe", [(50, -50), (50, 50)], diameter_mm=400, depth_m=2.0),
    ]
    (finding,) = check_clearances(assets)
    assert finding.details["direction"] == "vertical"
    assert finding.details["required_m"] == 1.0
    assert finding.details["clear_m"] == pytest.approx(1.0 - 0.1 - 0.2)
    assert (finding.geometry.x, finding.geometry.y) == (50.0, 0.0)


def test_elevations_win_over_depths():
    assets = [
        line("W", "water_pipe", [(0, 0), (100, 0)], depth_m=1.0, elevation_m=10.0),
        line("S", "sewer_pipe", [(50, -50), (50, 50)], depth_m=1.2, elevation_m=8.5),
    ]
    assert check_clearances(assets) == []


def test_overhead_lines_are_not_held_to_underground_rules():
    assets = [
        line("P", "power_line", [(0, 0), (100, 0)], placement="overhead", height_m=8),
        line("T", "telecom_cable", [(0, 0.2), (100, 0.2)], placement="overhead", height_m=7.9),
    ]
    assert check_clearances(assets) == []


def test_rule_lookup_takes_the_strictest_applicable_row():
    rules = load_clearance_rules()
    need, which = rules.required(
        "underground",
        "horizontal",
        np.array(["water", "sewer", "water", "water", "telecom"], dtype=object),
        np.array([250.0, 300.0, np.nan, 500.0, np.nan]),
        np.array(["sewer", "water", "water", "water", "water"], dtype=object),
        np.array([300.0, 150.0, 100.0, 300.0, 400.0]),
    )
    np.testing.assert_allclose(need, [3.0, 1.5, 0.5, 1.0, 1.0])
    assert [rules.rules[i].rule_id for i in which] == [
        "h-water-sewer-parallel-dn200",
        "h-water-sewer-parallel",
        "h-water-water",
        "h-water-water-dn400-1000",
        "h-water-telecom-dn300",
    ]


def test_corrected_table_is_read_from_a_file(tmp_path):
    table = tmp_path / "clearances.csv"
    table.write_text(
        "# corrected after checking the official text\n"
        "rule_id,placement,direction,class_a,class_b,min_m,dn_min_mm,dn_max_mm,dn_of,source,caveat\n"
        "h-power-telecom,underground,horizontal,power,telecom,0.5,,,,checked source,\n",
        encoding="utf-8",
    )
    rules = load_clearance_rules(table)
    assets = [
        line("P", "power_cable", [(0, 0), (50, 0)]),
        line("T", "telecom_cable", [(0, 0.3), (50, 0.3)]),
    ]
    (finding,) = check_clearances(assets, rules=rules)
    assert finding.rule.startswith("h-power-telecom")


def test_broken_table_names_the_rule_and_field(tmp_path):
    table = tmp_path / "clearances.csv"
    table.write_text(
        "rule_id,placement,direction,class_a,class_b,min_m,dn_min_mm,dn_max_mm,dn_of,source,caveat\n"
        "bad,underground,sideways,water,sewer,one,,,,x,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as error:
        load_clearance_rules(table)
    assert {p.field for p in error.value.problems} == {"direction", "min_m"}


def test_overhead_rows_use_heights_above_ground(tmp_path):
    table = tmp_path / "clearances.csv"
    table.write_text(
        "rule_id,placement,direction,class_a,class_b,min_m,dn_min_mm,dn_max_mm,dn_of,source,caveat\n"
        "v-power-telecom-overhead,overhead,vertical,power,telecom,1.0,,,,checked source,\n",
        encoding="utf-8",
    )
    power = line("P", "power_line", [(0, 0), (100, 0)], placement="overhead", height_m=8.0)
    low = line("T1", "telecom_cable", [(50, -20), (50, 20)], placement="overhead", height_m=7.5)
    high = line("T2", "telecom_cable", [(70, -20), (70, 20)], placement="overhead", height_m=6.5)
    (finding,) = check_clearances([power, low, high], rules=load_clearance_rules(table))
    assert finding.involved == ("asset:P", "asset:T1")
    assert finding.details["clear_m"] == pytest.approx(0.5)


def test_a_branch_touching_a_main_is_not_a_crossing():
    assets = [
        line("W", "water_pipe", [(0, 0), (100, 0)], depth_m=1.0),
        line("S", "sewer_pipe", [(50, 0), (50, 50)], depth_m=1.2),
    ]
    assert check_clearances(assets) == []

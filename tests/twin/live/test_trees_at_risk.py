"""Trees at risk near power lines and roads, from the database: an inspection reorders them."""

import pytest
from shapely.geometry import LineString, Point

from layers import feature_type
from tests.factories import sample_properties
from twin.edits import create_feature
from twin.inspections import Inspection, record_inspection
from twin.live.decisions import trees_at_risk

pytestmark = pytest.mark.db

X, Y = 106.41, 21.41  # away from the demo city's lines and roads
METRE = 1 / 111_000  # a metre in degrees of latitude


def _tree(session, code, dy_m, **props):
    ft = feature_type("trees_tree")
    values = {**sample_properties(ft, code=code), "condition": "good", "risk_level": None,
              "crown_diameter_m": 2.0, "height_m": 6.0, "trunk_diameter_cm": 20.0,
              "planting_date": "2020-01-01", "species_scientific": "Lagerstroemia speciosa",
              **props}
    point = Point(X + 0.0005, Y + dy_m * METRE)
    return create_feature(session, ft.table, values, point, user="editor").feature["id"]


def _ranked(session, codes):
    rows, note = trees_at_risk(session, top=100000)
    assert "14/2014" in str(note.values)
    return [r for r in rows if r["code"] in codes]


def test_an_assessment_moves_a_tree_up_and_says_it_was_inspected(session):
    ft = feature_type("power_line")
    line = {**sample_properties(ft, code="PWR-LINE-RISK-1"), "voltage_kv": 22.0,
            "placement": "overhead"}
    create_feature(session, ft.table, line, LineString([(X, Y), (X + 0.001, Y)]), user="editor")
    big = _tree(session, "TRE-TREE-RISK-BIG", 1.5, trunk_diameter_cm=110.0,
                planting_date="1950-01-01", species_scientific="Khaya senegalensis")
    small = _tree(session, "TRE-TREE-RISK-SMALL", 1.0)
    far = _tree(session, "TRE-TREE-RISK-FAR", 40.0)
    before = _ranked(session, {big, small, far})
    assert [(r["code"], r["risk"], r["risk_from"]) for r in before] == [
        (big, "high", "estimate"), (small, "low", "estimate")]
    assert before[0]["power_line"] == "PWR-LINE-RISK-1" and before[0]["power_line_kv"] == 22
    assert "storm_prone" in before[0]["estimate_reasons"]
    record_inspection(session, "trees_tree", small, "traq", Inspection(
        {"likelihood_failure": "imminent", "likelihood_impact": "high",
         "consequences": "severe"}, 1), user="arborist")
    after = _ranked(session, {big, small, far})
    assert [(r["code"], r["risk"], r["risk_from"]) for r in after] == [
        (small, "extreme", "inspection"), (big, "high", "estimate")]
    assert after[0]["inspected_on"] is not None

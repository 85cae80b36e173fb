"""The trees-at-risk rules: corridors by voltage, reach of a fall, inspection before estimate."""

import json
from pathlib import Path

from twin.live.algorithms import TreeRules, estimated_risk, power_corridor_m, rank_trees

RULES = TreeRules.from_data(json.loads(
    (Path(__file__).parents[4] / "twin/live/data/tree_risk.json").read_text(encoding="utf-8")))


def _tree(code="T1", **overrides) -> dict:
    tree = {"code": code, "species_scientific": "Lagerstroemia speciosa",
            "trunk_diameter_cm": 20.0, "height_m": 6.0, "crown_diameter_m": 2.0,
            "condition": "good", "age_years": 5, "lines": [], "road": None,
            "inspected_risk": None, "inspected_on": None}
    return {**tree, **overrides}


def _line(distance_m, kv=22.0, code="L1"):
    return {"code": code, "voltage_kv": kv, "distance_m": distance_m}


def test_the_corridor_widens_with_the_voltage():
    assert [power_corridor_m(RULES, kv) for kv in (0.4, 22, 35, 110, 220, 500)] == [
        2.0, 2.0, 3.0, 4.0, 6.0, 7.0]


def test_a_crown_inside_the_corridor_counts_and_one_outside_does_not():
    inside = _tree("IN", lines=[_line(2.9)])  # corridor 2 m + crown radius 1 m
    outside = _tree("OUT", lines=[_line(3.1)])
    assert [r["code"] for r in rank_trees(RULES, [inside, outside])] == ["IN"]


def test_a_road_counts_within_the_trees_height_and_a_dead_tree_reaches_further():
    road = {"code": "RD-1", "name": "Phố Huế", "distance_m": 8.0}
    assert rank_trees(RULES, [_tree(road=road)]) == []
    assert rank_trees(RULES, [_tree(road=road, condition="dead")])[0]["near"][0]["name"] == (
        "Phố Huế")


def test_an_inspection_replaces_the_estimate_and_says_so():
    big = _tree("BIG", trunk_diameter_cm=110.0, age_years=70, lines=[_line(1.0)],
                species_scientific="Khaya senegalensis")
    small = _tree("SMALL", lines=[_line(1.0)])
    before = rank_trees(RULES, [big, small])
    assert [(r["code"], r["risk"], r["risk_from"]) for r in before] == [
        ("BIG", "high", "estimate"), ("SMALL", "low", "estimate")]
    assert before[0]["estimate_reasons"] == ["very_large", "old", "storm_prone"]
    assessed = {**small, "inspected_risk": "extreme", "inspected_on": "2026-12-01"}
    after = rank_trees(RULES, [big, assessed])
    assert [(r["code"], r["risk_from"], r["inspected_on"]) for r in after][0] == (
        "SMALL", "inspection", "2026-12-01")


def test_at_the_same_risk_a_power_line_comes_before_a_road():
    road = {"code": "RD-1", "name": None, "distance_m": 1.0}
    ranked = rank_trees(RULES, [_tree("ROAD", road=road), _tree("LINE", lines=[_line(1.5)])])
    assert [r["code"] for r in ranked] == ["LINE", "ROAD"]


def test_a_poor_old_tree_is_a_medium_estimate():
    assert estimated_risk(RULES, _tree(condition="poor", age_years=60)) == (
        "medium", ["old", "poor"])

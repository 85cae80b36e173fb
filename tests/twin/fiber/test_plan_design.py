"""The design on hand-checkable instances: the cheapest route is known in advance."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from tests.twin.fiber.plan_instances import (
    duct_or_trench,
    inputs,
    poles_along,
    pop,
    road,
    tap_line,
    village,
)
from twin.fiber.costs import load_costs
from twin.fiber.design import design_network
from twin.fiber.inputs import Cable, NetworkNode
from twin.fiber.plan_graph import ROOT, plan_graph
from twin.fiber.quantities import bill_of_quantities, phase_parts, summary

COSTS = load_costs()
CABLE = COSTS.cable_vnd_per_m
LEAD_IN = COSTS["trench.off_road"] + CABLE


def _design(plan_inputs, costs=COSTS):
    return design_network(plan_graph(plan_inputs, costs), costs)


def _metres(design):
    out = {}
    for _, _, d in design.tree.edges(data=True):
        out[d["kind"]] = out.get(d["kind"], 0.0) + d["length_m"]
    return out


def test_reusing_a_duct_beats_a_shorter_trench():
    design = _design(duct_or_trench(ways_free=2))
    # 500 m through the ducts at 36,000 VND/m against 200 m of trench at 864,000 VND/m
    assert _metres(design) == pytest.approx({"duct": 500, "lead_in": 3, "attach": 0})
    assert design.network_cost_vnd == pytest.approx(
        500 * (COSTS["duct.per_m"] + CABLE) + 3 * LEAD_IN
    )
    assert "RD-D" not in {d.get("road") for _, _, d in design.tree.edges(data=True)}


def test_without_a_free_way_the_shorter_trench_wins():
    design = _design(duct_or_trench(ways_free=0))
    assert _metres(design) == pytest.approx({"trench": 200, "lead_in": 3, "attach": 0})
    assert design.network_cost_vnd == pytest.approx(
        200 * (COSTS["trench.street.asphalt"] + CABLE) + 3 * LEAD_IN
    )


def test_the_bill_of_quantities_adds_up_to_the_design_cost():
    design = _design(duct_or_trench(ways_free=2))
    lines = bill_of_quantities(*phase_parts_all(design), COSTS)
    totals = summary(lines)
    assert totals["total_cost_vnd"] == pytest.approx(design.total_cost_vnd)
    assert totals["duct_m"] == pytest.approx(500) and totals["trench_m"] == pytest.approx(3)
    assert totals["access_nodes"] == 1 and totals["drops"] == 100


def phase_parts_all(design):
    class _All:
        node_year, village_year = {}, {}

    return phase_parts(design, _All(), None)


def test_crossing_a_wide_road_costs_one_crossing_and_one_side_of_trench():
    roads = [road("RD-A", (0, 0), (400, 0), road_class="arterial", width_m=24)]
    design = _design(inputs(roads, [village("VIL-N", 100, 30)], [pop(300, -20)]))
    metres = _metres(design)
    assert metres["trench"] == pytest.approx(200) and metres["crossing"] == pytest.approx(24)
    expected = (
        200 * (COSTS["trench.arterial.asphalt"] + CABLE)
        + 24 * (COSTS["crossing.per_m_width"] + CABLE)
        + 9 * LEAD_IN
    )
    assert design.network_cost_vnd == pytest.approx(expected)


def test_aerial_on_poles_is_priced_per_metre_with_a_closure_where_it_meets_the_lead_in():
    line = [(0, 0), (400, 0)]
    plan = inputs(
        [road("RD-1", *line, road_class="rural", surface="earth")],
        [village("VIL-E", 400, 0)],
        [pop(0, -3)],
        poles=poles_along(line, 40),
    )
    design = _design(plan)
    assert _metres(design) == pytest.approx({"aerial": 400, "lead_in": 3, "attach": 0})
    assert list(design.new_nodes.values()) == ["splice_closure"]
    assert design.network_cost_vnd == pytest.approx(
        400 * (COSTS["aerial.per_m"] + CABLE) + 3 * LEAD_IN + COSTS["splice_closure.each"]
    )


def test_one_terminal_design_is_the_cheapest_path_from_the_root():
    plan = plan_graph(duct_or_trench(ways_free=1), COSTS)
    design = design_network(plan, COSTS)
    (target,) = design.planned
    best = nx.dijkstra_path_length(plan.graph, ROOT, target.node, weight="cost_vnd")
    edges = sum(d["cost_vnd"] for _, _, d in design.tree.edges(data=True))
    assert edges == pytest.approx(best)


def test_the_network_fed_from_a_pop_is_one_root_and_its_villages_are_connected():
    roads = [
        road("RD-1", (0, 0), (1000, 0), road_class="rural", surface="earth"),
        road("RD-2", (1000, 0), (1200, 0), road_class="rural", surface="earth"),
    ]
    nodes = [
        pop(0, -3),
        NetworkNode("TEL-CAB-1", 2, "cabinet", Point(1000, -3)),
        NetworkNode("TEL-ACC-1", 3, "access_node", Point(500, -3), village="VIL-OLD"),
        NetworkNode("TEL-ACC-9", 9, "access_node", Point(700, -3), village="VIL-LOST"),
    ]
    cables = [
        Cable("TEL-CBL-1", LineString([(0, -3), (500, -3)]), 1, 3, 0),
        Cable("TEL-CBL-2", LineString([(500, -3), (1000, -3)]), 3, 2, 0),
    ]
    villages = [
        village("VIL-OLD", 500, 0),
        village("VIL-LOST", 700, 0),
        village("VIL-NEW", 1200, 0),
    ]
    design = _design(inputs(roads, villages, nodes, cables))
    status = {v.code: v.status for v in design.villages}
    # an access node without a cable from a POP does not make its village connected
    assert status == {"VIL-OLD": "connected", "VIL-LOST": "planned", "VIL-NEW": "planned"}
    # the new villages hang from the cabinet and the old access node, not from the far POP
    attached = {n[1] for n in design.tree if isinstance(n, tuple) and n[0] == "net"}
    assert attached == {"TEL-CAB-1", "TEL-ACC-1"}
    assert _metres(design)["trench"] == pytest.approx(200 + 200)


@pytest.mark.parametrize(("spare", "trench_m"), [(12, 100), (2, 1100)])
def test_a_cable_with_spare_fibres_is_tapped_at_a_splice_closure(spare, trench_m):
    earth = {"road_class": "rural", "surface": "earth"}
    roads = [
        road("RD-1", (0, 0), (1000, 0), **earth),
        road("RD-2", (1000, 0), (2000, 0), **earth),
        road("RD-3", (1000, 0), (1000, 100), **earth),
    ]
    nodes = [pop(0, -3), NetworkNode("TEL-ACC-1", 2, "access_node", Point(2000, -3), "VIL-OLD")]
    cable = tap_line(0, 2000, y=-3, spare=spare)
    villages = [village("VIL-OLD", 2000, 0), village("VIL-NEW", 1000, 100)]
    design = _design(inputs(roads, villages, nodes, [cable]))
    kinds = _metres(design)
    assert kinds["trench"] == pytest.approx(trench_m)
    assert ("tap" in kinds) is (spare >= COSTS.rule("tap_min_spare_fibers"))
    if "tap" in kinds:
        assert list(design.new_nodes.values()) == ["tap"]
        assert design.network_cost_vnd == pytest.approx(
            100 * (COSTS["trench.rural.earth"] + CABLE) + COSTS["splice_closure.each"]
        )


def test_a_village_far_from_every_road_is_unreachable_and_the_rest_is_planned():
    roads = [road("RD-1", (0, 0), (300, 0))]
    villages = [village("VIL-NEAR", 300, 20), village("VIL-FAR", 300, 5000)]
    design = _design(inputs(roads, villages, [pop(0, -3)]))
    assert {v.code: v.status for v in design.villages} == {
        "VIL-NEAR": "planned",
        "VIL-FAR": "unreachable",
    }


def test_the_access_node_goes_where_the_households_are_densest_then_to_the_roadside():
    roads = [road("RD-1", (0, 0), (600, 0), road_class="rural", surface="earth")]
    # five houses clustered around x=450, two isolated ones near the village point x=100
    xy = np.array([[440, 30], [450, 35], [460, 30], [455, 40], [445, 45], [100, 30], [110, 60]])
    hh = np.array([3, 4, 2, 3, 3, 1, 1])
    design = _design(
        inputs(roads, [village("VIL-A", 100, 40, households=17)], [pop(0, -3)], buildings=(xy, hh))
    )
    (target,) = design.planned
    assert target.xy[0] == pytest.approx(450, abs=11) and target.xy[1] == pytest.approx(0)


def test_a_village_far_from_the_road_keeps_its_access_node_and_pays_a_lead_in():
    roads = [road("RD-1", (0, 0), (300, 0), road_class="rural", surface="earth")]
    design = _design(inputs(roads, [village("VIL-HILL", 300, 900)], [pop(0, -3)]))
    (target,) = design.planned
    assert target.xy == pytest.approx((300, 900)) and target.lead_in_m == pytest.approx(900)
    assert _metres(design) == pytest.approx(
        {"trench": 300, "lead_in": 900 + 3, "attach": 0}, abs=0.01
    )


def test_nothing_to_build_when_every_village_is_connected():
    from twin.fiber.features import plan_features
    from twin.fiber.plan import PlanOptions, make_plan
    from twin.fiber.report import plan_report

    roads = [road("RD-1", (0, 0), (300, 0))]
    nodes = [pop(0, -3), NetworkNode("TEL-ACC-1", 2, "access_node", Point(300, -3), "VIL-A")]
    cables = [Cable("TEL-CBL-1", LineString([(0, -3), (300, -3)]), 1, 2, 8)]
    plan = make_plan(
        inputs(roads, [village("VIL-A", 300, 0)], nodes, cables),
        COSTS,
        PlanOptions(years=2, redundant_above=1),
    )
    assert plan.design.total_cost_vnd == 0 and plan.rollout.phases == []
    assert plan.rollout.year_all_villages == 0 and plan.budget_needed_vnd == 0
    features = plan_features(plan)
    assert not (features.access_nodes or features.cabinets or features.cables)
    assert "100% of villages: already met" in plan_report(plan)

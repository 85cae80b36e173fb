"""Rings: a second route, sharing no edge with the first, for the biggest villages."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.twin.fiber.plan_instances import inputs, pop, road, village
from twin.fiber.costs import load_costs
from twin.fiber.design import design_network
from twin.fiber.plan import PlanOptions, make_plan
from twin.fiber.plan_graph import ROOT, plan_graph
from twin.fiber.quantities import summary
from twin.fiber.redundancy import second_paths

COSTS = load_costs()


def _square(*villages):
    """A 500 m square of streets with the POP at one corner and a dead-end spur."""
    corners = [(0, 0), (500, 0), (500, 500), (0, 500)]
    roads = [road(f"RD-{i}", corners[i], corners[(i + 1) % 4]) for i in range(4)]
    roads.append(road("RD-SPUR", (500, 500), (800, 500)))
    return inputs(roads, list(villages), [pop(-3, -3)])


def _edges(nodes):
    """Edges of a route up to the existing network (a ring may close on one POP)."""
    inner = [n for n in nodes if n != ROOT and not (isinstance(n, tuple) and n[0] == "net")]
    return {frozenset(e) for e in zip(inner, inner[1:], strict=False)}


def _expected_cost(design, ring):
    """New edges at their design cost, edges already planned at the duct rate."""
    pull = COSTS["duct.per_m"] + COSTS.cable_vnd_per_m
    total = 0.0
    for e, reused in zip(ring.edges, ring.reused, strict=True):
        d = design.graph.edges[e]
        if not reused:
            total += d["cost_vnd"]
        elif d["kind"] not in ("tap", "attach"):
            total += d["length_m"] * pull
    return total


def test_a_big_village_gets_an_edge_disjoint_second_path_to_the_network():
    design = design_network(plan_graph(_square(village("VIL-BIG", 500, 500, 400)), COSTS), COSTS)
    (ring,) = second_paths(design, COSTS, min_households=300)
    (target,) = design.planned
    primary = nx.shortest_path(design.tree, target.node, ROOT)
    assert ring.feasible and ring.nodes[0] == target.node and ring.nodes[-1] == ROOT
    assert not _edges(primary) & _edges(ring.nodes)
    assert ring.length_m == pytest.approx(1000, abs=10)  # the other two sides of the square
    assert ring.cost_vnd == pytest.approx(_expected_cost(design, ring))


def test_small_villages_get_none_and_a_dead_end_cannot_have_one():
    plan = _square(
        village("VIL-BIG", 500, 500, 400),
        village("VIL-END", 800, 500, 500),
        village("VIL-SMALL", 0, 500, 50),
    )
    design = design_network(plan_graph(plan, COSTS), COSTS)
    rings = {r.village: r for r in second_paths(design, COSTS, min_households=300)}
    assert set(rings) == {"VIL-BIG", "VIL-END"}
    assert rings["VIL-BIG"].feasible and not rings["VIL-END"].feasible


def test_a_later_ring_reuses_planned_trench_at_the_duct_rate():
    plan = _square(village("VIL-A", 500, 500, 400), village("VIL-B", 500, 250, 300))
    design = design_network(plan_graph(plan, COSTS), COSTS)
    rings = second_paths(design, COSTS, min_households=300)
    assert [r.village for r in rings] == ["VIL-A", "VIL-B"]
    for ring in rings:
        assert ring.feasible
        assert ring.cost_vnd == pytest.approx(_expected_cost(design, ring))
    # VIL-B's ring runs through VIL-A's access point along the first ring's new trench
    assert sum(rings[1].reused) > sum(rings[0].reused)


def test_the_rings_are_priced_apart_from_the_design():
    plan = make_plan(
        _square(village("VIL-BIG", 500, 500, 400)),
        COSTS,
        PlanOptions(years=1, redundant_above=300, time_limit_s=5),
    )
    ring_total = summary(plan.ring_bill)["total_cost_vnd"]
    closures = sum(line.cost_vnd for line in plan.ring_bill if "splice closures" in line.item)
    assert ring_total - closures == pytest.approx(plan.rings[0].cost_vnd)
    assert summary(plan.bill)["total_cost_vnd"] == pytest.approx(plan.design.total_cost_vnd)

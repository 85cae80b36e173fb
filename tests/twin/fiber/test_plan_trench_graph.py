"""The trench graph: sides of wide roads, crossings, T-junctions, attached points, reuse."""

from __future__ import annotations

import numpy as np
import pytest

from tests.twin.fiber.plan_instances import duct_along, poles_along, road
from twin.fiber.costs import load_costs
from twin.fiber.trench_graph import trench_graph

COSTS = load_costs()
CABLE = COSTS.cable_vnd_per_m


def _kinds(G):
    out = {}
    for _, _, d in G.edges(data=True):
        out.setdefault(d["kind"], []).append(d)
    return out


def test_a_narrow_road_is_one_trench_priced_by_class_and_surface():
    G = trench_graph(
        [road("RD-1", (0, 0), (100, 0), road_class="rural", surface="earth")], COSTS
    ).graph
    assert G.number_of_nodes() == 2
    ((_, _, d),) = G.edges(data=True)
    assert d["kind"] == "trench" and d["length_m"] == pytest.approx(100)
    assert d["cost_vnd"] == pytest.approx(100 * (COSTS["trench.rural.earth"] + CABLE))


def test_a_wide_road_has_a_trench_each_side_and_crossings_priced_by_width():
    G = trench_graph(
        [road("RD-1", (0, 0), (100, 0), road_class="arterial", width_m=24)], COSTS
    ).graph
    kinds = _kinds(G)
    assert len(kinds["trench"]) == 2 and len(kinds["crossing"]) == 2
    ys = sorted(G.nodes[n]["pos"][1] for n in G)
    assert ys == pytest.approx([-11, -11, 11, 11])  # 1 m inside each road edge
    for d in kinds["crossing"]:
        assert d["cost_vnd"] == pytest.approx(24 * (COSTS["crossing.per_m_width"] + CABLE))
    for d in kinds["trench"]:
        assert d["cost_vnd"] == pytest.approx(100 * (COSTS["trench.arterial.asphalt"] + CABLE))


def test_corners_either_side_of_a_narrow_road_are_one_node_but_not_across_a_wide_one():
    roads = [
        road("RD-W1", (-100, 0), (0, 0), road_class="arterial", width_m=24),
        road("RD-W2", (0, 0), (100, 0), road_class="arterial", width_m=24),
        road("RD-N", (0, 0), (0, 100)),
    ]
    G = trench_graph(roads, COSTS).graph
    at_junction = [n for n in G if np.hypot(*G.nodes[n]["pos"]) < 20]
    # north of the arterial the two corners beside the street are one node; south is one more
    assert len(at_junction) == 2
    north = max(at_junction, key=lambda n: G.nodes[n]["pos"][1])
    assert {d["road"] for _, _, d in G.edges(north, data=True)} == {"RD-W1", "RD-W2", "RD-N"}


def test_a_road_ending_on_another_splits_it_into_a_t_junction():
    roads = [road("RD-1", (0, 0), (200, 0)), road("RD-2", (100, 0.4), (100, 80))]
    G = trench_graph(roads, COSTS).graph
    assert G.number_of_nodes() == 4 and G.number_of_edges() == 3
    assert sorted(round(d["length_m"]) for _, _, d in G.edges(data=True)) == [80, 100, 100]


def test_a_point_splits_its_nearest_road_on_its_own_side():
    roads = [road("RD-1", (0, 0), (200, 0), road_class="arterial", width_m=24)]
    tg = trench_graph(
        roads, COSTS, points_xy=np.array([[50, 30], [150, -40], [50, 500]]), points_max_m=100
    )
    north, south, far = tg.anchors
    assert far is None
    assert tg.graph.nodes[north.node]["pos"] == pytest.approx((50, 11))
    assert tg.graph.nodes[south.node]["pos"] == pytest.approx((150, -11))
    assert north.distance_m == pytest.approx(19) and south.distance_m == pytest.approx(29)
    # mid-block crossings where the points split the road
    assert len(_kinds(tg.graph)["crossing"]) == 4


def test_poles_every_40_m_carry_aerial_cable_but_a_120_m_gap_does_not():
    line = [(0, 0), (400, 0)]
    G = trench_graph([road("RD-1", *line)], COSTS, poles_xy=poles_along(line, 40)).graph
    ((_, _, d),) = G.edges(data=True)
    assert d["kind"] == "aerial"
    assert d["cost_vnd"] == pytest.approx(400 * (COSTS["aerial.per_m"] + CABLE))
    gappy = np.vstack([poles_along([(0, 0), (150, 0)], 40), poles_along([(270, 0), (400, 0)], 40)])
    G = trench_graph([road("RD-1", *line)], COSTS, poles_xy=gappy).graph
    assert [d["kind"] for _, _, d in G.edges(data=True)] == ["trench"]


def test_aerial_on_a_wide_road_replaces_only_the_trench_on_the_poles_side():
    line = [(0, 0), (400, 0)]
    poles = poles_along(line, 40, offset=-14)  # south of a 24 m road
    G = trench_graph(
        [road("RD-1", *line, road_class="arterial", width_m=24)], COSTS, poles_xy=poles
    ).graph
    sides = {
        d["kind"]: G.nodes[u]["pos"][1] for u, _, d in G.edges(data=True) if d["kind"] != "crossing"
    }
    assert sides == {"aerial": pytest.approx(-11), "trench": pytest.approx(11)}


def test_a_duct_with_a_free_way_is_used_and_a_full_one_is_not():
    line = [(0, 0), (300, 0)]
    for free, kind in ((1, "duct"), (0, "trench")):
        G = trench_graph(
            [road("RD-1", *line)], COSTS, ducts=[duct_along(line, ways_free=free)]
        ).graph
        ((_, _, d),) = G.edges(data=True)
        assert d["kind"] == kind
    G = trench_graph([road("RD-1", *line)], COSTS, ducts=[duct_along([(0, 0), (100, 0)])]).graph
    assert [d["kind"] for _, _, d in G.edges(data=True)] == ["trench"]  # covers a third only

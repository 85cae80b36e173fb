"""The likely burst area, from the sensors that dropped and those that held."""

import pytest

from twin.live.burst import likely_burst_pipes
from twin.live.simcity import burst_drops
from twin.network.graph import build_graph


def grid(n=5, spacing=200.0):
    """An n × n grid of junctions ``J<row><col>`` joined by pipes ``P...``."""
    nodes = [{"code": f"J{r}{c}", "kind": "junction"} for r in range(n) for c in range(n)]
    edges = []
    for r in range(n):
        for c in range(n):
            if c + 1 < n:
                edges.append(
                    {
                        "code": f"P{r}{c}-{r}{c + 1}",
                        "start_node": f"J{r}{c}",
                        "end_node": f"J{r}{c + 1}",
                        "length_m": spacing,
                    }
                )
            if r + 1 < n:
                edges.append(
                    {
                        "code": f"P{r}{c}-{r + 1}{c}",
                        "start_node": f"J{r}{c}",
                        "end_node": f"J{r + 1}{c}",
                        "length_m": spacing,
                    }
                )
    return build_graph("water", nodes, edges)


SENSORS = ["J00", "J04", "J22", "J40", "J44", "J02", "J20", "J24", "J42"]


@pytest.mark.parametrize("burst_node", ["J11", "J33", "J13"])
def test_drops_simulated_around_a_node_point_back_to_pipes_at_that_node(burst_node):
    G = grid()
    drops = burst_drops(G, {s: s for s in SENSORS}, [burst_node])
    steady = [s for s in SENSORS if s not in drops]
    best = likely_burst_pipes(G, drops, steady, top=4)
    assert best[0].score > 0.9
    assert any(burst_node in c.pipe.replace("-", " J").replace("P", "J").split() for c in best[:4])


def test_sensors_that_held_move_the_estimate_away_from_them():
    G = grid()
    alone = likely_burst_pipes(G, {"J22": 1.0}, [], top=1)[0]
    with_steady = likely_burst_pipes(G, {"J22": 1.0, "J24": 0.6}, ["J20", "J02", "J42"], top=1)[0]
    assert alone.distance_to_largest_drop_m == 100.0
    assert with_steady.pipe in {"P22-23", "P23-24", "P13-23", "P23-33"}


def test_no_dropped_sensor_in_the_network_means_no_candidate():
    assert likely_burst_pipes(grid(), {"ELSEWHERE": 1.0}, ["J00"]) == []
    assert likely_burst_pipes(grid(), {}, ["J00"]) == []


def test_the_graph_is_not_modified():
    G = grid()
    before = (G.number_of_nodes(), G.number_of_edges(), dict(G.nodes["J00"]))
    likely_burst_pipes(G, {"J00": 1.0}, ["J44"])
    assert before == (G.number_of_nodes(), G.number_of_edges(), dict(G.nodes["J00"]))

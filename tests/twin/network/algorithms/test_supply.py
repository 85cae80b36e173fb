"""What a barrier cuts off, read from the kept supply tree, is what a new walk from the sources finds."""

import random

import networkx as nx
import pandapower.networks as pn
import pytest

from twin.network.adapters.pandapower_net import graph_from_pandapower
from twin.network.algorithms.supply import supply_lost, supply_tree
from twin.network.graph import edge_lookup
from twin.network.power import power_outage
from twin.network.traces import supplied_reach
from twin.network.walk import passable

from ..factories import make_graph, telecom_ring, two_feeders, water_line


def _walked_again(G, barriers) -> set[str]:
    """The previous way: walk again from every source with the barriers."""
    return supplied_reach(G).nodes - supplied_reach(G, barriers=barriers).nodes


def _meshed_grid() -> nx.MultiGraph:
    """A 12 x 12 water grid fed from two corners, a closed valve in the middle."""
    nodes = {f"N{i}-{j}": "junction" for i in range(12) for j in range(12)}
    nodes |= {"N0-0": "reservoir", "N11-11": "tank", "N6-6": {"kind": "valve", "state": "closed"}}
    edges = [
        (f"P{i}-{j}-{d}", f"N{i}-{j}", f"N{i + di}-{j + dj}")
        for i in range(12)
        for j in range(12)
        for d, di, dj in (("e", 1, 0), ("n", 0, 1))
        if i + di < 12 and j + dj < 12
    ]
    return make_graph("water", nodes, edges)


@pytest.fixture(
    scope="module",
    params=["two_feeders", "telecom_ring", "water_line", "meshed_grid", "mv_oberrhein"],
)
def network(request):
    if request.param == "mv_oberrhein":
        return graph_from_pandapower(pn.mv_oberrhein())
    if request.param == "meshed_grid":
        return _meshed_grid()
    return {"two_feeders": two_feeders, "telecom_ring": telecom_ring, "water_line": water_line}[
        request.param
    ]()


def test_every_single_barrier_cuts_off_what_a_new_walk_finds(network):
    tree = supply_tree(network)
    for code in sorted(network.nodes) + sorted(edge_lookup(network)):
        assert supply_lost(network, tree, [code]) == _walked_again(network, [code]), code


def test_several_barriers_at_once_cut_off_what_a_new_walk_finds(network):
    tree = supply_tree(network)
    codes = sorted(network.nodes) + sorted(edge_lookup(network))
    rng = random.Random(17)
    for _ in range(200):
        barriers = rng.sample(codes, rng.randint(2, 6))
        assert supply_lost(network, tree, barriers) == _walked_again(network, barriers), barriers


def test_the_kept_tree_is_the_walk_from_the_sources_and_is_left_as_it_was(network):
    tree = supply_tree(network)
    assert tree.reach.nodes == supplied_reach(network).nodes
    before = (set(tree.reach.nodes), dict(tree.reach.parent), dict(tree.children))
    supply_lost(network, tree, sorted(edge_lookup(network))[:3])
    assert before == (set(tree.reach.nodes), dict(tree.reach.parent), dict(tree.children))


def test_a_meshed_network_feeds_round_a_barrier_and_loses_what_is_enclosed():
    G = _meshed_grid()
    tree = supply_tree(G)
    assert supply_lost(G, tree, ["P0-0-e"]) == set()  # fed from the north instead
    enclosed = ["P2-3-e", "P2-3-n", "P1-3-e", "P2-2-n"]  # the four pipes round N2-3
    assert supply_lost(G, tree, enclosed) == {"N2-3"}
    assert supply_lost(G, tree, ["N0-0", "N11-11"]) == set(tree.reach.nodes)


def test_the_walks_rules_are_kept_and_extended_by_the_barriers():
    G = two_feeders()
    rules = passable(opened=["SW2"])
    tree = supply_tree(G, rules=rules)
    walked = supplied_reach(G, opened=["SW2"])
    assert tree.reach.nodes == walked.nodes
    expected = walked.nodes - supplied_reach(G, opened=["SW2"], barriers=["L2"]).nodes
    assert supply_lost(G, tree, ["L2"]) == expected


def test_a_power_outage_with_the_kept_tree_answers_as_without_it():
    G = graph_from_pandapower(pn.mv_oberrhein())
    tree = supply_tree(G)
    for fault in sorted(edge_lookup(G))[::7]:
        kept = power_outage(G, fault, supplied=tree).to_dict()
        assert kept == power_outage(G, fault).to_dict(), fault

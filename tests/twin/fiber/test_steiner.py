"""Steiner tree solver: hand-checked optima, brute force, validity, SteinLib B."""

from __future__ import annotations

import csv
import itertools
import random
import time
from pathlib import Path

import networkx as nx
import pytest

from twin.errors import InvalidInput
from twin.fiber.steiner import steiner_tree, steiner_tree_edges
from twin.fiber.stp import read_stp

STEINLIB = Path(__file__).resolve().parents[2] / "data" / "steinlib"


def brute_force_optimum(G, terminals, weight="weight"):
    """Cheapest tree over every choice of Steiner vertices (tiny graphs only)."""
    others = [v for v in G if v not in set(terminals)]
    best = float("inf")
    for k in range(len(others) + 1):
        for extra in itertools.combinations(others, k):
            sub = G.subgraph([*terminals, *extra])
            if nx.is_connected(sub):
                best = min(best, nx.minimum_spanning_tree(sub, weight=weight).size(weight=weight))
    return best


def random_connected_graph(seed, n=9, extra_edges=10, max_weight=9):
    rng = random.Random(seed)
    G = nx.random_labeled_tree(n, seed=seed)
    nodes = list(G)
    while G.number_of_edges() < n - 1 + extra_edges:
        u, v = rng.sample(nodes, 2)
        G.add_edge(u, v)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rng.randint(0 if seed % 3 == 0 else 1, max_weight)
    terminals = rng.sample(nodes, rng.randint(2, 5))
    return G, terminals


def assert_valid(G, terminals, result, weight="weight"):
    tree = result.tree
    assert nx.is_tree(tree)
    assert set(terminals) <= set(tree)
    assert all(tree.degree(v) > 1 or v in terminals for v in tree if len(tree) > 1)
    assert all(G.has_edge(u, v) for u, v in tree.edges)
    assert result.cost == pytest.approx(sum(G.edges[u, v].get(weight, 1) for u, v in tree.edges))
    assert {frozenset(e) for e in result.edges} == {frozenset(e) for e in tree.edges}


def test_steiner_point_beats_tree_on_terminals_only():
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 4), ("b", "c", 4), ("a", "c", 4)])
    G.add_weighted_edges_from([("s", v, 2) for v in "abc"])
    result = steiner_tree(G, ["a", "b", "c"])
    assert result.cost == 6
    assert set(result.tree) == {"a", "b", "c", "s"}
    assert nx.minimum_spanning_tree(G.subgraph("abc")).size(weight="weight") == 8


def test_grid_corners_joined_through_the_middle_row():
    G = nx.grid_2d_graph(3, 3)
    nx.set_edge_attributes(G, 1, "weight")
    corners = [(0, 0), (0, 2), (2, 0), (2, 2)]
    result = steiner_tree(G, corners)
    assert result.cost == 6
    assert_valid(G, corners, result)


def test_long_chain_is_contracted_and_restored():
    G = nx.path_graph(200)
    nx.set_edge_attributes(G, 2.5, "weight")
    G.add_edge(0, 199, weight=1000.0)
    result = steiner_tree(G, [0, 120, 199])
    assert result.cost == pytest.approx(199 * 2.5)
    assert result.tree.number_of_edges() == 199


@pytest.mark.parametrize("seed", range(24))
def test_matches_brute_force_on_small_random_graphs(seed):
    G, terminals = random_connected_graph(seed)
    result = steiner_tree(G, terminals, seed=seed)
    assert_valid(G, terminals, result)
    assert result.cost == pytest.approx(brute_force_optimum(G, terminals))


def test_input_graph_is_left_unchanged():
    G, terminals = random_connected_graph(5, n=10, extra_edges=15)
    G.graph["name"] = "village roads"
    G.nodes[terminals[0]]["kind"] = "village"
    before = (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), dict(G.graph))
    steiner_tree(G, terminals)
    assert (nx.to_dict_of_dicts(G), dict(G.nodes(data=True)), dict(G.graph)) == before


def test_tree_keeps_edge_and_node_attributes():
    G = nx.Graph()
    G.add_edge("a", "b", weight=3, road="QL31")
    G.add_edge("b", "c", weight=4, road="DT293")
    G.nodes["a"]["village"] = "Thon 1"
    result = steiner_tree(G, ["a", "c"])
    assert result.tree.edges["a", "b"]["road"] == "QL31"
    assert result.tree.nodes["a"]["village"] == "Thon 1"


def test_custom_weight_and_missing_weight_counts_one():
    G = nx.Graph()
    G.add_edge(1, 2, length_m=10.0)
    G.add_edge(2, 3, length_m=10.0)
    G.add_edge(1, 3, length_m=25.0)
    assert steiner_tree(G, [1, 3], weight="length_m").cost == 20
    assert steiner_tree(G, [1, 3], weight="cost_vnd").cost == 1


def test_multigraph_uses_the_cheapest_parallel_edge():
    G = nx.MultiGraph()
    G.add_edge("a", "b", weight=7)
    G.add_edge("a", "b", weight=2)
    G.add_edge("b", "c", weight=1)
    result = steiner_tree(G, ["a", "c"])
    assert result.cost == 3


def test_one_or_no_terminal_gives_an_empty_tree():
    G = nx.path_graph(4)
    single = steiner_tree(G, [2])
    assert single.cost == 0 and list(single.tree) == [2] and single.edges == []
    assert steiner_tree(G, []).cost == 0


def test_already_connected_terminals_through_a_zero_weight_hub():
    G = nx.path_graph(6)
    nx.set_edge_attributes(G, 5, "weight")
    H = G.copy()
    H.add_edges_from([("ring", 0, {"weight": 0}), ("ring", 5, {"weight": 0})])
    result = steiner_tree(H, ["ring", 1, 4])
    assert result.cost == 10  # 0-1 and 4-5; the ring joins 0 and 5 for free
    assert {frozenset(e) for e in result.edges if "ring" not in e} == {
        frozenset((0, 1)),
        frozenset((4, 5)),
    }


def test_edges_helper_returns_the_tree_edges():
    G, terminals = random_connected_graph(7)
    edges = steiner_tree_edges(G, terminals, seed=3)
    assert edges == set(steiner_tree(G, terminals, seed=3).edges)


def test_same_seed_gives_the_same_tree():
    G, terminals = random_connected_graph(11, n=40, extra_edges=80)
    first = steiner_tree(G, terminals, seed=4)
    second = steiner_tree(G, terminals, seed=4)
    assert first.edges == second.edges


@pytest.mark.parametrize(
    ("graph", "terminals", "field"),
    [
        (nx.DiGraph([(1, 2)]), [1, 2], "G"),
        (nx.Graph([(1, 2)]), [1, 9], "terminals"),
        (nx.Graph([(1, 2, {"weight": -1})]), [1, 2], "weight"),
        (nx.Graph([(1, 2, {"weight": float("nan")})]), [1, 2], "weight"),
        (nx.Graph([(1, 2), (3, 4)]), [1, 4], "terminals"),
    ],
)
def test_invalid_input_names_the_field(graph, terminals, field):
    with pytest.raises(InvalidInput) as error:
        steiner_tree(graph, terminals)
    assert field in [p.field for p in error.value.problems]
    assert "Steiner tree" in error.value.message


def test_time_limit_is_respected_on_a_large_road_like_grid():
    rng = random.Random(1)
    G = nx.grid_2d_graph(70, 70)  # 4,900 nodes: above the all-pairs distance limit
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rng.randint(10, 99)
    terminals = rng.sample(list(G), 120)
    # CPU time, not wall time: a loaded machine stretches the wall clock of
    # both runs, but a solver ignoring its limit would use ~10 s of CPU here.
    started = time.process_time()
    first = steiner_tree(G, terminals, time_limit=0.0)  # reductions + first tree only
    overhead = time.process_time() - started
    started = time.process_time()
    result = steiner_tree(G, terminals, time_limit=1.5)
    used = time.process_time() - started
    assert used < 1.5 + 2 * overhead + 1.0  # a running step may finish after the limit
    assert_valid(G, terminals, result)
    mehlhorn = nx.approximation.steiner_tree(G, terminals, method="mehlhorn")
    assert result.cost <= first.cost <= mehlhorn.size(weight="weight")


def optima():
    with (STEINLIB / "optima.csv").open(newline="") as handle:
        return {row["filename"]: float(row["opt"]) for row in csv.DictReader(handle)}


@pytest.mark.parametrize("name", ["b02.stp", "b06.stp", "b11.stp", "b13.stp", "b16.stp", "b18.stp"])
def test_steinlib_b_instances_solved_to_optimum(name):
    instance = read_stp(STEINLIB / "B" / name)
    result = steiner_tree(instance.graph, instance.terminals)
    assert_valid(instance.graph, instance.terminals, result)
    assert result.cost == optima()[name]
    assert result.stats["construction_cost"] >= result.cost
    assert result.stats["reduced_vertices"] <= instance.graph.number_of_nodes()


def test_progress_is_told_after_each_start_with_the_best_cost_so_far():
    # Enough terminals that the exact programme does not apply and the search runs.
    G = nx.grid_2d_graph(20, 20)
    rng = random.Random(3)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rng.randint(1, 9)
    terminals = rng.sample(sorted(G.nodes), 40)
    told = []
    result = steiner_tree(G, terminals, seed=1, on_start=lambda n, best: told.append((n, best)))
    done = [n for n, _ in told]
    # Starts done only grow (a recombination's own starts count too).
    assert len(told) > 1 and done[0] >= 1 and all(a < b for a, b in zip(done, done[1:]))
    costs = [best for _, best in told]
    assert costs == sorted(costs, reverse=True)
    assert costs[-1] == pytest.approx(result.cost)
    assert result.cost == steiner_tree(G, terminals, seed=1).cost  # watching changes nothing

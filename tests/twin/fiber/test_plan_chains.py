"""Degree-2 chains collapse to one edge and expand back to the road edges."""

from __future__ import annotations

import networkx as nx

from twin.fiber.chains import collapse_chains, expand_edges


def test_chains_collapse_between_branch_points_and_terminals():
    G = nx.Graph()
    G.add_weighted_edges_from(
        [("a", 1, 1), (1, 2, 1), (2, "b", 1), ("b", 3, 2), (3, "c", 2), ("b", "d", 7)]
    )
    H, paths = collapse_chains(G, keep={"c"}, weight="weight")
    assert sorted(H.nodes, key=str) == ["a", "b", "c", "d"]
    assert H["a"]["b"]["weight"] == 3 and H["b"]["c"]["weight"] == 4
    assert expand_edges([("b", "a")], paths) == [("b", 2), (2, 1), (1, "a")]


def test_the_cheaper_of_two_parallel_chains_is_kept():
    G = nx.Graph()
    G.add_weighted_edges_from(
        [("a", 1, 1), (1, "b", 1), ("a", 2, 5), (2, "b", 5), ("b", "x", 1), ("a", "y", 1)]
    )
    H, paths = collapse_chains(G, weight="weight")
    assert H["a"]["b"]["weight"] == 2
    assert expand_edges([("a", "b")], paths) == [("a", 1), (1, "b")]
    assert G.number_of_nodes() == 6  # the input is untouched

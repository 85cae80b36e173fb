"""Internals of the Steiner search: reductions, insertion deltas, corridor."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from scipy.sparse.csgraph import minimum_spanning_tree

from twin.fiber.steiner import _search, steiner_tree
from twin.fiber.steiner._construct import mehlhorn_vertices, shortest_path_vertices
from twin.fiber.steiner._graph import ArrayGraph
from twin.fiber.steiner._reduce import reduce_problem
from twin.fiber.steiner._rooted import RootedTree
from twin.fiber.steiner._vertex_moves import (
    _induced_edges,
    _tree_bottlenecks,
    elimination_change,
    insertion_change,
)

sys.path.insert(0, str(Path(__file__).parent))
from test_steiner import assert_valid, brute_force_optimum, random_connected_graph  # noqa: E402


def as_arrays(G, terminals):
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    eu = np.array([index[u] for u, _ in G.edges])
    ev = np.array([index[v] for _, v in G.edges])
    w = np.array([c for *_, c in G.edges(data="weight")], dtype=float)
    terminal = np.zeros(len(nodes), dtype=bool)
    terminal[[index[t] for t in terminals]] = True
    return nodes, eu, ev, w, terminal


@pytest.mark.parametrize("seed", range(12))
def test_reduced_optimum_plus_fixed_edges_equals_the_optimum(seed):
    G, terminals = random_connected_graph(seed, n=10, extra_edges=12)
    nodes, eu, ev, w, terminal = as_arrays(G, terminals)
    red = reduce_problem(len(nodes), eu, ev, w, terminal)
    H = nx.Graph()
    H.add_nodes_from(range(red.n))
    H.add_weighted_edges_from(zip(red.eu.tolist(), red.ev.tolist(), red.w.tolist()))
    kept = [int(v) for v in np.flatnonzero(red.terminal)]
    reduced = brute_force_optimum(H, kept) if len(kept) > 1 else 0.0
    assert reduced + w[red.fixed].sum() == pytest.approx(brute_force_optimum(G, terminals))
    assert all(set(o) <= set(range(len(w))) for o in red.origin)


def random_array_graph(n, m, count, seed):
    """Random graph with integer weights 1..19 and ``count`` terminals."""
    G = nx.gnm_random_graph(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = int(rng.integers(1, 20))
    terminals = [int(t) for t in rng.choice(n, count, replace=False)]
    _, eu, ev, w, terminal = as_arrays(G, terminals)
    return ArrayGraph(n, eu, ev, w, terminal), terminals, rng


def test_insertion_change_equals_the_spanning_tree_change():
    g, terminals, _ = random_array_graph(80, 400, 12, seed=3)
    tree = g.tree(shortest_path_vertices(g, terminals[0]))
    pos, table = _tree_bottlenecks(RootedTree(g, tree), g.n)
    base = minimum_spanning_tree(g.matrix[tree.vertices][:, tree.vertices]).sum()
    checked = 0
    for v in np.flatnonzero(~tree.vertices):
        change = insertion_change(g, pos, table, int(v))
        if np.isfinite(change):
            mask = tree.vertices.copy()
            mask[v] = True
            assert change == pytest.approx(
                minimum_spanning_tree(g.matrix[mask][:, mask]).sum() - base
            )
            checked += 1
    assert checked > 10


def test_elimination_change_equals_the_spanning_tree_change():
    g, terminals, rng = random_array_graph(60, 300, 15, seed=5)
    mask = g.tree(shortest_path_vertices(g, terminals[0])).vertices
    mask[rng.choice(60, 20, replace=False)] = True  # extra vertices: more branches
    tree = g.tree(mask)
    full = minimum_spanning_tree(g.matrix[tree.vertices][:, tree.vertices]).tocoo()
    tree.edges = [
        (int(a), int(b), c)
        for a, b, c in zip(
            np.flatnonzero(tree.vertices)[full.row],
            np.flatnonzero(tree.vertices)[full.col],
            full.data,
        )
    ]
    rooted = RootedTree(g, tree)
    induced = _induced_edges(g, tree.vertices)
    checked = 0
    for v, nbrs in rooted.adjacency.items():
        if len(nbrs) >= 2 and not g.terminal[v]:
            mask = tree.vertices.copy()
            mask[v] = False
            sub = minimum_spanning_tree(g.matrix[mask][:, mask])
            expected = sub.sum() - full.sum() if sub.nnz == mask.sum() - 1 else np.inf
            assert elimination_change(g, rooted, induced, v) == pytest.approx(expected)
            checked += 1
    assert checked >= 3


def test_mehlhorn_tree_spans_the_terminals():
    G, terminals = random_connected_graph(4, n=30, extra_edges=40)
    _, eu, ev, w, terminal = as_arrays(G, terminals)
    w = np.maximum(w, 1.0)
    g = ArrayGraph(len(terminal), eu, ev, w, terminal, with_distances=False)
    tree = g.tree(mehlhorn_vertices(g))
    assert tree is not None and tree.vertices[terminal].all()


def test_large_graphs_search_a_corridor_of_mehlhorn_trees(monkeypatch):
    monkeypatch.setattr(_search, "DENSE_LIMIT", 40)
    G = nx.grid_2d_graph(12, 12)
    rng = np.random.default_rng(8)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = int(rng.integers(1, 9))
    nodes = list(G)
    terminals = [nodes[i] for i in rng.choice(len(nodes), 15, replace=False)]
    result = steiner_tree(G, terminals)
    assert_valid(G, terminals, result)
    assert result.stats["reduced_vertices"] > 40
    mehlhorn = nx.approximation.steiner_tree(G, terminals, method="mehlhorn")
    assert result.cost <= mehlhorn.size(weight="weight")

"""Steiner-vertex insertion and elimination with exact cost changes.

Adding or dropping one vertex and taking the minimum spanning tree of the
new vertex set is the classic move; evaluating it by a full spanning tree
per candidate is slow, so the change is computed from the current tree:

* insertion: only the largest edges on tree paths between the new vertex's
  tree neighbours can leave the tree;
* elimination: the tree falls into one piece per edge of the vertex, which
  the cheapest graph edges between pieces join again.

Both changes ignore the extra gain of pruning leaves afterwards, which the
accepted tree then gets anyway.
"""

from __future__ import annotations

import numpy as np

from twin.fiber.steiner._graph import ArrayGraph, Tree
from twin.fiber.steiner._rooted import RootedTree

__all__ = ["vertex_elimination", "vertex_insertion"]

_EPS = 1e-9


def _tree_bottlenecks(rooted: RootedTree, n: int):
    """Position of each vertex in preorder, and the largest edge on every tree path."""
    order = rooted.order
    s = len(order)
    pos = np.full(n, -1, dtype=np.int64)
    pos[order] = np.arange(s)
    table = np.zeros((s, s))
    for i in range(1, s):
        y = int(order[i])
        row = np.maximum(table[pos[rooted.parent[y]], :i], rooted.up_weight[y])
        table[i, :i] = row
        table[:i, i] = row
    return pos, table


def _prim_cost(m: np.ndarray) -> float:
    k = m.shape[0]
    best = m[0].copy()
    used = np.zeros(k, dtype=bool)
    used[0] = True
    total = 0.0
    for _ in range(k - 1):
        j = int(np.argmin(np.where(used, np.inf, best)))
        total += best[j]
        used[j] = True
        np.minimum(best, m[j], out=best)
    return total


def insertion_change(g: ArrayGraph, pos, table, v: int, bound=None) -> float:
    """Exact change in tree cost from adding vertex v (negative is a gain).

    Only the largest edges on tree paths between v's tree neighbours can
    leave the tree, so the minimum spanning tree of the tree plus v's edges
    changes by as much as that of the complete graph on those neighbours,
    weighted by path bottlenecks, changes when v and its edges join it.
    With ``bound`` (the largest tree edge) a vertex that cannot gain returns
    infinity early.
    """
    start, stop = g.matrix.indptr[v], g.matrix.indptr[v + 1]
    nbrs = g.matrix.indices[start:stop]
    at = pos[nbrs]
    inside = at >= 0
    if inside.sum() < 2:
        return np.inf
    at, star = at[inside], g.matrix.data[start:stop][inside]
    if bound is not None:
        # each star edge past the cheapest can only replace a tree edge
        star_sorted = np.sort(star)
        if star_sorted[0] + np.minimum(star_sorted[1:] - bound, 0.0).sum() >= -_EPS:
            return np.inf
    k = len(at)
    m = np.empty((k + 1, k + 1))
    m[:k, :k] = table[np.ix_(at, at)]
    m[k, :k] = m[:k, k] = star
    m[k, k] = 0.0
    return _prim_cost(m) - _prim_cost(m[:k, :k])


def vertex_insertion(g: ArrayGraph, tree: Tree, rng) -> Tree | None:
    """Add each non-tree vertex touching two tree vertices in turn; keep gains."""
    touching = g.pattern @ tree.vertices.astype(np.int32)
    candidates = np.flatnonzero((touching >= 2) & ~tree.vertices)
    improved = None
    pos, table = _tree_bottlenecks(RootedTree(g, tree), g.n)
    heaviest = max(c for _, _, c in tree.edges)
    for v in rng.permutation(candidates):
        if insertion_change(g, pos, table, int(v), bound=heaviest) >= -_EPS:
            continue
        mask = tree.vertices.copy()
        mask[v] = True
        better = g.tree(mask)
        if better is not None and better.cost < tree.cost - _EPS:
            tree = improved = better
            pos, table = _tree_bottlenecks(RootedTree(g, tree), g.n)
            heaviest = max(c for _, _, c in tree.edges)
    return improved


def _induced_edges(g: ArrayGraph, vertices: np.ndarray):
    inside = vertices[g.eu] & vertices[g.ev]
    return g.eu[inside], g.ev[inside], g.w[inside]


def elimination_change(g: ArrayGraph, rooted: RootedTree, induced, v: int) -> float:
    """Exact change in spanning-tree cost from dropping tree vertex v."""
    label = np.full(g.n, -1, dtype=np.int64)
    label[rooted.order] = 0
    children = [y for y in rooted.adjacency[v] if y != rooted.parent[v]]
    for i, y in enumerate(children, start=1):
        label[rooted.subtree(y)] = i
    label[v] = -1
    eu, ev, w = induced
    a, b = label[eu], label[ev]
    across = (a >= 0) & (b >= 0) & (a != b)
    d = len(children) + 1
    cheapest = np.full((d, d), np.inf)
    np.minimum.at(cheapest, (a[across], b[across]), w[across])
    cheapest = np.minimum(cheapest, cheapest.T)
    np.fill_diagonal(cheapest, 0.0)
    return _prim_cost(cheapest) - sum(rooted.adjacency[v].values())


def vertex_elimination(g: ArrayGraph, tree: Tree) -> Tree | None:
    """Drop each non-terminal branch vertex in turn; keep the drops that pay.

    Vertices of degree 2 are left to key-path exchange, which covers them.
    """
    rooted = RootedTree(g, tree)
    induced = _induced_edges(g, tree.vertices)
    for v in [v for v, a in rooted.adjacency.items() if len(a) >= 3 and not g.terminal[v]]:
        if elimination_change(g, rooted, induced, v) >= -_EPS:
            continue
        mask = tree.vertices.copy()
        mask[v] = False
        better = g.tree(mask)
        if better is not None and better.cost < tree.cost - _EPS:
            return better
    return None

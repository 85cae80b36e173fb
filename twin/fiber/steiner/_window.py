"""Window search: improve a tree of a large graph one neighbourhood at a time.

A window is the set of vertices nearest to one vertex of the tree, small
enough for the all-pairs search.  Inside it the tree is re-solved: the parts
of the tree outside the window are kept, and each of them becomes a single
terminal (a hub joined by zero-weight edges to the window vertices it
touches), because it already connects those vertices.  The best tree of the
window problem replaces the tree's edges inside the window when that is
cheaper.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from twin.fiber.steiner._graph import ArrayGraph, Tree

__all__ = ["improve_by_windows"]


def _window(g: ArrayGraph, center: int, size: int) -> np.ndarray:
    dist = dijkstra(g.matrix, directed=False, indices=center)
    order = np.argsort(dist, kind="stable")[:size]
    inside = np.zeros(g.n, dtype=bool)
    inside[order[np.isfinite(dist[order])]] = True
    return inside


def _window_problem(g: ArrayGraph, tree: Tree, inside: np.ndarray):
    """Edge arrays of the window problem; the first ``len(ids)`` edges are g's."""
    local = np.full(g.n, -1, dtype=np.int64)
    members = np.flatnonzero(inside)
    local[members] = np.arange(len(members))
    ids = np.flatnonzero(inside[g.eu] & inside[g.ev])
    tu = np.array([e[0] for e in tree.edges], dtype=np.int64)
    tv = np.array([e[1] for e in tree.edges], dtype=np.int64)
    out = ~(inside[tu] & inside[tv])
    forest = coo_matrix((np.ones(out.sum()), (tu[out], tv[out])), shape=(g.n, g.n))
    _, label = connected_components(forest, directed=False)
    boundary = np.unique(np.r_[tu[out], tv[out]])
    boundary = boundary[inside[boundary]]
    hubs, hub_of = np.unique(label[boundary], return_inverse=True)
    k = len(members)
    eu = np.r_[local[g.eu[ids]], k + hub_of]
    ev = np.r_[local[g.ev[ids]], local[boundary]]
    w = np.r_[g.w[ids], np.zeros(len(boundary))]
    terminal = np.r_[g.terminal[members], np.ones(len(hubs), dtype=bool)]
    return ids, k + len(hubs), eu, ev, w, terminal


def _rebuilt(g: ArrayGraph, tree: Tree, inside: np.ndarray, new_edges: np.ndarray) -> Tree | None:
    """The tree with its edges inside the window replaced by ``new_edges``."""
    mask = np.zeros(g.n, dtype=bool)
    mask[g.terminals] = True
    for u, v, _ in tree.edges:
        if not (inside[u] and inside[v]):
            mask[u] = mask[v] = True
    mask[g.eu[new_edges]] = True
    mask[g.ev[new_edges]] = True
    return g.tree(mask)


def improve_by_windows(g: ArrayGraph, tree: Tree, solve, budget, rng, *, size: int) -> Tree:
    """Re-solve windows around tree vertices until a sweep finds no gain.

    ``solve(n, eu, ev, w, terminal)`` returns the chosen edge ids of a
    problem in array form, or None when out of time.  Each window is centred on a tree vertex that no
    window has covered since the last gain; the search stops when every
    vertex of the tree has been covered without a gain, or at the deadline.
    """
    uncovered = tree.vertices.copy()
    while uncovered.any() and not budget.expired():
        center = int(rng.choice(np.flatnonzero(uncovered)))
        inside = _window(g, center, size)
        ids, n, eu, ev, w, terminal = _window_problem(g, tree, inside)
        found = solve(n, eu, ev, w, terminal)
        if found is None:  # out of time
            break
        chosen = np.asarray(found, dtype=np.int64)
        better = _rebuilt(g, tree, inside, ids[chosen[chosen < len(ids)]])
        if better is not None and better.cost < tree.cost - 1e-9:
            tree, uncovered = better, better.vertices & ~inside
        else:
            uncovered &= ~inside
    return tree

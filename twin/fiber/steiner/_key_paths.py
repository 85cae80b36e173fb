"""Key-path exchange and key-vertex elimination.

A key vertex is a terminal or a vertex of degree three or more; a key path
joins two key vertices through vertices of degree two.  Dropping a key path
(or a non-terminal key vertex with its key paths) cuts the tree into pieces,
which are joined again by the shortest paths between them.  The distance
between two pieces is the minimum over a block of the all-pairs distance
matrix, so each try is one vectorised operation.
"""

from __future__ import annotations

import numpy as np

from twin.fiber.steiner._graph import ArrayGraph, Tree
from twin.fiber.steiner._rooted import RootedTree

__all__ = ["key_path_exchange", "key_vertex_elimination"]

_EPS = 1e-9


def _closest_pair(g: ArrayGraph, a: np.ndarray, b: np.ndarray):
    """Distance and ends of the shortest path from vertex set a to set b."""
    if len(a) > len(b):
        gap, y, x = _closest_pair(g, b, a)
        return gap, x, y
    block = g.dist[a][:, b]  # two plain gathers beat one np.ix_ gather
    k = int(np.argmin(block))
    i, j = divmod(k, block.shape[1])
    return float(block[i, j]), int(a[i]), int(b[j])


def _replaced(g, tree, drop, paths) -> Tree | None:
    """The tree on the current vertices minus ``drop`` plus the given paths."""
    mask = tree.vertices.copy()
    mask[list(drop)] = False
    for a, b in paths:
        mask[g.path(a, b)] = True
    better = g.tree(mask)
    if better is not None and better.cost < tree.cost - _EPS:
        return better
    return None


def key_path_exchange(g: ArrayGraph, tree: Tree) -> Tree | None:
    """First improving key-path exchange, or None."""
    rooted = RootedTree(g, tree)
    for b in rooted.key:
        if rooted.parent[b] < 0:
            continue
        interior, length, top = rooted.up_path(b)
        gap, x, y = _closest_pair(g, rooted.outside(top), rooted.subtree(b))
        if gap < length - _EPS:
            better = _replaced(g, tree, interior, [(x, y)])
            if better is not None:
                return better
    return None


def key_vertex_elimination(g: ArrayGraph, tree: Tree) -> Tree | None:
    """First improving removal of a non-terminal branch vertex, or None."""
    rooted = RootedTree(g, tree)
    for v in rooted.key:
        if g.terminal[v]:
            continue
        interior, saved, top = rooted.up_path(v)
        drop, pieces = [v, *interior], [rooted.outside(top)]
        for y in rooted.adjacency[v]:
            if y != rooted.parent[v]:
                inner, length, end = rooted.down_path(y)
                drop += inner
                saved += length
                pieces.append(rooted.subtree(end))
        cost, links = _piece_tree(g, pieces)
        if cost < saved - _EPS:
            better = _replaced(g, tree, drop, links)
            if better is not None:
                return better
    return None


def _piece_tree(g: ArrayGraph, pieces):
    """Minimum spanning tree (Prim) joining the pieces by shortest paths."""
    k = len(pieces)
    pair = {}
    for i in range(k):
        for j in range(i + 1, k):
            pair[i, j] = pair[j, i] = _closest_pair(g, pieces[i], pieces[j])
    joined, cost, links = {0}, 0.0, []
    while len(joined) < k:
        i, j = min(
            ((i, j) for i in joined for j in range(k) if j not in joined),
            key=lambda p: pair[p][0],
        )
        gap, x, y = pair[i, j]
        cost += gap
        links.append((x, y))
        joined.add(j)
    return cost, links

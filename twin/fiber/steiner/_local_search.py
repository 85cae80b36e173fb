"""Local search on Steiner trees held as vertex sets.

Four neighbourhoods, applied until none improves the tree:

* key-path exchange: drop a key path (a chain between terminals or branch
  vertices) and reconnect the two halves by the shortest path between them;
* key-vertex elimination: drop a non-terminal branch vertex with its key
  paths and reconnect the pieces by a minimum spanning tree of shortest paths;
* Steiner-vertex insertion and elimination: add or drop one vertex and take
  the minimum spanning tree of the new vertex set.

The first two read the all-pairs distance matrix, so the distance between two
pieces of the tree is a vectorised minimum over a block of it.
"""

from __future__ import annotations

import time

import numpy as np

from twin.fiber.steiner._graph import ArrayGraph, Tree

__all__ = ["improve"]

_EPS = 1e-9


class _Rooted:
    """The tree rooted at a terminal, with preorder ranges of its subtrees."""

    def __init__(self, g: ArrayGraph, tree: Tree):
        adjacency: dict[int, dict[int, float]] = {int(v): {} for v in np.flatnonzero(tree.vertices)}
        for u, v, c in tree.edges:
            adjacency[u][v] = c
            adjacency[v][u] = c
        root = next(v for v in adjacency if g.terminal[v])
        parent, up_weight, tin = {root: -1}, {root: 0.0}, {}
        order, stack = [], [root]
        while stack:
            x = stack.pop()
            tin[x] = len(order)
            order.append(x)
            for y, c in adjacency[x].items():
                if y != parent[x]:
                    parent[y], up_weight[y] = x, c
                    stack.append(y)
        size = dict.fromkeys(order, 1)
        for x in reversed(order[1:]):
            size[parent[x]] += size[x]
        self.adjacency, self.parent, self.up_weight = adjacency, parent, up_weight
        self.order = np.array(order, dtype=np.int64)
        self.tin, self.size = tin, size
        self.key = {v for v, a in adjacency.items() if g.terminal[v] or len(a) >= 3}

    def subtree(self, v) -> np.ndarray:
        return self.order[self.tin[v] : self.tin[v] + self.size[v]]

    def outside(self, v) -> np.ndarray:
        return np.r_[self.order[: self.tin[v]], self.order[self.tin[v] + self.size[v] :]]

    def up_path(self, b):
        """Walk up from key vertex b: (interior, length, child of the upper key)."""
        interior, length, x = [], 0.0, b
        while True:
            length += self.up_weight[x]
            p = self.parent[x]
            if p in self.key:
                return interior, length, x
            interior.append(p)
            x = p

    def down_path(self, y):
        """Walk down from y to the next key vertex: (interior, length, key vertex)."""
        interior, length, x = [], self.up_weight[y], y
        while x not in self.key:
            interior.append(x)
            (x,) = (c for c in self.adjacency[x] if c != self.parent[x])
            length += self.up_weight[x]
        return interior, length, x


def _closest_pair(g: ArrayGraph, a: np.ndarray, b: np.ndarray):
    block = g.dist[np.ix_(a, b)]
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
    rooted = _Rooted(g, tree)
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
    rooted = _Rooted(g, tree)
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


def _tree_bottlenecks(rooted: _Rooted, n: int):
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


def insertion_change(g: ArrayGraph, pos, table, v: int) -> float:
    """Exact change in tree cost from adding vertex v (negative is a gain).

    Only the largest edges on tree paths between v's tree neighbours can
    leave the tree, so the minimum spanning tree of the tree plus v's edges
    changes by as much as that of the complete graph on those neighbours,
    weighted by path bottlenecks, changes when v and its edges join it.
    """
    start, stop = g.matrix.indptr[v], g.matrix.indptr[v + 1]
    nbrs = g.matrix.indices[start:stop]
    at = pos[nbrs]
    inside = at >= 0
    if inside.sum() < 2:
        return np.inf
    at, star = at[inside], g.matrix.data[start:stop][inside]
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
    pos, table = _tree_bottlenecks(_Rooted(g, tree), g.n)
    for v in rng.permutation(candidates):
        if insertion_change(g, pos, table, int(v)) >= -_EPS:
            continue
        mask = tree.vertices.copy()
        mask[v] = True
        better = g.tree(mask)
        if better is not None and better.cost < tree.cost - _EPS:
            tree = improved = better
            pos, table = _tree_bottlenecks(_Rooted(g, tree), g.n)
    return improved


def vertex_elimination(g: ArrayGraph, tree: Tree) -> Tree | None:
    """Drop each non-terminal branch vertex in turn; keep the drops that pay.

    Vertices of degree 2 are left to key-path exchange, which covers them.
    """
    degree = np.zeros(g.n, dtype=np.int64)
    for u, v, _ in tree.edges:
        degree[u] += 1
        degree[v] += 1
    improved = None
    for v in np.flatnonzero((degree >= 3) & ~g.terminal):
        if not tree.vertices[v]:
            continue
        mask = tree.vertices.copy()
        mask[v] = False
        better = g.tree(mask)
        if better is not None and better.cost < tree.cost - _EPS:
            tree = improved = better
    return improved


def improve(g: ArrayGraph, tree: Tree, rng, deadline: float) -> Tree:
    """Apply the four neighbourhoods until none improves or time runs out."""
    moves = [
        lambda t: key_path_exchange(g, t),
        lambda t: key_vertex_elimination(g, t),
        lambda t: vertex_insertion(g, t, rng),
        lambda t: vertex_elimination(g, t),
    ]
    stale = 0
    while stale < len(moves) and time.perf_counter() < deadline:
        for move in moves:
            better = move(tree)
            while better is not None and time.perf_counter() < deadline:
                tree, stale = better, 0
                better = move(tree)
            stale += 1
            if stale >= len(moves):
                break
    return tree

"""A Steiner tree rooted at a terminal, for the moves that cut it apart."""

from __future__ import annotations

import numpy as np

from twin.fiber.steiner._graph import ArrayGraph, Tree

__all__ = ["RootedTree"]


class RootedTree:
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

"""A reduced problem in array form, with the trees its vertex sets span.

A solution is held as a set of vertices: its tree is the minimum spanning
tree of the subgraph they induce, with non-terminal leaves pruned.  That tree
is never worse than any other tree on the same vertices, so every local move
only has to say which vertices to add or drop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree, shortest_path

__all__ = ["ArrayGraph", "Tree"]


@dataclass
class Tree:
    """A Steiner tree on an :class:`ArrayGraph`."""

    cost: float
    vertices: np.ndarray  # bool mask
    edges: list[tuple[int, int, float]] = field(default_factory=list)

    def key(self) -> bytes:
        return np.packbits(self.vertices).tobytes()


class ArrayGraph:
    """Edge arrays plus the sparse matrix and distances the search reads.

    Parameters
    ----------
    n : int
        Vertex count.
    eu, ev, w : numpy.ndarray
        Edge ends and positive weights (zero weights must be contracted first:
        a sparse matrix cannot hold them).
    terminal : numpy.ndarray of bool
    with_distances : bool
        Compute the all-pairs distance and predecessor matrices (memory
        ``12 n^2`` bytes).
    """

    def __init__(self, n, eu, ev, w, terminal, *, with_distances=True):
        self.n = n
        self.eu, self.ev, self.w = eu, ev, w
        self.terminal = terminal
        self.terminals = np.flatnonzero(terminal)
        rows, cols = np.r_[eu, ev], np.r_[ev, eu]
        self.matrix = coo_matrix((np.r_[w, w], (rows, cols)), shape=(n, n)).tocsr()
        ids = np.r_[np.arange(len(eu)), np.arange(len(eu))] + 1
        self.edge_id = coo_matrix((ids, (rows, cols)), shape=(n, n)).tocsr()
        self.pattern = (self.matrix > 0).astype(np.int32)
        self.dist = self.pred = None
        self.noisy: ArrayGraph | None = None  # perturbed copy for restarts
        if with_distances:
            self.dist, self.pred = shortest_path(
                self.matrix, method="D", directed=False, return_predecessors=True
            )

    def path(self, a: int, b: int) -> list[int]:
        """Vertices of the stored shortest path from a to b, both included."""
        row = self.pred[a]
        out = [b]
        while out[-1] != a:
            out.append(int(row[out[-1]]))
        return out

    def tree(self, vertices: np.ndarray) -> Tree | None:
        """Pruned minimum spanning tree on ``vertices``; None if disconnected."""
        idx = np.flatnonzero(vertices)
        if len(idx) <= 1:
            return Tree(0.0, vertices.copy(), [])
        sub = self.matrix[idx][:, idx]
        mst = minimum_spanning_tree(sub).tocoo()
        if mst.nnz != len(idx) - 1:
            return None
        return self._pruned(idx, idx[mst.row], idx[mst.col], mst.data)

    def _pruned(self, idx, us, vs, ws) -> Tree:
        adjacency: dict[int, dict[int, float]] = {int(v): {} for v in idx}
        for u, v, c in zip(us.tolist(), vs.tolist(), ws.tolist()):
            adjacency[u][v] = c
            adjacency[v][u] = c
        terminal = self.terminal
        leaves = [v for v, a in adjacency.items() if len(a) == 1 and not terminal[v]]
        while leaves:
            v = leaves.pop()
            (u,) = adjacency.pop(v)
            del adjacency[u][v]
            if len(adjacency[u]) == 1 and not terminal[u]:
                leaves.append(u)
        mask = np.zeros(self.n, dtype=bool)
        mask[list(adjacency)] = True
        edges = [(u, v, c) for u, a in adjacency.items() for v, c in a.items() if u < v]
        return Tree(sum(e[2] for e in edges), mask, edges)

    def edge_ids(self, edges) -> list[int]:
        """Indices into ``eu/ev/w`` of the given vertex pairs."""
        if not edges:
            return []
        us, vs, _ = zip(*edges)
        return (np.asarray(self.edge_id[list(us), list(vs)]).ravel() - 1).tolist()

    def perturbed(self, scale: np.ndarray) -> ArrayGraph:
        """The same graph with edge weights multiplied by ``scale``."""
        return ArrayGraph(self.n, self.eu, self.ev, self.w * scale, self.terminal)

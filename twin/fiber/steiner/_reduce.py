"""Reductions that shrink a Steiner problem without losing every optimum.

Each test removes a vertex or an edge that some optimal tree can do without,
or fixes an edge that some optimal tree contains, so the reduced problem has
the same optimal cost once the fixed edges are added back.  They matter most
on sparse graphs (long chains of degree-2 vertices, dangling branches) and on
dense ones (the special-distance test drops most long edges).

Tests used (all exact):

* zero-weight edges are contracted;
* a non-terminal of degree 0 or 1 is deleted;
* a non-terminal of degree 2 is replaced by one edge joining its neighbours;
* a terminal of degree 1 fixes its edge and merges into its neighbour;
* nearest vertex: a terminal whose cheapest edge plus the distance from that
  neighbour to another terminal is no longer than its second-cheapest edge
  fixes that cheapest edge;
* special distance: an edge longer than the bottleneck Steiner distance
  between its ends is in no optimal tree;
* degree 3 (NTD3, :mod:`._reduce_degree3`): a Steiner vertex of degree 3
  whose neighbours join as cheaply without it is replaced by edges between
  them.

The nearest-vertex and special-distance tests need all-pairs distances and
only run on graphs small enough for a dense distance matrix.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import shortest_path

from twin.fiber.steiner._reduce_degree3 import degree3_tests

__all__ = ["Reduced", "reduce_problem"]


@dataclass
class Reduced:
    """A reduced problem on vertices ``0 .. n-1`` and how to map it back.

    ``origin[k]`` lists the input edge ids that reduced edge ``k`` stands for
    (a contracted chain); ``fixed`` lists input edge ids that belong to the
    tree whatever the reduced solution is.
    """

    n: int
    eu: np.ndarray
    ev: np.ndarray
    w: np.ndarray
    terminal: np.ndarray
    origin: list[tuple[int, ...]]
    fixed: list[int]


class _WorkGraph:
    """Adjacency maps that contractions and deletions edit in place."""

    def __init__(self, n, eu, ev, w, terminal):
        self.adj: list[dict[int, int]] = [{} for _ in range(n)]
        self.weight: list[float] = []
        self.origin: list[tuple[int, ...]] = []
        self.terminals = {int(v) for v in np.flatnonzero(terminal)}
        self.fixed: list[int] = []
        for k, (u, v, wk) in enumerate(zip(eu.tolist(), ev.tolist(), w.tolist())):
            if u != v:
                self._link(u, v, self._new_edge(wk, (k,)))

    def _new_edge(self, weight, origin) -> int:
        self.weight.append(weight)
        self.origin.append(origin)
        return len(self.weight) - 1

    def _link(self, u, v, e) -> None:
        """Join u and v by edge e, keeping the cheaper of parallel edges."""
        old = self.adj[u].get(v)
        if old is None or self.weight[e] < self.weight[old]:
            self.adj[u][v] = e
            self.adj[v][u] = e

    def delete_vertex(self, v) -> list[int]:
        neighbours = list(self.adj[v])
        for x in neighbours:
            del self.adj[x][v]
        self.adj[v] = {}
        return neighbours

    def delete_edge(self, u, v) -> None:
        del self.adj[u][v]
        del self.adj[v][u]

    def contract(self, keep, gone) -> list[int]:
        """Fix edge (keep, gone) and merge ``gone`` into ``keep``."""
        e = self.adj[keep][gone]
        self.fixed.extend(self.origin[e])
        self.delete_edge(keep, gone)
        moved = list(self.adj[gone].items())
        self.delete_vertex(gone)
        for x, ex in moved:
            self._link(keep, x, ex)
        if gone in self.terminals:
            self.terminals.discard(gone)
            self.terminals.add(keep)
        return [keep] + [x for x, _ in moved]

    def pseudo_eliminate(self, v) -> list[int]:
        """Replace Steiner vertex v by an edge between each two of its neighbours."""
        around = list(self.adj[v].items())
        self.delete_vertex(v)
        for i, (x, ex) in enumerate(around):
            for y, ey in around[i + 1 :]:
                merged = self._new_edge(
                    self.weight[ex] + self.weight[ey], self.origin[ex] + self.origin[ey]
                )
                self._link(x, y, merged)
        return [x for x, _ in around]

    def bypass(self, v) -> list[int]:
        """Replace non-terminal v of degree 2 by one edge between its neighbours."""
        (a, ea), (b, eb) = self.adj[v].items()
        self.delete_vertex(v)
        merged = self._new_edge(
            self.weight[ea] + self.weight[eb], self.origin[ea] + self.origin[eb]
        )
        self._link(a, b, merged)
        return [a, b]


def _degree_tests(g: _WorkGraph, todo) -> int:
    """Apply the degree and zero-weight tests until none applies; count changes."""
    changes = 0
    stack = list(todo)
    while stack:
        v = stack.pop()
        nbrs = g.adj[v]
        zero = next((x for x, e in nbrs.items() if g.weight[e] <= 0.0), None)
        if len(g.terminals) <= 1 and v not in g.terminals and nbrs:
            stack.extend(g.delete_vertex(v))
        elif zero is not None:
            stack.extend(g.contract(zero, v))
        elif v not in g.terminals and 0 < len(nbrs) <= 2:
            stack.extend(g.delete_vertex(v) if len(nbrs) == 1 else g.bypass(v))
        elif v in g.terminals and len(nbrs) == 1 and len(g.terminals) > 1:
            stack.extend(g.contract(next(iter(nbrs)), v))
        else:
            continue
        changes += 1
    return changes


def _compact(g: _WorkGraph):
    """Alive vertices renumbered, and the edge arrays between them."""
    alive = [v for v, nbrs in enumerate(g.adj) if nbrs or v in g.terminals]
    index = {v: i for i, v in enumerate(alive)}
    rows = [(index[u], index[v], e) for u in alive for v, e in g.adj[u].items() if u < v]
    eu = np.array([r[0] for r in rows], dtype=np.int64)
    ev = np.array([r[1] for r in rows], dtype=np.int64)
    eid = [r[2] for r in rows]
    return alive, index, eu, ev, eid


def _distance_tests(g: _WorkGraph, dense_limit: int) -> int:
    """Nearest-vertex and special-distance tests on one all-pairs distance matrix.

    Both tests are decided on the graph as it stands; that stays valid while
    they are applied because deletions keep every optimal tree and each
    contraction keeps some optimal tree containing the later ones.
    """
    alive, index, eu, ev, eid = _compact(g)
    n = len(alive)
    if n > dense_limit or n < 3 or len(g.terminals) < 2:
        return 0
    w = np.array([g.weight[e] for e in eid])
    matrix = coo_matrix((np.r_[w, w], (np.r_[eu, ev], np.r_[ev, eu])), shape=(n, n)).tocsr()
    dist = shortest_path(matrix, method="D", directed=False)
    term = np.array(sorted(index[t] for t in g.terminals))
    nearest = _nearest_vertex_edges(g, alive, index, dist, term)
    bound = _special_distance(dist, term, eu, ev)
    doomed = np.flatnonzero(bound < w * (1.0 - 1e-12))
    for k in doomed:
        g.delete_edge(alive[eu[k]], alive[ev[k]])
    touched: set[int] = set()
    for t, u in nearest:
        if t not in touched:
            touched.update([t, *g.adj[t]])
            g.contract(u, t)
    return len(doomed) + len(nearest)


def _nearest_vertex_edges(g, alive, index, dist, term) -> list[tuple[int, int]]:
    """Terminal edges (t, u) that the nearest-vertex test puts in a tree."""
    found = []
    for t in [alive[i] for i in term]:
        if len(g.adj[t]) < 2:
            continue
        (w1, u), (w2, _) = sorted((g.weight[e], x) for x, e in g.adj[t].items())[:2]
        others = term[term != index[t]]
        if others.size and w1 + dist[index[u], others].min() <= w2:
            found.append((t, u))
    return found


def _special_distance(dist, term, eu, ev) -> np.ndarray:
    """Upper bound on the bottleneck Steiner distance between each edge's ends.

    The bound is the minimax path from u to v in the complete distance graph
    on the terminals plus {u, v}; an edge longer than it is in no optimal tree.
    """
    to_term = dist[:, term]
    bottleneck = _minimax_distances(to_term[term])
    # via[u, z2] = min over z1 of max(d(u, z1), bottleneck(z1, z2))
    via = np.empty_like(to_term)
    step = max(1, 4_000_000 // max(1, len(term) ** 2))
    for start in range(0, dist.shape[0], step):
        block = to_term[start : start + step, :, None]
        via[start : start + step] = np.maximum(block, bottleneck[None]).min(axis=1)
    bound = dist[eu, ev].copy()
    step = max(1, 4_000_000 // max(1, len(term)))
    for start in range(0, len(eu), step):
        a = via[eu[start : start + step]]
        b = to_term[ev[start : start + step]]
        bound[start : start + step] = np.minimum(
            bound[start : start + step], np.maximum(a, b).min(axis=1)
        )
    return bound


def _minimax_distances(dist: np.ndarray) -> np.ndarray:
    """Bottleneck (minimax) distance between every pair of a complete graph.

    Prim's algorithm: a vertex joining the tree by an edge of weight c has, to
    every vertex already in it, the bottleneck of its parent or c if larger.
    """
    k = dist.shape[0]
    result = np.zeros((k, k))
    in_tree = np.zeros(k, dtype=bool)
    in_tree[0] = True
    best = dist[0].copy()
    parent = np.zeros(k, dtype=np.int64)
    members = [0]
    for _ in range(k - 1):
        y = int(np.argmin(np.where(in_tree, np.inf, best)))
        inside = np.array(members)
        row = np.maximum(result[parent[y], inside], best[y])
        result[y, inside] = row
        result[inside, y] = row
        in_tree[y] = True
        members.append(y)
        closer = dist[y] < best
        best[closer] = dist[y][closer]
        parent[closer] = y
    return result


def reduce_problem(
    n, eu, ev, w, terminal, *, dense_limit=2000, max_rounds=8, deadline=math.inf
) -> Reduced:
    """Shrink a Steiner problem given as edge arrays on vertices ``0 .. n-1``.

    Parameters
    ----------
    n : int
        Number of vertices.
    eu, ev, w : numpy.ndarray
        Edge ends and non-negative weights.
    terminal : numpy.ndarray of bool
        Which vertices must be connected.
    dense_limit : int
        Largest vertex count on which the distance-based tests run (they
        hold an ``n x n`` distance matrix).
    max_rounds : int
        Most rounds of the distance-based tests (each computes all-pairs
        distances); rounds also stop once one changes almost nothing.
    deadline : float
        :func:`time.perf_counter` value after which no new round starts.

    Returns
    -------
    Reduced
    """
    g = _WorkGraph(n, eu, ev, w, terminal)
    _degree_tests(g, range(n))
    _degree_tests(g, degree3_tests(g))
    for _ in range(max_rounds):
        if time.perf_counter() >= deadline:
            break
        before = [len(a) for a in g.adj]
        changes = _distance_tests(g, dense_limit)
        if changes:
            _degree_tests(g, [v for v, a in enumerate(g.adj) if len(a) != before[v]])
        if changes <= len(g.weight) // 1000:
            break
    alive, _, eu2, ev2, eid = _compact(g)
    is_terminal = np.array([v in g.terminals for v in alive], dtype=bool)
    return Reduced(
        n=len(alive),
        eu=eu2,
        ev=ev2,
        w=np.array([g.weight[e] for e in eid], dtype=float),
        terminal=is_terminal,
        origin=[g.origin[e] for e in eid],
        fixed=g.fixed,
    )

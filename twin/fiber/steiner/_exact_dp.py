"""Exact Steiner trees for few terminals: the Dreyfus-Wagner dynamic programme.

``cost[S][v]`` is the cheapest tree joining the terminals of subset ``S``
and vertex ``v``.  It is the better of joining ``v`` to two trees that split
``S`` at ``v`` and of reaching ``v`` from such a tree by a shortest path
(Erickson, Monma and Veinott's form: one Dijkstra per subset, started from
every vertex at once).  Time ``O(3^k n + 2^k m log n)`` and memory
``2^k n`` numbers for ``k + 1`` terminals, so it is used for up to about a
dozen terminals on a reduced graph.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

__all__ = ["dp_fits", "steiner_dp"]

_FAR = 1e18  # "unreachable" for a sparse matrix entry
MAX_CELLS = 1_300_000  # table entries: about a second of work (10 terminals on 2,500 vertices)


MAX_TERMINALS = 12


def dp_fits(n: int, terminals: int, *, max_terminals: int = MAX_TERMINALS) -> bool:
    """Whether the table for ``terminals`` on ``n`` vertices is small enough."""
    return 2 <= terminals <= max_terminals and (2 ** (terminals - 1)) * n <= MAX_CELLS


def steiner_dp(n, eu, ev, w, terminal) -> tuple[float, list[int]]:
    """Optimal cost and edge ids of a Steiner tree (weights positive)."""
    terms = np.flatnonzero(terminal).tolist()
    root, others = terms[-1], terms[:-1]
    q = len(others)
    full = (1 << q) - 1
    # one matrix for every Dijkstra: vertex n reaches each vertex v at cost[S][v]
    rows = np.r_[eu, ev, np.full(n, n)]
    cols = np.r_[ev, eu, np.arange(n)]
    graph = csr_matrix((np.r_[w, w, np.zeros(n)], (rows, cols)), shape=(n + 1, n + 1))
    graph.sort_indices()  # row n then lists vertices 0 .. n-1 in order
    super_arcs = slice(graph.indptr[n], graph.indptr[n + 1])
    cost = np.empty((full + 1, n))
    for i, t in enumerate(others):
        cost[1 << i] = dijkstra(graph, directed=True, indices=t)[:n]
    order = sorted(range(1, full + 1), key=lambda s: bin(s).count("1"))
    scratch = np.empty(n)
    for s in order:
        if s & (s - 1) == 0:
            continue
        joined = _best_split(cost, s, scratch)
        graph.data[super_arcs] = np.minimum(joined, _FAR)
        cost[s] = dijkstra(graph, directed=True, indices=n)[:n]
    edges = _tree_edges(cost, full, root, others, n, eu, ev, w)
    return float(cost[full][root]), edges


def _best_split(cost, s, scratch) -> np.ndarray:
    """min over splits (A, S-A) of cost[A] + cost[S-A], A holding S's lowest bit."""
    low = s & -s
    rest = s ^ low
    best = np.full(cost.shape[1], np.inf)
    sub = rest
    while True:
        a = sub | low
        if a != s:
            np.add(cost[a], cost[s ^ a], out=scratch)
            np.minimum(best, scratch, out=best)
        if sub == 0:
            break
        sub = (sub - 1) & rest
    return best


def _tree_edges(cost, full, root, others, n, eu, ev, w) -> list[int]:
    """Edge ids of the optimal tree, traced back through the table."""
    adjacency: list[list[tuple[int, float, int]]] = [[] for _ in range(n)]
    for k, (u, v, c) in enumerate(zip(eu.tolist(), ev.tolist(), w.tolist())):
        adjacency[u].append((v, c, k))
        adjacency[v].append((u, c, k))
    chosen: set[int] = set()
    stack = [(full, root)]
    while stack:
        s, v = stack.pop()
        value = cost[s][v]
        if s & (s - 1) == 0 and others[s.bit_length() - 1] == v:
            continue
        split = _split_at(cost, s, v, value) if s & (s - 1) else None
        if split is not None:
            stack += [(split, v), (s ^ split, v)]
            continue
        u, k = next((u, k) for u, c, k in adjacency[v] if _same(cost[s][u] + c, value) and u != v)
        chosen.add(k)
        stack.append((s, u))
    return sorted(chosen)


def _split_at(cost, s, v, value) -> int | None:
    low = s & -s
    rest = s ^ low
    sub = rest
    while True:
        a = sub | low
        if a != s and _same(cost[a][v] + cost[s ^ a][v], value):
            return a
        if sub == 0:
            return None
        sub = (sub - 1) & rest


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))

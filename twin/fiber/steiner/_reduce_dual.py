"""Reductions by reduced costs: what no tree cheaper than a known one can use.

With a dual ascent from root ``r`` (bound ``L``, reduced costs ``c~``) every
tree ``T`` costs at least ``L + c~(T)``.  A Steiner vertex ``v`` of ``T``
lies on a path from ``r`` to ``v`` and on another from ``v`` to a terminal,
disjoint in arcs, so ``cost(T) >= L + d~(r, v) + d~(v, terminal)``; likewise
for an arc ``(u, v)``: ``L + d~(r, u) + c~(u, v) + d~(v, terminal)``.  A
vertex or edge whose bound exceeds the cost of the best tree known is in no
cheaper tree and is dropped (the known tree is kept by the caller, so
nothing better than it is lost).  With integer weights "cheaper" means at
least one unit cheaper, which cuts deeper.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from twin.fiber.steiner._dual_ascent import DualAscent
from twin.fiber.steiner._reduce import Reduced, reduce_problem

__all__ = ["edges_kept", "reduce_by_bound"]


def edges_kept(red: Reduced, ascent: DualAscent, upper: float, integral: bool) -> np.ndarray:
    """Mask of the edges of ``red`` that a tree cheaper than ``upper`` may use.

    ``upper`` is the cost of a tree of ``red`` (fixed edges not counted).
    """
    n, m = red.n, len(red.eu)
    tails, heads = np.r_[red.eu, red.ev], np.r_[red.ev, red.eu]
    arcs = csr_matrix((ascent.reduced, (tails, heads)), shape=(n, n))
    from_root = dijkstra(arcs, directed=True, indices=ascent.root)
    others = np.flatnonzero(red.terminal & (np.arange(n) != ascent.root))
    to_terminal = dijkstra(arcs.T.tocsr(), directed=True, indices=others, min_only=True)
    limit = upper - 1.0 + 1e-6 if integral else upper * (1.0 + 1e-12) + 1e-12
    lower = ascent.lower_bound
    vertex_ok = lower + from_root + to_terminal <= limit
    vertex_ok |= red.terminal
    arc_ok = lower + from_root[tails] + ascent.reduced + to_terminal[heads] <= limit
    edge_ok = arc_ok[:m] | arc_ok[m:]
    return edge_ok & vertex_ok[red.eu] & vertex_ok[red.ev]


def reduce_by_bound(
    red: Reduced, ascents: list[DualAscent], upper: float, integral: bool, *, deadline
) -> Reduced | None:
    """``red`` without what no tree cheaper than ``upper`` uses, reduced again.

    ``ascents`` are dual ascents on ``red`` (from different roots); an edge
    goes if any of them rules it out.  Returns None when nothing cheaper than
    ``upper`` is left (the terminals fall apart): the known tree is then
    optimal.  Edge ids of the result refer to the input of ``red``, as
    ``red``'s do.
    """
    mask = np.ones(len(red.eu), dtype=bool)
    for ascent in ascents:
        mask &= edges_kept(red, ascent, upper, integral)
    keep = np.flatnonzero(mask)
    if len(keep) == len(red.eu):
        return red
    if not _terminals_connected(red, keep):
        return None
    again = reduce_problem(
        red.n, red.eu[keep], red.ev[keep], red.w[keep], red.terminal, deadline=deadline
    )
    return Reduced(
        n=again.n,
        eu=again.eu,
        ev=again.ev,
        w=again.w,
        terminal=again.terminal,
        origin=[tuple(e for j in o for e in red.origin[keep[j]]) for o in again.origin],
        fixed=list(red.fixed) + [e for j in again.fixed for e in red.origin[keep[j]]],
    )


def _terminals_connected(red: Reduced, keep: np.ndarray) -> bool:
    graph = csr_matrix((np.ones(len(keep)), (red.eu[keep], red.ev[keep])), shape=(red.n, red.n))
    _, label = connected_components(graph, directed=False)
    terminals = np.flatnonzero(red.terminal)
    return bool((label[terminals] == label[terminals[0]]).all())

"""Constructive heuristics: shortest-path heuristic and Mehlhorn's.

Both return a vertex set; :meth:`ArrayGraph.tree` turns it into the pruned
minimum spanning tree on those vertices, which is never worse than the tree
the heuristic drew.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra, minimum_spanning_tree

from twin.fiber.steiner._graph import ArrayGraph

__all__ = ["mehlhorn_vertices", "shortest_path_vertices"]


def shortest_path_vertices(g: ArrayGraph, root: int, *, bias=None) -> np.ndarray:
    """Vertices of the shortest-path heuristic tree grown from ``root``.

    The tree repeatedly joins the terminal nearest to it by a shortest path
    (Takahashi and Matsuyama).  ``bias`` multiplies each vertex's distance
    when choosing the next terminal and where it attaches, so that several
    calls explore different trees; paths themselves stay shortest paths.
    """
    dist = g.dist
    in_tree = np.zeros(g.n, dtype=bool)
    best = np.full(g.n, np.inf)
    attach = np.full(g.n, root, dtype=np.int64)
    todo = g.terminal.copy()
    _join(dist, [root], in_tree, best, attach, todo)
    while todo.any():
        key = best if bias is None else best * bias
        t = int(np.argmin(np.where(todo, key, np.inf)))
        path = g.path(int(attach[t]), t)
        _join(dist, [x for x in path if not in_tree[x]], in_tree, best, attach, todo)
    return in_tree


def _join(dist, new, in_tree, best, attach, todo) -> None:
    """Add vertices to the tree and lower every vertex's distance to it."""
    new = np.asarray(new, dtype=np.int64)
    in_tree[new] = True
    todo[new] = False
    rows = dist[new]
    nearest = rows.argmin(axis=0)
    closest = rows[nearest, np.arange(rows.shape[1])]
    closer = closest < best
    best[closer] = closest[closer]
    attach[closer] = new[nearest[closer]]


def mehlhorn_vertices(g: ArrayGraph, *, scale=None) -> np.ndarray:
    """Vertices of Mehlhorn's tree, which needs no all-pairs distances.

    Every vertex joins the Voronoi region of its nearest terminal; the edges
    between regions give a terminal graph whose minimum spanning tree is
    expanded back into shortest paths.  ``scale`` multiplies edge weights
    (for randomised restarts).
    """
    w = g.w if scale is None else g.w * scale
    n = g.n
    matrix = coo_matrix((np.r_[w, w], (np.r_[g.eu, g.ev], np.r_[g.ev, g.eu])), shape=(n, n))
    dist, pred, source = dijkstra(
        matrix.tocsr(),
        directed=False,
        indices=g.terminals,
        min_only=True,
        return_predecessors=True,
    )
    su, sv = source[g.eu], source[g.ev]
    bridge = np.flatnonzero((su != sv) & (su >= 0) & (sv >= 0))
    mask = np.zeros(n, dtype=bool)
    mask[g.terminals] = True
    if bridge.size == 0:
        return mask
    length = dist[g.eu[bridge]] + w[bridge] + dist[g.ev[bridge]]
    a, b = np.minimum(su[bridge], sv[bridge]), np.maximum(su[bridge], sv[bridge])
    order = np.lexsort((length, b, a))
    first = np.r_[True, (a[order][1:] != a[order][:-1]) | (b[order][1:] != b[order][:-1])]
    pick = bridge[order[first]]
    cheapest = length[order[first]]
    terminal_graph = coo_matrix((cheapest, (source[g.eu[pick]], source[g.ev[pick]])), shape=(n, n))
    tree = minimum_spanning_tree(terminal_graph.tocsr()).tocoo()
    chosen = {(int(r), int(c)) for r, c in zip(tree.row, tree.col)}
    for k in pick:
        ends = (int(source[g.eu[k]]), int(source[g.ev[k]]))
        if ends in chosen or ends[::-1] in chosen:
            for x in (int(g.eu[k]), int(g.ev[k])):
                while not mask[x]:  # back to the region's terminal
                    mask[x] = True
                    x = int(pred[x])
    return mask

"""The degree-3 non-terminal test (NTD3, Duin and Volgenant).

A Steiner vertex ``v`` with three neighbours ``a, b, c`` can be replaced by
the three edges ``a-b``, ``a-c`` and ``b-c`` (each as long as the path
through ``v``) when the three neighbours can be joined at most as cheaply
without ``v``: when the minimum spanning tree of ``{a, b, c}`` under
bottleneck Steiner distances costs no more than ``v``'s three edges.  Then
some optimal tree uses ``v`` with at most two of its edges, and those are
kept as the new edges.  Shortest-path lengths bound the bottleneck Steiner
distances from above, so the test here uses paths that avoid ``v``, found by
a Dijkstra search from each neighbour that stops at the star's cost (or
after a few dozen vertices: the test must stay cheap).
"""

from __future__ import annotations

import heapq

__all__ = ["degree3_tests"]

_SETTLE_LIMIT = 40  # vertices each local search may settle


def degree3_tests(g) -> list[int]:
    """Replace every Steiner vertex of degree 3 the test allows; return touched vertices.

    ``g`` is a :class:`._reduce._WorkGraph`, edited in place.
    """
    touched: list[int] = []
    for v in range(len(g.adj)):
        if len(g.adj[v]) != 3 or v in g.terminals:
            continue
        (a, ea), (b, eb), (c, ec) = g.adj[v].items()
        wa, wb, wc = g.weight[ea], g.weight[eb], g.weight[ec]
        star = wa + wb + wc
        ab, ac = _distances_avoiding(g, a, v, star, (b, c))
        bc = _distances_avoiding(g, b, v, star, (c,))[0]
        pairs = sorted([min(ab, wa + wb), min(ac, wa + wc), min(bc, wb + wc)])
        if pairs[0] + pairs[1] > star:
            continue
        touched += g.pseudo_eliminate(v)
    return touched


def _distances_avoiding(g, source, avoid, radius, targets) -> list[float]:
    """Lengths of shortest paths from ``source`` to ``targets`` not through ``avoid``.

    Infinite where none of length at most ``radius`` is found within the
    settle limit.
    """
    found = dict.fromkeys(targets, float("inf"))
    dist = {source: 0.0}
    heap = [(0.0, source)]
    settled = 0
    while heap and settled < _SETTLE_LIMIT:
        d, x = heapq.heappop(heap)
        if d > dist.get(x, float("inf")) or d > radius:
            continue
        settled += 1
        if x in found:
            found[x] = d
            if all(found[t] < float("inf") for t in targets):
                break
        for y, e in g.adj[x].items():
            if y == avoid:
                continue
            nd = d + g.weight[e]
            if nd < dist.get(y, float("inf")):
                dist[y] = nd
                heapq.heappush(heap, (nd, y))
    return [found[t] for t in targets]

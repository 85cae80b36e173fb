"""Collapse chains of degree-2 nodes into single edges, and expand them back.

A road split at every bend or pole is a long chain of nodes with two
neighbours each; the Steiner search only needs its two ends.  Collapsing
keeps the cheapest chain between two ends and remembers its nodes, so a
solution on the small graph expands back to the road edges it uses.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import networkx as nx

__all__ = ["collapse_chains", "expand_edges"]


def collapse_chains(
    G: nx.Graph, *, keep: Iterable[Hashable] = (), weight: str = "weight"
) -> tuple[nx.Graph, dict[tuple, list]]:
    """Replace every chain of degree-2 nodes (not in ``keep``) by one edge.

    Parameters
    ----------
    G : networkx.Graph
        Undirected weighted graph; not modified.
    keep : iterable of nodes
        Nodes that must stay (terminals).
    weight : str
        Edge attribute summed along a chain.

    Returns
    -------
    H : networkx.Graph
        The collapsed graph; each edge has ``weight`` (the chain's sum).
    paths : dict
        ``(u, v) -> [u, ..., v]`` node path in ``G`` of each edge of ``H``
        (look up either orientation with :func:`expand_edges`).

    Examples
    --------
    >>> G = nx.path_graph(5)
    >>> nx.set_edge_attributes(G, 2.0, "w")
    >>> H, paths = collapse_chains(G, weight="w")
    >>> list(H.edges(data="w")), paths[0, 4]
    ([(0, 4, 8.0)], [0, 1, 2, 3, 4])
    """
    keep = set(keep)
    inner = {n for n in G if G.degree(n) == 2 and n not in keep}
    H = nx.Graph()
    H.add_nodes_from(n for n in G if n not in inner)
    paths: dict[tuple, list] = {}
    for a in H:
        for first in G[a]:
            path, total = [a], 0.0
            prev, cur = a, first
            total += G[a][first].get(weight, 1)
            while cur in inner:
                path.append(cur)
                nxt = next(n for n in G[cur] if n != prev)
                total += G[cur][nxt].get(weight, 1)
                prev, cur = cur, nxt
            path.append(cur)
            if cur == a:
                continue
            old = H.get_edge_data(a, cur)
            if old is None or total < old[weight]:
                H.add_edge(a, cur, **{weight: total})
                paths[a, cur] = path
                paths.pop((cur, a), None)
    return H, paths


def expand_edges(edges: Iterable[tuple], paths: dict[tuple, list]) -> list[tuple]:
    """The edges of ``G`` behind edges ``(u, v)`` of the collapsed graph."""
    out = []
    for u, v in edges:
        path = paths.get((u, v))
        if path is None:
            path = paths[v, u][::-1]
        out.extend(zip(path, path[1:], strict=False))
    return out

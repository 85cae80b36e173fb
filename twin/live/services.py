"""Optional analyses of other areas of the twin, used when they are installed.

The live state opens incidents and ranks renewals whether or not the network
and fiber areas are part of the build; each function here returns None when
the area is missing, and callers say so in their output.
"""

from __future__ import annotations

import networkx as nx

from twin.plugins import load_optional

__all__ = ["downstream_line", "optional", "pipe_criticality"]


def optional(path: str):
    """``module:attribute`` when both exist, else None (a broken module still raises)."""
    try:
        return load_optional(path)
    except AttributeError:  # an older build of that area, without this function
        return None


def downstream_line(session, switch: str) -> str | None:
    """The first line a switching device feeds (away from every source), or None.

    A breaker that opens cuts what it feeds: analysed as a fault on that line,
    the outage engine finds this breaker as the device that tripped, what went
    dark behind it and the switches that restore supply around it.
    """
    registry_for = optional("twin.network.registry:registry_for")
    graph = optional("twin.network.graph")
    if registry_for is None or graph is None:
        return None
    with registry_for(session).graphs(("power",)) as graphs:
        G = graphs["power"]
        if switch not in G:
            return None
        feeding = {n for n, kind in G.nodes(data="kind") if kind in graph.SOURCE_KINDS["power"]}
        # Only what conducts now: open ties and lines out of service carry nothing.
        rest = nx.subgraph_view(
            G,
            filter_node=lambda n: n != switch and graph.node_conducts(G.nodes[n]),
            filter_edge=lambda u, v, k: graph.edge_conducts(G.edges[u, v, k]),
        )
        fed = []
        for u, v, code in G.edges(switch, keys=True):
            other = v if u == switch else u
            if other in rest and not (nx.node_connected_component(rest, other) & feeding):
                fed.append(code)
        return min(fed) if fed else None


def pipe_criticality(session) -> dict[str, float] | None:
    """N-1 criticality score of each water pipe (that of its isolation group), or None."""
    registry_for = optional("twin.network.registry:registry_for")
    ranking = optional("twin.network.rankings:criticality")
    if registry_for is None or ranking is None:
        return None
    _, segmentation, entries = ranking(registry_for(session), "water")
    by_segment = {s: e.score for e in entries for s in e.segments}
    return {pipe: float(by_segment.get(s, 0.0)) for pipe, s in segmentation.edge_segment.items()}

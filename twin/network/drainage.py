"""Drainage: gravity direction, blockages and spills.

Water in a gravity sewer runs from the higher invert to the lower one.  An
edge keeps its declared direction (``start_node`` to ``end_node``) when its
inverts are unknown or equal, and always for pressurised links (pumps,
force mains) and control structures (weirs, orifices, outlets), whose
direction is set by design.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from twin.errors import NotFound
from twin.network.graph import edge_lookup
from twin.network.walk import Condition, passable, reach

__all__ = [
    "BlockageReport",
    "DECLARED_DIRECTION_KINDS",
    "SpillReport",
    "blockage",
    "flow_direction",
    "flow_graph",
    "spill_path",
]

DECLARED_DIRECTION_KINDS = frozenset(
    {"pump", "force_main", "weir", "orifice", "outlet", "inlet_connection"}
)


def _invert(G, node: str, edge_value) -> float | None:
    if edge_value is not None:
        return float(edge_value)
    value = G.nodes[node].get("invert_m")
    return None if value is None else float(value)


def flow_direction(G, u: str, v: str, attrs: Mapping) -> tuple[str, str]:
    """``(from, to)`` of an edge declared ``u`` → ``v``, by gravity.

    Inverts come from the edge (``invert_up`` at ``u``, ``invert_down`` at
    ``v``, in m) or else from the nodes' ``invert_m``.
    """
    if attrs.get("kind") in DECLARED_DIRECTION_KINDS:
        return u, v
    up = _invert(G, u, attrs.get("invert_up"))
    down = _invert(G, v, attrs.get("invert_down"))
    if up is not None and down is not None and down > up:
        return v, u
    return u, v


def flow_graph(G, *, direction: str = "gravity") -> nx.MultiDiGraph:
    """A copy of drainage graph ``G`` with every edge pointing downstream.

    Parameters
    ----------
    direction : {"gravity", "declared"}, keyword-only
        Orient by inverts (:func:`flow_direction`) or keep the declared
        direction.

    Returns
    -------
    networkx.MultiDiGraph
        ``F.graph["flow_ends"]`` maps each edge code to its ``(from, to)``.
        A graph that already has ``flow_ends`` is returned as it is.
    """
    if "flow_ends" in G.graph:
        return G
    F = nx.MultiDiGraph(utility=G.graph.get("utility", "drainage"))
    F.add_nodes_from(G.nodes(data=True))
    ends = {}
    for u, v, k, attrs in G.edges(keys=True, data=True):
        start, end = attrs.get("start_node", u), attrs.get("end_node", v)
        if direction == "gravity":
            start, end = flow_direction(G, start, end, attrs)
        F.add_edge(start, end, key=k, **attrs)
        ends[k] = (start, end)
    F.graph["flow_ends"] = ends
    F.graph["edges_by_code"] = ends
    F.graph["edges_by_code_of"] = id(F)
    return F


@dataclass
class BlockageReport:
    """What backs up behind a blocked conduit.

    ``flood_first`` lists upstream nodes with a rim elevation, lowest rim
    first: with the sewer surcharged they overflow in that order.
    """

    blocked: str
    upstream_nodes: list[str]
    upstream_edges: list[str]
    contributing_area_m2: float
    flood_first: list[dict]

    def to_dict(self) -> dict:
        return dict(self.__dict__, flood_first=[dict(f) for f in self.flood_first])


def blockage(
    G,
    conduit: str,
    *,
    direction: str = "gravity",
    barriers: Iterable[str] = (),
    stop_when: Condition = None,
) -> BlockageReport:
    """Everything upstream of a blocked conduit (the area that floods first).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        Drainage network.
    conduit : str
        Code of the blocked edge.
    direction : {"gravity", "declared"}, keyword-only
        See :func:`flow_graph`.

    Returns
    -------
    BlockageReport
        ``contributing_area_m2`` sums the ``catchment_area_m2`` of the
        upstream nodes (subcatchments draining into them).
    """
    if conduit not in edge_lookup(G):
        raise NotFound(f"drainage edge {conduit!r} is not in the network")
    F = flow_graph(G, direction=direction)
    tail = F.graph["flow_ends"][conduit][0]
    rules = passable(barriers=frozenset(barriers) | {conduit}, stop_when=stop_when)
    found = reach(F, [tail], rules, direction="backward")
    nodes = sorted(found.nodes)
    area = sum(float(G.nodes[n].get("catchment_area_m2") or 0.0) for n in nodes)
    rims = [
        {"code": n, "rim_elevation_m": float(G.nodes[n]["rim_elevation_m"])}
        for n in nodes
        if G.nodes[n].get("rim_elevation_m") is not None
    ]
    rims.sort(key=lambda r: (r["rim_elevation_m"], r["code"]))
    return BlockageReport(conduit, nodes, sorted(found.edges), area, rims)


@dataclass
class SpillReport:
    """Where a spill goes: every node and edge reached, and the route to each
    outfall reached (fewest metres first)."""

    start: str
    nodes: list[str]
    edges: list[str]
    outfalls: list[str]
    routes: dict[str, list[str]]
    route_length_m: dict[str, float]

    def to_dict(self) -> dict:
        return dict(self.__dict__, routes={k: list(v) for k, v in self.routes.items()})


def spill_path(
    G, start: str, *, direction: str = "gravity", barriers: Iterable[str] = ()
) -> SpillReport:
    """Downstream path of a spill at node or edge ``start`` to the outfalls."""
    F = flow_graph(G, direction=direction)
    if start in F:
        head, first = start, []
    elif start in F.graph["flow_ends"]:
        head, first = F.graph["flow_ends"][start][1], [start]
    else:
        raise NotFound(f"drainage asset {start!r} is not in the network")
    found = reach(F, [head], passable(barriers=barriers), direction="forward", start_edges=first)
    sub = F.subgraph(found.nodes)
    lengths, paths = nx.single_source_dijkstra(
        sub, head, weight=lambda u, v, keyed: min(a.get("length_m") or 0.0 for a in keyed.values())
    )
    outfalls = sorted(
        (n for n in found.nodes if F.nodes[n].get("kind") == "outfall"),
        key=lambda n: (lengths[n], n),
    )
    routes = {o: first + _edges_along(sub, paths[o]) for o in outfalls}
    return SpillReport(
        start,
        sorted(found.nodes),
        sorted(found.edges),
        outfalls,
        routes,
        {o: float(lengths[o]) for o in outfalls},
    )


def _edges_along(F, nodes: list[str]) -> list[str]:
    return [
        min(F[u][v], key=lambda k: (F[u][v][k].get("length_m") or 0.0, k))
        for u, v in zip(nodes, nodes[1:], strict=False)
    ]

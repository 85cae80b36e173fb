"""Traces: connected, upstream, downstream, shortest path, subnetworks, loops.

All traces respect device states (closed valves and open switches stop
them, edges out of service carry nothing) and take extra barriers: asset
codes or an attribute condition.  Direction depends on the utility:

* drainage follows gravity (see :func:`twin.network.drainage.flow_graph`):
  upstream is where water comes from, downstream where it goes;
* water, power, telecom and lighting are fed from sources (treatment
  plants and tanks, substations, POPs, lighting cabinets): downstream of an
  asset is what loses supply without it, upstream is the route back to the
  nearest source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from twin.errors import NotFound
from twin.network.graph import SOURCE_KINDS, edge_lookup
from twin.network.walk import Condition, Passable, Reach, passable, reach

__all__ = [
    "PathResult",
    "TraceResult",
    "catchment",
    "connected",
    "downstream",
    "feeder",
    "loops",
    "pressure_zone",
    "shortest_path",
    "source_nodes",
    "subnetwork",
    "supplied_reach",
    "unsupplied",
    "upstream",
]


@dataclass
class TraceResult:
    """Codes reached by a trace, and the barriers where it stopped."""

    nodes: list[str]
    edges: list[str]
    stopped_at: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "nodes": list(self.nodes),
            "edges": list(self.edges),
            "stopped_at": list(self.stopped_at),
        }


def _result(found) -> TraceResult:
    return TraceResult(sorted(found.nodes), sorted(found.edges), sorted(found.stopped_at))


def _starts(G, start: str | Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Given start nodes, given start edges and the ends of those edges."""
    codes = [start] if isinstance(start, str) else list(start)
    lookup = edge_lookup(G)
    nodes, edges, ends = [], [], []
    for code in codes:
        if code in G:
            nodes.append(code)
        elif code in lookup:
            edges.append(code)
            ends.extend(lookup[code])
        else:
            raise NotFound(f"asset {code!r} is not in the {G.graph.get('utility', '')} network")
    return nodes, edges, ends


def _rules(barriers, stop_when, respect_states) -> Passable:
    return passable(
        barriers=frozenset(barriers), stop_when=stop_when, respect_states=respect_states
    )


def connected(
    G,
    start: str | Iterable[str],
    *,
    barriers: Iterable[str] = (),
    stop_when: Condition = None,
    respect_states: bool = True,
) -> TraceResult:
    """Everything connected to ``start`` (node or edge codes), ignoring direction."""
    nodes, edges, ends = _starts(G, start)
    rules = _rules(barriers, stop_when, respect_states)
    open_ends = [n for n in ends if rules.node(n, G.nodes[n])]
    found = reach(G, nodes + open_ends, rules, start_edges=edges)
    found.stopped_at.update(set(ends) - set(open_ends) - set(nodes))
    return _result(found)


def source_nodes(G, *, source_kinds: Iterable[str] | None = None) -> list[str]:
    """Nodes whose kind is a source kind of the graph's utility."""
    kinds = frozenset(
        source_kinds if source_kinds is not None else SOURCE_KINDS.get(G.graph.get("utility"), ())
    )
    return [n for n, kind in G.nodes(data="kind") if kind in kinds]


def unsupplied(G, **options) -> set[str]:
    """Nodes with no path to any source (the options go to :func:`supplied_reach`).

    Parameters
    ----------
    removed : iterable of str, keyword-only
        Failed nodes or edges, taken out of the network.
    barriers : iterable of str, keyword-only
        More codes that stop supply (e.g. devices opened for isolation).
    stop_when : callable or mapping, keyword-only
        Attribute condition of nodes and edges that carry nothing.
    opened, closed : iterable of str, keyword-only
        Devices whose present state is overridden.
    source_kinds : iterable of str, optional, keyword-only
        Defaults to :data:`twin.network.graph.SOURCE_KINDS` of the utility.

    Returns
    -------
    set of str
        Every node not reached from a source, removed nodes and devices
        that stop supply (closed valves, open switches) included.
    """
    return set(G.nodes) - supplied_reach(G, **options).nodes


def supplied_reach(
    G,
    *,
    removed: Iterable[str] = (),
    barriers: Iterable[str] = (),
    stop_when: Condition = None,
    opened: Iterable[str] = (),
    closed: Iterable[str] = (),
    source_kinds: Iterable[str] | None = None,
) -> Reach:
    """The walk from every working source (the options are documented in :func:`unsupplied`).

    ``parent`` gives each supplied node's fewest-edges route to a source.
    """
    stop = frozenset(removed) | frozenset(barriers)
    rules = passable(barriers=stop, stop_when=stop_when, opened=opened, closed=closed)
    sources = [s for s in source_nodes(G, source_kinds=source_kinds) if rules.node(s, G.nodes[s])]
    return reach(G, sources, rules)


def _is_drainage(G) -> bool:
    return G.graph.get("utility") == "drainage"


def _drainage_trace(G, start, rules: Passable, forward: bool) -> TraceResult:
    """Follow the flow (or go against it) from nodes and from edge ends."""
    from twin.network.drainage import flow_graph

    F = flow_graph(G)
    nodes, edges, _ = _starts(G, start)
    ends = [F.graph["flow_ends"][e][1 if forward else 0] for e in edges]
    direction = "forward" if forward else "backward"
    return _result(reach(F, nodes + ends, rules, direction=direction, start_edges=edges))


def downstream(
    G,
    start: str | Iterable[str],
    *,
    barriers: Iterable[str] = (),
    stop_when: Condition = None,
    respect_states: bool = True,
    source_kinds: Iterable[str] | None = None,
) -> TraceResult:
    """What lies downstream of ``start``.

    Drainage: everything the flow from ``start`` reaches.  Supplied
    networks: the nodes that lose supply when ``start`` fails (``start``
    included), with the edges among them.
    """
    if _is_drainage(G):
        return _drainage_trace(G, start, _rules(barriers, stop_when, respect_states), True)
    given, edges, _ = _starts(G, start)
    options = {"barriers": barriers, "stop_when": stop_when, "source_kinds": source_kinds}
    before = set(G) - unsupplied(G, **options)
    lost = before - (set(G) - unsupplied(G, removed=[*given, *edges], **options))
    sub = G.subgraph(lost)
    lost_edges = {k for *_, k in sub.edges(keys=True)} | set(edges)
    return TraceResult(sorted(lost), sorted(lost_edges))


def upstream(
    G,
    start: str | Iterable[str],
    *,
    barriers: Iterable[str] = (),
    stop_when: Condition = None,
    respect_states: bool = True,
    source_kinds: Iterable[str] | None = None,
) -> TraceResult:
    """What lies upstream of ``start``.

    Drainage: everything that drains into ``start``.  Supplied networks:
    the fewest-edges route from ``start`` back to the nearest source.
    """
    rules = _rules(barriers, stop_when, respect_states)
    if _is_drainage(G):
        return _drainage_trace(G, start, rules, False)
    nodes, edges, ends = _starts(G, start)
    nodes = nodes + ends
    sources = set(source_nodes(G, source_kinds=source_kinds))
    found = reach(G, sorted(sources), rules)
    route_nodes, route_edges = set(), set(edges)
    for node in nodes:
        while node in found.nodes:
            route_nodes.add(node)
            if node in sources:
                break
            node, edge = found.parent[node]
            route_edges.add(edge)
    return TraceResult(sorted(route_nodes), sorted(route_edges))


@dataclass
class PathResult:
    """A least-cost path: nodes in order, edges in order, total cost."""

    nodes: list[str]
    edges: list[str]
    cost: float

    def to_dict(self) -> dict:
        return {"nodes": list(self.nodes), "edges": list(self.edges), "cost": float(self.cost)}


def _edge_cost(weight: str | Callable[[str, Mapping], float]):
    if callable(weight):
        return weight
    return lambda code, attrs: attrs.get(weight, 1.0)


def shortest_path(
    G,
    source: str,
    target: str,
    *,
    weight: str | Callable[[str, Mapping], float | None] = "length_m",
    barriers: Iterable[str] = (),
    stop_when: Condition = None,
    respect_states: bool = True,
) -> PathResult:
    """Least-cost path between two nodes by an edge attribute or a cost function.

    ``weight`` is an edge attribute name (missing values cost 1) or a
    callable ``(edge code, attrs) -> cost``, ``None`` meaning impassable.
    Raises :class:`twin.errors.NotFound` when no path exists.
    """
    rules = _rules(frozenset(barriers), stop_when, respect_states)
    cost = _edge_cost(weight)
    ends = {source, target}

    def edge_weight(u, v, keyed):
        if not (rules.node(v, G.nodes[v]) or v in ends):
            return None
        costs = [cost(k, a) for k, a in keyed.items() if rules.edge(k, a)]
        costs = [c for c in costs if c is not None]
        return min(costs) if costs else None

    H = G.to_undirected(as_view=True) if G.is_directed() else G
    try:
        total, nodes = nx.single_source_dijkstra(H, source, target, weight=edge_weight)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        raise NotFound(f"no path from {source!r} to {target!r}") from None
    edges = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        usable = [(cost(k, a), k) for k, a in H[u][v].items() if rules.edge(k, a)]
        edges.append(min((c, k) for c, k in usable if c is not None)[1])
    return PathResult(nodes, edges, float(total))


def subnetwork(
    G,
    start: str,
    *,
    boundary_kinds: Iterable[str] = (),
    boundary_edge_kinds: Iterable[str] = (),
    barriers: Iterable[str] = (),
) -> TraceResult:
    """The part around ``start`` bounded by closed devices and boundary kinds.

    Pressure zones are bounded by control valves, pump stations and closed
    valves (``boundary_kinds={"pump_station"}``,
    ``boundary_edge_kinds={"pump", "control_valve"}``); for a power feeder
    use :func:`downstream` of the feeder breaker, for a drainage catchment
    :func:`upstream` of the outfall.
    """
    node_kinds, edge_kinds = frozenset(boundary_kinds), frozenset(boundary_edge_kinds)

    def stop(attrs):
        return attrs.get("kind") in node_kinds or attrs.get("kind") in edge_kinds

    return connected(G, start, barriers=barriers, stop_when=stop)


def pressure_zone(G, start: str, *, barriers: Iterable[str] = ()) -> TraceResult:
    """Water pressure zone around ``start``: bounded by closed valves, control
    valves (PRVs ...), pumps and pump stations."""
    return subnetwork(
        G,
        start,
        boundary_kinds={"pump_station"},
        boundary_edge_kinds={"pump", "control_valve"},
        barriers=barriers,
    )


def feeder(G, device: str, *, barriers: Iterable[str] = ()) -> TraceResult:
    """Power feeder fed through ``device`` (a feeder breaker): everything that
    would go dark if it opened, the device included."""
    return downstream(G, device, barriers=barriers)


def catchment(G, outlet: str, *, barriers: Iterable[str] = ()) -> TraceResult:
    """Drainage catchment of ``outlet`` (an outfall or any node): everything
    draining to it."""
    return upstream(G, outlet, barriers=barriers)


def loops(
    G, *, barriers: Iterable[str] = (), stop_when: Condition = None, respect_states: bool = True
) -> list[list[str]]:
    """Independent loops (a cycle basis) as lists of edge codes.

    Parallel edges between the same two nodes count as a loop of two.
    """
    rules = _rules(frozenset(barriers), stop_when, respect_states)
    simple = nx.Graph()
    found = []
    for u, v, k, attrs in G.edges(keys=True, data=True):
        if not (rules.edge(k, attrs) and rules.node(u, G.nodes[u]) and rules.node(v, G.nodes[v])):
            continue
        if u == v:
            found.append([k])
        elif simple.has_edge(u, v):
            found.append(sorted([simple[u][v]["key"], k]))
        else:
            simple.add_edge(u, v, key=k)
    for cycle in nx.cycle_basis(simple):
        pairs = zip(cycle, cycle[1:] + cycle[:1], strict=True)
        found.append(sorted(simple[u][v]["key"] for u, v in pairs))
    return sorted(found)

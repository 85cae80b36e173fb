"""Graph conventions of the utility networks and builders from plain records.

One graph per utility.  Every analysis in :mod:`twin.network` reads graphs
that follow the conventions below, so loaders (PostGIS, EPANET, SWMM,
pandapower) only have to produce plain node and edge records.

Conventions
-----------
Graph type
    ``nx.MultiGraph`` for water, power, telecom and lighting;
    ``nx.MultiDiGraph`` for drainage, where an edge runs from its declared
    ``start_node`` to its ``end_node`` (flow direction is decided by
    :func:`twin.network.drainage.oriented` from invert elevations).
    ``G.graph["utility"]`` names the utility, ``G.graph["edges_by_code"]``
    maps each edge code to its ``(u, v)`` pair and is kept current by the
    builders and the incremental functions of :mod:`twin.network.updates`.
Nodes
    Keyed by the asset code (``str``).  Attributes: ``kind`` (one of
    :data:`NODE_KINDS`, declared with each layer in ``layers/``), ``x``, ``y`` (metres, projected CRS of the data set)
    and plain attributes such as ``households`` (count), ``customers``
    (count of metered customers, default 1 for customer kinds), ``category``
    (customer category), ``critical`` (critical facility kind, e.g.
    ``"hospital"``), ``operable`` (bool, default ``True``), ``normal_state``
    and ``state`` (``"open"`` / ``"closed"``; ``state`` is the present
    position and falls back to ``normal_state``), ``rim_elevation_m``,
    ``village`` ...
Edges
    Keyed by the edge asset code.  Attributes: ``kind`` (``"pipe"``,
    ``"line"``, ``"cable"``, ``"conduit"``, ``"connector"`` ...),
    ``start_node``, ``end_node`` (the declared direction, kept even in
    undirected graphs), ``length_m``, ``diameter_mm``, ``voltage_kv``,
    ``invert_up`` / ``invert_down`` (m, invert elevation at the start / end
    node), ``circuit`` and ``state`` (``"in_service"`` by default; any other
    value such as ``"out_of_service"`` or ``"abandoned"`` means the edge
    carries nothing).
Devices
    Valves and switching devices are *nodes* splitting a line.  A valve
    (a kind declared ``stops_when="closed"``) passes water unless its state
    is ``"closed"``; a switching device (``breaker``, ``recloser``,
    ``sectionaliser``, ``fuse``, ``lv_breaker``, ``switch``: declared
    ``stops_when="open"``) conducts unless its state is ``"open"``.  See
    :func:`node_conducts` and :mod:`twin.network.roles`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from twin.errors import InvalidInput, Problem
from twin.network.roles import (
    CUSTOMER_KINDS,
    NETWORKS,
    NODE_KINDS,
    PROTECTIVE_KINDS,
    SOURCE_KINDS,
    SWITCHING_KINDS,
    UTILITIES,
    VALVE_KINDS,
)

__all__ = [
    "CUSTOMER_KINDS",
    "EDGE_IN_SERVICE",
    "NODE_KINDS",
    "SOURCE_KINDS",
    "SWITCHING_KINDS",
    "PROTECTIVE_KINDS",
    "UTILITIES",
    "VALVE_KINDS",
    "build_graph",
    "edge_conducts",
    "edge_endpoints",
    "edge_lookup",
    "node_conducts",
    "node_state",
]

EDGE_IN_SERVICE = "in_service"


def node_state(attrs: Mapping) -> str | None:
    """Present position of a device: ``state`` if given, else ``normal_state``."""
    return attrs.get("state") or attrs.get("normal_state")


def node_conducts(attrs: Mapping) -> bool:
    """Whether water or current passes through a node in its present state.

    A closed valve stops water, an open switching device stops current;
    every other node passes.
    """
    kind = attrs.get("kind")
    state = node_state(attrs)
    if kind in VALVE_KINDS:
        return state != "closed"
    if kind in SWITCHING_KINDS:
        return state != "open"
    return attrs.get("in_service", True) is not False


def edge_conducts(attrs: Mapping) -> bool:
    """Whether an edge carries anything: its ``state`` is ``"in_service"``."""
    return attrs.get("state", EDGE_IN_SERVICE) == EDGE_IN_SERVICE


def _graph_class(utility: str):
    return nx.MultiDiGraph if NETWORKS[utility].directed else nx.MultiGraph


def _node_problems(utility: str, record: Mapping, index: int) -> list[Problem]:
    code = record.get("code")
    if not isinstance(code, str) or not code:
        feature = f"{utility} node #{index}"
        return [Problem("code", "required", "a node needs a non-empty text code", feature)]
    kind, x, y = record.get("kind"), record.get("x"), record.get("y")
    if (
        kind in NODE_KINDS[utility]
        and (x is None or isinstance(x, (int, float)))
        and (y is None or isinstance(y, (int, float)))
    ):
        return []  # the common case, checked without building any message
    feature = f"{utility} node {code}"
    problems = []
    if kind not in NODE_KINDS[utility]:
        allowed = ", ".join(sorted(NODE_KINDS[utility]))
        problems.append(
            Problem("kind", "allowed_values", f"{kind!r} is not one of {allowed}", feature)
        )
    for axis in ("x", "y"):
        value = record.get(axis)
        if value is not None and not isinstance(value, (int, float)):
            problems.append(Problem(axis, "number", "must be a number in metres", feature))
    return problems


def _edge_problems(utility: str, record: Mapping, index: int, known_nodes) -> list[Problem]:
    code = record.get("code")
    if not isinstance(code, str) or not code:
        return [
            Problem(
                "code",
                "required",
                "an edge needs a non-empty text code",
                f"{utility} edge #{index}",
            )
        ]
    if record.get("start_node") in known_nodes and record.get("end_node") in known_nodes:
        return []
    feature = f"{utility} edge {code}"
    problems = []
    for end in ("start_node", "end_node"):
        node = record.get(end)
        if node not in known_nodes:
            problems.append(
                Problem(
                    end,
                    "references_node",
                    f"node {node!r} is not in the {utility} network",
                    feature,
                )
            )
    return problems


def _check_utility(utility: str) -> None:
    if utility not in UTILITIES:
        raise InvalidInput(
            "unknown utility",
            [
                Problem(
                    "utility", "allowed_values", f"{utility!r} is not one of {', '.join(UTILITIES)}"
                )
            ],
        )


def build_graph(
    utility: str, nodes: Iterable[Mapping], edges: Iterable[Mapping], *, trusted: bool = False
) -> nx.MultiGraph:
    """Build the graph of one utility from plain node and edge records.

    Parameters
    ----------
    utility : str
        One of :data:`UTILITIES`.
    nodes : iterable of dict
        ``{"code", "kind", "x", "y", ...}``; every other key becomes a node
        attribute.
    edges : iterable of dict
        ``{"code", "start_node", "end_node", ...}``; every other key becomes
        an edge attribute (``kind`` defaults to ``"pipe"`` in water,
        ``"conduit"`` in drainage, ``"line"`` in power, ``"cable"`` else).
    trusted : bool, keyword-only
        Records made by a loader that already keeps the rules (known kinds,
        numeric positions): the graph is assembled without checking each
        record, three times faster on 100,000-edge networks.  Duplicate
        codes and edges to missing nodes still fail, with the full report.

    Returns
    -------
    networkx.MultiGraph or networkx.MultiDiGraph
        Following the module conventions.

    Raises
    ------
    twin.errors.InvalidInput
        Listing every bad record (unknown kind, duplicate code, edge to a
        missing node) so an import can be fixed in one pass.

    Examples
    --------
    >>> G = build_graph("water",
    ...     [{"code": "R1", "kind": "reservoir"}, {"code": "J1", "kind": "junction"}],
    ...     [{"code": "P1", "start_node": "R1", "end_node": "J1", "length_m": 10}])
    >>> G.edges["R1", "J1", "P1"]["length_m"]
    10
    """
    _check_utility(utility)
    if trusted:
        nodes, edges = list(nodes), list(edges)
        G = _assemble(utility, nodes, edges)
        if G is not None:
            return G
    return _checked(utility, nodes, edges)


def _checked(utility: str, nodes: Iterable[Mapping], edges: Iterable[Mapping]) -> nx.MultiGraph:
    """The graph built record by record, every bad record reported at once."""
    G = _graph_class(utility)(utility=utility)
    _mark_index(G, {})
    problems: list[Problem] = []
    for index, record in enumerate(nodes):
        found = _node_problems(utility, record, index)
        if not found and record["code"] in G:
            found = [Problem("code", "unique", "appears twice", f"{utility} node {record['code']}")]
        problems.extend(found)
        if not found:
            _set_node(G, record)
    for index, record in enumerate(edges):
        found = _edge_problems(utility, record, index, G)
        if not found and record["code"] in G.graph["edges_by_code"]:
            found = [Problem("code", "unique", "appears twice", f"{utility} edge {record['code']}")]
        problems.extend(found)
        if not found:
            _set_edge(G, record)
    if problems:
        raise InvalidInput(f"the {utility} network has bad records", problems)
    return G


def _assemble(utility: str, nodes: list[Mapping], edges: list[Mapping]):
    """The graph of trusted records, written straight into the networkx
    adjacency (as ``add_node``/``add_edge`` would, one shared key dict per
    node pair); ``None`` when a record breaks a rule, so that the checked
    path reports every problem."""
    G = _graph_class(utility)(utility=utility)
    _mark_index(G, {})
    out, back = (G._succ, G._pred) if G.is_directed() else (G._adj, G._adj)
    for record in nodes:
        attrs = dict(record)
        code = attrs.pop("code")
        if attrs.get("kind") in CUSTOMER_KINDS:
            attrs.setdefault("customers", 1)
        G._node[code] = attrs
        out[code] = {}
        if back is not out:
            back[code] = {}
    if len(G._node) != len(nodes):
        return None
    index, default_kind = G.graph["edges_by_code"], _default_edge_kind(utility)
    for record in edges:
        attrs = dict(record)
        key = attrs.pop("code")
        u, v = attrs["start_node"], attrs["end_node"]
        if key in index or u not in out or v not in out:
            return None
        if "kind" not in attrs:
            attrs["kind"] = default_kind
        attrs.setdefault("state", EDGE_IN_SERVICE)
        keyed = out[u].get(v)
        if keyed is None:
            keyed = out[u][v] = {}
            back[v][u] = keyed
        keyed[key] = attrs
        index[key] = (u, v)
    return G


def _default_edge_kind(utility: str) -> str:
    network = NETWORKS.get(utility)
    return network.edge_kind if network else "cable"


def _set_node(G, record: Mapping) -> None:
    attrs = dict(record)
    code = attrs.pop("code")
    if attrs.get("kind") in CUSTOMER_KINDS:
        attrs.setdefault("customers", 1)
    G.add_node(code, **attrs)


def _set_edge(G, record: Mapping) -> None:
    attrs = dict(record)
    code = attrs.pop("code")
    if "kind" not in attrs:
        attrs["kind"] = _default_edge_kind(G.graph.get("utility"))
    attrs.setdefault("state", EDGE_IN_SERVICE)
    u, v = record["start_node"], record["end_node"]
    G.add_edge(u, v, key=code, **attrs)
    _own_index(G)[code] = (u, v)


_INDEX_OWNER = "edges_by_code_of"


def _mark_index(G, index: dict) -> dict:
    """Make ``index`` the edge index of ``G`` itself.

    The owner's ``id`` is kept with it because ``G.graph`` is shared by
    subgraph views and shallow copies, whose edges differ.
    """
    G.graph["edges_by_code"] = index
    G.graph[_INDEX_OWNER] = id(G)
    return index


def _own_index(G) -> dict:
    """The edge index of ``G`` for an incremental change (rebuilt once for a copy)."""
    index = G.graph.get("edges_by_code")
    if index is None or G.graph.get(_INDEX_OWNER) != id(G):
        index = _mark_index(G, {k: (u, v) for u, v, k in G.edges(keys=True)})
    return index


def edge_lookup(G) -> dict[str, tuple[str, str]]:
    """Map each edge code to its ``(u, v)`` pair.

    Uses the index the builders keep in ``G.graph["edges_by_code"]`` when it
    belongs to ``G`` (in constant time); a view or a copy whose index does
    not match gets a fresh one, built without touching ``G``.
    """
    index = G.graph.get("edges_by_code")
    if index is not None and G.graph.get(_INDEX_OWNER) == id(G):
        return index
    if index is not None and len(index) == G.number_of_edges():
        return index
    return {k: (u, v) for u, v, k in G.edges(keys=True)}


def edge_endpoints(G, code: str) -> tuple[str, str]:
    """The ``(u, v)`` pair of edge ``code``; :class:`NotFound` if absent."""
    from twin.errors import NotFound

    try:
        return edge_lookup(G)[code]
    except KeyError:
        raise NotFound(
            f"edge {code!r} is not in the {G.graph.get('utility', '')} network"
        ) from None

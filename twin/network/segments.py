"""Segments: the parts of a network that devices can cut out.

A *valve segment* is the smallest part of a water network that can be shut
off by closing valves; a *switchable section* is the same idea in a power
network with switching devices.  Both are computed once for the whole
network as connected components of the node-edge incidence graph in which
every device breaks the connections it sits on, so outage analysis can
reason on the much smaller segment graph afterwards.

Devices come in two forms, which can be mixed:

* device nodes (kind ``valve`` in water, switching kinds in power), usually
  of degree 2, splitting a line; they belong to no segment;
* placements ``{"code", "edge", "node"}`` meaning "a device on edge
  ``edge`` right next to node ``node``" (the valve layer of WNTR); the
  edge keeps its connection to its other end only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from twin.errors import InvalidInput, Problem
from twin.network.graph import (
    SWITCHING_KINDS,
    VALVE_KINDS,
    edge_conducts,
    node_state,
)

__all__ = ["Device", "Segmentation", "device_is_closed", "device_segments", "valve_segments"]


@dataclass(slots=True)
class Device:
    """A device bounding segments.

    ``segments`` are the ids of the segments it separates (one id when both
    sides are in the same segment); ``closed`` is ``True`` when it already
    separates them in its present state (closed valve, open switch).
    """

    code: str
    segments: tuple[int, ...]
    operable: bool
    closed: bool
    kind: str
    node: str | None = None
    edge: str | None = None

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "segments": list(self.segments),
            "operable": self.operable,
            "closed": self.closed,
            "kind": self.kind,
            "node": self.node,
            "edge": self.edge,
        }


@dataclass
class Segmentation:
    """Partition of a network's nodes and edges into segments.

    Attributes
    ----------
    segment_nodes, segment_edges : list of list of str
        Node and edge codes of each segment, indexed by segment id.
    node_segment, edge_segment : dict
        Segment id of each node and edge; device nodes and edges out of
        service are in no segment.
    devices : dict
        :class:`Device` by code.
    segment_devices : list of list of str
        Codes of the devices on the boundary of each segment.
    """

    segment_nodes: list[list[str]]
    segment_edges: list[list[str]]
    node_segment: dict[str, int]
    edge_segment: dict[str, int]
    devices: dict[str, Device]
    segment_devices: list[list[str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.segment_nodes)

    def partition(self) -> set[frozenset]:
        """Segments as a set of frozensets of ``("node", code)`` and
        ``("edge", code)``, independent of segment numbering."""
        return {
            frozenset([("node", n) for n in nodes] + [("edge", e) for e in edges])
            for nodes, edges in zip(self.segment_nodes, self.segment_edges, strict=True)
        }

    def to_dict(self) -> dict:
        return {
            "segments": [
                {"id": i, "nodes": nodes, "edges": edges, "devices": self.segment_devices[i]}
                for i, (nodes, edges) in enumerate(
                    zip(self.segment_nodes, self.segment_edges, strict=True)
                )
            ],
            "devices": [d.to_dict() for d in self.devices.values()],
        }


def device_is_closed(attrs: Mapping) -> bool:
    """Whether a device already separates its sides: a closed valve, an open switch."""
    state = node_state(attrs)
    if attrs.get("kind") in SWITCHING_KINDS:
        return state == "open"
    return state == "closed"


def _placement_arrays(placements, node_index, edge_index, edge_ends):
    """Edge and node indices of placements, with a problem for each bad one."""
    cut_u = np.zeros(len(edge_ends[0]), dtype=bool)
    cut_v = np.zeros(len(edge_ends[0]), dtype=bool)
    problems = []
    for record in placements:
        e = edge_index.get(record["edge"])
        n = node_index.get(record["node"])
        if e is None or n is None or n not in (edge_ends[0][e], edge_ends[1][e]):
            problems.append(
                Problem(
                    "node",
                    "endpoint_of_edge",
                    f"node {record['node']!r} is not an end of edge {record['edge']!r}",
                    f"device placement {record.get('code')}",
                )
            )
            continue
        cut_u[e] |= edge_ends[0][e] == n
        cut_v[e] |= edge_ends[1][e] == n
    if problems:
        raise InvalidInput("device placements do not fit the network", problems)
    return cut_u, cut_v


def _components(n_nodes, eu, ev, keep_u, keep_v):
    """Labels of nodes and edges in the incidence graph (edges after nodes)."""
    n_edges = len(eu)
    edge_ids = np.arange(n_nodes, n_nodes + n_edges)
    rows = np.concatenate([edge_ids[keep_u], edge_ids[keep_v]])
    cols = np.concatenate([eu[keep_u], ev[keep_v]])
    size = n_nodes + n_edges
    matrix = coo_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(size, size)
    ).tocsr()
    return connected_components(matrix, directed=False)[1]


def device_segments(
    G, *, device_kinds: Iterable[str] = (), placements: Iterable[Mapping] = ()
) -> Segmentation:
    """Segments bounded by device nodes and device placements.

    Parameters
    ----------
    G : networkx.MultiGraph or MultiDiGraph
        Network following :mod:`twin.network.graph` conventions.  Direction
        is ignored.  Edges out of service belong to no segment.
    device_kinds : iterable of str, keyword-only
        Node kinds that are devices (e.g. ``{"valve"}``).
    placements : iterable of dict, keyword-only
        ``{"code", "edge", "node"}`` plus optional ``operable`` (default
        ``True``), ``kind``, ``normal_state`` / ``state``.

    Returns
    -------
    Segmentation
    """
    device_kinds = frozenset(device_kinds)
    placements = list(placements)
    nodes = list(G.nodes)
    node_index = {n: i for i, n in enumerate(nodes)}
    edges = [(u, v, k) for u, v, k, a in G.edges(keys=True, data=True) if edge_conducts(a)]
    edge_index = {k: i for i, (_, _, k) in enumerate(edges)}
    eu = np.fromiter((node_index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
    ev = np.fromiter((node_index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
    is_device = np.fromiter(
        (G.nodes[n].get("kind") in device_kinds for n in nodes), dtype=bool, count=len(nodes)
    )
    cut_u, cut_v = _placement_arrays(placements, node_index, edge_index, (eu, ev))
    labels = _components(len(nodes), eu, ev, ~(is_device[eu] | cut_u), ~(is_device[ev] | cut_v))
    return _assemble(G, nodes, edges, labels, is_device, placements)


def _assemble(G, nodes, edges, labels, is_device, placements) -> Segmentation:
    n_nodes = len(nodes)
    member = np.concatenate([~is_device, np.ones(len(edges), dtype=bool)])
    used, segment_of = np.unique(labels[member], return_inverse=True)
    seg = np.full(len(labels), -1, dtype=np.int64)
    seg[member] = segment_of
    node_seg, edge_seg = seg[:n_nodes], seg[n_nodes:]
    member_nodes = [n for n, s in zip(nodes, node_seg.tolist(), strict=True) if s >= 0]
    member_seg = node_seg[node_seg >= 0]
    node_segment = dict(zip(member_nodes, member_seg.tolist(), strict=True))
    edge_codes = [k for _, _, k in edges]
    edge_segment = dict(zip(edge_codes, edge_seg.tolist(), strict=True))
    segment_nodes = _group_codes(member_nodes, member_seg, len(used))
    segment_edges = _group_codes(edge_codes, edge_seg, len(used))
    devices = _node_devices(G, nodes, is_device, edge_segment)
    for record in placements:
        a, b = edge_segment[record["edge"]], node_segment.get(record["node"], -1)
        sides = (a,) if b < 0 or b == a else (min(a, b), max(a, b))
        stated = "state" in record or "normal_state" in record
        devices[record["code"]] = Device(
            record["code"],
            sides,
            record.get("operable", True) is not False,
            stated and device_is_closed(record),
            record.get("kind", "valve"),
            record["node"],
            record["edge"],
        )
    segment_devices = [[] for _ in used]
    for device in devices.values():
        for s in device.segments:
            segment_devices[s].append(device.code)
    return Segmentation(
        segment_nodes, segment_edges, node_segment, edge_segment, devices, segment_devices
    )


def _group_codes(codes: list[str], segment: np.ndarray, size: int) -> list[list[str]]:
    """Codes split by segment id, in their original order within a segment."""
    if size == 0:  # a network of devices only has no segment at all
        return []
    order = np.argsort(segment, kind="stable")
    bounds = np.searchsorted(segment[order], np.arange(1, size))
    ordered = [codes[i] for i in order.tolist()]
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(codes)]
    return [ordered[a:b] for a, b in zip(starts, ends, strict=True)]


def _node_devices(G, nodes, is_device, edge_segment) -> dict[str, Device]:
    devices = {}
    for i in np.flatnonzero(is_device):
        code = nodes[i]
        attrs = G.nodes[code]
        incident = G.in_edges(code, keys=True) if G.is_directed() else ()
        sides = {
            edge_segment[k] for *_, k in (*G.edges(code, keys=True), *incident) if k in edge_segment
        }
        devices[code] = Device(
            code=code,
            segments=tuple(sorted(sides)),
            operable=attrs.get("operable", True) is not False,
            closed=device_is_closed(attrs),
            kind=attrs.get("kind"),
            node=code,
        )
    return devices


def valve_segments(G, *, placements: Iterable[Mapping] = ()) -> Segmentation:
    """Valve segments of a water network.

    Valve nodes (kind ``valve``) and valve placements (WNTR-style
    ``{"code", "edge", "node"}``) both bound segments; a normally closed
    valve is a boundary like any other.  Same partition as
    ``wntr.metrics.valve_segments`` for the same valve layer.

    Examples
    --------
    >>> from twin.network.graph import build_graph
    >>> G = build_graph("water",
    ...     [{"code": c, "kind": k} for c, k in
    ...      [("R", "reservoir"), ("J1", "junction"), ("V", "valve"), ("J2", "junction")]],
    ...     [{"code": "P1", "start_node": "R", "end_node": "J1"},
    ...      {"code": "P2", "start_node": "J1", "end_node": "V"},
    ...      {"code": "P3", "start_node": "V", "end_node": "J2"}])
    >>> valve_segments(G).segment_edges
    [['P1', 'P2'], ['P3']]
    """
    return device_segments(G, device_kinds=VALVE_KINDS, placements=placements)

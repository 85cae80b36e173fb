"""WNTR water network models to twin water graphs.

Reads a ``wntr.network.WaterNetworkModel`` (SI units) by duck typing, so the
module works without importing WNTR.  Junctions, tanks and reservoirs become
nodes; pipes, pumps and control valves (EPANET valves are links) become
edges, which is the topology ``wntr.metrics.valve_segments`` works on.
"""

from __future__ import annotations

from collections.abc import Iterable

from twin.network.graph import build_graph

__all__ = ["graph_from_wntr", "placements_from_valve_layer"]

_NODE_KINDS = {"Junction": "junction", "Tank": "tank", "Reservoir": "reservoir"}
_EDGE_KINDS = {"Pipe": "pipe", "Pump": "pump", "Valve": "control_valve"}


def _node_record(name, node) -> dict:
    x, y = node.coordinates if node.coordinates is not None else (None, None)
    record = {
        "code": name,
        "kind": _NODE_KINDS[node.node_type],
        "x": float(x) if x is not None else None,
        "y": float(y) if y is not None else None,
    }
    elevation = getattr(node, "elevation", None)
    if elevation is None:
        elevation = getattr(node, "base_head", None)
    if elevation is not None:
        record["elevation_m"] = float(elevation)
    return record


def _edge_record(name, link) -> dict:
    record = {
        "code": name,
        "kind": _EDGE_KINDS.get(link.link_type, "pipe"),
        "start_node": link.start_node_name,
        "end_node": link.end_node_name,
        "initial_status": str(link.initial_status),
    }
    if link.link_type == "Pipe":
        # WNTR stores metres; the twin convention is length in m, diameter in mm.
        record["length_m"] = float(link.length)
        record["diameter_mm"] = float(link.diameter) * 1000.0
    elif link.link_type == "Valve":
        record["valve_type"] = link.valve_type
        record["diameter_mm"] = float(link.diameter) * 1000.0
    return record


def graph_from_wntr(wn):
    """Water graph of a WNTR model.

    Parameters
    ----------
    wn : wntr.network.WaterNetworkModel

    Returns
    -------
    networkx.MultiGraph
        Nodes keyed by node name, edges keyed by link name.
    """
    nodes = [_node_record(name, node) for name, node in wn.nodes()]
    edges = [_edge_record(name, link) for name, link in wn.links()]
    return build_graph("water", nodes, edges)


def placements_from_valve_layer(valve_layer) -> list[dict]:
    """Valve placements from a WNTR valve layer (columns ``link``, ``node``).

    Valve codes are ``"V<index>"`` from the layer's index.
    """
    rows: Iterable = zip(valve_layer.index, valve_layer["link"], valve_layer["node"], strict=True)
    return [
        {"code": f"V{index}", "edge": link, "node": node, "kind": "valve"}
        for index, link, node in rows
    ]

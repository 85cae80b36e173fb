"""Incremental updates: the only functions of the package that change a graph.

They keep a loaded graph current after an edit instead of rebuilding it
(see :mod:`twin.network.changes`), and keep the edge index of
:mod:`twin.network.graph` in step.  Records follow the conventions of
:func:`twin.network.graph.build_graph`.
"""

from __future__ import annotations

from collections.abc import Mapping

from twin.errors import InvalidInput
from twin.network.graph import (
    _edge_problems,
    _node_problems,
    _own_index,
    _set_edge,
    _set_node,
)

__all__ = ["remove_edge_record", "remove_node_record", "upsert_edge_record", "upsert_node_record"]


def upsert_node_record(G, record: Mapping) -> None:
    """Add node ``record`` to ``G`` or replace the attributes of the node.

    Edges at the node are kept.  Mutates ``G`` in place (on purpose: this is
    the cheap path that keeps a cached graph current after an edit).
    """
    utility = G.graph.get("utility", "water")
    problems = _node_problems(utility, record, 0)
    if problems:
        raise InvalidInput(f"bad {utility} node", problems)
    if record["code"] in G:
        G.nodes[record["code"]].clear()
    _set_node(G, record)


def remove_node_record(G, code: str) -> list[str]:
    """Remove node ``code`` and its edges; return the removed edge codes."""
    if code not in G:
        return []
    removed = sorted({k for *_, k in _incident_edges(G, code)})
    index = _own_index(G)
    for edge in removed:
        index.pop(edge, None)
    G.remove_node(code)
    return removed


def _incident_edges(G, node):
    if G.is_directed():
        yield from G.in_edges(node, keys=True)
        yield from G.out_edges(node, keys=True)
    else:
        yield from G.edges(node, keys=True)


def upsert_edge_record(G, record: Mapping) -> None:
    """Add edge ``record`` or replace it (endpoints may change).  Mutates ``G``."""
    utility = G.graph.get("utility", "water")
    problems = _edge_problems(utility, record, 0, G)
    if problems:
        raise InvalidInput(f"bad {utility} edge", problems)
    remove_edge_record(G, record["code"])
    _set_edge(G, record)


def remove_edge_record(G, code: str) -> bool:
    """Remove edge ``code`` if present; return whether it was there."""
    index = _own_index(G)
    ends = index.pop(code, None)
    if ends is None:
        ends = next(((u, v) for u, v, k in G.edges(keys=True) if k == code), None)
    if ends is None or not G.has_edge(*ends, key=code):
        return False
    G.remove_edge(*ends, key=code)
    return True

"""The water network of the database as a graph, for the burst-area estimate.

Reads the water node tables and ``water_pipe`` into plain records and builds
the graph with :func:`twin.network.graph.build_graph`, so the estimate runs on
the same conventions as every other network analysis.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import layer
from twin.network.graph import build_graph

__all__ = ["water_graph"]


def _node_tables() -> list[tuple[str, str]]:
    return [(ft.table, ft.name) for ft in layer("water").feature_types if ft.network == "node"]


def water_graph(session: Session):
    """The in-service water network: nodes by asset code, pipes with ``length_m``."""
    codes: dict[int, str] = {}
    nodes = []
    for table, kind in _node_tables():
        for row in session.execute(text(f"SELECT id, code FROM assets.{table}")):
            codes[row.id] = row.code
            nodes.append({"code": row.code, "kind": kind})
    edges = []
    rows = session.execute(
        text(
            "SELECT code, start_node, end_node, length_m, diameter_mm, status FROM assets.water_pipe "
            "WHERE start_node IS NOT NULL AND end_node IS NOT NULL"
        )
    )
    for row in rows:
        if row.start_node in codes and row.end_node in codes:
            edges.append(
                {
                    "code": row.code,
                    "start_node": codes[row.start_node],
                    "end_node": codes[row.end_node],
                    "length_m": row.length_m,
                    "diameter_mm": row.diameter_mm,
                    "state": row.status,
                }
            )
    return build_graph("water", nodes, edges)

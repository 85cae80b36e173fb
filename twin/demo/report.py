"""A per-layer report of network connectivity and commune coverage.

For each utility network: node and edge counts, connected components (a
lone node is a component of its own; lighting has one per cabinet and
drainage one per outfall), components with no source (no plant, tank,
substation, POP, cabinet or outfall: these should not exist), and dangling
ends — edge ends that name no node of the layer or whose end vertex is not
on that node's point.
Also the number of features without a commune.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sqlalchemy import text

from layers import LAYERS

__all__ = ["format_report", "network_report"]

#: Two points closer than this (degrees, about 1 cm) coincide.
SAME_POINT_DEG = 1e-7
#: Node tables that feed (or, for drainage, receive) each network.
SOURCES = {
    "water": ("water_treatment_plant", "water_tank", "water_pump_station"),
    "drainage": ("drainage_outfall",),
    "power": ("power_substation",),
    "telecom": ("telecom_pop",),
    "lighting": ("lighting_cabinet",),
}


def _layer_tables(lyr):
    nodes = [ft.table for ft in lyr.feature_types if ft.network == "node"]
    edges = [ft.table for ft in lyr.feature_types if ft.network == "edge"]
    return nodes, edges


def _union(schema: str, tables: list[str]) -> str:
    return " UNION ALL ".join(f"SELECT id, geom FROM {schema}.{t}" for t in tables)


def _ids(conn, schema: str, tables) -> np.ndarray:
    if not tables:
        return np.empty(0, np.int64)
    sql = " UNION ALL ".join(f"SELECT id FROM {schema}.{t}" for t in tables)
    return np.array(conn.execute(text(sql)).scalars().all(), dtype=np.int64)


def _layer_report(conn, schema: str, nodes: list[str], edges: list[str], sources) -> dict:
    node_ids = _ids(conn, schema, nodes)
    ends, dangling = [], 0
    for table in edges:
        rows = conn.execute(
            text(f"""
            WITH n AS ({_union(schema, nodes)})
            SELECT e.start_node, e.end_node,
                   (ns.id IS NULL OR NOT ST_DWithin(ns.geom, ST_StartPoint(e.geom), :tol))::int
                 + (ne.id IS NULL OR NOT ST_DWithin(ne.geom, ST_EndPoint(e.geom), :tol))::int
            FROM {schema}.{table} e
            LEFT JOIN n ns ON ns.id = e.start_node
            LEFT JOIN n ne ON ne.id = e.end_node"""),
            {"tol": SAME_POINT_DEG},
        ).all()
        if rows:
            arr = np.array([(r[0] or -1, r[1] or -1, r[2]) for r in rows], dtype=np.int64)
            dangling += int(arr[:, 2].sum())
            ends.append(arr[:, :2])
    edge_count = sum(len(e) for e in ends)
    pairs = np.concatenate(ends) if ends else np.empty((0, 2), np.int64)
    index = {int(i): k for k, i in enumerate(node_ids)}
    known = np.array([(a in index) and (b in index) for a, b in pairs.tolist()], dtype=bool)
    a = np.array([index[x] for x in pairs[known, 0].tolist()], dtype=np.int64)
    b = np.array([index[x] for x in pairs[known, 1].tolist()], dtype=np.int64)
    n = len(node_ids)
    if n:
        graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
        components, labels = connected_components(graph, directed=False)
        largest = int(np.bincount(labels).max())
        fed = {labels[index[int(i)]] for i in _ids(conn, schema, sources) if int(i) in index}
        unfed = int(components - len(fed))
    else:
        components, largest, unfed = 0, 0, 0
    return {
        "nodes": n,
        "edges": edge_count,
        "components": int(components),
        "largest_component": largest,
        "components_without_source": unfed,
        "dangling_ends": dangling,
    }


def network_report(conn) -> dict:
    """Connectivity per network layer and features without a commune, as plain data."""
    layers = {}
    for lyr in LAYERS:
        nodes, edges = _layer_tables(lyr)
        if nodes and edges:
            layers[lyr.name] = _layer_report(
                conn, lyr.schema, nodes, edges, SOURCES.get(lyr.name, ())
            )
    missing = {}
    for lyr in LAYERS:
        for ft in lyr.feature_types:
            if ft.table == "base_admin_unit":
                continue
            count = conn.execute(
                text(f"SELECT count(*) FROM {lyr.schema}.{ft.table} WHERE commune IS NULL")
            ).scalar()
            if count:
                missing[ft.table] = int(count)
    return {"networks": layers, "without_commune": missing}


def format_report(report: dict) -> str:
    """The report as a small text table."""
    lines = [
        f"{'network':<10} {'nodes':>8} {'edges':>8} {'components':>11} {'unfed':>6} {'dangling':>9}"
    ]
    for name, r in report["networks"].items():
        lines.append(
            f"{name:<10} {r['nodes']:>8} {r['edges']:>8} {r['components']:>11} "
            f"{r['components_without_source']:>6} {r['dangling_ends']:>9}"
        )
    missing = report["without_commune"]
    lines.append(
        "features without a commune: "
        + (", ".join(f"{t} {n}" for t, n in missing.items()) if missing else "none")
    )
    return "\n".join(lines)

"""Connecting imported lines to the nodes of their network, in bulk and in SQL.

The database snaps one line at a time as it is written (:mod:`twin.topology`);
a bulk copy skips that trigger, so an import of thousands of lines stages all
their end points in a temporary table and finds the nearest node of the layer
for each with one query, with the same
rules: the nearest node that is not abandoned, within the tolerance in
metres (geodesic), the line's end moved onto it.  It runs inside the import's
transaction after the nodes are copied and before the lines are, so each
line's history entry holds the geometry that was stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString

from twin.bulk import raw_connection
from twin.config import STORAGE_SRID
from twin.declare import FeatureType
from twin.topology import node_tables

__all__ = ["SnappedEnds", "snap_ends"]

# Degrees per metre at Vietnam's latitudes stay below 1/100 000: pad the box test.
_DEG_PER_M = 1.5e-5


@dataclass
class SnappedEnds:
    """Lines with their ends moved onto nodes, the node ids (``None``: no node)."""

    geometry: np.ndarray
    start_node: list[int | None]
    end_node: list[int | None]

    def unconnected(self) -> list[tuple[int, str]]:
        """``(line index, "start" | "end")`` for every end left without a node."""
        return [
            (i, side)
            for side, ids in (("start", self.start_node), ("end", self.end_node))
            for i, node in enumerate(ids)
            if node is None
        ]


def _nearest_sql(tables: list[str]) -> str:
    candidates = " UNION ALL ".join(
        f"SELECT id, geom FROM {t} WHERE geom && ST_Expand(p.pt, %(box)s) AND status <> 'abandoned'"
        for t in tables
    )
    return f"""
        SELECT p.i, p.side, n.id, ST_X(n.geom), ST_Y(n.geom)
        FROM (SELECT i, side, ST_SetSRID(ST_MakePoint(x, y), {STORAGE_SRID}) AS pt FROM _io_ends) p
        CROSS JOIN LATERAL (
            SELECT c.id, c.geom, ST_Distance(c.geom::geography, p.pt::geography) AS d
            FROM ({candidates}) c ORDER BY d LIMIT 1) n
        WHERE n.d <= %(tol)s"""


def snap_ends(session, ft: FeatureType, geometry: np.ndarray, tolerance_m: float) -> SnappedEnds:
    """Snap both ends of every line of ``geometry`` (WGS 84) to nodes of ``ft``'s layer."""
    n = len(geometry)
    start, end = [None] * n, [None] * n
    tables = node_tables(ft)
    if not tables or n == 0:
        return SnappedEnds(geometry, start, end)
    first = shapely.get_coordinates(shapely.get_point(geometry, 0))
    last = shapely.get_coordinates(shapely.get_point(geometry, -1))
    conn = raw_connection(session)
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS _io_ends (i integer, side smallint, "
            "x float8, y float8) ON COMMIT DROP"
        )
        cur.execute("TRUNCATE _io_ends")
        with cur.copy("COPY _io_ends (i, side, x, y) FROM STDIN") as copy:
            for side, xy in ((0, first), (1, last)):
                copy.write(
                    "".join(f"{i}\t{side}\t{x!r}\t{y!r}\n" for i, (x, y) in enumerate(xy.tolist()))
                )
        cur.execute(_nearest_sql(tables), {"box": tolerance_m * _DEG_PER_M, "tol": tolerance_m})
        found = cur.fetchall()
        cur.execute("DROP TABLE _io_ends")
    coords = {}
    for i, side, node_id, x, y in found:
        (start if side == 0 else end)[i] = node_id
        coords.setdefault(i, {})[side] = (x, y)
    return SnappedEnds(_moved(geometry, coords), start, end)


def _moved(geometry: np.ndarray, coords: dict[int, dict[int, tuple]]) -> np.ndarray:
    out = geometry.copy()
    for i, ends in coords.items():
        points = list(geometry[i].coords)
        if 0 in ends:
            points[0] = ends[0]
        if 1 in ends:
            points[-1] = ends[1]
        moved = LineString(points)
        # Both ends on one node would make a zero-length line: keep the drawn one.
        if moved.length > 0 and moved.is_valid:
            out[i] = moved
    return out

"""Keeping network topology explicit: snapping line ends to the nodes of their network.

Network edges (pipes, conduits, lines, cables) store ``start_node`` and
``end_node``; when an edge is written its ends are snapped to the nearest
node of the same layer within a tolerance (metres), the line's end vertex is
moved onto the node, and what happened is reported to the editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import LineString
from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import layer

from .declare import FeatureType

__all__ = ["SnapResult", "node_tables", "snap_line"]

# Degrees per metre at Vietnam's latitudes is below 1/100 000; pad for the box test.
_DEG_PER_M = 1.5e-5


@dataclass(frozen=True)
class SnapResult:
    """Where one end of a line was connected (``node_code`` None: unconnected)."""

    end: str
    node_id: int | None
    node_code: str | None
    distance_m: float | None

    def to_dict(self) -> dict:
        return {"end": self.end, "node": self.node_code, "node_id": self.node_id,
                "distance_m": None if self.distance_m is None else round(self.distance_m, 3),
                "connected": self.node_code is not None}


def node_tables(ft: FeatureType) -> list[str]:
    """Tables of the node feature types in ``ft``'s network."""
    return [f"assets.{n.table}" for n in layer(ft.layer).feature_types if n.network == "node"]


def _nearest_node(session: Session, tables: list[str], x: float, y: float, tol_m: float):
    point = "ST_SetSRID(ST_MakePoint(:x, :y), 4326)"
    parts = [
        f"SELECT id, code, ST_X(geom) AS nx, ST_Y(geom) AS ny, "
        f"ST_Distance(geom::geography, {point}::geography) AS d FROM {t} "
        f"WHERE geom && ST_Expand({point}, :box) AND status <> 'abandoned'"
        for t in tables
    ]
    sql = " UNION ALL ".join(parts) + " ORDER BY d LIMIT 1"
    row = session.execute(text(sql), {"x": x, "y": y, "box": tol_m * _DEG_PER_M}).first()
    if row is None or row.d > tol_m:
        return None
    return row


def snap_line(session: Session, ft: FeatureType, line: LineString, tol_m: float
              ) -> tuple[LineString, list[SnapResult]]:
    """Snap both ends of ``line`` to nodes of its network within ``tol_m`` metres."""
    coords = list(line.coords)
    tables = node_tables(ft)
    results = []
    for end, index in (("start", 0), ("end", -1)):
        x, y = coords[index][:2]
        row = _nearest_node(session, tables, x, y, tol_m) if tables else None
        if row is None:
            results.append(SnapResult(end, None, None, None))
            continue
        coords[index] = (row.nx, row.ny)
        results.append(SnapResult(end, row.id, row.code, row.d))
    snapped = LineString(coords)
    return (snapped if snapped.length > 0 else line), results

"""Keeping network topology explicit: line ends snapped to the nodes of their network.

Network edges (pipes, conduits, lines, cables) store ``start_node`` and
``end_node``.  Whatever client writes an edge, the database's trigger
(``audit.keep_feature_rules`` in ``migrations/sql/audit_triggers.sql``)
snaps each end to the nearest node of the same layer that is not abandoned
within a tolerance (metres, geodesic; :data:`twin.config.SNAP_TOLERANCE_M`
unless the writer sets ``twin.snap_tolerance_m``) and moves the end vertex
onto it.  Here the edit service learns what happened, to report it to the
editor; bulk imports snap in bulk before they copy (:mod:`twin.io.snapping`).
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import LineString
from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import layer
from twin.config import STORAGE_SRID

from .declare import FeatureType

__all__ = ["SnapResult", "node_tables", "snapping_report"]


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


def _node(session: Session, tables: list[str], node_id: int, x: float, y: float):
    point = f"ST_SetSRID(ST_MakePoint(:x, :y), {STORAGE_SRID})::geography"
    sql = " UNION ALL ".join(
        f"SELECT code, ST_Distance(geom::geography, {point}) AS d FROM {t} WHERE id = :id"
        for t in tables)
    return session.execute(text(sql), {"id": node_id, "x": x, "y": y}).first()


def snapping_report(session: Session, ft: FeatureType, drawn: LineString, stored: dict
                    ) -> list[SnapResult]:
    """How the ends of the line ``drawn`` by an editor were connected once ``stored``.

    ``stored`` is the feature as read back after the write; each end names
    its node and how far (metres) the drawn end was from it.
    """
    coords, props, tables = list(drawn.coords), stored["properties"], node_tables(ft)
    results = []
    for end, index in (("start", 0), ("end", -1)):
        node_id = props.get(f"{end}_node")
        row = _node(session, tables, node_id, *coords[index][:2]) if node_id and tables else None
        if row is None:
            results.append(SnapResult(end, None, None, None))
        else:
            results.append(SnapResult(end, node_id, row.code, row.d))
    return results

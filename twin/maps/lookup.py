"""Read-only queries of the map page: what is under the cursor, extent.

Search is :func:`twin.search.search`.

Each function takes a session and plain values and returns plain data; the
views turn the results into JSON.  Tables are named from the layer
registry only (never from user input), so the SQL below is built from
trusted identifiers and bound parameters.
"""

from __future__ import annotations

import math

from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import feature_type, feature_types
from twin.models import model
from twin.rasters import dem_path

__all__ = [
    "commune_name",
    "data_bounds",
    "dem_path",
    "feature_at",
    "metres_per_pixel",
]

_EARTH_M_PER_PX_Z0 = 156543.03392  # web-mercator metres per pixel at zoom 0 (equator)
_GEOMETRY_RANK = {"Point": 0, "LineString": 1, "Polygon": 2, "MultiPolygon": 2}


def _qualified(table: str) -> str:
    t = model(table).__table__
    return f'{t.schema}."{t.name}"'


def metres_per_pixel(lat: float, zoom: float) -> float:
    """Ground size of one screen pixel of a web-mercator map at ``lat``, ``zoom``."""
    return _EARTH_M_PER_PX_Z0 * math.cos(math.radians(lat)) / 2**zoom


def _in_force_sql(table: str) -> str:
    """SQL true when a feature of ``table`` is in service and valid today.

    Every asset has a ``status`` and a ``decommissioned_on``; feature types
    with validity dates (administrative units) are also bounded by them, so
    a province abolished last year is no longer in force.
    """
    names = {a.name for a in feature_type(table).attributes}
    terms = [
        "status = 'in_service'",
        "(decommissioned_on IS NULL OR decommissioned_on > CURRENT_DATE)",
    ]
    if "valid_from" in names:
        terms.append("(valid_from IS NULL OR valid_from <= CURRENT_DATE)")
    if "valid_to" in names:
        terms.append("(valid_to IS NULL OR valid_to >= CURRENT_DATE)")
    return " AND ".join(terms)


def feature_at(
    session: Session, lon: float, lat: float, *, tables: list[str], tolerance_m: float
) -> dict | None:
    """The feature nearest to a clicked point among ``tables``, or None.

    Points win over lines and lines over polygons when several lie within
    ``tolerance_m`` (metres): a valve on a pipe inside a building footprint
    is what a click on it means.  Within one kind of geometry a feature in
    force (in service, valid today) wins over one that is not, so a click on
    empty ground opens the current province, not the one it replaced; a
    feature out of force is chosen only when nothing else is there, and
    ``in_force`` says so.  Of nested areas the smallest wins (the ward,
    not the province around it).
    """
    tables = [t for t in tables if t in {ft.table for ft in feature_types()}]
    if not tables:
        return None
    box = tolerance_m / 90_000.0  # degrees, generous at Vietnam's latitudes
    point = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"
    parts = [
        f"(SELECT * FROM (SELECT '{t}' AS tbl, code, "
        f"{_GEOMETRY_RANK[feature_type(t).geometry]} AS rank, "
        f"({_in_force_sql(t)}) AS in_force, "
        f"ST_Distance(geom::geography, {point}::geography) AS d, ST_Area(geom) AS area "
        f"FROM {_qualified(t)} "
        f"WHERE geom && ST_Expand({point}, :box) ORDER BY geom <-> {point} LIMIT 16) near "
        f"WHERE d <= :tol ORDER BY in_force DESC, d, area LIMIT 1)"
        for t in tables
    ]
    sql = (
        f"SELECT * FROM ({' UNION ALL '.join(parts)}) hits "
        "ORDER BY rank, in_force DESC, d, area LIMIT 1"
    )
    row = session.execute(
        text(sql), {"lon": lon, "lat": lat, "box": box, "tol": tolerance_m}
    ).first()
    if row is None:
        return None
    return {
        "table": row.tbl,
        "code": row.code,
        "distance_m": round(row.d, 2),
        "in_force": row.in_force,
    }


def data_bounds(session: Session) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """``((south, west), (north, east))`` of the road network, or None if there is none.

    Roads outline the town the twin covers (communes may reach much further);
    the planner's estimate is used when the table has statistics, so a
    province of roads costs no scan.
    """
    row = session.execute(
        text(
            "SELECT ST_XMin(e) xmin, ST_YMin(e) ymin, ST_XMax(e) xmax, ST_YMax(e) ymax FROM "
            "(SELECT coalesce(ST_EstimatedExtent('base', 'base_road', 'geom')::geometry, "
            f"(SELECT ST_Extent(geom) FROM {_qualified('base_road')})::geometry) e) x"
        )
    ).first()
    if row is None or row.xmin is None:
        return None
    return (row.ymin, row.xmin), (row.ymax, row.xmax)


def commune_name(session: Session, properties: dict) -> str | None:
    """The name of the commune a feature lies in (its ``commune`` is a code)."""
    code = properties.get("commune")
    if not code:
        return None
    return session.execute(
        text(f"SELECT name FROM {_qualified('base_admin_unit')} WHERE code = :code"), {"code": code}
    ).scalar()


"""Read what the planner needs from the twin (PostGIS), projected to metres.

One query per table; geometries come as WKB and are projected from WGS 84 to
the VN-2000 3° zone of the data (:func:`twin.crs.metric_crs_for`) with one
vectorised pyproj call each.  Only assets in service (or without a status)
count as existing: planned assets, this plan's included, never feed a plan.
An access node marked ``planned`` that no plan wrote (no ``fiber_plan`` in
its ``extra``) is an access point given beforehand for its village.
"""

from __future__ import annotations

import json

import numpy as np
import shapely
from pyproj import CRS
from shapely.geometry import Point
from sqlalchemy import text

from twin.crs import STORAGE_CRS, metric_crs_for, transformer
from twin.models import model

from .inputs import Cable, Duct, NetworkNode, PlanInputs, Road, Village

__all__ = ["POLE_TABLES", "existing_network_geojson", "load_inputs"]

#: Point tables whose features can carry aerial cable.
POLE_TABLES = ("power_pole", "lighting_light", "telecom_pole")
_IN_SERVICE = "coalesce(status, 'in_service') = 'in_service'"


def _table(name: str) -> str:
    t = model(name).__table__
    return f'{t.schema}."{t.name}"'


def _rows(conn, sql: str, **params) -> list:
    return list(conn.execute(text(sql), params))


def _project(crs: CRS, wkbs) -> np.ndarray:
    geoms = shapely.from_wkb([bytes(w) for w in wkbs])
    if not len(geoms):
        return np.asarray(geoms, dtype=object)
    to_metric = transformer(STORAGE_CRS, crs)

    def move(xy):
        x, y = to_metric.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def _points(crs: CRS, rows, col: int) -> np.ndarray:
    geoms = _project(crs, [r[col] for r in rows])
    return shapely.get_coordinates(geoms).reshape(-1, 2) if len(geoms) else np.empty((0, 2))


def _data_crs(conn) -> CRS:
    lon = conn.execute(
        text(f"SELECT avg(ST_X(ST_StartPoint(geom))) FROM {_table('base_road')}")
    ).scalar()
    return metric_crs_for(float(lon) if lon is not None else 105.0)


def _nodes(conn, crs) -> list[NetworkNode]:
    out = []
    for kind in ("pop", "cabinet", "access_node"):
        village = "village" if kind == "access_node" else "NULL"
        rows = _rows(
            conn,
            f"SELECT code, id, {village}, ST_AsBinary(geom) "
            f"FROM {_table('telecom_' + kind)} WHERE {_IN_SERVICE} ORDER BY id",
        )
        for r, xy in zip(rows, _points(crs, rows, 3), strict=True):
            out.append(NetworkNode(r[0], int(r[1]), kind, Point(xy), r[2]))
    return out


def _lines(conn, crs, sql: str):
    rows = _rows(conn, sql)
    return rows, _project(crs, [r[-1] for r in rows])


def _roads(conn, crs) -> list[Road]:
    sql = (
        f"SELECT code, road_class, width_m, surface, ST_AsBinary(geom) "
        f"FROM {_table('base_road')} ORDER BY id"
    )
    rows, lines = _lines(conn, crs, sql)
    return [Road(r[0], g, r[1], r[2], r[3]) for r, g in zip(rows, lines, strict=True)]


def _villages(conn, crs) -> list[Village]:
    rows = _rows(
        conn,
        f"SELECT code, name, commune, coalesce(households, 0), "
        f"ST_AsBinary(geom) FROM {_table('base_village')} ORDER BY id",
    )
    return [
        Village(r[0], Point(xy), int(r[3]), r[1] or "", r[2])
        for r, xy in zip(rows, _points(crs, rows, 4), strict=True)
    ]


def _buildings(conn, crs) -> tuple[np.ndarray, np.ndarray]:
    """Points on the surface of buildings with households (m), and their households."""
    rows = _rows(
        conn,
        f"SELECT households, ST_AsBinary(ST_PointOnSurface(geom)) "
        f"FROM {_table('base_building')} WHERE households > 0 ORDER BY id",
    )
    return _points(crs, rows, 1), np.array([r[0] for r in rows], dtype=float)


def _cables(conn, crs) -> list[Cable]:
    sql = (
        f"SELECT code, start_node, end_node, fiber_count - coalesce(fibers_used, 0), "
        f"placement, ST_AsBinary(geom) FROM {_table('telecom_cable')} "
        f"WHERE {_IN_SERVICE} ORDER BY id"
    )
    rows, lines = _lines(conn, crs, sql)
    return [
        Cable(r[0], g, r[1], r[2], int(r[3] or 0), r[4]) for r, g in zip(rows, lines, strict=True)
    ]


def _ducts(conn, crs) -> list[Duct]:
    sql = (
        f"SELECT code, coalesce(ways_free, 0), ST_AsBinary(geom) "
        f"FROM {_table('telecom_duct')} WHERE {_IN_SERVICE} ORDER BY id"
    )
    rows, lines = _lines(conn, crs, sql)
    return [Duct(r[0], g, int(r[1])) for r, g in zip(rows, lines, strict=True)]


def _poles(conn, crs) -> np.ndarray:
    sql = "SELECT ST_AsBinary(geom) FROM {} WHERE " + _IN_SERVICE
    return np.vstack([_points(crs, _rows(conn, sql.format(_table(t))), 0) for t in POLE_TABLES])


def _given_access(conn, crs) -> dict[str, Point]:
    rows = _rows(
        conn,
        f"SELECT village, ST_AsBinary(geom) FROM {_table('telecom_access_node')} "
        "WHERE status = 'planned' AND village IS NOT NULL "
        "AND (extra IS NULL OR NOT extra ? 'fiber_plan') ORDER BY id",
    )
    return {r[0]: Point(xy) for r, xy in zip(rows, _points(crs, rows, 1), strict=True)}


def load_inputs(conn, *, crs: CRS | None = None) -> PlanInputs:
    """Everything the plan reads, from a SQLAlchemy connection or session.

    Parameters
    ----------
    conn : Connection or Session
        Where the twin is.
    crs : pyproj.CRS, optional
        Metric CRS to work in (default: the VN-2000 3° zone of the roads).
    """
    crs = crs or _data_crs(conn)
    buildings_xy, households = _buildings(conn, crs)
    return PlanInputs(
        crs=crs.to_string(),
        roads=_roads(conn, crs),
        villages=_villages(conn, crs),
        nodes=_nodes(conn, crs),
        cables=_cables(conn, crs),
        ducts=_ducts(conn, crs),
        poles_xy=_poles(conn, crs),
        buildings_xy=buildings_xy,
        buildings_households=households,
        given_access=_given_access(conn, crs),
    )


def existing_network_geojson(conn) -> dict:
    """POPs and fibre cables in service as one GeoJSON FeatureCollection (WGS 84).

    The plan page draws them under each phase's map; ``layer`` is ``pop`` or
    ``cable``.
    """
    sql = f"""
        SELECT 'pop', code, ST_AsGeoJSON(geom, 6) FROM {_table("telecom_pop")}
        WHERE {_IN_SERVICE}
        UNION ALL
        SELECT 'cable', code, ST_AsGeoJSON(geom, 6) FROM {_table("telecom_cable")}
        WHERE {_IN_SERVICE}"""
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(r[2]),
            "properties": {"layer": r[0], "code": r[1]},
        }
        for r in _rows(conn, sql)
    ]
    return {"type": "FeatureCollection", "features": features}

"""The database side of drainage runs: the drainage layer read as plain rows, runs written.

Network features in service or out of service are read as the water
layer's are (:mod:`twin.simulation.store`); nodes without a
rim get ``ground_m`` from the DEM.  Catchments come with ``area_m2`` (on
the spheroid), ``xy`` (a point inside) and, where the DEM covers them,
``slope_pct`` between that point and their outlet.  When the layer has no
catchments, the base map's buildings (footprints) and roads (centre lines
and widths) near the network are read so the service can derive them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from layers import layer
from twin.rasters import dem_path

from .algorithms.drainage_engine import DrainageResult
from .store import _cursor, _dict_rows, _ground, _node_codes, _rows

__all__ = [
    "base_surfaces",
    "drainage_features",
    "drainage_result_rows",
    "drainage_run_row",
    "drainage_runs",
    "save_drainage_run",
]

_LAYER = layer("drainage")
_NETWORK = [ft for ft in _LAYER.feature_types if ft.network in ("node", "edge")]


def _catchments(conn) -> list[dict]:
    with _cursor(conn) as cur:
        cur.execute(
            "SELECT code, status, extra, outlet, imperviousness_pct, "
            "ST_Area(geom::geography), ST_X(ST_PointOnSurface(geom)), "
            "ST_Y(ST_PointOnSurface(geom)) FROM assets.drainage_catchment "
            "WHERE status IN ('in_service', 'out_of_service')"
        )
        keys = ["code", "status", "extra", "outlet", "imperviousness_pct", "area_m2", "lon",
                "lat"]
        return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]


def _slopes(catchments: list[dict], nodes: dict[str, dict]) -> None:
    """``slope_pct`` from the ground inside each catchment down to its outlet's."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    for c in catchments:
        outlet = nodes.get(c.get("outlet") or "")
        if c.get("ground_m") is None or outlet is None or outlet.get("ground_m") is None:
            continue
        run = geod.inv(c["lon"], c["lat"], *outlet["xy"])[2]
        if run > 1.0:
            drop = abs(c["ground_m"] - outlet["ground_m"])
            c["slope_pct"] = min(max(100.0 * drop / run, 0.1), 20.0)


def drainage_features(conn, home: Path | str | None) -> dict[str, list[dict]]:
    """Rows of every drainage table (see the module docstring)."""
    codes = _node_codes(_LAYER)
    out = {ft.table: _rows(conn, ft, codes) for ft in _NETWORK}
    catchments = _catchments(conn)
    nodes = [r for ft in _NETWORK if ft.network == "node" for r in out[ft.table]]
    dem = dem_path(conn, home)
    if dem is not None:
        _ground(nodes, dem)
        _ground(catchments, dem)
    for r in nodes:
        r["xy"] = (r.pop("lon"), r.pop("lat"))
    _slopes(catchments, {r["code"]: r for r in nodes})
    for c in catchments:
        c["xy"] = (c.pop("lon"), c.pop("lat"))
    out["drainage_catchment"] = catchments
    return out


def base_surfaces(conn, bounds: tuple[float, float, float, float]) -> dict[str, list]:
    """Buildings (WKB polygons) and roads (WKB lines, width m or None) within ``bounds``
    (lon/lat)."""
    env = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"
    with _cursor(conn) as cur:
        cur.execute(f"SELECT ST_AsBinary(geom) FROM base.base_building WHERE geom && {env}",
                    bounds)
        buildings = [bytes(r[0]) for r in cur.fetchall()]
        cur.execute(f"SELECT ST_AsBinary(geom), width_m FROM base.base_road "
                    f"WHERE geom && {env}", bounds)
        roads = [(bytes(g), w) for g, w in cur.fetchall()]
    return {"buildings": buildings, "roads": roads}


def save_drainage_run(conn, run: Mapping, result: DrainageResult) -> int:
    """Insert the run (``return_period_years``, ``duration_min``, ``blocked``,
    ``data_version``, ``inputs``, ``summary``, ``created_by``) and its statistics; its id."""
    from psycopg.types.json import Jsonb

    keys = ("return_period_years", "duration_min", "blocked", "data_version", "inputs",
            "summary", "created_by")
    values = [Jsonb(run[k]) if k in ("blocked", "inputs", "summary") else run[k] for k in keys]
    with _cursor(conn) as cur:
        cur.execute(
            f"INSERT INTO simulation.drainage_run ({', '.join(keys)}) "
            f"VALUES ({', '.join(['%s'] * len(keys))}) RETURNING id",
            values,
        )
        run_id = cur.fetchone()[0]
        with cur.copy(
            "COPY simulation.drainage_result (run_id, kind, code, max_depth_m, "
            "flood_volume_m3, flood_hours, max_flow_m3s, mean_flow_m3s, max_velocity_ms) "
            "FROM STDIN"
        ) as copy:
            for code, v in result.nodes.items():
                copy.write_row((run_id, "node", code, v["max_depth_m"], v["flood_volume_m3"],
                                v["flood_hours"], v["max_inflow_m3s"], None, None))
            for code, v in result.links.items():
                copy.write_row((run_id, "link", code, v["max_depth_m"], None, None,
                                v["max_flow_m3s"], None, v["max_velocity_ms"]))
            for code, v in result.outfalls.items():
                copy.write_row((run_id, "outfall", code, None, None, None, v["max_flow_m3s"],
                                v["mean_flow_m3s"], None))
    return run_id


_RUN_COLUMNS = ("id, return_period_years, duration_min, blocked, data_version, inputs, "
                "summary, created_by, created_at")


def drainage_run_row(conn, run_id: int) -> dict | None:
    """The run ``run_id`` as a dict, or None."""
    found = _dict_rows(
        conn, f"SELECT {_RUN_COLUMNS} FROM simulation.drainage_run WHERE id = %s", (run_id,)
    )
    return found[0] if found else None


def drainage_runs(conn, limit: int = 20) -> list[dict]:
    """The latest drainage runs, newest first (without their inputs)."""
    return _dict_rows(
        conn,
        "SELECT id, return_period_years, duration_min, blocked, data_version, summary, "
        "created_by, created_at FROM simulation.drainage_run ORDER BY id DESC LIMIT %s",
        (limit,),
    )


def drainage_result_rows(conn, run_id: int, kind: str) -> list[dict]:
    """The statistics of run ``run_id``'s features of ``kind`` (node, link, outfall), each
    with the feature's position (``lon``, ``lat``: a node's point, a link's middle)."""
    tables = [ft.table for ft in _NETWORK if (ft.network == "edge") == (kind == "link")]
    where = " UNION ALL ".join(
        f"SELECT code, ST_X(ST_PointOnSurface(geom)) x, ST_Y(ST_PointOnSurface(geom)) y "
        f"FROM assets.{t}" for t in tables)
    with _cursor(conn) as cur:
        cur.execute(
            f"SELECT r.code, r.max_depth_m, r.flood_volume_m3, r.flood_hours, r.max_flow_m3s, "
            f"r.mean_flow_m3s, r.max_velocity_ms, f.x, f.y FROM simulation.drainage_result r "
            f"LEFT JOIN ({where}) f ON f.code = r.code "
            f"WHERE r.run_id = %s AND r.kind = %s ORDER BY r.code",
            (run_id, kind),
        )
        names = [d.name for d in cur.description]
        names[-2:] = ["lon", "lat"]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

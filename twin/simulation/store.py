"""The database side of the simulation: the water layer read as plain rows, runs written.

Features in service or out of service are read (planned and abandoned ones
are not part of the network yet or any more); each row is a dict of the
declared attributes with ``code``, ``status``, ``extra``, ``xy`` (lon/lat)
and, for pipes, ``start``, ``end`` and ``length_m``.  Nodes without a
surveyed elevation get ``ground_m`` from the registered DEM.  Results are
written with COPY, one row per feature and reported time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from layers import layer
from twin.crs import transformer
from twin.features import data_version as features_version
from twin.rasters import dem_path

from .algorithms.hydraulics import HydraulicResult

__all__ = [
    "WATER_TABLES",
    "data_version",
    "layer_rows",
    "results_at",
    "run_row",
    "runs",
    "save_run",
    "saved_timed",
    "water_features",
]

_LAYER = layer("water")
WATER_TABLES = tuple(ft.table for ft in _LAYER.feature_types)
_IN_NETWORK = "status IN ('in_service', 'out_of_service')"


def saved_timed(engine, save: Callable, run: dict, result, timings: dict) -> int:
    """``save(session, run, result)`` in one transaction; the run's id.

    The seconds it took go to ``timings["store_s"]``.
    """
    started = time.perf_counter()
    with Session(engine) as session, session.begin():
        run_id = save(session, run, result)
    timings["store_s"] = time.perf_counter() - started
    return run_id


def _node_codes(lyr) -> str:
    """The ids and codes of every node table of ``lyr``, as one subquery."""
    return " UNION ALL ".join(
        f"SELECT id, code FROM assets.{ft.table}" for ft in lyr.feature_types
        if ft.network == "node"
    )


def _cursor(conn):
    """A driver cursor in the caller's transaction (Session or Connection)."""
    if hasattr(conn, "connection") and callable(conn.connection):
        conn = conn.connection()
    return conn.connection.driver_connection.cursor()


def _dict_rows(conn, sql: str, params) -> list[dict]:
    """Every row ``sql`` answers, as a dict by column name."""
    with _cursor(conn) as cur:
        cur.execute(sql, params)
        names = [d.name for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _rows(conn, ft, node_codes: str) -> list[dict]:
    names = [a.name for a in ft.attributes if not a.personal]
    cols = ", ".join(f"t.{n}" for n in names)
    if ft.network == "edge":
        sql = (
            f"SELECT t.code, t.status, t.extra, {cols}, s.code, e.code, "
            f"ST_Length(t.geom::geography), NULL, NULL FROM assets.{ft.table} t "
            f"LEFT JOIN ({node_codes}) s ON s.id = t.start_node "
            f"LEFT JOIN ({node_codes}) e ON e.id = t.end_node WHERE t.{_IN_NETWORK}"
        )
        extra = ["start", "end", "length_m", "lon", "lat"]
    else:
        sql = (
            f"SELECT t.code, t.status, t.extra, {cols}, ST_X(t.geom), ST_Y(t.geom) "
            f"FROM assets.{ft.table} t WHERE t.{_IN_NETWORK}"
        )
        extra = ["lon", "lat"]
    with _cursor(conn) as cur:
        cur.execute(sql)
        found = cur.fetchall()
    keys = ["code", "status", "extra", *names, *extra]
    return [dict(zip(keys, r, strict=True)) for r in found]


def _ground(rows: list[dict], dem: Path) -> None:
    """``ground_m`` under each node row without an elevation, from the DEM."""
    import rasterio
    from rasterio.transform import rowcol

    todo = [r for r in rows if r.get("elevation_m") is None and r.get("lon") is not None]
    if not todo:
        return
    with rasterio.open(dem) as src:
        xs, ys = transformer("EPSG:4326", src.crs).transform(
            [r["lon"] for r in todo], [r["lat"] for r in todo]
        )
        rr, cc = rowcol(src.transform, xs, ys)
        band = src.read(1, masked=True)
    rr, cc = np.asarray(rr), np.asarray(cc)
    ok = (rr >= 0) & (rr < band.shape[0]) & (cc >= 0) & (cc < band.shape[1])
    for row, r, c, inside in zip(todo, rr, cc, ok, strict=True):
        if inside and not np.ma.is_masked(band[r, c]):
            row["ground_m"] = float(band[r, c])


def layer_rows(conn, name: str) -> dict[str, list[dict]]:
    """Rows of every table of the layer ``name`` in the network, by table (see the
    module docstring; positions as ``lon`` and ``lat``)."""
    lyr = layer(name)
    codes = _node_codes(lyr)
    return {ft.table: _rows(conn, ft, codes) for ft in lyr.feature_types}


def water_features(conn, home: Path | str | None) -> dict[str, list[dict]]:
    """Rows of every water table in the network (see the module docstring)."""
    out = layer_rows(conn, "water")
    dem = dem_path(conn, home)
    nodes = [r for ft in _LAYER.feature_types if ft.network == "node" for r in out[ft.table]]
    if dem is not None:
        _ground(nodes, dem)
    for r in nodes:
        r["xy"] = (r.pop("lon"), r.pop("lat"))
    return out


def data_version(conn) -> int | None:
    """The last change of the twin's data (:func:`twin.features.data_version`);
    None for a twin never written to, as a run stores it."""
    return features_version(conn) or None


def save_run(conn, run: Mapping, result: HydraulicResult) -> int:
    """Insert the run (``scenario``, ``duration_s``, ``step_s``, ``data_version``,
    ``inputs``, ``summary``, ``created_by``) and its results; the run id."""
    from psycopg.types.json import Jsonb

    keys = ("scenario", "duration_s", "step_s", "data_version", "inputs", "summary",
            "created_by")
    values = [Jsonb(run[k]) if k in ("inputs", "summary") else run[k] for k in keys]
    with _cursor(conn) as cur:
        cur.execute(
            f"INSERT INTO simulation.water_run ({', '.join(keys)}) "
            f"VALUES ({', '.join(['%s'] * len(keys))}) RETURNING id",
            values,
        )
        run_id = cur.fetchone()[0]
        with cur.copy(
            "COPY simulation.water_result (run_id, time_s, kind, code, pressure_m, head_m, "
            "demand_lps, flow_lps, velocity_ms) FROM STDIN"
        ) as copy:
            _copy_results(copy, run_id, result)
    return run_id


def _copy_results(copy, run_id: int, result: HydraulicResult) -> None:
    n, ln = result.nodes, result.links
    for k, t in enumerate(result.times_s):
        for code in n["pressure_m"]:
            copy.write_row((run_id, t, "node", code, float(n["pressure_m"][code][k]),
                            float(n["head_m"][code][k]), float(n["demand_lps"][code][k]),
                            None, None))
        for code in ln["flow_lps"]:
            copy.write_row((run_id, t, "link", code, None, None, None,
                            float(ln["flow_lps"][code][k]), float(ln["velocity_ms"][code][k])))


def run_row(conn, run_id: int) -> dict | None:
    """The run ``run_id`` as a dict, or None."""
    found = _dict_rows(
        conn,
        "SELECT id, scenario, duration_s, step_s, data_version, inputs, summary, "
        "created_by, created_at FROM simulation.water_run WHERE id = %s",
        (run_id,),
    )
    return found[0] if found else None


def runs(conn, limit: int = 20) -> list[dict]:
    """The latest runs, newest first."""
    return _dict_rows(
        conn,
        "SELECT id, scenario, duration_s, step_s, data_version, summary, created_by, "
        "created_at FROM simulation.water_run ORDER BY id DESC LIMIT %s",
        (limit,),
    )


def results_at(conn, run_id: int, time_s: int) -> dict[str, dict[str, dict]]:
    """``{"nodes": {code: {...}}, "links": {code: {...}}}`` at the last reported time
    at or before ``time_s``."""
    with _cursor(conn) as cur:
        cur.execute(
            "SELECT kind, code, pressure_m, head_m, demand_lps, flow_lps, velocity_ms "
            "FROM simulation.water_result WHERE run_id = %(r)s AND time_s = ("
            " SELECT max(time_s) FROM simulation.water_result"
            " WHERE run_id = %(r)s AND time_s <= %(t)s) ORDER BY kind, code",
            {"r": run_id, "t": time_s},
        )
        found = cur.fetchall()
    out: dict[str, dict[str, dict]] = {"nodes": {}, "links": {}}
    for kind, code, p, h, d, q, v in found:
        if kind == "node":
            out["nodes"][code] = {"pressure_m": p, "head_m": h, "demand_lps": d}
        else:
            out["links"][code] = {"flow_lps": q, "velocity_ms": v}
    return out

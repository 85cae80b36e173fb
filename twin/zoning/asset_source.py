"""Existing and planned assets, and today's roads, read from PostGIS for the plan checks.

The checks need, per asset: code, feature type, geometry in metres, placement
(underground, overhead, surface), whether it exists or is planned, depth,
elevation and diameter.  Each table of the twin gives them from its own
columns (:data:`ASSET_SOURCES`); planned fiber routes are telecom cables with
status ``planned``, and abandoned assets are left out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from sqlalchemy import case, func, literal, null, select
from sqlalchemy.orm import Session

from twin.config import STORAGE_SRID
from twin.crs import STORAGE_CRS, reproject
from twin.models import model
from twin.zoning.assets import AssetTable

__all__ = ["ASSET_SOURCES", "load_assets", "load_existing_roads"]

_NUMBERS = ("depth_m", "height_m", "elevation_m", "diameter_mm")


def _placed(m) -> dict:
    return {"placement": m.placement}


def _water(m) -> dict:
    return {"depth_m": m.depth_m, "diameter_mm": m.diameter_mm}


def _drain(m) -> dict:
    """Axis elevation from the inverts; a box culvert counts by its width and height."""
    size_mm = func.coalesce(m.diameter_mm, m.height_mm)
    return {
        "diameter_mm": func.coalesce(m.diameter_mm, m.width_mm),
        "elevation_m": (m.invert_up_m + m.invert_down_m) / 2.0 + size_mm / 2000.0,
        "utility_class": case((m.system == "storm", "storm"), else_="sewer"),
    }


def _standing(m) -> dict:
    return {"placement": literal("surface")}


#: Table -> the columns it gives the checks (SQL expressions on its model).
ASSET_SOURCES: dict[str, Callable] = {
    "water_pipe": _water,
    "drainage_conduit": _drain,
    "power_line": _placed,
    "lighting_cable": _placed,
    "telecom_cable": _placed,
    "trees_tree": _standing,
    "lighting_light": _standing,
    "power_pole": _standing,
    "telecom_pole": _standing,
}


def _envelope(bounds):
    return func.ST_MakeEnvelope(*bounds, STORAGE_SRID)


def _read_table(session: Session, table: str, bounds) -> dict[str, list]:
    m = model(table)
    given = ASSET_SOURCES[table](m)
    names = ["placement", "utility_class", *_NUMBERS]
    columns = [given.get(name, null()).label(name) for name in names]
    query = select(m.code, m.status, *columns, func.ST_AsBinary(m.geom)).where(
        m.status != "abandoned"
    )
    if bounds is not None:
        query = query.where(m.geom.op("&&")(_envelope(bounds)))
    rows = session.execute(query).all()
    out = {name: [row[k] for row in rows] for k, name in enumerate(["code", "status", *names])}
    out["wkb"] = [row[-1] for row in rows]
    out["feature_type"] = [table] * len(rows)
    return out


def _placements(raw: list, points: np.ndarray) -> np.ndarray:
    placement = np.array(raw, dtype=object)
    overhead = placement == "overhead"
    surface = (placement == "surface") | points
    return np.where(overhead, "overhead", np.where(surface, "surface", "underground"))


def load_assets(session: Session, crs, *, bounds=None, tables=None, progress=None) -> AssetTable:
    """The assets of :data:`ASSET_SOURCES` within ``bounds``, projected to ``crs``.

    Parameters
    ----------
    session : Session
    crs : str or pyproj.CRS
        The metric CRS of the checks.
    bounds : (west, south, east, north), optional
        WGS 84 box; assets whose box meets it are read (all without it).
    tables : iterable of str, optional
        A subset of the source tables.
    progress : callable, optional
        Called with each table's name before it is read.
    """
    parts = []
    for table in tables or ASSET_SOURCES:
        if progress is not None:
            progress(table)
        parts.append(_read_table(session, table, bounds))
    merged = {key: [value for part in parts for value in part[key]] for key in parts[0]}
    geometries = reproject(shapely.from_wkb(merged["wkb"]), STORAGE_CRS, crs)
    points = shapely.get_type_id(geometries) == shapely.GeometryType.POINT
    numbers = {
        name: np.array([np.nan if v is None else v for v in merged[name]], dtype=float)
        for name in _NUMBERS
    }
    return AssetTable.from_columns(
        codes=merged["code"],
        feature_types=merged["feature_type"],
        geometries=geometries,
        placements=_placements(merged["placement"], points),
        statuses=np.where(np.array(merged["status"]) == "planned", "planned", "existing"),
        utility_class=merged["utility_class"],
        **numbers,
    )


def load_existing_roads(session: Session, crs, *, bounds=None, default_width_m: float = 6.0):
    """Today's road land: ``base_road`` centre lines buffered by half their width (m).

    Roads without a recorded width count as ``default_width_m`` wide, a
    two-lane street.
    """
    m = model("base_road")
    query = select(m.width_m, func.ST_AsBinary(m.geom))
    if bounds is not None:
        query = query.where(m.geom.op("&&")(_envelope(bounds)))
    rows = session.execute(query).all()
    if not rows:
        return []
    widths = np.array([default_width_m if w is None else w for w, _ in rows], dtype=float)
    lines = reproject(shapely.from_wkb([wkb for _, wkb in rows]), STORAGE_CRS, crs)
    return list(shapely.buffer(lines, widths / 2.0, cap_style="flat"))

"""Catchments derived from the network when the drainage layer has none.

Each inlet (or, without inlets, each manhole) drains the ground nearer to
it than to any other (its Thiessen / Voronoi cell), at most
``catchment.cell_max_m`` away.  The cell's imperviousness is the share of
it covered by building footprints and by roads (centre line × width, a
standard width when not surveyed), at most 100 %.  Areas are computed in a
local equirectangular plane around the network (good to a fraction of a
per cent over a town).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import shapely

__all__ = ["derive_catchments"]

_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON_EQUATOR = 111_320.0


def _plane(lon0: float, lat0: float):
    kx = _M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat0))

    def to_m(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - lon0) * kx, (xy[:, 1] - lat0) * _M_PER_DEG_LAT])

    return to_m


def _paved(surfaces: Mapping[str, list], to_m, road_width_m: float) -> np.ndarray:
    buildings = shapely.transform(shapely.from_wkb(surfaces.get("buildings", [])), to_m)
    roads = surfaces.get("roads", [])
    lines = shapely.transform(shapely.from_wkb([g for g, _ in roads]), to_m)
    widths = np.array([w or road_width_m for _, w in roads], dtype=float)
    return np.concatenate([np.asarray(buildings, dtype=object),
                           np.asarray(shapely.buffer(lines, widths / 2), dtype=object)])


def derive_catchments(features: Mapping[str, list[dict]], surfaces: Mapping[str, list],
                      std: Mapping[str, float]) -> list[dict]:
    """Catchment rows (``code``, ``outlet``, ``area_m2``, ``derived_impervious_pct``,
    ``xy``) for the inlets, else the manholes, of ``features``."""
    nodes = [r for r in features.get("drainage_inlet", []) if r.get("xy")] or [
        r for r in features.get("drainage_manhole", []) if r.get("xy")]
    nodes = [r for r in nodes if None not in r["xy"]]
    if len(nodes) < 2:
        return []
    lonlat = np.array([r["xy"] for r in nodes], dtype=float)
    to_m = _plane(*lonlat.mean(axis=0))
    xy = to_m(lonlat)
    reach = float(std["catchment.cell_max_m"])
    points = shapely.points(xy)
    extent = shapely.buffer(shapely.multipoints(xy), reach)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy),
                                                       extend_to=extent, ordered=True))
    cells = shapely.intersection(cells, shapely.buffer(points, reach))
    paved = _paved(surfaces, to_m, float(std["catchment.road_width_m"]))
    tree = shapely.STRtree(paved)
    cell_i, paved_i = tree.query(cells, predicate="intersects")
    covered = np.zeros(len(cells))
    np.add.at(covered, cell_i, shapely.area(shapely.intersection(cells[cell_i], paved[paved_i])))
    area = shapely.area(cells)
    rows = []
    for r, cell_area, cover in zip(nodes, area, covered, strict=True):
        if cell_area <= 1.0:
            continue
        rows.append({"code": f"C_{r['code']}", "outlet": r["code"], "area_m2": float(cell_area),
                     "derived_impervious_pct": float(min(100.0 * cover / cell_area, 100.0)),
                     "xy": r["xy"], "extra": {}})
    return rows

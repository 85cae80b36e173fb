"""The twin's own base map around a place, as GeoJSON a page can carry with it.

A work order is printed, or saved on a crew phone and opened where there is
no network: its map cannot ask a tile server for streets.  So the page holds
the base map itself: roads, rivers, buildings, villages and critical
facilities in force around the outage, clipped to a box a little larger
than the affected area and simplified to what a screen or an A4 page shows.
Buildings are the bulk: the largest are kept first, up to a budget, and
those smaller than a pixel are left out.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layers import feature_type
from twin.config import STORAGE_SRID
from twin.models import model

__all__ = ["BASE_TYPES", "base_map_features", "base_map_styles", "padded"]

#: Drawn in this order: areas under lines under points.
BASE_TYPES = ("base_building", "base_river", "base_road", "base_village", "base_facility")
#: The most features of a type one page carries (buildings: the largest).
MAX_FEATURES = {"base_building": 4000, "base_road": 3000, "base_river": 300,
                "base_village": 200, "base_facility": 200}
#: Width of the map in pixels that the simplification aims at (an A4 page at 96 dpi is ~680).
PIXELS = 1000
DECIMALS = 6  # about ten centimetres


def padded(bounds, *, share: float = 0.15, least_deg: float = 0.002):
    """``(west, south, east, north)`` grown by ``share`` of its size on each side, at least
    ``least_deg`` (about 200 m), so the streets leading to the area are on the map.

    >>> padded((106.0, 21.0, 106.1, 21.1))
    (105.985, 20.985, 106.115, 21.115)
    """
    west, south, east, north = bounds
    dx = max((east - west) * share, least_deg)
    dy = max((north - south) * share, least_deg)
    return (round(west - dx, 9), round(south - dy, 9), round(east + dx, 9), round(north + dy, 9))


def base_map_styles() -> dict:
    """How each base type is drawn, from its declaration: ``{table: {geometry, color, ...}}``."""
    styles = {}
    for table in BASE_TYPES:
        ft = feature_type(table)
        s = ft.style
        styles[table] = {
            "geometry": ft.geometry, "color": s.color, "by": s.by, "colors": dict(s.colors),
            "weight": s.weight, "radius": s.radius, "fill_opacity": s.fill_opacity,
        }
    return styles


def _features(session: Session, table: str, box, tolerance: float) -> list[dict]:
    ft, t = feature_type(table), model(table).__table__
    names = [n for n in ("name", ft.style.by) if n and n in t.c]
    geom = t.c.geom
    if ft.geometry != "Point":
        geom = func.ST_SimplifyPreserveTopology(func.ST_ClipByBox2D(t.c.geom, box), tolerance)
    stmt = select(*[t.c[n] for n in names], func.ST_AsGeoJSON(geom, DECIMALS).label("geojson"))
    stmt = stmt.where(t.c.geom.op("&&")(box), t.c.status == "in_service")
    if "valid_to" in t.c:
        stmt = stmt.where((t.c.valid_to.is_(None)) | (t.c.valid_to >= func.current_date()))
    if ft.geometry in ("Polygon", "MultiPolygon"):
        area = func.ST_Area(t.c.geom)
        stmt = stmt.where(area >= tolerance**2).order_by(area.desc())
    elif ft.geometry == "LineString":
        stmt = stmt.order_by(func.ST_Length(t.c.geom).desc())
    features = []
    for row in session.execute(stmt.limit(MAX_FEATURES[table])):
        geometry = json.loads(row.geojson)
        if not geometry.get("coordinates"):  # clipped or simplified away
            continue
        properties = {"table": table, **{n: getattr(row, n) for n in names}}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return features


def base_map_features(session: Session, bounds) -> dict:
    """The base map in force around ``bounds`` (west, south, east, north; lon/lat, EPSG:4326).

    Returns a GeoJSON FeatureCollection whose ``bbox`` is the padded box;
    each feature's properties hold its ``table``, ``name`` and styled value.
    """
    west, south, east, north = padded(bounds)
    box = func.ST_MakeEnvelope(west, south, east, north, STORAGE_SRID)
    tolerance = max(east - west, north - south) / PIXELS
    features = [f for table in BASE_TYPES for f in _features(session, table, box, tolerance)]
    return {"type": "FeatureCollection", "bbox": [west, south, east, north], "features": features}

"""Coordinate systems of the API (OGC API – Features Part 2) on top of :mod:`twin.crs`.

Clients name a CRS by its OGC URI.  Storage is CRS84 (lon/lat), so the
default needs no reprojection.  Axis order follows the CRS definition, as
Part 2 requires: ``EPSG:4326`` and ``EPSG:4756`` are latitude first, the
projected VN-2000 zones are easting first.  Every reprojection itself goes
through :func:`twin.crs.transformer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import box, mapping, shape

from twin.crs import transformer

from .errors import bad_parameter

__all__ = [
    "CRS84",
    "STORAGE",
    "ApiCrs",
    "api_crs",
    "bbox_to_storage",
    "from_storage",
    "supported_crs",
    "to_storage",
]

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
_EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/"
#: WGS 84, VN-2000 geographic, UTM 48N/49N, the 3° provincial zones, Web Mercator.
SUPPORTED_EPSG = (4326, 4756, 3405, 3406, *range(9205, 9219), 5899, 3857)


@dataclass(frozen=True)
class ApiCrs:
    """A CRS as the API sees it: its URI, its pyproj name and its axis order."""

    uri: str
    spec: str
    lat_first: bool

    @property
    def is_storage(self) -> bool:
        return self.uri == CRS84


STORAGE = ApiCrs(CRS84, "OGC:CRS84", False)


def supported_crs() -> list[str]:
    return [CRS84] + [f"{_EPSG_URI}{code}" for code in SUPPORTED_EPSG]


@lru_cache(maxsize=64)
def api_crs(value: str | None, *, parameter: str = "crs") -> ApiCrs:
    """The :class:`ApiCrs` named by an OGC URI (or ``EPSG:n``, ``CRS84``)."""
    if value is None or value.strip() in ("", CRS84, "CRS84", "OGC:CRS84", "[OGC:CRS84]"):
        return STORAGE
    text = value.strip().strip("[]")
    code = None
    if text.startswith(_EPSG_URI):
        code = text[len(_EPSG_URI) :]
    elif text.upper().startswith("EPSG:"):
        code = text[5:]
    if code is None or not code.isdigit() or int(code) not in SUPPORTED_EPSG:
        raise bad_parameter(
            parameter,
            "supported_crs",
            f"{value!r} is not supported; use one of {', '.join(supported_crs())}",
        )
    from pyproj import CRS

    crs = CRS.from_epsg(int(code))
    lat_first = crs.axis_info[0].direction in ("north", "south")
    return ApiCrs(f"{_EPSG_URI}{code}", f"EPSG:{code}", lat_first)


def _coords(target: ApiCrs, *, inverse: bool):
    forward = transformer(STORAGE.spec, target.spec)
    backward = transformer(target.spec, STORAGE.spec)

    def apply(xy: np.ndarray) -> np.ndarray:
        if inverse:
            if target.lat_first:
                xy = xy[:, ::-1]
            x, y = backward.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])
        x, y = forward.transform(xy[:, 0], xy[:, 1])
        out = np.column_stack([x, y])
        return out[:, ::-1] if target.lat_first else out

    return apply


def from_storage(geometry: dict | None, target: ApiCrs) -> dict | None:
    """A GeoJSON geometry dict from CRS84 into ``target`` (axis order included)."""
    if geometry is None or target.is_storage:
        return geometry
    geom = shapely.transform(shape(geometry), _coords(target, inverse=False))
    return mapping(geom)


def to_storage(geometry: dict | None, source: ApiCrs) -> dict | None:
    """A GeoJSON geometry dict from ``source`` into CRS84, for writing."""
    if geometry is None or source.is_storage:
        return geometry
    try:
        geom = shape(geometry)
    except Exception:  # shapely raises several types; the edit service names the rule
        return geometry
    return mapping(shapely.transform(geom, _coords(source, inverse=True)))


def bbox_to_storage(bbox: tuple[float, ...], source: ApiCrs) -> tuple[float, float, float, float]:
    """A bbox (2D or 3D, in ``source`` axis order) as lon/lat bounds, edges densified."""
    if len(bbox) == 6:
        bbox = (bbox[0], bbox[1], bbox[3], bbox[4])
    a, b, c, d = bbox
    if source.is_storage:
        return (a, b, c, d)
    if source.lat_first:
        a, b, c, d = b, a, d, c
    if not (np.isfinite([a, b, c, d]).all()):
        raise bad_parameter("bbox", "finite", "coordinates must be finite numbers")
    edges = box(a, b, c, d).segmentize(max(c - a, d - b, 1e-9) / 20)
    lon, lat = transformer(source.spec, STORAGE.spec).transform(
        *np.asarray(edges.exterior.coords).T
    )
    return (float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat)))

"""Moving plan and asset geometries between WGS 84 storage and a metric VN-2000 zone.

The checks measure in metres, so the loaders project what they read from the
database to the VN-2000 3° zone nearest the data (``twin.crs.metric_crs_for``)
and the findings are projected back before they are stored.  Every coordinate
goes through ``twin.crs``; this module only applies it to arrays of shapely
geometries at once.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS

from twin.config import STORAGE_SRID
from twin.crs import metric_crs_for, parse_crs, transformer
from twin.zoning.geometry import as_array

__all__ = ["STORAGE_CRS", "metric_crs_near", "reproject"]

STORAGE_CRS = CRS.from_epsg(STORAGE_SRID)


def _as_crs(crs) -> CRS:
    return crs if isinstance(crs, CRS) else parse_crs(crs)


def reproject(geometries, source, target) -> np.ndarray:
    """The geometries (array-like, ``None`` kept) from CRS ``source`` to ``target``.

    >>> from shapely import Point
    >>> (p,) = reproject([Point(106.1946, 21.2731)], "wgs84", "vn2000:bac-giang")
    >>> round(p.x, 3), round(p.y, 3)
    (416226.772, 2353402.453)
    """
    array = as_array(geometries)
    source, target = _as_crs(source), _as_crs(target)
    if source == target or not len(array):
        return array
    move = transformer(source, target)

    def _transform(xy: np.ndarray) -> np.ndarray:
        x, y = move.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(array, _transform)


def metric_crs_near(bounds: tuple[float, float, float, float]) -> CRS:
    """The metric VN-2000 zone for data within WGS 84 ``bounds`` (lon/lat box)."""
    west, _, east, _ = bounds
    return metric_crs_for((west + east) / 2.0)

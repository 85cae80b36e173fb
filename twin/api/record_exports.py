"""A page of records (inspections, work orders) as a GeoPackage, for QGIS and GDAL users.

The features are those of :func:`twin.api.record_items.records_page`, so
the export shows what the reader may see (people masked, no photo links)
and takes the same filters.  Whole numbers stay numbers, everything else is
text as the API gives it (times in ISO 8601); the geometry is in WGS 84.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely
from shapely.geometry import shape

from twin.crs import STORAGE_CRS

from .record_collections import RecordCollection

__all__ = ["GEOPACKAGE", "records_geopackage"]

GEOPACKAGE = "application/geopackage+sqlite3"
_WHOLE = ("integer", "bigint")


def _column(rc: RecordCollection, name: str, values: list):
    if rc.types.get(name) in _WHOLE and None not in values:
        return np.array(values, dtype=np.int64)
    if rc.types.get(name) == "float":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    return np.array([None if v is None else ", ".join(v) if isinstance(v, list) else str(v)
                     for v in values], dtype=object)


def records_geopackage(rc: RecordCollection, features: list[dict]) -> bytes:
    """The GeoPackage file (one layer named after the collection) of ``features``."""
    names = [*rc.types, *rc.shown]
    data = [_column(rc, n, [f["properties"].get(n) for f in features]) for n in names]
    geometry = shapely.to_wkb(np.array(
        [shape(f["geometry"]) if f["geometry"] else None for f in features], dtype=object))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{rc.id}.gpkg"
        pyogrio.raw.write(str(path), geometry, data, names, layer=rc.id, driver="GPKG",
                          geometry_type=rc.geometry, crs=STORAGE_CRS.to_wkt())
        return path.read_bytes()

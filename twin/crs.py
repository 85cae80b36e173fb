"""Coordinate systems: WGS 84 storage and VN-2000 in every form used in Vietnam.

Every reprojection of the twin goes through this module.  VN-2000 (Decision
83/2000/QĐ-TTg) uses the WGS 84 ellipsoid with the official 7-parameter shift
of Decision 05/2007/QĐ-BTNMT, which EPSG publishes as transformation
EPSG:6960 and PROJ applies by default for the EPSG-registered VN-2000 CRSs.

Provincial maps use 3° transverse Mercator zones (k₀ = 0.9999, false easting
500 000 m) with a central meridian set per province; the table of provinces
lives in ``twin/data/vn2000_zones.csv`` so it can be corrected without code.
Meridians with no EPSG code are built from a PROJ string whose ``+towgs84``
uses the position-vector convention: the rotation signs of the official
(coordinate-frame) parameters are flipped.  Forgetting that flip costs ~0.7 m;
forgetting the datum shift altogether costs ~200 m.

>>> crs = parse_crs("vn2000:bac-giang")
>>> e, n = transformer(4326, crs).transform(106.1946, 21.2731)
>>> round(e, 3), round(n, 3)
(416226.772, 2353402.453)
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from .config import STORAGE_SRID
from .errors import InvalidInput, Problem

__all__ = [
    "STORAGE_CRS",
    "VIETNAM_BOUNDS",
    "metric_crs_for",
    "metric_crs_near",
    "parse_crs",
    "reproject",
    "transformer",
    "zones",
]

#: Official VN-2000 → WGS 84 parameters (Decision 05/2007/QĐ-BTNMT) in the
#: position-vector convention PROJ's +towgs84 expects (rotations sign-flipped).
TOWGS84_POSITION_VECTOR = (
    "-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278"
)

#: The CRS every geometry is stored in (``STORAGE_SRID``, WGS 84 lon/lat).
STORAGE_CRS = CRS.from_epsg(STORAGE_SRID)

#: lon/lat box around Vietnam with its islands; features outside mean a wrong CRS.
VIETNAM_BOUNDS = (102.0, 6.0, 118.0, 24.0)

_UTM = {"utm48": 3405, "utm49": 3406}
_TM3_EPSG = {103.0: 9205, 104.0: 9206, 104.5: 9207, 104.75: 9208, 105.5: 9209,
             105.75: 9210, 106.0: 9211, 106.25: 9212, 106.5: 9213, 107.0: 9214,
             107.25: 9215, 107.5: 9216, 107.75: 5899, 108.25: 9217, 108.5: 9218}


@lru_cache(maxsize=1)
def zones() -> dict[str, dict]:
    """Provincial zones by slug: name, central meridian (degrees), EPSG code."""
    text = resources.files("twin.data").joinpath("vn2000_zones.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return {r["slug"]: {**r, "central_meridian_deg": float(r["central_meridian_deg"])}
            for r in rows}


def _tm3(meridian: float) -> CRS:
    if meridian in _TM3_EPSG:
        return CRS.from_epsg(_TM3_EPSG[meridian])
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0=0 +lon_0={meridian} +k=0.9999 +x_0=500000 +y_0=0 "
        f"+ellps=WGS84 +towgs84={TOWGS84_POSITION_VECTOR} +units=m +no_defs"
    )


@lru_cache(maxsize=64)
def parse_crs(spec: str | int) -> CRS:
    """Turn a user's CRS name into a pyproj CRS.

    Accepts ``wgs84``, ``vn2000`` (geographic), ``vn2000:utm48``/``utm49``,
    ``vn2000:<province-slug>`` (e.g. ``vn2000:bac-giang``), ``vn2000:tm3-105.0``
    (any central meridian in degrees), and whatever pyproj accepts
    (``EPSG:9214``, WKT, PROJ strings).
    """
    text = str(spec).strip()
    key = text.lower()
    try:
        if key in ("wgs84", "wgs 84", "crs84"):
            return CRS.from_epsg(4326)
        if key == "vn2000":
            return CRS.from_epsg(4756)
        if key.startswith("vn2000:"):
            name = key.split(":", 1)[1]
            if name in _UTM:
                return CRS.from_epsg(_UTM[name])
            if name.startswith("tm3-"):
                return _tm3(float(name[4:]))
            if name in zones():
                return _tm3(zones()[name]["central_meridian_deg"])
            known = ", ".join(sorted(zones()))
            raise InvalidInput("unknown VN-2000 zone", [Problem(
                "crs", "known_zone", f"{text!r} is not one of: utm48, utm49, tm3-<meridian>, {known}")])
        return CRS.from_user_input(int(text) if text.isdigit() else text)
    except (CRSError, ValueError) as exc:
        raise InvalidInput("unknown coordinate system", [Problem("crs", "valid_crs", f"{text!r}: {exc}")]) from exc


@lru_cache(maxsize=64)
def transformer(source, target) -> Transformer:
    """A transformer in lon/lat (x, y) order whatever the CRS axis order."""
    src = source if isinstance(source, CRS) else parse_crs(source)
    dst = target if isinstance(target, CRS) else parse_crs(target)
    return Transformer.from_crs(src, dst, always_xy=True)


def metric_crs_for(lon: float) -> CRS:
    """The VN-2000 3° zone whose meridian is nearest ``lon``: metres for analysis."""
    meridian = min(_TM3_EPSG, key=lambda m: abs(m - lon))
    return _tm3(meridian)


def metric_crs_near(bounds: tuple[float, float, float, float]) -> CRS:
    """The metric VN-2000 zone for data within WGS 84 ``bounds`` (lon/lat box)."""
    west, _, east, _ = bounds
    return metric_crs_for((west + east) / 2.0)


def to_storage(spec) -> Transformer:
    """Transformer from a user CRS to the storage CRS (WGS 84)."""
    return transformer(parse_crs(spec), STORAGE_CRS)


def reproject(geometries, source, target) -> np.ndarray:
    """The shapely geometries (array-like, ``None`` kept) from CRS ``source`` to ``target``.

    Vectorised over the whole array: one transformer call per array, not per
    geometry.

    >>> from shapely import Point
    >>> (p,) = reproject([Point(106.1946, 21.2731)], "wgs84", "vn2000:bac-giang")
    >>> round(p.x, 3), round(p.y, 3)
    (416226.772, 2353402.453)
    """
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    source = source if isinstance(source, CRS) else parse_crs(source)
    target = target if isinstance(target, CRS) else parse_crs(target)
    if source == target or not len(array):
        return array
    move = transformer(source, target)

    def _transform(xy: np.ndarray) -> np.ndarray:
        x, y = move.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(array, _transform)

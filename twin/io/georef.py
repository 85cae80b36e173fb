"""Which coordinate system a source is in, and how it reaches WGS 84.

The choice, in order: the user's ``--crs`` (it overrides what the file
declares, like ``ogr2ogr -s_srs``); ``--origin`` for coordinates in local
model units; the coordinate system the file declares; otherwise WGS 84
lon/lat, noted in the report (features then landing outside Vietnam show the
guess was wrong).

Network models (EPANET, SWMM) and CAD-like files such as the Micropolis
shapefiles have coordinates in arbitrary local units.  :class:`LocalGrid`
places them: the local point ``anchor`` (default: the centre of the source's
extent) lands on ``lon, lat`` and one local unit is ``units`` metres, through
a transverse Mercator projection centred there (scale 1, so lengths are
kept to well under 0.1 % over a city).  Giving the same anchor to several
files of one model keeps them aligned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import CRS

from twin.crs import STORAGE_CRS, parse_crs, reproject
from twin.errors import InvalidInput, Problem

__all__ = ["LocalGrid", "UNITS_M", "resolve_crs", "to_storage", "vn2000_datum_lost"]

#: Metres per unit for the names ``--units`` accepts (or give a number).
UNITS_M = {"m": 1.0, "km": 1000.0, "ft": 0.3048, "us-ft": 1200 / 3937}


def _pair(text: str, option: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in str(text).split(","))
    except ValueError:
        raise InvalidInput(
            f"{option} needs two numbers", [Problem(option, "syntax", f"{text!r} is not X,Y")]
        ) from None
    return a, b


@dataclass(frozen=True)
class LocalGrid:
    """Local model coordinates placed at a lon/lat (see the module docstring)."""

    lon: float
    lat: float
    metres_per_unit: float = 1.0
    anchor: tuple[float, float] | None = None

    @classmethod
    def parse(cls, origin: str, units: str | float = "m", anchor: str | None = None) -> LocalGrid:
        """From option values: ``LON,LAT``, ``m|km|ft|us-ft|<metres>``, ``X,Y``."""
        lon, lat = _pair(origin, "--origin")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInput(
                "--origin is LON,LAT in degrees",
                [Problem("--origin", "lon_lat", f"{origin!r} is not a longitude, latitude")],
            )
        key = str(units).lower()
        try:
            factor = UNITS_M[key] if key in UNITS_M else float(key)
        except ValueError:
            raise InvalidInput(
                "unknown --units",
                [
                    Problem(
                        "--units",
                        "known_unit",
                        f"{units!r}: use {', '.join(UNITS_M)} or metres per unit",
                    )
                ],
            ) from None
        return cls(lon, lat, factor, _pair(anchor, "--origin-xy") if anchor else None)

    def crs(self, extent: tuple[float, float, float, float] | None) -> CRS:
        """The projection that puts ``anchor`` (or the centre of ``extent``) at lon/lat."""
        if self.anchor is not None:
            ax, ay = self.anchor
        elif extent is not None and np.all(np.isfinite(extent)):
            ax, ay = float(extent[0] + extent[2]) / 2, float(extent[1] + extent[3]) / 2
        else:
            ax = ay = 0.0
        u = self.metres_per_unit
        return parse_crs(
            f"+proj=tmerc +lat_0={self.lat} +lon_0={self.lon} +k=1 +x_0={ax * u!r} "
            f"+y_0={ay * u!r} +ellps=WGS84 +towgs84=0,0,0 +to_meter={u!r} +no_defs"
        )

    def describe(self) -> str:
        where = (
            "the centre of the data"
            if self.anchor is None
            else f"local ({self.anchor[0]:g}, {self.anchor[1]:g})"
        )
        return (
            f"local grid, {self.metres_per_unit:g} m per unit, {where} placed at "
            f"{self.lon:g}, {self.lat:g}"
        )


def _describe(crs: CRS) -> str:
    code = crs.to_epsg(min_confidence=90)
    return f"{crs.name} (EPSG:{code})" if code else crs.name


def resolve_crs(
    declared: CRS | None, *, crs=None, local: bool = False, extent=None
) -> tuple[CRS | None, str, list[Problem]]:
    """The source coordinate system, its description, and problems.

    ``crs`` is the user's choice: a name for :func:`twin.crs.parse_crs`, a
    pyproj CRS or a :class:`LocalGrid`.  Model coordinates (``local``)
    without one are a problem, not a guess.
    """
    if isinstance(crs, LocalGrid):
        return crs.crs(extent), crs.describe(), []
    if crs is not None:
        chosen = crs if isinstance(crs, CRS) else parse_crs(crs)
        return chosen, _describe(chosen) + " (--crs)", []
    if local:
        return (
            None,
            "local model units",
            [
                Problem(
                    "crs",
                    "crs_required",
                    "the model's coordinates are in local units: give "
                    "--crs (their projection) or --origin LON,LAT [--units m|ft] to place them",
                )
            ],
        )
    if declared is not None:
        return declared, _describe(declared) + " (declared by the file)", []
    return STORAGE_CRS, "WGS 84 lon/lat (assumed: the file declares none)", []


def to_storage(geometry: np.ndarray, source: CRS) -> np.ndarray:
    """Geometries (shapely array) from ``source`` to the storage CRS, vectorised."""
    return reproject(geometry, source, STORAGE_CRS)


_WGS84_DATUM_NAMES = ("WGS 84", "WGS_1984", "World Geodetic System 1984")


def vn2000_datum_lost(crs: CRS | None) -> str | None:
    """A note when ``crs`` looks like a VN-2000 zone whose datum was lost.

    MapInfo tables (and some CAD exports) keep VN-2000's projection — a
    transverse Mercator with scale 0.9999 (3° zones) or 0.9996 (6° zones) —
    but read back on WGS 84, without VN-2000's datum shift: features then land
    a few hundred metres off, still inside Vietnam, so the preflight cannot
    tell.  The user is told to name the zone.
    """
    if crs is None or not crs.is_projected or crs.to_epsg(min_confidence=90):
        return None
    operation = crs.coordinate_operation
    if operation is None or operation.method_name != "Transverse Mercator":
        return None
    params = {p.name: p.value for p in operation.params}
    if (
        params.get("Scale factor at natural origin") in (0.9999, 0.9996)
        and params.get("False easting") == 500000
        and 102 <= params.get("Longitude of natural origin", 0) <= 110
        and any(n in (crs.datum.name if crs.datum else "") for n in _WGS84_DATUM_NAMES)
    ):
        return (
            "the file declares a VN-2000-like projection on the WGS 84 datum (MapInfo "
            "tables often lose VN-2000's datum): if it is VN-2000, give --crs "
            "vn2000:<province>, or features land some hundred metres off"
        )
    return None

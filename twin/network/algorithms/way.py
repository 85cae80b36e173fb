"""The way to a device: distance and compass direction between two WGS 84 points.

A crew on foot needs "320 m, north-east" to the next valve, not
coordinates.  Great-circle distance on the WGS 84 mean sphere and the
initial bearing are exact enough over the few kilometres of a work area
(under 0.5 % off the ellipsoid).  The same formulas run in the browser
(``webmap/static/way.js``), where the phone's position is; this module
gives the printed work order its way from one step to the next.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["COMPASS", "EARTH_RADIUS_M", "bearing_deg", "compass_point", "distance_m", "way"]

#: Mean radius of the WGS 84 ellipsoid (m).
EARTH_RADIUS_M = 6_371_008.8
#: The eight compass points, clockwise from north (keys the pages translate).
COMPASS = ("n", "ne", "e", "se", "s", "sw", "w", "nw")


def distance_m(a: Sequence[float], b: Sequence[float]) -> float:
    """Great-circle distance (m) from ``a`` to ``b``, both ``(lon, lat)`` in degrees.

    >>> round(distance_m((106.0, 21.0), (106.0, 21.001)), 1)
    111.2
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (*a[:2], *b[:2]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bearing_deg(a: Sequence[float], b: Sequence[float]) -> float:
    """Initial bearing from ``a`` to ``b`` (degrees clockwise from north, 0 ≤ θ < 360).

    >>> round(bearing_deg((106.0, 21.0), (106.001, 21.001)))
    43
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (*a[:2], *b[:2]))
    y = math.sin(lon2 - lon1) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(lon2 - lon1)
    return math.degrees(math.atan2(y, x)) % 360.0


def compass_point(bearing: float) -> str:
    """The nearest of the eight :data:`COMPASS` points to ``bearing`` (degrees).

    >>> [compass_point(b) for b in (0, 22.4, 22.6, 180, 337.6)]
    ['n', 'n', 'ne', 's', 'n']
    """
    return COMPASS[round((bearing % 360.0) / 45.0) % 8]


def way(a: Sequence[float], b: Sequence[float]) -> dict:
    """``{"distance_m", "bearing_deg", "compass"}`` from ``a`` to ``b`` (``(lon, lat)``).

    >>> way((106.0, 21.0), (106.0, 20.99))["compass"]
    's'
    """
    bearing = bearing_deg(a, b)
    return {
        "distance_m": distance_m(a, b),
        "bearing_deg": bearing,
        "compass": compass_point(bearing),
    }

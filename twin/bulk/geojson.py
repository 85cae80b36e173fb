"""GeoJSON text of many geometries at once, as ``ST_AsGeoJSON(geom, 9)`` prints it.

PostGIS prints an ordinate with at most 9 decimals, rounding the shortest
decimal form of the double half to even, and in exponent form at or below
1e-8 and from 1e15 up.  Correctly rounding the double itself (Python's
``format(v, ".9f")``) agrees except where that shortest form ends exactly on
a half; those few values, found with a cheap numeric test, and the ones
printed in exponent form are redone digit by digit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import shapely

__all__ = ["geojson_texts", "ordinate_texts"]

DECIMALS = 9
_STEP = Decimal(1).scaleb(-DECIMALS)
_SMALL, _LARGE = 1e-8, 1e15
_TYPES = {
    0: "Point",
    1: "LineString",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def _trimmed(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _exponent_form(value: float) -> str:
    if value == 0:
        return "0"
    shortest = Decimal(repr(value))
    exponent = shortest.adjusted()
    mantissa = shortest.scaleb(-exponent).quantize(_STEP, ROUND_HALF_EVEN)
    if abs(mantissa) >= 10:
        mantissa, exponent = mantissa.scaleb(-1).quantize(_STEP, ROUND_HALF_EVEN), exponent + 1
    sign = "+" if exponent >= 0 else "-"
    return f"{_trimmed(format(mantissa, 'f'))}e{sign}{abs(exponent)}"


def _half_even(value: float) -> str:
    shortest = Decimal(repr(value))
    return _trimmed(format(shortest.quantize(_STEP, ROUND_HALF_EVEN), "f"))


def ordinate_texts(values: np.ndarray) -> list[str]:
    """Each number as PostGIS prints an ordinate with 9 decimals."""
    values = np.asarray(values, dtype=float)
    floats = values.tolist()
    texts = [_trimmed(f"{v:.9f}") for v in floats]
    size = np.abs(values)
    scaled = size * 10.0**DECIMALS
    # Near a half of the last decimal within the doubles' resolution: maybe a tie.
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) <= 4 * np.spacing(scaled) + 1e-12
    exponent = (size <= _SMALL) | (size >= _LARGE)
    for i in np.flatnonzero(exponent).tolist():
        texts[i] = _exponent_form(floats[i])
    for i in np.flatnonzero(near_half & ~exponent).tolist():
        texts[i] = _half_even(floats[i])
    return texts


def _nested(shapes: np.ndarray, type_id: int) -> list[str]:
    """GeoJSON of geometries of one type, from their flat coordinates and offsets."""
    _, coords, offsets = shapely.to_ragged_array(shapes)
    columns = [ordinate_texts(coords[:, k]) for k in range(coords.shape[1])]
    parts = ["[" + ",".join(vertex) + "]" for vertex in zip(*columns, strict=True)]
    for level in offsets:  # innermost first: rings, then polygons, then multipolygons
        bounds = level.tolist()
        parts = ["[" + ",".join(parts[a:b]) + "]" for a, b in zip(bounds, bounds[1:])]
    return [f'{{"type":"{_TYPES[type_id]}","coordinates":{c}}}' for c in parts]


def _collection(geometry) -> str:
    parts = geojson_texts(shapely.get_parts(geometry))
    return '{"type":"GeometryCollection","geometries":[' + ",".join(parts) + "]}"


def geojson_texts(shapes: np.ndarray) -> list[str]:
    """GeoJSON text of each geometry (2D or 3D); ``null`` for a missing one."""
    shapes = np.asarray(shapes, dtype=object)
    out = ["null"] * len(shapes)
    types = shapely.get_type_id(shapes)
    empty = shapely.is_empty(shapes)
    for i in np.flatnonzero(empty).tolist():
        member = "geometries" if types[i] == 7 else "coordinates"
        out[i] = f'{{"type":"{_TYPES[int(types[i])]}","{member}":[]}}'
    # One group per type and dimension: flat coordinates are all 2D or all 3D.
    groups = np.where(empty | (types < 0), -1, types * 2 + shapely.has_z(shapes))
    for group in np.unique(groups[groups >= 0]).tolist():
        rows = np.flatnonzero(groups == group)
        if group // 2 == 7:
            texts = [_collection(g) for g in shapes[rows]]
        else:
            texts = _nested(shapes[rows], group // 2)
        for i, text in zip(rows.tolist(), texts, strict=True):
            out[i] = text
    return out

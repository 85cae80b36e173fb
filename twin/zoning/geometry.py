"""Vectorised geometry functions shared by the plan checks (metric CRS, metres)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely import GeometryType, STRtree

__all__ = [
    "as_array",
    "edge_slots",
    "interior_overlaps",
    "polygonal",
    "thinness",
    "wider_than",
]

_POLYGONAL = (GeometryType.POLYGON, GeometryType.MULTIPOLYGON)
_COLLECTIONS = (GeometryType.MULTIPOLYGON, GeometryType.GEOMETRYCOLLECTION)


def as_array(geometries) -> np.ndarray:
    """A 1-d object array of geometries (no copy of the geometries themselves)."""
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    return array


def polygonal(geometries: np.ndarray) -> np.ndarray:
    """The polygonal part of each geometry, as a (possibly empty) MultiPolygon.

    Intersections and repairs return collections mixing polygons with the lines
    and points where shapes merely touch; only the polygons have an area.
    """
    parts, index = geometries, np.arange(len(geometries))
    while True:
        types = shapely.get_type_id(parts)
        nested = np.isin(types, _COLLECTIONS)
        if not nested.any():
            break
        sub, sub_index = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], sub])
        index = np.concatenate([index[~nested], index[nested][sub_index]])
    keep = (shapely.get_type_id(parts) == GeometryType.POLYGON) & ~shapely.is_empty(parts)
    out = np.empty(len(geometries), dtype=object)
    out[:] = [shapely.MultiPolygon()] * len(geometries)
    if keep.any():
        order = np.argsort(index[keep], kind="stable")
        shapely.multipolygons(parts[keep][order], indices=index[keep][order], out=out)
    return out


def wider_than(polygons: np.ndarray, width_m: float) -> np.ndarray:
    """Whether each polygon holds a disc of diameter ``width_m`` somewhere.

    Tested with a negative buffer of half the width: what is nowhere wider than
    that vanishes.  Used to tell slivers and digitising noise from real areas.
    """
    if width_m <= 0:
        return ~shapely.is_empty(polygons)
    return ~shapely.is_empty(shapely.buffer(polygons, -width_m / 2.0, quad_segs=4))


def thinness(polygons: np.ndarray) -> np.ndarray:
    """Isoperimetric ratio 4πA/P²: 1 for a disc, near 0 for a thin strip."""
    perimeter = shapely.length(polygons)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = 4.0 * np.pi * shapely.area(polygons) / perimeter**2
    return np.nan_to_num(ratio)


def interior_overlaps(
    a: np.ndarray,
    b: np.ndarray,
    b_tree: STRtree,
    *,
    min_area_m2: float,
    min_width_m: float,
    same: bool = False,
):
    """Pairs of polygons of ``a`` and ``b`` whose interiors overlap beyond noise.

    Returns
    -------
    ia, ib : ndarray of int
        Indices into ``a`` and ``b`` (with ``same``, each pair once, ``ia < ib``).
    pieces : ndarray of geometries
        The overlapping area of each pair, at least ``min_area_m2`` m² large and
        wider than ``min_width_m`` m somewhere.
    """
    ia, ib = b_tree.query(a, predicate="intersects")
    if same:
        keep = ia < ib
        ia, ib = ia[keep], ib[keep]
    interior = shapely.relate_pattern(a[ia], b[ib], "2********")
    ia, ib = ia[interior], ib[interior]
    pieces = polygonal(shapely.intersection(a[ia], b[ib]))
    keep = shapely.area(pieces) >= min_area_m2
    keep[keep] = wider_than(pieces[keep], min_width_m)
    return ia[keep], ib[keep], pieces[keep]


def edge_slots(union, width_m: float) -> np.ndarray:
    """Strips narrower than ``width_m`` that cut into ``union`` from its outside.

    The morphological closing of ``union`` (a buffer out by half the width and
    back in, mitred so straight edges and corners come back where they were)
    fills every strip narrower than the width; what it adds outside the
    union with its holes filled is the strips, open to the outside at one end
    or both.  Holes enclosed by ``union`` are not among them.

    >>> from shapely import box
    >>> slots = edge_slots(box(0, 0, 50, 100).union(box(54, 0, 100, 100)), 10)
    >>> [round(s.area) for s in slots]
    [400]
    """
    if union.is_empty or width_m <= 0:
        return as_array([])
    half = width_m / 2.0
    mitred = {"join_style": "mitre", "mitre_limit": 10.0}
    closed = shapely.buffer(shapely.buffer(union, half, **mitred), -half, **mitred)
    parts = shapely.get_parts(union)
    filled = shapely.union_all(shapely.polygons(shapely.get_exterior_ring(parts)))
    slots = shapely.get_parts(shapely.difference(closed, filled))
    return as_array([s for s in slots if s.geom_type == "Polygon"])

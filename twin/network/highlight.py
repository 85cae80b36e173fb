"""The affected area as a light map layer: lines and points by role.

A feeder's outage covers thousands of lines and customers; their stored
geometries are megabytes.  A highlight only has to show where the outage is,
so a large layer is drawn from the graph itself: each line straight from one
end node to the other, the lines of a role merged into as few polylines as
possible, and customers as one multipoint.  Coordinates are WGS 84
``[lon, lat]`` rounded to :data:`DECIMALS` (about 1 m), each line (and the
points) sent as an encoded polyline string (:func:`encode_polyline`, the
format of Google's and OSRM's routes): 4 to 6 bytes a vertex instead of 20.
Plain data in, plain data out: no database here.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from shapely.ops import linemerge

from twin.crs import transformer
from twin.network.graph import edge_lookup

__all__ = [
    "DECIMALS",
    "POINT_GRID_M",
    "SIMPLIFY_M",
    "encode_polyline",
    "merged_lines",
    "multipoint",
]

#: Decimal places of a highlight's degrees: 1e-5° is about 1 m in Vietnam.
DECIMALS = 5
#: Merged lines are simplified to this tolerance (m): a bend smaller than
#: this is not seen at the zoom where a whole feeder fits on a screen.
SIMPLIFY_M = 3.0
#: Points of a multipoint closer than this (m, on a grid) are drawn once.
POINT_GRID_M = 10.0


def _to_lonlat(G, xs, ys) -> list[list[float]]:
    if not len(xs):
        return []
    lons, lats = transformer(G.graph["crs"], "wgs84").transform(xs, ys)
    return np.round(np.column_stack([lons, lats]), DECIMALS).tolist()


def encode_polyline(coords: Iterable[Iterable[float]], *, decimals: int = DECIMALS) -> str:
    """``[[lon, lat], ...]`` as an encoded polyline (lat first, deltas, base64-like).

    >>> encode_polyline([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]])
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    out, last = [], (0, 0)
    factor = 10**decimals
    for lon, lat in coords:
        here = (round(lat * factor), round(lon * factor))
        for value in (here[0] - last[0], here[1] - last[1]):
            value = ~(value << 1) if value < 0 else value << 1
            while value >= 0x20:
                out.append(chr((0x20 | (value & 0x1F)) + 63))
                value >>= 5
            out.append(chr(value + 63))
        last = here
    return "".join(out)


def merged_lines(G, codes: Iterable[str]) -> list[str] | None:
    """The edges ``codes`` of ``G`` as encoded polylines (WGS 84).

    Each edge is the straight segment between its end nodes (graph CRS, m);
    segments that meet end to end are merged and simplified to
    :data:`SIMPLIFY_M`.  ``None`` when no edge has placed ends.
    """
    lookup = edge_lookup(G)
    nodes = G.nodes
    segments = []
    for code in codes:
        ends = lookup.get(code)
        if ends is None:
            continue
        a, b = nodes[ends[0]], nodes[ends[1]]
        if None in (a.get("x"), a.get("y"), b.get("x"), b.get("y")):
            continue
        segments.append(((a["x"], a["y"]), (b["x"], b["y"])))
    if not segments:
        return None
    lines = shapely.multilinestrings(shapely.linestrings(np.array(segments)))
    parts = shapely.get_parts(linemerge(lines).simplify(SIMPLIFY_M))
    xy, index = shapely.get_coordinates(parts, return_index=True)
    lonlat = np.array(_to_lonlat(G, xy[:, 0], xy[:, 1]))
    starts = np.flatnonzero(np.diff(index)) + 1
    return [encode_polyline(line.tolist()) for line in np.split(lonlat, starts)]


def multipoint(G, codes: Iterable[str]) -> list[str] | None:
    """The placed nodes ``codes`` of ``G`` as one encoded polyline of points
    (WGS 84), those in one cell of a :data:`POINT_GRID_M` grid given once."""
    nodes = G.nodes
    placed = [
        (nodes[c]["x"], nodes[c]["y"])
        for c in codes
        if c in nodes and nodes[c].get("x") is not None and nodes[c].get("y") is not None
    ]
    placed = list(
        dict.fromkeys((round(x / POINT_GRID_M), round(y / POINT_GRID_M)) for x, y in placed)
    )
    placed = [(x * POINT_GRID_M, y * POINT_GRID_M) for x, y in placed]
    if not placed:
        return None
    return [encode_polyline(_to_lonlat(G, [p[0] for p in placed], [p[1] for p in placed]))]

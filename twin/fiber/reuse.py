"""Which road segments can reuse existing poles or ducts, and on which side.

A segment can carry aerial cable when poles stand along it, no gap between
consecutive poles (or between a road end and the first pole) longer than a
span; it can take a cable pulled through an existing duct when a duct with a
free way runs along most of it.  The side (left or right of the segment's
direction) tells a wide road's planner which of its two trenches the
alternative replaces.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import LineString

from .inputs import Duct

__all__ = ["LEFT", "NONE", "RIGHT", "aerial_sides", "duct_sides", "side_of"]

LEFT, RIGHT, NONE = 1, -1, 0
_STEP_M = 0.5


def side_of(line: LineString, xy: np.ndarray) -> np.ndarray:
    """+1 for points left of ``line`` (looking along it), -1 right, 0 on it."""
    points = shapely.points(np.asarray(xy, dtype=float).reshape(-1, 2))
    t = shapely.line_locate_point(line, points)
    ahead = shapely.line_interpolate_point(line, np.minimum(t + _STEP_M, line.length))
    behind = shapely.line_interpolate_point(line, np.maximum(t - _STEP_M, 0.0))
    d = shapely.get_coordinates(ahead) - shapely.get_coordinates(behind)
    r = np.asarray(xy, dtype=float).reshape(-1, 2) - shapely.get_coordinates(behind)
    return np.sign(d[:, 0] * r[:, 1] - d[:, 1] * r[:, 0]).astype(int)


def _majority(sides: np.ndarray) -> int:
    total = int(np.sign(sides.sum()))
    return total if total else LEFT


def aerial_sides(
    lines: Sequence[LineString],
    half_widths_m: np.ndarray,
    poles_xy: np.ndarray,
    *,
    max_span_m: float,
    max_offset_m: float,
) -> np.ndarray:
    """For each line, the side its poles stand on (:data:`LEFT`/:data:`RIGHT`) or :data:`NONE`.

    Parameters
    ----------
    lines : sequence of LineString
        Road segments in metres.
    half_widths_m : array
        Half the road width of each segment, m: poles stand up to
        ``half_width + max_offset_m`` from the centreline.
    poles_xy : array (N, 2)
        Pole positions, m.
    max_span_m : float
        Longest gap between consecutive poles along the segment (ends
        included), m; one gap longer and aerial cable cannot follow it.
    """
    out = np.full(len(lines), NONE, dtype=int)
    poles_xy = np.asarray(poles_xy, dtype=float).reshape(-1, 2)
    if not len(lines) or not len(poles_xy):
        return out
    geoms = np.asarray(lines, dtype=object)
    reach = np.asarray(half_widths_m, dtype=float) + max_offset_m
    points = shapely.points(poles_xy)
    tree = shapely.STRtree(geoms)
    pole_idx, seg_idx = tree.query(points, predicate="dwithin", distance=float(reach.max()))
    if not len(pole_idx):
        return out
    keep = shapely.distance(points[pole_idx], geoms[seg_idx]) <= reach[seg_idx]
    pole_idx, seg_idx = pole_idx[keep], seg_idx[keep]
    order = np.argsort(seg_idx, kind="stable")
    pole_idx, seg_idx = pole_idx[order], seg_idx[order]
    bounds = np.searchsorted(seg_idx, np.arange(len(lines) + 1))
    for s in np.flatnonzero(np.diff(bounds)):
        mine = pole_idx[bounds[s] : bounds[s + 1]]
        line = geoms[s]
        at = np.sort(shapely.line_locate_point(line, points[mine]))
        gaps = np.diff(np.concatenate([[0.0], at, [line.length]]))
        if gaps.max() <= max_span_m:
            out[s] = _majority(side_of(line, poles_xy[mine]))
    return out


def duct_sides(
    lines: Sequence[LineString],
    half_widths_m: np.ndarray,
    ducts: Sequence[Duct],
    *,
    min_share: float,
    max_offset_m: float,
) -> np.ndarray:
    """For each line, the side of a free duct along it, or :data:`NONE`.

    A duct counts when it has a free way, runs within ``half_width +
    max_offset_m`` of the centreline, and such ducts cover at least
    ``min_share`` of the segment's length.
    """
    out = np.full(len(lines), NONE, dtype=int)
    free = [d for d in ducts if d.ways_free > 0 and d.line.length > 0]
    if not len(lines) or not free:
        return out
    geoms = np.asarray(lines, dtype=object)
    duct_geoms = np.asarray([d.line for d in free], dtype=object)
    reach = np.asarray(half_widths_m, dtype=float) + max_offset_m
    tree = shapely.STRtree(duct_geoms)
    seg_idx, duct_idx = tree.query(geoms, predicate="dwithin", distance=float(reach.max()))
    pairs: dict[int, list[int]] = {}
    for s, d in zip(seg_idx.tolist(), duct_idx.tolist(), strict=True):
        pairs.setdefault(s, []).append(d)
    for s, near in pairs.items():
        line = geoms[s]
        corridor = shapely.union_all(shapely.buffer(duct_geoms[near], reach[s]))
        if shapely.intersection(line, corridor).length < min_share * line.length:
            continue
        mids = shapely.get_coordinates(
            shapely.line_interpolate_point(duct_geoms[near], 0.5, normalized=True)
        )
        out[s] = _majority(side_of(line, mids))
    return out

"""Road segments split into pieces between junctions.

Road ends within the snap tolerance are one junction; a road ending on
another road's interior splits it (a T-junction); points to attach split
their nearest road where they project on it.  :class:`RoadSplitter` keeps
the split positions of every segment and cuts the pieces the trench graph
is built from.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree
from shapely.geometry import LineString
from shapely.ops import substring

from .costs import CostModel
from .inputs import Road

__all__ = ["RoadSplitter", "UnionFind", "road_segments"]


class UnionFind:
    """Disjoint sets of integers, grown one element at a time."""

    def __init__(self, n: int = 0):
        self.parent = list(range(n))

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, a: int) -> int:
        root = a
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[a] != root:
            self.parent[a], a = root, self.parent[a]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def road_segments(roads: Sequence[Road], tol: float) -> list[tuple[int, LineString]]:
    """``(road index, part)`` of every single line longer than ``tol`` metres."""
    out = []
    for i, road in enumerate(roads):
        for part in getattr(road.line, "geoms", [road.line]):
            if part.length > tol:
                out.append((i, part))
    return out


def _junctions(lines: Sequence[LineString], tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Junction of each segment end (S x 2) and junction positions, merging ends within ``tol``."""
    ends = np.array([[line.coords[0], line.coords[-1]] for line in lines]).reshape(-1, 2)
    pairs = cKDTree(ends).query_pairs(tol, output_type="ndarray")
    n = len(ends)
    matrix = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    count, labels = connected_components(matrix, directed=False)
    xy = np.column_stack(
        [
            np.bincount(labels, ends[:, k], count) / np.bincount(labels, minlength=count)
            for k in (0, 1)
        ]
    )
    return labels.reshape(-1, 2), xy


class RoadSplitter:
    """Road segments (``lines``, m) and where each is split into pieces.

    ``jxy`` holds junction positions; ``juf`` merges junctions found to be
    one; ``splits[s]`` lists ``(position along segment s in m, junction)``.
    Widths (m) come from the segment's road; ``wide`` applies
    ``rule.wide_road_min_width_m``.
    """

    def __init__(self, roads, lines, seg_road, costs: CostModel):
        self.roads, self.lines, self.seg_road, self.costs = roads, lines, seg_road, costs
        self.tol = costs.rule("snap_tolerance_m")
        self.wide_min = costs.rule("wide_road_min_width_m")
        ends, xy = _junctions(lines, self.tol)
        self.ends, self.jxy = ends, [tuple(p) for p in xy]
        self.juf = UnionFind(len(xy))
        self.splits = {
            s: [(0.0, int(a)), (lines[s].length, int(b))] for s, (a, b) in enumerate(ends)
        }
        self.tree = shapely.STRtree(np.asarray(lines, dtype=object))

    def width(self, s: int) -> float:
        w = self.roads[self.seg_road[s]].width_m
        return float(w) if w else 0.0

    def wide(self, s: int) -> bool:
        return self.width(s) >= self.wide_min

    def _split_at(self, s: int, t: float, j: int | None, xy=None) -> int:
        """The junction at position ``t`` of segment ``s`` (new unless one is within tol)."""
        for t0, j0 in self.splits[s]:
            if abs(t0 - t) <= self.tol:
                if j is not None:
                    self.juf.union(j0, j)
                return j0
        if j is None:
            j = self.juf.add()
            self.jxy.append(xy)
        self.splits[s].append((t, j))
        return j

    def t_junctions(self) -> None:
        """Split segments where another road ends on them (T-junctions)."""
        points = shapely.points(np.asarray(self.jxy))
        j_idx, s_idx = self.tree.query(points, predicate="dwithin", distance=self.tol)
        for j, s in zip(j_idx.tolist(), s_idx.tolist(), strict=True):
            if j not in self.ends[s]:
                self._split_at(s, self.lines[s].project(points[j]), j)

    def attach(self, xy: np.ndarray, max_m: np.ndarray) -> list:
        """The junction where each point meets its nearest segment (None if too far)."""
        out: list = [None] * len(xy)
        if not len(xy):
            return out
        points = shapely.points(xy)
        p_idx, s_idx = self.tree.query_nearest(points, max_distance=float(max_m.max()))
        seen = set()
        for p, s in zip(p_idx.tolist(), s_idx.tolist(), strict=True):
            if p in seen or self.lines[s].distance(points[p]) > max_m[p]:
                continue
            seen.add(p)
            line = self.lines[s]
            t = line.project(points[p])
            out[p] = self._split_at(s, t, None, tuple(line.interpolate(t).coords[0]))
        return out

    def pieces(self) -> list[tuple[int, int, int, LineString]]:
        out = []
        for s, marks in self.splits.items():
            marks = sorted((t, self.juf.find(j)) for t, j in marks)
            for (ta, ja), (tb, jb) in zip(marks, marks[1:], strict=False):
                if tb - ta > 1e-6 and ja != jb:
                    out.append((s, ja, jb, substring(self.lines[s], ta, tb)))
        return out

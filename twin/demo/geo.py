"""Vectorised geometry helpers of the generator (metric CRS, straight segments).

Every network is laid along the street graph, whose edges are straight
segments; a utility keeps a constant offset from the street nodes, so its
lines stay parallel to the streets, and devices are points at given distances
along an edge.  :func:`split_edges` turns edges plus such points into the
chained segments that network layers store (start and end vertices on nodes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from twin.crs import transformer

__all__ = [
    "CRS",
    "Chains",
    "Points",
    "lay_edges",
    "points_at",
    "polygon_at",
    "spaced_points",
    "segments",
    "shortest_path_forest",
    "split_edges",
    "subtree_sizes",
    "to_wgs84",
    "to_metric",
    "tree_depths",
]

#: The generator works in VN-2000 / Bắc Giang TM-3 (EPSG:9214), metres.
CRS = "EPSG:9214"


def _apply(geoms, src: str, dst: str):
    t = transformer(src, dst)

    def fn(x, y):
        return t.transform(x, y)

    return shapely.transform(geoms, fn, interleaved=False)


def to_wgs84(geoms):
    """Geometries from the generator's metric CRS to WGS 84 lon/lat."""
    return _apply(geoms, CRS, "EPSG:4326")


def to_metric(geoms):
    """Geometries from WGS 84 lon/lat to the generator's metric CRS."""
    return _apply(geoms, "EPSG:4326", CRS)


def segments(start_xy: np.ndarray, end_xy: np.ndarray) -> np.ndarray:
    """Straight two-vertex lines from arrays of start and end points (n, 2)."""
    return shapely.linestrings(np.stack([start_xy, end_xy], axis=1))


@dataclass
class Chains:
    """Segments of split edges: node ids and points at both ends, parent edge index."""

    start: np.ndarray
    end: np.ndarray
    start_xy: np.ndarray
    end_xy: np.ndarray
    edge: np.ndarray

    def lines(self) -> np.ndarray:
        return segments(self.start_xy, self.end_xy)


def split_edges(
    start_ids, end_ids, start_xy, end_xy, point_edge, point_dist, point_ids
) -> tuple[Chains, np.ndarray]:
    """Split straight edges at interior points into chained segments.

    Parameters
    ----------
    start_ids, end_ids : (m,) int arrays
        Node ids at the ends of each edge.
    start_xy, end_xy : (m, 2) float arrays
        End points of each edge (metres).
    point_edge, point_dist, point_ids : (k,) arrays
        For each interior node: the edge it splits, its distance from the
        edge's start (metres) and its id.

    Returns
    -------
    chains : Chains
        Segments from start to end of every edge through its interior nodes,
        ordered by distance.
    point_xy : (k, 2) float array
        Positions of the interior nodes, in the order given.
    """
    start_xy, end_xy = np.asarray(start_xy, float), np.asarray(end_xy, float)
    point_edge = np.asarray(point_edge, dtype=np.int64)
    vec = end_xy - start_xy
    length = np.hypot(vec[:, 0], vec[:, 1])
    frac = np.asarray(point_dist, float) / np.maximum(length[point_edge], 1e-9)
    point_xy = start_xy[point_edge] + frac[:, None] * vec[point_edge]
    order = np.lexsort((frac, point_edge))
    pe, pid, pxy = point_edge[order], np.asarray(point_ids)[order], point_xy[order]
    m = len(start_ids)
    counts = np.bincount(pe, minlength=m)
    offsets = np.concatenate([[0], np.cumsum(counts + 2)[:-1]])
    total = int((counts + 2).sum())
    seq_id = np.empty(total, dtype=np.int64)
    seq_xy = np.empty((total, 2))
    seq_edge = np.repeat(np.arange(m), counts + 2)
    ends = offsets + counts + 1
    seq_id[offsets], seq_xy[offsets] = start_ids, start_xy
    seq_id[ends], seq_xy[ends] = end_ids, end_xy
    first = np.cumsum(counts) - counts
    rank = np.arange(len(pe)) - first[pe]
    pos = offsets[pe] + 1 + rank
    seq_id[pos], seq_xy[pos] = pid, pxy
    keep = np.ones(total - 1, dtype=bool)
    keep[ends[:-1]] = False
    idx = np.flatnonzero(keep)
    chains = Chains(seq_id[idx], seq_id[idx + 1], seq_xy[idx], seq_xy[idx + 1], seq_edge[idx])
    return chains, point_xy


def shortest_path_forest(
    n: int, u, v, length, sources
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shortest-path forest of an undirected graph from several sources.

    Returns, per node, the distance (inf when unreachable), the predecessor
    (-9999 at sources and unreachable nodes) and the index of its source.
    """
    graph = coo_matrix((np.asarray(length, float), (u, v)), shape=(n, n)).tocsr()
    dist, pred, src = dijkstra(
        graph, directed=False, indices=np.asarray(sources), min_only=True, return_predecessors=True
    )
    return dist, pred, src


def tree_depths(pred: np.ndarray, roots) -> np.ndarray:
    """Hop depth of each node in a predecessor forest (-1 when not in a tree)."""
    depth = np.full(len(pred), -1, dtype=np.int64)
    depth[np.asarray(roots)] = 0
    reached = pred >= 0
    parent = np.where(reached, pred, 0)
    frontier = depth == 0
    level = 0
    while frontier.any():
        level += 1
        frontier = reached & frontier[parent] & (depth < 0)
        depth[frontier] = level
    return depth


def subtree_sizes(pred: np.ndarray, depth: np.ndarray, weight=None) -> np.ndarray:
    """Sum of ``weight`` (default 1) over each node's subtree in a predecessor forest."""
    size = np.ones(len(pred)) if weight is None else np.asarray(weight, float).copy()
    size[depth < 0] = 0
    for level in range(int(depth.max()), 0, -1):
        at = np.flatnonzero(depth == level)
        np.add.at(size, pred[at], size[at])
    return size


@dataclass
class Points:
    """Interior nodes to split edges at, gathered from several feature types."""

    edge: list
    dist: list
    ids: list

    @classmethod
    def empty(cls) -> Points:
        return cls([], [], [])

    def add(self, edge, dist, ids) -> None:
        self.edge.append(np.asarray(edge, dtype=np.int64))
        self.dist.append(np.asarray(dist, float))
        self.ids.append(np.asarray(ids, dtype=np.int64))

    def arrays(self):
        if not self.edge:
            return np.empty(0, np.int64), np.empty(0), np.empty(0, np.int64)
        return np.concatenate(self.edge), np.concatenate(self.dist), np.concatenate(self.ids)


def spaced_points(city, points: Points, count, step, *, first: float = 1.0):
    """Add ``count[i]`` nodes to edge ``i`` every ``step[i]`` metres from ``first * step[i]``.

    Returns the new ids and the edge index of each.
    """
    count = np.asarray(count, dtype=np.int64)
    edge = np.repeat(np.arange(len(count)), count)
    rank = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    ids = city.new_ids(len(edge))
    points.add(edge, (rank + first) * np.asarray(step, float)[edge], ids)
    return ids, edge


def polygon_at(tree, points) -> np.ndarray:
    """Index of the polygon of ``tree`` under each point, or of the nearest one."""
    found = np.full(len(points), -1)
    pi, ci = tree.query(points, predicate="intersects")
    found[pi] = ci
    missing = np.flatnonzero(found < 0)
    if len(missing):
        found[missing] = tree.query_nearest(points[missing], all_matches=False)[1]
    return found


def points_at(where: dict, ids) -> np.ndarray:
    """Points of interior nodes ``ids`` from the position map :func:`lay_edges` returns."""
    return shapely.points(np.array([where[int(i)] for i in ids]).reshape(-1, 2))


def lay_edges(city, table, start_ids, end_ids, start_xy, end_xy, points: Points, **columns):
    """Add the edges of ``table`` split at ``points``; per-edge columns are inherited.

    Returns the chains and a map from interior node id to its position.
    """
    edge, dist, ids = points.arrays()
    chains, pxy = split_edges(start_ids, end_ids, start_xy, end_xy, edge, dist, ids)
    cols = {
        k: (np.asarray(v, dtype=object)[chains.edge] if isinstance(v, np.ndarray | list) else v)
        for k, v in columns.items()
    }
    city.add(table, chains.lines(), start_node=chains.start, end_node=chains.end, **cols)
    return chains, dict(zip(ids.tolist(), map(tuple, pxy), strict=True))

"""The street graph: town grids, villages and the rural roads that link them.

Each town (the city centre, and at province scale every district seat) gets
a slightly irregular grid of streets with an arterial every fourth line;
edges crossing a river survive only as arterial bridges.  Villages outside
the towns are linked to each other and to the towns' edges by rural roads: a
minimum spanning tree of a Delaunay triangulation plus some of its short
extra edges, so the rural network has a few loops.  Every edge is a straight
segment; all networks are laid along these edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay

__all__ = ["STREET_NAMES", "Streets", "town_grid", "street_graph"]

STREET_NAMES = (
    "Hoàng Văn Thụ",
    "Xương Giang",
    "Nguyễn Thị Lưu",
    "Lê Lợi",
    "Nguyễn Văn Cừ",
    "Hùng Vương",
    "Ngô Gia Tự",
    "Lý Thái Tổ",
    "Trần Nguyên Hãn",
    "Nguyễn Thị Minh Khai",
    "Lê Lai",
    "Thánh Thiên",
    "Quang Trung",
    "Trần Phú",
    "Minh Khai",
    "Giáp Hải",
    "Nguyễn Công Hãng",
    "Hoàng Hoa Thám",
    "Nguyễn Khắc Nhu",
    "Ngô Quyền",
    "Lê Hồng Phong",
    "Huyền Quang",
    "Trần Quang Khải",
    "Thân Nhân Trung",
    "Nguyễn Du",
    "Lý Thường Kiệt",
    "Cao Kỳ Vân",
    "Vương Văn Trà",
    "Lê Triện",
    "Đào Sư Tích",
    "Tiền Giang",
    "Hoàng Quốc Việt",
)
WIDTH_M = {"highway": 30.0, "arterial": 24.0, "street": 13.0, "rural": 6.0}
SURFACE = {"highway": "asphalt", "arterial": "asphalt", "street": "asphalt", "rural": "concrete"}
RIVER_SETBACK_M = 90.0
ARTERIAL_EVERY = 4


@dataclass
class Streets:
    """Nodes (metric points) and straight edges of the street graph.

    ``town`` is the index of the town grid a node belongs to (-1 for rural
    nodes); ``village`` the index of the village a rural node stands for
    (-1 otherwise); ``axis`` the grid axis of a town edge (0 or 1, -1 rural).
    """

    xy: np.ndarray
    town: np.ndarray
    village: np.ndarray
    u: np.ndarray
    v: np.ndarray
    road_class: np.ndarray
    name: list
    axis: np.ndarray
    bridge: np.ndarray
    angle: float

    @property
    def length(self) -> np.ndarray:
        d = self.xy[self.v] - self.xy[self.u]
        return np.hypot(d[:, 0], d[:, 1])

    @property
    def degree(self) -> np.ndarray:
        return np.bincount(np.concatenate([self.u, self.v]), minlength=len(self.xy))

    def width(self) -> np.ndarray:
        return np.array([WIDTH_M[c] for c in self.road_class])


def town_grid(centre, half_m: float, block_m: float, angle: float, region, river, rng):
    """A jittered street grid around ``centre`` inside ``region``, away from ``river``.

    Returns node points, edges (i, j), their axis, class, bridge flag and grid line index.
    """
    n = int(half_m // block_m)
    ii, jj = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    c, s = np.cos(angle), np.sin(angle)
    local = np.column_stack([ii, jj]) * block_m + rng.uniform(-1.5, 1.5, size=(len(ii), 2))
    xy = np.asarray(centre) + local @ np.array([[c, s], [-s, c]])
    points = shapely.points(xy)
    keep = shapely.contains(region, points)
    if river is not None:
        keep &= shapely.distance(points, river) > RIVER_SETBACK_M
    index = {(a, b): k for k, (a, b) in enumerate(zip(ii, jj, strict=True))}
    edges, axes, lines = [], [], []
    for (a, b), k in index.items():
        for axis, (da, db) in enumerate(((1, 0), (0, 1))):
            other = index.get((a + da, b + db))
            if other is not None and keep[k] and keep[other]:
                edges.append((k, other))
                axes.append(axis)
                lines.append(b if axis == 0 else a)
    edges, axes, lines = np.array(edges), np.array(axes), np.array(lines)
    arterial = lines % ARTERIAL_EVERY == 0
    seg = shapely.linestrings(np.stack([xy[edges[:, 0]], xy[edges[:, 1]]], axis=1))
    crossing = shapely.intersects(seg, river) if river is not None else np.zeros(len(seg), bool)
    ok = ~crossing | arterial
    return xy, keep, edges[ok], axes[ok], arterial[ok], crossing[ok], lines[ok]


def _rural_edges(points: np.ndarray, town_mask: np.ndarray, rng, extra_share: float):
    """MST of the Delaunay triangulation of ``points`` plus some short extra edges."""
    tri = Delaunay(points)
    s = tri.simplices
    pairs = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    pairs = np.unique(np.sort(pairs, axis=1), axis=0)
    pairs = pairs[~(town_mask[pairs[:, 0]] & town_mask[pairs[:, 1]])]
    d = points[pairs[:, 1]] - points[pairs[:, 0]]
    length = np.hypot(d[:, 0], d[:, 1])
    n = len(points)
    tree = minimum_spanning_tree(coo_matrix((length, (pairs[:, 0], pairs[:, 1])), shape=(n, n)))
    tu, tv = tree.nonzero()
    chosen = set(zip(np.minimum(tu, tv), np.maximum(tu, tv), strict=True))
    limit = np.median(length) * 1.1
    for (a, b), ln in zip(pairs, length, strict=True):
        if ln < limit and rng.random() < extra_share:
            chosen.add((a, b))
    return np.array(sorted(chosen), dtype=np.int64).reshape(-1, 2)


def _grid_part(t: int, town, angle, region, river, rng, offset: int):
    centre, half, block = town
    xy, keep, edges, axes, arterial, bridge, lines = town_grid(
        centre, half, block, angle, region, river, rng
    )
    kept = np.flatnonzero(keep)
    remap = np.full(len(xy), -1)
    remap[kept] = np.arange(len(kept)) + offset
    names = [
        f"Đường {STREET_NAMES[(7 * t + 13 * a + ln) % len(STREET_NAMES)]}"
        for a, ln in zip(axes, lines, strict=True)
    ]
    cls = np.where(arterial, "arterial", "street")
    return xy[kept], remap[edges[:, 0]], remap[edges[:, 1]], cls, names, axes, bridge


def street_graph(towns, villages_xy, rural, region, river, rng, *, angle: float) -> Streets:
    """The street graph of the demo town(s) and the rural roads to ``villages_xy[rural]``.

    ``towns`` lists ``(centre, half_m, block_m)``; only the largest connected
    part of the graph is kept, so every network laid along it is connected.
    """
    xy, town, u, v, cls, names, axes, bridges = [], [], [], [], [], [], [], []
    offset = 0
    for t, spec in enumerate(towns):
        pxy, pu, pv, pcls, pnames, paxes, pbridge = _grid_part(
            t, spec, angle, region, river, rng, offset
        )
        xy.append(pxy)
        town.append(np.full(len(pxy), t))
        u.append(pu), v.append(pv), cls.append(pcls), names.extend(pnames)
        axes.append(paxes), bridges.append(pbridge)
        offset += len(pxy)
    xy, town = np.concatenate(xy), np.concatenate(town)
    village = np.full(len(xy), -1)
    u, v = np.concatenate(u), np.concatenate(v)
    degree = np.bincount(np.concatenate([u, v]), minlength=len(xy))
    rural_idx = np.flatnonzero(rural)
    if len(rural_idx):
        perimeter = np.flatnonzero(degree < 4)
        points = np.concatenate([xy[perimeter], villages_xy[rural_idx]])
        is_town = np.r_[np.ones(len(perimeter), bool), np.zeros(len(rural_idx), bool)]
        global_of = np.r_[perimeter, np.arange(len(rural_idx)) + len(xy)]
        pairs = global_of[_rural_edges(points, is_town, rng, extra_share=0.25)]
        xy = np.concatenate([xy, villages_xy[rural_idx]])
        town = np.r_[town, np.full(len(rural_idx), -1)]
        village = np.r_[village, rural_idx]
        u, v = np.r_[u, pairs[:, 0]], np.r_[v, pairs[:, 1]]
        cls.append(np.full(len(pairs), "rural"))
        names.extend([None] * len(pairs))
        axes.append(np.full(len(pairs), -1))
        seg = shapely.linestrings(np.stack([xy[pairs[:, 0]], xy[pairs[:, 1]]], axis=1))
        bridges.append(
            shapely.intersects(seg, river) if river is not None else np.zeros(len(seg), bool)
        )
    streets = Streets(
        xy,
        town,
        village,
        u,
        v,
        np.concatenate(cls),
        names,
        np.concatenate(axes),
        np.concatenate(bridges),
        angle,
    )
    return _largest_part(streets)


def _largest_part(s: Streets) -> Streets:
    from scipy.sparse.csgraph import connected_components

    n = len(s.xy)
    graph = coo_matrix((np.ones(len(s.u)), (s.u, s.v)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    used = np.bincount(label[s.u], minlength=label.max() + 1)
    nodes = label == np.argmax(used)
    nodes &= np.bincount(np.r_[s.u, s.v], minlength=n) > 0
    remap = np.full(n, -1)
    remap[nodes] = np.arange(nodes.sum())
    edges = nodes[s.u] & nodes[s.v]
    return Streets(
        s.xy[nodes],
        s.town[nodes],
        s.village[nodes],
        remap[s.u[edges]],
        remap[s.v[edges]],
        s.road_class[edges],
        [nm for nm, k in zip(s.name, edges, strict=True) if k],
        s.axis[edges],
        s.bridge[edges],
        s.angle,
    )

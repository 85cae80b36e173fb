"""The trench graph: where new fibre can go along the roads, and at what price.

Roads become edges priced in VND.  A road narrower than
``rule.wide_road_min_width_m`` gets one trench on one side, and crossing it
is part of its trench rate.  A wide road gets a trench on each side, and
going from one side to the other costs a crossing bored under it (its width
times ``crossing.per_m_width``) at each junction and wherever a point is
attached mid-block.

The sides meet at junction *corners*: the incident road pieces of a junction
sorted by direction cut the space around it into sectors, one corner per
sector.  Corners either side of a narrow road are one node; corners either
side of a wide road are joined by a crossing edge.  A road with poles along
it also gets an aerial edge, and one with a free duct a duct edge, on the
side where they stand; between two nodes only the cheapest option is kept.

Points to attach (village access points, existing network nodes) split the
nearest road where they project on it; :class:`TrenchGraph` says which node
each one attaches to and how far it is from it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from shapely.geometry import LineString

from .costs import CostModel
from .inputs import Duct, Road
from .junctions import RoadSplitter, UnionFind, road_segments
from .reuse import NONE, aerial_sides, duct_sides

__all__ = [
    "PLACEMENTS",
    "Anchor",
    "TrenchGraph",
    "changes_cable_type",
    "oriented",
    "trench_graph",
]

#: Placement of the cable (``telecom_cable.placement``) for each edge kind.
PLACEMENTS = {
    "trench": "underground",
    "crossing": "underground",
    "lead_in": "underground",
    "aerial": "overhead",
    "duct": "duct",
}


def changes_cable_type(kind_a: str, kind_b: str) -> bool:
    """Whether a cable going from an edge of ``kind_a`` to one of ``kind_b`` needs a splice.

    Self-supporting aerial cable and underground (trench or duct) cable are
    different cables, joined in a splice closure at the riser pole; a cable
    going from a new trench into an existing duct stays the same cable.
    """
    a, b = PLACEMENTS.get(kind_a), PLACEMENTS.get(kind_b)
    return a is not None and b is not None and (a == "overhead") != (b == "overhead")


#: Trenches of wide roads run this far inside the road edge (the sidewalk), m.
_SIDEWALK_INSET_M = 1.0


@dataclass(frozen=True)
class Anchor:
    """Where an attached point joins the graph: ``node``, ``distance_m`` from it."""

    node: int
    distance_m: float


@dataclass
class TrenchGraph:
    """The priced graph (nodes 0..n-1 with ``pos`` in metres) and the anchors.

    Edges carry ``kind`` (trench, crossing, aerial, duct), ``cost_vnd``,
    ``length_m``, ``road`` (code), ``road_class``, ``surface`` and
    ``geometry`` (LineString, m).  ``anchors[i]`` is None when point ``i``
    lay farther than its limit from every road.
    """

    graph: nx.Graph
    anchors: list[Anchor | None]


def oriented(line: LineString, start_xy) -> LineString:
    """``line`` running from the end nearer ``start_xy``."""
    a, b = line.coords[0], line.coords[-1]
    da = (a[0] - start_xy[0]) ** 2 + (a[1] - start_xy[1]) ** 2
    db = (b[0] - start_xy[0]) ** 2 + (b[1] - start_xy[1]) ** 2
    return line if da <= db else LineString(line.coords[::-1])


def _direction(line: LineString, at_start: bool) -> float:
    c = line.coords
    (x0, y0), (x1, y1) = (c[0], c[1]) if at_start else (c[-1], c[-2])
    return math.atan2(y1 - y0, x1 - x0)


class _Corners:
    """Corners of every junction, merged across narrow roads."""

    def __init__(self, builder: RoadSplitter, pieces):
        self.b = builder
        self.uf = UnionFind()
        self.pos: list[tuple[float, float]] = []
        self.at: dict[tuple[int, int], tuple[int, int]] = {}  # (piece, end) -> (ccw, cw)
        self.sectors: dict[int, tuple[list[float], list[int]]] = {}
        incident: dict[int, list] = {}
        for p, (_, ja, jb, line) in enumerate(pieces):
            incident.setdefault(ja, []).append((_direction(line, True), p, 0))
            incident.setdefault(jb, []).append((_direction(line, False), p, 1))
        for j, around in incident.items():
            self._junction(j, sorted(around), pieces)
        for (p, _), (ccw, cw) in self.at.items():
            if not builder.wide(pieces[p][0]):
                self.uf.union(ccw, cw)
        members: dict[int, list] = {}
        for c, xy in enumerate(self.pos):
            members.setdefault(self.uf.find(c), []).append(xy)
        #: Position of each merged corner (by its root), m.
        self.node_pos = {r: tuple(np.mean(xys, axis=0)) for r, xys in members.items()}

    def _half(self, pieces, p: int) -> float:
        s = pieces[p][0]
        return max(self.b.width(s) / 2 - _SIDEWALK_INSET_M, 0.0) if self.b.wide(s) else 0.0

    def _corner(self, jxy, angle: float, spread: float, half: float) -> int:
        d = min(half / max(math.sin(spread / 2), 1e-3), 3 * half) if half else 0.0
        self.pos.append((jxy[0] + d * math.cos(angle), jxy[1] + d * math.sin(angle)))
        return self.uf.add()

    def _junction(self, j: int, around: list, pieces) -> None:
        jxy, k = self.b.jxy[j], len(around)
        if k == 1:
            theta, p, end = around[0]
            half = self._half(pieces, p)
            ccw = self._corner(jxy, theta + math.pi / 2, math.pi, half)
            cw = self._corner(jxy, theta - math.pi / 2, math.pi, half)
            self.at[p, end] = (ccw, cw)
            self.sectors[j] = ([theta], [ccw, cw])
            return
        ids = []
        for i, (theta, p, _) in enumerate(around):
            nxt_theta, q, _ = around[(i + 1) % k]
            spread = (nxt_theta - theta) % (2 * math.pi) or 2 * math.pi
            half = max(self._half(pieces, p), self._half(pieces, q))
            ids.append(self._corner(jxy, theta + spread / 2, spread, half))
        for i, (_, p, end) in enumerate(around):
            self.at[p, end] = (ids[i], ids[(i - 1) % k])
        self.sectors[j] = ([a[0] for a in around], ids)

    def for_point(self, j: int, xy) -> int:
        """The corner of junction ``j`` whose sector holds ``xy``."""
        angles, ids = self.sectors[j]
        jxy = self.b.jxy[j]
        a = math.atan2(xy[1] - jxy[1], xy[0] - jxy[0])
        rel = [(a - t) % (2 * math.pi) for t in angles]
        if len(angles) == 1:
            return ids[0] if rel[0] < math.pi else ids[1]
        return ids[int(np.argmin(rel))]


def _add(G: nx.Graph, u: int, v: int, **attrs) -> None:
    """Add an edge unless a cheaper one already joins ``u`` and ``v``."""
    if u == v:
        return
    old = G.get_edge_data(u, v)
    if old is None or attrs["cost_vnd"] < old["cost_vnd"]:
        G.add_edge(u, v, **attrs)


def _side_line(line: LineString, offset: float, a_xy, b_xy) -> LineString:
    if len(line.coords) > 2 and offset:
        moved = line.offset_curve(offset)
        inner = list(moved.coords)[1:-1] if moved.geom_type == "LineString" else []
        return LineString([a_xy, *inner, b_xy])
    if len(line.coords) > 2:
        return LineString([a_xy, *list(line.coords)[1:-1], b_xy])
    return LineString([a_xy, b_xy])


def _piece_edges(G, costs: CostModel, builder, corners, pieces, aerial, duct) -> None:
    cable = costs.cable_vnd_per_m
    find = corners.uf.find
    for p, (s, _, _, line) in enumerate(pieces):
        road = builder.roads[builder.seg_road[s]]
        rate = costs.trench_vnd_per_m(road.road_class, road.surface)
        info = dict(road=road.code, road_class=road.road_class, surface=road.surface)
        (a_ccw, a_cw), (b_ccw, b_cw) = corners.at[p, 0], corners.at[p, 1]
        if builder.wide(s):
            half = builder.width(s) / 2 - _SIDEWALK_INSET_M
            sides = ((1, find(a_ccw), find(b_cw), half), (-1, find(a_cw), find(b_ccw), -half))
            crossing = builder.width(s) * (costs["crossing.per_m_width"] + cable)
            for a, b in ((a_ccw, a_cw), (b_ccw, b_cw)):
                ua, ub = find(a), find(b)
                if ua != ub:
                    geom = LineString([corners.node_pos[ua], corners.node_pos[ub]])
                    _add(
                        G,
                        ua,
                        ub,
                        kind="crossing",
                        cost_vnd=crossing,
                        length_m=builder.width(s),
                        geometry=geom,
                        width_m=builder.width(s),
                        **info,
                    )
        else:
            sides = ((0, find(a_ccw), find(b_ccw), 0.0),)
        for side, u, v, offset in sides:
            geom = _side_line(line, offset, corners.node_pos[u], corners.node_pos[v])
            length = geom.length
            options = [("trench", rate)]
            if aerial[s] != NONE and (side == 0 or side == aerial[s]):
                options.append(("aerial", costs["aerial.per_m"]))
            if duct[s] != NONE and (side == 0 or side == duct[s]):
                options.append(("duct", costs["duct.per_m"]))
            kind, best = min(options, key=lambda o: o[1])
            _add(
                G,
                u,
                v,
                kind=kind,
                cost_vnd=length * (best + cable),
                length_m=length,
                geometry=geom,
                **info,
            )


def trench_graph(
    roads: Sequence[Road],
    costs: CostModel,
    *,
    points_xy: np.ndarray | None = None,
    points_max_m: np.ndarray | float | None = None,
    poles_xy: np.ndarray | None = None,
    ducts: Sequence[Duct] = (),
) -> TrenchGraph:
    """Build the priced trench graph of ``roads`` (metres, VND).

    Parameters
    ----------
    roads : sequence of Road
        Road segments; ends within ``rule.snap_tolerance_m`` are one junction
        and an end that close to another road's interior splits it.
    costs : CostModel
        Prices and rules (see :mod:`twin.fiber.costs`).
    points_xy : array (N, 2), optional
        Points to attach (m): each splits its nearest road, and
        ``TrenchGraph.anchors[i]`` gives the node it joins on the side of the
        road it lies on.
    points_max_m : float or array, optional
        Farthest a point may lie from a road, m (default
        ``rule.attach_radius_m``).
    poles_xy : array (M, 2), optional
        Poles that can carry aerial cable, m.
    ducts : sequence of Duct
        Existing ducts; those with a free way can take a cable.

    Returns
    -------
    TrenchGraph
    """
    tol = costs.rule("snap_tolerance_m")
    segs = road_segments(roads, tol)
    lines = [line for _, line in segs]
    if not lines:
        return TrenchGraph(nx.Graph(), [None] * (0 if points_xy is None else len(points_xy)))
    builder = RoadSplitter(roads, lines, [r for r, _ in segs], costs)
    builder.t_junctions()
    xy = np.empty((0, 2)) if points_xy is None else np.asarray(points_xy, float).reshape(-1, 2)
    limit = costs.rule("attach_radius_m") if points_max_m is None else points_max_m
    attached = builder.attach(xy, np.broadcast_to(np.asarray(limit, float), (len(xy),)))
    pieces = builder.pieces()
    corners = _Corners(builder, pieces)
    half = np.array([builder.width(s) / 2 for s in range(len(lines))])
    aerial, duct = _carriers(lines, half, poles_xy, ducts, costs)
    raw = nx.Graph()
    _piece_edges(raw, costs, builder, corners, pieces, aerial, duct)
    return _relabel(raw, corners, builder, attached, xy)


def _carriers(lines, half: np.ndarray, poles_xy, ducts: Sequence[Duct], costs: CostModel):
    """The road sides whose poles can carry aerial cable and those with a duct
    with a free way (``half``: each road's half width, m)."""
    aerial = aerial_sides(
        lines,
        half,
        np.empty((0, 2)) if poles_xy is None else poles_xy,
        max_span_m=costs.rule("pole_max_span_m"),
        max_offset_m=costs.rule("pole_max_offset_m"),
    )
    duct = duct_sides(
        lines,
        half,
        ducts,
        min_share=costs.rule("duct_min_cover_share"),
        max_offset_m=costs.rule("duct_max_offset_m"),
    )
    return aerial, duct


def _relabel(raw: nx.Graph, corners: _Corners, builder, attached, xy) -> TrenchGraph:
    """Nodes numbered 0..n-1 with positions; anchors resolved to those numbers."""
    roots = sorted(corners.node_pos)
    number = {r: i for i, r in enumerate(roots)}
    G = nx.Graph()
    for r in roots:
        G.add_node(number[r], pos=corners.node_pos[r])
    for u, v, data in raw.edges(data=True):
        G.add_edge(number[u], number[v], **data)
    anchors: list[Anchor | None] = []
    for i, hit in enumerate(attached):
        if hit is None:
            anchors.append(None)
            continue
        j = builder.juf.find(hit)
        if j not in corners.sectors:
            anchors.append(None)
            continue
        node = number[corners.uf.find(corners.for_point(j, xy[i]))]
        pos = G.nodes[node]["pos"]
        anchors.append(Anchor(node, float(math.hypot(xy[i][0] - pos[0], xy[i][1] - pos[1]))))
    return TrenchGraph(G, anchors)

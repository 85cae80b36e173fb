"""Drainage: gravity conduits falling along the DEM to outfalls on the river.

Town streets drain along a shortest-path forest grown from the street
corners nearest the river, so each conduit runs from an upstream manhole
(its start node) to a downstream one.  Inverts start at the ground of the
elevation model less the cover and are lowered downstream where needed so
that every conduit falls at least ``MIN_SLOPE``; intermediate manholes every
50 m take interpolated inverts.  Catchments are the Voronoi cells of the
corner manholes, each draining to its manhole.  Each conduit is sized by the
rational method (TCVN 7957:2023): the flow ``Q = ψ q F`` of the catchments
upstream of it under the design rain (``BRANCH_STORM_YEARS``, or
``MAIN_STORM_YEARS`` for mains) lasting the time of
concentration, carried full at its slope (Manning), rounded up to a
standard size.
"""

from __future__ import annotations

import numpy as np
import shapely

from .context import Context
from .geo import (
    Points,
    lay_edges,
    points_at,
    segments,
    shortest_path_forest,
    spaced_points,
    subtree_sizes,
    tree_depths,
)

__all__ = ["add_drainage", "MIN_SLOPE"]

OFFSET = np.array([0.0, 0.0])
COVER_M = 1.2
MIN_SLOPE = 0.003
SPACING_M = 50.0
OUTLET_SPACING_M = 200.0
#: Return periods (years) the town's sewers are designed for (TCVN 7957:2023: branches
#: 1–2 years, mains 2–5 years for a provincial city), mains draining at least
#: ``MAIN_AREA_M2``.
BRANCH_STORM_YEARS = 2.0
MAIN_STORM_YEARS = 5.0
MAIN_AREA_M2 = 100_000.0
#: Runoff coefficient of a mixed town surface (TCVN 7957:2023, 0.6–0.8 for built-up areas).
RUNOFF_COEFFICIENT = 0.7
#: Minutes of overland flow before a catchment reaches its manhole, and velocity (m/s)
#: in the pipes after it, for the time of concentration.
INLET_TIME_MIN = 10.0
PIPE_VELOCITY_MS = 1.0
MANNING_N = 0.013
DIAMETERS_MM = (600, 800, 1000, 1200, 1500, 1800, 2000, 2500, 3000, 3500, 4000)


def _outlets(ctx: Context, nodes: np.ndarray) -> list[int]:
    s = ctx.streets
    out = []
    for t in np.unique(s.town[nodes]):
        mine = nodes[s.town[nodes] == t]
        if ctx.river is not None:
            d = shapely.distance(shapely.points(s.xy[mine]), ctx.river)
        else:
            d = ctx.dem.sample(s.xy[mine])
        near = mine[d <= d.min() + 300]
        out += _spaced(s.xy, near[np.argsort(d[d <= d.min() + 300], kind="stable")])
    return out


def _spaced(xy: np.ndarray, candidates: np.ndarray) -> list[int]:
    """Candidates (nearest the river first) at least ``OUTLET_SPACING_M`` apart: a town
    drains to the river along its whole bank, not through a few huge trunks."""
    chosen: list[int] = []
    for n in candidates:
        if all(np.hypot(*(xy[n] - xy[c])) >= OUTLET_SPACING_M for c in chosen):
            chosen.append(int(n))
    return chosen


def _inverts(rim, pred, depth, child, parent, length, pipe_m=0.0) -> np.ndarray:
    """Invert (m) at each street node: rim less cover and the largest pipe there
    (``pipe_m``), lowered to fall downstream."""
    invert = rim - COVER_M - pipe_m
    order = np.argsort(-depth[child], kind="stable")
    for level in np.unique(depth[child])[::-1]:
        at = order[depth[child[order]] == level]
        need = invert[child[at]] - MIN_SLOPE * length[at] - 0.02
        np.minimum.at(invert, parent[at], need)
    return invert


def _drain_forest(ctx: Context):
    """Outlet corners and the forest of town streets draining to them (child → parent)."""
    s = ctx.streets
    town_edges = np.flatnonzero((s.town[s.u] >= 0) & (s.town[s.v] >= 0) & ~s.bridge)
    outlets = _outlets(ctx, np.unique(np.r_[s.u[town_edges], s.v[town_edges]]))
    u, v = s.u[town_edges], s.v[town_edges]
    _, pred, _ = shortest_path_forest(len(s.xy), u, v, s.length[town_edges], outlets)
    depth = tree_depths(pred, outlets)
    tree = town_edges[(pred[u] == v) | (pred[v] == u)]
    child = np.where(pred[s.u[tree]] == s.v[tree], s.u[tree], s.v[tree])
    return outlets, pred, depth, tree, child, pred[child]


def add_drainage(ctx: Context) -> None:
    s, city = ctx.streets, ctx.city
    outlets, pred, depth, tree, child, parent = _drain_forest(ctx)
    nxy = s.xy + ctx.offset(OFFSET)
    length = s.length[tree]
    rim = ctx.dem.sample(nxy)
    invert = _inverts(rim, pred, depth, child, parent, length)
    in_tree = depth >= 0
    node_ids = np.full(len(s.xy), -1, dtype=np.int64)
    node_ids[in_tree] = city.new_ids(in_tree.sum())
    corner = np.flatnonzero(in_tree)
    cells = _cells(ctx, corner, nxy)
    area = np.zeros(len(s.xy))
    area[corner] = shapely.area(cells)
    slope = (invert[child] - invert[parent]) / np.maximum(length, 1.0)
    flow = _design_flows(subtree_sizes(pred, depth, area),
                         _longest_upstream(pred, depth, child, length))
    diameter = _diameters(flow[child], slope)
    # Lowered under the cover by the largest pipe at each node, still falling downstream.
    pipe_m = np.zeros(len(s.xy))
    np.maximum.at(pipe_m, child, diameter / 1000)
    np.maximum.at(pipe_m, parent, diameter / 1000)
    invert = _inverts(rim, pred, depth, child, parent, length, pipe_m)
    count = np.maximum(np.ceil(length / SPACING_M).astype(int) - 1, 0)
    points = Points.empty()
    mid_ids, e = spaced_points(city, points, count, length / (count + 1))
    frac = (np.arange(len(e)) - np.repeat(np.cumsum(count) - count, count) + 1) / (count[e] + 1)
    invert_of = dict(zip(node_ids[in_tree].tolist(), invert[in_tree].tolist(), strict=True))
    mid_invert = invert[child[e]] + frac * (invert[parent[e]] - invert[child[e]])
    invert_of.update(zip(mid_ids.tolist(), mid_invert.tolist(), strict=True))
    chains, where = lay_edges(
        city,
        "drainage_conduit",
        node_ids[child],
        node_ids[parent],
        nxy[child],
        nxy[parent],
        points,
        system="combined",
        shape="circular",
        diameter_mm=diameter,
        material="concrete",
        install_year=ctx.rng.integers(1990, 2024, len(tree)),
    )
    batch = city.batches[-1]
    batch.columns["invert_up_m"] = np.round([invert_of[int(i)] for i in chains.start], 3)
    batch.columns["invert_down_m"] = np.round([invert_of[int(i)] for i in chains.end], 3)
    mh_xy = np.concatenate([nxy[corner], shapely.get_coordinates(points_at(where, mid_ids))])
    mh_ids = np.r_[node_ids[corner], mid_ids]
    city.add(
        "drainage_manhole",
        shapely.points(mh_xy),
        ids=mh_ids,
        rim_elevation_m=np.round(ctx.dem.sample(mh_xy), 3),
        invert_elevation_m=np.round([invert_of[int(i)] for i in mh_ids], 3),
    )
    _outfalls(ctx, outlets, node_ids, nxy, invert, flow[outlets])
    _inlets(ctx, corner, node_ids, nxy, invert)
    _catchments(ctx, corner, node_ids, cells)


def _longest_upstream(pred, depth, child, length) -> np.ndarray:
    """Length (m) of the longest path of conduits from a leaf down to each node's outlet
    conduit, that conduit included."""
    leaving = np.zeros(len(pred))
    leaving[child] = length
    longest = leaving.copy()
    for level in range(int(depth.max()), 0, -1):
        at = np.flatnonzero(depth == level)
        np.maximum.at(longest, pred[at], longest[at] + leaving[pred[at]])
    return longest


def _design_flows(area_m2, upstream_m) -> np.ndarray:
    """Rational-method flow (m³/s) ``ψ q F`` through each node from the catchments above."""
    # The pure parts of the simulation area: the demo generator touches no database.
    from twin.simulation.algorithms.drainage_storm import intensity_mm_h
    from twin.simulation.drainage_standards import idf_parameters

    # Time of concentration: overland flow, then the longest way through the pipes.
    minutes = INLET_TIME_MIN + upstream_m / PIPE_VELOCITY_MS / 60
    idf = idf_parameters()
    years = np.where(area_m2 >= MAIN_AREA_M2, MAIN_STORM_YEARS, BRANCH_STORM_YEARS)
    rain_m_s = np.array([intensity_mm_h(idf, p, t) for p, t in zip(years, minutes, strict=True)])
    rain_m_s = rain_m_s / 3.6e6
    return RUNOFF_COEFFICIENT * rain_m_s * area_m2


def _diameters(flow_m3s, slope) -> np.ndarray:
    """Standard diameters (mm) that carry ``flow_m3s`` full at ``slope`` (Manning)."""
    slope = np.maximum(slope, MIN_SLOPE)
    need_m = (flow_m3s * MANNING_N * 4 ** (5 / 3) / (np.pi * np.sqrt(slope))) ** 0.375
    sizes = np.array(DIAMETERS_MM)
    return sizes[np.minimum(np.searchsorted(sizes, need_m * 1000), len(sizes) - 1)]


def _box_mm(flow_m3s) -> np.ndarray:
    """Side (mm, whole 100 mm, at least 1,600) of a square box carrying ``flow_m3s`` full
    at the least slope."""
    side = (np.asarray(flow_m3s) * MANNING_N * 4 ** (2 / 3) / np.sqrt(MIN_SLOPE)) ** 0.375
    return np.maximum(np.ceil(side * 10) * 100, 1600).astype(int)


def _outfalls(ctx, outlets, node_ids, nxy, invert, flow) -> None:
    city = ctx.city
    xy = []
    for n in outlets:
        if ctx.river is not None:
            line = shapely.shortest_line(shapely.Point(nxy[n]), ctx.river)
            xy.append(shapely.get_coordinates(line)[1])
        else:
            xy.append(nxy[n] + 40.0)
    xy = np.array(xy).reshape(-1, 2)
    length = np.hypot(*(xy - nxy[outlets]).T)
    out_invert = invert[outlets] - MIN_SLOPE * length - 0.05
    ids = city.add(
        "drainage_outfall",
        shapely.points(xy),
        invert_elevation_m=np.round(out_invert, 3),
        receiving_water="Sông Thương" if ctx.river is not None else "Kênh tiêu",
    )
    # The first outfall is pumped: a pumping station halfway to the river (a power customer),
    # for the design flow of its network.
    pump_xy = (nxy[outlets[0]] + xy[0]) / 2
    pump_invert = (invert[outlets[0]] + out_invert[0]) / 2
    pump = city.add(
        "drainage_pumping_station",
        shapely.points(pump_xy.reshape(1, 2)),
        name=["Trạm bơm tiêu 1"],
        capacity_m3s=float(np.ceil(flow[0] * 2) / 2),
    )
    ctx.request_power(pump_xy + 8.0, ctx.codes("drainage_pumping_station", pump)[0])
    box = _box_mm(flow)
    start_xy = np.concatenate([nxy[outlets], pump_xy[None]])
    end_xy = np.concatenate([pump_xy[None], xy[1:], xy[:1]])
    starts = np.r_[node_ids[outlets], pump]
    ends = np.r_[pump, ids[1:], ids[:1]]
    up = np.r_[invert[outlets], pump_invert]
    down = np.r_[pump_invert, out_invert[1:], out_invert[:1]]
    city.add(
        "drainage_conduit",
        segments(start_xy, end_xy),
        start_node=starts,
        end_node=ends,
        system="combined",
        shape="rectangular",
        width_mm=np.r_[box, box[:1]],
        height_mm=np.r_[box, box[:1]],
        material="concrete",
        invert_up_m=np.round(up, 3),
        invert_down_m=np.round(down, 3),
        install_year=2012,
    )


def _inlets(ctx, corner, node_ids, nxy, invert) -> None:
    rng, city = ctx.rng, ctx.city
    at = corner[rng.random(len(corner)) < 0.35]
    xy = nxy[at] + ctx.offset([5.0, 5.0])
    inlet_invert = invert[at] + 0.6
    ids = city.add(
        "drainage_inlet",
        shapely.points(xy),
        inlet_type=np.where(rng.random(len(at)) < 0.6, "curb", "grate"),
        invert_elevation_m=np.round(inlet_invert, 3),
    )
    city.add(
        "drainage_conduit",
        segments(xy, nxy[at]),
        start_node=ids,
        end_node=node_ids[at],
        system="storm",
        shape="circular",
        diameter_mm=300,
        material="upvc",
        invert_up_m=np.round(inlet_invert, 3),
        invert_down_m=np.round(invert[at] + 0.5, 3),
    )


def _cells(ctx, corner, nxy) -> np.ndarray:
    """The Voronoi cell of each corner manhole within the town (empty where none)."""
    if len(corner) < 3:
        return np.array([shapely.Polygon()] * len(corner), dtype=object)
    area = shapely.convex_hull(shapely.multipoints(nxy[corner])).buffer(60)
    if ctx.river is not None:
        area = area.difference(ctx.river.buffer(60))
    cells = shapely.voronoi_polygons(shapely.multipoints(nxy[corner]), extend_to=area, ordered=True)
    cells = shapely.intersection(np.asarray(shapely.get_parts(cells)), area)
    return np.array(
        [
            max(shapely.get_parts(c), key=lambda p: p.area) if c.geom_type != "Polygon" else c
            for c in cells
        ],
        dtype=object,
    )


def _catchments(ctx, corner, node_ids, cells) -> None:
    if len(corner) < 3:
        return
    ok = ~shapely.is_empty(cells) & (shapely.area(cells) > 100)
    outlets = ctx.codes("drainage_manhole", node_ids[corner[ok]])
    ctx.city.add(
        "drainage_catchment",
        cells[ok],
        outlet=outlets,
        imperviousness_pct=np.round(ctx.rng.uniform(55, 90, ok.sum()), 1),
    )

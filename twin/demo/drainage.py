"""Drainage: gravity conduits falling along the DEM to outfalls on the river.

Town streets drain along a shortest-path forest grown from the street
corners nearest the river, so each conduit runs from an upstream manhole
(its start node) to a downstream one.  Inverts start at the ground of the
elevation model less the cover and are lowered downstream where needed so
that every conduit falls at least ``MIN_SLOPE``; intermediate manholes every
50 m take interpolated inverts.  Catchments are the Voronoi cells of the
corner manholes, each draining to its manhole.
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


def _outlets(ctx: Context, nodes: np.ndarray) -> list[int]:
    s = ctx.streets
    out = []
    for t in np.unique(s.town[nodes]):
        mine = nodes[s.town[nodes] == t]
        if ctx.river is not None:
            d = shapely.distance(shapely.points(s.xy[mine]), ctx.river)
        else:
            d = ctx.dem.sample(s.xy[mine])
        near = mine[d <= d.min() + 200]
        out += [int(n) for n in near[:: max(1, len(near) // 6)]]
    return out


def _inverts(rim, pred, depth, child, parent, length) -> np.ndarray:
    """Invert (m) at each street node: rim less cover, lowered to fall downstream."""
    invert = rim - COVER_M
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
    invert = _inverts(ctx.dem.sample(nxy), pred, depth, child, parent, s.length[tree])
    in_tree = depth >= 0
    node_ids = np.full(len(s.xy), -1, dtype=np.int64)
    node_ids[in_tree] = city.new_ids(in_tree.sum())
    upstream = subtree_sizes(pred, depth)[child]
    diameter = np.select([upstream > 120, upstream > 40, upstream > 10], [1200, 1000, 800], 600)
    length = s.length[tree]
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
    corner = np.flatnonzero(in_tree)
    mh_xy = np.concatenate([nxy[corner], shapely.get_coordinates(points_at(where, mid_ids))])
    mh_ids = np.r_[node_ids[corner], mid_ids]
    city.add(
        "drainage_manhole",
        shapely.points(mh_xy),
        ids=mh_ids,
        rim_elevation_m=np.round(ctx.dem.sample(mh_xy), 3),
        invert_elevation_m=np.round([invert_of[int(i)] for i in mh_ids], 3),
    )
    _outfalls(ctx, outlets, node_ids, nxy, invert)
    _inlets(ctx, corner, node_ids, nxy, invert)
    _catchments(ctx, corner, node_ids, nxy)


def _outfalls(ctx, outlets, node_ids, nxy, invert) -> None:
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
    # The first outfall is pumped: a pumping station halfway to the river (a power customer).
    pump_xy = (nxy[outlets[0]] + xy[0]) / 2
    pump_invert = (invert[outlets[0]] + out_invert[0]) / 2
    pump = city.add(
        "drainage_pumping_station",
        shapely.points(pump_xy.reshape(1, 2)),
        name=["Trạm bơm tiêu 1"],
        capacity_m3s=4.5,
    )
    ctx.request_power(pump_xy + 8.0, ctx.codes("drainage_pumping_station", pump)[0])
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
        width_mm=1600,
        height_mm=1600,
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


def _catchments(ctx, corner, node_ids, nxy) -> None:
    if len(corner) < 3:
        return
    area = shapely.convex_hull(shapely.multipoints(nxy[corner])).buffer(60)
    if ctx.river is not None:
        area = area.difference(ctx.river.buffer(60))
    cells = shapely.voronoi_polygons(shapely.multipoints(nxy[corner]), extend_to=area, ordered=True)
    cells = shapely.intersection(np.asarray(shapely.get_parts(cells)), area)
    cells = np.array(
        [
            max(shapely.get_parts(c), key=lambda p: p.area) if c.geom_type != "Polygon" else c
            for c in cells
        ],
        dtype=object,
    )
    ok = ~shapely.is_empty(cells) & (shapely.area(cells) > 100)
    outlets = ctx.codes("drainage_manhole", node_ids[corner[ok]])
    ctx.city.add(
        "drainage_catchment",
        cells[ok],
        outlet=outlets,
        imperviousness_pct=np.round(ctx.rng.uniform(55, 90, ok.sum()), 1),
    )

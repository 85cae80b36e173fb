"""Drainage: gravity conduits falling along the DEM to outfalls on the river.

Town streets drain along a shortest-path forest grown from the street
corners nearest the river, so each conduit runs from an upstream manhole
(its start node) to a downstream one, with manholes every 50 m between the
corners.  Catchments are the Voronoi cells of the corner manholes, each
draining to its manhole.  The network is then designed as an engineer
sizes it (:func:`twin.simulation.algorithms.drainage_design.design_sewers`,
rules in ``drainage.csv``): rational-method flows under the TCVN 7957
design rain of each conduit's class, standard pipe sizes carrying them at
most 80 % full, never smaller downstream, at least the self-cleansing
slope, crowns under the minimum cover following the DEM.
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
    tree_depths,
)

__all__ = ["add_drainage"]

OFFSET = np.array([0.0, 0.0])
SPACING_M = 50.0
OUTLET_SPACING_M = 200.0
#: Slope of the short box culverts from the last corner to the river.
BOX_SLOPE = 0.003
MANNING_N = 0.013


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
    in_tree = depth >= 0
    node_ids = np.full(len(s.xy), -1, dtype=np.int64)
    node_ids[in_tree] = city.new_ids(in_tree.sum())
    corner = np.flatnonzero(in_tree)
    cells = _cells(ctx, corner, nxy)
    count = np.maximum(np.ceil(length / SPACING_M).astype(int) - 1, 0)
    points = Points.empty()
    mid_ids, _ = spaced_points(city, points, count, length / (count + 1))
    chains, where = lay_edges(
        city, "drainage_conduit", node_ids[child], node_ids[parent], nxy[child], nxy[parent],
        points, system="combined", shape="circular", material="concrete",
        install_year=ctx.rng.integers(1990, 2024, len(tree)),
    )
    # Drawn in the order they always were, so the layers after this one stay as they are.
    inlet_at = corner[ctx.rng.random(len(corner)) < 0.35]
    inlet_kind = np.where(ctx.rng.random(len(inlet_at)) < 0.6, "curb", "grate")
    has_cell = ~shapely.is_empty(cells) & (shapely.area(cells) > 100)
    impervious = (np.round(ctx.rng.uniform(55, 90, has_cell.sum()), 1) if len(corner) >= 3
                  else np.empty(0))
    mh_xy = np.concatenate([nxy[corner], shapely.get_coordinates(points_at(where, mid_ids))])
    mh_ids = np.r_[node_ids[corner], mid_ids]
    rim = ctx.dem.sample(mh_xy)
    design = _design(chains, dict(zip(mh_ids.tolist(), rim.tolist(), strict=True)),
                     node_ids[corner[has_cell]] if len(impervious) else [],
                     shapely.area(cells[has_cell]) if len(impervious) else [], impervious)
    batch = city.batches[-1]
    batch.columns["diameter_mm"] = np.array([c.diameter_mm for c in design.conduits])
    batch.columns["invert_up_m"] = np.round([c.invert_up_m for c in design.conduits], 3)
    batch.columns["invert_down_m"] = np.round([c.invert_down_m for c in design.conduits], 3)
    # A lone corner (no conduit) keeps a shallow manhole.
    mh_invert = np.array([design.node_invert_m.get(int(i), r - 1.0)
                          for i, r in zip(mh_ids, rim, strict=True)])
    invert = np.full(len(s.xy), np.nan)
    invert[corner] = mh_invert[: len(corner)]
    city.add(
        "drainage_manhole",
        shapely.points(mh_xy),
        ids=mh_ids,
        rim_elevation_m=np.round(rim, 3),
        invert_elevation_m=np.round(mh_invert, 3),
    )
    _outfalls(ctx, outlets, node_ids, nxy, invert, *_outlet_design(design, node_ids[outlets]))
    _inlets(ctx, inlet_at, inlet_kind, node_ids, nxy, invert)
    if len(impervious):
        outlet_codes = ctx.codes("drainage_manhole", node_ids[corner[has_cell]])
        city.add("drainage_catchment", cells[has_cell], outlet=outlet_codes,
                 imperviousness_pct=impervious)


def _outlet_design(design, outlet_ids) -> tuple[np.ndarray, np.ndarray]:
    """Design flow (m³/s) reaching each outlet corner and the largest pipe (mm) entering it."""
    at = {int(i): k for k, i in enumerate(outlet_ids)}
    flow = np.array([design.node_flow_m3s.get(int(i), 0.0) for i in outlet_ids])
    largest = np.zeros(len(outlet_ids))
    for c in design.conduits:
        if c.down in at:
            largest[at[c.down]] = max(largest[at[c.down]], c.diameter_mm)
    return flow, largest


def _design(chains, ground, catchment_nodes, areas, impervious):
    """The sewers of the chained conduits designed from the catchments at their corners."""
    # The pure parts of the simulation area: the demo generator touches no database.
    from twin.simulation.algorithms.drainage_design import design_sewers
    from twin.simulation.algorithms.drainage_storm import intensity_mm_h
    from twin.simulation.drainage_standards import (
        design_rules,
        idf_parameters,
        runoff_coefficient,
    )

    idf = idf_parameters()
    seg_length = shapely.length(chains.lines())
    conduits = list(zip(chains.start.tolist(), chains.end.tolist(), seg_length.tolist(),
                        strict=True))
    psi = runoff_coefficient(np.asarray(impervious, float))
    catchments = {int(n): (float(a), float(p))
                  for n, a, p in zip(catchment_nodes, areas, psi, strict=True)}
    return design_sewers(conduits, ground, catchments,
                         lambda years, minutes: intensity_mm_h(idf, years, minutes),
                         rules=design_rules())


def _box_mm(flow_m3s, largest_mm) -> np.ndarray:
    """Side (mm, whole 100 mm, at least 1,600 and the largest pipe entering) of a square box
    carrying ``flow_m3s`` full at ``BOX_SLOPE``."""
    side = (np.asarray(flow_m3s) * MANNING_N * 4 ** (2 / 3) / np.sqrt(BOX_SLOPE)) ** 0.375
    return np.maximum(np.maximum(np.ceil(side * 10) * 100, 1600), largest_mm).astype(int)


def _outfalls(ctx, outlets, node_ids, nxy, invert, flow, largest_mm) -> None:
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
    out_invert = invert[outlets] - BOX_SLOPE * length - 0.05
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
    box = _box_mm(flow, largest_mm)
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


def _inlets(ctx, at, kind, node_ids, nxy, invert) -> None:
    city = ctx.city
    xy = nxy[at] + ctx.offset([5.0, 5.0])
    inlet_invert = invert[at] + 0.6
    ids = city.add(
        "drainage_inlet",
        shapely.points(xy),
        inlet_type=kind,
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

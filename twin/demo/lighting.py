"""Street lighting: poles every 25–40 m along town streets, fed by cabinets and circuits.

Each cabinet feeds the streets nearest to it (a shortest-path forest from the
cabinets over the lit streets), so every circuit is radial; the branches
leaving a cabinet are its circuits.  Lamps are mostly LED with some sodium,
a few out of service, and the cabinets under central management report
remotely (QCVN 07-7:2023 road classes: arterials B, streets C or D).
"""

from __future__ import annotations

import numpy as np
import shapely

from .context import Context
from .geo import Points, lay_edges, segments, shortest_path_forest, spaced_points, tree_depths

__all__ = ["add_lighting"]

OFFSET = np.array([6.5, -6.5])
LIGHTS_PER_CABINET = 70
CIRCUITS = 3
LAMPS = {  # type: (share, watts on arterials, watts on streets, lumens per watt)
    "led": (0.65, 150.0, 90.0, 130.0),
    "sodium": (0.3, 250.0, 150.0, 90.0),
    "metal_halide": (0.05, 250.0, 150.0, 80.0),
}


def _lit_streets(ctx: Context):
    """Town street segments, their light spacing and count, and the cabinets' corners."""
    s = ctx.streets
    lit = np.flatnonzero(s.town[s.u] >= 0)
    lit = lit[s.town[s.v[lit]] >= 0]
    spacing = ctx.rng.uniform(25.0, 40.0, len(lit))
    count = np.maximum(np.floor(s.length[lit] / spacing).astype(int) - 1, 0)
    nodes = np.unique(np.r_[s.u[lit], s.v[lit]])
    n_cab = max(1, int(np.ceil((count.sum() + len(nodes)) / LIGHTS_PER_CABINET)))
    return lit, spacing, count, ctx.spread_nodes(nodes, n_cab, ctx.centre)


def add_lighting(ctx: Context) -> None:
    s, city = ctx.streets, ctx.city
    lit, spacing, count, roots = _lit_streets(ctx)
    _, pred, src = shortest_path_forest(len(s.xy), s.u[lit], s.v[lit], s.length[lit], roots)
    depth = tree_depths(pred, roots)
    tree = (pred[s.u[lit]] == s.v[lit]) | (pred[s.v[lit]] == s.u[lit])
    spur = ~tree & (count >= 1) & (depth[s.u[lit]] >= 0)
    spurs = (lit[spur], spacing[spur], count[spur])
    lit, spacing, count = lit[tree], spacing[tree], count[tree]
    child = np.where(pred[s.u[lit]] == s.v[lit], s.u[lit], s.v[lit])
    parent = pred[child]
    cab_ids = city.new_ids(len(roots))
    cab_index = {r: k for k, r in enumerate(roots)}
    cab_codes = np.array(ctx.codes("lighting_cabinet", cab_ids), dtype=object)
    node_cab = np.array([cab_index.get(int(r), -1) for r in src])
    circuit = np.array([f"L{b % CIRCUITS + 1}" for b in _branch_of(pred, depth)], dtype=object)
    nxy = s.xy + ctx.offset(OFFSET)
    in_tree = depth >= 0
    node_ids = np.full(len(s.xy), -1, dtype=np.int64)
    node_ids[in_tree] = city.new_ids(in_tree.sum())
    points = Points.empty()
    mid_ids, e = spaced_points(city, points, count, spacing)
    _, where = lay_edges(
        city,
        "lighting_cable",
        node_ids[parent],
        node_ids[child],
        nxy[parent],
        nxy[child],
        points,
        circuit=circuit[child],
        cross_section_mm2=16.0,
        placement="underground",
    )
    corner = np.flatnonzero(in_tree)
    light_node = np.r_[corner, child[e]]
    arterial = np.r_[np.zeros(len(corner), bool), s.road_class[lit[e]] == "arterial"]
    central = ctx.rng.random(len(roots)) < 0.45
    owner = node_cab[light_node]
    _lights(
        ctx,
        np.r_[node_ids[corner], mid_ids],
        np.concatenate([nxy[corner], np.array([where[int(i)] for i in mid_ids]).reshape(-1, 2)]),
        arterial,
        cab_codes[owner],
        circuit[light_node],
        central[owner],
    )
    _spurs(ctx, spurs, node_ids, nxy, cab_codes[node_cab], circuit, central[node_cab])
    _cabinets(ctx, roots, cab_ids, cab_codes, central, nxy, node_ids)


def _cabinets(ctx, roots, cab_ids, cab_codes, central, nxy, node_ids) -> None:
    """Cabinets beside their first corner light, each a power customer."""
    city, rng = ctx.city, ctx.rng
    cab_xy = nxy[roots] + ctx.offset([3.0, 3.0])
    customers = [ctx.request_power(xy + 2.0, c) for xy, c in zip(cab_xy, cab_codes, strict=True)]
    control = np.where(
        central, "central", np.where(rng.random(len(roots)) < 0.5, "photocell", "clock")
    )
    city.add(
        "lighting_cabinet",
        shapely.points(cab_xy),
        ids=cab_ids,
        circuits=CIRCUITS,
        control=control,
        remote_managed=central,
        power_customer=ctx.codes("power_customer", customers),
    )
    city.add(
        "lighting_cable",
        segments(cab_xy, nxy[roots]),
        start_node=cab_ids,
        end_node=node_ids[roots],
        circuit="L1",
        cross_section_mm2=25.0,
        placement="underground",
    )


def _spurs(ctx, spurs, node_ids, nxy, cabinet, circuit, central) -> None:
    """Lights on streets outside the cabinets' trees, cabled as dead ends from one corner."""
    s, city = ctx.streets, ctx.city
    edges, spacing, count = spurs
    u, v = s.u[edges], s.v[edges]
    step = (nxy[v] - nxy[u]) / s.length[edges][:, None] * spacing[:, None]
    last_xy = nxy[u] + step * count[:, None]
    last_ids = city.new_ids(len(edges))
    points = Points.empty()
    mid_ids, e = spaced_points(city, points, np.maximum(count - 1, 0), spacing)
    _, where = lay_edges(
        city,
        "lighting_cable",
        node_ids[u],
        last_ids,
        nxy[u],
        last_xy,
        points,
        circuit=circuit[u],
        cross_section_mm2=10.0,
        placement="underground",
    )
    mid_xy = np.array([where[int(i)] for i in mid_ids]).reshape(-1, 2)
    owner = np.r_[u, u[e]]
    arterial = s.road_class[np.r_[edges, edges[e]]] == "arterial"
    _lights(
        ctx,
        np.r_[last_ids, mid_ids],
        np.concatenate([last_xy, mid_xy]),
        arterial,
        cabinet[owner],
        circuit[owner],
        central[owner],
    )


def _branch_of(pred, depth) -> np.ndarray:
    """Index of the branch leaving the root that each node hangs from (0 at roots)."""
    branch = np.zeros(len(pred), dtype=np.int64)
    heads = np.flatnonzero(depth == 1)
    counter = {}
    for h in heads:
        r = int(pred[h])
        branch[h] = counter.get(r, 0)
        counter[r] = branch[h] + 1
    for level in range(2, int(depth.max()) + 1):
        at = np.flatnonzero(depth == level)
        branch[at] = branch[pred[at]]
    return branch


def _lights(ctx, ids, xy, arterial, cabinet, circuit, central) -> None:
    rng = ctx.rng
    n = len(ids)
    kinds = list(LAMPS)
    lamp = rng.choice(kinds, n, p=[LAMPS[k][0] for k in kinds])
    watts = np.array(
        [LAMPS[k][1] if a else LAMPS[k][2] for k, a in zip(lamp, arterial, strict=True)]
    )
    efficacy = np.array([LAMPS[k][3] for k in lamp])
    status = np.where(rng.random(n) < 0.04, "out_of_service", "in_service")
    ctx.city.add(
        "lighting_light",
        shapely.points(xy),
        ids=ids,
        lamp_type=lamp,
        wattage_w=watts,
        lumens=watts * efficacy,
        colour_temperature_k=np.where(lamp == "led", 4000, 2000),
        height_m=np.where(arterial, 10.0, 8.0),
        arm_length_m=1.5,
        cabinet=cabinet,
        circuit=circuit,
        road_class=np.where(arterial, "B", np.where(rng.random(n) < 0.5, "C", "D")),
        remote_managed=central & (lamp == "led"),
        install_year=rng.integers(2005, 2025, n),
        status=status,
    )

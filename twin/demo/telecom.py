"""Telecom: POPs, a fiber backbone to some villages (not all), cabinets, ducts, poles.

The backbone is the union of shortest street paths from the POPs to the
villages already served; its branch points are powered street cabinets and
its ends are village access nodes.  About half the villages are left
unserved, so the fiber planner has work to do.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

from .context import Context
from .geo import shortest_path_forest

__all__ = ["add_telecom"]

OFFSET = np.array([2.0, -2.0])
OPERATOR = "VNPT Bắc Giang"


def _targets(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """Street nodes with an access node, and the village each one serves."""
    s, v, rng = ctx.streets, ctx.villages, ctx.rng
    village_node = np.full(len(v.xy), -1)
    rural = s.village >= 0
    village_node[s.village[rural]] = np.flatnonzero(rural)
    town_nodes = np.flatnonzero(s.town >= 0)
    missing = village_node < 0
    if missing.any() and len(town_nodes):
        near = cKDTree(s.xy[town_nodes]).query(v.xy[missing])[1]
        village_node[missing] = town_nodes[near]
    share = np.where(village_node >= 0, np.where(rural[np.maximum(village_node, 0)], 0.45, 0.7), 0)
    served = (rng.random(len(v.xy)) < share) & (village_node >= 0)
    served_v = np.flatnonzero(served)
    nodes, first = np.unique(village_node[served_v], return_index=True)
    return nodes, served_v[first]


def _route(pred: np.ndarray, targets: np.ndarray) -> set[tuple[int, int]]:
    """Edges (child, parent) of the union of paths from ``targets`` up their tree."""
    edges, current = set(), set(int(t) for t in targets)
    while current:
        nxt = set()
        for node in current:
            parent = int(pred[node])
            if parent >= 0 and (node, parent) not in edges:
                edges.add((node, parent))
                nxt.add(parent)
        current = nxt
    return edges


def add_telecom(ctx: Context) -> np.ndarray:
    """Add the telecom layer; returns the fiber share of households per village."""
    s, city, rng = ctx.streets, ctx.city, ctx.rng
    pops = []
    for t in range(len(ctx.towns)):
        nodes = np.flatnonzero((s.town == t) & (s.degree >= 3))
        if len(nodes):
            want = 1 if t or ctx.scale.name == "small" else 2
            pops += ctx.spread_nodes(nodes, want, np.asarray(ctx.towns[t][0]) - 250)
    _, pred, _ = shortest_path_forest(len(s.xy), s.u, s.v, s.length, pops)
    targets, served_village = _targets(ctx)
    not_pop = ~np.isin(targets, pops)
    targets, served_village = targets[not_pop], served_village[not_pop]
    route = _route(pred, targets)
    down = np.zeros(len(s.xy), int)
    for _, parent in route:
        down[parent] += 1
    target_set = set(targets.tolist())
    first_hops = {c for c, p in route if p in pops}
    kept = set(pops) | target_set | first_hops | {p for p in range(len(s.xy)) if down[p] >= 2}
    kept &= {n for e in route for n in e} | set(pops)
    nxy = s.xy + ctx.offset(OFFSET)
    node_ids = {n: int(i) for n, i in zip(sorted(kept), city.new_ids(len(kept)), strict=True)}
    pop_list = [n for n in sorted(kept) if n in pops]
    city.add(
        "telecom_pop",
        shapely.points(nxy[pop_list]),
        ids=[node_ids[n] for n in pop_list],
        name=[
            f"POP {ctx.town_names[s.town[n]].split()[-1]} {k + 1}" for k, n in enumerate(pop_list)
        ],
        owner_operator=OPERATOR,
    )
    _access_nodes(ctx, targets, served_village, node_ids, nxy)
    _cabinets(ctx, sorted(kept - set(pops) - target_set), node_ids, nxy)
    _cables(ctx, route, kept, pred, node_ids, nxy, down)
    _ducts_and_poles(ctx, route, nxy)
    _backbone(ctx, pops, node_ids, nxy)
    share = np.zeros(len(ctx.villages.xy))
    share[served_village] = rng.uniform(0.3, 0.85, len(served_village))
    return share


def _access_nodes(ctx, targets, served_village, node_ids, nxy) -> None:
    codes = ctx.codes("base_village", ctx.village_ids[served_village])
    hh = ctx.village_households[served_village]
    ctx.city.add(
        "telecom_access_node",
        shapely.points(nxy[targets].reshape(-1, 2)),
        ids=[node_ids[int(n)] for n in targets],
        village=codes,
        ports=np.where(hh > 150, 32, 16),
        households=hh,
    )


def _cabinets(ctx, nodes, node_ids, nxy) -> None:
    ids = [node_ids[n] for n in nodes]
    customers = [
        ctx.request_power(nxy[n] + 3.0, code)
        for n, code in zip(nodes, ctx.codes("telecom_cabinet", ids), strict=True)
    ]
    ctx.city.add(
        "telecom_cabinet",
        shapely.points(nxy[nodes].reshape(-1, 2)),
        ids=ids,
        cabinet_type=np.where(ctx.rng.random(len(ids)) < 0.8, "cabinet", "splitter"),
        ports=48,
        power_customer=ctx.codes("power_customer", customers),
    )


def _cables(ctx, route, kept, pred, node_ids, nxy, down) -> None:
    """One cable from each kept node up to the next kept node towards its POP."""
    s, rng = ctx.streets, ctx.rng
    on_route = {c for c, _ in route}
    lines, starts, ends, counts, placement = [], [], [], [], []
    for n in sorted(kept & on_route):
        path = [n]
        while True:
            path.append(int(pred[path[-1]]))
            if path[-1] in kept:
                break
        path.reverse()
        lines.append(nxy[path])
        starts.append(node_ids[path[0]])
        ends.append(node_ids[n])
        counts.append(96 if pred[path[0]] < 0 else (48 if down[n] >= 2 else 24))
        placement.append("duct" if (s.town[path] >= 0).all() else "overhead")
    counts = np.array(counts, dtype=int)
    ctx.city.add(
        "telecom_cable",
        [shapely.LineString(line) for line in lines],
        start_node=starts,
        end_node=ends,
        fiber_count=counts,
        fibers_used=(counts * rng.uniform(0.1, 0.6, len(counts))).astype(int),
        placement=placement,
        owner_operator=OPERATOR,
        install_year=rng.integers(2008, 2025, len(counts)),
    )


def _ducts_and_poles(ctx, route, nxy) -> None:
    s, rng, city = ctx.streets, ctx.rng, ctx.city
    arterial = np.flatnonzero((s.road_class == "arterial") & ~s.bridge)
    ways = rng.choice([4, 6, 8], len(arterial))
    city.add(
        "telecom_duct",
        shapely.linestrings(np.stack([nxy[s.u[arterial]], nxy[s.v[arterial]]], axis=1)),
        ways=ways,
        ways_free=(ways * rng.uniform(0, 0.7, len(ways))).astype(int),
        diameter_mm=110,
        owner_operator=OPERATOR,
    )
    # Overhead stretches (everything but the ducted arterials) hang on poles.
    cls = {(min(a, b), max(a, b)): c for a, b, c in zip(s.u, s.v, s.road_class, strict=True)}
    rural = np.array(
        [(c, p) for c, p in sorted(route) if cls[(min(c, p), max(c, p))] != "arterial"],
        dtype=np.int64,
    ).reshape(-1, 2)
    if not len(rural):
        return
    a, b = nxy[rural[:, 0]], nxy[rural[:, 1]]
    length = np.hypot(*(b - a).T)
    count = np.maximum((length // 50).astype(int) - 1, 0)
    e = np.repeat(np.arange(len(rural)), count)
    frac = (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + 1) * 50
    frac = frac / length[e]
    xy = a[e] + (b[e] - a[e]) * frac[:, None] + ctx.offset([0.8, 0.8])
    city.add("telecom_pole", shapely.points(xy), height_m=7.5, owner_operator=OPERATOR)


def _backbone(ctx, pops: list[int], node_ids: dict, nxy) -> None:
    """Trunk cables joining each POP to the nearest POP before it, along the streets."""
    s = ctx.streets
    lines, starts, ends = [], [], []
    for k in range(1, len(pops)):
        _, pred, _ = shortest_path_forest(len(s.xy), s.u, s.v, s.length, pops[:k])
        path = [pops[k]]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        lines.append(shapely.LineString(nxy[path[::-1]]))
        starts.append(node_ids[path[-1]])
        ends.append(node_ids[pops[k]])
    ctx.city.add(
        "telecom_cable",
        lines,
        start_node=starts,
        end_node=ends,
        fiber_count=144,
        fibers_used=48,
        placement="duct",
        owner_operator=OPERATOR,
        install_year=2010,
    )

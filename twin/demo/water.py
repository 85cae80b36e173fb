"""Water supply: plants and tanks feeding looped town mains and branched rural pipes.

Pipes follow the streets at a fixed offset.  Every street corner is a
junction; isolation valves sit 2–3 m from a junction on the pipes leaving it
(every main, about half of the distribution pipes), a few of them not
operable, and valves on town pipes between two pressure zones are normally
closed (on a rural branch such a valve stays open: the branch has no other way in).
Hydrants stand on town distribution pipes, a booster pump station on a main
(where that main crosses into another pressure zone, the pump is the
crossing: the valve beside it stays open); each building is served by a
service pipe from a tee on the pipe in front of it.
"""

from __future__ import annotations

import numpy as np
import shapely

from .context import Context
from .geo import Points, lay_edges, points_at, segments, shortest_path_forest
from .water_rural import rural_diameters, rural_stations

__all__ = ["add_water"]

OFFSET = np.array([3.5, 3.5])
MATERIAL = {"main": "ductile_iron", "street": "hdpe", "rural": "hdpe"}
DIAMETER = {"main": 300, "street": 110, "rural": 90}
#: Share of town street pipes laid at 160 mm instead of 110: with fewer, the
#: city's east zone (fed by its tank and the booster) fell below the 10 m
#: service minimum at the morning peak.
STREET_160_SHARE = 0.5


def _sources(ctx: Context) -> list[int]:
    """The street node nearest the river (upstream side) in each town: the plant sites."""
    s = ctx.streets
    out = []
    for t in range(len(ctx.towns)):
        nodes = np.flatnonzero(s.town == t)
        if not len(nodes):
            continue
        if ctx.river is not None:
            far = shapely.distance(shapely.points(s.xy[nodes]), ctx.river)
            far += 0.3 * np.abs(s.xy[nodes, 1] - s.xy[nodes, 1].max())
        else:
            far = np.hypot(*(s.xy[nodes] - ctx.towns[t][0]).T)
        out.append(int(nodes[np.argmin(far)]))
    return out


def _water_edges(ctx: Context, sources: list[int]):
    """Every town edge (looped) and the rural edges of a forest from the plants."""
    s = ctx.streets
    rural = s.road_class == "rural"
    dist, pred, src = shortest_path_forest(len(s.xy), s.u, s.v, s.length, sources)
    in_tree = (pred[s.u] == s.v) | (pred[s.v] == s.u)
    use = ~rural | in_tree
    ctx.shared["water_tree"] = (dist, pred)
    return np.flatnonzero(use), src, pred


def _zones(ctx: Context, src: np.ndarray) -> np.ndarray:
    s = ctx.streets
    axis0 = ctx.offset([1.0, 0.0])
    along = (s.xy - ctx.centre) @ axis0
    zone = np.array([f"BG-{t + 1}" for t in np.maximum(src, 0)], dtype=object)
    east = (s.town == 0) & (along > 0.25 * ctx.scale.core_half_m)
    zone[east] = "BG-1B"
    return zone


def add_water(ctx: Context) -> None:
    s, city, rng = ctx.streets, ctx.city, ctx.rng
    sources = _sources(ctx)
    edges, src, _ = _water_edges(ctx, sources)
    node_ids = np.full(len(s.xy), -1, dtype=np.int64)
    used_nodes = np.unique(np.r_[s.u[edges], s.v[edges]])
    node_ids[used_nodes] = city.new_ids(len(used_nodes))
    off = ctx.offset(OFFSET)
    nxy = s.xy + off
    elevation = ctx.dem.sample(nxy)
    city.add(
        "water_junction",
        shapely.points(nxy[used_nodes]),
        ids=node_ids[used_nodes],
        elevation_m=np.round(elevation[used_nodes], 2),
    )
    u, v = s.u[edges], s.v[edges]
    length = s.length[edges]
    cls = s.road_class[edges]
    kind = np.where(cls == "arterial", "main", np.where(cls == "rural", "rural", "street"))
    degree = np.bincount(np.r_[u, v], minlength=len(s.xy))
    zone = _zones(ctx, src)
    points = Points.empty()
    _valves(ctx, points, u, v, length, kind, degree, zone)
    _hydrants(ctx, points, length, kind)
    _pump_station(ctx, points, length, kind, edges, (zone[u], zone[v]))
    tees = _service_connections(ctx, points, edges, off)
    years = rng.integers(1995, 2024, len(edges))
    material = np.array([MATERIAL[k] for k in kind], dtype=object)
    material[(kind == "main") & (years < 2002)] = "cast_iron"
    diameter = np.array([DIAMETER[k] for k in kind])
    diameter[(kind == "street") & (rng.random(len(kind)) < STREET_160_SHARE)] = 160
    rural = kind == "rural"
    diameter[rural] = rural_diameters(ctx, edges)[rural]
    ctx.shared["water_diameter"] = diameter
    pipe_zone = np.where(zone[u] == zone[v], zone[u], zone[u])
    chains, where = lay_edges(
        city,
        "water_pipe",
        node_ids[u],
        node_ids[v],
        nxy[u],
        nxy[v],
        points,
        diameter_mm=diameter,
        material=material,
        install_year=years,
        pressure_zone=pipe_zone,
        roughness=np.where(material == "hdpe", 140.0, 110.0),
        depth_m=np.where(kind == "main", 1.2, 0.9),
    )
    _interior_nodes(ctx, where)
    _service_pipes(ctx, tees, where)
    _plants_and_tanks(ctx, sources, node_ids, nxy)
    rural_stations(ctx, edges, kind, node_ids, nxy)


def _valves(ctx, points: Points, u, v, length, kind, degree, zone) -> None:
    rng, city = ctx.rng, ctx.city
    share = np.where(kind == "main", 1.0, np.where(kind == "rural", 0.8, 0.5))
    ok = length > 40
    at_start = ok & (degree[u] >= 3) & (rng.random(len(u)) < share)
    at_end = ok & (degree[v] >= 3) & (rng.random(len(u)) < share)
    boundary = ok & (zone[u] != zone[v])
    e = np.r_[np.flatnonzero(at_start), np.flatnonzero(at_end), np.flatnonzero(boundary)]
    gap = rng.uniform(2.0, 3.0, len(e))
    n1, n2 = at_start.sum(), at_end.sum()
    dist = np.r_[gap[:n1], length[e[n1 : n1 + n2]] - gap[n1 : n1 + n2], 5.0 + gap[n1 + n2 :]]
    # A closed valve on a rural branch would cut off the whole branch behind it.
    closed = np.r_[np.zeros(n1 + n2, bool), kind[e[n1 + n2 :]] != "rural"]
    ids = city.new_ids(len(e))
    points.add(e, dist, ids)
    ctx.shared["water_valves"] = (ids, e, dist)
    diameter = np.where(kind[e] == "main", 300, np.where(kind[e] == "rural", 90, 110))
    ctx.shared["water_valve_attrs"] = {
        "valve_type": np.where(diameter >= 300, "butterfly", "gate").astype(object),
        "normal_state": np.where(closed, "closed", "open").astype(object),
        "operable": rng.random(len(e)) > 0.07,
        "diameter_mm": diameter,
    }


def _hydrants(ctx, points: Points, length, kind) -> None:
    e = np.flatnonzero((kind == "street") & (length > 60))[::3]
    ids = ctx.city.new_ids(len(e))
    points.add(e, np.full(len(e), 9.0), ids)
    ctx.shared["water_hydrants"] = ids


def _pump_station(ctx, points: Points, length, kind, edges, zones) -> None:
    """The booster on the main nearest the centre that leads from the plant's zone
    into the zone it alone feeds (BG-1B has no plant), else on the nearest main."""
    mains = np.flatnonzero((kind == "main") & (length > 60))
    into = mains[(zones[0][mains] != "BG-1B") & (zones[1][mains] == "BG-1B")]
    if len(into):
        mains = into
    if not len(mains):
        mains = np.flatnonzero(length > 60)
    xy = ctx.streets.xy[ctx.streets.u[edges[mains]]]
    e = mains[np.argsort(np.hypot(*(xy - ctx.centre).T))[:1]]
    ids = ctx.city.new_ids(len(e))
    points.add(e, np.full(len(e), 17.0), ids)
    ctx.shared["water_pumps"] = ids
    # A zone-boundary valve on the pump's own main would shut the pump's
    # suction: the pump station is where water crosses into the next zone.
    _, valve_edges, _ = ctx.shared["water_valves"]
    state = ctx.shared["water_valve_attrs"]["normal_state"]
    state[np.isin(valve_edges, e)] = "open"


def _service_connections(ctx, points: Points, edges, off):
    """One tee per building position on a water edge; returns (tee id per building, mask)."""
    b = ctx.buildings
    pos = {int(e): k for k, e in enumerate(edges)}
    local = np.array([pos.get(int(e), -1) for e in b.edge])
    served = local >= 0
    key = local[served] * 100_000 + np.round(b.dist[served]).astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    ids = ctx.city.new_ids(len(uniq))
    points.add(uniq // 100_000, (uniq % 100_000).astype(float), ids)
    tee = np.full(len(b), -1, dtype=np.int64)
    tee[served] = ids[inverse]
    ctx.shared["water_tees"] = ids
    return tee


def _interior_nodes(ctx, where: dict) -> None:
    city, sh, rng = ctx.city, ctx.shared, ctx.rng
    ids = sh["water_valves"][0]
    city.add("water_valve", points_at(where, ids), ids=ids, **sh["water_valve_attrs"])
    ids = sh["water_hydrants"]
    city.add(
        "water_hydrant",
        points_at(where, ids),
        ids=ids,
        hydrant_type=np.where(rng.random(len(ids)) < 0.7, "pillar", "underground"),
        diameter_mm=100,
    )
    ids = sh["water_tees"]
    tee_xy = np.array([where[int(i)] for i in ids]).reshape(-1, 2)
    city.add(
        "water_junction",
        shapely.points(tee_xy),
        ids=ids,
        elevation_m=np.round(ctx.dem.sample(tee_xy), 2),
    )
    ids = sh["water_pumps"]
    pumps = city.add(
        "water_pump_station",
        points_at(where, ids),
        ids=ids,
        name=[f"Trạm bơm tăng áp {k + 1}" for k in range(len(ids))],
        capacity_m3h=1200.0,
        power_kw=45.0,  # about 10 m of head at 1,200 m³/h: a booster between zones
    )
    for pid, code in zip(pumps, ctx.codes("water_pump_station", pumps), strict=True):
        ctx.request_power(np.asarray(where[int(pid)]) + np.array([6.0, -6.0]), code)


def _service_pipes(ctx, tee: np.ndarray, where: dict) -> None:
    b, city, rng = ctx.buildings, ctx.city, ctx.rng
    served = np.flatnonzero(tee >= 0)
    cat, extra = ctx.building_categories()
    ids = city.new_ids(len(served))
    meter_xy = b.front[served]
    city.add(
        "water_service_connection",
        shapely.points(meter_xy),
        ids=ids,
        customer_category=cat[served],
        households=b.households[served],
        meter_id=[f"BG{int(i):08d}" for i in ids],
        address=[ctx.building_address[i] for i in served],
        extra=[extra[i] or {} for i in served],
    )
    tee_xy = np.array([where[int(t)] for t in tee[served]]).reshape(-1, 2)
    city.add(
        "water_pipe",
        segments(tee_xy, meter_xy),
        start_node=tee[served],
        end_node=ids,
        diameter_mm=np.where(b.households[served] > 4, 50, 25),
        material="hdpe",
        install_year=rng.integers(2000, 2025, len(served)),
        depth_m=0.6,
    )
    ctx.shared["water_service_ids"] = dict(zip(served.tolist(), ids.tolist(), strict=True))


def _source_sites(ctx, sources, nxy):
    """Per town: the plant beside its source corner towards the river, the far corner's tank."""
    s = ctx.streets
    plant_xy, tank_xy, far_nodes = [], [], []
    for t, node in enumerate(sources):
        if ctx.river is None:
            towards = np.array([-1.0, 1.0])
        else:
            line = shapely.shortest_line(shapely.Point(nxy[node]), ctx.river)
            towards = shapely.get_coordinates(line)[1] - nxy[node]
        reach = np.hypot(*towards)
        plant_xy.append(nxy[node] + towards / max(reach, 1e-9) * min(45.0, reach * 0.5))
        nodes = np.flatnonzero(s.town == t)
        far = nodes[np.argmax(np.hypot(*(s.xy[nodes] - s.xy[node]).T))]
        tank_xy.append(nxy[far] + np.array([18.0, -12.0]))
        far_nodes.append(far)
    return np.array(plant_xy), np.array(tank_xy), np.array(far_nodes, dtype=np.int64)


def _plants_and_tanks(ctx, sources, node_ids, nxy) -> None:
    city = ctx.city
    plant_xy, tank_xy, far = _source_sites(ctx, sources, nxy)
    near = np.asarray(sources, dtype=np.int64)
    names = [
        f"Nhà máy nước {n.replace('Huyện ', '').replace('Thành phố ', '')}"
        for n in ctx.town_names[: len(sources)]
    ]
    plants = city.add(
        "water_treatment_plant",
        shapely.points(plant_xy),
        name=names,
        capacity_m3d=[60000.0] + [8000.0] * (len(sources) - 1),
    )
    tanks = city.add(
        "water_tank",
        shapely.points(tank_xy),
        name=[f"Đài nước {k + 1}" for k in range(len(tank_xy))],
        tank_kind="tank",
        capacity_m3=2000.0,
        base_elevation_m=np.round(ctx.dem.sample(tank_xy) + 25.0, 2),
    )
    main = {"material": "ductile_iron", "roughness": 120.0}
    city.add(
        "water_pipe",
        segments(plant_xy, nxy[near]),
        start_node=plants,
        end_node=node_ids[near],
        diameter_mm=400,
        install_year=2005,
        pressure_zone="BG-1",
        depth_m=1.5,
        **main,
    )
    city.add(
        "water_pipe",
        segments(tank_xy, nxy[far]),
        start_node=tanks,
        end_node=node_ids[far],
        diameter_mm=300,
        install_year=2010,
        depth_m=1.2,
        **main,
    )
    for xy, code in zip(plant_xy, ctx.codes("water_treatment_plant", plants), strict=True):
        ctx.request_power(xy + np.array([10.0, 10.0]), code)

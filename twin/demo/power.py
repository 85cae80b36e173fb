"""Power: 110/22 kV substations, radial 22 kV feeders, transformers and customers.

Feeders are the branches of a shortest-path forest of the street graph grown
from the substations: every branch leaving a substation is one feeder, with a
breaker at its head, so each feeder is radial by construction.  Street
segments joining two different feeders carry a normally-open tie switch.
Load-break switches and reclosers sectionalise long feeders; transformers
hang off poles and feed their nearest customers by 0.4 kV lines, through
an LV breaker and a fuse per outgoing circuit (the customers in one
quarter around the transformer), so an LV fault blows only its fuse.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

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
from .records import codes_of

__all__ = ["add_power"]

OFFSET = np.array([-4.5, -4.5])
LV_KV = 0.4
#: Outgoing 0.4 kV circuits of a transformer at most: one per quarter around it.
LV_CIRCUITS = 4
SUBSTATION_NAMES = ("E7.1 Bắc Giang", "E7.5 Xương Giang", "E7.6 Dĩnh Trì", "E7.9 Song Khê")


def _substation_nodes(ctx: Context) -> list[int]:
    """Substation sites: spread over the main town, one in each other town."""
    s = ctx.streets
    picked = []
    for t in range(len(ctx.towns)):
        nodes = np.flatnonzero((s.town == t) & (s.degree >= 3))
        if len(nodes):
            want = ctx.scale.substations if t == 0 else 1
            picked += ctx.spread_nodes(nodes, want, np.asarray(ctx.towns[t][0]) + 300)
    return picked


def _feeders(pred, depth, roots):
    """Feeder index of every node: one per branch leaving a root (-1: no feeder)."""
    feeder = np.full(len(pred), -1)
    heads = np.flatnonzero(depth == 1)
    feeder[heads] = np.arange(len(heads))
    for level in range(2, int(depth.max()) + 1):
        at = np.flatnonzero(depth == level)
        feeder[at] = feeder[pred[at]]
    return feeder, heads


def _feeder_names(roots, heads, src) -> np.ndarray:
    """``<bay> <substation>`` per feeder (bays 471, 472 ... per substation), then None."""
    sub_index = {r: k for k, r in enumerate(roots)}
    head_no: dict[int, int] = {}
    names = []
    for h in heads:
        r = int(src[h])
        head_no[r] = head_no.get(r, 0) + 1
        names.append(f"{470 + head_no[r]} {SUBSTATION_NAMES[sub_index[r] % len(SUBSTATION_NAMES)]}")
    return np.array(names + [None], dtype=object)


def _substations_and_poles(ctx, roots, in_tree, node_ids, nxy) -> np.ndarray:
    """Substations at the roots, poles at every other street corner of the forest."""
    city = ctx.city
    city.add(
        "power_substation",
        shapely.points(nxy[roots]),
        ids=node_ids[roots],
        name=[SUBSTATION_NAMES[k % len(SUBSTATION_NAMES)] for k in range(len(roots))],
        primary_kv=110.0,
        secondary_kv=22.0,
        capacity_mva=np.where(np.arange(len(roots)) == 0, 80.0, 63.0),
    )
    is_root = np.zeros(len(nxy), bool)
    is_root[roots] = True
    poles = np.flatnonzero(in_tree & ~is_root)
    city.add(
        "power_pole",
        shapely.points(nxy[poles]),
        ids=node_ids[poles],
        height_m=12.0,
        material="concrete",
    )
    return poles


def add_power(ctx: Context) -> None:
    s, city = ctx.streets, ctx.city
    roots = _substation_nodes(ctx)
    _, pred, src = shortest_path_forest(len(s.xy), s.u, s.v, s.length, roots)
    depth = tree_depths(pred, roots)
    feeder, heads = _feeders(pred, depth, roots)
    names = _feeder_names(roots, heads, src)
    nxy = s.xy + ctx.offset(OFFSET)
    in_tree = depth >= 0
    node_ids = np.full(len(s.xy), -1, dtype=np.int64)
    node_ids[in_tree] = city.new_ids(in_tree.sum())
    poles = _substations_and_poles(ctx, roots, in_tree, node_ids, nxy)
    tree_edges = np.flatnonzero((pred[s.u] == s.v) | (pred[s.v] == s.u))
    child = np.where(pred[s.u[tree_edges]] == s.v[tree_edges], s.u[tree_edges], s.v[tree_edges])
    parent = pred[child]
    points = Points.empty()
    sw_ids, sw_cols = _switches(ctx, points, tree_edges, child, parent, depth, feeder, names, pred)
    cls = s.road_class[tree_edges]
    spacing = np.where(cls == "rural", 80.0, 45.0)
    count = np.maximum(np.ceil((s.length[tree_edges] - 10) / spacing).astype(int) - 1, 0)
    pole_ids, _ = spaced_points(city, points, count, spacing)
    _, where = lay_edges(
        city,
        "power_line",
        node_ids[parent],
        node_ids[child],
        nxy[parent],
        nxy[child],
        points,
        voltage_kv=22.0,
        feeder=names[feeder[child]],
        placement=np.where(cls == "arterial", "underground", "overhead"),
        conductor=_conductors(cls, subtree_sizes(pred, depth)[child]),
        install_year=ctx.rng.integers(1998, 2024, len(tree_edges)),
    )
    city.add(
        "power_pole", points_at(where, pole_ids), ids=pole_ids, height_m=12.0, material="concrete"
    )
    city.add("power_switch", points_at(where, sw_ids), ids=sw_ids, **sw_cols)
    _ties(ctx, pred, feeder, names, node_ids, nxy)
    _transformers_and_customers(ctx, poles, node_ids, nxy, feeder, names)


#: Street corners fed through a 22 kV section from which it takes the larger conductor.
TRUNK_NODES = (80, 400)


def _conductors(road_class, fed_nodes) -> np.ndarray:
    """22 kV conductor of each section, sized for what it feeds: copper XLPE cable under
    arterial roads; overhead AC-240 on trunks, ACSR-150 on branches of the town, AC-70
    on rural spurs (each section carries the load of the street corners beyond it)."""
    overhead = np.where(fed_nodes >= TRUNK_NODES[1], "AC-240", np.where(
        (fed_nodes >= TRUNK_NODES[0]) | (road_class != "rural"), "ACSR-150", "AC-70"))
    return np.where(road_class == "arterial", "CXV-240", overhead)


def _switches(ctx, points: Points, tree_edges, child, parent, depth, feeder, names, pred):
    """Breakers at feeder heads; load-break switches and reclosers mid-feeder."""
    rng = ctx.rng
    head = depth[child] == 1
    size = subtree_sizes(pred, depth)
    feeder_size = np.zeros(feeder.max() + 2)
    np.add.at(feeder_size, feeder[feeder >= 0], 1)
    share = size[child] / np.maximum(feeder_size[feeder[child]], 1)
    long_enough = ctx.streets.length[tree_edges] > 60
    mid = ~head & (depth[child] >= 3) & (share > 0.2) & (share < 0.6) & long_enough
    mid &= rng.random(len(child)) < 0.5
    e = np.r_[np.flatnonzero(head), np.flatnonzero(mid)]
    ids = ctx.city.new_ids(len(e))
    points.add(e, np.r_[np.full(head.sum(), 12.0), np.full(mid.sum(), 20.0)], ids)
    kinds = np.r_[
        np.full(head.sum(), "breaker", dtype=object),
        np.where(rng.random(mid.sum()) < 0.4, "recloser", "load_break_switch"),
    ]
    cols = {
        "device_type": kinds,
        "normal_state": "closed",
        "operable": np.r_[np.ones(head.sum(), bool), rng.random(mid.sum()) > 0.1],
        "feeder": names[feeder[child[e]]],
    }
    return ids, cols


def _ties(ctx, pred, feeder, names, node_ids, nxy) -> None:
    """One normally-open tie switch per pair of neighbouring feeders."""
    s, city = ctx.streets, ctx.city
    tree = (pred[s.u] == s.v) | (pred[s.v] == s.u)
    fu, fv = feeder[s.u], feeder[s.v]
    cand = np.flatnonzero(~tree & (fu >= 0) & (fv >= 0) & (fu != fv) & (s.length > 30))
    seen, chosen = set(), []
    for e in cand:
        pair = (min(fu[e], fv[e]), max(fu[e], fv[e]))
        if pair not in seen:
            seen.add(pair)
            chosen.append(e)
    chosen = np.array(chosen, dtype=np.int64)
    a, b = s.u[chosen], s.v[chosen]
    mid = (nxy[a] + nxy[b]) / 2
    ids = city.new_ids(len(chosen))
    city.add(
        "power_switch",
        shapely.points(mid),
        ids=ids,
        device_type="load_break_switch",
        normal_state="open",
        operable=True,
        feeder=names[fu[chosen]],
    )
    for ends, fe in ((a, fu[chosen]), (b, fv[chosen])):
        city.add(
            "power_line",
            segments(nxy[ends], mid),
            start_node=node_ids[ends],
            end_node=ids,
            voltage_kv=22.0,
            feeder=names[fe],
            placement="overhead",
            conductor="ACSR-150",
        )
    ctx.shared["power_ties"] = ids


#: Standard ratings of 22/0.4 kV distribution transformers, kVA.
RATINGS_KVA = np.array([160.0, 250.0, 400.0, 560.0, 630.0, 1000.0])


#: Peak demand a transformer is sized for per connection of each non-residential
#: category, kVA (of the order of the load table of the simulation).
CONNECTION_KVA = {"commercial": 10.0, "institutional": 30.0, "hospital": 120.0,
                  "industrial": 70.0, "utility": 55.0}


def _ratings(households, connections_kva, in_town) -> np.ndarray:
    """The smallest standard rating that carries a transformer's customers at the peak
    with a quarter in reserve (1.5 kVA per household, :data:`CONNECTION_KVA` per other
    connection); at least 400 kVA in town and 160 kVA in villages."""
    need = 1.25 * (1.5 * households + connections_kva)
    need = np.maximum(need, np.where(in_town, 400.0, 160.0))
    at = np.minimum(np.searchsorted(RATINGS_KVA, need), len(RATINGS_KVA) - 1)
    return RATINGS_KVA[at]


def _transformers_and_customers(ctx, poles, node_ids, nxy, feeder, names) -> None:
    s, b, city, rng = ctx.streets, ctx.buildings, ctx.city, ctx.rng
    pick = poles[(s.village[poles] >= 0) | ((s.town[poles] >= 0) & (rng.random(len(poles)) < 0.8))]
    tx_xy = nxy[pick] + ctx.offset([7.0, -7.0])
    tx = city.new_ids(len(pick))
    city.add(
        "power_line",
        segments(nxy[pick], tx_xy),
        start_node=node_ids[pick],
        end_node=tx,
        voltage_kv=22.0,
        feeder=names[feeder[pick]],
        placement="overhead",
        conductor="AC-50",
    )
    cat, _ = ctx.building_categories()
    households = np.r_[b.households, np.zeros(len(ctx.power_requests), int)]
    req = ctx.power_requests
    cust_xy = np.concatenate(
        [
            shapely.get_coordinates(shapely.centroid(b.polygons)),
            np.array([r["xy"] for r in req]).reshape(-1, 2),
        ]
    )
    cust_ids = np.r_[city.new_ids(len(b)), np.array([r["id"] for r in req], dtype=np.int64)]
    categories = np.r_[cat, [r["category"] for r in req]]
    city.add(
        "power_customer",
        shapely.points(cust_xy),
        ids=cust_ids,
        customer_category=categories,
        households=households,
        supplies=[None] * len(b) + [r["supplies"] for r in req],
        address=list(ctx.building_address) + [None] * len(req),
    )
    nearest = cKDTree(tx_xy).query(cust_xy)[1]
    city.add(
        "power_transformer",
        shapely.points(tx_xy),
        ids=tx,
        rating_kva=_ratings(
            np.bincount(nearest, households, len(pick)),
            np.bincount(nearest, [CONNECTION_KVA.get(c, 0.0) for c in categories], len(pick)),
            s.town[pick] >= 0,
        ),
        voltage_kv=22.0,
        feeder=names[feeder[pick]],
    )
    fuse, fuse_xy = _lv_protection(ctx, tx, tx_xy, nearest, cust_xy, names[feeder[pick]])
    city.add(
        "power_line",
        segments(fuse_xy, cust_xy),
        start_node=fuse,
        end_node=cust_ids,
        voltage_kv=LV_KV,
        feeder=names[feeder[pick[nearest]]],
        placement="overhead",
        conductor="ABC-4x95",
    )
    ctx.shared["power_customer_of_building"] = cust_ids[: len(b)]


def _lv_protection(ctx, tx, tx_xy, nearest, cust_xy, feeders):
    """An LV breaker at each transformer that feeds customers, and a fuse per
    outgoing 0.4 kV circuit: the customers in one quarter around it.

    ``nearest`` is the transformer (index) of each customer, ``feeders`` the
    feeder name of each transformer.  Returns the id and the position of the
    fuse feeding each customer.
    """
    city = ctx.city
    d = cust_xy - tx_xy[nearest]
    turn = (np.arctan2(d[:, 1], d[:, 0]) + np.pi) / (2 * np.pi)
    sector = np.minimum((turn * LV_CIRCUITS).astype(int), LV_CIRCUITS - 1)
    circuits, of_customer = np.unique(nearest * LV_CIRCUITS + sector, return_inverse=True)
    c_tx, c_sector = circuits // LV_CIRCUITS, circuits % LV_CIRCUITS
    used, of_circuit = np.unique(c_tx, return_inverse=True)
    number = np.arange(len(circuits)) - np.searchsorted(c_tx, c_tx) + 1
    breaker_xy = tx_xy[used] + ctx.offset([2.0, 0.0])
    mid = 2 * np.pi * (c_sector + 0.5) / LV_CIRCUITS - np.pi
    fuse_xy = breaker_xy[of_circuit] + 3.0 * np.c_[np.cos(mid), np.sin(mid)]
    breakers, fuses = city.new_ids(len(used)), city.new_ids(len(circuits))
    tx_codes = codes_of("power_transformer", tx[used])
    closed = {"normal_state": "closed", "operable": True}
    city.add(
        "power_switch", shapely.points(breaker_xy), ids=breakers, device_type="lv_breaker",
        feeder=feeders[used], name=[f"AT tổng TBA {c}" for c in tx_codes], **closed,
    )
    city.add(
        "power_switch", shapely.points(fuse_xy), ids=fuses, device_type="fuse",
        feeder=feeders[c_tx], **closed,
        name=[f"CC lộ {n} TBA {tx_codes[i]}" for n, i in zip(number, of_circuit, strict=True)],
    )
    lv = {"voltage_kv": LV_KV, "placement": "overhead"}
    city.add(
        "power_line", segments(tx_xy[used], breaker_xy), start_node=tx[used],
        end_node=breakers, feeder=feeders[used], conductor="CV-400", **lv,
    )
    city.add(
        "power_line", segments(breaker_xy[of_circuit], fuse_xy), start_node=breakers[of_circuit],
        end_node=fuses, feeder=feeders[c_tx], conductor="CV-150", **lv,
    )
    return fuses[of_customer], fuse_xy[of_customer]

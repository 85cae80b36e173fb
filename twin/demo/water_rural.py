"""Rural water supply of the demo: mains sized for what they feed, rural stations.

The rural branches of the water network are a tree from the town's plants
(:func:`twin.demo.water.add_water`); a hydraulic run of the city showed what
one 90 mm size and one town plant for every village give (pressures hundreds
of metres below zero), so mains are sized for the households downstream and
big branches get water stations of their own, as Vietnam's rural schemes do.
"""

from __future__ import annotations

import numpy as np
import shapely

from .context import Context
from .geo import segments

__all__ = ["rural_diameters", "rural_stations"]

#: HDPE sizes (mm) a rural main is chosen from, and the peak-hour velocity it
#: is sized for (m/s): long branches are laid for low velocity, low head loss.
RURAL_SIZES = np.array([90, 110, 160, 200, 250, 315, 400, 500])
RURAL_VELOCITY = 0.5
#: Peak-hour flow per household, m³/s: 3.6 persons × 150 L/day, 15 % losses, peak 1.5.
PEAK_M3S_PER_HOUSEHOLD = 3.6 * 0.150 * 1.15 * 1.5 / 86400


def rural_diameters(ctx: Context, edges: np.ndarray) -> np.ndarray:
    """Diameter (mm) of each water edge on the rural tree sized for the households
    it feeds: the buildings on it and on every branch beyond it."""
    s, b = ctx.streets, ctx.buildings
    dist, pred = ctx.shared["water_tree"]
    served = b.edge >= 0
    on_edge = np.bincount(b.edge[served], weights=b.households[served], minlength=len(s.u))
    child = np.where(pred[s.v] == s.u, s.v, np.where(pred[s.u] == s.v, s.u, -1))
    below = np.zeros(len(s.xy))
    tree = np.flatnonzero(child >= 0)
    np.add.at(below, child[tree], on_edge[tree])
    for node in np.argsort(-np.where(np.isfinite(dist), dist, -1.0)):
        if pred[node] >= 0 and np.isfinite(dist[node]):
            below[pred[node]] += below[node]
    ctx.shared["water_below"] = (child, below)
    fed = np.where(child[edges] >= 0, below[np.maximum(child[edges], 0)], 0.0)
    needed_mm = 1000 * np.sqrt(4 * fed * PEAK_M3S_PER_HOUSEHOLD / (np.pi * RURAL_VELOCITY))
    pick = np.minimum(np.searchsorted(RURAL_SIZES, needed_mm), len(RURAL_SIZES) - 1)
    return RURAL_SIZES[pick]


#: Households a rural branch must feed to get a rural water station of its own,
#: and the distance along the branches (m) one station serves.
RURAL_STATION_HOUSEHOLDS = 100
RURAL_STATION_REACH_M = 3000.0


def rural_stations(ctx, edges, kind, node_ids, nxy) -> None:
    """A rural water station where each big rural branch leaves the town, and
    every few kilometres along it.

    Villages are served by rural stations of their own, not across the town
    from its plant: a branch feeding many households gets one at its first
    node and again each :data:`RURAL_STATION_REACH_M` further out, joined by a
    short pipe, so the town's grid carries only the town.
    """
    s, city = ctx.streets, ctx.city
    child, below = ctx.shared["water_below"]
    dist, pred = ctx.shared["water_tree"]
    u, v = s.u[edges], s.v[edges]
    town = np.zeros(len(s.xy), bool)
    town[np.r_[u[kind != "rural"], v[kind != "rural"]]] = True
    first = child[edges]
    parent = np.where(first == u, v, u)
    step = RURAL_STATION_REACH_M
    far = np.floor(dist[first] / step) > np.floor(dist[parent] / step)
    roots = np.flatnonzero((kind == "rural") & (first >= 0) & ((town[u] ^ town[v]) | far))
    roots = roots[below[first[roots]] >= RURAL_STATION_HOUSEHOLDS]
    if not len(roots):
        return
    at = first[roots]
    xy = nxy[at] + np.array([15.0, 15.0])
    households = below[at]
    plants = city.add(
        "water_treatment_plant",
        shapely.points(xy),
        name=[f"Trạm cấp nước nông thôn {k + 1}" for k in range(len(roots))],
        capacity_m3d=np.round(households * 3.6 * 0.150 * 1.3, 0),
    )
    city.add(
        "water_pipe",
        segments(xy, nxy[at]),
        start_node=plants,
        end_node=node_ids[at],
        diameter_mm=ctx.shared["water_diameter"][roots],
        material="hdpe",
        install_year=2015,
        depth_m=1.0,
    )
    for p_xy, code in zip(xy, ctx.codes("water_treatment_plant", plants), strict=True):
        ctx.request_power(p_xy + np.array([8.0, 8.0]), code)

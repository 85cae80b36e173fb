"""Street trees and parks with the species mix of northern Vietnamese towns.

A planted street mostly carries one species (as towns plant them), with
some replacements; parks mix species freely.  Trunk diameter grows with age
at a species rate, height and crown follow the trunk (simple allometry).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely

from .context import Context

__all__ = ["SPECIES", "add_trees"]

#: Scientific name: (Vietnamese name, share, trunk growth cm/year, height factor).
SPECIES = {
    "Dracontomelon duperreanum": ("Sấu", 0.22, 1.1, 1.9),
    "Lagerstroemia speciosa": ("Bằng lăng", 0.18, 0.9, 1.6),
    "Delonix regia": ("Phượng vĩ", 0.12, 1.3, 1.6),
    "Khaya senegalensis": ("Xà cừ", 0.12, 1.4, 2.1),
    "Cinnamomum camphora": ("Long não", 0.1, 1.0, 1.8),
    "Cassia fistula": ("Muồng hoàng yến", 0.08, 0.9, 1.5),
    "Chukrasia tabularis": ("Lát hoa", 0.06, 0.8, 1.9),
    "Alstonia scholaris": ("Hoa sữa", 0.12, 1.2, 1.8),
}
CONDITIONS = (("good", 0.7), ("fair", 0.2), ("poor", 0.08), ("dead", 0.02))
SPACING_M = 10.0


def _street_positions(ctx: Context):
    s, rng = ctx.streets, ctx.rng
    town = np.flatnonzero((s.town[s.u] >= 0) & (s.town[s.v] >= 0) & ~s.bridge)
    planted = town[rng.random(len(town)) < ctx.scale.tree_share]
    length = s.length[planted]
    count = np.maximum(np.floor((length - 30) / SPACING_M).astype(int), 0)
    e = np.repeat(planted, count)
    dist = 15 + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)) * SPACING_M
    side = np.where(rng.random(len(e)) < 0.5, 1.0, -1.0)
    p0, p1 = s.xy[s.u[e]], s.xy[s.v[e]]
    t = (p1 - p0) / s.length[e][:, None]
    normal = np.column_stack([-t[:, 1], t[:, 0]]) * side[:, None]
    xy = p0 + t * dist[:, None] + normal * (s.width()[e] / 2 + 1.0)[:, None]
    return xy, e


def _parks(ctx: Context):
    """A few town blocks kept as parks: their polygons."""
    rng = ctx.rng
    centre, half, block = ctx.towns[0]
    spots = rng.uniform(-half * 0.6, half * 0.6, size=(3 if ctx.scale.name != "small" else 1, 2))
    spots = np.round(spots / block) * block + block / 2
    parks = []
    for dx, dy in spots:
        local = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * (block / 2 - 22)
        poly = shapely.Polygon(np.asarray(centre) + ctx.offset(local + [dx, dy]))
        if ctx.region.contains(poly) and (
            ctx.river is None or not poly.intersects(ctx.river.buffer(80))
        ):
            parks.append(poly)
    return parks


def add_trees(ctx: Context) -> None:
    rng, city = ctx.rng, ctx.city
    names = list(SPECIES)
    shares = np.array([SPECIES[n][1] for n in names])
    street_xy, edge = _street_positions(ctx)
    per_edge = rng.choice(len(names), ctx.streets.u.shape[0], p=shares / shares.sum())
    species = per_edge[edge]
    swap = rng.random(len(edge)) < 0.15
    species[swap] = rng.choice(len(names), swap.sum(), p=shares / shares.sum())
    parks = _parks(ctx)
    city.add(
        "trees_green_area",
        parks,
        name=[f"Công viên {k + 1}" for k in range(len(parks))],
        kind="park",
    )
    park_xy = []
    for poly in parks:
        n = int(poly.area / 150)
        x0, y0, x1, y1 = poly.bounds
        xy = rng.uniform((x0, y0), (x1, y1), size=(n * 2, 2))
        park_xy.append(xy[shapely.contains_xy(poly, xy[:, 0], xy[:, 1])][:n])
    park_xy = np.concatenate(park_xy) if park_xy else np.empty((0, 2))
    xy = np.concatenate([street_xy, park_xy])
    species = np.r_[species, rng.choice(len(names), len(park_xy), p=shares / shares.sum())]
    _add(
        ctx,
        xy,
        species,
        names,
        street=np.r_[np.ones(len(street_xy), bool), np.zeros(len(park_xy), bool)],
    )


def _add(ctx, xy, species, names, street) -> None:
    rng, n = ctx.rng, len(xy)
    age = rng.uniform(3, 45, n)
    growth = np.array([SPECIES[names[k]][2] for k in species])
    factor = np.array([SPECIES[names[k]][3] for k in species])
    dbh = np.round(age * growth * rng.uniform(0.8, 1.2, n), 1)
    height = np.round(np.minimum(1.3 + factor * dbh**0.62, 35), 1)
    crown = np.round(np.minimum(1.0 + 0.16 * dbh, 25), 1)
    cond = rng.choice([c for c, _ in CONDITIONS], n, p=[p for _, p in CONDITIONS])
    risk = np.where(
        (cond == "poor") & (dbh > 40),
        "high",
        np.where((cond == "fair") | (dbh > 60), "medium", "low"),
    )
    planted = [date(int(2025 - a), 3, 15) for a in age]
    inspected = [
        date(2024, 1, 1).fromordinal(date(2024, 1, 1).toordinal() + int(d))
        for d in rng.integers(0, 600, n)
    ]
    ctx.city.add(
        "trees_tree",
        shapely.points(xy),
        species_scientific=[names[k] for k in species],
        species_vi=[SPECIES[names[k]][0] for k in species],
        trunk_diameter_cm=dbh,
        height_m=height,
        crown_diameter_m=crown,
        planting_date=planted,
        condition=cond,
        risk_level=risk,
        heritage=(dbh > 55) & (age > 40),
        last_inspected=inspected,
        status=np.where(cond == "dead", "out_of_service", "in_service"),
        extra=[{"location": "street"} if st else {"location": "park"} for st in street],
    )

"""Villages, buildings along the roads and the critical facilities among them.

No real village points are public for Bắc Giang: villages (thôn in rural
communes, tổ dân phố in wards) are spread evenly inside their commune by a
seeded Voronoi relaxation.  Buildings line both sides of town streets and of
rural roads near villages; each village's household count is the sum over
the buildings nearest to it, so the fiber planner and outage counts agree
with what is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree

from .admin import partition
from .roads import Streets

__all__ = ["Buildings", "Villages", "place_buildings", "place_villages", "pick_facilities"]

THON_NAMES = (
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Thượng",
    "Hạ",
    "Chùa",
    "Đồng",
    "Mới",
    "Cầu",
    "Giữa",
    "Ngoài",
    "Trong",
    "Cả",
    "Núi",
    "Hòa Bình",
    "Tân Tiến",
    "Quyết Tiến",
    "Thành Công",
)
URBAN_TYPES = ("Phường", "Thị trấn")
PEOPLE_PER_HOUSEHOLD = 3.6


@dataclass
class Villages:
    xy: np.ndarray
    name: list
    former_commune: list
    urban: np.ndarray


def place_villages(communes, region, scale, rng) -> Villages:
    """Village points inside the part of each former commune that lies in ``region``."""
    xy, names, owner, urban = [], [], [], []
    for c in communes:
        part = c.geom.intersection(region)
        if part.is_empty or part.area < 20_000:
            continue
        is_urban = c.unit_type in URBAN_TYPES
        count = scale.villages_per_ward if is_urban else scale.villages_per_commune
        count = max(1, min(count, int(part.area // 40_000)))
        part = (
            max(shapely.get_parts(part), key=lambda p: p.area)
            if part.geom_type != "Polygon"
            else part
        )
        cells = partition(part, count, rng)
        pts = shapely.get_coordinates(shapely.point_on_surface(cells))
        for i, p in enumerate(pts):
            xy.append(p)
            owner.append(c.code)
            urban.append(is_urban)
            if is_urban:
                names.append(f"Tổ dân phố số {i + 1}")
            else:
                names.append(f"Thôn {THON_NAMES[i]}" if i < len(THON_NAMES) else f"Thôn {i + 1}")
    return Villages(np.array(xy).reshape(-1, 2), names, owner, np.array(urban, dtype=bool))


@dataclass
class Buildings:
    """Footprints with the point where they meet the street (the meter)."""

    polygons: np.ndarray
    edge: np.ndarray
    dist: np.ndarray
    side: np.ndarray
    front: np.ndarray
    use: np.ndarray
    floors: np.ndarray
    households: np.ndarray
    village: np.ndarray

    def __len__(self) -> int:
        return len(self.edge)


def _positions(lengths: np.ndarray, start: np.ndarray, spacing: float):
    count = np.maximum(np.floor((lengths - 2 * start) / spacing).astype(int) + 1, 0)
    edge = np.repeat(np.arange(len(lengths)), count)
    rank = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return edge, start[edge] + rank * spacing


def _uses(cls: np.ndarray, rng):
    n = len(cls)
    r = rng.random(n)
    arterial = cls == "arterial"
    use = np.where(r < np.where(arterial, 0.3, 0.08), "commercial", "residential")
    flats = (use == "residential") & arterial & (rng.random(n) < 0.12)
    floors = np.where(cls == "rural", rng.integers(1, 3, n), rng.integers(2, 6, n))
    floors = np.where(flats, rng.integers(6, 16, n), floors)
    households = np.where(use == "commercial", 0, 1 + (rng.random(n) < 0.15))
    households = np.where(flats, floors * rng.integers(4, 8, n), households)
    return use.astype(object), floors, households


def place_buildings(streets: Streets, villages: Villages, scale, rng) -> Buildings:
    """Buildings on both sides of town streets and of rural roads near villages."""
    length, cls = streets.length, streets.road_class
    start = np.where(cls == "rural", 25.0, 36.0)
    edge, dist = _positions(length, start, scale.building_spacing_m)
    ok = ~streets.bridge[edge]
    if scale.village_radius_m:
        a, b = streets.u[edge], streets.v[edge]
        near = ((streets.village[a] >= 0) & (dist <= scale.village_radius_m)) | (
            (streets.village[b] >= 0) & (length[edge] - dist <= scale.village_radius_m)
        )
        ok &= (cls[edge] != "rural") | near
    edge, dist = np.repeat(edge[ok], 2), np.repeat(dist[ok], 2)
    side = np.tile([1.0, -1.0], len(edge) // 2)
    keep = rng.random(len(edge)) > 0.12
    edge, dist, side = edge[keep], dist[keep], side[keep]
    p0, p1 = streets.xy[streets.u[edge]], streets.xy[streets.v[edge]]
    t = (p1 - p0) / length[edge][:, None]
    normal = np.column_stack([-t[:, 1], t[:, 0]]) * side[:, None]
    centre = p0 + t * dist[:, None]
    front_off = streets.width()[edge] / 2 + 2.5
    w = rng.uniform(7, 13, len(edge))[:, None] / 2
    d = rng.uniform(9, 15, len(edge))[:, None]
    f = front_off[:, None]
    ring = np.stack(
        [
            centre - t * w + normal * f,
            centre + t * w + normal * f,
            centre + t * w + normal * (f + d),
            centre - t * w + normal * (f + d),
            centre - t * w + normal * f,
        ],
        axis=1,
    )
    use, floors, households = _uses(cls[edge], rng)
    front = centre + normal * (f - 1.0)
    village = cKDTree(villages.xy).query(front)[1] if len(villages.xy) else np.zeros(len(edge), int)
    return Buildings(
        shapely.polygons(ring), edge, dist, side, front, use, floors, households, village
    )


def pick_facilities(buildings: Buildings, wanted: list[dict]) -> list[dict]:
    """Put each wanted facility (name, kind, near: xy) in the nearest free building.

    The building becomes public; facilities farther than 1.5 km from any
    building are dropped.  Returns the wanted dicts with ``building`` set.
    """
    tree = cKDTree(buildings.front)
    used, placed = set(), []
    for want in wanted:
        dists, idx = tree.query(want["near"], k=min(12, len(buildings)))
        for dd, i in zip(np.atleast_1d(dists), np.atleast_1d(idx), strict=True):
            if dd < 1500 and int(i) not in used:
                used.add(int(i))
                buildings.use[i], buildings.households[i] = "public", 0
                placed.append({**want, "building": int(i)})
                break
    return placed

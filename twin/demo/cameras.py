"""Cameras at the demo's major intersections and public places.

Traffic cameras watch the town intersections where the most arterial or
highway streets meet (the busiest also get a number-plate camera); security
cameras face the entrance of each school, hospital and public facility.
Each is supplied by the nearest power customer connection and linked through
the nearest village access node.  A random generator of its own keeps every
other layer as it was.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree

from .context import Context
from .records import codes_of

__all__ = ["add_cameras"]

OWNER = "Công an tỉnh Bắc Giang"
MAJOR = ("highway", "arterial")
PER_TOWN = 12


def _intersections(ctx: Context) -> tuple[np.ndarray, list[str]]:
    """Town nodes ranked by the major streets meeting there (most first), with a name."""
    s = ctx.streets
    major = np.isin(s.road_class, MAJOR)
    degree = np.bincount(np.concatenate([s.u[major], s.v[major]]), minlength=len(s.xy))
    nodes = []
    for t in range(len(ctx.towns)):
        here = np.flatnonzero((s.town == t) & (degree >= 3))
        nodes += list(here[np.argsort(-degree[here], kind="stable")][:PER_TOWN])
    names = []
    for n in nodes:
        streets = sorted({s.name[e] for e in np.flatnonzero(major & ((s.u == n) | (s.v == n)))
                          if s.name[e]})
        names.append(" / ".join(streets[:2]) or f"Nút giao {n}")
    return np.asarray(nodes, int), names


def _nearest_codes(ctx: Context, table: str, xy: np.ndarray) -> list[str | None]:
    """Code of the nearest ``table`` feature to each point (None when the city has none)."""
    batch = next((b for b in ctx.city.batches if b.table == table and len(b)), None)
    if batch is None or not len(xy):
        return [None] * len(xy)
    found = cKDTree(shapely.get_coordinates(batch.geoms)).query(xy)[1]
    return codes_of(table, batch.ids[found])


def add_cameras(ctx: Context) -> None:
    """Add the ``video_camera`` features of the demo."""
    rng = np.random.default_rng(ctx.city.seed + 2200)
    nodes, names = _intersections(ctx)
    xy = ctx.streets.xy[nodes] + [6.0, 6.0] if len(nodes) else np.zeros((0, 2))
    plates = np.arange(len(nodes)) % 4 == 0
    fac = ctx.facilities
    fac_xy = shapely.get_coordinates(
        shapely.centroid(ctx.buildings.polygons[[f["building"] for f in fac]]))
    count, n_fac = len(nodes), len(fac)
    kinds = ["number_plate" if p else "traffic" for p in plates] + ["security"] * n_fac
    where = np.vstack([xy, fac_xy + [0.0, -12.0]]) if n_fac else xy
    ctx.city.add(
        "video_camera",
        shapely.points(where),
        power_customer=_nearest_codes(ctx, "power_customer", where),
        telecom_access=_nearest_codes(ctx, "telecom_access_node", where),
        camera_type=kinds,
        name=[f"Camera {i + 1:03d}" for i in range(count + n_fac)],
        owner=OWNER,
        mounting_height_m=[6.0 if k == "security" else 8.0 for k in kinds],
        direction_deg=np.round(rng.uniform(0, 360, count + n_fac), 0),
        field_of_view_deg=[90.0 if k == "security" else 60.0 for k in kinds],
        view_range_m=[40.0 if k == "security" else 80.0 for k in kinds],
        watches=names + [f["name"] for f in fac],
        stream_url=[f"rtsp://10.20.{i // 250}.{i % 250 + 1}:554/stream1"
                    for i in range(count + n_fac)],
    )

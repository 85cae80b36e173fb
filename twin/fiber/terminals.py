"""Villages as terminals: where each access node goes, and whom it covers.

Buildings belong to their nearest village (within ``rule.village_radius_m``).
A village's access node goes where its households are densest: at the
building whose ``rule.density_radius_m`` neighbourhood (the village's own
buildings only) holds the most households, or at the village point when it
has no buildings.  The planner then moves it to the roadside point nearest
that spot (cabinets stand by the road) unless the spot is farther than
``rule.access_roadside_max_m`` from every road.

Coverage (homes passed): when a village is connected, its households are
covered in the proportion of its buildings' households that lie within
``rule.drop_reach_m`` of the access node; a village without buildings is
covered whole.  The village's ``households`` (from ``base_village``) stay the
reference count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.spatial import cKDTree

from .inputs import Village

__all__ = ["assign_buildings", "covered_households", "densest_points"]


def assign_buildings(
    villages: Sequence[Village], buildings_xy: np.ndarray, *, max_m: float
) -> np.ndarray:
    """Index of the nearest village of each building (-1 beyond ``max_m`` metres)."""
    xy = np.asarray(buildings_xy, dtype=float).reshape(-1, 2)
    if not len(villages) or not len(xy):
        return np.full(len(xy), -1, dtype=int)
    points = np.array([(v.point.x, v.point.y) for v in villages])
    dist, idx = cKDTree(points).query(xy, distance_upper_bound=max_m)
    return np.where(np.isfinite(dist), idx, -1).astype(int)


def densest_points(
    villages: Sequence[Village],
    buildings_xy: np.ndarray,
    households: np.ndarray,
    village_of: np.ndarray,
    *,
    radius_m: float,
) -> np.ndarray:
    """Where each village's households are densest (N x 2, m).

    For each village, the building of that village with the most households
    of the same village within ``radius_m`` (its own included); ties go to
    the building nearer the village point.  Villages with no household in
    their buildings keep their own point.
    """
    out = np.array([(v.point.x, v.point.y) for v in villages], dtype=float).reshape(-1, 2)
    keep = (np.asarray(village_of) >= 0) & (np.asarray(households, dtype=float) > 0)
    xy = np.asarray(buildings_xy, dtype=float).reshape(-1, 2)[keep]
    hh = np.asarray(households, dtype=float)[keep]
    village = np.asarray(village_of)[keep]
    if not len(xy):
        return out
    pairs = cKDTree(xy).query_pairs(radius_m, output_type="ndarray")
    pairs = pairs[village[pairs[:, 0]] == village[pairs[:, 1]]]
    density = hh + np.bincount(pairs[:, 0], hh[pairs[:, 1]], len(hh))
    density += np.bincount(pairs[:, 1], hh[pairs[:, 0]], len(hh))
    near = np.hypot(*(xy - out[village]).T)
    order = np.lexsort((near, -density, village))
    first = order[np.unique(village[order], return_index=True)[1]]
    out[village[first]] = xy[first]
    return out


def covered_households(
    villages: Sequence[Village],
    access_xy: np.ndarray,
    buildings_xy: np.ndarray,
    households: np.ndarray,
    village_of: np.ndarray,
    *,
    reach_m: float,
) -> np.ndarray:
    """Households of each village within reach of its access node once connected.

    ``village.households`` times the share of the village's building
    households within ``reach_m`` of ``access_xy[i]`` (whole when the
    village has no building households), rounded down.
    """
    xy = np.asarray(buildings_xy, dtype=float).reshape(-1, 2)
    hh = np.asarray(households, dtype=float)
    out = np.array([v.households for v in villages], dtype=np.int64)
    if not len(xy):
        return out
    access = np.asarray(access_xy, dtype=float).reshape(-1, 2)
    valid = village_of >= 0
    dist = np.full(len(xy), np.inf)
    dist[valid] = np.hypot(*(xy[valid] - access[village_of[valid]]).T)
    total = np.bincount(village_of[valid], weights=hh[valid], minlength=len(villages))
    inside = np.bincount(
        village_of[valid], weights=hh[valid] * (dist[valid] <= reach_m), minlength=len(villages)
    )
    share = np.divide(inside, total, out=np.ones(len(villages)), where=total > 0)
    return np.floor(out * share + 1e-9).astype(np.int64)

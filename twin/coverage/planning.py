"""Proposing new cell sites: candidates, their coverage of homes, the greedy choice.

Candidates are existing poles, tall buildings and DEM hilltops; each is
tried as a 4G macro site (1800 MHz, three sectors) and costed by its kind
(``twin/coverage/data/site_costs.csv``).  Only the candidates nearest the
most uncovered households are tried, so that a province plan stays quick.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np
from scipy.ndimage import maximum_filter
from scipy.spatial import cKDTree

from twin.coverage.algorithms.link import Radio, Site
from twin.coverage.algorithms.maxcover import Step, greedy_cover
from twin.coverage.grids import Grid

__all__ = ["Candidate", "hilltops", "plan_sites", "site_costs"]

#: Height (m) of the antennas a candidate of each kind would carry.
HEIGHTS_M = {"pole": 36.0, "building": 24.0, "hilltop": 45.0}
#: Candidates tried per round, rounds at most, the radius (m) over which uncovered
#: homes rank a candidate, and the least spacing (m) between candidates of a round.
TRIED = 60
ROUNDS = 4
RANK_RADIUS_M = 3000.0
SPACING_M = 2500.0


@dataclass(frozen=True)
class Candidate:
    """A place a site could go: grid cell, kind and the code of what stands there."""

    row: int
    col: int
    kind: str
    code: str | None = None


def site_costs() -> dict[str, float]:
    path = resources.files("twin.coverage") / "data" / "site_costs.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["key"].split(".")[1]: float(row["value"]) for row in csv.DictReader(handle)}


def hilltops(grid: Grid, *, spacing_m: float = 2000.0, rise_m: float = 20.0) -> list[Candidate]:
    """Cells highest within ``spacing_m`` and ``rise_m`` above the lowest around them."""
    size = max(3, int(spacing_m / grid.cell_m) | 1)
    top = grid.z == maximum_filter(grid.z, size=size, mode="nearest")
    low = -maximum_filter(-grid.z, size=size, mode="nearest")
    rows, cols = np.nonzero(top & (grid.z - low >= rise_m))
    return [Candidate(int(r), int(c), "hilltop") for r, c in zip(rows, cols, strict=True)]


def _ranked(candidates: list[Candidate], home_rc: np.ndarray, weights: np.ndarray,
            uncovered: np.ndarray, cell_m: float) -> list[Candidate]:
    if not uncovered.any() or not candidates:
        return []
    tree = cKDTree(home_rc[uncovered] * cell_m)
    xy = np.array([(c.row, c.col) for c in candidates], float) * cell_m
    near = tree.query_ball_point(xy, RANK_RADIUS_M)
    w = weights[uncovered]
    score = np.array([w[idx].sum() if idx else 0.0 for idx in near])
    picked: list[int] = []
    for i in np.argsort(-score, kind="stable"):
        if score[i] <= 0 or len(picked) == TRIED:
            break
        if all(np.hypot(*(xy[i] - xy[j])) >= SPACING_M for j in picked):
            picked.append(int(i))
    return [candidates[i] for i in picked]


def _covered_homes(grid, cand: Candidate, home_rc, radio, threshold, coverage_of) -> np.ndarray:
    site = Site(cand.row, cand.col, HEIGHTS_M[cand.kind], "4g", 1800.0)
    (rs, cs), rsrp = coverage_of(grid, site, radio)
    inside = ((home_rc[:, 0] >= rs.start) & (home_rc[:, 0] < rs.stop)
              & (home_rc[:, 1] >= cs.start) & (home_rc[:, 1] < cs.stop))
    idx = np.flatnonzero(inside)
    ok = rsrp[home_rc[idx, 0] - rs.start, home_rc[idx, 1] - cs.start] >= threshold
    return idx[ok]


def plan_sites(grid: Grid, candidates: list[Candidate], home_rc: np.ndarray, weights: np.ndarray,
               covered: np.ndarray, radio: Radio, *, target: float, coverage_of) -> dict:
    """The greedy plan: sites in order with households added, cumulative cost and share.

    ``coverage_of(grid, site, radio)`` returns ``(window, rsrp)`` as
    :func:`twin.coverage.service.site_coverage` does.
    """
    costs = site_costs()
    threshold = radio["threshold.4g_dbm"]
    covered_at_start, covered = covered, covered.copy()
    tried: list[Candidate] = []
    steps: list[Step] = []
    spent = 0.0
    for _ in range(ROUNDS):
        seen = set(tried)
        batch = _ranked([c for c in candidates if c not in seen], home_rc, weights, ~covered,
                        grid.cell_m)
        if not batch:
            break
        covers = [_covered_homes(grid, c, home_rc, radio, threshold, coverage_of) for c in batch]
        cost = np.array([costs[c.kind] for c in batch], float)
        found = greedy_cover(covers, weights, cost, already=covered, target=target)
        for s in found:
            covered[covers[s.candidate]] = True
            spent += float(cost[s.candidate])
            steps.append(Step(len(tried) + s.candidate, s.added, s.covered, spent))
        tried += batch
        if not found or steps[-1].covered >= target * float(weights.sum()) - 1e-9:
            break
    total = float(weights.sum())
    return {
        "candidates": len(candidates), "tried": len(tried),
        "start_pct": round(100 * float(weights[covered_at_start].sum()) / total, 2) if total else 0.0,
        "steps": [{"kind": tried[s.candidate].kind, "code": tried[s.candidate].code,
                   "row": tried[s.candidate].row, "col": tried[s.candidate].col,
                   "households_added": s.added, "cost_vnd": s.cost,
                   "covered_pct": round(100 * s.covered / total, 2)} for s in steps],
    }

"""The top-level solve: a certified lower bound, and exact methods where cheap.

On the reduced problem:

1. dual ascent from a few roots gives a lower bound (:mod:`._dual_ascent`);
2. with few terminals the dynamic programme solves it exactly
   (:mod:`._exact_dp`);
3. otherwise the heuristic search runs (stopping as soon as its tree meets
   the bound);
4. that tree prunes the graph by reduced costs (:mod:`._reduce_dual`): what
   is left holds every cheaper tree.  It is solved by the programme if its
   terminals are few, else searched again (faster, being smaller) and, when
   small enough, given to the integer program (:mod:`._mip`), which proves
   the optimum or raises the bound with the time left.

All costs here are of the caller's problem: a reduced problem's tree costs
its own edges plus the edges the reductions fixed.
"""

from __future__ import annotations

import math
import time

import numpy as np

from twin.fiber.steiner._dual_ascent import DualAscent, dual_ascent
from twin.fiber.steiner._exact_dp import dp_fits, steiner_dp
from twin.fiber.steiner._mip import steiner_mip
from twin.fiber.steiner._reduce import Reduced
from twin.fiber.steiner._reduce_dual import reduce_by_bound

__all__ = ["certified_search"]

ASCENT_ROOTS = 3
MIP_EDGES = 1500  # reduced edges up to which the integer program is tried
FIRST_SHARE = 0.6  # of the time left, for the first search
SEARCH_SHARE = 0.5  # of the time left, for the search of the pruned graph before the MIP


class _Bounds:
    """Best tree so far (input edge ids), its cost and the lower bound."""

    def __init__(self, w, integral):
        self.w, self.integral = w, integral
        self.ids: list[int] = []
        self.upper = math.inf
        self.lower = 0.0

    def offer(self, ids) -> None:
        ids = sorted(set(ids))
        cost = float(self.w[ids].sum())
        if cost < self.upper:
            self.ids, self.upper = ids, cost

    def raise_lower(self, value: float) -> None:
        if self.integral:
            value = math.ceil(value - 1e-6)
        self.lower = max(self.lower, min(value, self.upper))

    def proven(self) -> bool:
        return self.upper <= self.lower + 1e-9 * max(1.0, abs(self.upper))


def certified_search(red: Reduced, w, budget, rng, stats, search) -> list[int]:
    """Input edge ids of a tree of ``red``; sets ``stats.lower_bound``.

    ``w`` are the input weights, ``search(red, budget)`` the heuristic search
    returning input edge ids; ``budget.deadline`` bounds the whole solve.
    """
    integral = bool(np.all(w == np.round(w)))
    bounds = _Bounds(w, integral)
    fixed = float(w[red.fixed].sum())
    ascents = _ascents(red, _share(budget.deadline, 0.25))
    bounds.raise_lower(fixed + max(a.lower_bound for a in ascents))
    if dp_fits(red.n, int(red.terminal.sum())):
        _exact_by_dp(red, bounds, stats, "dp")
        return _finish(bounds, stats)
    # most of the search here; the pruned graph gets the rest, and the MIP
    first = budget.nested(budget.starts, budget.patience_for(red.n), on_start=budget.on_start)
    first.small_graph_work = budget.small_graph_work
    first.deadline = _share(budget.deadline, FIRST_SHARE)
    first.target = bounds.lower - fixed
    bounds.offer(search(red, first))
    stats.method = "search"
    if not bounds.proven() and not budget.expired():
        _prune_and_solve(red, ascents, bounds, budget, stats, search)
    return _finish(bounds, stats)


def _prune_and_solve(red, ascents, bounds, budget, stats, search) -> None:
    """Keep what a cheaper tree may use, then solve that exactly or search it."""
    smaller = _pruned(red, ascents, bounds, budget, stats)
    if smaller is None:
        return
    fixed = float(bounds.w[smaller.fixed].sum())
    again = _ascents(smaller, _share(budget.deadline, 0.2))
    bounds.raise_lower(fixed + max(a.lower_bound for a in again))
    if bounds.proven():
        return
    if dp_fits(smaller.n, int(smaller.terminal.sum())):
        _exact_by_dp(smaller, bounds, stats, "search + dp")
        return
    exact = len(smaller.eu) <= MIP_EDGES
    rest = budget.nested(budget.starts, budget.patience_for(smaller.n))
    rest.small_graph_work = budget.small_graph_work
    rest.deadline = _share(budget.deadline, SEARCH_SHARE if exact else 1.0)
    rest.target = bounds.lower - fixed
    bounds.offer(search(smaller, rest))
    stats.method = "search + pruning"
    if bounds.proven() or budget.expired() or not exact:
        return
    deadline = min(budget.deadline, time.perf_counter() + budget.mip_seconds)
    result = steiner_mip(
        smaller.n, smaller.eu, smaller.ev, smaller.w, smaller.terminal, deadline=deadline
    )
    if result.edges is not None:
        bounds.offer(_input_ids(smaller, result.edges))
    # the pruned problem holds every tree cheaper than the first one
    bounds.raise_lower(fixed + result.lower_bound)
    stats.method = "search + mip"


def _pruned(red, ascents, bounds, budget, stats) -> Reduced | None:
    """``red`` pruned by reduced costs; None when that proves the best tree optimal."""
    fixed = float(bounds.w[red.fixed].sum())
    smaller = reduce_by_bound(
        red, ascents, bounds.upper - fixed, bounds.integral, deadline=budget.deadline
    )
    if smaller is None or int(smaller.terminal.sum()) <= 1 or len(smaller.eu) == 0:
        if smaller is not None:
            bounds.offer(smaller.fixed)
        bounds.raise_lower(bounds.upper)  # nothing cheaper is left
        stats.method = "search + bound"
        return None
    stats.pruned_vertices, stats.pruned_edges = smaller.n, len(smaller.eu)
    return smaller


def _exact_by_dp(red: Reduced, bounds: _Bounds, stats, method: str) -> None:
    """Solve ``red`` (holding every tree cheaper than the best) exactly."""
    _, edges = steiner_dp(red.n, red.eu, red.ev, red.w, red.terminal)
    bounds.offer(_input_ids(red, edges))
    bounds.raise_lower(bounds.upper)
    stats.method = method


def _ascents(red: Reduced, deadline: float) -> list[DualAscent]:
    """Dual ascents from up to :data:`ASCENT_ROOTS` terminals (the first to its end)."""
    terminals = np.flatnonzero(red.terminal)
    roots = [int(terminals[0])]
    if len(terminals) > 1:
        picks = np.linspace(0, len(terminals) - 1, ASCENT_ROOTS).round().astype(int)[1:]
        roots += [int(terminals[k]) for k in dict.fromkeys(picks.tolist())]
    out = []
    for root in roots:
        if out and time.perf_counter() >= deadline:
            break
        # the first ascent always completes: every solve gets its bound
        until = deadline if out else math.inf
        out.append(dual_ascent(red.n, red.eu, red.ev, red.w, red.terminal, root, deadline=until))
    return out


def _input_ids(red: Reduced, edges) -> list[int]:
    return list(red.fixed) + [e for k in edges for e in red.origin[k]]


def _share(deadline: float, share: float) -> float:
    """A deadline ``share`` of the way from now to ``deadline``."""
    if not math.isfinite(deadline):
        return deadline
    now = time.perf_counter()
    return now + max(0.0, deadline - now) * share


def _finish(bounds: _Bounds, stats) -> list[int]:
    stats.lower_bound = bounds.lower
    return bounds.ids

"""Multi-start search on a problem in array form.

Each start grows a shortest-path heuristic tree from a different terminal
(later starts with randomly biased choices), then improves it by local
search.  Every few starts the two best trees found so far and the trees of
the latest starts are merged: the union of their edges is a small graph,
solved again on its own, and the result improved in the whole graph
(solution recombination).

Graphs too large for an all-pairs distance matrix are first cut down to a
corridor: the union of several randomised Mehlhorn trees, widened by the
vertices nearest to it until it holds as many vertices as the distance
matrix may, then searched like a small graph; then windows around the tree
are re-solved one at a time (:mod:`._window`).

The search is deterministic for a given random generator: it stops after a
number of starts without a better tree, or earlier at the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from twin.fiber.steiner._certify import certified_search
from twin.fiber.steiner._construct import mehlhorn_vertices, shortest_path_vertices
from twin.fiber.steiner._exact_dp import MAX_TERMINALS, dp_fits
from twin.fiber.steiner._graph import ArrayGraph, Tree
from twin.fiber.steiner._local_search import improve
from twin.fiber.steiner._reduce import reduce_problem
from twin.fiber.steiner._window import improve_by_windows

__all__ = ["Budget", "SearchStats", "solve_arrays"]

DENSE_LIMIT = 2500  # vertices: the distance and predecessor matrices take 12 n^2 bytes
PERTURB_LIMIT = 1000  # vertices: up to this, restarts recompute distances on noisy weights
REDUCTION_SHARE = 0.25  # of the time limit, for starting rounds of distance tests
DEAR_SPECIAL_DISTANCE = 2e8  # n t^2 above which one round of distance tests is enough


@dataclass
class Budget:
    """How much search to do.

    Counts are starts (one construction improved by local search); shares
    are fractions of :data:`DENSE_LIMIT`.  ``deadline`` is a
    :func:`time.perf_counter` value.
    """

    deadline: float = float("inf")
    starts: int = 200  # most starts
    patience: int = 24  # starts without a better tree before stopping
    small_graph_work: int = 2000  # patience at least this / vertices (small graphs are cheap)
    plain_starts: int = 8  # first starts on true distances, from different roots
    noise: float = 0.2  # weights of randomised starts scaled by up to 1 + noise (x0.25..x4)
    roots_per_noise: int = 4  # starts sharing one noisy distance matrix
    recombine_every: int = 4  # starts between two merges
    elite: int = 6  # distinct best trees kept
    merge_best: int = 2  # best trees merged with the local optima of the latest starts
    inner_starts: int = 40  # budget of the search on a merged union
    inner_patience: int = 15
    reduce_rounds: int = 8  # rounds of distance-based reductions
    corridor_trees: int = 8  # randomised Mehlhorn trees spanning a corridor
    corridor_share: float = 0.8
    corridor_starts: int = 24
    corridor_patience: int = 8
    window_share: float = 0.4
    window_starts: int = 12
    window_patience: int = 4
    #: Told ``(starts done, best cost so far)`` after each start of the top search.
    on_start: Callable[[int, float], None] | None = None
    target: float = float("-inf")  # a tree this cheap is optimal: stop there
    mip_seconds: float = 20.0  # most time for the integer program without a deadline

    def nested(self, starts: int, patience: int, **changes) -> Budget:
        """A budget for a sub-problem, sharing this deadline."""
        return Budget(
            deadline=self.deadline,
            starts=starts,
            patience=patience,
            small_graph_work=0,
            **changes,
        )

    def patience_for(self, n: int) -> int:
        """Starts without a better tree before stopping: more on small graphs."""
        scaled = self.small_graph_work // max(n, 1) if self.small_graph_work else 0
        return max(self.patience, min(self.starts, scaled))

    def expired(self) -> bool:
        return time.perf_counter() >= self.deadline


@dataclass
class SearchStats:
    """What the search did, for reports and tuning."""

    reduced_vertices: int = 0
    reduced_edges: int = 0
    starts: int = 0
    recombinations: int = 0
    construction_cost: float = float("inf")  # first tree, fixed edges included
    fixed_cost: float = 0.0
    lower_bound: float = 0.0  # certified: no tree is cheaper
    method: str = "reductions"  # what found the tree: see _certify
    pruned_vertices: int | None = None  # after the reduced-cost reductions
    pruned_edges: int | None = None


def solve_arrays(n, eu, ev, w, terminal, budget: Budget, rng, stats: SearchStats, *, mode="top"):
    """Input edge ids of a good Steiner tree for the problem in array form.

    ``mode`` is ``"top"`` for the caller's problem, ``"corridor"`` inside a
    corridor or window of a large graph and ``"merge"`` when solving a union
    of trees.  Only ``"top"`` always returns a tree; the others return None
    when the deadline passes before their first tree.
    """
    # the dynamic programme solves few terminals faster than the distance tests run
    few = mode == "top" and int(terminal.sum()) <= MAX_TERMINALS
    red = reduce_problem(
        n,
        eu,
        ev,
        w,
        terminal,
        dense_limit=DENSE_LIMIT,
        max_rounds=0 if few and dp_fits(n, int(terminal.sum())) else _rounds(n, terminal, budget),
        deadline=_reduction_deadline(budget.deadline) if mode == "top" else budget.deadline,
    )
    if mode == "top":
        stats.reduced_vertices, stats.reduced_edges = red.n, len(red.eu)
        stats.fixed_cost = stats.lower_bound = float(w[red.fixed].sum())
    if int(red.terminal.sum()) <= 1 or len(red.eu) == 0:
        return list(red.fixed)
    if mode == "top":
        return certified_search(red, w, budget, rng, stats, _searcher(rng, stats))
    if budget.expired():
        return None
    return search_reduced(red, budget, rng, stats, mode=mode)


def _reduction_deadline(deadline: float) -> float:
    """No new round of distance tests after a quarter of the time: the search needs it."""
    if not np.isfinite(deadline):
        return deadline
    now = time.perf_counter()
    return now + REDUCTION_SHARE * max(0.0, deadline - now)


def _rounds(n, terminal, budget: Budget) -> int:
    """Rounds of distance tests: one where the special distance test is dear.

    It costs ``n t^2`` for ``t`` terminals; the reduced-cost tests after the
    first tree do the rest of its work there.
    """
    t = int(terminal.sum())
    return 1 if n * t * t > DEAR_SPECIAL_DISTANCE else budget.reduce_rounds


def _searcher(rng, stats):
    def search(red, budget):
        return search_reduced(red, budget, rng, stats, mode="top")

    return search


def search_reduced(red, budget: Budget, rng, stats: SearchStats, *, mode):
    """Input edge ids of a good tree of a reduced problem (see solve_arrays)."""
    if red.n <= DENSE_LIMIT:
        g = ArrayGraph(red.n, red.eu, red.ev, red.w, red.terminal)
        tree = _multistart(g, budget, rng, stats, recombine=mode != "merge", record=mode == "top")
    else:
        g = ArrayGraph(red.n, red.eu, red.ev, red.w, red.terminal, with_distances=False)
        tree = _corridor(g, budget, rng, stats, widen=mode == "top")
    chosen = g.edge_ids(tree.edges)
    return list(red.fixed) + [e for k in chosen for e in red.origin[k]]


def _multistart(
    g: ArrayGraph, budget: Budget, rng, stats: SearchStats, *, recombine: bool, record: bool
) -> Tree:
    exact = _exactly_solved(g)
    if exact is not None:
        if record:
            stats.construction_cost = stats.fixed_cost + exact.cost
        return exact
    roots = rng.permutation(g.terminals)
    pool: dict[bytes, Tree] = {}
    recent: dict[bytes, Tree] = {}
    best, since_best, merged_from = None, 0, set()
    patience = budget.patience_for(g.n)
    for start in range(budget.starts):
        if start and (budget.expired() or since_best >= patience):
            break
        tree = _constructed(g, int(roots[start % len(roots)]), start, budget, rng, best)
        if record and start == 0 and not np.isfinite(stats.construction_cost):
            stats.construction_cost = stats.fixed_cost + tree.cost
        tree = improve(g, tree, rng, budget.deadline)
        stats.starts += 1
        pool[tree.key()] = recent[tree.key()] = tree
        due = recombine and start % budget.recombine_every == budget.recombine_every - 1
        if due and set(pool) != merged_from and not budget.expired():
            merged_from = set(pool)
            # the best trees with the latest local optima, not the whole elite:
            # unions of an elite that has converged repeat themselves
            chosen = {**dict(list(pool.items())[: budget.merge_best]), **recent}
            merged = _merged(g, list(chosen.values()), budget, rng, stats)
            recent = {}
            if merged is not None and merged.cost < tree.cost:
                tree = merged
                pool[tree.key()] = tree
        pool = dict(sorted(pool.items(), key=lambda kv: kv[1].cost)[: budget.elite])
        if best is None or tree.cost < best.cost - 1e-9:
            best, since_best = tree, 0
        else:
            since_best += 1
        if record and budget.on_start is not None:
            budget.on_start(stats.starts, stats.fixed_cost + best.cost)
        if best.cost <= budget.target + 1e-9 * max(1.0, best.cost):
            break  # the lower bound proves it optimal
    return best


def _exactly_solved(g: ArrayGraph) -> Tree | None:
    """The optimum where it is plain: a shortest path, or a spanning tree."""
    if len(g.terminals) == 2:
        mask = np.zeros(g.n, dtype=bool)
        mask[g.path(int(g.terminals[0]), int(g.terminals[1]))] = True
        return g.tree(mask)
    if g.terminal.all():
        return g.tree(g.terminal)
    return None


def _constructed(g: ArrayGraph, root: int, start: int, budget: Budget, rng, best) -> Tree:
    """Shortest-path heuristic tree; after the first starts, randomised.

    On graphs small enough the distances are recomputed on noisy weights
    (edges of the best tree so far made dearer half of the time); on larger
    ones only the order in which terminals join is biased.
    """
    if start < budget.plain_starts:
        return g.tree(shortest_path_vertices(g, root))
    spread = budget.noise * rng.choice([0.25, 1.0, 4.0])
    if g.n > PERTURB_LIMIT:
        return g.tree(shortest_path_vertices(g, root, bias=rng.uniform(1.0, 1.0 + spread, g.n)))
    if start % budget.roots_per_noise == 0 or g.noisy is None:
        scale = rng.uniform(1.0, 1.0 + spread, len(g.w))
        if best is not None and rng.random() < 0.5:
            scale[g.edge_ids(best.edges)] *= 1.0 + spread
        g.noisy = g.perturbed(scale)
    bias = rng.uniform(1.0, 1.0 + spread, g.n)  # starts sharing the noise still differ
    return g.tree(shortest_path_vertices(g.noisy, root, bias=bias))


def _merged(g: ArrayGraph, trees: list[Tree], budget: Budget, rng, stats) -> Tree | None:
    """Solve the union of the trees' edges on its own, then improve in g."""
    if len(trees) < 2:
        return None
    ids = np.array(sorted({e for t in trees for e in g.edge_ids(t.edges)}), dtype=np.int64)
    inner = budget.nested(budget.inner_starts, budget.inner_patience)
    tree = _solved_on(g, ids, inner, rng, stats, mode="merge")
    if tree is None:
        return None
    stats.recombinations += 1
    return improve(g, tree, rng, budget.deadline)


def _solved_on(g: ArrayGraph, ids: np.ndarray, budget: Budget, rng, stats, *, mode) -> Tree | None:
    """Best tree of the subgraph made of edges ``ids``, as a tree of g."""
    vertices = np.unique(np.r_[g.eu[ids], g.ev[ids]])
    index = np.full(g.n, -1, dtype=np.int64)
    index[vertices] = np.arange(len(vertices))
    chosen = solve_arrays(
        len(vertices),
        index[g.eu[ids]],
        index[g.ev[ids]],
        g.w[ids],
        g.terminal[vertices],
        budget,
        rng,
        stats,
        mode=mode,
    )
    if chosen is None:
        return None
    mask = np.zeros(g.n, dtype=bool)
    mask[g.terminals] = True
    picked = ids[np.asarray(chosen, dtype=np.int64)]
    mask[g.eu[picked]] = True
    mask[g.ev[picked]] = True
    return g.tree(mask)


def _corridor(g: ArrayGraph, budget: Budget, rng, stats, *, widen: bool) -> Tree:
    """Search a graph too large for all-pairs distances.

    First the corridor: the union of randomised Mehlhorn trees plus the
    vertices nearest to it, up to ``corridor_share`` of the distance-matrix
    limit; then windows around the tree (see :mod:`._window`).  Without
    ``widen`` (already inside a corridor) the best Mehlhorn tree is returned.
    """
    best, union = _mehlhorn_trees(g, budget, rng)
    if widen:
        stats.construction_cost = min(stats.construction_cost, stats.fixed_cost + best.cost)
    if not widen or budget.expired():
        return best
    inside = _nearest_vertices(g, union, int(budget.corridor_share * DENSE_LIMIT))
    ids = np.flatnonzero(inside[g.eu] & inside[g.ev])
    first = budget.nested(budget.corridor_starts, budget.corridor_patience)
    found = _solved_on(g, ids, first, rng, stats, mode="corridor")
    if found is not None and found.cost < best.cost:
        best = found
    inner = budget.nested(budget.window_starts, budget.window_patience, reduce_rounds=2)

    def solve(n, eu, ev, w, terminal):
        return solve_arrays(n, eu, ev, w, terminal, inner, rng, stats, mode="corridor")

    window = int(budget.window_share * DENSE_LIMIT)
    return improve_by_windows(g, best, solve, budget, rng, size=window)


def _mehlhorn_trees(g: ArrayGraph, budget: Budget, rng) -> tuple[Tree, np.ndarray]:
    """Best of several randomised Mehlhorn trees, and the union of their vertices."""
    best, union = None, np.zeros(g.n, dtype=bool)
    for k in range(budget.corridor_trees):
        if k and budget.expired():
            break
        scale = None if k == 0 else rng.uniform(1.0, 1.0 + budget.noise, len(g.w))
        tree = g.tree(mehlhorn_vertices(g, scale=scale))
        union |= tree.vertices
        if best is None or tree.cost < best.cost:
            best = tree
    return best, union


def _nearest_vertices(g: ArrayGraph, seeds: np.ndarray, count: int) -> np.ndarray:
    """Mask of the ``count`` vertices nearest to the seed vertices (seeds first)."""
    if seeds.sum() >= count:
        return seeds.copy()
    dist = dijkstra(g.matrix, directed=False, indices=np.flatnonzero(seeds), min_only=True)
    order = np.argsort(dist, kind="stable")[:count]
    mask = np.zeros(g.n, dtype=bool)
    mask[order[np.isfinite(dist[order])]] = True
    return mask | seeds

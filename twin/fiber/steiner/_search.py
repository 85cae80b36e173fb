"""Multi-start search on a problem in array form.

Each start grows a shortest-path heuristic tree from a different terminal
(later starts with randomly biased choices), then improves it by local
search.  Every few starts the best distinct trees found so far are merged:
the union of their edges is a small graph, solved again on its own, and the
result improved in the whole graph (solution recombination).

Graphs too large for an all-pairs distance matrix are first cut down to a
corridor: the union of several randomised Mehlhorn trees, which is then
reduced (it is mostly chains of degree-2 vertices) and searched like a
small graph.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from twin.fiber.steiner._construct import mehlhorn_vertices, shortest_path_vertices
from twin.fiber.steiner._graph import ArrayGraph, Tree
from twin.fiber.steiner._local_search import improve
from twin.fiber.steiner._reduce import reduce_problem

__all__ = ["Budget", "SearchStats", "solve_arrays"]

DENSE_LIMIT = 2500


@dataclass
class Budget:
    """How much search to do: starts, patience and a wall-clock deadline."""

    deadline: float = float("inf")
    starts: int = 200
    patience: int = 24
    small_graph_work: int = 2000
    recombine_every: int = 6
    elite: int = 6
    corridor_trees: int = 8
    noise: float = 0.2
    plain_starts: int = 8
    inner_starts: int = 40
    inner_patience: int = 15

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
    construction_cost: float = float("inf")
    history: list[tuple[float, float]] = field(default_factory=list)


def solve_arrays(n, eu, ev, w, terminal, budget: Budget, rng, stats: SearchStats, *, nested=False):
    """Input edge ids of a good Steiner tree for the problem in array form."""
    red = reduce_problem(n, eu, ev, w, terminal, dense_limit=DENSE_LIMIT)
    if not nested:
        stats.reduced_vertices, stats.reduced_edges = red.n, len(red.eu)
    if int(red.terminal.sum()) <= 1 or len(red.eu) == 0:
        return list(red.fixed)
    if red.n <= DENSE_LIMIT:
        g = ArrayGraph(red.n, red.eu, red.ev, red.w, red.terminal)
        tree = _multistart(g, budget, rng, stats, recombine=not nested)
    else:
        g = ArrayGraph(red.n, red.eu, red.ev, red.w, red.terminal, with_distances=False)
        tree = _corridor(g, budget, rng, stats, narrow=not nested)
    chosen = g.edge_ids(tree.edges)
    return list(red.fixed) + [e for k in chosen for e in red.origin[k]]


def _multistart(g: ArrayGraph, budget: Budget, rng, stats: SearchStats, *, recombine: bool) -> Tree:
    roots = rng.permutation(g.terminals)
    pool: dict[bytes, Tree] = {}
    best, since_best, merged_from = None, 0, set()
    patience = budget.patience_for(g.n)
    for start in range(budget.starts):
        if start and (budget.expired() or since_best >= patience):
            break
        tree = _constructed(g, int(roots[start % len(roots)]), start, budget, rng, best)
        stats.construction_cost = min(stats.construction_cost, tree.cost)
        tree = improve(g, tree, rng, budget.deadline)
        stats.starts += 1
        pool[tree.key()] = tree
        due = recombine and start % budget.recombine_every == budget.recombine_every - 1
        if due and set(pool) != merged_from:
            merged_from = set(pool)
            merged = _recombined(g, list(pool.values()), budget, rng, stats)
            if merged is not None and merged.cost < tree.cost:
                tree = merged
                pool[tree.key()] = tree
        pool = dict(sorted(pool.items(), key=lambda kv: kv[1].cost)[: budget.elite])
        if best is None or tree.cost < best.cost - 1e-9:
            best, since_best = tree, 0
            stats.history.append((time.perf_counter(), best.cost))
        else:
            since_best += 1
    return best


def _constructed(g: ArrayGraph, root: int, start: int, budget: Budget, rng, best) -> Tree:
    """Shortest-path heuristic tree; after the first starts on perturbed weights."""
    if start < budget.plain_starts:
        return g.tree(shortest_path_vertices(g, root))
    spread = budget.noise * rng.choice([0.25, 1.0, 4.0])
    scale = rng.uniform(1.0, 1.0 + spread, len(g.w))
    if best is not None and rng.random() < 0.5:
        scale[g.edge_ids(best.edges)] *= 1.0 + spread
    return g.tree(shortest_path_vertices(g.perturbed(scale), root))


def _recombined(g: ArrayGraph, trees: list[Tree], budget: Budget, rng, stats) -> Tree | None:
    """Solve the union of the trees' edges on its own, then improve in g."""
    if len(trees) < 2 or budget.expired():
        return None
    ids = sorted({e for t in trees for e in g.edge_ids(t.edges)})
    vertices = np.unique(np.r_[g.eu[ids], g.ev[ids]])
    index = np.full(g.n, -1, dtype=np.int64)
    index[vertices] = np.arange(len(vertices))
    inner = Budget(
        deadline=budget.deadline,
        starts=budget.inner_starts,
        patience=budget.inner_patience,
        small_graph_work=0,
    )
    sub_ids = solve_arrays(
        len(vertices),
        index[g.eu[ids]],
        index[g.ev[ids]],
        g.w[ids],
        g.terminal[vertices],
        inner,
        rng,
        stats,
        nested=True,
    )
    mask = np.zeros(g.n, dtype=bool)
    mask[g.terminals] = True
    picked = np.asarray(ids)[sub_ids] if sub_ids else np.array([], dtype=np.int64)
    mask[g.eu[picked]] = True
    mask[g.ev[picked]] = True
    tree = g.tree(mask)
    if tree is None:
        return None
    stats.recombinations += 1
    return improve(g, tree, rng, budget.deadline)


def _corridor(g: ArrayGraph, budget: Budget, rng, stats, *, narrow: bool) -> Tree:
    """Search the union of randomised Mehlhorn trees of a large graph.

    With ``narrow`` false (already inside a corridor) the best Mehlhorn tree
    is returned as it is.
    """
    best, union = None, np.zeros(g.n, dtype=bool)
    for k in range(budget.corridor_trees):
        if k and budget.expired():
            break
        scale = None if k == 0 else rng.uniform(1.0, 1.25, len(g.w))
        tree = g.tree(mehlhorn_vertices(g, scale=scale))
        union |= tree.vertices
        if best is None or tree.cost < best.cost:
            best = tree
    stats.construction_cost = min(stats.construction_cost, best.cost)
    if not narrow or budget.expired():
        return best
    inside = union[g.eu] & union[g.ev]
    ids = np.flatnonzero(inside)
    vertices = np.flatnonzero(union)
    index = np.full(g.n, -1, dtype=np.int64)
    index[vertices] = np.arange(len(vertices))
    sub = solve_arrays(
        len(vertices),
        index[g.eu[ids]],
        index[g.ev[ids]],
        g.w[ids],
        g.terminal[vertices],
        budget,
        rng,
        stats,
        nested=True,
    )
    mask = np.zeros(g.n, dtype=bool)
    mask[g.terminals] = True
    mask[g.eu[ids[sub]]] = True
    mask[g.ev[ids[sub]]] = True
    found = g.tree(mask)
    return found if found is not None and found.cost < best.cost else best

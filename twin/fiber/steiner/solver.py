"""Steiner trees on weighted undirected networkx graphs.

How :func:`steiner_tree` finds the tree
---------------------------------------
Reductions shrink the graph first and dual ascent bounds the optimum;
few terminals (about ten) are solved exactly.  Otherwise shortest-path heuristic trees
from many roots are improved by local search (key-path exchange,
key-vertex elimination, Steiner-vertex insertion and elimination with
minimum spanning tree re-optimisation), and the best trees are merged
and solved again; the search stops once a tree meets the bound.  The
best tree then prunes the graph by reduced costs, and what is left is
searched again or, when small, solved by an integer program (HiGHS)
for the time left.  Graphs too large for an all-pairs distance matrix
(more than a few thousand vertices after reduction) are first narrowed to
the union of several randomised Mehlhorn trees.

Time limit
----------
Reductions and the first construction always finish, and so does a step
under way (one local search, or one all-pairs distance computation on at
most 2,500 vertices), so the limit can be overrun by that much: about a
second on a 100,000-node road graph.  Without a limit, graphs of 10^4 -
10^5 nodes may take minutes; the fibre planner passes one.

Terminals already connected
---------------------------
Terminals that are already connected to each other (for instance nodes
on an existing fibre ring) are best given as one terminal: add a node
joined to each of them by an edge of weight 0, pass that node among the
terminals, and drop its edges from the result.  Zero-weight edges are
contracted before the search, so this costs nothing.
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from twin.errors import InvalidInput, Problem
from twin.fiber.steiner._search import Budget, SearchStats, solve_arrays

__all__ = ["MOST_STARTS", "SteinerResult", "steiner_tree", "steiner_tree_edges"]

#: Most starts of a search without ``starts`` (it usually stops sooner).
MOST_STARTS = Budget.starts


@dataclass
class SteinerResult:
    """A Steiner tree and how it was found.

    Attributes
    ----------
    tree : networkx.Graph
        The tree: every terminal, the Steiner vertices it uses, and the edges
        with their attributes from the input graph.
    cost : float
        Sum of the tree's edge weights, in the unit of the weight attribute
        (metres when the planner passes road lengths).
    edges : list of tuple
        The tree's edges as ``(u, v)`` pairs of input node labels.
    lower_bound : float
        No tree joining the terminals costs less (dual ascent, or the exact
        methods' proof); :attr:`gap` compares the tree with it.
    stats : dict
        ``method`` (``dp``, ``search``, ``search + bound``, ``search +
        pruning``, ``search + dp``, ``search + mip``: what found or proved
        the tree), ``pruned_vertices`` and ``pruned_edges`` (after the
        reduced-cost reductions, None if none ran),
        ``reduced_vertices`` and ``reduced_edges`` (after reduction),
        ``starts`` (constructions improved, sub-problems included),
        ``recombinations``, ``construction_cost`` (the first tree, before local
        search: a shortest-path heuristic tree, or on large graphs the best
        of a few Mehlhorn trees) and ``elapsed_s``.
    """

    tree: nx.Graph
    cost: float
    edges: list[tuple[Hashable, Hashable]]
    stats: dict[str, Any] = field(default_factory=dict)
    lower_bound: float = 0.0

    @property
    def gap(self) -> float:
        """How much dearer than the optimum the tree may be, in % of the bound.

        The optimum lies between ``lower_bound`` and ``cost``, so the tree
        costs at most ``gap`` % more than the cheapest one; 0 when proven
        optimal.
        """
        if self.cost <= self.lower_bound:
            return 0.0
        if self.lower_bound <= 0:
            return math.inf
        return 100.0 * (self.cost - self.lower_bound) / self.lower_bound


def steiner_tree(G: nx.Graph, terminals: Iterable[Hashable], *, weight: str = "weight",
                 time_limit: float | None = None, seed: int = 0, starts: int | None = None,
                 on_start: Callable[[int, float], None] | None = None) -> SteinerResult:
    """Find a cheap tree of ``G`` that connects every terminal, and a lower bound.

    How the tree is found, and how to give terminals that are already
    connected to each other: see :mod:`twin.fiber.steiner.solver`.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph; a MultiGraph uses the cheapest of parallel edges.
        ``G`` is not modified.
    terminals : iterable of nodes
        Nodes the tree must connect.
    weight : str
        Edge attribute holding the non-negative cost of using an edge (for
        fibre: trench length in metres or cost in VND); a missing attribute
        counts as 1.
    time_limit : float, optional
        Seconds of wall-clock time after which the search stops and returns
        its best tree, overrun by at most one step under way (see the module).
    seed : int
        Seed of the random choices.  The result is the same for the same
        seed unless ``time_limit`` cuts the search short.
    starts : int, optional
        Most constructions to improve (default 200); the search also stops
        after 24 starts without a better tree (more on graphs of under about
        80 vertices after reduction, where starts are cheap).
    on_start : callable, optional
        Told ``(starts done, best cost so far)`` after each start of the
        search, for a progress bar; it must not change anything.

    Returns
    -------
    SteinerResult

    Raises
    ------
    twin.errors.InvalidInput
        If ``G`` is directed, a terminal is not in ``G``, a weight is
        negative or not finite, or the terminals are not all connected.

    Examples
    --------
    A Steiner point in the middle beats joining the three terminals directly
    (which would cost 8):

    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 4), ("b", "c", 4), ("a", "c", 4),
    ...                            ("s", "a", 2), ("s", "b", 2), ("s", "c", 2)])
    >>> result = steiner_tree(G, ["a", "b", "c"])
    >>> result.cost, sorted(result.tree)
    (6.0, ['a', 'b', 'c', 's'])
    """
    started = time.perf_counter()
    deadline = math.inf if time_limit is None else started + max(0.0, time_limit)
    counts = {} if starts is None else {"starts": starts}
    budget = Budget(deadline=deadline, on_start=on_start, **counts)
    return _solve(G, terminals, weight, budget, np.random.default_rng(seed), started)


def _solve(G: nx.Graph, terminals: Iterable[Hashable], weight: str, budget: Budget,
           rng: np.random.Generator, started: float) -> SteinerResult:
    """:func:`steiner_tree` within ``budget``: the graph as arrays, searched, and the
    tree back as a graph of ``G``'s nodes."""
    nodes, terminal, eu, ev, w = _arrays(G, terminals, weight)
    stats = SearchStats()
    ids = solve_arrays(len(nodes), eu, ev, w, terminal, budget, rng, stats) if len(eu) else []
    tree = _tree_graph(G, nodes, terminal, eu, ev, w, ids, weight)
    cost = float(sum(d.get(weight, 1) for _, _, d in tree.edges(data=True)))
    lower = min(cost, stats.lower_bound) if len(eu) else cost
    return SteinerResult(tree=tree, cost=cost, edges=list(tree.edges()),
                         stats=_result_stats(stats, cost, started), lower_bound=lower)


def _result_stats(stats: SearchStats, cost: float, started: float) -> dict[str, Any]:
    """What :attr:`SteinerResult.stats` reports of the search (``started``: its
    ``time.perf_counter()``)."""
    return {
        "reduced_vertices": stats.reduced_vertices,
        "reduced_edges": stats.reduced_edges,
        "starts": stats.starts,
        "recombinations": stats.recombinations,
        # reductions alone may have solved it: then there was no construction
        "construction_cost": (
            stats.construction_cost if math.isfinite(stats.construction_cost) else cost
        ),
        "method": stats.method,
        "pruned_vertices": stats.pruned_vertices,
        "pruned_edges": stats.pruned_edges,
        "elapsed_s": time.perf_counter() - started,
    }


def steiner_tree_edges(G: nx.Graph, terminals: Iterable[Hashable], **options) -> set[tuple]:
    """Edges ``(u, v)`` of :func:`steiner_tree`'s tree; same options."""
    return set(steiner_tree(G, terminals, **options).edges)


def _arrays(G, terminals, weight):
    """Node list, terminal mask and edge arrays (cheapest of parallel edges)."""
    problems = []
    if G.is_directed():
        problems.append(Problem("G", "undirected", "a Steiner tree needs an undirected graph"))
    terminals = list(dict.fromkeys(terminals))
    missing = [t for t in terminals if t not in G]
    if missing:
        problems.append(
            Problem("terminals", "in_graph", f"not nodes of the graph: {missing[:5]!r}")
        )
    if problems:
        raise InvalidInput("Steiner tree: invalid input", problems)
    nodes = list(G)
    index = {v: i for i, v in enumerate(nodes)}
    eu, ev, w = _edge_arrays(G, index, weight)
    terminal = np.zeros(len(nodes), dtype=bool)
    terminal[[index[t] for t in terminals]] = True
    _check_connected(len(nodes), eu, ev, terminal, nodes)
    return nodes, terminal, eu, ev, w


def _edge_arrays(G, index, weight):
    """Edge ends and weights, checked; loops dropped, cheapest parallel edge kept."""
    ends, values = [], []
    for u, v, c in G.edges(data=weight, default=1):
        ends.append((index[u], index[v]))
        values.append(c if isinstance(c, numbers.Real) else math.nan)
    w = np.array(values, dtype=float)
    bad = np.flatnonzero(~(np.isfinite(w) & (w >= 0)))
    if bad.size:
        edges = list(G.edges(data=weight, default=1))
        raise InvalidInput(
            "Steiner tree: edge weights must be finite and non-negative",
            [
                Problem("weight", "non_negative", f"edge {u!r}-{v!r} has weight {c!r}")
                for u, v, c in (edges[k] for k in bad[:10])
            ],
        )
    pairs = np.array(ends, dtype=np.int64).reshape(-1, 2)
    a, b = pairs.min(axis=1), pairs.max(axis=1)
    order = np.lexsort((w, b, a))
    a, b, w = a[order], b[order], w[order]
    first = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])] & (a != b)
    return a[first], b[first], w[first]


def _check_connected(n, eu, ev, terminal, nodes) -> None:
    _, label = connected_components(coo_matrix((np.ones(len(eu)), (eu, ev)), shape=(n, n)))
    at = np.flatnonzero(terminal)
    apart = at[label[at] != label[at[0]]] if at.size else at
    if apart.size:
        raise InvalidInput(
            "Steiner tree: terminals are not connected",
            [
                Problem(
                    "terminals",
                    "connected",
                    f"no path from {nodes[at[0]]!r} to {[nodes[k] for k in apart[:5]]!r}",
                )
            ],
        )


def _tree_graph(G, nodes, terminal, eu, ev, w, ids, weight) -> nx.Graph:
    """The chosen edges as a tree: spanning tree of them, non-terminal leaves cut."""
    ids = np.unique(np.asarray(ids, dtype=np.int64))
    n = len(nodes)
    forest = minimum_spanning_tree(
        coo_matrix((w[ids] + 1.0, (eu[ids], ev[ids])), shape=(n, n))
    ).tocoo()
    adjacency: dict[int, set[int]] = {int(t): set() for t in np.flatnonzero(terminal)}
    for a, b in zip(forest.row.tolist(), forest.col.tolist()):
        adjacency.setdefault(a, set()).add(b)
        adjacency.setdefault(b, set()).add(a)
    leaves = [v for v, nbrs in adjacency.items() if len(nbrs) <= 1 and not terminal[v]]
    while leaves:
        v = leaves.pop()
        if v in adjacency and len(adjacency[v]) <= 1 and not terminal[v]:
            for u in adjacency.pop(v):
                adjacency[u].discard(v)
                leaves.append(u)
    tree = nx.Graph()
    tree.add_nodes_from((nodes[v], G.nodes[nodes[v]]) for v in adjacency)
    for a, nbrs in adjacency.items():
        for b in nbrs:
            if a < b:
                tree.add_edge(nodes[a], nodes[b], **_edge_data(G, nodes[a], nodes[b], weight))
    return tree


def _edge_data(G, u, v, weight) -> dict:
    data = G.get_edge_data(u, v)
    if G.is_multigraph():
        data = min(data.values(), key=lambda a: a.get(weight, 1))
    return dict(data)

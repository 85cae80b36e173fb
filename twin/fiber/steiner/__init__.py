"""Steiner trees in graphs: the cheapest network joining a set of terminals.

The fibre planner uses it to choose which road segments to trench so that
every village is connected at least total length.  The solver reduces the
graph, bounds the optimum from below by dual ascent, solves few terminals
exactly by dynamic programming, builds shortest-path heuristic trees from
many roots, improves them by local search and merges the best, then prunes
the graph by reduced costs and proves what it can with an integer program;
every result carries its certified lower bound.  See :func:`steiner_tree`.
"""

from twin.fiber.steiner.solver import (
    MOST_STARTS,
    SteinerResult,
    steiner_tree,
    steiner_tree_edges,
)

__all__ = ["MOST_STARTS", "SteinerResult", "steiner_tree", "steiner_tree_edges"]

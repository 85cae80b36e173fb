"""Steiner trees in graphs: the cheapest network joining a set of terminals.

The fibre planner uses it to choose which road segments to trench so that
every village is connected at least total length.  The solver reduces the
graph, builds shortest-path heuristic trees from many roots, improves them by
local search and merges the best; see :func:`steiner_tree`.
"""

from twin.fiber.steiner.solver import (
    MOST_STARTS,
    SteinerResult,
    steiner_tree,
    steiner_tree_edges,
)

__all__ = ["MOST_STARTS", "SteinerResult", "steiner_tree", "steiner_tree_edges"]

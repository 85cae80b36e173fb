"""Local search on Steiner trees held as vertex sets.

Four neighbourhoods are applied in turn until none improves the tree:
key-path exchange, key-vertex elimination (:mod:`._key_paths`), and
Steiner-vertex insertion and elimination (:mod:`._vertex_moves`).
"""

from __future__ import annotations

import time

from twin.fiber.steiner._graph import ArrayGraph, Tree
from twin.fiber.steiner._key_paths import key_path_exchange, key_vertex_elimination
from twin.fiber.steiner._vertex_moves import vertex_elimination, vertex_insertion

__all__ = ["improve"]


def improve(g: ArrayGraph, tree: Tree, rng, deadline: float) -> Tree:
    """Apply the four neighbourhoods until none improves or time runs out."""
    moves = [
        lambda t: key_path_exchange(g, t),
        lambda t: key_vertex_elimination(g, t),
        lambda t: vertex_insertion(g, t, rng),
        lambda t: vertex_elimination(g, t),
    ]
    stale = 0
    while stale < len(moves) and time.perf_counter() < deadline:
        for move in moves:
            better = move(tree)
            while better is not None and time.perf_counter() < deadline:
                tree, stale = better, 0
                better = move(tree)
            stale += 1
            if stale >= len(moves):
                break
    return tree

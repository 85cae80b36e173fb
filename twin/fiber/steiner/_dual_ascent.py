"""Wong's dual ascent: a certified lower bound and reduced costs.

The Steiner problem is written as a directed one: a root terminal must reach
every other terminal, each edge giving two arcs.  Every set ``W`` of
vertices holding a terminal but not the root must be entered by an arc of
the tree (a *cut*).  Dual ascent raises the dual variable of one cut at a
time, by the smallest reduced cost of the arcs entering it, until every
terminal is reached from the root through arcs of reduced cost zero.  The
sum of the raises is a lower bound on the cheapest tree, valid at any moment
(the ascent can stop early and still certify what it has).

The reduced costs drive the reductions of :mod:`._reduce_dual`: a vertex or
edge whose cheapest use costs more than a known tree is in no optimal tree.

Each terminal's cut ``W`` is the set of vertices that reach it through
zero-cost arcs.  A cut is grown only while it holds no other active
terminal (whose smaller cut it would contain); cuts are grown smallest
first, as Wong proposed.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass

import numpy as np

__all__ = ["DualAscent", "dual_ascent"]

_EPS = 1e-9


@dataclass
class DualAscent:
    """Outcome of one dual ascent.

    ``reduced[k]`` is the reduced cost of arc ``k``: arcs ``0 .. m-1`` run
    ``eu -> ev``, arcs ``m .. 2m-1`` run ``ev -> eu``.  ``complete`` is False
    when the deadline stopped the ascent (the bound is still valid).
    """

    lower_bound: float
    reduced: np.ndarray
    root: int
    complete: bool


def dual_ascent(n, eu, ev, w, terminal, root, *, deadline=math.inf) -> DualAscent:
    """Raise cut duals from ``root`` until every terminal is reached.

    Parameters
    ----------
    n : int
        Vertex count.
    eu, ev, w : numpy.ndarray
        Edge ends and non-negative weights.
    terminal : numpy.ndarray of bool
    root : int
        A terminal.
    deadline : float
        :func:`time.perf_counter` value at which the ascent stops.
    """
    tails = np.r_[eu, ev].tolist()
    heads = np.r_[ev, eu]
    reduced = np.r_[w, w].astype(float).tolist()
    in_arcs: list[list[int]] = [[] for _ in range(n)]
    for a, h in enumerate(heads.tolist()):
        in_arcs[h].append(a)
    others = [int(t) for t in np.flatnonzero(terminal) if t != root]
    terminal = terminal.tolist()
    cuts = {t: _Cut(t) for t in others}
    active = set(others)
    heap = [(1, t) for t in others]
    bound, steps = 0.0, 0
    while heap:
        steps += 1
        if steps % 64 == 0 and time.perf_counter() >= deadline:
            break
        size, t = heapq.heappop(heap)
        if t not in active:
            continue
        cut = cuts[t]
        cut.grow(in_arcs, tails, reduced, terminal)
        if root in cut.inside or not cut.entering or any(o in active for o in cut.terminals):
            active.discard(t)
            continue
        if heap and len(cut.inside) > size and len(cut.inside) > heap[0][0]:
            heapq.heappush(heap, (len(cut.inside), t))
            continue
        delta = min(reduced[a] for a in cut.entering)
        bound += delta
        for a in cut.entering:
            reduced[a] -= delta
        heapq.heappush(heap, (len(cut.inside), t))
    else:
        return DualAscent(bound, np.maximum(np.array(reduced), 0.0), root, True)
    return DualAscent(bound, np.maximum(np.array(reduced), 0.0), root, False)


class _Cut:
    """Vertices reaching one terminal through zero-cost arcs, and arcs entering them."""

    def __init__(self, t: int):
        self.inside = {t}
        self.entering: list[int] = []
        self.terminals: list[int] = []  # others inside
        self._new = [t]

    def grow(self, in_arcs, tails, reduced, terminal) -> None:
        """Take in every vertex that now reaches the cut at zero cost."""
        inside, stack = self.inside, self._new
        kept = []
        for a in self.entering:
            u = tails[a]
            if u in inside:
                continue
            if reduced[a] <= _EPS:
                self._take(u, terminal)
            else:
                kept.append(a)
        while stack:
            v = stack.pop()
            for a in in_arcs[v]:
                u = tails[a]
                if u in inside:
                    continue
                if reduced[a] <= _EPS:
                    self._take(u, terminal)
                else:
                    kept.append(a)
        self.entering = [a for a in kept if tails[a] not in inside]

    def _take(self, u, terminal) -> None:
        self.inside.add(u)
        self._new.append(u)
        if terminal[u]:
            self.terminals.append(u)

"""Exact Steiner trees by integer programming (HiGHS), for small reduced graphs.

The directed-cut formulation: an arc variable per edge direction, a root
terminal, and for every vertex set ``W`` that holds a terminal but not the
root at least one arc entering ``W``.  There are exponentially many cuts,
so they are added as needed: first while the LP relaxation violates one
(found by a maximum flow from the root to each terminal), then while the
integer solution leaves a terminal unreached.  Degree rows (a terminal is
entered once, a Steiner vertex at most once and only left if entered) make
the LP tighter.

The LP value after any round is a lower bound (it relaxes the problem), and
so is HiGHS's dual bound when the time limit stops the branch and bound.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, maximum_flow

__all__ = ["MipResult", "steiner_mip"]

_SCALE = 1_000_000  # max-flow capacities are integers: x scaled
_CUT_ROUNDS = 500  # the deadline usually ends the loop first


@dataclass
class MipResult:
    """``edges`` of the best tree found (None if none), ``lower_bound``, ``optimal``."""

    edges: list[int] | None
    cost: float
    lower_bound: float
    optimal: bool


def steiner_mip(n, eu, ev, w, terminal, *, deadline, incumbent=None) -> MipResult:
    """Solve the Steiner problem exactly, or as far as ``deadline`` allows.

    ``incumbent`` is a list of edge ids of a known tree, given to HiGHS as a
    starting solution.
    """
    if int(terminal.sum()) <= 1:
        return MipResult([], 0.0, 0.0, True)
    model = _Model(n, eu, ev, w, terminal)
    lower = model.cut_loop(deadline)
    model.integral()
    if incumbent is not None:
        model.start_from(incumbent)
    while time.perf_counter() < deadline:
        model.highs.setOptionValue("time_limit", max(0.1, deadline - time.perf_counter()))
        model.highs.run()
        status = model.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:  # no tree at all
            return MipResult(None, float("inf"), float("inf"), True)
        info = model.highs.getInfo()
        lower = max(lower, float(info.mip_dual_bound))
        if info.primal_solution_status != 2:  # no feasible point
            break
        x = np.asarray(model.highs.getSolution().col_value)
        if model.add_integer_cuts(x) == 0:
            ids = sorted(set((np.flatnonzero(x > 0.5) % len(eu)).tolist()))
            optimal = status == highspy.HighsModelStatus.kOptimal
            cost = float(w[ids].sum())
            return MipResult(ids, cost, cost if optimal else min(lower, cost), optimal)
    return MipResult(None, float("inf"), lower, False)


def _quiet_highs() -> highspy.Highs:
    """A solver object; the banner HiGHS prints on its first one is kept off stdout."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w", encoding="utf-8") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class _Model:
    def __init__(self, n, eu, ev, w, terminal):
        self.n, self.m = n, len(eu)
        self.tails, self.heads = np.r_[eu, ev], np.r_[ev, eu]
        self.terminal = terminal
        self.root = int(np.flatnonzero(terminal)[0])
        h = _quiet_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        cost = np.r_[w, w].astype(float)
        upper = np.where(self.heads == self.root, 0.0, 1.0)
        h.addCols(2 * self.m, cost, np.zeros(2 * self.m), upper, 0, [], [], [])
        self.highs = h
        self._degree_rows()

    def _degree_rows(self) -> None:
        into = [[] for _ in range(self.n)]
        for a, v in enumerate(self.heads.tolist()):
            into[v].append(a)
        for v in range(self.n):
            if v == self.root:
                continue
            if self.terminal[v]:
                self._row(into[v], [1.0] * len(into[v]), 1.0, 1.0)
            else:
                self._row(into[v], [1.0] * len(into[v]), 0.0, 1.0)
        for a, u in enumerate(self.tails.tolist()):  # leave a Steiner vertex only if entered
            if not self.terminal[u]:
                self._row(into[u] + [a], [1.0] * len(into[u]) + [-1.0], 0.0, np.inf)
        for k in range(self.m):  # an edge in one direction at most
            self._row([k, k + self.m], [1.0, 1.0], -np.inf, 1.0)

    def _row(self, index, value, lower, upper) -> None:
        self.highs.addRow(
            lower, upper, len(index), np.asarray(index, np.int32), np.asarray(value, float)
        )

    def cut_loop(self, deadline) -> float:
        """Solve the LP, adding violated cuts; return its last value."""
        lower = 0.0
        for _ in range(_CUT_ROUNDS):
            if time.perf_counter() >= deadline:
                break
            self.highs.setOptionValue("time_limit", max(0.1, deadline - time.perf_counter()))
            self.highs.run()
            if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                break
            lower = max(lower, float(self.highs.getInfo().objective_function_value))
            x = np.asarray(self.highs.getSolution().col_value)
            if self._add_flow_cuts(x) == 0:
                break
        return lower

    def _add_flow_cuts(self, x) -> int:
        capacity = np.floor(x * _SCALE).astype(np.int32)
        graph = csr_matrix((capacity, (self.tails, self.heads)), shape=(self.n, self.n))
        added, seen = 0, set()
        for t in np.flatnonzero(self.terminal).tolist():
            if t == self.root:
                continue
            flow = maximum_flow(graph, self.root, t)
            if flow.flow_value >= _SCALE * (1 - 1e-4):
                continue
            residual = graph - flow.flow
            residual.data = np.maximum(residual.data, 0)
            residual.eliminate_zeros()
            reached = breadth_first_order(residual, self.root, directed=True)[0]
            side = np.ones(self.n, dtype=bool)
            side[reached] = False
            key = side.tobytes()
            if key not in seen:
                seen.add(key)
                added += self._cut(side)
        return added

    def _cut(self, side) -> int:
        """Row: at least one arc enters ``side`` (a vertex mask without the root)."""
        arcs = np.flatnonzero(~side[self.tails] & side[self.heads])
        self._row(arcs.tolist(), [1.0] * len(arcs), 1.0, np.inf)
        return 1

    def integral(self) -> None:
        count = 2 * self.m
        self.highs.changeColsIntegrality(
            count, np.arange(count, dtype=np.int32), np.ones(count, dtype=np.uint8)
        )

    def start_from(self, edges) -> None:
        """Give HiGHS the tree on ``edges``, directed away from the root."""
        chosen = np.zeros(self.m, dtype=bool)
        chosen[edges] = True
        us, vs = self.tails[: self.m][chosen], self.heads[: self.m][chosen]
        graph = csr_matrix((np.ones(2 * len(us)), (np.r_[us, vs], np.r_[vs, us])), (self.n,) * 2)
        order, parent = breadth_first_order(graph, self.root, directed=False)
        x = np.zeros(2 * self.m)
        arc = {(int(t), int(h)): a for a, (t, h) in enumerate(zip(self.tails, self.heads))}
        for v in order[1:]:
            x[arc[(int(parent[v]), int(v))]] = 1.0
        solution = highspy.HighsSolution()
        solution.col_value = x.tolist()
        solution.value_valid = True
        self.highs.setSolution(solution)

    def add_integer_cuts(self, x) -> int:
        """Cuts around each part of the chosen arcs that the root does not reach."""
        arcs = np.flatnonzero(x > 0.5)
        graph = csr_matrix(
            (np.ones(len(arcs)), (self.tails[arcs], self.heads[arcs])), shape=(self.n, self.n)
        )
        reached = np.zeros(self.n, dtype=bool)
        reached[breadth_first_order(graph, self.root, directed=True)[0]] = True
        missing = self.terminal & ~reached
        if not missing.any():
            return 0
        _, label = connected_components(graph, directed=False)
        added = self._cut(~reached)
        for part in np.unique(label[missing]):
            added += self._cut((label == part) & ~reached)
        return added

"""Reduced-cost reductions keep every tree cheaper than the known one."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from tests.twin.fiber.steiner_cases import STEINLIB, arrays_of, random_arrays
from twin.fiber.steiner._dual_ascent import dual_ascent
from twin.fiber.steiner._exact_dp import steiner_dp
from twin.fiber.steiner._mip import steiner_mip
from twin.fiber.steiner._reduce import reduce_problem
from twin.fiber.steiner._reduce_dual import reduce_by_bound

OPTIMA = {"B/b04.stp": 59, "B/b10.stp": 86, "B/b16.stp": 127, "C/c05.stp": 1579}


def ascents_of(red, roots=3):
    terminals = np.flatnonzero(red.terminal)[:roots]
    return [dual_ascent(red.n, red.eu, red.ev, red.w, red.terminal, int(r)) for r in terminals]


def optimum_of(red, w):
    """Optimal cost of a reduced problem, its fixed edges included (w: input weights)."""
    fixed = float(w[red.fixed].sum())
    if red.terminal.sum() <= 1 or len(red.eu) == 0:
        return fixed
    result = steiner_mip(
        red.n, red.eu, red.ev, red.w, red.terminal, deadline=time.perf_counter() + 30
    )
    assert result.optimal
    return fixed + result.cost


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_pruning_above_the_optimum_keeps_it(name):
    n, eu, ev, w, terminal = arrays_of(STEINLIB / name)
    red = reduce_problem(n, eu, ev, w, terminal)
    fixed = float(w[red.fixed].sum())
    # integer weights: trees one unit cheaper than upper are kept, so upper = opt + 1 keeps opt
    pruned = reduce_by_bound(
        red, ascents_of(red), OPTIMA[name] + 1 - fixed, True, deadline=math.inf
    )
    assert pruned is not None and len(pruned.eu) <= len(red.eu)
    assert optimum_of(pruned, w) == OPTIMA[name]


@pytest.mark.parametrize("name", sorted(OPTIMA))
def test_pruning_at_the_optimum_leaves_nothing_cheaper(name):
    n, eu, ev, w, terminal = arrays_of(STEINLIB / name)
    red = reduce_problem(n, eu, ev, w, terminal)
    fixed = float(w[red.fixed].sum())
    pruned = reduce_by_bound(red, ascents_of(red), OPTIMA[name] - fixed, True, deadline=math.inf)
    assert pruned is None or optimum_of(pruned, w) >= OPTIMA[name]


@pytest.mark.parametrize("seed", range(16))
def test_all_reductions_keep_the_optimum_of_small_random_graphs(seed):
    n, eu, ev, w, terminal = random_arrays(seed, n=16, extra=30, terminals=3 + seed % 6)
    optimum, _ = steiner_dp(n, eu, ev, w, terminal)
    red = reduce_problem(n, eu, ev, w, terminal)
    assert optimum_of(red, w) == pytest.approx(optimum)
    if red.terminal.sum() > 1 and len(red.eu):
        fixed = float(w[red.fixed].sum())
        pruned = reduce_by_bound(red, ascents_of(red), optimum + 1 - fixed, True, deadline=math.inf)
        assert pruned is not None and optimum_of(pruned, w) == pytest.approx(optimum)

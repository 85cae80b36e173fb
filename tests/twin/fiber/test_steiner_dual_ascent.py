"""Dual ascent: a lower bound never above the optimum, and close to it."""

from __future__ import annotations

import functools
import statistics

import numpy as np
import pytest

from tests.twin.fiber.steiner_cases import arrays_of, known_optima, random_arrays
from twin.fiber.steiner._dual_ascent import dual_ascent
from twin.fiber.steiner._reduce import reduce_problem

CASES = known_optima()


def bound_of(n, eu, ev, w, terminal, roots=3):
    """Fixed cost plus the best dual ascent bound after one round of reductions."""
    red = reduce_problem(n, eu, ev, w, terminal, max_rounds=1)
    fixed = float(w[red.fixed].sum())
    terminals = np.flatnonzero(red.terminal)
    if len(terminals) <= 1:
        return fixed
    ascents = [
        dual_ascent(red.n, red.eu, red.ev, red.w, red.terminal, int(r)) for r in terminals[:roots]
    ]
    assert all(a.complete for a in ascents)
    assert all((a.reduced >= 0).all() for a in ascents)
    return fixed + max(a.lower_bound for a in ascents)


@functools.cache
def bound_of_file(path):
    return bound_of(*arrays_of(path))


@pytest.mark.parametrize("path, optimum", CASES, ids=[p.name for p, _ in CASES])
def test_bound_is_never_above_the_optimum(path, optimum):
    assert bound_of_file(path) <= optimum + 1e-9


def test_bound_is_within_two_percent_of_the_optimum_on_average():
    gaps = [100 * (opt - bound_of_file(path)) / opt for path, opt in CASES]
    assert statistics.mean(gaps) <= 2.0


def test_steiner_point_bound_on_the_star():
    """Three terminals around a centre at 2 each, joined pairwise at 4: optimum 6."""
    eu, ev = np.array([0, 1, 0, 3, 3, 3]), np.array([1, 2, 2, 0, 1, 2])
    w = np.array([4.0, 4, 4, 2, 2, 2])
    terminal = np.array([True, True, True, False])
    ascent = dual_ascent(4, eu, ev, w, terminal, 0)
    assert ascent.lower_bound == pytest.approx(6.0)


def test_reduced_costs_stay_non_negative_and_sum_to_the_bound_on_a_path():
    w = np.array([3.0, 5.0, 7.0])
    ascent = dual_ascent(4, np.array([0, 1, 2]), np.array([1, 2, 3]), w, np.ones(4, bool), 0)
    assert ascent.lower_bound == pytest.approx(15.0)
    assert ascent.reduced[:3] == pytest.approx([0, 0, 0])  # the arcs away from the root, used
    assert (ascent.reduced >= 0).all()


def test_an_ascent_stopped_early_is_still_a_bound():
    n, eu, ev, w, terminal = arrays_of(next(p for p, _ in CASES if p.name == "c01.stp"))
    full = dual_ascent(n, eu, ev, w, terminal, int(np.flatnonzero(terminal)[0]))
    cut = dual_ascent(n, eu, ev, w, terminal, int(np.flatnonzero(terminal)[0]), deadline=0.0)
    assert not cut.complete and cut.lower_bound <= full.lower_bound


@pytest.mark.parametrize("seed", range(10))
def test_bound_on_small_random_graphs_is_below_the_dynamic_programme(seed):
    from twin.fiber.steiner._exact_dp import steiner_dp

    problem = random_arrays(seed)
    cost, _ = steiner_dp(*problem)
    assert bound_of(*problem) <= cost + 1e-9

"""Exact methods: the dynamic programme and the HiGHS cut model agree with each other
and with the known optima."""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest

from tests.twin.fiber.steiner_cases import STEINLIB, arrays_of, random_arrays
from tests.twin.fiber.test_steiner import brute_force_optimum
from twin.fiber.steiner._exact_dp import dp_fits, steiner_dp
from twin.fiber.steiner._mip import steiner_mip
from twin.fiber.steiner._reduce import reduce_problem

B_OPTIMA = {"b01.stp": 82, "b02.stp": 83, "b04.stp": 59, "b05.stp": 61, "b11.stp": 88}


def as_graph(n, eu, ev, w):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(zip(eu.tolist(), ev.tolist(), w.tolist()))
    return G


def is_tree_joining(n, eu, ev, terminal, ids):
    tree = as_graph(n, eu[ids], ev[ids], np.ones(len(ids))).edge_subgraph(
        list(zip(eu[ids].tolist(), ev[ids].tolist()))
    )
    return nx.is_tree(tree) and set(np.flatnonzero(terminal).tolist()) <= set(tree)


@pytest.mark.parametrize("seed", range(12))
def test_dynamic_programme_equals_mip_and_brute_force(seed):
    n, eu, ev, w, terminal = random_arrays(seed, n=11, extra=12, terminals=2 + seed % 5)
    cost, ids = steiner_dp(n, eu, ev, w, terminal)
    assert w[ids].sum() == pytest.approx(cost)
    assert is_tree_joining(n, eu, ev, terminal, ids)
    mip = steiner_mip(n, eu, ev, w, terminal, deadline=time.perf_counter() + 30)
    assert mip.optimal and mip.cost == pytest.approx(cost) and mip.lower_bound == mip.cost
    assert is_tree_joining(n, eu, ev, terminal, mip.edges)
    G = as_graph(n, eu, ev, w)
    assert cost == pytest.approx(brute_force_optimum(G, np.flatnonzero(terminal).tolist()))


@pytest.mark.parametrize("name", sorted(B_OPTIMA))
def test_both_find_the_steinlib_optimum_after_reduction(name):
    n, eu, ev, w, terminal = arrays_of(STEINLIB / "B" / name)
    red = reduce_problem(n, eu, ev, w, terminal)
    fixed = float(w[red.fixed].sum())
    mip = steiner_mip(red.n, red.eu, red.ev, red.w, red.terminal, deadline=time.perf_counter() + 30)
    assert mip.optimal and fixed + mip.cost == B_OPTIMA[name]
    if 1 < red.terminal.sum() and dp_fits(red.n, int(red.terminal.sum())):
        assert fixed + steiner_dp(red.n, red.eu, red.ev, red.w, red.terminal)[0] == B_OPTIMA[name]


def test_mip_out_of_time_returns_a_bound_not_a_claim():
    n, eu, ev, w, terminal = arrays_of(STEINLIB / "C" / "c18.stp")
    red = reduce_problem(n, eu, ev, w, terminal)
    fixed = float(w[red.fixed].sum())
    mip = steiner_mip(red.n, red.eu, red.ev, red.w, red.terminal, deadline=time.perf_counter() + 1)
    assert not mip.optimal
    assert 0 < fixed + mip.lower_bound <= 113  # the known optimum


def test_table_size_limits_the_dynamic_programme():
    assert dp_fits(2500, 10) and not dp_fits(2500, 12) and dp_fits(500, 12)
    assert not dp_fits(10, 13) and not dp_fits(10, 1)

"""Every solve carries a certified lower bound; few terminals are solved exactly."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.twin.fiber.steiner_cases import GENERATED, STEINLIB, known_optima
from twin.fiber.steiner import steiner_tree
from twin.fiber.stp import read_stp

B_CASES = [(p, opt) for p, opt in known_optima() if p.parent.name == "B"]


@pytest.mark.parametrize("path, optimum", B_CASES, ids=[p.name for p, _ in B_CASES])
def test_bound_below_optimum_below_cost(path, optimum):
    instance = read_stp(path)
    result = steiner_tree(instance.graph, instance.terminals, time_limit=5)
    assert result.lower_bound <= optimum <= result.cost
    assert result.gap == pytest.approx(
        100 * (result.cost - result.lower_bound) / result.lower_bound
    )


def test_ten_terminals_solved_exactly_by_the_dynamic_programme():
    instance = read_stp(STEINLIB / "C" / "c02.stp")  # 10 terminals on 500 vertices
    result = steiner_tree(instance.graph, instance.terminals, time_limit=10)
    assert result.cost == 144 and result.lower_bound == 144 and result.gap == 0
    assert result.stats["method"] == "dp"


def test_search_stops_once_the_bound_proves_its_tree():
    instance = read_stp(STEINLIB / "C" / "c05.stp")  # 250 terminals: no dynamic programme
    result = steiner_tree(instance.graph, instance.terminals, starts=200)
    assert result.cost == result.lower_bound == 1579
    assert result.stats["starts"] < 24  # far fewer than the patience of a search without a bound


def test_gap_is_zero_when_proven_and_infinite_without_a_bound():
    G = nx.path_graph(3)
    nx.set_edge_attributes(G, 2.0, "weight")
    proven = steiner_tree(G, [0, 2])
    assert proven.cost == proven.lower_bound == 4 and proven.gap == 0
    unbounded = type(proven)(proven.tree, 4.0, proven.edges, lower_bound=0.0)
    assert unbounded.gap == float("inf")


def test_fractional_weights_are_not_rounded_into_the_bound():
    G = nx.Graph()
    G.add_weighted_edges_from([(0, 1, 0.4), (1, 2, 0.4), (0, 2, 0.7), (1, 3, 0.35), (2, 3, 0.5)])
    result = steiner_tree(G, [0, 2, 3])
    assert result.lower_bound <= result.cost == pytest.approx(1.15)


FEW = [
    (p, opt)
    for p, opt in known_optima()
    if p.parent == GENERATED and p.stem.split("_")[-2] in ("5", "10")
]


@pytest.mark.parametrize("path, optimum", FEW, ids=[p.stem for p, _ in FEW])
def test_five_and_ten_terminal_generated_instances_are_solved_optimally(path, optimum):
    instance = read_stp(path)
    result = steiner_tree(instance.graph, instance.terminals, time_limit=10)
    assert result.cost == optimum and result.gap == 0

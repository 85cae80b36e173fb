"""Phasing: most households per VND first, within the budget; target years; budget search.

The tree of the hand-made design (costs in VND)::

    ROOT --100-- x --10-- A (50 households)
                 x --10-- B (30 households)
    ROOT --20--- C (40 households)

Reaching A alone costs 110 (0.45 households per VND), B alone 110 (0.27),
the whole branch under x 120 (0.67), C 20 (2.0).  Village Z (100
households) is connected already.
"""

from __future__ import annotations

import pytest

from tests.twin.fiber.plan_instances import manual_design
from twin.fiber.budget import budget_to_reach
from twin.fiber.phasing import links_of, plan_rollout
from twin.fiber.plan_graph import ROOT


def _design():
    return manual_design(
        [(ROOT, "x", 100), ("x", "a", 10), ("x", "b", 10), (ROOT, "c", 20)],
        [("A", "a", 50, 0), ("B", "b", 30, 0), ("C", "c", 40, 0)],
        connected=[("Z", 100)],
    )


def test_links_are_cut_at_villages_and_branch_points():
    links = links_of(_design())
    by_key = {k: i for i, k in enumerate(links.keys)}
    assert set(by_key) == {ROOT, "x", "a", "b", "c"}
    assert links.cost_vnd[by_key["x"]] == 100 and links.households[by_key["x"]] == 0
    assert links.parent[by_key["a"]] == by_key["x"]
    # preorder: the links below x follow it
    assert set(links.keys[by_key["x"] + 1 : links.end[by_key["x"]]]) == {"a", "b"}


def test_the_best_ratio_goes_first_and_a_whole_branch_beats_its_parts():
    rollout = plan_rollout(_design(), budget_per_year_vnd=1000, years=1)
    order = [(e.villages, e.cost_vnd, e.whole_branch) for e in rollout.extensions]
    assert order == [(["C"], 20, False), (["A", "B"], 120, True)]
    assert rollout.extensions[0].households_per_million_vnd == pytest.approx(40 / 20 * 1e6)


def test_a_year_closes_when_nothing_fits_and_savings_carry_over():
    rollout = plan_rollout(_design(), budget_per_year_vnd=70, years=2)
    assert [(p.year, p.spent_vnd, p.villages_added) for p in rollout.phases] == [
        (1, 20, 1),
        (2, 120, 2),
    ]
    assert rollout.phases[1].budget_vnd == 70 + 50
    assert rollout.village_year == {"C": 1, "A": 2, "B": 2}


def test_without_carry_over_a_budget_below_the_trunk_never_builds_it():
    rollout = plan_rollout(_design(), budget_per_year_vnd=70, years=3, carry_over=False)
    assert rollout.year_all_villages is None
    assert [p.villages_connected for p in rollout.phases][:3] == [2, 2, 2]


def test_coverage_and_the_year_each_target_is_met():
    rollout = plan_rollout(_design(), budget_per_year_vnd=70, years=2)
    total = 100 + 50 + 30 + 40
    assert rollout.start.household_share == pytest.approx(100 / total)
    assert rollout.phases[0].household_share == pytest.approx(140 / total)
    assert rollout.phases[1].household_share == pytest.approx(1.0)
    assert rollout.year_all_villages == 2 and rollout.year_households_target == 2
    easy = plan_rollout(_design(), budget_per_year_vnd=70, years=2, household_target_share=0.6)
    assert easy.year_households_target == 1
    assert (
        plan_rollout(
            _design(), budget_per_year_vnd=70, years=2, household_target_share=0.4
        ).year_households_target
        == 0
    )


def test_the_budget_search_finds_the_least_budget_for_the_year():
    design = _design()
    # in one year everything: 140; in two years C (20) then the branch (120) with savings: 70
    assert budget_to_reach(design, years=1, precision_vnd=1) == pytest.approx(140)
    assert budget_to_reach(design, years=2, precision_vnd=1) == pytest.approx(70)
    assert plan_rollout(design, budget_per_year_vnd=69, years=2).reached_by(2) is False


def test_no_budget_reaches_an_unreachable_village():
    design = _design()
    design.villages[0].status = "unreachable"
    assert budget_to_reach(design, years=3) is None


def test_prize_collecting_not_shortest_first():
    design = manual_design(
        [(ROOT, "d", 30), (ROOT, "e", 100)], [("D", "d", 10, 0), ("E", "e", 80, 0)]
    )
    rollout = plan_rollout(design, budget_per_year_vnd=100, years=2)
    # E repays 0.8 households per VND, D 0.33: E first, although D is cheaper
    assert [(e.year, e.villages) for e in rollout.extensions] == [(1, ["E"]), (2, ["D"])]


def test_terminal_costs_count_in_the_ratio():
    design = manual_design(
        [(ROOT, "d", 30), (ROOT, "e", 30)], [("D", "d", 50, 1000), ("E", "e", 40, 10)]
    )
    rollout = plan_rollout(design, budget_per_year_vnd=10_000, years=1)
    assert [e.villages for e in rollout.extensions] == [["E"], ["D"]]
    assert rollout.extensions[1].cost_vnd == 1030

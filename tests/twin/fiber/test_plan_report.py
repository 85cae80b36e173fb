"""The plan's text report: bill, phases, targets and the budget a target year needs."""

from __future__ import annotations

import re

import pytest

from tests.twin.fiber.plan_instances import duct_or_trench
from twin.fiber.costs import load_costs
from twin.fiber.plan import PlanOptions, make_plan
from twin.fiber.report import plan_report

COSTS = load_costs()


@pytest.fixture(scope="module")
def tight():
    """One village, a budget a tenth of its cost: built in year 10 with savings."""
    plan = make_plan(duct_or_trench(), COSTS, PlanOptions(years=1, time_limit_s=5))
    budget = plan.design.total_cost_vnd / 10
    return make_plan(
        duct_or_trench(), COSTS, PlanOptions(years=1, budget_per_year_vnd=budget, time_limit_s=5)
    )


def test_an_annual_budget_below_the_cost_saves_until_the_village_is_built(tight):
    r = tight.rollout
    assert r.year_all_villages == 10 and [p.spent_vnd for p in r.phases[:9]] == [0] * 9
    assert tight.budget_needed_vnd == pytest.approx(tight.design.total_cost_vnd, abs=1e6)


def test_the_report_shows_the_bill_the_phases_and_the_budget_for_the_target_year(tight):
    text = plan_report(tight)
    total = re.search(r"^total: ([\d,.]+) M VND", text, re.M).group(1)
    assert float(total.replace(",", "")) == pytest.approx(
        tight.design.total_cost_vnd / 1e6, abs=0.1
    )
    assert "cable pulled through existing ducts" in text
    assert "100% of villages: year 10" in text
    assert re.search(r"budget to meet both targets by year 1: [\d,.]+ M VND per year", text)
    assert re.search(r"^1\*\s", text, re.M)  # the horizon year is marked

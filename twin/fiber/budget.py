"""The annual budget needed to meet the rollout targets by a given year.

:func:`~twin.fiber.phasing.plan_rollout` meets the targets sooner with a
bigger budget (more fits each year), so the smallest budget that meets them
by year *N* is found by bisection between nothing and the whole design's
cost (which builds everything in the first year).
"""

from __future__ import annotations

import math

from .design import Design
from .phasing import links_of, plan_rollout

__all__ = ["budget_to_reach"]


def budget_to_reach(
    design: Design,
    *,
    years: int,
    household_target_share: float = 0.8,
    carry_over: bool = True,
    precision_vnd: float = 1e6,
    relative_precision: float = 1e-3,
) -> float | None:
    """Smallest annual budget (VND) that meets both targets by the end of ``years``.

    Both targets: every village connected, and ``household_target_share``
    of all households covered.  Returns None when no budget can (a village
    is unreachable).  The answer is rounded up to ``precision_vnd``.

    Parameters
    ----------
    design : Design
        The full network design.
    years : int
        The year by which both targets must be met (1 = in the first year).
    household_target_share : float
        Share of households to cover.
    carry_over : bool
        Whether unspent budget carries over (as in :func:`plan_rollout`).
    precision_vnd, relative_precision : float
        Bisection stops when the bracket is narrower than ``precision_vnd``
        (VND) or than ``relative_precision`` times the budget found.
    """
    links = links_of(design)

    def enough(budget: float) -> bool:
        rollout = plan_rollout(
            design,
            budget_per_year_vnd=budget,
            years=years,
            household_target_share=household_target_share,
            carry_over=carry_over,
            links=links,
        )
        return rollout.reached_by(years)

    high = math.ceil(max(design.total_cost_vnd, precision_vnd) / precision_vnd) * precision_vnd
    if enough(0.0):
        return 0.0
    if not enough(high):
        return None
    low = 0.0
    while high - low > max(precision_vnd, relative_precision * high):
        mid = (low + high) / 2
        if enough(mid):
            high = mid
        else:
            low = mid
    return math.ceil(high / precision_vnd) * precision_vnd

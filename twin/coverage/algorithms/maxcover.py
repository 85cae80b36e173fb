"""Greedy maximum coverage: which candidate sites reach a target share of homes cheapest.

Each candidate covers a set of demand points (households, by index) at a
cost; the greedy rule adds, at each step, the candidate with the most newly
covered demand per unit cost.  It is within ``1 - 1/e`` of the optimum for
the budgeted problem (Khuller, Moss and Naor, 1999) and is how planners
build a coverage curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Step", "greedy_cover"]


@dataclass(frozen=True)
class Step:
    """One site added: which candidate, what it added, and the totals after it."""

    candidate: int
    added: float
    covered: float
    cost: float


def greedy_cover(covers: list[np.ndarray], weights: np.ndarray, costs: np.ndarray, *,
                 already: np.ndarray, target: float) -> list[Step]:
    """Steps adding candidates until ``target`` (0-1) of the weight is covered or none helps.

    ``covers[i]`` are the indices of the demand points candidate ``i``
    covers; ``already`` marks points the existing sites cover.

    >>> w = np.ones(6)
    >>> steps = greedy_cover([np.array([0, 1]), np.array([2, 3, 4]), np.array([4, 5])], w,
    ...                      np.array([1.0, 1.0, 1.0]), already=np.zeros(6, bool), target=1.0)
    >>> [s.candidate for s in steps], [s.covered for s in steps]
    ([1, 0, 2], [3.0, 5.0, 6.0])
    """
    covered = np.asarray(already, bool).copy()
    total = float(weights.sum())
    done = float(weights[covered].sum())
    spent = 0.0
    left = set(range(len(covers)))
    steps: list[Step] = []
    while left and total > 0 and done < target * total - 1e-9:
        gains = {i: float(weights[covers[i][~covered[covers[i]]]].sum()) for i in left}
        best = max(left, key=lambda i: (gains[i] / costs[i], -i))
        if gains[best] <= 0:
            break
        covered[covers[best]] = True
        done += gains[best]
        spent += float(costs[best])
        left.discard(best)
        steps.append(Step(best, gains[best], done, spent))
    return steps

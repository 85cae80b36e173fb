"""Shares covered per group (commune, village): plain sums over demand points."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

__all__ = ["shares_by"]


def shares_by(groups, weights: np.ndarray, covered: np.ndarray) -> dict[str, dict]:
    """``{group: {"total", "covered", "pct"}}`` of ``weights`` per group label.

    >>> shares_by(["a", "a", "b"], np.array([2.0, 1.0, 4.0]), np.array([True, False, False]))
    {'a': {'total': 3.0, 'covered': 2.0, 'pct': 66.7}, 'b': {'total': 4.0, 'covered': 0.0, 'pct': 0.0}}
    """
    total: dict[str, float] = defaultdict(float)
    done: dict[str, float] = defaultdict(float)
    for group, w, c in zip(groups, weights, covered, strict=True):
        total[group] += float(w)
        if c:
            done[group] += float(w)
    return {g: {"total": t, "covered": done[g], "pct": round(100.0 * done[g] / t, 1) if t else 0.0}
            for g, t in total.items()}

"""What connecting each commune's villages costs, from a saved plan's build order.

The operations centre ranks communes by their fiber gap; a planner needs the
money next to it, and a figure that adds up to the plan.  The rule:

* every extension of the build order (``summary["order"]``) is charged to
  the villages it connects, in proportion to the households each brings
  (``covered_households``; equal shares when they bring none);
* a commune's cost is the sum of its villages' charges, so an extension
  whose villages lie in several communes is split among them by households,
  and a commune whose villages are all connected costs 0;
* an extension that connects no village itself (a trunk laid ahead to a
  branch point) cannot be charged from the build order alone: it is kept
  apart as ``unallocated_vnd``.

The communes' costs plus ``unallocated_vnd`` make the total of the
extensions: the whole design, rings excluded (redundancy is not part of the
gap).  Prices are the plan's (indicative unless replaced, see
``twin/fiber/data/costs.csv``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["GapCosts", "commune_costs"]


@dataclass(frozen=True)
class GapCosts:
    """Cost (VND) of connecting each commune's villages under one plan.

    ``cost_vnd`` has every commune of the plan's villages (0 when all are
    connected); ``unreachable`` counts per commune the villages the plan
    cannot reach (not in any cost).  ``saved`` is when the plan was saved.
    """

    plan_id: str
    cost_vnd: dict[str | None, float]
    unreachable: dict[str | None, int] = field(default_factory=dict)
    unallocated_vnd: float = 0.0
    total_vnd: float = 0.0
    saved: datetime | None = None


def _shares(codes: list[str], households: dict[str, int]) -> dict[str, float]:
    """Share of each village in an extension: by households, equal if none."""
    weights = {c: max(households.get(c, 0), 0) for c in codes}
    total = sum(weights.values())
    if not total:
        return {c: 1 / len(codes) for c in codes}
    return {c: w / total for c, w in weights.items()}


def commune_costs(
    summary: dict, villages: Iterable[dict], *, saved: datetime | None = None
) -> GapCosts:
    """Charge the extensions of ``summary`` to the communes of their villages.

    Parameters
    ----------
    summary : dict
        A plan summary (:func:`twin.fiber.export.plan_summary`): ``plan_id``
        and ``order``, each extension with ``villages`` (codes) and ``cost_vnd``.
    villages : iterable of dict
        The plan's villages: ``code``, ``commune``, ``covered_households``,
        ``status`` (``connected``, ``planned`` or ``unreachable``).
    saved : datetime, optional
        When the plan was saved, passed through.

    Examples
    --------
    >>> order = [{"villages": ["A", "B"], "cost_vnd": 300.0}]
    >>> villages = [
    ...     {"code": "A", "commune": "X", "covered_households": 20, "status": "planned"},
    ...     {"code": "B", "commune": "Y", "covered_households": 10, "status": "planned"},
    ...     {"code": "C", "commune": "Z", "covered_households": 50, "status": "connected"},
    ... ]
    >>> commune_costs({"plan_id": "p", "order": order}, villages).cost_vnd
    {'X': 200.0, 'Y': 100.0, 'Z': 0.0}
    """
    villages = list(villages)
    commune = {v["code"]: v["commune"] for v in villages}
    households = {v["code"]: v["covered_households"] for v in villages}
    cost = dict.fromkeys(commune.values(), 0.0)
    unreachable = dict.fromkeys(commune.values(), 0)
    for v in villages:
        unreachable[v["commune"]] += v["status"] == "unreachable"
    unallocated = total = 0.0
    for extension in summary["order"]:
        codes, vnd = extension["villages"], extension["cost_vnd"]
        total += vnd
        if not codes:
            unallocated += vnd
            continue
        for code, share in _shares(codes, households).items():
            where = commune.get(code)
            cost[where] = cost.get(where, 0.0) + share * vnd
    return GapCosts(summary["plan_id"], cost, unreachable, unallocated, total, saved)

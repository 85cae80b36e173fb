"""Certified gaps: how far each phase's network may be from the cheapest one.

The network built by the end of a year joins the villages connected by then
to the existing network.  A Steiner solve on the design's search graph with
just those villages gives a lower bound on the cheapest network joining them
over the same roads (trench, ducts, poles; VND); the phase's gap is how much
more its network costs than that bound, in %.  So "gap 0.4 %" reads: this
network costs at most 0.4 % more than the cheapest one joining the same
villages.  Equipment on the nodes and the villages' own access nodes and
drops are the same whatever the route and are left out of both sides.
"""

from __future__ import annotations

import math

from .design import Design
from .phasing import Rollout
from .plan_graph import ROOT
from .steiner import steiner_tree

__all__ = ["certify_phases", "gap_pct"]

#: Seconds of Steiner search per phase, at most (the bound, not the tree, is wanted).
PHASE_TIME_LIMIT_S = 2.0


def gap_pct(cost: float, lower_bound: float) -> float:
    """``(cost - lower_bound) / lower_bound`` in %; 0 when the bound meets the cost."""
    if cost <= lower_bound:
        return 0.0
    return math.inf if lower_bound <= 0 else 100.0 * (cost - lower_bound) / lower_bound


def certify_phases(design: Design, rollout: Rollout, *, time_limit: float | None = None) -> None:
    """Set each phase's ``network_cost_vnd``, ``lower_bound_vnd`` and ``gap_pct``.

    Parameters
    ----------
    design : Design
        With its search graph (:func:`~twin.fiber.design.design_network`).
    rollout : Rollout
        Its phases are updated in place; a phase that has connected no
        village yet keeps None.
    time_limit : float, optional
        Seconds for all phases together (default 2 s per phase).
    """
    if design.search_graph is None or not rollout.phases:
        return
    per_phase = PHASE_TIME_LIMIT_S
    if time_limit is not None:
        per_phase = min(per_phase, time_limit / len(rollout.phases))
    planned = {v.code: v.node for v in design.planned}
    everything = frozenset(planned.values())
    bounds: dict[frozenset, float] = {everything: design.stats.get("solver_lower_bound", 0.0)}
    for phase in rollout.phases:
        joined = frozenset(
            planned[c] for c, y in rollout.village_year.items() if y <= phase.year and c in planned
        )
        if not joined:
            continue
        if joined not in bounds:
            result = steiner_tree(
                design.search_graph,
                [ROOT, *sorted(joined, key=str)],
                weight="cost_vnd",
                time_limit=per_phase,
            )
            bounds[joined] = result.lower_bound
        phase.network_cost_vnd = _built_cost(design, rollout, phase.year)
        phase.lower_bound_vnd = bounds[joined]
        gap = gap_pct(phase.network_cost_vnd, phase.lower_bound_vnd)
        phase.gap_pct = gap if math.isfinite(gap) else None


def _built_cost(design: Design, rollout: Rollout, year: int) -> float:
    """Cost (VND) of the design's edges built by the end of ``year``."""
    built = rollout.node_year
    return float(
        sum(
            d["cost_vnd"]
            for u, v, d in design.tree.edges(data=True)
            if max(built.get(u, 0), built.get(v, 0)) <= year
        )
    )

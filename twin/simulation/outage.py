"""Pressure in outage analysis: which customers an isolation leaves dry, short or fine.

:func:`outage_pressure` takes an outage outcome of :mod:`twin.network.outage`
(a water isolation, or a power fault whose cascade stops pump stations and
plants), closes what the crew closes and what stopped, and runs the rest
pressure-driven at the peak hour of the daily pattern (the hour a shortage
shows first), on the EPANET project kept open for the network's data
version (:func:`~.current.outage_solver`).
"""

from __future__ import annotations

import time

from .current import current_network, outage_solver
from .standards import standards

__all__ = ["closed_by", "outage_pressure", "peak_hour_s"]

_WATER_ROLES_CLOSED = ("isolated", "valve_to_close")


def peak_hour_s() -> int:
    """Start of the hour of highest demand in the daily pattern, s after midnight."""
    pattern = standards().daily_pattern
    return 3600 * max(range(len(pattern)), key=pattern.__getitem__)


def closed_by(outcome) -> list[str]:
    """Water assets an outage outcome shuts: failed assets, the isolated pipes and the
    valves to close (water), or pump stations and plants stopped by a power cascade."""
    if outcome.utility == "water":
        shut = list(outcome.assets)
        for layer in outcome.layers:
            if layer.utility == "water" and layer.role in _WATER_ROLES_CLOSED:
                shut += layer.codes
        return sorted(set(shut))
    stages = (outcome.cascade or {}).get("until_repair") or []
    return sorted({c for s in stages if s.get("utility") == "water" for c in s.get("stopped", ())})


def _group(codes: list[str], households: dict[str, int], *, listed: bool) -> dict:
    out = {"customers": len(codes), "households": sum(households.get(c, 0) for c in codes)}
    if listed:
        out["codes"] = codes
    return out


def outage_pressure(session, outcome, *, home=None, at_s: int | None = None) -> dict | None:
    """The ``pressure`` entry of an outage report, or None when no water asset is shut.

    ``cut_off``, ``low`` and ``fine`` each give ``customers`` and
    ``households`` (the first two also the ``codes``); ``at_s`` is the
    simulated time of day, ``service_minimum_m`` the limit of ``low``.
    """
    closed = closed_by(outcome)
    if not closed:
        return None
    started = time.perf_counter()
    network = current_network(session, home)
    households = network.households
    at = peak_hour_s() if at_s is None else at_s
    groups = outage_solver(network, at).groups(closed)
    return {
        "at_s": groups.at_s,
        "service_minimum_m": groups.service_minimum_m,
        "closed": closed,
        "cut_off": _group(groups.cut_off, households, listed=True),
        "low": _group(groups.low, households, listed=True),
        "fine": _group(groups.fine, households, listed=False),
        "seconds": round(time.perf_counter() - started, 3),
    }

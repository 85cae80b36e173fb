"""Restorations of a power outage checked by load flow, in the shape the outage report needs.

:func:`restoration_check` takes a power outage outcome of
:mod:`twin.network.outage` and solves each tie it proposes
(:func:`~.algorithms.power_restoration.check_restoration`) on the power
layer as it is now.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from .algorithms.power_restoration import check_restoration
from .power_service import current_power_model, power_limits

__all__ = ["restoration_brief", "restoration_check"]


def restoration_check(session, outcome, *, unavailable: Iterable[str] = ()) -> dict | None:
    """The ``restoration_check`` entry of an outage report, or None when the outage
    proposes no tie (or is not a power outage)."""
    if outcome.utility != "power" or not outcome.analysis.get("restoration"):
        return None
    started = time.perf_counter()
    model, reduced, existing = current_power_model(session)
    found = check_restoration(model, outcome.analysis, power_limits(), unavailable=unavailable,
                              existing=existing, reduced=reduced)
    return {**found, "seconds": round(time.perf_counter() - started, 3)}


def restoration_brief(check: dict | None) -> dict | None:
    """What the crew's summary shows of a check: the verdict and counts."""
    if check is None:
        return None
    steps = check["steps"]
    return {
        "verdict": check["verdict"],
        "ties": len(steps),
        "marked": sum(s["verdict"] != "ok" for s in steps),
        "alternatives": sum(bool(s.get("alternative")) for s in steps),
    }

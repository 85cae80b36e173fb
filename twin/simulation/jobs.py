"""Water and drainage runs as background jobs (kinds ``water_run`` and ``drainage_run``,
see :mod:`twin.jobs`).

A job's parameters are the run's (water: ``at_h``, ``duration_h``,
``scenario``; drainage: ``storm``, ``duration_min``, ``blocked``); its
result is the stored run's id, summary and timings.  EPANET and SWMM hold
the interpreter while they solve (and SWMM keeps one project per
process), so each run goes to a process of its own
(:func:`twin.jobs.in_process`).
"""

from __future__ import annotations

from twin.jobs import Kind, in_process

from .drainage_service import simulate_drainage
from .service import simulate_water

__all__ = ["DRAINAGE", "DRAINAGE_KIND", "KIND", "RUN"]

KIND = "water_run"
DRAINAGE_KIND = "drainage_run"


def _simulate(engine, home, progress, params: dict, user: str | None) -> dict:
    return simulate_water(engine, home, user=user, progress=progress, **params)


def _run(ctx) -> dict:
    return in_process(ctx, _simulate, ctx.params, ctx.owner)


RUN = Kind(KIND, _run)


def _drain(engine, home, progress, params: dict, user: str | None) -> dict:
    return simulate_drainage(engine, home, user=user, progress=progress, **params)


def _run_drainage(ctx) -> dict:
    return in_process(ctx, _drain, ctx.params, ctx.owner)


DRAINAGE = Kind(DRAINAGE_KIND, _run_drainage)

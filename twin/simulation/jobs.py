"""Water runs as background jobs (kind ``water_run``, see :mod:`twin.jobs`).

The job's parameters are the run's (``at_h``, ``duration_h``, ``scenario``);
its result is the stored run's id, summary and timings.  EPANET holds the
interpreter while it solves, so the run goes to a process of its own
(:func:`twin.jobs.in_process`).
"""

from __future__ import annotations

from twin.jobs import Kind, in_process

from .service import simulate_water

__all__ = ["KIND", "RUN"]

KIND = "water_run"


def _simulate(engine, home, progress, params: dict, user: str | None) -> dict:
    return simulate_water(engine, home, user=user, progress=progress, **params)


def _run(ctx) -> dict:
    return in_process(ctx, _simulate, ctx.params, ctx.owner)


RUN = Kind(KIND, _run)

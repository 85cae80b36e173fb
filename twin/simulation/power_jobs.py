"""Power load flows as background jobs (kind ``power_run``, see :mod:`twin.jobs`).

The job's parameter is the feeder asked for (``feeder``, or none: all); its
result is the stored run's id, feeder reports and timings.  pandapower holds
the interpreter while it solves, so the run goes to a process of its own
(:func:`twin.jobs.in_process`).
"""

from __future__ import annotations

from twin.jobs import Kind, in_process

from .power_service import simulate_power

__all__ = ["KIND", "RUN"]

KIND = "power_run"


def _simulate(engine, home, progress, params: dict, user: str | None) -> dict:
    return simulate_power(engine, user=user, progress=progress, feeder=params.get("feeder"))


def _run(ctx) -> dict:
    return in_process(ctx, _simulate, ctx.params, ctx.owner)


RUN = Kind(KIND, _run)

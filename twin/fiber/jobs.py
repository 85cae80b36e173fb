"""Fibre plans as background jobs (kind ``fiber_plan``, see :mod:`twin.jobs`).

The job's parameters are the plan id and the :class:`~twin.fiber.plan.PlanOptions`
as JSON; its result is what the run wrote to the twin (rows per table).  The
plan's files go to ``home/fiber/<plan id>/`` of the worker's home.  One run
per plan id at a time: the plan id is the job's ``ref``.
"""

from __future__ import annotations

from dataclasses import asdict

from twin.jobs import Kind, enqueue

from .plan import PlanOptions
from .service import run_plan

__all__ = ["KIND", "PLAN", "queue_plan"]

KIND = "fiber_plan"


def queue_plan(session, options: PlanOptions, *, plan_id: str, user: str | None, queue: str):
    """Queue a run of plan ``plan_id`` in the caller's transaction; the job id."""
    params = {"plan_id": plan_id, "options": asdict(options)}
    return enqueue(session, KIND, params, owner=user, ref=plan_id, queue=queue)


def _run(ctx) -> dict:
    run = run_plan(
        ctx.engine,
        ctx.home,
        PlanOptions(**ctx.params["options"]),
        plan_id=ctx.params["plan_id"],
        user=ctx.owner,
        progress=ctx.progress,
    )
    return {"written": run.written}


PLAN = Kind(KIND, _run)

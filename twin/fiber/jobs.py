"""Fibre plans as background jobs (kind ``fiber_plan``, see :mod:`twin.jobs`).

The job's parameters are the plan id and the :class:`~twin.fiber.plan.PlanOptions`
as JSON; its result is what the run wrote to the twin (rows per table).  The
plan's files go to ``home/fiber/<plan id>/`` of the worker's home.  The plan
is made in a process of its own (:func:`twin.jobs.in_process`).  One run
per plan id at a time: the plan id is the job's ``ref``.
"""

from __future__ import annotations

from dataclasses import asdict

from twin.jobs import Kind, enqueue, in_process

from .plan import PlanOptions
from .service import run_plan

__all__ = ["KIND", "PLAN", "queue_plan"]

KIND = "fiber_plan"


def queue_plan(session, options: PlanOptions, *, plan_id: str, user: str | None, queue: str):
    """Queue a run of plan ``plan_id`` in the caller's transaction; the job id."""
    params = {"plan_id": plan_id, "options": asdict(options)}
    return enqueue(session, KIND, params, owner=user, ref=plan_id, queue=queue)


def _plan(engine, home, progress, params: dict, user: str | None) -> dict:
    """The run itself, in the job's own process (a pure-Python search holds the interpreter)."""
    run = run_plan(
        engine,
        home,
        PlanOptions(**params["options"]),
        plan_id=params["plan_id"],
        user=user,
        progress=progress,
    )
    return {"written": run.written}


def _run(ctx) -> dict:
    return in_process(ctx, _plan, ctx.params, ctx.owner)


PLAN = Kind(KIND, _run)

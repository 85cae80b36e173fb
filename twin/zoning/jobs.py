"""Zoning checks as background jobs (kind ``zoning_check``, see :mod:`twin.jobs`).

The check run is recorded first (:func:`queue_check`, one transaction with
its job), so its id is known at once; the job completes it.  A job that ends
without finishing — failed, cancelled, or interrupted by a restart — marks
its run failed with the reason, so no run stays "running".
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from twin.jobs import Kind, enqueue

from . import run_store, service, store

__all__ = ["CHECK", "KIND", "queue_check"]

KIND = "zoning_check"


def queue_check(session: Session, plans, against, *, with_assets: bool, user, queue: str):
    """Record a run of ``plans`` against ``against`` (plan ids) and queue it; the run id.

    ``against`` None means the higher-level plans the checked ones fall in.
    The caller commits.
    """
    rows = [store.plan_row(session, i) for i in plans]
    higher = (
        service.default_against(session, rows)
        if against is None
        else [store.plan_row(session, i) for i in against]
    )
    run = service.start_check(session, rows, higher, with_assets=with_assets, user=user)
    enqueue(session, KIND, {"run_id": run.id}, owner=user, ref=str(run.id), queue=queue)
    return run.id


def _run(ctx) -> dict:
    with Session(ctx.engine) as session:
        run = run_store.get_run(session, ctx.params["run_id"])
        service.complete_check(session, run, progress=ctx.progress)
        session.commit()
    return {"run_id": ctx.params["run_id"]}


def _ended(ctx, error: str) -> None:
    with Session(ctx.engine) as session:
        run = run_store.get_run(session, ctx.params["run_id"])
        if run.status != "done":
            run_store.finish_run(session, run, error=error)
            session.commit()


CHECK = Kind(KIND, _run, _ended)

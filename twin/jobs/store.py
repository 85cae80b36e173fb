"""The job queue in the database: enqueue, take, report, finish, cancel, recover.

Every function is one short transaction, so the queue stays right whichever
process dies: a job is taken with ``FOR UPDATE SKIP LOCKED`` (two workers,
in one process or on two machines, never take the same one), its worker
stamps ``heartbeat_at`` while it runs, and a running job whose worker is gone
is marked failed by :func:`fail_abandoned`.  Jobs come back as plain dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, any_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.types import BigInteger, Text

from twin.errors import Conflict

from .tables import ACTIVE, Job

__all__ = [
    "cancel",
    "enqueue",
    "fail_abandoned",
    "finish",
    "get",
    "heartbeat",
    "latest",
    "recent",
    "report",
    "take",
]

_JOB = Job.__table__


def enqueue(
    session: Session,
    kind: str,
    params: dict,
    *,
    owner: str | None,
    ref: str | None = None,
    queue: str = "default",
) -> int:
    """Add a queued job in the caller's transaction; its id.

    Raises :class:`~twin.errors.Conflict` when ``kind`` already has an
    unfinished job for ``ref``.
    """
    values = {"kind": kind, "params": params, "owner": owner, "ref": ref, "queue": queue}
    try:
        with session.begin_nested():
            return session.execute(_JOB.insert().values(values).returning(_JOB.c.id)).scalar_one()
    except IntegrityError as exc:
        if "uq_job_active_ref" not in str(exc.orig):
            raise
        raise Conflict(f"{kind} {ref!r} is already queued or running") from None


def get(conn, job_id: int) -> dict | None:
    """The job ``job_id`` (a connection or session), or None."""
    row = conn.execute(select(_JOB).where(_JOB.c.id == job_id)).mappings().first()
    return None if row is None else dict(row)


def latest(conn, kind: str, ref: str) -> dict | None:
    """The newest job of ``kind`` about ``ref``, or None."""
    query = select(_JOB).where(_JOB.c.kind == kind, _JOB.c.ref == ref).order_by(_JOB.c.id.desc())
    row = conn.execute(query.limit(1)).mappings().first()
    return None if row is None else dict(row)


def recent(conn, *, limit: int = 200, statuses: Sequence[str] | None = None) -> list[dict]:
    """The newest ``limit`` jobs, unfinished ones first."""
    query = select(_JOB)
    if statuses:
        query = query.where(_JOB.c.status.in_(list(statuses)))
    unfinished = _JOB.c.status.in_(list(ACTIVE))
    query = query.order_by(unfinished.desc(), _JOB.c.id.desc()).limit(limit)
    return [dict(row) for row in conn.execute(query).mappings()]


def take(engine, *, queue: str, kinds: Iterable[str], worker: str, host: str, pid: int):
    """Mark the oldest queued job of ``kinds`` running for ``worker``; the job, or None."""
    waiting = (
        select(_JOB.c.id)
        .where(
            _JOB.c.status == "queued",
            _JOB.c.queue == queue,
            _JOB.c.kind == any_(bindparam("kinds", sorted(kinds), type_=ARRAY(Text))),
        )
        .order_by(_JOB.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    now = func.now()
    claim = (
        update(_JOB)
        .where(_JOB.c.id == waiting)
        .values(
            status="running",
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            worker_host=host,
            worker_pid=pid,
        )
        .returning(*_JOB.c)
    )
    with engine.begin() as conn:
        row = conn.execute(claim).mappings().first()
    return None if row is None else dict(row)


def report(engine, job_id: int, *, done: int, total: int | None, step: dict | None) -> bool:
    """Record the progress of a running job; whether it was asked to stop."""
    query = (
        update(_JOB)
        .where(_JOB.c.id == job_id, _JOB.c.status == "running")
        .values(done=max(int(done), 0), total=total, step=step, heartbeat_at=func.now())
        .returning(_JOB.c.cancel_requested)
    )
    with engine.begin() as conn:
        asked = conn.execute(query).scalar()
    return bool(asked)


def heartbeat(engine, job_ids: Iterable[int]) -> set[int]:
    """Stamp the running jobs ``job_ids`` alive; those asked to stop."""
    ids = sorted(job_ids)
    if not ids:
        return set()
    query = (
        update(_JOB)
        .where(
            _JOB.c.id == any_(bindparam("ids", ids, type_=ARRAY(BigInteger))),
            _JOB.c.status == "running",
        )
        .values(heartbeat_at=func.now())
        .returning(_JOB.c.id, _JOB.c.cancel_requested)
    )
    with engine.begin() as conn:
        return {job_id for job_id, asked in conn.execute(query) if asked}


def finish(
    engine, job_id: int, status: str, *, result: dict | None = None, error: str | None = None
) -> bool:
    """End a running job as ``status`` (done, failed, cancelled); False if it was not running."""
    query = (
        update(_JOB)
        .where(_JOB.c.id == job_id, _JOB.c.status == "running")
        .values(status=status, result=result, error=error, finished_at=func.now())
    )
    with engine.begin() as conn:
        return conn.execute(query).rowcount == 1


def cancel(session: Session, job_id: int, *, user: str | None) -> dict | None:
    """Cancel a queued job at once, or ask a running one to stop; the job after."""
    query = (
        update(_JOB)
        .where(_JOB.c.id == job_id, _JOB.c.status == "queued")
        .values(status="cancelled", cancelled_by=user, finished_at=func.now())
    )
    if session.execute(query).rowcount == 0:
        session.execute(
            update(_JOB)
            .where(_JOB.c.id == job_id, _JOB.c.status == "running")
            .values(cancel_requested=True, cancelled_by=user)
        )
    return get(session, job_id)


def fail_abandoned(
    engine, *, host: str, stale_s: float, alive: Callable[[int], bool], at: datetime | None = None
) -> list[dict]:
    """Mark failed the running jobs whose worker is gone; those jobs.

    A worker is gone when its heartbeat is older than ``stale_s`` seconds, or
    when it ran on ``host`` in a process that ``alive(pid)`` says is dead.
    """
    at = at or datetime.now(UTC)
    stale = _JOB.c.heartbeat_at < func.now() - func.make_interval(0, 0, 0, 0, 0, 0, stale_s)
    suspects = (
        select(_JOB.c.id, _JOB.c.worker_host, _JOB.c.worker_pid, _JOB.c.heartbeat_at)
        .where(_JOB.c.status == "running", or_(stale, _JOB.c.worker_host == host))
        .with_for_update(skip_locked=True)
    )
    gone = []
    with engine.begin() as conn:
        for job_id, worker_host, pid, _ in conn.execute(suspects).all():
            if worker_host == host and pid is not None and alive(pid):
                if not conn.execute(select(stale).where(_JOB.c.id == job_id)).scalar():
                    continue
            gone.append(job_id)
        if not gone:
            return []
        error = f"interrupted by a restart of the server at {at:%Y-%m-%d %H:%M:%S} UTC"
        query = (
            update(_JOB)
            .where(and_(_JOB.c.id.in_(gone), _JOB.c.status == "running"))
            .values(status="failed", error=error, finished_at=func.now())
            .returning(*_JOB.c)
        )
        return [dict(row) for row in conn.execute(query).mappings()]

"""Background jobs: one durable queue in PostgreSQL and a bounded pool of workers.

Long work started from a page (a fibre plan, a zoning check, a file import)
is queued as a row of ``ops.job`` and run by a :class:`Runner` — a few
threads in the web server, or ``twin jobs work`` in a process of its own.
The row holds the whole state (status, progress, result, error), so it
survives a restart of the web server, and a job whose worker died is marked
failed instead of staying "running".  A kind of job is one registration
(:data:`twin.jobs.kinds.KINDS`).  ``webmap`` and the CLI use only this module.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from twin.errors import NotFound

from . import store
from .context import JobCancelled, JobContext, JobFailed, stored_step
from .kinds import KINDS, Kind, kinds, register
from .process import in_process
from .runner import Runner
from .tables import ACTIVE, FINISHED, STATUSES

__all__ = [
    "ACTIVE",
    "FINISHED",
    "KINDS",
    "STATUSES",
    "JobCancelled",
    "JobContext",
    "JobFailed",
    "Kind",
    "Runner",
    "cancel",
    "enqueue",
    "get",
    "in_process",
    "kinds",
    "latest",
    "progress_of",
    "recent",
    "register",
    "stored_step",
]

enqueue = store.enqueue
latest = store.latest
recent = store.recent


def get(session: Session, job_id: int) -> dict:
    """The job ``job_id``; :class:`~twin.errors.NotFound` if there is none."""
    job = store.get(session, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def cancel(session: Session, job_id: int, *, user: str | None, engine, home) -> dict:
    """Cancel a queued job, or ask a running one to stop at its next step; the job.

    A queued job's kind tidies up here, against ``engine`` and ``home`` (no
    worker ever will); the caller commits.
    """
    before = get(session, job_id)
    job = store.cancel(session, job_id, user=user)
    if before["status"] == "queued" and job["status"] == "cancelled":
        kind = kinds().get(job["kind"])
        if kind is not None and kind.ended is not None:
            kind.ended(JobContext(engine, home, job), f"cancelled by {user or 'an operator'}")
    return job


def progress_of(job: dict) -> float | None:
    """The share of the job done (0 to 1), or None while unknown."""
    if job["status"] == "done":
        return 1.0
    total = job.get("total")
    return min(job["done"] / total, 1.0) if total else None

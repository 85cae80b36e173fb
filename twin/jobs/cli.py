"""``twin jobs``: run the background job queue in a process of its own, list it, cancel a job.

``twin web serve`` runs a small pool of workers itself; ``twin jobs work`` adds
workers in another process (or on another machine sharing the database and
the twin's home), for instance to keep long fibre plans away from the web
server.  Both take jobs from the same queue.
"""

from __future__ import annotations

import signal
import threading

import click

from twin.config import Settings
from twin.db.engine import get_app_engine, session_scope

from . import cancel, progress_of, recent
from .runner import Runner

__all__ = ["jobs"]


@click.group()
def jobs():
    """Background jobs: fibre plans, zoning checks and file imports started from the pages."""


@jobs.command("work")
@click.option("--workers", type=click.IntRange(min=1), help="Jobs at a time (TWIN_JOB_WORKERS).")
@click.option("--queue", default="default", show_default=True, help="Queue to take jobs from.")
@click.pass_obj
def work(settings: Settings, workers: int | None, queue: str):
    """Run queued jobs until interrupted (Ctrl-C or SIGTERM lets running jobs end)."""
    runner = Runner(
        get_app_engine(settings),
        settings.home,
        workers=workers or max(settings.job_workers, 1),
        queue=queue,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    runner.start()
    click.echo(f"{runner.name}: {runner.workers} workers on queue {queue!r}")
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    click.echo("stopping: waiting for the running jobs")
    runner.stop(timeout=None)


@jobs.command("list")
@click.option("--status", type=click.Choice(["queued", "running", "done", "failed", "cancelled"]))
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.pass_obj
def list_jobs(settings: Settings, status: str | None, limit: int):
    """The newest jobs, unfinished ones first."""
    with session_scope(get_app_engine(settings)) as session:
        listed = recent(session, limit=limit, statuses=[status] if status else None)
    for job in listed:
        share = progress_of(job)
        done = "" if share is None else f" {share:.0%}"
        line = f"{job['id']:>6}  {job['kind']:<13} {job['status']:<9}{done}  {job['owner'] or '-'}"
        click.echo(line + (f"  {job['error']}" if job["error"] else ""))


@jobs.command("cancel")
@click.argument("job_id", type=int)
@click.pass_obj
def cancel_job(settings: Settings, job_id: int):
    """Cancel a queued job, or ask a running one to stop at its next step."""
    engine = get_app_engine(settings)
    with session_scope(engine) as session:
        job = cancel(session, job_id, user=None, engine=engine, home=settings.home)
    click.echo(
        f"job {job_id}: {job['status']}" + (" (stopping)" if job["cancel_requested"] else "")
    )

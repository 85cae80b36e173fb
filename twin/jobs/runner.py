"""A bounded pool of worker threads that take jobs from the database queue.

Each of the ``workers`` threads takes the oldest queued job of its queue
(:func:`twin.jobs.store.take`), runs it and writes how it ended; one more
thread stamps the heartbeat of the running jobs, passes cancel requests on
to them, and marks failed the jobs of workers that are gone
(:func:`twin.jobs.store.fail_abandoned`) — at start-up first, so no job
interrupted by a restart stays "running".  Workers are threads: most jobs
wait on the database or GDAL; a job whose work holds the interpreter (the
fibre plan's search) runs it in a child process (:mod:`twin.jobs.process`),
and a pool of its own is one command away (``twin jobs work``).  Runners in
several processes, or on several machines, share one queue safely.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session

from twin.errors import NotFound, TwinError

from . import store
from .context import JobCancelled, JobContext
from .kinds import Kind, kinds
from .tables import FINISHED

__all__ = ["Runner"]

log = logging.getLogger(__name__)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _message(exc: BaseException) -> str:
    return exc.message if isinstance(exc, TwinError) else f"{type(exc).__name__}: {exc}"


class Runner:
    """``workers`` threads running the jobs of ``queue`` against ``engine`` and ``home``.

    ``poll_s`` is how often an idle worker looks for work (:meth:`wake` calls
    it at once), ``heartbeat_s`` how often running jobs say they are alive,
    ``stale_s`` how old a heartbeat may get before its job counts as lost.
    """

    def __init__(
        self,
        engine,
        home,
        *,
        workers: int = 2,
        queue: str = "default",
        poll_s: float = 1.0,
        heartbeat_s: float = 5.0,
        stale_s: float = 300.0,
    ):
        self.engine, self.home, self.queue, self.workers = engine, Path(home), queue, workers
        self.poll_s, self.heartbeat_s, self.stale_s = poll_s, heartbeat_s, stale_s
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.name = f"{self.host}:{self.pid}:{uuid.uuid4().hex[:6]}"
        self._running: dict[int, JobContext] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._unreachable = False

    def start(self) -> Runner:
        """Fail the jobs of gone workers, then start the pool (once)."""
        with self._lock:
            if self._threads:
                return self
            self._stop.clear()
            recovered = self._try_recover()
            names = [f"job-worker-{i + 1}" for i in range(self.workers)]
            self._threads = [
                threading.Thread(target=self._work, name=n, daemon=True) for n in names
            ]
            self._threads.append(
                threading.Thread(
                    target=self._beat, args=(recovered,), name="job-heartbeat", daemon=True
                )
            )
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float | None = 10) -> None:
        """Stop taking jobs and wait up to ``timeout`` seconds for the running ones."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def wake(self) -> None:
        """A job was queued: start the pool if needed and look for work now."""
        self.start()
        self._wake.set()

    def submit(self, kind: str, params: dict, *, owner: str | None, ref: str | None = None):
        """Queue a job of ``kind`` (its own transaction) and wake the pool; the job."""
        job_id = self.queue_with(store.enqueue, kind, params, owner=owner, ref=ref)
        return self.get(job_id)

    def queue_with(self, queue_job, *args, **kwargs):
        """``queue_job(session, *args, queue=..., **kwargs)`` committed, then the pool woken.

        An area's own queueing function (which may write rows of its own with
        the job, in the same transaction) on this runner's queue; what it returns.
        """
        with Session(self.engine) as session:
            queued = queue_job(session, *args, queue=self.queue, **kwargs)
            session.commit()
        self.wake()
        return queued

    def get(self, job_id: int) -> dict:
        with self.engine.connect() as conn:
            job = store.get(conn, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return job

    def find(self, job_id: int) -> dict | None:
        """The job ``job_id``, or None."""
        with self.engine.connect() as conn:
            return store.get(conn, job_id)

    def latest(self, kind: str, ref: str) -> dict | None:
        """The newest job of ``kind`` about ``ref``, or None."""
        with self.engine.connect() as conn:
            return store.latest(conn, kind, ref)

    def wait(self, job_id: int, timeout: float | None = None) -> dict:
        """Block until the job has finished (tests and scripts); the job."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (job := self.get(job_id))["status"] not in FINISHED:
            if deadline is not None and time.monotonic() > deadline:
                break
            time.sleep(0.1)
        return job

    def recover(self) -> list[dict]:
        """Mark failed the running jobs whose worker is gone; those jobs."""
        lost = store.fail_abandoned(self.engine, host=self.host, stale_s=self.stale_s, alive=_alive)
        known = kinds()
        for job in lost:
            log.warning("job %s (%s) failed: %s", job["id"], job["kind"], job["error"])
            self._ended(known.get(job["kind"]), job, job["error"])
        return lost

    def _try_recover(self) -> bool:
        return self._quietly(self.recover, False) is not False

    def _quietly(self, work, failed):
        """``work()``, or ``failed`` while the database is away (said once per outage)."""
        try:
            answer = work()
        except Exception as exc:  # a worker outlives a database outage
            if not self._unreachable:
                log.warning("job queue unreachable, retrying: %s", str(exc).splitlines()[0])
            self._unreachable = True
            return failed
        if self._unreachable:
            log.warning("job queue reachable again")
        self._unreachable = False
        return answer

    def _work(self) -> None:
        known = kinds()
        while not self._stop.is_set():
            job = self._quietly(
                lambda: store.take(
                    self.engine,
                    queue=self.queue,
                    kinds=known,
                    worker=f"{self.name}/{threading.current_thread().name}",
                    host=self.host,
                    pid=self.pid,
                ),
                None,
            )
            if job is None:
                self._wake.wait(self.poll_s)
                self._wake.clear()
                continue
            self._quietly(partial(self._run, known[job["kind"]], job), None)

    def _run(self, kind: Kind, job: dict) -> None:
        ctx = JobContext(self.engine, self.home, job)
        with self._lock:
            self._running[job["id"]] = ctx
        try:
            result = kind.run(ctx)
            store.finish(self.engine, job["id"], "done", result=result)
        except JobCancelled:
            error = f"cancelled by {self.get(job['id'])['cancelled_by'] or 'an operator'}"
            if store.finish(self.engine, job["id"], "cancelled", error=error):
                self._ended(kind, job, error, ctx)
        except Exception as exc:  # the job reports any failure instead of dying silently
            log.exception("job %s (%s) failed", job["id"], job["kind"])
            error = _message(exc)
            if store.finish(
                self.engine, job["id"], "failed", result=getattr(exc, "result", None), error=error
            ):
                self._ended(kind, job, error, ctx)
        finally:
            with self._lock:
                self._running.pop(job["id"], None)

    def _ended(self, kind: Kind | None, job: dict, error: str, ctx=None) -> None:
        """Let the kind tidy up after a job that did not finish."""
        if kind is None or kind.ended is None:
            return
        try:
            kind.ended(ctx or JobContext(self.engine, self.home, job), error)
        except Exception:
            log.exception("tidying up after job %s (%s) failed", job["id"], job["kind"])

    def _beat(self, recovered: bool) -> None:
        last_recovery = time.monotonic() if recovered else 0.0
        while not self._stop.wait(self.heartbeat_s):
            with self._lock:
                running = dict(self._running)
            if running:
                beat = partial(store.heartbeat, self.engine, running)
                for job_id in self._quietly(beat, set()):
                    running[job_id].cancel.set()
            if time.monotonic() - last_recovery >= self.stale_s and self._try_recover():
                last_recovery = time.monotonic()

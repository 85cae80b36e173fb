"""Plan runs in background threads, with progress the plan page polls.

A run lives in memory only (its result is the plan's files and planned
assets, which outlive it): state, progress (message, done out of total),
error.  One run per plan id at a time.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from twin.errors import Conflict, TwinError
from twin.fiber.plan import PlanOptions
from twin.fiber.service import run_plan

__all__ = ["PlanJob", "PlanJobs"]


@dataclass
class PlanJob:
    id: int
    plan_id: str
    started_by: str | None
    started_at: str
    status: str = "running"
    message: str = "queued"
    done: int = 0
    total: int = 100
    error: str | None = None
    written: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class PlanJobs:
    """The plan runs of one app, on its engine and home folder."""

    def __init__(self, engine, home):
        self.engine, self.home = engine, home
        self._jobs: dict[int, PlanJob] = {}
        self._threads: dict[int, threading.Thread] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def start(self, options: PlanOptions, *, plan_id: str, user: str | None) -> PlanJob:
        with self._lock:
            if any(j.plan_id == plan_id and j.status == "running" for j in self._jobs.values()):
                raise Conflict(f"fibre plan {plan_id!r} is already being computed")
            job = PlanJob(next(self._ids), plan_id, user, datetime.now(UTC).isoformat())
            self._jobs[job.id] = job
        thread = threading.Thread(
            target=self._work, args=(job, options), daemon=True, name=f"fiber-plan-{job.id}"
        )
        self._threads[job.id] = thread
        thread.start()
        return job

    def get(self, job_id: int) -> PlanJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """Block until the run ends (tests and scripts)."""
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)

    def _report(self, job: PlanJob, message: str, done: int, total: int) -> None:
        with self._lock:
            job.message, job.done, job.total = message, done, total

    def _work(self, job: PlanJob, options: PlanOptions) -> None:
        try:
            run = run_plan(
                self.engine,
                self.home,
                options,
                plan_id=job.plan_id,
                user=job.started_by,
                progress=lambda m, d, t: self._report(job, m, d, t),
            )
            with self._lock:
                job.status, job.written = "done", run.written
        except Exception as exc:  # the job reports any failure instead of dying silently
            message = exc.message if isinstance(exc, TwinError) else f"{type(exc).__name__}: {exc}"
            with self._lock:
                job.status, job.error, job.message = "failed", message, "failed"

"""Plan runs as background jobs (:mod:`twin.fiber.jobs`), shaped for the plan page.

The run's state is its job's row, so a run outlives a restart of the web
server (one interrupted by it reads as failed).  The page polls
:meth:`PlanJobs.get`.
"""

from __future__ import annotations

from twin import jobs
from twin.fiber import KIND, PlanOptions, queue_plan

from ..i18n import shown

__all__ = ["PlanJobs"]


class PlanJobs:
    """The plan runs of one app, on its job runner."""

    def __init__(self, runner: jobs.Runner):
        self.runner = runner

    def start(self, options: PlanOptions, *, plan_id: str, user: str | None) -> dict:
        """Queue a run of ``plan_id``; :class:`~twin.errors.Conflict` if one is under way."""
        job_id = self.runner.queue_with(queue_plan, options, plan_id=plan_id, user=user)
        return self.get(job_id)

    def get(self, job_id: int) -> dict | None:
        """The run ``job_id`` as the page reads it, or None."""
        job = self.runner.find(job_id)
        if job is None or job["kind"] != KIND:
            return None
        return _run_json(job)

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """Block until the run ends (tests and scripts)."""
        self.runner.wait(job_id, timeout)


def _run_json(job: dict) -> dict:
    step = job["step"]
    finished = job["status"] in jobs.FINISHED
    return {
        "id": job["id"],
        "plan_id": job["params"]["plan_id"],
        "started_by": job["owner"],
        "started_at": (job["started_at"] or job["created_at"]).isoformat(),
        "status": job["status"],
        "message": job["status"] if finished or step is None else shown(step),
        "done": job["done"],
        "total": job["total"] or 100,
        "error": job["error"],
        "written": (job["result"] or {}).get("written", {}),
    }

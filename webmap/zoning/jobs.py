"""Check runs as background jobs (:mod:`twin.zoning.jobs`), with the progress the page polls.

The run row and its job are committed together before the work starts, so
the run's id and state are visible at once and survive a restart of the web
server; the step under way is read from the job.
"""

from __future__ import annotations

from dataclasses import dataclass

from twin import jobs
from twin.i18n import Message
from twin.zoning import KIND, queue_check

__all__ = ["CheckJobs", "Progress"]


@dataclass
class Progress:
    """A status key (``queued``, ``done``, ``failed``) or the step under way
    (a :class:`twin.i18n.Message`), and steps done out of the total."""

    message: str | Message = "queued"
    done: int = 0
    total: int = 1

    def to_dict(self) -> dict:
        return {"message": str(self.message), "done": self.done, "total": self.total}


class CheckJobs:
    """The checks of one app, on its job runner."""

    def __init__(self, runner: jobs.Runner):
        self.runner = runner

    def start(self, plans, against, *, with_assets: bool, user: str | None) -> int:
        """Record a run of ``plans`` against ``against`` (plan ids) and queue it; the run id."""
        return self.runner.queue_with(
            queue_check, plans, against, with_assets=with_assets, user=user
        )

    def progress(self, run_id: int) -> Progress | None:
        """Where the check of run ``run_id`` is, or None for a run without a job."""
        job = self.runner.latest(KIND, str(run_id))
        return None if job is None else _progress(job)

    def wait(self, run_id: int, timeout: float | None = None) -> None:
        """Block until the run's job ends (tests and scripts)."""
        job = self.runner.latest(KIND, str(run_id))
        if job is not None:
            self.runner.wait(job["id"], timeout)


def _progress(job: dict) -> Progress:
    total = job["total"] or 1
    if job["status"] == "done":
        return Progress("done", total, total)
    if job["status"] in jobs.FINISHED:
        return Progress("failed", job["done"], total)
    step = job["step"]
    if job["status"] == "queued" or step is None:
        return Progress("queued", 0, total)
    return Progress(Message(step["text"], step.get("values") or {}), job["done"], total)

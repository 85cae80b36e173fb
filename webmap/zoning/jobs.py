"""Check runs in background threads, with progress the planner page polls.

The run row is committed before the work starts, so its id and state are
visible at once; progress (step message, steps done out of the total) lives
in memory next to it, and a failure is written to the run.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.orm import Session

from twin.errors import TwinError
from twin.i18n import Message
from twin.zoning import run_store, service, store

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
    """The running checks of one app, on its engine."""

    def __init__(self, engine):
        self.engine = engine
        self._progress: dict[int, Progress] = {}
        self._threads: dict[int, threading.Thread] = {}
        self._lock = threading.Lock()

    def start(self, plans, against, *, with_assets: bool, user: str | None) -> int:
        """Record a run of ``plans`` against ``against`` (plan ids) and start it; the run id."""
        with Session(self.engine) as session:
            rows = [store.plan_row(session, i) for i in plans]
            higher = (
                service.default_against(session, rows)
                if against is None
                else [store.plan_row(session, i) for i in against]
            )
            run = service.start_check(session, rows, higher, with_assets=with_assets, user=user)
            session.commit()
            run_id = run.id
        with self._lock:
            self._progress[run_id] = Progress()
        thread = threading.Thread(
            target=self._work, args=(run_id,), daemon=True, name=f"zoning-check-{run_id}"
        )
        self._threads[run_id] = thread
        thread.start()
        return run_id

    def progress(self, run_id: int) -> Progress | None:
        with self._lock:
            return self._progress.get(run_id)

    def wait(self, run_id: int, timeout: float | None = None) -> None:
        """Block until the run's thread ends (tests and scripts)."""
        thread = self._threads.get(run_id)
        if thread is not None:
            thread.join(timeout)

    def _report(self, run_id: int, message: str, done: int, total: int) -> None:
        with self._lock:
            self._progress[run_id] = Progress(message, done, total)

    def _work(self, run_id: int) -> None:
        try:
            with Session(self.engine) as session:
                run = run_store.get_run(session, run_id)
                service.complete_check(
                    session, run, progress=lambda m, d, t: self._report(run_id, m, d, t)
                )
                session.commit()
        except Exception as exc:  # the run records any failure instead of dying silently
            message = exc.message if isinstance(exc, TwinError) else f"{type(exc).__name__}: {exc}"
            with Session(self.engine) as session:
                run_store.finish_run(session, run_store.get_run(session, run_id), error=message)
                session.commit()
            self._report(run_id, "failed", 0, 1)

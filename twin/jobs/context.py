"""What a running job sees: its parameters, a progress callback, a cancel flag.

Progress goes to the database at most every :attr:`JobContext.every_s`
seconds (and always at the last step), so a job may report as often as it
likes; each write also reads the job's cancel flag, and a cancelled job's
next :meth:`JobContext.progress` raises :class:`JobCancelled`, which unwinds
the job's transaction.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from twin.errors import TwinError
from twin.i18n import Message

from . import store

__all__ = ["JobCancelled", "JobContext", "JobFailed", "stored_step"]


class JobCancelled(Exception):
    """Raised inside a job that was asked to stop."""


class JobFailed(TwinError):
    """A job's failure that still has a result to show (an import's report)."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result


def stored_step(message) -> dict | None:
    """A step (a :class:`~twin.i18n.Message` or a plain English key) as stored JSON."""
    if message is None:
        return None
    if isinstance(message, Message):
        return message.to_json()
    return {"text": str(message), "values": {}}


@dataclass
class JobContext:
    """The job ``job`` (a row of the queue) running against ``engine`` and ``home``."""

    engine: object
    home: Path
    job: dict
    every_s: float = 0.5
    cancel: threading.Event = field(default_factory=threading.Event)
    _written_at: float = 0.0
    _thread: threading.Thread = field(default_factory=threading.current_thread)

    @property
    def id(self) -> int:
        return self.job["id"]

    @property
    def params(self) -> dict:
        return self.job["params"]

    @property
    def owner(self) -> str | None:
        return self.job["owner"]

    def progress(self, message, done: int, total: int | None = None) -> None:
        """The step under way (``message``) and ``done`` steps out of ``total``."""
        now = time.monotonic()
        if now - self._written_at >= self.every_s or (total is not None and done >= total):
            self._written_at = now
            step = stored_step(message)
            if store.report(self.engine, self.id, done=done, total=total, step=step):
                self.cancel.set()
        self.check_cancelled()

    def check_cancelled(self) -> None:
        """Raise :class:`JobCancelled` if the job was asked to stop.

        Only in the job's own thread: a helper thread reporting progress (a
        solver's ticker) goes on, and the job stops at its own next step.
        """
        if self.cancel.is_set() and threading.current_thread() is self._thread:
            raise JobCancelled(f"job {self.id} was cancelled")

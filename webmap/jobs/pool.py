"""The app's job runner (:class:`twin.jobs.Runner`), made when the app is.

``twin web serve`` starts its pool (:func:`start`) with ``Settings.job_workers``
threads, which first marks failed the jobs a previous server left running.
Any other app (tests, embedded uses) starts it on its first job.  A test app
takes jobs from a queue of its own: test apps of one process share a
database but not a home, and a plan's files must land in the home of the app
that asked for it.
"""

from __future__ import annotations

import uuid

from flask import current_app

from twin.jobs import Runner

__all__ = ["init_app", "runner", "start"]

_KEY = "twin_jobs"


def init_app(app) -> None:
    settings = app.config["TWIN_SETTINGS"]
    queue = f"test-{uuid.uuid4().hex[:12]}" if app.testing else "default"
    app.extensions[_KEY] = Runner(
        app.extensions["twin_engine"],
        settings.home,
        workers=max(settings.job_workers, 0),
        queue=app.config.get("TWIN_JOB_QUEUE", queue),
        poll_s=app.config.get("TWIN_JOB_POLL_S", 1.0),
    )


def runner(app=None) -> Runner:
    """The runner of ``app`` (default: the current one)."""
    return (app or current_app).extensions[_KEY]


def start(app) -> Runner:
    """Start ``app``'s pool now: at start-up of a server, not on its first job."""
    return runner(app).start()

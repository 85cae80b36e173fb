"""Running the CPU-heavy part of a job in a process of its own.

A worker is a thread of the web server; a pure-Python search (the fibre
plan's Steiner solver) holding the interpreter for half a minute would slow
every request of that server.  :func:`in_process` runs such work in a child
process (``spawn``: a clean interpreter, nothing of the server's state) while
the worker thread waits, relays the child's progress to the job (and so its
heartbeat and cancel flag), and terminates the child when the job is
cancelled.  A child whose parent dies stops too, so a killed server leaves no
orphan writing to the twin.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queues
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, pool

from twin.errors import TwinError

from .context import JobContext, JobFailed

__all__ = ["in_process"]

_POLL_S = 0.2


def in_process(ctx: JobContext, work, *args):
    """``work(engine, home, progress, *args)`` in a child process; what it returns.

    ``work`` is a module-level function (the child imports it by name), its
    arguments and result plain data; ``progress(message, done, total)`` goes
    to :meth:`JobContext.progress`.  A failure of the child is a
    :class:`~twin.jobs.context.JobFailed` with the child's message.
    """
    spawn = multiprocessing.get_context("spawn")
    messages = spawn.Queue()
    url = ctx.engine.url.render_as_string(hide_password=False)
    child = spawn.Process(
        target=_child,
        args=(messages, os.getpid(), url, str(ctx.home), work, args),
        name=f"job-{ctx.id}",
        daemon=True,
    )
    child.start()
    try:
        return _relay(ctx, child, messages)
    finally:
        if child.is_alive():
            child.terminate()  # cancelled, or the worker failed: its transaction rolls back
        child.join(10)
        messages.close()


def _relay(ctx: JobContext, child, messages):
    while True:
        try:
            kind, *payload = messages.get(timeout=_POLL_S)
        except queues.Empty:
            if not child.is_alive():
                raise JobFailed(f"the job's process stopped (exit code {child.exitcode})") from None
            ctx.check_cancelled()
            continue
        if kind == "progress":
            ctx.progress(*payload)
        elif kind == "done":
            return payload[0]
        else:
            raise JobFailed(payload[0])


def _child(messages, parent: int, url: str, home: str, work, args) -> None:
    threading.Thread(target=_stop_with, args=(parent,), daemon=True).start()
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        result = work(engine, Path(home), lambda *step: messages.put(("progress", *step)), *args)
        messages.put(("done", result))
    except Exception as exc:  # the parent reports it as the job's error
        text = exc.message if isinstance(exc, TwinError) else f"{type(exc).__name__}: {exc}"
        messages.put(("error", text))
    finally:
        engine.dispose()
        messages.close()
        messages.join_thread()


def _stop_with(parent: int) -> None:
    """End this process as soon as its parent is gone (killed with SIGKILL)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)

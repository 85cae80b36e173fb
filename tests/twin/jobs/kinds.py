"""Job kinds for the tests, registered on import; ``python -m`` runs a runner of them.

``test_steps`` counts to ``params["steps"]`` with progress, ``test_fail``
raises, ``test_block`` reports progress until it is cancelled or its process
dies, ``test_hold`` waits for an event of the test, ``test_child`` counts in
a process of its own (``steps`` 0: until cancelled, negative: it fails).  Each records in
:data:`ENDED` the jobs it tidied up after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, pool

from twin.i18n import N_, Message
from twin.jobs import Kind, Runner, in_process, register

ROOT = Path(__file__).resolve().parents[3]
ENDED: list[tuple[int, str]] = []
RELEASE = threading.Event()


def _ended(ctx, error: str) -> None:
    ENDED.append((ctx.id, error))


def _steps(ctx) -> dict:
    steps = ctx.params["steps"]
    for done in range(steps + 1):
        ctx.progress(Message(N_("loading %(table)s"), {"table": f"t{done}"}), done, steps)
    return {"counted": steps}


def _fail(ctx) -> None:
    raise ValueError(f"no {ctx.params['what']}")


def _block(ctx) -> None:
    while True:
        ctx.progress("waiting", 0, 1)
        time.sleep(0.05)


def _hold(ctx) -> None:
    while not RELEASE.wait(0.05):
        ctx.check_cancelled()


def _in_child(engine, home, progress, steps: int) -> dict:
    with engine.connect() as conn:
        user = conn.exec_driver_sql("SELECT current_user").scalar()
    for done in range(steps + 1):
        progress(Message(N_("loading %(table)s"), {"table": f"t{done}"}), done, steps)
    if steps < 0:
        raise ValueError("a negative count")
    (home / "child.pid").write_text(str(os.getpid()))
    while steps == 0:  # runs until it is terminated
        progress("waiting", 0, 1)
        time.sleep(0.05)
    return {"pid": os.getpid(), "user": user}


def _child(ctx) -> dict:
    return in_process(ctx, _in_child, ctx.params["steps"])


for kind in (
    Kind("test_steps", _steps, _ended),
    Kind("test_fail", _fail, _ended),
    Kind("test_block", _block, _ended),
    Kind("test_hold", _hold, _ended),
    Kind("test_child", _child, _ended),
):
    register(kind)


@contextmanager
def worker_process(url: str, home, queue: str):
    """A runner of these kinds in a process of its own, killed (SIGKILL) at the end."""
    with subprocess.Popen(
        [sys.executable, "-m", "tests.twin.jobs.kinds", url, str(home), queue],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
    ) as worker:
        try:
            assert worker.stdout.readline().strip() == b"ready"
            yield worker
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)


if __name__ == "__main__":  # url home queue: a runner in a process the test can kill
    url, home, queue = sys.argv[1:4]
    engine = create_engine(url, poolclass=pool.NullPool)
    Runner(engine, home, workers=1, queue=queue, poll_s=0.05, heartbeat_s=0.2).start()
    print("ready", flush=True)
    threading.Event().wait()

"""``twin`` commands as real processes, for tests that kill them as a crash would."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

__all__ = ["free_port", "kill_hard", "twin_process", "wait_until"]

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def twin_process(args: list[str], env: dict, log: Path):
    """``twin <args>`` running with ``env`` added to ours, its output in ``log``; killed on exit."""
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "twin.cli", *args], env=full, cwd=ROOT,
            stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            kill_hard(proc)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kill_hard(proc: subprocess.Popen) -> None:
    """``kill -9``: no handler runs, no buffer is flushed, no transaction is ended."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def wait_until(condition, timeout_s: float = 30.0, what: str = "the condition") -> None:
    """Poll ``condition`` every 20 ms until it holds; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout_s} s")
        time.sleep(0.02)

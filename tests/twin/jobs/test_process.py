"""Work in a process of its own: progress relayed, result and errors returned, cancel kills it."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy.orm import Session

from tests.twin.jobs.kinds import ENDED
from twin import jobs

pytestmark = pytest.mark.db


def test_the_work_runs_in_another_process_with_its_progress(runner, jobs_engine):
    done = runner.wait(runner.submit("test_child", {"steps": 3}, owner="ann")["id"], timeout=60)
    assert done["status"] == "done", done
    assert done["result"]["pid"] != os.getpid()
    assert done["result"]["user"] == jobs_engine.url.username  # its own connection, same login
    assert (done["done"], done["total"]) == (3, 3)
    assert done["step"] == {"text": "loading %(table)s", "values": {"table": "t3"}}


def test_a_failure_in_the_process_fails_the_job_with_its_message(runner):
    failed = runner.wait(runner.submit("test_child", {"steps": -1}, owner="ann")["id"], timeout=60)
    assert (failed["status"], failed["error"]) == ("failed", "ValueError: a negative count")
    assert (failed["id"], "ValueError: a negative count") in ENDED


def test_cancelling_the_job_ends_its_process(runner, jobs_engine, tmp_path):
    job = runner.submit("test_child", {"steps": 0}, owner="ann")
    pid_file = tmp_path / "child.pid"
    deadline = time.monotonic() + 60
    while not pid_file.exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child = int(pid_file.read_text())
    with Session(jobs_engine) as session:
        jobs.cancel(session, job["id"], user="root", engine=jobs_engine, home=tmp_path)
        session.commit()
    assert runner.wait(job["id"], timeout=30)["status"] == "cancelled"
    with pytest.raises(ProcessLookupError):
        os.kill(child, 0)  # terminated and reaped

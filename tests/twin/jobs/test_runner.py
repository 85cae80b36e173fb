"""The pool: runs jobs to the end, reports failures, bounds and cancels, survives a kill."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.orm import Session

from tests.twin.jobs.kinds import ENDED, RELEASE, worker_process
from twin import jobs

pytestmark = pytest.mark.db


def _until(check, timeout_s: float = 20.0):
    deadline = time.monotonic() + timeout_s
    while not (answer := check()):
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)
    return answer


def test_a_job_runs_to_the_end_with_its_progress_and_result(runner):
    job = runner.submit("test_steps", {"steps": 4}, owner="ann")
    # An idle worker may take and finish the job before submit reads it back.
    assert (job["kind"], job["owner"]) == ("test_steps", "ann")
    assert job["status"] in ("queued", "running", "done")
    done = runner.wait(job["id"], timeout=20)
    assert (done["status"], done["result"], done["error"]) == ("done", {"counted": 4}, None)
    assert (done["done"], done["total"], jobs.progress_of(done)) == (4, 4, 1.0)
    assert done["step"] == {"text": "loading %(table)s", "values": {"table": "t4"}}
    assert done["worker"].startswith(runner.name + "/job-worker-")


def test_a_failing_job_is_failed_with_its_error_and_tidied_up(runner):
    job = runner.submit("test_fail", {"what": "pipes"}, owner="ann")
    failed = runner.wait(job["id"], timeout=20)
    assert (failed["status"], failed["error"]) == ("failed", "ValueError: no pipes")
    assert (job["id"], "ValueError: no pipes") in ENDED


def test_the_pool_runs_no_more_jobs_at_once_than_its_workers(runner, jobs_engine):
    ids = [runner.submit("test_hold", {}, owner="ann")["id"] for _ in range(4)]

    def statuses():
        return [runner.get(i)["status"] for i in ids]

    _until(lambda: statuses().count("running") == 2)
    time.sleep(0.3)  # idle workers would have taken more by now
    assert sorted(statuses()) == ["queued", "queued", "running", "running"]
    RELEASE.set()
    assert [runner.wait(i, timeout=20)["status"] for i in ids] == ["done"] * 4


def test_a_running_job_is_cancelled_at_its_next_step(runner, jobs_engine, tmp_path):
    job = runner.submit("test_block", {}, owner="ann")
    _until(lambda: runner.get(job["id"])["status"] == "running")
    with Session(jobs_engine) as session:
        jobs.cancel(session, job["id"], user="root", engine=jobs_engine, home=tmp_path)
        session.commit()
    cancelled = runner.wait(job["id"], timeout=20)
    assert (cancelled["status"], cancelled["error"]) == ("cancelled", "cancelled by root")
    assert (job["id"], "cancelled by root") in ENDED


def test_a_queued_job_cancelled_is_tidied_up_at_once(jobs_engine, queue, tmp_path):
    with Session(jobs_engine) as session:
        job_id = jobs.enqueue(session, "test_steps", {"steps": 1}, owner="ann", queue=queue)
        session.commit()
    with Session(jobs_engine) as session:
        job = jobs.cancel(session, job_id, user="root", engine=jobs_engine, home=tmp_path)
        session.commit()
    assert job["status"] == "cancelled" and (job_id, "cancelled by root") in ENDED


def test_a_job_whose_worker_process_was_killed_is_failed_at_the_next_start(
    jobs_engine, jobs_url, queue, tmp_path
):
    with Session(jobs_engine) as session:
        job_id = jobs.enqueue(session, "test_block", {}, owner="ann", queue=queue)
        session.commit()
    watcher = jobs.Runner(jobs_engine, tmp_path)
    with worker_process(jobs_url, tmp_path, queue) as worker:
        _until(lambda: watcher.get(job_id)["status"] == "running")
        assert watcher.get(job_id)["worker_pid"] == worker.pid
    assert watcher.get(job_id)["status"] == "running"  # killed: nobody said otherwise
    restarted = jobs.Runner(jobs_engine, tmp_path, workers=1, queue=queue).start()
    try:
        job = restarted.get(job_id)
        assert job["status"] == "failed", job
        assert job["error"].startswith("interrupted by a restart of the server at ")
        assert (job_id, job["error"]) in ENDED
    finally:
        restarted.stop()

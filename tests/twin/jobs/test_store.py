"""The queue in PostgreSQL: enqueue, take, report, finish, cancel, recover."""

from __future__ import annotations

import os
import socket
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.errors import Conflict
from twin.jobs import store

pytestmark = pytest.mark.db

HOST, PID = socket.gethostname(), os.getpid()


def _queued(engine, queue: str, kind: str = "test_steps", **params) -> int:
    with Session(engine) as session:
        job_id = store.enqueue(
            session, kind, params, owner="ann", queue=queue, ref=params.get("ref")
        )
        session.commit()
    return job_id


def _take(engine, queue: str, worker: str = "w1", kinds=("test_steps",), pid: int = PID):
    return store.take(engine, queue=queue, kinds=kinds, worker=worker, host=HOST, pid=pid)


def _job(engine, job_id: int) -> dict:
    with engine.connect() as conn:
        return store.get(conn, job_id)


def test_a_job_is_queued_taken_reported_and_finished(jobs_engine, queue):
    job_id = _queued(jobs_engine, queue, steps=3)
    queued = _job(jobs_engine, job_id)
    assert (queued["status"], queued["owner"], queued["params"]) == ("queued", "ann", {"steps": 3})
    assert queued["started_at"] is None and queued["worker"] is None

    taken = _take(jobs_engine, queue, "host:1:abc/job-worker-1")
    assert taken["id"] == job_id and taken["status"] == "running"
    assert (taken["worker"], taken["worker_host"], taken["worker_pid"]) == (
        "host:1:abc/job-worker-1",
        HOST,
        PID,
    )
    assert _take(jobs_engine, queue) is None  # nothing else waits

    step = {"text": "loading %(table)s", "values": {"table": "pipes"}}
    assert store.report(jobs_engine, job_id, done=2, total=3, step=step) is False
    assert store.heartbeat(jobs_engine, [job_id]) == set()
    running = _job(jobs_engine, job_id)
    assert (running["done"], running["total"], running["step"]) == (2, 3, step)
    assert running["heartbeat_at"] >= taken["heartbeat_at"]

    assert store.finish(jobs_engine, job_id, "done", result={"counted": 3})
    done = _job(jobs_engine, job_id)
    assert (done["status"], done["result"], done["error"]) == ("done", {"counted": 3}, None)
    assert done["finished_at"] is not None
    assert not store.finish(jobs_engine, job_id, "failed", error="late")  # it ended already


def test_two_workers_never_take_the_same_job(jobs_engine, queue):
    ids = {_queued(jobs_engine, queue, steps=1) for _ in range(30)}
    taken: dict[str, list[int]] = {}
    start = threading.Barrier(6)

    def worker(name: str) -> None:
        start.wait()
        mine = taken.setdefault(name, [])
        while (job := _take(jobs_engine, queue, name)) is not None:
            mine.append(job["id"])

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [job_id for mine in taken.values() for job_id in mine]
    assert sorted(every) == sorted(ids)  # each job taken once, none left behind
    with jobs_engine.connect() as conn:
        workers = dict(
            conn.execute(
                text("SELECT id, worker FROM ops.job WHERE queue = :q"), {"q": queue}
            ).all()
        )
    assert all(workers[job_id] == name for name, mine in taken.items() for job_id in mine)


def test_a_worker_takes_only_its_queue_and_the_kinds_it_knows(jobs_engine, queue):
    other = _queued(jobs_engine, queue + "-other", steps=1)
    unknown = _queued(jobs_engine, queue, kind="test_fail", what="x")
    known = _queued(jobs_engine, queue, steps=1)
    assert _take(jobs_engine, queue)["id"] == known
    assert _take(jobs_engine, queue) is None
    assert _job(jobs_engine, other)["status"] == _job(jobs_engine, unknown)["status"] == "queued"


def test_one_unfinished_job_per_kind_and_ref(jobs_engine, queue):
    ref = f"plan-{queue}"
    first = _queued(jobs_engine, queue, steps=1, ref=ref)
    with pytest.raises(Conflict, match="already queued or running"):
        _queued(jobs_engine, queue, steps=1, ref=ref)
    _take(jobs_engine, queue)
    store.finish(jobs_engine, first, "done")
    assert _queued(jobs_engine, queue, steps=1, ref=ref) != first  # finished: free again


def test_a_queued_job_is_cancelled_at_once_a_running_one_is_asked_to_stop(jobs_engine, queue):
    waiting = _queued(jobs_engine, queue, steps=1)
    running = _queued(jobs_engine, queue, steps=1)
    with Session(jobs_engine) as session:
        job = store.cancel(session, waiting, user="root")
        session.commit()
    assert (job["status"], job["cancelled_by"]) == ("cancelled", "root")
    assert _take(jobs_engine, queue)["id"] == running  # the cancelled one is never taken
    with Session(jobs_engine) as session:
        job = store.cancel(session, running, user="root")
        session.commit()
    assert (job["status"], job["cancel_requested"]) == ("running", True)
    assert store.report(jobs_engine, running, done=0, total=1, step=None) is True
    assert store.heartbeat(jobs_engine, [running]) == {running}


def test_jobs_of_gone_workers_are_failed_and_live_ones_kept(jobs_engine, queue):
    alive, dead, stale = (_queued(jobs_engine, queue, steps=1) for _ in range(3))
    _take(jobs_engine, queue, "alive", pid=PID)
    _take(jobs_engine, queue, "dead", pid=999_999)
    _take(jobs_engine, queue, "stale", pid=PID)
    with jobs_engine.begin() as conn:
        conn.execute(
            text("UPDATE ops.job SET heartbeat_at = now() - interval '5 minutes' WHERE id = :id"),
            {"id": stale},
        )
    failed = store.fail_abandoned(jobs_engine, host=HOST, stale_s=60, alive=lambda pid: pid == PID)
    assert {job["id"] for job in failed} >= {dead, stale}
    assert alive not in {job["id"] for job in failed}
    for job_id in (dead, stale):
        job = _job(jobs_engine, job_id)
        assert job["status"] == "failed" and job["finished_at"] is not None
        assert job["error"].startswith("interrupted by a restart of the server at ")
    assert _job(jobs_engine, alive)["status"] == "running"

"""``twin jobs list`` and ``twin jobs cancel`` on the queue."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from twin import jobs
from twin.cli import cli

pytestmark = pytest.mark.db


def test_the_queue_is_listed_and_a_job_cancelled(jobs_url, jobs_engine, queue, tmp_path):
    with Session(jobs_engine) as session:
        job_id = jobs.enqueue(session, "test_steps", {"steps": 1}, owner="ann", queue=queue)
        session.commit()
    env = {"DATABASE_URL": jobs_url, "TWIN_APP_DATABASE_URL": jobs_url, "TWIN_HOME": str(tmp_path)}
    runner = CliRunner()

    listed = runner.invoke(cli, ["jobs", "list", "--status", "queued"], env=env)
    assert listed.exit_code == 0, listed.output
    (line,) = [row for row in listed.output.splitlines() if row.split()[0] == str(job_id)]
    assert line.split()[1:] == ["test_steps", "queued", "ann"]

    cancelled = runner.invoke(cli, ["jobs", "cancel", str(job_id)], env=env)
    assert (cancelled.exit_code, cancelled.output.strip()) == (0, f"job {job_id}: cancelled")
    assert jobs.Runner(jobs_engine, tmp_path).get(job_id)["status"] == "cancelled"

    unknown = runner.invoke(cli, ["jobs", "cancel", "999999"], env=env)
    assert unknown.exit_code == 1 and "no job 999999" in unknown.output

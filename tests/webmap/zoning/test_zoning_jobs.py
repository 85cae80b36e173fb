"""A check whose worker died is failed, with the reason, when the server starts again."""

from __future__ import annotations

import pytest

from tests.twin.zoning.places import CRS, at
from twin.db.engine import session_scope
from twin.jobs import Runner
from twin.jobs.store import take
from twin.zoning.jobs import queue_check
from twin.zoning.model import Plan, Zone
from twin.zoning.store import save_plan
from webmap import create_app
from webmap.jobs import pool

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("zoning-web")]

GONE_PID = 2**22 + 1  # above the kernel's pid limit: no process has it


def test_a_check_interrupted_by_a_restart_is_failed_not_running(app, client, tokens, own_engine):
    plan = Plan("R", "zoning", "restarted plan", [Zone("homes", "ODT", at(0, 0, 40, 40))])
    with session_scope(own_engine) as session:
        plan_id = save_plan(session, plan, crs=CRS)
        run_id = queue_check(
            session, [plan_id], [], with_assets=False, user="planner", queue="parked-zoning"
        )
    worker = Runner(own_engine, ".")
    taken = take(
        own_engine,
        queue="parked-zoning",
        kinds=["zoning_check"],
        worker="gone/job-worker-1",
        host=worker.host,
        pid=GONE_PID,
    )
    assert taken["ref"] == str(run_id)  # a server took it, then died without a word
    headers = {"Authorization": f"Bearer {tokens['planner']}"}
    assert client.get(f"/zoning/runs/{run_id}", headers=headers).get_json()["status"] == "running"

    restarted = create_app(app.config["TWIN_SETTINGS"], {"TESTING": True})
    pool.start(restarted)
    try:
        run = restarted.test_client().get(f"/zoning/runs/{run_id}", headers=headers).get_json()
    finally:
        pool.runner(restarted).stop()
    assert run["status"] == "failed"
    assert run["error"].startswith("interrupted by a restart of the server at ")
    assert run["progress"]["message"] == "failed"

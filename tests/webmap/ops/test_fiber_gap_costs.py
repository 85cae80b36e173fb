"""The decisions page prices each commune's fiber gap from the newest saved plan."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from tests.twin.fiber.plan_db import GROUP
from tests.webmap.ops.conftest import login
from twin.config import Settings
from twin.db.engine import session_scope
from twin.fiber import store
from twin.fiber.plan import PlanOptions
from twin.fiber.service import run_plan
from twin.fiber.writeback import remove_plan
from twin.live.patterns import LOCAL
from webmap import create_app

pytestmark = [pytest.mark.db, GROUP]

PLAN = "ops-gap-plan"


@pytest.fixture(scope="module")
def planned(fiber_engine, tmp_path_factory):
    """A plan of the small demo run and written to the twin, in a home of its own."""
    home = tmp_path_factory.mktemp("ops-fiber-home")
    run = run_plan(
        fiber_engine, home, PlanOptions(years=3, time_limit_s=2), plan_id=PLAN, user="tester"
    )
    yield home, run.plan
    with session_scope(fiber_engine) as session:
        remove_plan(session, PLAN, user="tester")


def _client(fiber_demo, home):
    settings = Settings(home=home, database_url=fiber_demo.url, secret_key="test-secret")
    client = create_app(settings, {"TESTING": True}).test_client()
    login(client, "viewer")
    return client


def _gap_rows(client) -> dict[str, dict]:
    body = client.get("/ops/export/fiber_gaps.csv").get_data(as_text=True)
    return {r["commune"]: r for r in csv.DictReader(io.StringIO(body))}


def test_before_any_plan_the_page_says_how_to_make_one(fiber_demo, tmp_path):
    client = _client(fiber_demo, tmp_path)
    html = client.get("/ops/decisions").get_data(as_text=True)
    assert '<p class="note">' in html and "chưa lập kế hoạch cáp quang nào" in html
    html = client.get("/ops/decisions?lang=en").get_data(as_text=True)
    assert "no fiber plan has been run yet" in html
    assert "twin fiber plan" in html and 'href="/fiber/"' in html
    rows = _gap_rows(client)
    assert rows and all(r["cost_vnd"] == "" and r["cost_plan"] == "" for r in rows.values())


def test_the_page_prices_the_gap_from_the_plan(fiber_demo, planned):
    home, plan = planned
    extensions = sum(e.cost_vnd for e in plan.rollout.extensions)
    communes = {v.commune for v in plan.design.villages}
    assert len(communes) == 1  # the small demo town: the whole plan is its cost
    (commune,) = communes
    client = _client(fiber_demo, home)
    saved = datetime.fromtimestamp(store.plans(home)[0]["saved"], LOCAL)
    html = client.get("/ops/decisions").get_data(as_text=True)
    assert f"Chi phí theo kế hoạch cáp quang {PLAN} lập lúc {saved:%d/%m/%Y %H:%M}:" in html
    html = client.get("/ops/decisions?lang=en").get_data(as_text=True)
    assert f"Cost from fiber plan {PLAN} of {saved:%d/%m/%Y %H:%M}:" in html
    assert f"{round(extensions):,}" in html
    row = _gap_rows(client)[commune]
    assert int(row["cost_vnd"]) == round(extensions) and row["cost_plan"] == PLAN
    assert int(row["cost_vnd"]) == pytest.approx(plan.design.total_cost_vnd, abs=1)
    # the planned access nodes written to the twin do not count as fiber
    unconnected = sum(v.status != "connected" for v in plan.design.villages)
    assert int(row["villages_without_fiber"]) == unconnected > 0
    assert row["villages_unreachable"] == "0"

"""Work orders over HTTP: planned and repair work, the calendar, closing with the incident."""

import pytest
from sqlalchemy import text

from tests.factories import committed_asset
from tests.webmap.api.apptest import bearer, login
from twin.db.engine import session_scope
from twin.live.models import Incident

pytestmark = pytest.mark.db


@pytest.fixture
def incident(api_engine) -> str:
    with session_scope(api_engine) as session:
        number = session.execute(
            text("SELECT nextval(pg_get_serial_sequence('live.incident', 'id'))")).scalar()
        session.add(Incident(id=number, code=f"INC-{number:06d}", title="Burst main",
                             severity="major", status="open", details={}))
    return f"INC-{number:06d}"


def _order(client, token, **fields):
    body = {"title": "Prune the trees of Lê Lợi street", "planned_start": "2026-12-10",
            "planned_end": "2026-12-12", "crew": "Tổ cây xanh 2", "cost_vnd": 12_000_000,
            **fields}
    return client.post("/api/workorders", json=body, headers=bearer(token))


def test_a_crew_plans_work_that_the_calendar_shows(client, tokens, api_engine):
    tree = committed_asset(api_engine, "trees_tree")
    made = _order(client, tokens["crew"], assets=[f"trees_tree/{tree}"])
    assert made.status_code == 201, made.get_json()
    order = made.get_json()
    assert order["assets"] == [f"trees_tree/{tree}"] and order["status"] == "planned"
    page = client.get("/maintenance/?month=2026-12&lang=vi",
                      headers=bearer(tokens["viewer"])).get_data(as_text=True)
    assert page.count(f'data-order="{order["id"]}"') == 4  # three days and the list
    assert "Lịch bảo trì" in page and "12.000.000 ₫" in page
    listed = client.get("/api/workorders", headers=bearer(tokens["viewer"])).get_json()
    assert order["id"] in [o["id"] for o in listed]


def test_viewers_may_not_plan_work_and_anonymous_readers_see_none(client, tokens):
    assert _order(client, tokens["viewer"]).status_code == 403
    assert client.get("/api/workorders").status_code == 401


def test_closing_the_incident_in_the_operations_centre_closes_its_repair(client, tokens,
                                                                        incident):
    repair = _order(client, tokens["crew"], kind="repair", incident_code=incident,
                    title="Repair the burst main").get_json()
    csrf = login(client, "crew")
    response = client.post(f"/ops/incidents/{incident}/close",
                           data={"note": "pipe clamp fitted", "csrf_token": csrf})
    assert response.status_code == 302
    done = {o["id"]: o for o in client.get("/api/workorders?status=all").get_json()}
    assert done[repair["id"]]["status"] == "done"
    assert "pipe clamp fitted" in done[repair["id"]]["closing_note"]


def test_a_repair_marked_done_closes_its_incident(client, tokens, incident, api_engine):
    repair = _order(client, tokens["crew"], kind="repair", incident_code=incident).get_json()
    moved = client.post(f"/api/workorders/{repair['id']}/status",
                        json={"status": "done", "note": "main replaced"},
                        headers=bearer(tokens["crew"]))
    assert moved.status_code == 200, moved.get_json()
    with api_engine.connect() as conn:
        status = conn.execute(text("SELECT status FROM live.incident WHERE code = :c"),
                              {"c": incident}).scalar()
    assert status == "closed"

"""The crew's checklist over HTTP: ticks recorded on the incident, by whom and when."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, pool, text

from tests.webmap.map.apptest import login
from tests.webmap.outage.incidents import open_incident

pytestmark = [pytest.mark.db, pytest.mark.xdist_group("network_demo")]


@pytest.fixture
def incident(network_demo, pipe):
    with open_incident(network_demo.url, "water_pipe", pipe, "water") as code:
        yield code


def _events(url: str, code: str) -> list[tuple]:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT e.actor, e.action, e.data->>'device', (e.data->>'order')::int "
                "FROM live.incident_event e JOIN live.incident i ON i.id = e.incident_id "
                "WHERE i.code = :c ORDER BY e.id"
            ),
            {"c": code},
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _tick(client, code, step, done=True, **headers):
    return client.post(
        f"/ops/incidents/{code}/steps",
        json={"order": step["order"], "device": step["device"], "done": done},
        headers={"X-CSRFToken": client.csrf, **headers},
    )


def test_a_tick_is_recorded_on_the_incident_and_survives_a_reload(crew, incident, network_demo):
    steps = crew.get(f"/ops/incidents/{incident}/steps.json").get_json()["steps"]
    assert steps and not any(s["done"] for s in steps)
    response = _tick(crew, incident, steps[0])
    assert response.status_code == 200
    assert response.get_json()["steps"][0]["done"] is True
    assert _events(network_demo.url, incident) == [("cris", "step_done", steps[0]["device"], 1)]
    again = crew.get(f"/ops/incidents/{incident}/steps.json").get_json()["steps"]
    assert again[0]["done"] and again[0]["by"] == "cris" and again[0]["at_local"]
    assert not any(s["done"] for s in again[1:])
    undone = _tick(crew, incident, steps[0], done=False).get_json()["steps"][0]
    assert undone["done"] is False and undone["by"] == "cris"


def test_the_tick_shows_in_the_incident_history(crew, incident):
    step = crew.get(f"/ops/incidents/{incident}/steps.json").get_json()["steps"][0]
    _tick(crew, incident, step)
    page = crew.get(f"/ops/incidents/{incident}?lang=vi").get_data(as_text=True)
    assert "đã làm bước" in page and f"bước 1: Đóng {step['device']}" in page
    assert 'data-checklist="' in page and "checklist.js" in page


def test_the_summary_names_the_open_incident_of_its_assets(crew, incident, pipe):
    summary = crew.post(
        "/outage/analyse", json={"codes": [pipe]}, headers={"X-CSRFToken": crew.csrf}
    ).get_json()
    assert summary["incidents"] == [incident]


def test_a_step_must_be_one_of_the_incident(crew, incident):
    step = crew.get(f"/ops/incidents/{incident}/steps.json").get_json()["steps"][0]
    wrong_device = {**step, "device": "WTR-VALVE-NOPE"}
    assert _tick(crew, incident, wrong_device).status_code == 422
    assert _tick(crew, incident, {**step, "order": 999}).status_code == 422
    bad = crew.post(
        f"/ops/incidents/{incident}/steps",
        json={"order": "1", "device": step["device"]},
        headers={"X-CSRFToken": crew.csrf},
    )
    assert bad.status_code == 422


@pytest.mark.parametrize(("user", "status"), [(None, 401), ("vera", 403)])
def test_only_those_who_operate_may_tick(app, incident, network_demo, user, status):
    client = app.test_client()
    client.csrf = login(client, user) if user else client.get("/me").get_json()["csrf_token"]
    step = {"order": 1, "device": "ANY"}
    assert _tick(client, incident, step).status_code == status
    assert _events(network_demo.url, incident) == []


def test_a_tick_needs_the_csrf_token(crew, incident, network_demo):
    step = crew.get(f"/ops/incidents/{incident}/steps.json").get_json()["steps"][0]
    response = crew.post(
        f"/ops/incidents/{incident}/steps",
        json={"order": step["order"], "device": step["device"], "done": True},
    )
    assert response.status_code == 403
    assert _events(network_demo.url, incident) == []


def test_the_work_order_ticks_off_on_the_open_incident(crew, incident, pipe):
    html = crew.get(f"/outage/workorder?code={pipe}").get_data(as_text=True)
    assert 'data-checklist="' in html and "checklist.js" in html and incident in html
    offline = crew.get(f"/outage/workorder?code={pipe}&offline=1").get_data(as_text=True)
    assert 'data-checklist="' not in offline, "the file on the phone has no server to record on"

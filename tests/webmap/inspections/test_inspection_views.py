"""Inspections over HTTP: the form page, recording, conflicts, roles, the collections."""

import csv
import io
import threading
import time

import pytest
from sqlalchemy import text

from tests.factories import committed_asset
from tests.twin.photos.images import phone_jpeg
from tests.webmap.api.apptest import bearer
from twin.db.engine import session_scope
from twin.edits import update_feature

pytestmark = pytest.mark.db

LEAKING = {"answers": {"operation": "exercised", "leak": "leaking", "turns": "14"},
           "asset_version": 1}


@pytest.fixture
def valve(api_engine) -> str:
    return committed_asset(api_engine, "water_valve")


def _post(client, token, code, body, form="exercise"):
    return client.post(f"/api/inspections/water_valve/{code}/{form}", json=body,
                       headers=bearer(token))


def test_a_crew_records_an_inspection_and_the_asset_reads_its_condition(client, tokens, valve):
    response = _post(client, tokens["crew"], valve, LEAKING)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["asset"]["properties"]["condition"] == "poor"
    assert body["inspection"]["properties"]["turns"] == 14
    item = client.get(f"/collections/water_valve/items/{valve}",
                      headers=bearer(tokens["viewer"])).get_json()
    assert item["properties"]["condition"] == "poor"
    assert item["properties"]["version"] == 2
    history = client.get(f"/api/inspections/water_valve/{valve}",
                         headers=bearer(tokens["viewer"])).get_json()
    assert [i["properties"]["result"] for i in history["inspections"]] == ["poor"]


def test_an_inspection_of_an_asset_edited_meanwhile_is_a_conflict(client, tokens, valve,
                                                                  api_engine):
    with session_scope(api_engine) as session:
        update_feature(session, "water_valve", valve, {"diameter_mm": 300}, expected_version=1,
                       user="editor")
    response = _post(client, tokens["crew"], valve, LEAKING)
    assert response.status_code == 412
    problem = response.get_json()
    assert problem["current"]["properties"]["diameter_mm"] == 300
    assert "inspect again" in problem["detail"]


def test_viewers_may_not_inspect_and_anonymous_readers_see_no_inspection(client, tokens,
                                                                        valve):
    assert _post(client, tokens["viewer"], valve, LEAKING).status_code == 403
    assert client.post(f"/api/inspections/water_valve/{valve}/exercise",
                       json=LEAKING).status_code == 401
    assert client.get(f"/api/inspections/water_valve/{valve}").status_code == 401
    assert client.get("/api/inspections/collections").status_code == 401


def test_bad_answers_are_a_problem_naming_the_check(client, tokens, valve):
    body = {**LEAKING, "answers": {"operation": "jammed", "leak": "none"}}
    response = _post(client, tokens["crew"], valve, body)
    assert response.status_code == 422
    assert [p["field"] for p in response.get_json()["problems"]] == ["operation"]
    assert _post(client, tokens["crew"], valve, LEAKING, form="nope").status_code == 404


def test_the_collection_lists_inspections_as_geojson_and_csv(client, tokens, valve):
    sent = {**LEAKING, "location": {"type": "Point", "coordinates": [106.21, 21.28]}}
    assert _post(client, tokens["crew"], valve, sent).status_code == 201
    who = bearer(tokens["viewer"])
    ids = [c["id"] for c in client.get("/api/inspections/collections",
                                       headers=who).get_json()["collections"]]
    assert "inspection_water_valve_exercise" in ids
    page = client.get("/api/inspections/collections/inspection_water_valve_exercise/items"
                      "?limit=500", headers=who)
    assert page.mimetype == "application/geo+json"
    mine = [f for f in page.get_json()["features"] if f["properties"]["asset_code"] == valve]
    assert mine[0]["geometry"]["coordinates"] == [106.21, 21.28]
    table = client.get("/api/inspections/collections/inspection_water_valve_exercise/items"
                       "?f=csv&limit=500", headers=who)
    rows = [r for r in csv.DictReader(io.StringIO(table.get_data(as_text=True)))
            if r["asset_code"] == valve]
    assert (rows[0]["leak"], rows[0]["lon"]) == ("leaking", "106.21")


def test_the_page_shows_the_declared_form_and_the_history_in_vietnamese(client, tokens,
                                                                       valve):
    assert _post(client, tokens["crew"], valve, LEAKING).status_code == 201
    page = client.get(f"/inspections/water_valve/{valve}?lang=vi",
                      headers=bearer(tokens["crew"])).get_data(as_text=True)
    assert 'name="operation"' in page and 'name="leak"' in page and 'name="turns"' in page
    assert "Kẹt, không xoay được" in page
    assert "Lịch sử kiểm tra" in page
    assert "Rò rỉ" in page
    viewer = client.get(f"/inspections/water_valve/{valve}",
                        headers=bearer(tokens["viewer"])).get_data(as_text=True)
    assert 'class="inspection"' not in viewer


def test_the_map_panel_of_an_inspected_asset_links_to_its_inspections(client, tokens, valve):
    panel = client.get(f"/map/panel/water_valve/{valve}", headers=bearer(tokens["viewer"]))
    assert f'href="/inspections/water_valve/{valve}"' in panel.get_data(as_text=True)


def test_the_page_shows_photos_of_an_inspection_with_their_exif(client, tokens, valve):
    made = _post(client, tokens["crew"], valve, LEAKING).get_json()["inspection"]
    ref = f"{made['properties']['form']}/{made['id']}"
    photo = client.post(f"/api/photos/inspection/{ref}", data=phone_jpeg(106.2, 21.27),
                        headers=bearer(tokens["crew"])).get_json()
    page = client.get(f"/inspections/water_valve/{valve}?lang=en",
                      headers=bearer(tokens["viewer"])).get_data(as_text=True)
    assert f'src="/photos/{photo["id"]}/thumbnail.jpg"' in page
    assert "Taken 07/12/2026 08:15" in page
    assert "21.27, 106.2" in page


def _waiting_for_locks(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")).scalar_one()


def test_one_inspection_sent_twice_at_once_is_stored_once(app, tokens, valve, api_engine):
    """Both requests pass the first look for the key, then queue on the asset's lock."""
    body = {**LEAKING, "client_id": "f3b2a4d0-twice-at-once"}
    answers = []

    def send():
        response = _post(app.test_client(), tokens["crew"], valve, body)
        answers.append((response.status_code, response.get_json()))

    with api_engine.connect() as blocker:
        blocker.execute(text("SELECT 1 FROM assets.water_valve WHERE code = :c FOR UPDATE"),
                        {"c": valve})
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while _waiting_for_locks(api_engine) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_for_locks(api_engine) == 2
        blocker.rollback()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(status for status, _ in answers) == [200, 201], answers
    repeat = next(answer for status, answer in answers if status == 200)
    assert repeat["repeated"] is True
    assert len({answer["inspection"]["id"] for _, answer in answers}) == 1
    with api_engine.connect() as conn:
        stored = conn.execute(text(
            "SELECT count(*) FROM ops.inspection_water_valve_exercise WHERE client_id = :k"),
            {"k": body["client_id"]}).scalar_one()
    assert stored == 1


def test_a_refused_inspection_applied_on_the_current_version_names_both(client, tokens, valve,
                                                                        api_engine):
    with session_scope(api_engine) as session:
        update_feature(session, "water_valve", valve, {"diameter_mm": 300}, expected_version=1,
                       user="editor")
    assert _post(client, tokens["crew"], valve, LEAKING).status_code == 412
    backwards = {**LEAKING, "asset_version": 2, "made_on_version": 2}
    refused = _post(client, tokens["crew"], valve, backwards)
    assert refused.status_code == 422
    assert refused.get_json()["problems"][0]["field"] == "made_on_version"
    again = _post(client, tokens["crew"], valve, {**LEAKING, "asset_version": 2,
                                                  "made_on_version": 1})
    assert again.status_code == 201, again.get_json()
    body = again.get_json()
    assert body["inspection"]["properties"]["asset_version"] == 2
    assert body["asset"]["properties"]["diameter_mm"] == 300  # the newer edit is kept
    with api_engine.connect() as conn:
        reason = conn.execute(text("SELECT reason FROM audit.history WHERE code = :c "
                                   "ORDER BY id DESC LIMIT 1"), {"c": valve}).scalar_one()
    assert reason == "inspection exercise, made on version 1, applied on version 2"

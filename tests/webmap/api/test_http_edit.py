"""Editing through HTTP: versions, lost updates, validation, roles, CSRF and history."""

import pytest
from flask.testing import FlaskClient

from tests.webmap.api.apptest import bearer, login

pytestmark = pytest.mark.db

VALVE = {
    "type": "Feature",
    "geometry": {"type": "Point", "coordinates": [105.61, 21.61]},
    "properties": {"normal_state": "open", "valve_type": "gate", "diameter_mm": 150},
}


def _create_valve(client, token) -> tuple[str, str]:
    r = client.post("/collections/water_valve/items", json=VALVE, headers=bearer(token))
    assert r.status_code == 201, r.data
    assert r.headers["Location"].endswith(r.get_json()["id"])
    return r.get_json()["id"], r.headers["ETag"]


def test_second_writer_gets_412_and_nothing_is_overwritten(app, tokens):
    editor = app.test_client()
    csrf = login(editor, "editor")
    code, etag = _create_valve(editor, tokens["editor"])
    url = f"/collections/water_valve/items/{code}"
    admin: FlaskClient = app.test_client()
    admin_csrf = login(admin, "admin")
    seen_by_admin = admin.get(url).headers["ETag"]
    first = editor.patch(
        url,
        json={"properties": {"diameter_mm": 200}},
        headers={"If-Match": etag, "X-CSRFToken": csrf},
    )
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    second = admin.patch(
        url,
        json={"properties": {"valve_type": "butterfly"}},
        headers={"If-Match": seen_by_admin, "X-CSRFToken": admin_csrf},
        query_string={"reason": "survey 2025"},
    )
    assert second.status_code == 412
    assert second.headers["ETag"] == '"2"'
    current = second.get_json()["current"]["properties"]
    assert current["diameter_mm"] == 200 and current["valve_type"] == "gate"
    stored = admin.get(url).get_json()["properties"]
    assert (stored["diameter_mm"], stored["valve_type"], stored["version"]) == (200, "gate", 2)
    retry = admin.patch(
        url,
        json={"properties": {"valve_type": "butterfly"}},
        headers={"If-Match": '"2"', "X-CSRFToken": admin_csrf},
        query_string={"reason": "survey 2025"},
    )
    assert retry.status_code == 200
    versions = admin.get(f"{url}/history").get_json()["versions"]
    assert [(v["action"], v["changed_by"], v["version"]) for v in versions] == [
        ("create", "editor", 1),
        ("update", "editor", 2),
        ("update", "admin", 3),
    ]
    assert versions[1]["changes"]["diameter_mm"] == [150, 200]
    assert versions[2]["changes"] == {"valve_type": ["gate", "butterfly"]}
    assert versions[2]["reason"] == "survey 2025"


def test_browser_writes_need_the_csrf_header_tokens_do_not(app, tokens):
    browser = app.test_client()
    login(browser, "editor")
    refused = browser.post("/collections/water_valve/items", json=VALVE)
    assert refused.status_code == 403 and "X-CSRFToken" in refused.get_json()["detail"]
    _create_valve(app.test_client(), tokens["editor"])


def test_writes_without_if_match_are_428(client, tokens):
    code, _ = _create_valve(client, tokens["editor"])
    r = client.delete(f"/collections/water_valve/items/{code}", headers=bearer(tokens["editor"]))
    assert r.status_code == 428 and "If-Match" in r.get_json()["detail"]


def test_invalid_feature_gets_every_failed_field_and_rule(client, tokens):
    bad = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[105.6, 21.6], [105.7, 21.7]]},
        "properties": {"normal_state": "ajar", "diameter_mm": -5, "colour": "red"},
    }
    r = client.post("/collections/water_valve/items", json=bad, headers=bearer(tokens["editor"]))
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    rules = {(p["field"], p["rule"]) for p in r.get_json()["problems"]}
    assert rules == {
        ("normal_state", "allowed_values"),
        ("diameter_mm", "minimum"),
        ("colour", "unknown_attribute"),
        ("geometry", "geometry_type"),
    }
    not_json = client.post(
        "/collections/water_valve/items",
        data=b"{",
        headers=bearer(tokens["editor"], **{"Content-Type": "application/json"}),
    )
    assert not_json.status_code == 400


def test_roles_decide_who_writes_what(client, tokens):
    code, etag = _create_valve(client, tokens["editor"])
    url = f"/collections/water_valve/items/{code}"
    viewer = client.patch(
        url,
        json={"properties": {"normal_state": "closed"}},
        headers=bearer(tokens["viewer"], **{"If-Match": etag}),
    )
    assert viewer.status_code == 403
    crew_size = client.patch(
        url,
        json={"properties": {"diameter_mm": 300}},
        headers=bearer(tokens["crew"], **{"If-Match": etag}),
    )
    assert crew_size.status_code == 403 and "diameter_mm" in crew_size.get_json()["detail"]
    crew = client.patch(
        url,
        json={"properties": {"normal_state": "closed"}},
        headers=bearer(tokens["crew"], **{"If-Match": etag}),
    )
    assert crew.status_code == 200 and crew.get_json()["properties"]["normal_state"] == "closed"
    anonymous = client.delete(url, headers={"If-Match": '"2"'})
    assert anonymous.status_code == 401


def test_admin_reverts_to_an_earlier_version(client, tokens):
    code, etag = _create_valve(client, tokens["editor"])
    url = f"/collections/water_valve/items/{code}"
    client.patch(
        url,
        json={"properties": {"diameter_mm": 400}},
        headers=bearer(tokens["editor"], **{"If-Match": etag}),
    )
    denied = client.post(
        f"{url}/revert",
        json={"version": 1},
        headers=bearer(tokens["editor"], **{"If-Match": '"2"'}),
    )
    assert denied.status_code == 403
    r = client.post(
        f"{url}/revert",
        json={"version": 1, "reason": "wrong size"},
        headers=bearer(tokens["admin"], **{"If-Match": '"2"'}),
    )
    assert r.status_code == 200 and r.get_json()["properties"]["diameter_mm"] == 150
    last = client.get(f"{url}/history", headers=bearer(tokens["viewer"])).get_json()["versions"][-1]
    assert (last["action"], last["changed_by"], last["reason"]) == ("revert", "admin", "wrong size")


def test_non_admin_replace_keeps_the_hidden_personal_data(client, tokens):
    customer = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [105.62, 21.62]},
        "properties": {
            "customer_category": "residential",
            "customer_name": "Trần Thị B",
            "phone": "0987654321",
        },
    }
    made = client.post(
        "/collections/water_service_connection/items",
        json=customer,
        headers=bearer(tokens["editor"]),
    )
    shown = made.get_json()
    assert shown["properties"]["customer_name"] == "[hidden]"
    shown["properties"]["households"] = 3
    url = f"/collections/water_service_connection/items/{shown['id']}"
    r = client.put(url, json=shown, headers=bearer(tokens["editor"], **{"If-Match": '"1"'}))
    assert r.status_code == 200, r.data
    stored = client.get(url, headers=bearer(tokens["admin"])).get_json()["properties"]
    assert (stored["customer_name"], stored["phone"], stored["households"]) == (
        "Trần Thị B",
        "0987654321",
        3,
    )


def test_network_edge_is_snapped_and_reported(client, tokens):
    node = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [105.63, 21.63]},
        "properties": {},
    }
    junction = client.post(
        "/collections/water_junction/items", json=node, headers=bearer(tokens["editor"])
    ).get_json()
    pipe = {
        "type": "Feature",
        "properties": {"diameter_mm": 110},
        "geometry": {
            "type": "LineString",
            "coordinates": [[105.630004, 21.63], [105.631, 21.6305]],
        },
    }
    r = client.post("/collections/water_pipe/items", json=pipe, headers=bearer(tokens["editor"]))
    assert r.status_code == 201
    start = r.get_json()["snapping"][0]
    assert start["node"] == junction["id"] and start["connected"]
    assert r.get_json()["geometry"]["coordinates"][0] == [105.63, 21.63]


def test_geometry_in_vn2000_is_stored_in_wgs84(client, tokens):
    uri = "http://www.opengis.net/def/crs/EPSG/0/9214"
    tree = {
        "type": "Feature",
        "properties": {"species_scientific": "Delonix regia"},
        "geometry": {"type": "Point", "coordinates": [416226.772, 2353402.453]},
    }
    r = client.post(
        "/collections/trees_tree/items",
        json=tree,
        headers=bearer(tokens["editor"], **{"Content-Crs": f"<{uri}>"}),
    )
    lon, lat = r.get_json()["geometry"]["coordinates"]
    assert abs(lon - 106.1946) < 1e-6 and abs(lat - 21.2731) < 1e-6


def test_a_number_sent_as_text_is_read_as_meant_and_an_ambiguous_one_is_refused(app, tokens):
    editor = app.test_client()
    code, etag = _create_valve(editor, tokens["editor"])
    url = f"/collections/water_valve/items/{code}"
    ambiguous = editor.patch(url, json={"properties": {"diameter_mm": "1.500"}},
                             headers={"If-Match": etag, **bearer(tokens["editor"])})
    assert ambiguous.status_code == 422
    [problem] = ambiguous.get_json()["problems"]
    assert (problem["field"], problem["rule"]) == ("diameter_mm", "ambiguous_number")
    assert "1500" in problem["message"]
    assert editor.get(url, headers=bearer(tokens["editor"])).get_json()["properties"][
        "diameter_mm"] == 150
    meant = editor.patch(url, json={"properties": {"diameter_mm": "1.200,0"}},
                         headers={"If-Match": etag, **bearer(tokens["editor"])})
    assert meant.status_code == 200, meant.data
    assert meant.get_json()["properties"]["diameter_mm"] == 1200

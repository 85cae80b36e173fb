"""Time travel: create, edit and delete an asset; ``datetime`` shows each moment."""

import time
from datetime import UTC, datetime

import pytest

from tests.webmap.api.apptest import bearer

pytestmark = pytest.mark.db

BBOX = "105.699,21.699,105.702,21.702"


def _moment() -> str:
    time.sleep(0.01)  # history times are clock_timestamp(): keep moments apart
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    return moment


def test_items_and_item_at_each_moment(client, tokens):
    auth = bearer(tokens["editor"])
    before = _moment()
    light = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [105.7, 21.7]},
        "properties": {"lamp_type": "led", "wattage_w": 60},
    }
    code = client.post("/collections/lighting_light/items", json=light, headers=auth).get_json()[
        "id"
    ]
    created = _moment()
    url = f"/collections/lighting_light/items/{code}"
    client.patch(url, json={"properties": {"wattage_w": 90}}, headers={**auth, "If-Match": '"1"'})
    edited = _moment()
    client.delete(url, headers={**auth, "If-Match": '"2"'})
    deleted = _moment()

    def state(moment):
        page = client.get(
            "/collections/lighting_light/items",
            query_string={"bbox": BBOX, "datetime": moment},
            headers=auth,
        )
        assert page.status_code == 200, page.data
        found = [f for f in page.get_json()["features"] if f["id"] == code]
        one = client.get(url, query_string={"datetime": moment}, headers=auth)
        assert (one.status_code == 200) == bool(found)
        return found[0]["properties"]["wattage_w"] if found else None

    assert [state(m) for m in (before, created, edited, deleted)] == [None, 60, 90, None]
    assert client.get(url, headers=auth).status_code == 404
    assert [
        v["action"] for v in client.get(f"{url}/history", headers=auth).get_json()["versions"]
    ] == ["create", "update", "delete"]


def test_datetime_must_be_one_instant(client, tokens):
    r = client.get("/collections/trees_tree/items?datetime=2024-01-01/2025-01-01")
    assert r.status_code == 400 and "one instant" in r.get_json()["detail"]
    assert client.get("/collections/trees_tree/items?datetime=yesterday").status_code == 400

"""Uploading a file into a layer: the check's report first, then the import."""

from __future__ import annotations

import io
import json
import time

import pytest

from tests.webmap.map.apptest import login, logout
from tests.webmap.map.conftest import X, Y

pytestmark = pytest.mark.db


def _lights(*values) -> bytes:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [X + 0.003, Y + i * 1e-4]},
            "properties": {"lamp_type": lamp, "wattage_w": watts},
        }
        for i, (lamp, watts) in enumerate(values)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _upload(client, csrf, data: bytes, name: str = "lights.geojson"):
    return client.post(
        "/map/imports",
        headers={"X-CSRFToken": csrf},
        data={"table": "lighting_light", "crs": "wgs84", "file": (io.BytesIO(data), name)},
    )


def _wait(client, job: dict, *, until=("checked", "done", "failed")) -> dict:
    deadline = time.monotonic() + 30
    while job["state"] not in until:
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        job = client.get(f"/map/imports/{job['id']}").get_json()
    return job


def test_a_clean_file_is_checked_then_imported_with_progress(client):
    csrf = login(client, "edna")
    started = _upload(client, csrf, _lights(("led", 60), ("sodium", 150)))
    assert started.status_code == 202
    checked = _wait(client, started.get_json())
    assert checked["state"] == "checked", checked
    assert checked["report"]["ok"] and checked["report"]["counts"] == {"lighting_light": 2}
    assert checked["report"]["written"] is False
    committing = client.post(f"/map/imports/{checked['id']}/commit", headers={"X-CSRFToken": csrf})
    assert committing.status_code == 202
    done = _wait(client, committing.get_json(), until=("done", "failed"))
    assert done["state"] == "done", done
    assert (done["done"], done["total"]) == (2, 2)
    assert done["report"]["written"] is True
    around = f"{X + 0.0029},{Y - 1e-5},{X + 0.0031},{Y + 2e-4}"
    found = client.get(
        f"/collections/lighting_light/items?bbox={around}", headers={"Accept": "application/json"}
    ).get_json()["features"]
    assert sorted(f["properties"]["lamp_type"] for f in found) == ["led", "sodium"]
    assert {f["properties"]["created_by"] for f in found} == {"edna"}


def test_a_file_with_problems_is_reported_and_cannot_be_committed(client):
    csrf = login(client, "edna")
    checked = _wait(
        client, _upload(client, csrf, _lights(("led", 60), ("candle", 9999))).get_json()
    )
    report = checked["report"]
    assert checked["state"] == "checked" and report["ok"] is False
    assert {(p["field"], p["rule"]) for p in report["problems"]} == {
        ("lamp_type", "allowed_values"),
        ("wattage_w", "maximum"),
    }
    refused = client.post(f"/map/imports/{checked['id']}/commit", headers={"X-CSRFToken": csrf})
    assert refused.status_code == 422


def test_only_editors_upload_and_only_known_files(client):
    csrf = login(client, "vera")
    assert _upload(client, csrf, _lights(("led", 60))).status_code == 403
    logout(client)
    csrf = login(client, "edna")
    assert _upload(client, csrf, b"x", name="notes.txt").status_code == 422
    other = client.get("/map/imports/0123456789abcdef")
    assert other.status_code == 404

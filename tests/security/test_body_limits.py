"""Hole 5: bodies were parsed before the role check, up to 512 MB.

200 MB of JSON to ``POST /collections/trees_tree/items`` cost 2 s and
600 MB before the 401.  Now the Content-Length is weighed first, the role
is asked from the URL, and only then is the body read.
"""

from __future__ import annotations

import io

import pytest

from tests.security.bodies import MB, CountingBody, problem, send
from tests.webmap.api.apptest import bearer
from twin.config import Settings
from webmap import create_app

pytestmark = pytest.mark.db

ITEMS = "/collections/trees_tree/items"


def test_an_anonymous_20_mb_body_is_refused_unread(client):
    body = CountingBody(20 * MB)
    response = send(client, "POST", ITEMS, body)
    assert response.status_code == 413
    detail = problem(response)["detail"]
    assert "20,971,520 bytes" in detail and "at most 4 MB" in detail and ITEMS in detail
    assert body.read_bytes == 0


def test_an_anonymous_body_under_the_limit_gets_401_unread(client):
    body = CountingBody(3 * MB)
    response = send(client, "POST", ITEMS, body)
    assert response.status_code == 401
    assert "log in" in problem(response)["detail"]
    assert body.read_bytes == 0


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("PUT", f"{ITEMS}/TRE-000001"),
        ("PATCH", f"{ITEMS}/TRE-000001"),
        ("POST", f"{ITEMS}/TRE-000001/revert"),
    ],
)
def test_every_anonymous_write_is_refused_unread(client, method, url):
    body = CountingBody(MB)
    assert send(client, method, url, body).status_code == 401
    assert body.read_bytes == 0


def test_an_editor_over_the_json_limit_gets_413_unread(client, tokens):
    body = CountingBody(5 * MB)
    response = send(client, "POST", ITEMS, body, headers=bearer(tokens["editor"]))
    assert response.status_code == 413
    assert body.read_bytes == 0


def test_a_body_without_length_is_cut_at_the_limit(client, tokens):
    body = CountingBody(50 * MB)
    response = send(client, "POST", ITEMS, body, length=False, headers=bearer(tokens["editor"]))
    assert response.status_code == 413
    assert "at most 4 MB" in problem(response)["detail"]
    assert body.read_bytes <= 4 * MB + 64 * 1024


def test_the_limits_are_configured_and_the_global_cap_is_the_largest(app):
    assert app.config["TWIN_JSON_MAX_BYTES"] == 4 * MB
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["TWIN_UPLOAD_MAX_BYTES"] == 256 * MB
    assert (
        Settings.from_env({"TWIN_UPLOAD_MAX_MB": "64", "TWIN_JSON_MAX_MB": "1"}).upload_max_mb == 64
    )


@pytest.fixture
def small_app(api_db_url, tmp_path):
    settings = Settings(
        home=tmp_path, database_url=api_db_url, secret_key="test-secret", upload_max_mb=1
    )
    return create_app(settings, {"TESTING": True, "TWIN_JSON_MAX_BYTES": 64 * 1024})


def test_uploads_have_their_own_limit(small_app, tokens):
    client = small_app.test_client()
    assert small_app.config["MAX_CONTENT_LENGTH"] == 1 * MB
    editor = bearer(tokens["editor"])
    big = CountingBody(2 * MB)
    response = send(client, "POST", "/map/imports?table=lighting_light", big, headers=editor)
    assert response.status_code == 413 and "at most 1 MB" in problem(response)["detail"]
    assert big.read_bytes == 0
    # 200 kB: over the JSON limit, under the upload one, so the file itself is judged
    upload = {"file": (io.BytesIO(b"<x/>" * 50_000), "lights.geojson")}
    response = client.post("/map/imports?table=lighting_light", data=upload, headers=editor)
    assert response.status_code == 422
    assert problem(response)["problems"][0]["rule"] == "content"
    # the JSON limit holds for every other endpoint
    body = CountingBody(100 * 1024)
    assert send(client, "POST", ITEMS, body, headers=editor).status_code == 413

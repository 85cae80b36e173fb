"""Hole 7: the web import bypassed the write rule.

An editor imported into ``base_admin_unit``, which the API refuses to an
editor (403).  Every path that writes a feature table now asks
:func:`twin.auth.roles.require_write`: API edits (from the URL, before the
body is read), the web import (per target feature type, before the file is
read, and again at commit) and ``twin asset import --as-user``.
"""

from __future__ import annotations

import io
import json
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from tests.security.bodies import MB, CountingBody, problem, send
from tests.webmap.api.apptest import bearer
from twin.auth import users
from twin.cli import cli
from twin.db.engine import session_scope
from twin.models import model

pytestmark = pytest.mark.db

X, Y = 106.19, 21.27


def _count(api_engine, table: str) -> int:
    t = model(table).__table__
    with api_engine.connect() as conn:
        return conn.execute(text(f'SELECT count(*) FROM {t.schema}."{t.name}"')).scalar()


def _points(n: int = 2, **properties) -> bytes:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [X + 0.005, Y + i * 1e-4]},
            "properties": properties,
        }
        for i in range(n)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _units() -> bytes:
    square = [[X, Y], [X + 0.01, Y], [X + 0.01, Y + 0.01], [X, Y + 0.01], [X, Y]]
    feature = {
        "type": "Feature",
        "geometry": {"type": "MultiPolygon", "coordinates": [[square]]},
        "properties": {"code": "ADM-EVIL", "name": "Imported by an editor", "level": "commune"},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _upload(client, token, table: str, data: bytes, *, in_url: bool = True):
    url = f"/map/imports?table={table}" if in_url else "/map/imports"
    form = {"crs": "wgs84", "file": (io.BytesIO(data), "upload.geojson")}
    if not in_url:
        form["table"] = table
    return client.post(url, headers=bearer(token), data=form)


def _uploads(app) -> set[str]:
    folder = Path(app.config["TWIN_SETTINGS"].home) / "uploads"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _wait(client, token, job: dict, until=("checked", "done", "failed")) -> dict:
    deadline = time.monotonic() + 30
    while job["state"] not in until:
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        job = client.get(f"/map/imports/{job['id']}", headers=bearer(token)).get_json()
    return job


@pytest.mark.parametrize("in_url", [True, False])
def test_an_editor_cannot_import_into_base_admin_unit(app, client, tokens, api_engine, in_url):
    before, folders = _count(api_engine, "base_admin_unit"), _uploads(app)
    response = _upload(client, tokens["editor"], "base_admin_unit", _units(), in_url=in_url)
    assert response.status_code == 403
    detail = problem(response)["detail"]
    assert "create on base_admin_unit" in detail and "'editor' may not" in detail
    assert "planner, admin" in detail
    assert _count(api_engine, "base_admin_unit") == before
    assert _uploads(app) == folders  # the file was never saved


def test_the_import_is_refused_before_the_file_is_read(client, tokens):
    body = CountingBody(2 * MB)
    response = send(
        client,
        "POST",
        "/map/imports?table=base_admin_unit",
        body,
        headers=bearer(tokens["editor"], **{"Content-Type": "multipart/form-data; boundary=x"}),
    )
    assert response.status_code == 403
    assert body.read_bytes == 0


def test_the_api_and_the_import_give_the_same_answer(client, tokens):
    feature = json.loads(_units())["features"][0]
    api = client.post(
        "/collections/base_admin_unit/items",
        json=feature,
        headers=bearer(tokens["editor"]),
    )
    upload = _upload(client, tokens["editor"], "base_admin_unit", _units())
    assert api.status_code == upload.status_code == 403
    assert problem(api)["detail"] == problem(upload)["detail"]


@pytest.mark.parametrize(
    ("role", "table", "status"),
    [
        ("viewer", "lighting_light", 403),
        ("crew", "water_valve", 403),  # the crew may set a valve's state, not create valves
        ("planner", "lighting_light", 403),  # an asset layer
        ("planner", "base_admin_unit", 202),  # a base layer: planners write those in the API too
        ("admin", "base_admin_unit", 202),
    ],
)
def test_every_role_imports_what_the_api_lets_it_write(client, tokens, role, table, status):
    response = _upload(client, tokens[role], table, _units())
    assert response.status_code == status, response.data
    if status == 202:
        _wait(client, tokens[role], response.get_json())


def test_anonymous_imports_are_refused(client):
    response = client.post(
        "/map/imports?table=lighting_light",
        data={"file": (io.BytesIO(_points()), "lights.geojson")},
    )
    assert response.status_code == 401


def test_the_commit_asks_the_rule_again(client, api_engine):
    name = f"edith{uuid.uuid4().hex[:6]}"
    with session_scope(api_engine) as session:
        users.add_user(session, name, "editor", "a good password")
        token = users.issue_token(session, name, label="tests")
    started = _upload(client, token, "lighting_light", _points(lamp_type="led", wattage_w=60))
    assert started.status_code == 202
    checked = _wait(client, token, started.get_json())
    assert checked["state"] == "checked" and checked["report"]["ok"], checked
    with session_scope(api_engine) as session:
        users.get_user(session, name).role = "viewer"  # demoted between check and commit
    before = _count(api_engine, "lighting_light")
    response = client.post(f"/map/imports/{checked['id']}/commit", headers=bearer(token))
    assert response.status_code == 403
    assert "create on lighting_light" in problem(response)["detail"]
    assert _count(api_engine, "lighting_light") == before


@pytest.mark.parametrize(
    ("role", "method", "url"),
    [
        ("viewer", "POST", "/collections/lighting_light/items"),
        ("crew", "POST", "/collections/water_valve/items"),
        ("editor", "PUT", "/collections/base_admin_unit/items/ADM-1"),
        ("editor", "DELETE", "/collections/base_admin_unit/items/ADM-1"),
        ("planner", "PATCH", "/collections/water_pipe/items/WAT-1"),
        ("editor", "POST", "/collections/water_pipe/items/WAT-1/revert"),
    ],
)
def test_api_writes_are_refused_from_the_url_before_the_body(client, tokens, role, method, url):
    body = CountingBody(MB)
    response = send(client, method, url, body, headers=bearer(tokens[role]))
    assert response.status_code == 403
    assert body.read_bytes == 0


def test_twin_import_as_an_editor_account_obeys_the_editor_role(
    tokens, api_db_url, api_engine, tmp_path
):
    path = tmp_path / "units.geojson"
    path.write_bytes(_units())
    before = _count(api_engine, "base_admin_unit")
    args = ["asset", "import", str(path), "--layer", "base:admin_unit", "--crs", "wgs84"]
    run = CliRunner().invoke(cli, [*args, "--as-user", "editor"], env={"DATABASE_URL": api_db_url})
    assert run.exit_code == 1
    assert "create on base_admin_unit: role 'editor' may not" in run.stderr
    assert _count(api_engine, "base_admin_unit") == before
    # the planner account may (dry run: nothing is written either way)
    run = CliRunner().invoke(
        cli, [*args, "--as-user", "planner", "--dry-run"], env={"DATABASE_URL": api_db_url}
    )
    assert run.exit_code == 0, run.stderr
    assert "base_admin_unit" in run.stdout

"""``kill -9`` of ``twin web serve`` in the middle of writes leaves no partial state.

A real ``twin web serve`` process on a scratch database takes a stream of
``PATCH`` edits from several clients and an import upload being committed,
and is killed with SIGKILL.  Afterwards every asset stands at a version whose
history row holds exactly its stored values, every edit the server
acknowledged is there, the import is all there or not at all, and starting
the same command again is all it takes to serve and write again.
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading

import pytest
from sqlalchemy import create_engine, pool, text

from tests.databases import app_role_url, scratch_database
from tests.processes import free_port, kill_hard, twin_process, wait_until
from twin.auth import users
from twin.db.engine import session_scope

pytestmark = [pytest.mark.db, pytest.mark.slow]

X, Y = 106.19, 21.27
LIGHTS = 12
IMPORTED = 20_000


@pytest.fixture(scope="module")
def crash_db(db_url, db_home):
    """(owner URL, app login URL, editor's token) of a database of its own."""
    with scratch_database(db_url, "twin_crash", copy=True) as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        with session_scope(engine) as session:
            users.add_user(session, "edna", "editor", "a good password")
            token = users.issue_token(session, "edna", label="crash test")
        yield url, app_role_url(url, db_home) or url, token
        engine.dispose()


class Api:
    """A tiny client of the served twin with an editor's token (one connection per call)."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def call(self, method: str, path: str, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        head = {"Authorization": f"Bearer {self.token}", "Accept": "application/geo+json",
                **(headers or {})}
        if isinstance(body, (dict, list)):
            body, head["Content-Type"] = json.dumps(body), "application/json"
        try:
            conn.request(method, path, body=body, headers=head)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def up(self) -> bool:
        try:
            return self.call("GET", "/conformance", timeout=2)[0] == 200
        except OSError:
            return False


def serve(crash_db, port: int, home, log):
    url, app_url, _ = crash_db
    env = {"DATABASE_URL": url, "TWIN_APP_DATABASE_URL": app_url, "TWIN_HOME": str(home),
           "TWIN_SECRET_KEY": secrets.token_urlsafe(48)}
    return twin_process(["web", "serve", "--port", str(port), "--threads", "6"], env, log)


def light(i: int, **props) -> dict:
    return {"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [X + i * 1e-4, Y]},
            "properties": {"lamp_type": "led", "wattage_w": 60, **props}}


def edit_stream(api: Api, code: str, acked: dict, failed: list, stop: threading.Event) -> None:
    """Edit one light again and again (read its ETag, PATCH lumens) until the server dies."""
    path = f"/collections/lighting_light/items/{code}"
    n = 0
    while not stop.is_set():
        n += 1
        try:
            status, headers, body = api.call("GET", path)
            if status == 200:
                status, headers, body = api.call(
                    "PATCH", path, {"properties": {"lumens": n}}, {"If-Match": headers["ETag"]})
        except (OSError, http.client.HTTPException):
            return  # the server is gone
        if status != 200:
            failed.append((code, status, body[:300]))
            return
        acked[code] = (json.loads(body)["properties"]["version"], n)


def upload(api: Api, path: str) -> dict:
    boundary = secrets.token_hex(8)
    features = [light(i % 5000, wattage_w=40 + i % 50) for i in range(IMPORTED)]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="table"\r\n\r\nlighting_light\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="crs"\r\n\r\nwgs84\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lights.geojson"'
        "\r\nContent-Type: application/geo+json\r\n\r\n",
    ]
    body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    status, _, answer = api.call(
        "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 202, answer
    return json.loads(answer)


def job(api: Api, job_id: str) -> dict:
    return json.loads(api.call("GET", f"/map/imports/{job_id}")[2])


def stored(engine) -> dict:
    """Per light: stored version and lumens, and its history as (version, new lumens) rows."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT code, version, lumens FROM assets.lighting_light WHERE code IN "
            "(SELECT code FROM audit.history WHERE reason = 'crash test')")).all()
        history = conn.execute(text(
            "SELECT code, version, (new -> 'properties' ->> 'lumens')::float FROM audit.history "
            "WHERE feature_type = 'lighting_light' ORDER BY code, version")).all()
    out = {code: {"version": v, "lumens": lm, "history": []} for code, v, lm in rows}
    for code, version, lumens in history:
        if code in out:
            out[code]["history"].append((version, lumens))
    return out


def imported(engine) -> tuple[int, int]:
    """Lights written by the import, and the bulk loads recording them."""
    with engine.connect() as conn:
        lights = conn.execute(text(
            "SELECT count(*) FROM assets.lighting_light WHERE created_by = 'edna' "
            "AND code NOT IN (SELECT code FROM audit.history)")).scalar()
        loads = conn.execute(text(
            "SELECT coalesce(sum(features), 0) FROM audit.bulk_load")).scalar()
    return lights, loads


def test_kill_9_mid_edits_and_import_leaves_whole_writes_and_a_restart_serves(
        crash_db, tmp_path):
    url, _, token = crash_db
    engine = create_engine(url, poolclass=pool.NullPool)
    port, home = free_port(), tmp_path / "home"
    api = Api(port, token)
    with serve(crash_db, port, home, tmp_path / "serve.log") as server:
        wait_until(api.up, 60, "twin web serve answering")
        codes = []
        for i in range(LIGHTS):
            status, _, body = api.call("POST", "/collections/lighting_light/items?reason=crash+test",
                                       light(i, lumens=0))
            assert status == 201, body
            codes.append(json.loads(body)["id"])
        checking = upload(api, "/map/imports")
        wait_until(lambda: job(api, checking["id"])["state"] != "checking", 60, "the check")
        assert job(api, checking["id"])["state"] == "checked", job(api, checking["id"])

        acked: dict = {}
        failed: list = []
        stop = threading.Event()
        editors = [threading.Thread(target=edit_stream, args=(api, c, acked, failed, stop))
                   for c in codes]
        for t in editors:
            t.start()
        wait_until(lambda: len(acked) == LIGHTS or failed, 30, "every light edited once")
        assert not failed
        status, _, body = api.call("POST", f"/map/imports/{checking['id']}/commit")
        assert status == 202, body
        wait_until(lambda: job(api, checking["id"])["done"] > 0, 30, "the import writing")
        kill_hard(server)
    stop.set()
    for t in editors:
        t.join(timeout=30)
    assert not failed

    lights = stored(engine)
    assert set(lights) == set(codes)
    for code, light_now in lights.items():
        versions = [v for v, _ in light_now["history"]]
        assert versions == list(range(1, light_now["version"] + 1)), code  # none lost, none torn
        assert light_now["history"][-1][1] == light_now["lumens"], code  # history = the row
        acked_version, acked_lumens = acked[code]
        assert light_now["version"] >= acked_version  # every acknowledged edit was kept
        assert (acked_version, acked_lumens) in light_now["history"]
    written, recorded = imported(engine)
    assert (written, recorded) in ((0, 0), (IMPORTED, IMPORTED))  # all or nothing

    with serve(crash_db, port, home, tmp_path / "serve.log"):  # the same command, the same port
        wait_until(api.up, 60, "twin web serve answering after the crash")
        code = codes[0]
        status, headers, _ = api.call("GET", f"/collections/lighting_light/items/{code}")
        status, _, body = api.call("PATCH", f"/collections/lighting_light/items/{code}",
                                   {"properties": {"lumens": 123456}}, {"If-Match": headers["ETag"]},
                                   timeout=10)
        assert status == 200, body
        assert json.loads(body)["properties"]["version"] == lights[code]["version"] + 1
    engine.dispose()

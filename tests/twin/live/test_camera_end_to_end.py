"""A camera from its declaration to the outage report, through a real Mosquitto.

Declared in ``layers/video.py`` → a table the edit service writes → the API
(its stream address masked for a viewer) → the map style → a heartbeat saying
it does not stream → the ``camera_down`` alarm and its incident → the power
outage that cuts its supply lists it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest
from shapely.geometry import Point
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from layers import feature_type
from tests.databases import app_role_url
from tests.factories import ORIGIN
from tests.twin.live.owndb import city_database
from tests.twin.live.test_end_to_end import wait_until
from twin.auth import users
from twin.config import Settings
from twin.edits import create_feature
from twin.live.credentials import device_account
from twin.live.devices import register_demo_devices
from twin.live.ingest import Ingester
from twin.live.outage import outage_report
from twin.live.simulate import SimDevice, make_message
from webmap import create_app

pytestmark = [pytest.mark.db, pytest.mark.slow]
CAMERA = "CAM-E2E-1"
STREAM = "rtsp://10.20.30.40:554/cam1"
PASSWORD = "a good password"


def _camera(session) -> None:
    create_feature(
        session,
        "video_camera",
        {"code": CAMERA, "camera_type": "traffic", "direction_deg": 90, "field_of_view_deg": 60,
         "view_range_m": 80, "stream_url": STREAM, "power_customer": "PWR-CUST-1"},
        Point(ORIGIN[0] + 0.0041, ORIGIN[1] + 0.001),
        user="test",
    )
    register_demo_devices(session, pressure_every=1)  # the camera's device joins the others
    users.add_user(session, "viewer", "viewer", PASSWORD)
    users.add_user(session, "boss", "admin", PASSWORD)


@pytest.fixture(scope="module")
def camera_url(db_url):
    with city_database(db_url, "twin_camera", setup=_camera) as url:
        yield url


def _client(app, user: str):
    web = app.test_client()
    csrf = web.get("/me").get_json()["csrf_token"]
    done = web.post("/login", data={"username": user, "password": PASSWORD, "csrf_token": csrf})
    assert done.status_code in (200, 302), done.get_data(as_text=True)
    return web


def _heartbeat(broker, readings: dict) -> None:
    device = SimDevice(device_id=f"VID-{CAMERA}", kind="camera", asset_code=CAMERA)
    target = broker.target(device_account("camera"))
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="camera-e2e")
    target.prepare(client)
    client.connect(target.host, target.port)
    client.loop_start()
    client.publish(*make_message(device, datetime.now(UTC), readings), qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()


def test_a_camera_from_declaration_to_alarm_incident_and_outage(
    camera_url, db_home, broker, tmp_path
):
    assert feature_type("video_camera").layer == "video"
    app_url = app_role_url(camera_url, db_home) or camera_url
    app = create_app(
        Settings(home=tmp_path, database_url=camera_url, app_database_url=app_url,
                 secret_key="t"),
        {"TESTING": True},
    )
    # The API serves it; the stream address is for operators only.
    seen = _client(app, "viewer").get(f"/collections/video_camera/items/{CAMERA}").get_json()
    assert seen["properties"]["camera_type"] == "traffic"
    assert STREAM not in str(seen)
    boss = _client(app, "boss").get(f"/collections/video_camera/items/{CAMERA}").get_json()
    assert boss["properties"]["stream_url"] == STREAM
    style = _client(app, "viewer").get("/tiles/style.json").get_json()
    assert any(lyr.get("source-layer") == "video_camera" for lyr in style["layers"])

    # A heartbeat that says it does not stream: state, alarm, incident.
    engine = create_engine(app_url, pool_size=2)
    ingester = Ingester(engine, broker.target(), client_id="ingest-camera", flush_s=0.02).start()
    try:
        _heartbeat(broker, {"online": False, "recording": False})

        def incident():
            with engine.connect() as conn:
                return conn.execute(text(
                    "SELECT code, severity FROM live.incident "
                    "WHERE rule_id = 'camera_down' AND asset_code = :c"), {"c": CAMERA}).first()

        wait_until(lambda: incident() is not None)
        found = incident()
        assert found is not None and found.severity == "major"
        with engine.connect() as conn:
            state = conn.execute(text(
                "SELECT status FROM live.asset_state WHERE asset_code = :c"), {"c": CAMERA}).scalar()
        assert state == "offline"
    finally:
        ingester.stop()
        engine.dispose()

    # The feeder feeding its power customer trips: the report lists the camera.
    owner = create_engine(camera_url)
    try:
        with Session(owner) as session:
            report = outage_report(session, "power", ["PWR-SW-1"])
    finally:
        owner.dispose()
    listed = {c["code"]: c for c in report["cameras"]}
    assert listed[CAMERA]["cut"] == "power"

"""End to end through a real Mosquitto: simulator → broker → ingest → PostGIS → web pages."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import create_engine, text

from tests.databases import app_role_url
from tests.twin.live.owndb import city_database
from twin.auth import users
from twin.config import Settings
from twin.db.engine import session_scope
from twin.live.credentials import device_account
from twin.live.ingest import Ingester
from twin.live.patterns import LOCAL
from twin.live.simcity import load_sim_devices
from twin.live.simulate import MALFORMATIONS, Faults, Simulator, _malform, make_message
from webmap import create_app

pytestmark = [pytest.mark.db, pytest.mark.slow]
FEEDER_CUSTOMERS = {"PWR-SW-1": {"PWR-CUST-1", "PWR-CUST-2"}, "PWR-SW-2": {"PWR-CUST-3"}}


@pytest.fixture(scope="module")
def e2e_url(db_url):
    def viewer(session):
        users.add_user(session, "viewer", "viewer", "a good password")

    with city_database(db_url, "twin_e2e", setup=viewer) as url:
        yield url


@pytest.fixture
def app_url(e2e_url, db_home):
    """The database as the ingest and the web app see it (the app login)."""
    return app_role_url(e2e_url, db_home) or e2e_url


@pytest.fixture
def engine(app_url):
    eng = create_engine(app_url, pool_size=4)
    yield eng
    eng.dispose()


@pytest.fixture
def ingester(engine, broker, tmp_path):
    ing = Ingester(
        engine, broker.target(), client_id=f"ingest-{tmp_path.name}", flush_s=0.02
    ).start()
    yield ing
    ing.stop()


def last_evening() -> datetime:
    """21:00 local time of the last evening already past: lamps are on."""
    now = datetime.now(LOCAL)
    evening = now.replace(hour=21, minute=0, second=0, microsecond=0)
    return (evening if evening < now else evening - timedelta(days=1)).astimezone(UTC)


def wait_until(condition, timeout_s: float = 30.0) -> None:
    """Poll ``condition`` (a loaded machine may deliver slowly); bounded in time."""
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


def readings_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM live.reading")).scalar()


def test_faults_reach_the_state_the_map_the_dashboard_and_incidents(
    engine, broker, ingester, e2e_url, app_url, tmp_path
):
    with session_scope(engine) as session:
        devices = load_sim_devices(session)
    before = readings_count(engine)
    sim = Simulator(
        devices,
        broker.target(),
        rate=2000,
        seed=7,
        start=last_evening(),
        faults=Faults(lamp_out=1, breaker_open=1, malformed=0.05, duplicate=0.05),
    )
    stats = sim.run(count=600)
    [lamp] = stats.faulted["lamp_out"]
    [breaker] = stats.faulted["breaker_open"]
    # One message of each malformation, published by hand.
    good = next(d for d in devices if d.kind == "pressure_sensor")
    hand = broker.target(device_account(good.kind))
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="hand")
    hand.prepare(client)
    client.connect(hand.host, hand.port)
    client.loop_start()
    for kind in MALFORMATIONS:
        topic, body = make_message(good, datetime.now(UTC), {"pressure_bar": 3.0})
        client.publish(*_malform(kind, topic, body), qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()
    expected = stats.published - stats.duplicates - stats.malformed
    wait_until(lambda: readings_count(engine) - before >= expected)
    assert ingester.wait_idle(quiet_s=0.5, timeout_s=30)

    assert readings_count(engine) - before == expected
    with engine.connect() as conn:
        reasons = set(conn.execute(text("SELECT DISTINCT reason FROM live.quarantine")).scalars())
        lamp_state = conn.execute(
            text(
                "SELECT s.status FROM live.asset_state s JOIN live.device d "
                "ON d.asset_code = s.asset_code WHERE d.device_id = :d"
            ),
            {"d": lamp},
        ).scalar()
        incident = conn.execute(
            text("SELECT code, outage FROM live.incident WHERE rule_id = 'breaker_open'")
        ).one()
    assert set(MALFORMATIONS) <= reasons
    assert lamp_state == "fault"
    switch = breaker.removeprefix("BRK-")
    assert incident.outage["opened_device"] == switch
    assert incident.outage["available"], incident.outage
    assert set(incident.outage["report"]["customers_out"]) == FEEDER_CUSTOMERS[switch]
    assert incident.outage["report"]["analysis"]["tripped_device"] == switch
    assert incident.outage["customers_affected"] == len(FEEDER_CUSTOMERS[switch])

    app = create_app(
        Settings(home=tmp_path, database_url=e2e_url, app_database_url=app_url, secret_key="t"),
        {"TESTING": True},
    )
    web = app.test_client()
    csrf = web.get("/me").get_json()["csrf_token"]
    web.post(
        "/login", data={"username": "viewer", "password": "a good password", "csrf_token": csrf}
    )
    faults = {
        f["properties"]["code"] for f in web.get("/ops/faults.geojson").get_json()["features"]
    }
    assert lamp.removeprefix("LUM-") in faults and switch in faults
    assert incident.code in web.get("/ops/incidents").get_data(as_text=True)
    assert ">fault<" in web.get("/ops/?lang=en").get_data(as_text=True)


def test_a_broker_restart_mid_stream_loses_no_qos1_message(engine, broker, ingester):
    with session_scope(engine) as session:
        devices = load_sim_devices(session)
    before = readings_count(engine)
    sim = Simulator(devices, broker.target(), rate=1500, seed=11)
    total = 3000
    publisher = threading.Thread(target=sim.run, kwargs={"count": total})
    publisher.start()
    deadline = time.monotonic() + 20
    while sim.stats.published < total // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    broker.stop()
    time.sleep(0.5)
    broker.start()
    publisher.join(60)
    assert not publisher.is_alive()
    assert sim.stats.published == total
    wait_until(lambda: readings_count(engine) - before >= total)
    assert ingester.wait_idle(quiet_s=1.0, timeout_s=30)
    assert readings_count(engine) - before == total

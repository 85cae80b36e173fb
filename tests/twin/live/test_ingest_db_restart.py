"""The ingest across a database restart: messages before, during and after, each stored once."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import create_engine, pool, text

from tests.restarts import own_cluster, start_again, wait_for
from tests.twin.live.city import make_city
from tests.twin.live.messages import payload
from twin.config import Settings
from twin.db.engine import get_app_engine, session_scope
from twin.live.credentials import device_account
from twin.live.devices import register_demo_devices
from twin.live.ingest import Ingester

pytestmark = [pytest.mark.db, pytest.mark.slow]
DEVICE = "LUM-LGT-POLE-1"
BATCH, MAX_PENDING = 5, 10


@pytest.fixture(scope="module")
def cluster():
    """A cluster of its own holding the tiny city and its devices."""
    with own_cluster() as own:
        owner = create_engine(own.url(), poolclass=pool.NullPool)
        with session_scope(owner) as session:
            make_city(session)
            register_demo_devices(session, pressure_every=1)
        owner.dispose()
        yield own


@pytest.fixture
def device(broker):
    """A luminaire's MQTT client: ``publish(n)`` sends ``n`` new readings with QoS 1."""
    target = broker.target(device_account("luminaire"))
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="lum-restart")
    target.prepare(client)
    client.connect(target.host, target.port)
    client.loop_start()
    sent: list[str] = []

    def publish(n: int) -> None:
        for _ in range(n):
            ts = datetime.now(UTC) - timedelta(seconds=1)
            topic, body = payload(DEVICE, ts=ts, msg_id=f"restart-{len(sent)}")
            client.publish(topic, body, qos=1).wait_for_publish(5)
            sent.append(f"restart-{len(sent)}")

    publish.sent = sent
    yield publish
    client.loop_stop()
    client.disconnect()


def stored(engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT msg_id FROM live.reading WHERE msg_id LIKE 'restart-%' ORDER BY msg_id")
        )
        return [r[0] for r in rows]


def test_every_message_is_stored_once_across_a_database_restart(
    cluster, broker, device, tmp_path, caplog
):
    caplog.set_level(logging.INFO, logger="twin.live.ingest")
    engine = get_app_engine(Settings(home=cluster.home, app_database_url=cluster.app_url()))
    owner = create_engine(cluster.url(), poolclass=pool.NullPool)
    ingester = Ingester(engine, broker.target(), client_id=f"ingest-{tmp_path.name}",
                        batch_size=BATCH, max_pending=MAX_PENDING, flush_s=0.02).start()
    try:
        device(10)
        assert wait_for(lambda: len(stored(owner)) == 10, 30)

        cluster.stop()
        device(3 * MAX_PENDING)  # more than the ingest may hold: the broker keeps the rest
        assert wait_for(lambda: ingester.pending >= BATCH, 10)
        for _ in range(10):  # the ingest holds no more than it may while it waits
            assert ingester.pending <= MAX_PENDING and ingester.connected
            time.sleep(0.05)
        start_again(cluster)
        device(10)

        assert wait_for(lambda: len(stored(owner)) >= len(device.sent), 30)
        assert ingester.wait_idle(quiet_s=0.5, timeout_s=30)
        assert stored(owner) == sorted(device.sent)
    finally:
        stats = ingester.stop()
        owner.dispose()
    assert stats.database_outages == 1
    away = [r for r in caplog.records if "database is unavailable" in r.getMessage()]
    back = [r for r in caplog.records if "database is back" in r.getMessage()]
    assert len(away) == 1 and len(back) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

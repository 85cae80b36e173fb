"""Hole 8: the twin's MQTT broker was open to every local user.

Anyone on the machine published a breaker "open" that changed the live
state and opened a critical incident, and could read all telemetry.  Each
attack is tried again against a real Mosquitto and a real ingest; a valid
marker message published after it, once written, proves the ingest had time
to act on the forged one.
"""

from __future__ import annotations

import os
import ssl
import stat
import subprocess
import threading
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import create_engine, text

from tests.twin.live.messages import payload
from tests.twin.live.owndb import city_database
from twin.config import Settings
from twin.live import credentials
from twin.live.broker import (
    MAX_PACKET_BYTES,
    Broker,
    MqttTarget,
    _free_port,
    _listening,
    find_mosquitto,
    mqtt_target,
)
from twin.live.credentials import INGEST, device_account
from twin.live.ingest import Ingester
from twin.live.schema import DEVICE_KINDS, topic_for

pytestmark = [pytest.mark.db, pytest.mark.slow]
BREAKER = "BRK-PWR-SW-1"
SENSOR = "PRS-WTR-JCT-1"
NOT_AUTHORIZED = 135  # MQTT 5 reason code


@pytest.fixture(scope="module")
def broker_url(db_url):
    with city_database(db_url, "twin_broker_security") as url:
        yield url


@pytest.fixture(scope="module")
def engine(broker_url):
    eng = create_engine(broker_url, pool_size=4)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    b = Broker(tmp_path_factory.mktemp("broker") / "home")
    b.start()
    yield b
    b.stop()


@pytest.fixture
def ingester(engine, broker):
    ing = Ingester(engine, broker.target(), client_id=f"ingest-{uuid.uuid4().hex[:8]}")
    ing.flush_s = 0.02
    yield ing.start()
    ing.stop()


class Probe:
    """A paho client that records what the broker answered and what it delivered."""

    def __init__(self, target: MqttTarget):
        self.target, self.connack, self.puback, self.suback = target, None, {}, None
        self.received, self.disconnected = [], threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, f"probe-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5
        )
        target.prepare(self.client)
        self.client.on_connect = lambda c, u, f, rc, p: setattr(self, "connack", rc)
        self.client.on_publish = lambda c, u, mid, rc, p: self.puback.__setitem__(mid, rc)
        self.client.on_subscribe = lambda c, u, mid, rcs, p: setattr(self, "suback", rcs)
        self.client.on_message = lambda c, u, msg: self.received.append(msg.topic)
        self.client.on_disconnect = lambda *a: self.disconnected.set()

    def __enter__(self) -> Probe:
        self.client.connect(self.target.host, self.target.port)
        self.client.loop_start()
        _wait(lambda: self.connack is not None, 10)
        return self

    def __exit__(self, *exc) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def publish(self, topic: str, body: bytes):
        """The broker's PUBACK reason code (QoS 1), None if none came."""
        mid = self.client.publish(topic, body, qos=1).mid
        _wait(lambda: mid in self.puback or self.disconnected.is_set(), 10)
        return self.puback.get(mid)


def _wait(condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def as_account(broker: Broker, username: str) -> Probe:
    return Probe(broker.target(username))


def anonymous(broker: Broker) -> Probe:
    return Probe(MqttTarget("127.0.0.1", broker.port()))


def breaker_open(device_id: str = BREAKER, *, topic: str | None = None) -> tuple[str, bytes, str]:
    msg_id = uuid.uuid4().hex
    t, body = payload(
        device_id,
        {"position": "open", "current_a": 0.0},
        kind="breaker",
        ts=datetime.now(UTC),
        msg_id=msg_id,
    )
    return topic or t, body, msg_id


def mark(broker: Broker, engine) -> None:
    """Publish a valid sensor reading and wait until the ingest wrote it."""
    msg_id = uuid.uuid4().hex
    topic, body = payload(
        SENSOR, {"pressure_bar": 3.0}, kind="pressure_sensor", ts=datetime.now(UTC), msg_id=msg_id
    )
    with as_account(broker, device_account("pressure_sensor")) as sensor:
        assert sensor.publish(topic, body).value == 0
    _wait(lambda: seen(engine, msg_id), 30)
    assert seen(engine, msg_id), "the marker message was not ingested"


def seen(engine, msg_id: str) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM live.reading WHERE msg_id = :m) "
                    "OR EXISTS (SELECT 1 FROM live.quarantine WHERE msg_id = :m)"
                ),
                {"m": msg_id},
            ).scalar()
        )


def breaker_state(engine) -> tuple:
    with engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM live.asset_state WHERE asset_code = 'PWR-SW-1'")
        ).scalar()
        incidents = conn.execute(
            text("SELECT count(*) FROM live.incident WHERE rule_id = 'breaker_open'")
        ).scalar()
    return status, incidents


def test_anonymous_and_wrong_password_connections_are_refused(broker):
    target = broker.target()
    with anonymous(broker) as nobody:
        assert nobody.connack is not None and nobody.connack.value == NOT_AUTHORIZED
    with Probe(replace(target, password="guessed")) as guesser:
        assert guesser.connack is not None and guesser.connack.value == NOT_AUTHORIZED
    # The ingest's password is not the breaker's.
    with Probe(replace(target, username=device_account("breaker"))) as swapped:
        assert swapped.connack.value == NOT_AUTHORIZED


def test_an_anonymous_breaker_open_changes_nothing(broker, engine, ingester):
    before = breaker_state(engine)
    topic, body, msg_id = breaker_open()
    with anonymous(broker) as nobody:
        assert nobody.connack.value == NOT_AUTHORIZED
        assert nobody.publish(topic, body) is None
    mark(broker, engine)
    assert not seen(engine, msg_id)
    assert breaker_state(engine) == before


@pytest.mark.parametrize(
    ("account", "where"),
    [
        (device_account("luminaire"), "the breaker's topic"),
        (device_account("env_station"), "the breaker's topic"),
        (INGEST, "the breaker's topic"),
        (device_account("breaker"), "a topic outside the device tree"),
    ],
)
def test_a_breaker_open_outside_an_accounts_own_topics_is_refused(
    broker, engine, ingester, account, where
):
    topics = {
        "the breaker's topic": topic_for("breaker", BREAKER),
        "a topic outside the device tree": f"twin/breaker/{BREAKER}/x",
    }
    before = breaker_state(engine)
    topic, body, msg_id = breaker_open(topic=topics[where])
    with as_account(broker, account) as attacker:
        assert attacker.connack.value == 0
        reason = attacker.publish(topic, body)
    assert reason is not None and reason.value == NOT_AUTHORIZED, f"{account} on {where}: {reason}"
    mark(broker, engine)
    assert not seen(engine, msg_id)
    assert breaker_state(engine) == before


def test_a_breaker_message_under_another_kinds_own_topic_is_quarantined(broker, engine, ingester):
    # The luminaire account may publish under twin/luminaire/..., but the ingest
    # checks topic and kind against the registry: no state, no incident.
    before = breaker_state(engine)
    topic, body, msg_id = breaker_open(topic=topic_for("luminaire", BREAKER))
    with as_account(broker, device_account("luminaire")) as lamp:
        assert lamp.publish(topic, body).value == 0
    mark(broker, engine)
    with engine.connect() as conn:
        reason = conn.execute(
            text("SELECT reason FROM live.quarantine WHERE msg_id = :m"), {"m": msg_id}
        ).scalar()
    assert reason in ("kind_mismatch", "topic_mismatch")
    assert breaker_state(engine) == before


@pytest.mark.parametrize("pattern", ["twin/#", "#", "twin/pressure_sensor/+", "$SYS/#"])
def test_a_device_account_cannot_read_telemetry(broker, engine, ingester, pattern):
    readers = {
        "spy": as_account(broker, device_account("breaker")),
        "ingest": as_account(broker, INGEST),  # the control: this one may read
    }
    with readers["spy"] as spy, readers["ingest"] as control:
        for probe in (spy, control):
            probe.client.subscribe(pattern, qos=1)
            # Mosquitto may grant the subscription: reading is checked per message.
            _wait(lambda p=probe: p.suback is not None, 10)
        mark(broker, engine)  # a sensor reading, which the ingest receives
        _wait(lambda: control.received, 5)
        time.sleep(0.3)
    assert spy.received == []
    assert bool(control.received) == pattern.startswith(("twin", "#"))


def test_an_oversized_message_costs_the_connection_and_the_broker_survives(
    broker, engine, ingester
):
    topic, body, msg_id = breaker_open()
    huge = body[:-1] + b', "pad": "' + b"x" * (MAX_PACKET_BYTES + 1) + b'"}'
    with as_account(broker, device_account("breaker")) as sender:
        sender.client.reconnect_delay_set(30, 60)  # so the drop is seen, not papered over
        sender.publish(topic, huge)
        _wait(sender.disconnected.is_set, 10)
        assert sender.disconnected.is_set()
    assert broker.running()
    mark(broker, engine)
    assert not seen(engine, msg_id)


def test_the_largest_legitimate_message_fits_the_packet_limit():
    for kind in DEVICE_KINDS.values():
        readings = {f.name: (f.choices[0] if f.choices else 100000.123) for f in kind.fields}
        topic, body = payload(
            "X" * 64, readings, kind=kind.name, ts=datetime.now(UTC), msg_id="f" * 32
        )
        assert len(topic) + len(body) + 64 < MAX_PACKET_BYTES // 4, kind.name


def test_passwords_are_private_from_their_creation(tmp_path):
    old = os.umask(0)  # even a careless umask gives no one else a moment to read them
    try:
        passwords = credentials.load_or_create(tmp_path / "mqtt.secret")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "mqtt.secret").stat().st_mode) == 0o600
    assert set(passwords) == {INGEST, *(device_account(k) for k in DEVICE_KINDS)}
    assert len(set(passwords.values())) == len(passwords)  # one password per account


def test_the_running_brokers_files_are_private(broker):
    assert stat.S_IMODE(broker.secret_file.stat().st_mode) == 0o600
    hashed = broker.folder / "passwd"
    assert stat.S_IMODE(hashed.stat().st_mode) == 0o600
    text_ = hashed.read_text()
    assert all(pw not in text_ for pw in broker.target().accounts.values())
    config = broker.config_file.read_text()
    assert "allow_anonymous false" in config and "127.0.0.1" in config


@pytest.mark.parametrize("qos", [1, 0])
def test_a_flood_while_the_database_stalls_waits_on_the_broker_not_in_memory(broker, engine, qos):
    ing = Ingester(
        engine, broker.target(), client_id=f"ingest-flood-{qos}", batch_size=10, max_pending=50
    )
    ing.flush_s = 0.02
    ing.start()
    ids = [uuid.uuid4().hex for _ in range(300)]
    try:
        with engine.connect() as locker:  # the database stalls: no batch can be written
            locker.execute(text("LOCK TABLE live.reading IN ACCESS EXCLUSIVE MODE"))
            with as_account(broker, device_account("pressure_sensor")) as sensor:
                for i, msg_id in enumerate(ids):
                    topic, body = payload(
                        f"PRS-WTR-JCT-{i % 6 + 1}",
                        {"pressure_bar": 3.0},
                        kind="pressure_sensor",
                        ts=datetime.now(UTC),
                        msg_id=msg_id,
                    )
                    sensor.client.publish(topic, body, qos=qos)
                _wait(lambda: ing.pending >= ing.max_pending, 10)
                time.sleep(1.0)  # time enough for the rest to pour in, were it let
                held = ing.pending
            locker.rollback()
        assert ing.max_pending <= held <= ing.max_pending + ing.batch_size
        _wait(lambda: ing.stats.received >= len(ids), 60)
    finally:
        ing.stop()
    with engine.connect() as conn:
        written = conn.execute(
            text("SELECT count(*) FROM live.reading WHERE msg_id = ANY(:ids)"), {"ids": ids}
        ).scalar()
    assert written == len(ids)  # held back, not dropped


def test_an_open_broker_left_running_by_an_earlier_version_is_restarted_closed(tmp_path):
    old = Broker(tmp_path / "home")
    old.folder.mkdir(parents=True)
    port = _free_port()
    (old.folder / "port").write_text(str(port))
    old.config_file.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
    proc = subprocess.Popen(
        [find_mosquitto(), "-c", str(old.config_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    (old.folder / "pid").write_text(str(proc.pid))
    _wait(lambda: _listening(port), 10)
    try:
        with Probe(MqttTarget("127.0.0.1", port)) as before:
            assert before.connack.value == 0  # the hole, as it was
        broker = Broker(tmp_path / "home")
        broker.start()
        proc.wait(10)  # the open one was stopped
        with anonymous(broker) as nobody:
            assert nobody.connack.value == NOT_AUTHORIZED
    finally:
        Broker(tmp_path / "home").stop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_an_external_brokers_account_comes_from_the_settings_or_the_environment(tmp_path):
    settings = Settings(home=tmp_path)
    env = {
        "TWIN_MQTT_URL": "mqtt://broker.example:8883",
        "TWIN_MQTT_USERNAME": "twin",
        "TWIN_MQTT_PASSWORD": "from the environment",
    }
    target = mqtt_target(settings, environ=env)
    assert (target.host, target.port, target.username) == ("broker.example", 8883, "twin")
    assert target.login(device_account("breaker")) == target  # one account for every client
    assert "from the environment" not in repr(target)
    in_url = mqtt_target(settings, environ={"TWIN_MQTT_URL": "mqtt://u:p@broker.example"})
    assert (in_url.username, in_url.password, in_url.port) == ("u", "p", 1883)
    assert not (tmp_path / "mqtt").exists()  # nothing started


@pytest.fixture
def tls_broker(tmp_path):
    """A Mosquitto listening over TLS only, with one account ``twin``; (port, CA file)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    (tmp_path / "passwd").write_text(credentials.password_file_text({"twin": "pw"}))
    port = _free_port()
    config = tmp_path / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\ncertfile {cert}\nkeyfile {key}\n"
        f"allow_anonymous false\npassword_file {tmp_path / 'passwd'}\nuser root\n"
    )
    proc = subprocess.Popen(
        [find_mosquitto(), "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _wait(lambda: _listening(port), 10)
    yield port, str(cert)
    proc.terminate()
    proc.wait(10)


# paho leaves the socket of a failed TLS handshake to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_external_broker_is_reached_over_tls_with_its_authority(tls_broker, tmp_path):
    port, ca = tls_broker
    env = {
        "TWIN_MQTT_URL": f"mqtts://twin:pw@127.0.0.1:{port}",
        "TWIN_MQTT_CA_FILE": ca,
    }
    target = mqtt_target(Settings(home=tmp_path), environ=env)
    assert target.url == f"mqtts://127.0.0.1:{port}"
    with Probe(target) as client:
        assert client.connack is not None and client.connack.value == 0
    untrusted = replace(target, ca_file=None)  # a certificate no known authority signed
    with pytest.raises(ssl.SSLCertVerificationError):
        Probe(untrusted).__enter__()

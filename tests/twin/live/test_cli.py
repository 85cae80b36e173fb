"""``twin live``: the private broker, alarm rules, devices and incidents from the command line.

The broker is a real Mosquitto in the test's own home; the other commands
commit, so they run on a database of their own holding the tiny city.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, pool, text

from tests.twin.live.owndb import city_database
from twin.cli import cli
from twin.db.engine import session_scope
from twin.live.alarms import Transition, load_rules
from twin.live.incidents import apply_transitions

pytestmark = pytest.mark.db

RULES = {r.id: r for r in load_rules()}


def _twin(env: dict, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_broker_starts_reports_and_stops_in_the_home(tmp_path):
    env = {"TWIN_HOME": str(tmp_path), "TWIN_MQTT_URL": None, "DATABASE_URL": None}
    try:
        started = _twin(env, "live", "broker", "start")
        assert started.startswith("MQTT broker: mqtt://127.0.0.1:")
        assert "accounts" in started and str(tmp_path) in started
        assert "running on 127.0.0.1:" in _twin(env, "live", "broker", "status")
    finally:
        assert _twin(env, "live", "broker", "stop") == "MQTT broker stopped\n"
    assert _twin(env, "live", "broker", "status").endswith(": not running\n")


@pytest.fixture(scope="module")
def city_url(db_url):
    with city_database(db_url, "live_cli") as url:
        yield url


def _scalar(url: str, sql: str):
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def test_rules_are_loaded_into_the_database(city_url):
    said = _twin({"DATABASE_URL": city_url}, "live", "rules", "load")
    assert said.startswith(f"{len(RULES)} alarm rules loaded: ")
    assert set(said.split(": ", 1)[1].strip().split(", ")) == set(RULES)
    enabled = _scalar(city_url, "SELECT count(*) FROM live.alarm_rule WHERE enabled")
    assert enabled == len(RULES)


def test_devices_are_registered_once_and_listed_by_kind(city_url):
    env = {"DATABASE_URL": city_url}
    again = _twin(env, "live", "devices", "register-demo", "--pressure-every", "1")
    assert again.startswith("devices added: ")
    assert all(part.endswith(" 0") for part in again.strip().split(": ", 1)[1].split(", ")), again
    listed = [line.split() for line in _twin(env, "live", "devices", "list").splitlines()]
    stored = _scalar(city_url, "SELECT count(DISTINCT kind) FROM live.device")
    assert len(listed) == stored > 0
    total = _scalar(city_url, "SELECT count(*) FROM live.device")
    assert sum(int(line[1]) for line in listed) == total


def test_an_incident_is_listed_assigned_and_closed(city_url):
    env = {"DATABASE_URL": city_url}
    engine = create_engine(city_url, poolclass=pool.NullPool)
    opened = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
    trip = Transition("breaker_open", "BRK-PWR-SW-1", "power_switch", "PWR-SW-1", True, opened,
                      None, {"reading": "open"})
    with session_scope(engine) as session:
        [incident] = apply_transitions(session, [trip], RULES)
        code = incident.code
    engine.dispose()
    [line] = [row for row in _twin(env, "live", "incidents", "list").splitlines() if code in row]
    assert line.split()[1:3] == ["open", "critical"]
    assert _twin(env, "live", "incidents", "assign", code, "crew1") == f"{code} assigned to crew1\n"
    assert "crew1" in _twin(env, "live", "incidents", "list")
    closed = _twin(env, "live", "incidents", "close", code, "--note", "breaker reset")
    assert closed == f"{code} closed\n"
    assert code not in _twin(env, "live", "incidents", "list")
    assert code in _twin(env, "live", "incidents", "list", "--all")

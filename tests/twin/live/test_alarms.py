"""Alarm rules come from the data file; the engine raises and clears them."""

import json
from datetime import timedelta

import pytest

from tests.twin.live.messages import DEVICES, NOW, payload
from twin.errors import InvalidInput
from twin.live.alarms import RULES_FILE, AlarmEngine, load_rules, parse_rules
from twin.live.schema import validate_message


def message(device_id, readings, minutes=0):
    topic, body = payload(device_id, readings, ts=NOW + timedelta(minutes=minutes))
    return validate_message(topic, body, devices=DEVICES, now=NOW + timedelta(minutes=minutes))


@pytest.fixture
def engine():
    return AlarmEngine(load_rules())


def test_the_shipped_rules_cover_the_required_alarms():
    rules = {r.id: r for r in load_rules()}
    assert {"lamp_out", "cabinet_offline", "pressure_drop", "breaker_open", "device_silent"} <= set(
        rules
    )
    assert rules["breaker_open"].network == "power"
    assert rules["pressure_drop"].network == "water"
    assert json.loads(RULES_FILE.read_text())["rules"][0]["id"] == "lamp_out"
    assert all(r.title_in("vi") != r.title for r in rules.values())  # every one in Vietnamese
    assert rules["breaker_open"].title_in("vi") == "Máy cắt mở"
    assert rules["breaker_open"].title_in("en") == "Breaker opened"


def test_rules_are_read_from_whatever_file_is_given(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            {
                "rules": [
                    {
                        "id": "hot",
                        "type": "reading",
                        "title": "Too hot",
                        "severity": "minor",
                        "kinds": ["env_station"],
                        "field": "temperature_c",
                        "op": "gt",
                        "value": 40,
                    }
                ]
            }
        )
    )
    engine = AlarmEngine(load_rules(path))
    assert engine.on_message(message("ENV-1", {"temperature_c": 35})) == []
    [t] = engine.on_message(message("ENV-1", {"temperature_c": 41.5}))
    assert (t.rule_id, t.raised, t.value) == ("hot", True, 41.5)


def test_every_bad_rule_is_reported_at_once():
    with pytest.raises(InvalidInput) as info:
        parse_rules(
            {
                "rules": [
                    {
                        "id": "a",
                        "type": "reading",
                        "title": "A",
                        "severity": "huge",
                        "kinds": ["x"],
                    },
                    {"id": "b", "type": "weather", "title": "B", "severity": "minor", "kinds": []},
                    {
                        "id": "b",
                        "type": "silence",
                        "title": "B",
                        "title_vi": ["B"],
                        "severity": "minor",
                        "kinds": ["breaker"],
                    },
                ]
            }
        )
    rules = {(p.field, p.rule) for p in info.value.problems}
    assert {
        ("field", "required"),
        ("severity", "allowed_values"),
        ("kinds", "allowed_values"),
        ("type", "allowed_values"),
        ("silent_s", "required"),
        ("title_vi", "type"),
        ("id", "unique"),
    } <= rules


def test_lamp_out_is_raised_once_and_cleared_by_a_healthy_reading(engine):
    fault = {"on": True, "power_w": 0, "fault": "lamp_out"}
    [raised] = engine.on_message(message("LUM-1", fault))
    assert (raised.rule_id, raised.subject, raised.asset_code) == (
        "lamp_out",
        "LUM-1",
        "LGT-POLE-1",
    )
    assert engine.on_message(message("LUM-1", fault, 1)) == []
    [cleared] = engine.on_message(message("LUM-1", {"on": True, "fault": None}, 2))
    assert (cleared.rule_id, cleared.raised) == ("lamp_out", False)


def test_breaker_opening_raises_and_an_engine_restarted_remembers_it():
    rules = load_rules()
    first = AlarmEngine(rules)
    [t] = first.on_message(message("BRK-1", {"position": "open"}))
    assert t.rule_id == "breaker_open"
    again = AlarmEngine(rules, active=first.active)
    assert again.on_message(message("BRK-1", {"position": "open"}, 1)) == []


def test_slow_daily_dip_is_no_alarm_but_a_sudden_drop_is(engine):
    pressure = 3.2
    for minute in range(60):  # the morning peak: 0.5 bar over an hour
        pressure -= 0.5 / 60
        assert engine.on_message(message("PRS-1", {"pressure_bar": pressure}, minute)) == []
    [t] = engine.on_message(message("PRS-1", {"pressure_bar": pressure - 1.0}, 61))
    assert t.rule_id == "pressure_drop" and t.raised
    # The moving baseline lags a falling trend by slope / alpha (about 0.17 bar here).
    assert t.details["drop"] == pytest.approx(1.0 + 0.17, abs=0.05)
    assert engine.on_message(message("PRS-1", {"pressure_bar": pressure - 0.9}, 62)) == []
    [back] = engine.on_message(message("PRS-1", {"pressure_bar": pressure - 0.1}, 63))
    assert not back.raised


def test_silent_devices_are_raised_by_the_clock_and_cleared_by_their_next_message(engine):
    heard = NOW - timedelta(hours=2)
    devices = [
        ("LUM-1", "luminaire", "lighting_light", "LGT-POLE-1", heard),
        ("BRK-1", "breaker", "power_switch", "PWR-SW-1", NOW - timedelta(minutes=5)),
    ]
    [t] = engine.on_clock(NOW, devices)
    assert (t.rule_id, t.subject, t.value) == ("device_silent", "LUM-1", 7200.0)
    assert engine.on_clock(NOW + timedelta(minutes=1), devices) == []
    cleared = engine.on_message(message("LUM-1", {"on": False}))
    assert [(c.rule_id, c.raised) for c in cleared] == [("device_silent", False)]

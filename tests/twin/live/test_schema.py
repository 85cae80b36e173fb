"""Message validation: every rule, each with the reason that lands in quarantine."""

import json
import random
from datetime import timedelta

import pytest

from tests.twin.live.messages import DEVICES, NOW, payload
from twin.live.patterns import healthy_readings
from twin.live.schema import DEVICE_KINDS, Message, Rejection, json_schema, validate_message


def check(topic_payload, now=NOW):
    topic, body = topic_payload
    return validate_message(topic, body, devices=DEVICES, now=now)


def test_a_valid_message_is_accepted_with_its_asset_and_status():
    m = check(payload("LUM-1", {"on": True, "dimming_pct": 70, "power_w": 70.0, "fault": None}))
    assert isinstance(m, Message)
    assert (m.asset_table, m.asset_code, m.status) == ("lighting_light", "LGT-POLE-1", "on")
    assert m.ts == NOW


@pytest.mark.parametrize(
    "readings, status",
    [
        ({"on": True, "fault": "lamp_out"}, "fault"),
        ({"on": False}, "off"),
    ],
)
def test_luminaire_status_follows_fault_and_switch(readings, status):
    assert check(payload("LUM-1", readings)).status == status


def test_breaker_status_is_its_position_and_env_station_leaves_status_alone():
    assert check(payload("BRK-1", {"position": "open", "current_a": 0})).status == "open"
    assert check(payload("ENV-1", {"temperature_c": 25.0})).status is None


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda: ("twin/luminaire/LUM-1", b'{"msg_id": "a", '), "not_json"),
        (lambda: ("twin/luminaire/LUM-1", b"\xff\xfe"), "not_utf8"),
        (lambda: ("twin/luminaire/LUM-1", b"[1, 2]"), "envelope"),
        (lambda: payload("LUM-1", extra_field=1), "envelope"),
        (lambda: payload("LUM-1", msg_id=""), "envelope"),
        (lambda: payload("LUM-1", msg_id="a\x00b"), "envelope"),
        (lambda: payload("GHOST"), "unknown_device"),
        (lambda: payload("LUM-1", kind="breaker"), "kind_mismatch"),
        (lambda: ("twin/luminaire/LUM-2", payload("LUM-1")[1]), "topic_mismatch"),
        (lambda: payload("LUM-1", ts="yesterday"), "timestamp_format"),
        (lambda: payload("LUM-1", ts="2026-11-21T22:00:00"), "timestamp_format"),
        (lambda: payload("LUM-1", ts=NOW + timedelta(minutes=6)), "timestamp_in_future"),
        (lambda: payload("LUM-1", ts=NOW - timedelta(days=31)), "timestamp_too_old"),
        (lambda: payload("PRS-1", {"pressure_bar": 40}), "implausible_value"),
        (lambda: payload("PRS-1", {"pressure_bar": "3"}), "reading_type"),
        (lambda: payload("PRS-1", {"pressure_bar": True}), "reading_type"),
        (lambda: payload("PRS-1", {"pressure_bar": 3, "colour": 1}), "unknown_reading"),
        (lambda: payload("PRS-1", {"flow_m3h": 3}), "unknown_reading"),
        (lambda: payload("BRK-1", {"current_a": 10}), "missing_reading"),
        (lambda: payload("BRK-1", {"position": "ajar"}), "reading_value"),
        (lambda: payload("LUM-1", {}), "envelope"),
    ],
)
def test_each_broken_rule_is_the_quarantine_reason(make, reason):
    result = check(make())
    assert isinstance(result, Rejection)
    assert result.reason == reason
    assert all(p.message for p in result.problems)


def test_a_rejection_lists_every_problem_and_keeps_the_ids():
    result = check(
        payload("PRS-1", {"pressure_bar": 99, "x": 1}, msg_id="m-1", ts=NOW + timedelta(hours=1))
    )
    assert {p.rule for p in result.problems} == {
        "timestamp_in_future",
        "implausible_value",
        "unknown_reading",
    }
    assert (result.device_id, result.msg_id) == ("PRS-1", "m-1")


def test_a_slightly_fast_device_clock_is_tolerated():
    assert isinstance(check(payload("LUM-1", ts=NOW + timedelta(minutes=4))), Message)


@pytest.mark.parametrize("kind", sorted(DEVICE_KINDS))
def test_simulated_healthy_readings_pass_their_schema_all_day(kind):
    rng = random.Random(3)
    device = f"DEV-{kind}"
    devices = {device: (kind, DEVICE_KINDS[kind].asset_tables[0], "A-1")}
    for hour in range(0, 24 * 4):
        t = NOW - timedelta(minutes=15 * hour)
        readings = healthy_readings(kind, t, {}, rng)
        topic, body = payload(device, readings, kind=kind, ts=t)
        assert isinstance(validate_message(topic, body, devices=devices, now=NOW), Message)


@pytest.mark.parametrize("kind", sorted(DEVICE_KINDS))
def test_json_schema_documents_every_reading(kind):
    schema = json_schema(kind)
    readings = schema["properties"]["readings"]["properties"]
    assert set(readings) == {f.name for f in DEVICE_KINDS[kind].fields}
    assert schema["properties"]["kind"] == {"const": kind}
    json.dumps(schema)

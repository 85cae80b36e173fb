"""Batch writes: readings once per message id, state, quarantine, monthly partitions."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.twin.live.city import make_city
from tests.twin.live.messages import payload
from twin.live.devices import register_demo_devices, register_device
from twin.live.partitions import month_bounds, partition_name, partitions
from twin.live.schema import Message, validate_message
from twin.live.store import Received, load_registry, write_batch

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)


@pytest.fixture
def conn(session):
    make_city(session)
    register_demo_devices(session, pressure_every=1)
    return session.connection()


def validated(conn, items, now=NOW):
    registry = load_registry(conn)
    accepted, rejected = [], []
    for topic, body in items:
        result = validate_message(topic, body, devices=registry, now=now)
        if isinstance(result, Message):
            accepted.append(result)
        else:
            rejected.append((Received(topic, body), result))
    return accepted, rejected


def lum(readings, **kw):
    return payload("LUM-LGT-POLE-1", readings, kind="luminaire", **kw)


def test_month_bounds_and_names_are_utc_calendar_months():
    start, end = month_bounds(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert (start, end) == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    local_new_year = datetime(2027, 1, 1, 5, 0, tzinfo=UTC) - timedelta(hours=7)
    assert partition_name(local_new_year) == "reading_202612"


def test_partitions_are_created_for_each_month_of_a_batch(conn):
    before = set(partitions(conn))
    items = [lum({"on": True}, ts=NOW), lum({"on": False}, ts=NOW - timedelta(days=25))]
    result = write_batch(conn, *validated(conn, items))
    assert len(result.new) == 2
    assert {"reading_202611", "reading_202610"} <= set(partitions(conn)) | before
    in_october = conn.execute(
        text("SELECT count(*) FROM live_part.reading_202610 WHERE device_id = 'LUM-LGT-POLE-1'")
    )
    assert in_october.scalar() == 1


def test_a_redelivered_message_is_written_once(conn):
    first = lum({"on": True, "power_w": 90.0}, msg_id="dup-1")
    again = lum({"on": True, "power_w": 90.0}, msg_id="dup-1")
    in_one = write_batch(conn, *validated(conn, [first, again]))
    later = write_batch(conn, *validated(conn, [again]))
    assert (len(in_one.new), in_one.duplicates) == (1, 1)
    assert (len(later.new), later.duplicates) == (0, 1)
    count = conn.execute(text("SELECT count(*) FROM live.reading WHERE msg_id = 'dup-1'"))
    assert count.scalar() == 1


def test_state_takes_the_newest_reading_and_merges_devices_of_one_asset(session, conn):
    register_device(session, "ENV-LGT-POLE-1", "env_station", "lighting_light", "LGT-POLE-1")
    items = [
        lum({"on": True, "fault": "lamp_out"}, ts=NOW),
        lum({"on": True, "fault": None}, ts=NOW - timedelta(minutes=5)),
        payload(
            "ENV-LGT-POLE-1",
            {"temperature_c": 21.5},
            kind="env_station",
            ts=NOW + timedelta(seconds=1),
        ),
    ]
    write_batch(conn, *validated(conn, items))
    state = conn.execute(
        text(
            "SELECT status, readings, last_ts FROM live.asset_state WHERE asset_code = 'LGT-POLE-1'"
        )
    ).one()
    assert state.status == "fault"  # the station says nothing about the lamp
    assert state.readings["fault"] == "lamp_out" and state.readings["temperature_c"] == 21.5
    write_batch(conn, *validated(conn, [lum({"on": False}, ts=NOW - timedelta(hours=1))]))
    assert (
        conn.execute(
            text("SELECT status FROM live.asset_state WHERE asset_code = 'LGT-POLE-1'")
        ).scalar()
        == "fault"
    )
    heard = conn.execute(
        text(
            "SELECT last_seen_at > now() - interval '1 minute' FROM live.device "
            "WHERE device_id = 'LUM-LGT-POLE-1'"
        )
    ).scalar()
    assert heard  # when it reached us, not the device clock (NOW is in the past)


def test_invalid_messages_are_quarantined_with_every_reason(conn):
    items = [
        ("twin/luminaire/LUM-LGT-POLE-1", b"{oops"),
        payload("GHOST-1", {"on": True}, kind="luminaire"),
        payload("PRS-WTR-JCT-1", {"pressure_bar": 80}, kind="pressure_sensor", msg_id="m9"),
        lum({"on": True}),
    ]
    result = write_batch(conn, *validated(conn, items))
    assert (len(result.new), result.quarantined) == (1, 3)
    rows = conn.execute(
        text("SELECT reason, device_id, msg_id, problems, payload FROM live.quarantine ORDER BY id")
    ).all()
    assert [r.reason for r in rows] == ["not_json", "unknown_device", "implausible_value"]
    assert rows[0].payload == "{oops"
    assert rows[2].msg_id == "m9" and rows[2].problems[0]["field"] == "readings.pressure_bar"

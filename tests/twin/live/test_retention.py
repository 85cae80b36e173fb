"""Telemetry retention under years of readings: the readings table stays bounded, nothing is lost.

Three years of synthetic readings (two devices, one reading every six hours)
go into ``live.reading`` a year at a time, each year followed by a
retention run as the ingest's login would do it.  Old months end up as
hourly and daily aggregates whose counts and sums are those of the raw
readings, and only the last months stay raw.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import DBAPIError

from tests.databases import app_role_url, scratch_database
from twin.live.partitions import partitions
from twin.live.retention import partition_end, retain

pytestmark = pytest.mark.db
DEVICES = ("LUM-A", "LUM-B")
KEEP_DAYS = 90


@pytest.fixture
def engines(db_url, db_home):
    with scratch_database(db_url, "twin_retention", copy=True) as url:
        owner = create_engine(url, poolclass=pool.NullPool)
        app = create_engine(app_role_url(url, db_home) or url, poolclass=pool.NullPool)
        yield owner, app
        owner.dispose()
        app.dispose()


def add_readings(engine, start: datetime, end: datetime) -> None:
    """A reading of each device every six hours in [start, end): lamp on at night, its power."""
    with engine.begin() as conn:
        month = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        while month < end:
            conn.execute(text("SELECT live.ensure_reading_partition(:m)"), {"m": month})
            month = partition_end(f"reading_{month:%Y%m}")
        conn.execute(text(
            "INSERT INTO live.reading (msg_id, ts, device_id, kind, asset_code, readings) "
            "SELECT md5(d || ts::text), ts, d, 'luminaire', 'A-' || d, jsonb_build_object("
            "  'on', extract(hour FROM ts) >= 12, 'power_w', 40 + extract(hour FROM ts), "
            "  'fault', NULL) "
            "FROM generate_series(CAST(:start AS timestamptz), CAST(:end AS timestamptz) "
            "  - interval '1 second', interval '6 hours') ts, unnest(CAST(:devices AS text[])) d"),
            {"start": start, "end": end, "devices": list(DEVICES)})


def raw_power(engine, before: datetime) -> tuple[int, float]:
    with engine.connect() as conn:
        n, total = conn.execute(text(
            "SELECT count(*), coalesce(sum((readings->>'power_w')::float8), 0) "
            "FROM live.reading WHERE ts < :before"), {"before": before}).one()
    return n, total


def rolled_power(engine, grain: str) -> tuple[int, float]:
    with engine.connect() as conn:
        n, total = conn.execute(text(
            "SELECT coalesce(sum(n), 0), coalesce(sum(total), 0) FROM live.reading_rollup "
            "WHERE grain = :g AND name = 'power_w'"), {"g": grain}).one()
    return int(n), total


def test_years_of_readings_stay_bounded_and_add_up(engines):
    owner, app = engines
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    start = (now - timedelta(days=3 * 365)).replace(hour=0)
    expected_n, expected_total = 0, 0.0
    for year in range(3):
        end = min(now, start + timedelta(days=365 * (year + 1)))
        add_readings(owner, start + timedelta(days=365 * year), end)
        cutoff = now - timedelta(days=KEEP_DAYS)
        with owner.connect() as conn:
            old_months = [p for p in partitions(conn) if partition_end(p) <= cutoff]
        retiring = max((partition_end(p) for p in old_months), default=None)
        n, total = raw_power(owner, retiring) if retiring else (0, 0.0)
        expected_n, expected_total = expected_n + n, expected_total + total

        done = retain(app, keep_days=KEEP_DAYS, keep_hourly_days=10 * 365, now=now)
        assert sorted(done.retired) == sorted(old_months)
        with owner.connect() as conn:
            left = partitions(conn)
            raw = conn.execute(text("SELECT count(*) FROM live.reading")).scalar()
        assert all(partition_end(p) > cutoff for p in left)
        assert len(left) <= KEEP_DAYS // 28 + 2
        assert raw <= len(DEVICES) * 4 * (KEEP_DAYS + 31 + 1)
        for grain in ("hour", "day"):
            n, total = rolled_power(owner, grain)
            assert n == expected_n and total == pytest.approx(expected_total)
    assert expected_n > 2 * 365 * 4 * len(DEVICES)  # two years and more were rolled up

    with owner.connect() as conn:
        days, hours, share_on = conn.execute(text(
            "SELECT count(*) FILTER (WHERE grain = 'day'), count(*) FILTER (WHERE grain = 'hour'), "
            "sum(total) FILTER (WHERE grain = 'day') / sum(n) FILTER (WHERE grain = 'day') "
            "FROM live.reading_rollup WHERE name = 'on' AND device_id = 'LUM-A'")).one()
    assert 700 < days <= 3 * 365 and hours > days  # one row per device, reading and bucket
    assert share_on == pytest.approx(0.5, abs=0.01)  # on at 12:00 and 18:00 UTC of 4 samples

    pruned = retain(app, keep_days=KEEP_DAYS, keep_hourly_days=365, now=now)
    assert pruned.retired == [] and pruned.hourly_deleted > 0
    with owner.connect() as conn:
        oldest_hour = conn.execute(text(
            "SELECT min(bucket) FROM live.reading_rollup WHERE grain = 'hour'")).scalar()
    assert oldest_hour >= now - timedelta(days=365)


def test_a_late_reading_merges_and_a_recent_month_is_refused(engines):
    owner, app = engines
    now = datetime.now(UTC)
    old = (now - timedelta(days=200)).replace(day=3, hour=0, minute=0, second=0, microsecond=0)
    add_readings(owner, old, old + timedelta(days=1))
    retain(app, keep_days=KEEP_DAYS, now=now)
    assert rolled_power(owner, "day")[0] == 4 * len(DEVICES)
    add_readings(owner, old + timedelta(hours=1), old + timedelta(hours=2))  # late ones
    retain(app, keep_days=KEEP_DAYS, now=now)
    assert rolled_power(owner, "day")[0] == 5 * len(DEVICES)

    add_readings(owner, now - timedelta(hours=1), now)
    with owner.connect() as conn:
        current = partitions(conn)[-1]
    with pytest.raises(DBAPIError) as refused, app.begin() as conn:
        conn.execute(text("SELECT live.retire_reading_partition(:p)"), {"p": current})
    assert isinstance(refused.value.orig, psycopg.errors.InvalidParameterValue)
    assert "still takes readings" in str(refused.value.orig)
    with pytest.raises(DBAPIError), app.begin() as conn:
        conn.execute(text("SELECT live.retire_reading_partition('quarantine')"))

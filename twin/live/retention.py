"""Telemetry retention: old months of readings rolled up into aggregates, their partitions dropped.

``live.reading`` holds one partition per UTC month (:mod:`twin.live.partitions`).
:func:`retain` retires every partition whose whole month is older than
``keep_days``: the database function ``live.retire_reading_partition``
(``migrations/sql/retention.sql``) adds its numeric and true/false readings
to the hourly and daily aggregates of ``live.reading_rollup``, then drops it,
in one transaction per month.  Hourly aggregates older than
``keep_hourly_days`` are deleted too; daily ones are kept (a device's year
is at most 365 rows per reading).  So under years of telemetry the readings
table holds at most ``keep_days`` plus one month, and the aggregates grow by
a few rows per device and day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from .partitions import partitions

__all__ = ["MIN_KEEP_DAYS", "Retained", "partition_end", "retain"]

#: The ingest accepts readings up to 30 days old: younger months are never retired.
MIN_KEEP_DAYS = 31


@dataclass
class Retained:
    """What one run of :func:`retain` did."""

    retired: list[str] = field(default_factory=list)
    aggregates: int = 0
    hourly_deleted: int = 0


def partition_end(name: str) -> datetime:
    """The first instant after the month of partition ``reading_YYYYMM`` (UTC).

    >>> partition_end("reading_202612").isoformat()
    '2027-01-01T00:00:00+00:00'
    """
    year, month = int(name[-6:-2]), int(name[-2:])
    return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def retain(engine: Engine, *, keep_days: int = 90, keep_hourly_days: int = 730,
           now: datetime | None = None) -> Retained:
    """Retire the months of readings older than ``keep_days``; drop hourly aggregates past theirs."""
    if keep_days < MIN_KEEP_DAYS:
        raise ValueError(f"readings must be kept at least {MIN_KEEP_DAYS} days (the ingest "
                         "still accepts readings 30 days old)")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=keep_days)
    done = Retained()
    with engine.connect() as conn:
        old = [name for name in partitions(conn) if partition_end(name) <= cutoff]
    for name in old:  # one month per transaction: short locks, progress kept
        with engine.begin() as conn:
            rolled = conn.execute(text("SELECT live.retire_reading_partition(:p)"),
                                  {"p": name}).scalar()
        if rolled is not None:
            done.retired.append(name)
            done.aggregates += rolled
    with engine.begin() as conn:
        done.hourly_deleted = conn.execute(text(
            "DELETE FROM live.reading_rollup WHERE grain = 'hour' AND bucket < :before"),
            {"before": now - timedelta(days=keep_hourly_days)}).rowcount
    return done

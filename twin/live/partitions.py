"""Monthly partitions of ``live.reading``, created on demand.

A partition covers one calendar month in UTC, ``[first day 00:00, next
first day 00:00)``, and is named ``live_part.reading_YYYYMM``.  The ingest
calls :func:`ensure_partitions` with the timestamps of each batch before it
writes, in the batch's transaction: one call per month of the batch, so a
rolled-back creation can never be believed to exist.  The ingest's login
may not create tables: the database function
``live.ensure_reading_partition`` (``migrations/sql/privileged.sql``), run
with the owner's rights, creates the month's partition and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection

from .models import SCHEMA

__all__ = ["ensure_partitions", "month_bounds", "partition_name", "partitions"]


def month_bounds(ts: datetime) -> tuple[datetime, datetime]:
    """The UTC month containing ``ts``: (first instant, first instant of the next month)."""
    ts = ts.astimezone(UTC)
    start = datetime(ts.year, ts.month, 1, tzinfo=UTC)
    end = datetime(ts.year + ts.month // 12, ts.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def partition_name(ts: datetime) -> str:
    start, _ = month_bounds(ts)
    return f"reading_{start:%Y%m}"


def ensure_partitions(conn: Connection, timestamps: Iterable[datetime]) -> list[str]:
    """Create the missing monthly partitions for ``timestamps``; returns those created.

    Runs in the caller's transaction.  ``CREATE TABLE IF NOT EXISTS`` in the
    database function makes a race between two ingest processes harmless.
    """
    months = sorted({month_bounds(ts)[0] for ts in timestamps})
    made = (
        conn.execute(text("SELECT live.ensure_reading_partition(:at)"), {"at": start}).scalar()
        for start in months
    )
    return [name for name in made if name is not None]


def partitions(conn: Connection) -> list[str]:
    """The partitions of ``live.reading`` now in the database, oldest first."""
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
            "WHERE n.nspname = :s AND p.relname = 'reading' ORDER BY c.relname"
        ),
        {"s": SCHEMA},
    )
    return [r[0] for r in rows]

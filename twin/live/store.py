"""Writing a batch of validated messages: readings, state, device clock, quarantine.

One batch is one transaction of a few statements, whatever its size:

1. accepted messages are ``COPY``-ed into a temporary staging table;
2. one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`` moves them to
   ``live.reading``: a redelivered message (same ``msg_id`` and ``ts``) is
   skipped by the primary key, and only the new ones come back;
3. one ``COPY`` and one upsert set the state of every asset touched (the
   newest reading wins, readings of several devices of one asset are merged);
4. one ``UPDATE`` marks the devices of the staged messages as heard now;
5. rejected messages are ``COPY``-ed into ``live.quarantine`` with their reasons.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection

from .partitions import ensure_partitions
from .schema import Message, Rejection

__all__ = ["BatchResult", "Received", "last_heard", "load_registry", "write_batch"]

_STAGE = "live_stage_reading"
_STATE = "live_stage_state"


@dataclass(frozen=True)
class Received:
    """A raw message as it came off the broker."""

    topic: str
    payload: bytes


@dataclass
class BatchResult:
    new: list[Message] = field(default_factory=list)
    duplicates: int = 0
    quarantined: int = 0


def load_registry(conn: Connection) -> dict[str, tuple[str, str, str]]:
    """``device_id -> (kind, asset_table, asset_code)`` of the active devices."""
    rows = conn.execute(
        text("SELECT device_id, kind, asset_table, asset_code FROM live.device WHERE active")
    )
    return {r.device_id: (r.kind, r.asset_table, r.asset_code) for r in rows}


def last_heard(conn: Connection) -> list[tuple]:
    """``(device_id, kind, asset_table, asset_code, heard)`` of the active devices,
    ``heard`` the last message's time or else the registration's."""
    rows = conn.execute(
        text(
            "SELECT device_id, kind, asset_table, asset_code, "
            "coalesce(last_seen_at, registered_at) AS heard FROM live.device WHERE active"
        )
    )
    return [tuple(r) for r in rows]


def _stage(cursor) -> None:
    """An empty staging table (emptied at commit; here too, for callers that batch twice)."""
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (msg_id text, ts timestamptz, "
        "device_id text, kind text, asset_code text, readings jsonb) ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {_STAGE}")


def _insert_readings(cursor, accepted: Sequence[Message]) -> set[tuple[str, datetime]]:
    _stage(cursor)
    with cursor.copy(
        f"COPY {_STAGE} (msg_id, ts, device_id, kind, asset_code, readings) FROM STDIN"
    ) as copy:
        for m in accepted:
            copy.write_row(
                (m.msg_id, m.ts, m.device_id, m.kind, m.asset_code, json.dumps(m.readings))
            )
    cursor.execute(
        "INSERT INTO live.reading (msg_id, ts, device_id, kind, asset_code, readings, "
        "received_at) SELECT DISTINCT ON (msg_id, ts) msg_id, ts, device_id, kind, asset_code, "
        f"readings, clock_timestamp() FROM {_STAGE} ORDER BY msg_id, ts "
        "ON CONFLICT DO NOTHING RETURNING msg_id, ts"
    )
    return {(r[0], r[1]) for r in cursor.fetchall()}


def _asset_rows(new: Sequence[Message]) -> list[tuple]:
    """One row per asset: merged readings of its newest messages, newest status."""
    per_asset: dict[str, list] = {}
    for m in sorted(new, key=lambda m: m.ts):
        row = per_asset.setdefault(
            m.asset_code, [m.asset_code, m.asset_table, None, {}, m.ts, m.device_id]
        )
        row[3].update(m.readings)
        row[4], row[5] = m.ts, m.device_id
        if m.status is not None:
            row[2] = m.status
    return [tuple(r) for r in per_asset.values()]


def _update_state(cursor, new: Sequence[Message]) -> None:
    rows = _asset_rows(new)
    if not rows:
        return
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STATE} (asset_code text, asset_table text, "
        "status text, readings jsonb, last_ts timestamptz, device_id text) ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {_STATE}")
    with cursor.copy(
        f"COPY {_STATE} (asset_code, asset_table, status, readings, last_ts, device_id) FROM STDIN"
    ) as copy:
        for code, table, status, readings, ts, device in rows:
            copy.write_row((code, table, status, json.dumps(readings), ts, device))
    cursor.execute(
        "INSERT INTO live.asset_state AS s (asset_code, asset_table, status, readings, last_ts, "
        "device_id, updated_at) SELECT asset_code, asset_table, coalesce(status, 'unknown'), "
        f"readings, last_ts, device_id, clock_timestamp() FROM {_STATE} "
        "ON CONFLICT (asset_code) DO UPDATE SET "
        "status = CASE WHEN excluded.status <> 'unknown' THEN excluded.status ELSE s.status END, "
        "readings = s.readings || excluded.readings, last_ts = excluded.last_ts, "
        "device_id = excluded.device_id, updated_at = excluded.updated_at "
        "WHERE s.last_ts IS NULL OR excluded.last_ts >= s.last_ts"
    )
    # Heard now: silence is about when a device last reached us, not its clock (a
    # device replaying its buffer after an outage is not silent).
    cursor.execute(
        "UPDATE live.device SET last_seen_at = clock_timestamp() "
        f"WHERE device_id IN (SELECT DISTINCT device_id FROM {_STAGE})"
    )


def _quarantine(cursor, rejected: Sequence[tuple[Received, Rejection]]) -> None:
    with cursor.copy(
        "COPY live.quarantine (topic, payload, reason, problems, device_id, msg_id) FROM STDIN"
    ) as copy:
        for raw, rej in rejected:
            payload = raw.payload.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
            problems = json.dumps([p.to_dict() for p in rej.problems])
            copy.write_row((raw.topic, payload, rej.reason, problems, rej.device_id, rej.msg_id))


def write_batch(
    conn: Connection, accepted: Sequence[Message], rejected: Sequence[tuple[Received, Rejection]]
) -> BatchResult:
    """Write one batch in the caller's transaction (the caller commits, then acknowledges)."""
    result = BatchResult(quarantined=len(rejected))
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        if accepted:
            ensure_partitions(conn, (m.ts for m in accepted))
            inserted = _insert_readings(cursor, accepted)
            seen: set[tuple[str, datetime]] = set()
            for m in accepted:
                key = (m.msg_id, m.ts)
                if key in inserted and key not in seen:
                    result.new.append(m)
                seen.add(key)
            result.duplicates = len(accepted) - len(result.new)
            _update_state(cursor, result.new)
        if rejected:
            _quarantine(cursor, rejected)
    return result

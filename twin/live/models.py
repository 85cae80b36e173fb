"""Tables of the live state (schema ``live``).

Devices are registered against the asset they belong to; their messages
become rows of :class:`Reading`, a table partitioned by range on ``ts``.
The partitions themselves live in schema ``live_part`` and are created on
demand by :func:`twin.live.partitions.ensure_partitions`; they are not
declared here because they depend on the data, and keeping them out of the
``live`` schema keeps Alembic's model/database comparison exact.

Every message that fails a rule is kept in :class:`Quarantine` with the
reason, never dropped.  :class:`AssetState` holds the latest operational
state of each asset, :class:`AlarmRule` the rules loaded from
``twin/live/data/alarm_rules.json``, :class:`Alarm` each raised condition and
:class:`Incident` / :class:`IncidentEvent` the work that follows it.
"""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from twin.config import STORAGE_SRID
from twin.models import Base

__all__ = [
    "INCIDENT_STATUSES",
    "PARTITION_SCHEMA",
    "SCHEMA",
    "Alarm",
    "AlarmRule",
    "AssetState",
    "Device",
    "Incident",
    "IncidentEvent",
    "Quarantine",
    "Reading",
    "ReadingRollup",
]

SCHEMA = "live"
#: Partitions of :class:`Reading` (``reading_YYYYMM``), outside the compared schemas.
PARTITION_SCHEMA = "live_part"
INCIDENT_STATUSES = ("open", "acknowledged", "in_progress", "resolved", "closed")

_NOW = func.now()


class Device(Base):
    """A field device and the asset it reports on (``asset_table`` + ``asset_code``)."""

    __tablename__ = "device"
    __table_args__ = (Index("ix_device_asset", "asset_code"), {"schema": SCHEMA})

    device_id: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    asset_table: Mapped[str] = mapped_column(Text, nullable=False)
    asset_code: Mapped[str] = mapped_column(Text, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    registered_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    meta: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))


class Reading(Base):
    """One accepted message; partitioned by month on ``ts`` (the device's clock).

    The primary key ``(msg_id, ts)`` makes a redelivered message (same id,
    same timestamp) a no-op insert; PostgreSQL requires the partition key in
    every unique index of a partitioned table.
    """

    __tablename__ = "reading"
    __table_args__ = (
        PrimaryKeyConstraint("msg_id", "ts", name="pk_reading"),
        Index("ix_reading_device_ts", "device_id", "ts"),
        Index("ix_reading_asset_ts", "asset_code", "ts"),
        {"schema": SCHEMA, "postgresql_partition_by": "RANGE (ts)"},
    )

    msg_id: Mapped[str] = mapped_column(Text, nullable=False)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    device_id: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    asset_code: Mapped[str] = mapped_column(Text, nullable=False)
    readings: Mapped[dict] = mapped_column(JSONB, nullable=False)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )


class ReadingRollup(Base):
    """Hourly and daily aggregates of the numeric and true/false readings of old partitions.

    Written by ``live.retire_reading_partition`` (:mod:`twin.live.retention`)
    just before it drops a month of :class:`Reading`: per device, reading
    name and bucket, the count, sum, least and greatest value (``true`` is 1,
    so ``total / n`` of ``on`` is the share of samples on).  Hours are UTC
    hours; days are days of Asia/Ho_Chi_Minh.  Merging two rows adds their
    counts and sums, so a month rolled up twice (late readings) stays exact.
    """

    __tablename__ = "reading_rollup"
    __table_args__ = (
        PrimaryKeyConstraint("grain", "bucket", "device_id", "name", name="pk_reading_rollup"),
        CheckConstraint("grain IN ('hour', 'day')", name="grain_allowed"),
        Index("ix_reading_rollup_asset", "asset_code", "grain", "bucket"),
        {"schema": SCHEMA},
    )

    grain: Mapped[str] = mapped_column(Text, nullable=False)
    bucket: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    device_id: Mapped[str] = mapped_column(Text, nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    asset_code: Mapped[str] = mapped_column(Text, nullable=False)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)
    total: Mapped[float] = mapped_column(Float, nullable=False)
    low: Mapped[float] = mapped_column(Float, nullable=False)
    high: Mapped[float] = mapped_column(Float, nullable=False)


class Quarantine(Base):
    """A message that broke a rule, with the raw payload and every reason."""

    __tablename__ = "quarantine"
    __table_args__ = (Index("ix_quarantine_received", "received_at"), {"schema": SCHEMA})

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    topic: Mapped[str] = mapped_column(Text, nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    problems: Mapped[list] = mapped_column(
        JSONB, nullable=False, server_default=text("'[]'::jsonb")
    )
    device_id: Mapped[str | None] = mapped_column(Text)
    msg_id: Mapped[str | None] = mapped_column(Text)


class AssetState(Base):
    """The latest operational state of an asset, merged from its devices' readings."""

    __tablename__ = "asset_state"
    __table_args__ = (Index("ix_asset_state_status", "status"), {"schema": SCHEMA})

    asset_code: Mapped[str] = mapped_column(Text, primary_key=True)
    asset_table: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="unknown")
    readings: Mapped[dict] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    last_ts: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    device_id: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )


class AlarmRule(Base):
    """A rule as loaded from the rules data file (the file is the source of truth)."""

    __tablename__ = "alarm_rule"
    __table_args__ = {"schema": SCHEMA}

    rule_id: Mapped[str] = mapped_column(Text, primary_key=True)
    rule_type: Mapped[str] = mapped_column(Text, nullable=False)
    severity: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    definition: Mapped[dict] = mapped_column(JSONB, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=text("true"))
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )


class Incident(Base):
    """Work opened by an alarm: owner, status, timeline, outage report, closing note."""

    __tablename__ = "incident"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'acknowledged', 'in_progress', 'resolved', 'closed')",
            name="status_allowed",
        ),
        Index("ix_incident_status_owner", "status", "owner"),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    rule_id: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="open")
    owner: Mapped[str | None] = mapped_column(Text)
    asset_table: Mapped[str | None] = mapped_column(Text)
    asset_code: Mapped[str | None] = mapped_column(Text, index=True)
    commune: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closing_note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    outage: Mapped[dict | None] = mapped_column(JSONB)
    geom = mapped_column(Geometry("POINT", srid=STORAGE_SRID, spatial_index=True))


class IncidentEvent(Base):
    """One line of an incident's timeline (opened, assigned, status, note, alarm cleared)."""

    __tablename__ = "incident_event"
    __table_args__ = (
        Index("ix_incident_event_incident_at", "incident_id", "at"),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        Integer, ForeignKey(f"{SCHEMA}.incident.id", ondelete="CASCADE"), nullable=False
    )
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
    )
    actor: Mapped[str] = mapped_column(Text, nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))


class Alarm(Base):
    """A raised rule on one asset; open while ``cleared_at`` is null."""

    __tablename__ = "alarm"
    __table_args__ = (
        Index(
            "uq_alarm_active",
            "rule_id",
            "subject",
            unique=True,
            postgresql_where=text("cleared_at IS NULL"),
        ),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    rule_id: Mapped[str] = mapped_column(Text, nullable=False)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    asset_code: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    value: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    incident_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey(f"{SCHEMA}.incident.id", ondelete="SET NULL")
    )

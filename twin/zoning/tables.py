"""Tables of plans and their reconciliation (schema ``planning``).

A plan is a versioned data set: importing a plan under a name that exists
adds a version, and approving a version supersedes the approved ones before
it.  Zones, red lines and corridors belong to one version.  Geometries are
stored in WGS 84 (SRID 4326) like every other table of the twin; the CRS the
plan was drawn in is kept in ``plan.crs``.

Each run of the checks is a :class:`CheckRun` with its :class:`Finding` rows.
Planners' decisions go to :class:`FindingHistory`, keyed by the finding's
fingerprint, so a later run finding the same conflict unchanged takes the
decision over.
"""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from twin.config import STORAGE_SRID
from twin.models import Base
from twin.zoning.model import DECISION_STATUSES, LEVELS, PLAN_STATUSES, SEVERITIES

__all__ = [
    "FINDING_STATUSES",
    "RUN_STATUSES",
    "SCHEMA",
    "CheckRun",
    "Corridor",
    "Finding",
    "FindingHistory",
    "Plan",
    "RedLine",
    "Zone",
]

SCHEMA = "planning"
FINDING_STATUSES = ("open", *DECISION_STATUSES)
RUN_STATUSES = ("running", "done", "failed")

_NOW = func.now()


def _one_of(column: str, values) -> CheckConstraint:
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=f"{column}_allowed")


def _plan_fk() -> Mapped[int]:
    return mapped_column(
        BigInteger, ForeignKey(f"{SCHEMA}.plan.id", ondelete="CASCADE"), nullable=False, index=True
    )


class Plan(Base):
    """One version of a plan: level, approval, status, legend and origin CRS."""

    __tablename__ = "plan"
    __table_args__ = (
        UniqueConstraint("name", "version"),
        _one_of("level", LEVELS),
        _one_of("status", PLAN_STATUSES),
        CheckConstraint("version >= 1", name="version_positive"),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="draft")
    decision_number: Mapped[str | None] = mapped_column(Text)
    decision_date: Mapped[date | None] = mapped_column(Date)
    crs: Mapped[str | None] = mapped_column(Text, comment="CRS the plan was drawn in")
    legend: Mapped[dict] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb"), comment="legend code -> code"
    )
    source: Mapped[str | None] = mapped_column(Text, comment="file the plan was imported from")
    boundary = mapped_column(Geometry("MULTIPOLYGON", srid=STORAGE_SRID, spatial_index=False))
    created_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    updated_by: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )


class Zone(Base):
    """A land-use zone: the code as drawn, the national code it stands for, its polygon.

    Invalid polygons are kept as drawn, so the checks can report them.
    """

    __tablename__ = "zone"
    __table_args__ = (
        UniqueConstraint("plan_id", "key"),
        CheckConstraint("version >= 1", name="version_positive"),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    plan_id: Mapped[int] = _plan_fk()
    key: Mapped[str] = mapped_column(Text, nullable=False, comment="zone id within the plan")
    code: Mapped[str | None] = mapped_column(Text, comment="national land-use code; null: unknown")
    source_code: Mapped[str | None] = mapped_column(Text, comment="code as drawn on the plan")
    name: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(
        Geometry("MULTIPOLYGON", srid=STORAGE_SRID, spatial_index=True), nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    updated_by: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )


class RedLine(Base):
    """A planned road red line (chỉ giới đường đỏ)."""

    __tablename__ = "red_line"
    __table_args__ = (UniqueConstraint("plan_id", "key"), {"schema": SCHEMA})

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    plan_id: Mapped[int] = _plan_fk()
    key: Mapped[str] = mapped_column(Text, nullable=False)
    road_name: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(
        Geometry("LINESTRING", srid=STORAGE_SRID, spatial_index=True), nullable=False
    )


class Corridor(Base):
    """A planned utility corridor: a centre line (with a width) or its polygon."""

    __tablename__ = "corridor"
    __table_args__ = (
        UniqueConstraint("plan_id", "key"),
        CheckConstraint(
            "GeometryType(geom) IN ('LINESTRING', 'POLYGON')", name="geom_line_or_polygon"
        ),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    plan_id: Mapped[int] = _plan_fk()
    key: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False, comment="utility kind, e.g. power")
    width_m: Mapped[float | None] = mapped_column(Float)
    geom = mapped_column(
        Geometry("GEOMETRY", srid=STORAGE_SRID, spatial_index=True), nullable=False
    )


class CheckRun(Base):
    """One run of the checks: what was checked, by whom, how it went, counts per kind."""

    __tablename__ = "check_run"
    __table_args__ = (_one_of("status", RUN_STATUSES), {"schema": SCHEMA})

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="running")
    started_by: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    plan_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), nullable=False)
    against_ids: Mapped[list[int]] = mapped_column(
        ARRAY(BigInteger), nullable=False, server_default="{}"
    )
    with_assets: Mapped[bool] = mapped_column(Boolean, nullable=False)
    asset_count: Mapped[int | None] = mapped_column(Integer)
    crs: Mapped[str | None] = mapped_column(Text, comment="metric CRS the checks ran in")
    counts: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    kept_decisions: Mapped[int | None] = mapped_column(Integer)
    stale_decisions: Mapped[int | None] = mapped_column(Integer)
    timings: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    error: Mapped[str | None] = mapped_column(Text)


class Finding(Base):
    """A located conflict found by one run, with the planner's decision if any."""

    __tablename__ = "finding"
    __table_args__ = (
        _one_of("status", FINDING_STATUSES),
        _one_of("severity", SEVERITIES),
        Index("ix_finding_run_kind", "run_id", "kind"),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    run_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey(f"{SCHEMA}.check_run.id", ondelete="CASCADE"), nullable=False
    )
    fingerprint: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    severity: Mapped[str] = mapped_column(Text, nullable=False)
    rule: Mapped[str] = mapped_column(Text, nullable=False)
    plans: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, comment="names of the plans involved"
    )
    plan_ids: Mapped[list[int]] = mapped_column(
        ARRAY(BigInteger), nullable=False, comment="versions of the plans involved"
    )
    involved: Mapped[list[str]] = mapped_column(
        ARRAY(Text), nullable=False, comment="zone:<plan>/<key>, asset:<code> ..."
    )
    area_m2: Mapped[float | None] = mapped_column(Float)
    length_m: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    geom = mapped_column(Geometry("GEOMETRY", srid=STORAGE_SRID, spatial_index=True))
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="open")
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FindingHistory(Base):
    """Every decision on a finding; the latest per fingerprint carries over to new runs."""

    __tablename__ = "finding_history"
    __table_args__ = (
        _one_of("status", FINDING_STATUSES),
        Index("ix_finding_history_fingerprint_at", "fingerprint", "decided_at"),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey(f"{SCHEMA}.finding.id", ondelete="SET NULL"), index=True
    )
    fingerprint: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    previous_status: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False)
    decided_by: Mapped[str] = mapped_column(Text, nullable=False)
    decided_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
    )

"""Water, drainage and power runs and their per-feature results (schema ``simulation``).

A run row keeps its inputs — the scenario, the simulated time, the run
settings, the data version (the last edit or bulk load, one id sequence, when it
ran)
and what the model held — so two runs can be compared and a result traced
to the data it came from.  Results are one row per feature and reported
time: pressure, head and demand of nodes; flow and velocity of links.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from twin.models import Base

__all__ = [
    "SCHEMA",
    "DrainageResult",
    "DrainageRun",
    "PowerResult",
    "PowerRun",
    "WaterResult",
    "WaterRun",
]

SCHEMA = "simulation"


class _Run:
    """The columns every run row has: its id, the data it saw, who ran it and when."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    data_version: Mapped[int | None] = mapped_column(
        BigInteger, comment="last change (audit.history or audit.bulk_load id) the model saw"
    )
    created_by: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


def _inputs(comment: str):
    """A run's inputs column (JSON, an empty object unless given); ``comment`` says what."""
    return mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb"), comment=comment
    )


def _run_id(run_table: str):
    """A result's run, part of its key; the results go with their run."""
    return mapped_column(
        BigInteger, ForeignKey(f"{SCHEMA}.{run_table}.id", ondelete="CASCADE"), primary_key=True
    )


class WaterRun(_Run, Base):
    """One hydraulic run of the water network."""

    __tablename__ = "water_run"
    __table_args__ = (
        CheckConstraint("duration_s >= 0 AND step_s > 0", name="times_positive"),
        {"schema": SCHEMA},
    )

    scenario: Mapped[str] = mapped_column(Text, nullable=False, server_default="normal")
    duration_s: Mapped[int] = mapped_column(Integer, nullable=False)
    step_s: Mapped[int] = mapped_column(Integer, nullable=False)
    inputs: Mapped[dict] = _inputs("run settings, model counts, standards used")
    summary: Mapped[dict | None] = mapped_column(JSONB, comment="pressures and flows in brief")


class WaterResult(Base):
    """A feature's hydraulic state at one reported time of a run."""

    __tablename__ = "water_result"
    __table_args__ = (
        CheckConstraint("kind IN ('node', 'link')", name="kind_allowed"),
        {"schema": SCHEMA},
    )

    run_id: Mapped[int] = _run_id("water_run")
    time_s: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(Text, primary_key=True)
    code: Mapped[str] = mapped_column(Text, primary_key=True)
    pressure_m: Mapped[float | None] = mapped_column(Float)
    head_m: Mapped[float | None] = mapped_column(Float)
    demand_lps: Mapped[float | None] = mapped_column(Float)
    flow_lps: Mapped[float | None] = mapped_column(Float)
    velocity_ms: Mapped[float | None] = mapped_column(Float)


class DrainageRun(_Run, Base):
    """One SWMM run of the drainage network under a design storm."""

    __tablename__ = "drainage_run"
    __table_args__ = (
        CheckConstraint("return_period_years > 0 AND duration_min > 0", name="storm_positive"),
        {"schema": SCHEMA},
    )

    return_period_years: Mapped[float] = mapped_column(Float, nullable=False)
    duration_min: Mapped[float] = mapped_column(Float, nullable=False)
    blocked: Mapped[list] = mapped_column(
        JSONB, nullable=False, server_default=text("'[]'::jsonb"),
        comment="codes of the conduits closed in this run",
    )
    inputs: Mapped[dict] = _inputs("storm, run settings, model counts")
    summary: Mapped[dict | None] = mapped_column(JSONB, comment="flooding and outflow in brief")


class DrainageResult(Base):
    """A node's, link's or outfall's statistics over a drainage run."""

    __tablename__ = "drainage_result"
    __table_args__ = (
        CheckConstraint("kind IN ('node', 'link', 'outfall')", name="kind_allowed"),
        {"schema": SCHEMA},
    )

    run_id: Mapped[int] = _run_id("drainage_run")
    kind: Mapped[str] = mapped_column(Text, primary_key=True)
    code: Mapped[str] = mapped_column(Text, primary_key=True)
    max_depth_m: Mapped[float | None] = mapped_column(Float)
    flood_volume_m3: Mapped[float | None] = mapped_column(Float)
    flood_hours: Mapped[float | None] = mapped_column(Float)
    max_flow_m3s: Mapped[float | None] = mapped_column(Float)
    mean_flow_m3s: Mapped[float | None] = mapped_column(Float)
    max_velocity_ms: Mapped[float | None] = mapped_column(Float)


class PowerRun(_Run, Base):
    """One load flow of the power network (every feeder, or the one named)."""

    __tablename__ = "power_run"
    __table_args__ = {"schema": SCHEMA}

    feeder: Mapped[str | None] = mapped_column(Text, comment="the feeder asked for; NULL: all")
    inputs: Mapped[dict] = _inputs("model counts, limits and source voltage used")
    summary: Mapped[dict | None] = mapped_column(JSONB, comment="each feeder in brief")


class PowerResult(Base):
    """A bus's voltage or a line's or transformer's loading in a power run."""

    __tablename__ = "power_result"
    __table_args__ = (
        CheckConstraint("kind IN ('bus', 'line', 'transformer')", name="kind_allowed"),
        {"schema": SCHEMA},
    )

    run_id: Mapped[int] = _run_id("power_run")
    kind: Mapped[str] = mapped_column(Text, primary_key=True)
    code: Mapped[str] = mapped_column(Text, primary_key=True)
    feeder: Mapped[str | None] = mapped_column(Text)
    vm_pu: Mapped[float | None] = mapped_column(Float)
    loading_percent: Mapped[float | None] = mapped_column(Float)
    p_kw: Mapped[float | None] = mapped_column(Float)
    losses_kw: Mapped[float | None] = mapped_column(Float)

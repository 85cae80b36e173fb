"""The job queue's table (schema ``ops``): one row per background job.

A row is the whole state of a job, so any process can show it, cancel it or
take it: what to do (``kind``, ``params``), who asked (``owner``), where it is
(``status``, ``done`` out of ``total`` and the step under way as a stored
:class:`twin.i18n.Message`), which worker runs it and when it last said so
(``heartbeat_at``), and how it ended (``result``, ``error``).  ``ref`` names
what the job works on (a plan, a check run, an upload); one kind may have
only one unfinished job per ``ref``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from twin.models import Base

__all__ = ["ACTIVE", "FINISHED", "SCHEMA", "STATUSES", "Job"]

SCHEMA = "ops"
#: A job is queued, then running, then one of the finished states.
STATUSES = ("queued", "running", "done", "failed", "cancelled")
ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")

_NOW = func.now()
_ACTIVE_SQL = "status IN ('queued', 'running')"


class Job(Base):
    """One background job and its state."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")", name="status_allowed"
        ),
        CheckConstraint("done >= 0 AND (total IS NULL OR total >= 0)", name="progress_positive"),
        Index("ix_job_queue_waiting", "queue", "id", postgresql_where=text("status = 'queued'")),
        Index(
            "uq_job_active_ref",
            "kind",
            "ref",
            unique=True,
            postgresql_where=text(f"ref IS NOT NULL AND {_ACTIVE_SQL}"),
        ),
        {"schema": SCHEMA},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    queue: Mapped[str] = mapped_column(Text, nullable=False, server_default="default")
    params: Mapped[dict] = mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    ref: Mapped[str | None] = mapped_column(Text, comment="what the job works on")
    owner: Mapped[str | None] = mapped_column(Text, comment="user name of who asked")
    status: Mapped[str] = mapped_column(Text, nullable=False, server_default="queued", index=True)
    done: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    total: Mapped[int | None] = mapped_column(BigInteger, comment="steps in all; null: unknown")
    step: Mapped[dict | None] = mapped_column(JSONB, comment="step under way, a stored Message")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    cancelled_by: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(Text, comment="runner and thread running it")
    worker_host: Mapped[str | None] = mapped_column(Text)
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=_NOW
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

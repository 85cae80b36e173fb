"""Users of the twin and their API tokens (schema ``auth``).

Passwords are stored only as salted hashes (``werkzeug.security``); API tokens
only as SHA-256 digests, so a stolen database copy reveals neither.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from twin.models import Base

from .roles import ROLES

__all__ = ["ApiToken", "LoginFailure", "User"]


class User(Base):
    """A person (or a tool's account) with one role.

    ``session_generation`` is written into every session cookie of the user;
    raising it ends them all (password change, deactivation, signing out
    everywhere).
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="role_allowed"
        ),
        {"schema": "auth"},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    role: Mapped[str] = mapped_column(Text, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    session_generation: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class ApiToken(Base):
    """A bearer token of a user for tools (QGIS, GDAL, scripts)."""

    __tablename__ = "api_tokens"
    __table_args__ = {"schema": "auth"}

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("auth.users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """Failed logins of one account (``account:NAME``) or address (``address:IP``)."""

    __tablename__ = "login_failures"
    __table_args__ = (
        CheckConstraint("failures > 0", name="failures_positive"),
        {"schema": "auth"},
    )

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    last_failed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), index=True
    )
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

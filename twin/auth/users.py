"""Creating users, checking passwords and API tokens (callers commit)."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from twin.errors import InvalidInput, NotFound, Problem

from .models import ApiToken, User
from .roles import ROLES, Principal

__all__ = [
    "add_user",
    "authenticate",
    "dummy_hash",
    "end_sessions",
    "get_user",
    "issue_token",
    "list_users",
    "principal_of",
    "revoke_tokens",
    "set_active",
    "set_password",
    "user_for_token",
]

_NAME = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD = 8
#: Tokens start with this prefix so that leaked ones are easy to recognise.
TOKEN_PREFIX = "twin_"


def _problem(field: str, rule: str, message: str) -> InvalidInput:
    return InvalidInput(f"user: {message}", [Problem(field, rule, message)])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise _problem(
            "password", "min_length", f"a password needs at least {MIN_PASSWORD} characters"
        )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def get_user(session: Session, name: str) -> User:
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def add_user(session: Session, name: str, role: str, password: str | None = None) -> User:
    """Create a user; without a password the user can only use API tokens."""
    if not _NAME.match(name or ""):
        raise _problem(
            "name", "pattern", f"{name!r}: use 1-64 letters, digits, '.', '@', '_' or '-'"
        )
    if role not in ROLES:
        raise _problem("role", "allowed_values", f"{role!r} is not one of {', '.join(ROLES)}")
    if session.execute(select(User.id).where(User.name == name)).first():
        raise _problem("name", "unique", f"a user named {name!r} already exists")
    user = User(name=name, role=role, active=True)
    if password is not None:
        _check_password(password)
        user.password_hash = generate_password_hash(password)
    session.add(user)
    session.flush()
    return user


def end_sessions(session: Session, name: str) -> None:
    """Sign ``name`` out everywhere: every session cookie names an older generation."""
    user = get_user(session, name)
    user.session_generation = User.session_generation + 1
    session.flush()
    session.refresh(user, ["session_generation"])


def set_password(session: Session, name: str, password: str) -> None:
    """A new password; every session opened with the old one ends."""
    _check_password(password)
    get_user(session, name).password_hash = generate_password_hash(password)
    end_sessions(session, name)


def set_active(session: Session, name: str, active: bool) -> None:
    """Enable or disable ``name``; disabling ends its sessions and stops its tokens."""
    get_user(session, name).active = active
    end_sessions(session, name)


@functools.cache
def dummy_hash() -> str:
    """A hash made the way real ones are, checked when there is no real one to check.

    Made once per process; the web app makes it at start, so that not even
    the first login of an unknown name takes longer than the others.
    """
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (no hint which failed).

    Exactly one password check is made whether the user exists or not, so the
    answer takes as long for an unknown name as for a known one.
    """
    user = session.execute(select(User).where(User.name == name)).scalar_one_or_none()
    usable = user is not None and user.active and bool(user.password_hash)
    matches = check_password_hash(user.password_hash if usable else dummy_hash(), password or "")
    return user if usable and matches else None


def issue_token(session: Session, name: str, *, label: str | None = None) -> str:
    """A new API token for ``name``; only its digest is stored, so show it once."""
    user = get_user(session, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token), label=label))
    session.flush()
    return token


def revoke_tokens(session: Session, name: str) -> int:
    """Revoke every live token of ``name``; returns how many."""
    user = get_user(session, name)
    tokens = (
        session.execute(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
        .scalars()
        .all()
    )
    for token in tokens:
        token.revoked_at = func.now()
    session.flush()
    return len(tokens)


def user_for_token(session: Session, token: str) -> User | None:
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    return session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == _token_digest(token),
            ApiToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).scalar_one_or_none()


def list_users(session: Session) -> list[tuple[User, int]]:
    """Every user with the number of live tokens, by name."""
    live = (
        select(ApiToken.user_id, func.count().label("n"))
        .where(ApiToken.revoked_at.is_(None))
        .group_by(ApiToken.user_id)
        .subquery()
    )
    rows = session.execute(
        select(User, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.user_id == User.id)
        .order_by(User.name)
    )
    return [(user, n) for user, n in rows]


def principal_of(user: User | None, *, via_token: bool = False) -> Principal:
    if user is None:
        return Principal()
    return Principal(user.name, user.role, via_token=via_token)

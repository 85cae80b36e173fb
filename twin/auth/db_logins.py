"""Personal database logins: a PostgreSQL login per twin user, for QGIS and psql.

A user's login (:func:`login_name`) is a member of the group role of the
user's twin role (``migrations/sql/person_roles.sql``), which reads and
writes the ``qgis`` views as the role may; nobody's login gets the owner
role.  The password is generated, shown once, and only its SCRAM verifier
is sent to the server and stored.  Disabling the twin user disables the login.
Logins are cluster-wide, like every role: twin databases of one server
share them.  Callers are the owner (CREATEROLE needed) and commit.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from twin.errors import Forbidden

from .roles import ROLES
from .users import get_user

__all__ = ["PREFIX", "ensure_db_login", "group_role", "login_exists", "login_name",
           "scram_verifier", "service_entry", "set_login_active"]

PREFIX = "twin_u_"
_UNSAFE = re.compile(r"[^a-z0-9_]")
_MAX_NAME = 63


def group_role(role: str) -> str:
    """The group role whose privileges a login of twin role ``role`` has."""
    if role not in ROLES:
        raise KeyError(role)
    return f"twin_role_{role}"


def login_name(user: str) -> str:
    """The login of twin user ``user``: lower case, letters, digits and ``_``.

    A name that had to change (or be cut to PostgreSQL's 63 characters) gets
    a short digest of the original, so two users never share a login.

    >>> login_name("lan")
    'twin_u_lan'
    >>> login_name("Lan.Nguyen")
    'twin_u_lan_nguyen_8eedb0'
    """
    safe = _UNSAFE.sub("_", user.lower())
    if safe != user or len(PREFIX + safe) > _MAX_NAME:
        safe = f"{safe[:40]}_{hashlib.sha256(user.encode('utf-8')).hexdigest()[:6]}"
    return PREFIX + safe


def scram_verifier(password: str, *, iterations: int = 4096) -> str:
    """PostgreSQL's SCRAM-SHA-256 verifier of ``password`` (RFC 5802, RFC 7677).

    Sent instead of the password, so the password itself never travels in
    an SQL statement that a server's statement log could keep.
    """
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _run(session: Session, template: str, *args) -> None:
    """Run DDL built server-side with ``format()`` (identifiers and literals quoted there)."""
    params = {f"a{i}": a for i, a in enumerate(args)}
    marks = ", ".join(f"CAST(:a{i} AS text)" for i in range(len(args)))
    statement = session.execute(text(f"SELECT format(CAST(:t AS text), {marks})"), {"t": template, **params})
    # Sent as it is: a verifier holds ':' that a bound statement would take for parameters.
    session.connection().exec_driver_sql(statement.scalar_one())


def login_exists(session: Session, login: str) -> bool:
    return session.execute(text("SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :n"),
                           {"n": login}).first() is not None


def _may_create_roles(session: Session) -> None:
    row = session.execute(text("SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles "
                               "WHERE rolname = current_user")).scalar_one()
    if not row:
        raise Forbidden("database logins: the database user of the twin may not create roles "
                        "(needs CREATEROLE)")


def ensure_db_login(session: Session, name: str, *, reset_password: bool = False) -> tuple[str, str | None]:
    """Make or update the login of twin user ``name``; ``(login, new password or None)``.

    A password is made when the login is new or ``reset_password`` is set;
    otherwise the old one stays (and cannot be shown: only its verifier is
    stored).  The login's group follows the user's current role, and it can
    log in exactly while the user is active.
    """
    user = get_user(session, name)
    _may_create_roles(session)
    login = login_name(user.name)
    password = None
    if not login_exists(session, login):
        password = secrets.token_urlsafe(24)
        _run(session, "CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                      "NOBYPASSRLS PASSWORD %L", login, scram_verifier(password))
    elif reset_password:
        password = secrets.token_urlsafe(24)
        _run(session, "ALTER ROLE %I PASSWORD %L", login, scram_verifier(password))
    wanted = group_role(user.role)
    for role in ROLES:
        group = group_role(role)
        member = session.execute(text("SELECT pg_catalog.pg_has_role(:l, :g, 'MEMBER')"),
                                 {"l": login, "g": group}).scalar_one()
        if group == wanted and not member:
            _run(session, "GRANT %I TO %I", group, login)
        elif group != wanted and member:
            _run(session, "REVOKE %I FROM %I", group, login)
    _run(session, "ALTER ROLE %I " + ("LOGIN" if user.active else "NOLOGIN"), login)
    return login, password


def set_login_active(session: Session, name: str, active: bool) -> bool:
    """Let the login of ``name`` log in or not; False when the user has no login."""
    login = login_name(name)
    if not login_exists(session, login):
        return False
    _may_create_roles(session)
    _run(session, "ALTER ROLE %I " + ("LOGIN" if active else "NOLOGIN"), login)
    return True


def service_entry(service: str, database_url: str, login: str, password: str | None) -> str:
    """A ``pg_service.conf`` section for QGIS and psql (``service=<service>``).

    Host, port and database come from ``database_url`` (the owner's; its
    credentials are not copied).  Without ``password`` QGIS asks for it.
    """
    url = make_url(database_url)
    lines = [f"[{service}]", f"host={url.host or 'localhost'}", f"port={url.port or 5432}",
             f"dbname={url.database}", f"user={login}"]
    if password is not None:
        lines.append(f"password={password}")
    return "\n".join(lines) + "\n"

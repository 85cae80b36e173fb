"""Turning database errors into the twin's: a broken rule, or a database that is away.

A constraint violation becomes an :class:`~twin.errors.InvalidInput` that
names the rule (:func:`translate_integrity_error`); a lost or refused
connection, a server shutting down or starting up, a statement or a pool
checkout over its time limit become :class:`~twin.errors.Unavailable`
(:func:`database_unavailable`), which a client may retry after a few seconds.
"""

from __future__ import annotations

import re

import psycopg
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import IntegrityError

from ..declare import CODE_PATTERN
from ..errors import InvalidInput, Problem, Unavailable

__all__ = ["CONNECTION_ERRORS", "RETRY_AFTER_S", "database_unavailable",
           "translate_integrity_error"]

#: Exceptions that may mean the database is away (:func:`database_unavailable` decides).
CONNECTION_ERRORS = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
#: Seconds a client is told to wait (``Retry-After``) while the database is away.
RETRY_AFTER_S = 5
#: SQLSTATE classes of a server that cannot serve now: connection exception,
#: insufficient resources (too many connections, disk full), operator
#: intervention (shutting down, starting up, statement timeout).
_AWAY_CLASSES = ("08", "53", "57")

_CONSTRAINT = re.compile(r'constraint "([^"]+)"')
_RULES = (
    ("_geom_valid", "geometry", "valid_geometry", "the geometry is not valid (PostGIS ST_IsValid)"),
    ("_geom_not_empty", "geometry", "required", "the geometry is empty"),
    ("_status_allowed", "status", "allowed_values", "unknown status"),
    ("_code", "code", "unique", "this code is already used by another asset"),
    ("_code_pattern", "code", "code_pattern", f"the code must match {CODE_PATTERN}"),
)


def translate_integrity_error(exc: IntegrityError, table: str) -> InvalidInput:
    """An :class:`InvalidInput` naming the table, the field and the broken rule."""
    message = str(exc.orig)
    match = _CONSTRAINT.search(message)
    name = match.group(1) if match else ""
    for suffix, field, rule, text in _RULES:
        if name.endswith(suffix):
            return InvalidInput(f"{table}: rejected by the database",
                                [Problem(field, rule, text, table)])
    m = re.match(rf"ck_{table}_(\w+)_(allowed|min|max)$", name)
    if m:
        rule = {"allowed": "allowed_values", "min": "minimum", "max": "maximum"}[m.group(2)]
        return InvalidInput(f"{table}: rejected by the database",
                            [Problem(m.group(1), rule, f"violates {name}", table)])
    first_line = message.splitlines()[0] if message else "integrity error"
    return InvalidInput(f"{table}: rejected by the database: {first_line}",
                        [Problem("feature", name or "integrity", first_line, table)])


def database_unavailable(exc: BaseException) -> Unavailable | None:
    """An :class:`Unavailable` if ``exc`` says the database is away or too busy, else ``None``.

    ``exc`` is a SQLAlchemy error or a psycopg one (raw connections raise
    those).  The message says what happened in words and never carries the
    server's address or the driver's text.
    """
    if isinstance(exc, sa_exc.TimeoutError):
        return Unavailable("the server is busy: no database connection came free in time",
                           RETRY_AFTER_S)
    driver = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
    if isinstance(driver, psycopg.errors.QueryCanceled):
        return Unavailable("the database did not answer in time", RETRY_AFTER_S)
    lost = isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    refused = isinstance(driver, psycopg.OperationalError | psycopg.InterfaceError) and (
        driver.sqlstate is None or driver.sqlstate[:2] in _AWAY_CLASSES
    )
    if lost or refused:
        return Unavailable("the database is unavailable (stopped or restarting); "
                           "try again in a few seconds", RETRY_AFTER_S)
    return None

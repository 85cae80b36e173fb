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

__all__ = ["CONNECTION_ERRORS", "RETRY_AFTER_S", "database_unavailable", "refused",
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

_NAMED_RULES = {rule for _, _, rule, _ in _RULES} | {"allowed_values", "minimum", "maximum"}


def refused(error: psycopg.Error, table: str, *, where: str | None = None,
            detail: bool = False) -> Problem:
    """The rule a write broke, from the database's refusal: field, rule and words.

    The constraints the layers declare are named by their suffix (``_code``,
    ``_geom_valid`` …) or ``ck_<table>_<field>_<allowed|min|max>``; any other
    refusal is named by the column and constraint PostgreSQL reports, in
    its first line, or with its detail when ``detail`` (the detail may quote
    the whole row: only for a writer who sent all of it, as an import does).
    ``where`` (default: ``table``) says where the offending feature came from.
    """
    diag, message = error.diag, str(error)
    match = _CONSTRAINT.search(message)
    name = diag.constraint_name or (match.group(1) if match else "")
    where = where or table
    for suffix, field, rule, words in _RULES:
        if name.endswith(suffix):
            return Problem(field, rule, words, where)
    m = re.match(rf"ck_{table}_(\w+)_(allowed|min|max)$", name)
    if m:
        rule = {"allowed": "allowed_values", "min": "minimum", "max": "maximum"}[m.group(2)]
        return Problem(m.group(1), rule, f"violates {name}", where)
    words = message.splitlines()[0] if message else "integrity error"
    if detail:
        words = " ".join(x for x in (diag.message_primary, diag.message_detail) if x) or message
    return Problem(diag.column_name or "feature", name or "integrity", words, where)


def translate_integrity_error(exc: IntegrityError, table: str) -> InvalidInput:
    """An :class:`InvalidInput` naming the table, the field and the broken rule."""
    problem = refused(exc.orig, table)
    if problem.rule in _NAMED_RULES:
        return InvalidInput(f"{table}: rejected by the database", [problem])
    return InvalidInput(f"{table}: rejected by the database: {problem.message}", [problem])


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

"""The database connection a bulk write works on and the tables it names.

COPY needs the driver's own connection; SQLAlchemy callers hand over a
session or a connection, so every bulk operation starts from
:func:`raw_connection`.
"""

from __future__ import annotations

import psycopg

from ..models import model

__all__ = ["qualified", "raw_connection"]


def raw_connection(session_or_connection):
    """The psycopg connection behind a SQLAlchemy session or connection (or itself).

    COPY needs the driver's connection; it shares the SQLAlchemy transaction,
    so what is copied is committed or rolled back with the caller's work.
    """
    conn = session_or_connection
    if isinstance(conn, psycopg.Connection):
        return conn
    if hasattr(conn, "get_bind") and hasattr(conn, "connection"):  # a Session
        conn = conn.connection()
    return conn.connection.driver_connection


def qualified(table: str) -> str:
    """``schema."table"`` of the feature table ``table``, quoted for SQL."""
    t = model(table).__table__
    return f'{t.schema}."{t.name}"'

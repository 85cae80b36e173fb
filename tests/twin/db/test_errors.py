"""Which database errors mean 'the database is away' (503), and which do not."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import OperationalError

from twin.db.errors import database_unavailable
from twin.errors import Unavailable

pytestmark = pytest.mark.db


def test_a_refused_connection_is_the_database_away():
    engine = create_engine("postgresql+psycopg://nobody:x@127.0.0.1:1/twin",
                           poolclass=pool.NullPool)
    with pytest.raises(OperationalError) as raised:
        engine.connect()
    found = database_unavailable(raised.value)
    assert isinstance(found, Unavailable) and found.status == 503
    assert found.headers["Retry-After"] == "5"
    assert "127.0.0.1" not in found.message  # the server's address stays in the log
    assert isinstance(database_unavailable(raised.value.orig), Unavailable)  # raw psycopg


def test_a_statement_over_its_time_limit_is_the_database_too_busy(engine):
    with engine.connect() as conn, pytest.raises(OperationalError) as raised:
        conn.execute(text("SET LOCAL statement_timeout = 10"))
        conn.execute(text("SELECT pg_sleep(1)"))
    assert "in time" in database_unavailable(raised.value).message


def test_a_deadlock_or_a_broken_rule_is_not_the_database_away():
    deadlock = psycopg.errors.DeadlockDetected("deadlock detected")
    assert isinstance(deadlock, psycopg.OperationalError)
    assert database_unavailable(deadlock) is None
    assert database_unavailable(psycopg.errors.UniqueViolation("duplicate key")) is None
    assert database_unavailable(ValueError("not a database error")) is None

"""The read engine: autocommit without JIT or parallel workers, and a dead pooled connection replaced once."""

import psycopg
import pytest
from sqlalchemy.engine import make_url

from twin.api.reads import read_engine, run_once_more_if_disconnected

pytestmark = pytest.mark.db


def _backend_pid(cursor) -> int:
    cursor.execute("SELECT pg_backend_pid()")
    return cursor.fetchone()[0]


def test_reads_run_in_autocommit_without_jit_or_parallel_workers(db_url):
    with read_engine(db_url).connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
        assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar() == "0"
        first = conn.exec_driver_sql("SELECT pg_current_xact_id()").scalar()
        second = conn.exec_driver_sql("SELECT pg_current_xact_id()").scalar()
    assert first != second  # each statement is a transaction of its own


def test_a_connection_closed_by_the_server_is_replaced_once(db_url):
    engine = read_engine(db_url)
    pid = run_once_more_if_disconnected(engine, _backend_pid)
    dsn = make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert run_once_more_if_disconnected(engine, _backend_pid) != pid
    with pytest.raises(psycopg.errors.DivisionByZero):  # other errors are not retried
        run_once_more_if_disconnected(engine, lambda cursor: cursor.execute("SELECT 1 / 0"))

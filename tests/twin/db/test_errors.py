"""Which database errors mean 'the database is away' (503), and which do not;
and how a refused write names the rule it broke."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import IntegrityError, OperationalError

from layers import feature_type
from tests.factories import sample_geometry, sample_properties
from twin.db.errors import database_unavailable, refused, translate_integrity_error
from twin.edits import create_feature
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


VALVE = feature_type("water_valve")


def _refusal(session, sql: str) -> IntegrityError:
    """The refusal of ``sql`` run on a stored valve ``:code``, inside a savepoint."""
    code = create_feature(session, VALVE.table, sample_properties(VALVE),
                          sample_geometry(VALVE), user="t").feature["id"]
    with pytest.raises(IntegrityError) as raised, session.begin_nested():
        session.execute(text(sql), {"code": code})
    return raised.value


def test_a_declared_rule_is_named_by_its_field_the_same_for_edits_and_imports(session):
    broken = _refusal(session, "UPDATE assets.water_valve SET status = 'sunk' WHERE code = :code")
    edit = translate_integrity_error(broken, "water_valve")
    assert edit.message.splitlines()[0] == "water_valve: rejected by the database"
    assert [(p.field, p.rule, p.feature) for p in edit.problems] == [
        ("status", "allowed_values", "water_valve")]
    imported = refused(broken.orig, "water_valve", where="valves.gpkg", detail=True)
    assert (imported.field, imported.rule, imported.feature) == (
        "status", "allowed_values", "valves.gpkg")


def test_another_refusal_shows_its_detail_only_when_asked(session):
    broken = _refusal(session, "UPDATE assets.water_valve SET geom = NULL WHERE code = :code")
    first_line = refused(broken.orig, "water_valve")
    assert (first_line.field, first_line.rule) == ("geom", "integrity")
    assert "Failing row" not in first_line.message
    assert "Failing row contains" in refused(broken.orig, "water_valve", detail=True).message

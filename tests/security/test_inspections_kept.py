"""Every inspection is kept: the app's login adds inspections but cannot rewrite or remove one.

The crew's record is evidence (a seized valve, a tree rated extreme before a
storm); the database refuses the app login an UPDATE, DELETE or TRUNCATE of
the inspection tables, whatever the web code does.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, pool, text

from layers import feature_type
from tests.databases import app_role_url
from tests.factories import sample_geometry, sample_properties
from twin.db.engine import session_scope
from twin.edits import create_feature
from twin.inspections import FORMS, Inspection, record_inspection

pytestmark = pytest.mark.db

TABLE = "ops.inspection_water_valve_exercise"


@pytest.fixture
def app_engine(api_db_url, db_home):
    engine = create_engine(app_role_url(api_db_url, db_home), poolclass=pool.NullPool)
    yield engine
    engine.dispose()


def test_the_app_login_records_an_inspection_but_cannot_change_or_delete_it(app_engine):
    ft = feature_type("water_valve")
    with session_scope(app_engine) as session:
        code = create_feature(session, ft.table, sample_properties(ft), sample_geometry(ft),
                              user="editor").feature["id"]
        record_inspection(session, ft.table, code, "exercise",
                          Inspection({"operation": "seized", "leak": "none"}, 1), user="crew")
    for statement in (f"UPDATE {TABLE} SET operation = 'exercised'",
                      f"DELETE FROM {TABLE}", f"TRUNCATE {TABLE}"):
        with pytest.raises(Exception) as err, app_engine.begin() as conn:
            conn.execute(text(statement))
        assert isinstance(err.value.orig, psycopg.errors.InsufficientPrivilege), statement
    with app_engine.connect() as conn:
        kept = conn.execute(text(f"SELECT operation FROM {TABLE} WHERE asset_code = :c"),
                            {"c": code}).scalars().all()
    assert kept == ["seized"]


def test_no_inspection_table_is_writable_beyond_insert(app_engine):
    with app_engine.connect() as conn:
        for table in FORMS:
            rights = conn.execute(text(
                "SELECT has_table_privilege(:t, 'UPDATE'), has_table_privilege(:t, 'DELETE'), "
                "has_table_privilege(:t, 'INSERT')"), {"t": f"ops.{table}"}).one()
            assert tuple(rights) == (False, False, True), table

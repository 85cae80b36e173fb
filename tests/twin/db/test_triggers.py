"""Writes from any client (psql, QGIS, ogr2ogr) keep the twin's rules: the triggers.

Every test writes raw SQL, as a GIS officer's client would, inside the
rolled-back ``session``; writes "as" another login switch the session's
login with ``SET LOCAL SESSION AUTHORIZATION`` (the owner of the test
cluster is a superuser), so ``session_user`` is that login as if it had
connected.
"""

from __future__ import annotations

import uuid
from datetime import date

import psycopg
import pytest
from shapely.geometry import Point, box
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, ProgrammingError

from layers import feature_types
from tests.databases import app_role_url, scratch_database
from tests.factories import sample_geometry, sample_properties
from twin.api.timetravel import history_of, state_at
from twin.bulk import copy_features, delete_features, fill_communes
from twin.db.roles import APP_LOGIN
from twin.db.triggers import (
    BULK_GUARD_TRIGGER,
    HISTORY_TRIGGER,
    RULES_TRIGGER,
    feature_tables,
    rules_arguments,
)
from twin.edits import create_feature, revert_feature, update_feature
from twin.features import data_version, get_feature
from twin.models import History
from twin.network.changes import Feed, read_changes

pytestmark = pytest.mark.db

TREE = "trees_tree"
LON, LAT = 106.19, 21.27


def _driver_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _login(session) -> str:
    return session.execute(text("SELECT session_user")).scalar_one()


def _as(session, login: str) -> None:
    if not session.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))\
            .scalar_one():
        pytest.skip("switching logins needs a superuser owner (the embedded test cluster)")
    session.execute(text(f'SET LOCAL SESSION AUTHORIZATION "{login}"'))


def _insert_tree(session, lon=LON, lat=LAT, **values) -> str:
    """A tree inserted with plain SQL; its code."""
    values = {"species_scientific": "Delonix regia", "code": f"T-{uuid.uuid4().hex[:8].upper()}",
              **values}
    cols = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    session.execute(text(f"INSERT INTO assets.{TREE} ({cols}, geom) VALUES ({params}, "
                         f"ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"),
                    {**values, "lon": lon, "lat": lat})
    return values["code"]


def _history(session, code: str) -> list:
    return session.execute(select(History).where(History.code == code)
                           .order_by(History.id)).scalars().all()


def _raw_round_trip(session, login: str) -> None:
    code = _insert_tree(session, height_m=5.0, version=7, created_by="someone else")
    session.execute(text(f"UPDATE assets.{TREE} SET height_m = 6.5 WHERE code = :c"), {"c": code})
    session.execute(text(f"UPDATE assets.{TREE} SET height_m = 8, version = 1 WHERE code = :c"),
                    {"c": code})
    stored = get_feature(session, TREE, code)["properties"]
    assert (stored["version"], stored["created_by"], stored["updated_by"]) == (3, login, login)
    session.execute(text(f"DELETE FROM assets.{TREE} WHERE code = :c"), {"c": code})
    rows = _history(session, code)
    assert [(r.action, r.version, r.changed_by) for r in rows] == [
        ("create", 1, login), ("update", 2, login), ("update", 3, login), ("delete", 3, login)]
    assert rows[0].old is None and rows[0].new["properties"]["height_m"] == 5.0
    assert (rows[1].old["properties"]["height_m"], rows[1].new["properties"]["height_m"]) == (
        5.0, 6.5)
    assert rows[2].new["properties"]["height_m"] == 8
    assert rows[3].new is None and rows[3].old["properties"]["height_m"] == 8
    assert rows[0].new["geometry"] == {"type": "Point", "coordinates": [LON, LAT]}


def test_raw_sql_as_the_owner_is_versioned_and_recorded_once(session):
    _raw_round_trip(session, _login(session))


def test_raw_sql_as_the_app_login_is_versioned_and_recorded_once(session):
    _as(session, APP_LOGIN)
    _raw_round_trip(session, APP_LOGIN)


def test_history_of_a_raw_insert_has_the_shape_the_service_reads(session):
    code = _insert_tree(session, height_m=5.0, planting_date=date(2020, 1, 2))
    stored = get_feature(session, TREE, code)
    new = _history(session, code)[0].new
    assert new["type"] == "Feature" and new["id"] == code
    assert new["geometry"] == stored["geometry"]
    assert new["properties"].keys() == stored["properties"].keys()
    assert new["properties"]["feature_type"] == TREE
    assert new["properties"]["planting_date"] == "2020-01-02"


def test_the_edit_service_is_recorded_once_under_the_twin_user(session):
    result = create_feature(session, TREE, {"species_scientific": "Ficus"}, Point(LON, LAT),
                            user="ana", reason="survey")
    code = result.feature["id"]
    update_feature(session, TREE, code, {"height_m": 4.0}, expected_version=1, user="binh")
    rows = _history(session, code)
    assert [(r.action, r.version, r.changed_by, r.reason) for r in rows] == [
        ("create", 1, "ana", "survey"), ("update", 2, "binh", None)]
    props = get_feature(session, TREE, code)["properties"]
    assert (props["created_by"], props["updated_by"], props["version"]) == ("ana", "binh", 2)
    # The settings end with the edit: a later raw write is the login's.
    session.execute(text(f"UPDATE assets.{TREE} SET height_m = 5 WHERE code = :c"), {"c": code})
    assert _history(session, code)[-1].changed_by == _login(session)


def test_a_bulk_load_is_one_record_and_no_row_history(session):
    rows = [{"geom": Point(LON + i * 1e-4, LAT), "species_scientific": "Ficus"} for i in range(5)]
    version = data_version(session)
    assert copy_features(session, TREE, rows, user="loader", reason="survey") == 5
    assert data_version(session) > version  # the map's tiles of before are not used again
    ids = session.execute(text(f"SELECT id FROM assets.{TREE} WHERE created_by = 'loader'"))\
        .scalars().all()
    assert len(ids) == 5
    assert session.execute(select(func.count()).select_from(History)
                           .where(History.asset_id.in_(ids))).scalar_one() == 0
    loads = session.execute(text("SELECT features, changed_by FROM audit.bulk_load "
                                 "WHERE reason = 'survey'")).all()
    assert [tuple(r) for r in loads] == [(5, "loader")]
    # The load's setting ends with it: the next raw write is recorded.
    code = _insert_tree(session)
    assert len(_history(session, code)) == 1


def test_logins_outside_the_app_cannot_borrow_a_name_or_skip_the_history(session):
    login = f"qgis_{uuid.uuid4().hex[:8]}"
    session.execute(text(f'CREATE ROLE "{login}" LOGIN IN ROLE twin_read'))
    session.execute(text(f'GRANT INSERT, UPDATE ON assets.{TREE} TO "{login}"'))
    session.execute(text(f'GRANT USAGE ON SEQUENCE assets.asset_id_seq TO "{login}"'))
    _as(session, login)
    session.execute(text("SET LOCAL twin.username = 'admin'"))
    code = _insert_tree(session)
    rows = _history(session, code)
    assert [(r.action, r.changed_by) for r in rows] == [("create", login)]
    session.execute(text("SET LOCAL twin.bulk_load = 'on'"))
    with pytest.raises(ProgrammingError, match="twin.bulk_load"), session.begin_nested():
        session.execute(text(f"UPDATE assets.{TREE} SET height_m = 1 WHERE code = :c"),
                        {"c": code})
    session.execute(text("SET LOCAL twin.bulk_load = 'off'"))
    with pytest.raises(ProgrammingError), session.begin_nested():  # history is append-only
        session.execute(text("DELETE FROM audit.history"))


def test_time_travel_and_revert_work_across_raw_edits(session):
    code = _insert_tree(session, height_m=5.0)
    between = session.execute(select(func.clock_timestamp())).scalar_one()
    session.execute(text(f"UPDATE assets.{TREE} SET height_m = 9 WHERE code = :c"), {"c": code})
    past = state_at(TREE, between)
    assert session.execute(select(past.c.height_m).where(past.c.code == code)).scalar_one() == 5
    entries = history_of(session, TREE, code)
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["changes"]["height_m"] == [5.0, 9]
    reverted = revert_feature(session, TREE, code, 1, expected_version=2, user="admin")
    assert (reverted.version, reverted.feature["properties"]["height_m"]) == (3, 5.0)
    assert _history(session, code)[-1].action == "revert"


def test_a_raw_line_snaps_to_nodes_and_gets_its_commune(session):
    commune = box(LON - 0.01, LAT - 0.01, LON + 0.01, LAT + 0.01)
    copy_features(session, "base_admin_unit", [
        {"geom": commune, "code": "CM-RAW", "name": "Xã Thử", "level": "commune"}],
        user="u", history=False)
    session.execute(text("INSERT INTO assets.water_junction (code, geom) "
                         "VALUES ('J-RAW', ST_SetSRID(ST_MakePoint(:x, :y), 4326))"),
                    {"x": LON, "y": LAT})
    # Start 0.5 m off the junction, end 30 m from anything.
    session.execute(text(
        "INSERT INTO assets.water_pipe (code, diameter_mm, geom) VALUES ('P-RAW', 150, "
        "ST_GeomFromText('LINESTRING(106.190005 21.27, 106.19129 21.27)', 4326))"))
    pipe = get_feature(session, "water_pipe", "P-RAW")
    junction = get_feature(session, "water_junction", "J-RAW")
    props = pipe["properties"]
    assert props["start_node"] == junction["properties"]["id"] and props["end_node"] is None
    assert pipe["geometry"]["coordinates"][0] == [LON, LAT]
    assert (props["commune"], junction["properties"]["commune"]) == ("CM-RAW", "CM-RAW")
    # Moving the line away drops the node and the commune follows the geometry.
    session.execute(text("UPDATE assets.water_pipe SET geom = ST_Translate(geom, 0.5, 0) "
                         "WHERE code = 'P-RAW'"))
    moved = get_feature(session, "water_pipe", "P-RAW")["properties"]
    assert (moved["start_node"], moved["commune"], moved["version"]) == (None, None, 2)


def test_fill_communes_is_versioned_and_recorded(session):
    code = _insert_tree(session, lon=LON + 0.02)
    assert get_feature(session, TREE, code)["properties"]["commune"] is None
    copy_features(session, "base_admin_unit", [
        {"geom": box(LON + 0.015, LAT - 0.01, LON + 0.03, LAT + 0.01), "code": "CM-FILL",
         "name": "Xã Điền", "level": "commune"}], user="u", history=False)
    assert fill_communes(session, TREE, user="clerk") >= 1
    props = get_feature(session, TREE, code)["properties"]
    assert (props["commune"], props["version"]) == ("CM-FILL", 2)
    assert [(r.action, r.changed_by) for r in _history(session, code)][-1] == ("update", "clerk")


def test_delete_features_records_each_deletion(session):
    codes = [_insert_tree(session, lon=LON + i * 1e-4) for i in range(2)]
    ids = [get_feature(session, TREE, c)["properties"]["id"] for c in codes]
    assert delete_features(session, TREE, ids, user="planner", reason="replaced") == 2
    for code in codes:
        last = _history(session, code)[-1]
        assert (last.action, last.changed_by, last.reason) == ("delete", "planner", "replaced")


@pytest.mark.parametrize("column, value", [("status", "broken"), ("condition", "splendid"),
                                           ("code", "lower case")])
def test_raw_values_outside_the_declaration_are_refused(session, column, value):
    with pytest.raises(IntegrityError, match=f"ck_{TREE}_"), session.begin_nested():
        _insert_tree(session, **{column: value})


def test_a_raw_invalid_geometry_is_refused(session):
    with pytest.raises(IntegrityError, match="geom_valid"), session.begin_nested():
        session.execute(text(
            "INSERT INTO assets.trees_green_area (code, geom) VALUES ('GA-BAD', ST_GeomFromText("
            "'POLYGON((106.19 21.27, 106.2 21.28, 106.2 21.27, 106.19 21.28, 106.19 21.27))', "
            "4326))"))


def test_the_change_feed_and_the_tile_version_see_raw_edits(session):
    feed = Feed(last_id=data_version(session))
    session.execute(text("INSERT INTO assets.water_junction (code, geom) "
                         "VALUES ('J-FEED', ST_SetSRID(ST_MakePoint(:x, :y), 4326))"),
                    {"x": LON, "y": LAT})
    changes, _ = read_changes(session, feed, ["water_junction"])
    assert [(c.code, c.action) for c in changes] == [("J-FEED", "create")]
    assert changes[0].new["properties"]["version"] == 1
    assert data_version(session) == changes[0].id


def test_every_declared_table_has_its_triggers_with_its_network(session):
    rows = session.execute(text(
        "SELECT n.nspname || '.' || c.relname, t.tgname, t.tgnargs, "
        "encode(t.tgargs, 'escape') FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal")).all()
    found = {(table, name): args for table, name, _, args in rows}
    for table, ft in feature_tables():
        assert (table, HISTORY_TRIGGER) in found and (table, BULK_GUARD_TRIGGER) in found, table
        wanted = "".join(a + "\\000" for a in rules_arguments(ft))
        assert found.get((table, RULES_TRIGGER)) == wanted, table


def test_a_sample_of_every_type_is_recorded_by_the_database(session):
    for i, ft in enumerate(feature_types()):
        code = create_feature(session, ft.table, sample_properties(ft),
                              sample_geometry(ft, dx=0.01 * i), user="every").feature["id"]
        rows = session.execute(select(History.action, History.changed_by)
                               .where(History.feature_type == ft.table, History.code == code))\
            .all()
        assert [tuple(r) for r in rows] == [("create", "every")], ft.table


def test_statements_of_the_app_login_on_its_own_connection_are_recorded(db_url, db_home):
    """As psql or QGIS would: a connection of its own, each statement committed."""
    with scratch_database(db_url, "twin_triggers") as url:
        app = app_role_url(url, db_home)
        if app is None:
            pytest.skip("an external DATABASE_URL has no app login of the test cluster")
        with psycopg.connect(_driver_url(app), autocommit=True) as conn:
            conn.execute(f"INSERT INTO assets.{TREE} (code, species_scientific, geom) VALUES "
                         "('T-PSQL', 'Ficus', ST_SetSRID(ST_MakePoint(106.19, 21.27), 4326))")
            conn.execute(f"UPDATE assets.{TREE} SET height_m = 3 WHERE code = 'T-PSQL'")
            conn.execute(f"DELETE FROM assets.{TREE} WHERE code = 'T-PSQL'")
        with psycopg.connect(_driver_url(url)) as owner:
            rows = owner.execute("SELECT action, version, changed_by FROM audit.history "
                                 "WHERE code = 'T-PSQL' ORDER BY id").fetchall()
    assert rows == [("create", 1, APP_LOGIN), ("update", 2, APP_LOGIN),
                    ("delete", 2, APP_LOGIN)]

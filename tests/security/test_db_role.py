"""Least privilege in the database: the web app and the ingest cannot change its shape.

Issue #14: the web app connected as the database superuser.  Now it and the
live ingest log in as ``twin_app`` (a member of ``twin_write``), which owns
nothing; migrations and ``twin db`` run as the owner.  Every attack below is
made as the app login against the real PostgreSQL: it must fail with a
permission error and leave the catalogue, the history and the data as they
were.  The work the app does at run time (edits, bulk loads, monthly
partitions, id blocks, the ingest's batches) must still succeed.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import UTC, datetime

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from layers import feature_type
from tests.databases import app_role_url, scratch_database
from tests.factories import sample_geometry, sample_properties
from tests.twin.live.city import make_city
from tests.twin.live.messages import payload
from twin import bulk
from twin.cli import cli
from twin.config import Settings
from twin.db.engine import session_scope
from twin.db.roles import APP_LOGIN, sql_file
from twin.edits import create_feature, delete_feature, update_feature
from twin.live.devices import register_demo_devices
from twin.live.partitions import ensure_partitions
from twin.live.schema import Message, validate_message
from twin.live.store import load_registry, write_batch
from webmap import create_app

pytestmark = pytest.mark.db

SCHEMAS = ("assets", "base", "audit", "live", "live_part", "auth", "planning", "ops", "public")
_IN_SCHEMAS = "ARRAY[" + ", ".join(f"'{s}'" for s in SCHEMAS) + "]"


def _driver_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def owner_url(db_url):
    """A database of this module's own, with a pipe edited through the edit service."""
    with scratch_database(db_url, "twin_dbrole") as url:
        engine = create_engine(url, poolclass=pool.NullPool)
        with session_scope(engine) as session:
            ft = feature_type("water_pipe")
            create_feature(session, "water_pipe", sample_properties(ft),
                           sample_geometry(ft, dx=0.05), user="owner")
            bulk.copy_features(session, "water_junction",
                               [{"geom": sample_geometry(feature_type("water_junction"), dx=0.06)}],
                               user="owner")
        engine.dispose()
        yield url


@pytest.fixture(scope="module")
def app_url(owner_url, db_home):
    url = app_role_url(owner_url, db_home)
    if url is None:
        pytest.skip("an external DATABASE_URL has no app login of the test cluster")
    return url


@pytest.fixture
def owner(owner_url):
    with psycopg.connect(_driver_url(owner_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def attacker(app_url):
    """The app login, one statement per transaction."""
    with psycopg.connect(_driver_url(app_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def app_engine(app_url):
    engine = create_engine(app_url, poolclass=pool.NullPool)
    yield engine
    engine.dispose()


def shape_and_history(conn) -> tuple:
    """What an attack must not change: relations, columns, grants, functions, triggers,
    schemas, roles, the history, the data and the id sequence."""
    catalogue = conn.execute(
        f"""
        SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
            SELECT format('%s.%s %s %s %s %s', n.nspname, c.relname, c.relkind,
                          c.relowner::regrole, c.relacl, c.relhastriggers) AS x
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY({_IN_SCHEMAS})
            UNION ALL
            SELECT format('%s.%s %s', a.attrelid::regclass, a.attname, a.attnotnull)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY({_IN_SCHEMAS}) AND a.attnum > 0 AND NOT a.attisdropped
            UNION ALL
            SELECT format('%s %s %s', p.oid::regprocedure, p.proowner::regrole, p.prosrc)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = ANY({_IN_SCHEMAS}) AND n.nspname <> 'public'
            UNION ALL SELECT format('%s %s', tgname, tgenabled) FROM pg_trigger
            UNION ALL SELECT format('%s %s', conname, conrelid::regclass) FROM pg_constraint
            UNION ALL SELECT nspname FROM pg_namespace
            UNION ALL SELECT format('%s %s %s', rolname, rolsuper, rolcanlogin) FROM pg_roles
            UNION ALL SELECT datname FROM pg_database
            UNION ALL SELECT coalesce(defaclacl::text, '') FROM pg_default_acl
        ) AS everything
        """
    ).fetchone()[0]
    data = conn.execute(
        "SELECT (SELECT md5(string_agg(h::text, '|' ORDER BY h.id)) FROM audit.history h), "
        "(SELECT md5(string_agg(b::text, '|' ORDER BY b.id)) FROM audit.bulk_load b), "
        "(SELECT md5(string_agg(p::text, '|' ORDER BY p.id)) FROM assets.water_pipe p), "
        "(SELECT increment_by FROM pg_sequences WHERE sequencename = 'asset_id_seq'), "
        "(SELECT last_value FROM assets.asset_id_seq)"
    ).fetchone()
    return catalogue, data


def _function_in(schema: str) -> str:
    return f"CREATE FUNCTION {schema}.planted() RETURNS int LANGUAGE sql AS 'SELECT 1'"


ATTACKS = {
    "create a table": "CREATE TABLE assets.planted (x int)",
    "create a table in public": "CREATE TABLE public.planted (x int)",
    "create a partition": "CREATE TABLE live_part.reading_209901 PARTITION OF live.reading "
                          "FOR VALUES FROM ('2099-01-01') TO ('2099-02-01')",
    "create a schema": "CREATE SCHEMA planted",
    "drop a table": "DROP TABLE assets.water_pipe",
    "drop the history": "DROP TABLE audit.history",
    "add a column": "ALTER TABLE assets.water_pipe ADD COLUMN planted int",
    "drop a check": "ALTER TABLE assets.water_pipe ALTER COLUMN code DROP NOT NULL",
    "rename a table": "ALTER TABLE assets.water_pipe RENAME TO planted",
    "create an index": "CREATE INDEX planted ON assets.water_pipe (code)",
    "disable triggers": "ALTER TABLE assets.water_pipe DISABLE TRIGGER ALL",
    "replication role skips triggers": "SET session_replication_role = replica",
    "truncate assets": "TRUNCATE assets.water_pipe",
    "truncate the history": "TRUNCATE audit.history",
    "rewrite the history": "UPDATE audit.history SET changed_by = 'nobody'",
    "erase the history": "DELETE FROM audit.history",
    "rewrite a bulk load": "UPDATE audit.bulk_load SET changed_by = 'nobody'",
    "erase a bulk load": "DELETE FROM audit.bulk_load",
    "rewrite the incident log": "UPDATE live.incident_event SET note = 'nothing happened'",
    "erase the incident log": "DELETE FROM live.incident_event",
    "rewrite zoning decisions": "UPDATE planning.finding_history SET note = 'approved'",
    "erase zoning decisions": "DELETE FROM planning.finding_history",
    "repoint the DEM": "UPDATE base.raster_layer SET path = '/etc/shadow'",
    **{f"create a function in {s}": _function_in(s) for s in SCHEMAS},
    "replace a privileged function": (
        "CREATE OR REPLACE FUNCTION assets.reserve_asset_ids(n bigint) RETURNS bigint "
        "LANGUAGE sql AS 'SELECT 1::bigint'"
    ),
    "drop a privileged function": "DROP FUNCTION live.ensure_reading_partition(timestamptz)",
    "alter the id sequence": "ALTER SEQUENCE assets.asset_id_seq INCREMENT BY 1000",
    "reset the id sequence": "SELECT setval('assets.asset_id_seq', 1)",
    "create a role": "CREATE ROLE planted LOGIN SUPERUSER",
    "become superuser": f"ALTER ROLE {APP_LOGIN} SUPERUSER",
    "create a database": "CREATE DATABASE planted",
    "read the migrations": "SELECT * FROM public.alembic_version",
    "read a server file": "SELECT pg_read_file('postgresql.conf')",
    "write a server file": "COPY assets.water_pipe TO '/tmp/planted.csv'",
}


@pytest.mark.parametrize("statement", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_app_login_cannot_change_the_shape_or_the_history(owner, attacker, statement):
    before = shape_and_history(owner)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attacker.execute(statement)
    assert shape_and_history(owner) == before


@pytest.mark.parametrize("statement", [
    'SET ROLE "{owner}"',
    'SET SESSION AUTHORIZATION "{owner}"',
    'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" GRANT ALL ON TABLES TO PUBLIC',
    'GRANT "{owner}" TO {login}',
], ids=["set role", "session authorization", "default privileges", "membership"])
def test_the_app_login_cannot_act_as_the_owner(owner, attacker, statement):
    owner_name = owner.execute("SELECT current_user").fetchone()[0]
    before = shape_and_history(owner)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attacker.execute(statement.format(owner=owner_name, login=APP_LOGIN))
    assert attacker.execute("SELECT current_user").fetchone()[0] == APP_LOGIN
    assert shape_and_history(owner) == before


def test_the_app_login_owns_nothing_and_holds_no_power(attacker):
    powers = attacker.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
        "FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    assert powers == (False,) * 5
    owned = attacker.execute(
        "SELECT count(*) FROM pg_class WHERE pg_has_role(relowner, 'USAGE')"
    ).fetchone()[0]
    assert owned == 0
    schemas = attacker.execute(
        "SELECT array_agg(nspname) FROM pg_namespace "
        "WHERE nspname = ANY(%s) AND has_schema_privilege(oid, 'CREATE')",
        (list(SCHEMAS),),
    ).fetchone()[0]
    assert schemas is None


def test_a_reader_reads_data_but_neither_writes_nor_sees_passwords(attacker):
    attacker.execute("SET ROLE twin_read")
    assert attacker.execute("SELECT count(*) FROM assets.water_pipe").fetchone()[0] > 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attacker.execute("DELETE FROM assets.water_pipe")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        attacker.execute("SELECT password_hash FROM auth.users")


def test_the_app_login_edits_an_asset_through_the_edit_service(app_engine):
    ft = feature_type("water_valve")
    with session_scope(app_engine) as session:
        made = create_feature(session, "water_valve", sample_properties(ft),
                              sample_geometry(ft, dx=0.07), user="editor").feature
        code, version = made["id"], made["properties"]["version"]
        update_feature(session, "water_valve", code, {"owner": "Công ty nước"},
                       expected_version=version, user="editor")
        delete_feature(session, "water_valve", code, expected_version=version + 1,
                       user="editor")
    with app_engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action FROM audit.history WHERE code = :c ORDER BY id"), {"c": code}
        ).scalars().all()
        gone = conn.execute(
            text("SELECT count(*) FROM assets.water_valve WHERE code = :c"), {"c": code}
        ).scalar()
    assert actions == ["create", "update", "delete"] and gone == 0


def test_the_app_login_searches_and_filters_without_accents(app_engine):
    from twin.api.query import parse_items_query, query_items
    from twin.search import search

    ft = feature_type("base_road")
    with session_scope(app_engine) as session:
        line = sample_geometry(ft, dx=0.08)
        code = create_feature(session, ft.table, sample_properties(ft, name="Đường Hoàng Văn Thụ"),
                              line, user="editor").feature["id"]
        found = search(session, "hoang van thu", readable_tables=[ft.table])
        params = {"filter": "ACCENTI(name) = ACCENTI('Duong Hoang Van Thu')"}
        page = query_items(session, ft, parse_items_query(ft, params), url="http://x/items",
                           params=params, hide_personal=True)
        delete_feature(session, ft.table, code, expected_version=1, user="editor")
    assert [r["label"] for r in found] == ["Đường Hoàng Văn Thụ"]
    assert [f["properties"]["name"] for f in page["features"]] == ["Đường Hoàng Văn Thụ"]


def test_the_app_login_bulk_loads_with_an_id_block(app_engine, owner):
    """An upload's COPY path: temporary tables, a reserved block of ids, the load's record."""
    with app_engine.connect() as conn:
        first = bulk._reserved(bulk.raw_connection(conn), bulk.RESERVE_MIN_IDS)
        conn.commit()
    assert first is not None
    increment, last = owner.execute(
        "SELECT increment_by, last_value FROM pg_sequences WHERE sequencename = 'asset_id_seq'"
    ).fetchone()
    assert increment == 1 and last == first + bulk.RESERVE_MIN_IDS - 1
    ft = feature_type("water_junction")
    rows = [{"geom": sample_geometry(ft, dx=0.08 + i * 1e-4)} for i in range(30)]
    with session_scope(app_engine) as session:
        assert bulk.copy_features(session, "water_junction", rows, user="importer",
                                  communes=True) == 30
    loads = owner.execute(
        "SELECT features FROM audit.bulk_load WHERE changed_by = 'importer'").fetchall()
    assert loads == [(30,)]


@pytest.mark.parametrize("count", [0, -5, 100_000_001])
def test_an_id_block_is_bounded(attacker, count):
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        attacker.execute("SELECT assets.reserve_asset_ids(%s)", (count,))


def test_the_ingest_creates_monthly_partitions_and_writes_a_batch(owner_url, app_engine, owner):
    engine = create_engine(owner_url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        make_city(session)
        register_demo_devices(session, pressure_every=1)
    engine.dispose()
    when = datetime(2031, 3, 15, 12, 0, tzinfo=UTC)
    with app_engine.connect() as conn:
        registry = load_registry(conn)
        topic, body = payload("LUM-LGT-POLE-1", {"on": True}, kind="luminaire", ts=when)
        message = validate_message(topic, body, devices=registry, now=when)
        assert isinstance(message, Message), message
        result = write_batch(conn, [message], [])
        conn.commit()
        assert len(result.new) == 1
        assert ensure_partitions(conn, [when]) == []
        conn.commit()
    made_by = owner.execute(
        "SELECT relowner::regrole::text FROM pg_class WHERE oid = 'live_part.reading_203103'::regclass"
    ).fetchone()[0]
    assert made_by == owner.execute("SELECT current_user").fetchone()[0]
    assert owner.execute(
        "SELECT count(*) FROM live_part.reading_203103 WHERE device_id = 'LUM-LGT-POLE-1'"
    ).fetchone()[0] == 1


def test_tables_made_later_by_the_owner_are_granted_by_default(owner, attacker):
    owner.execute("CREATE TABLE assets.later (id int)")
    owner.execute("CREATE TABLE audit.later (id int)")
    try:
        attacker.execute("INSERT INTO assets.later VALUES (1)")
        attacker.execute("UPDATE assets.later SET id = 2")
        attacker.execute("INSERT INTO audit.later VALUES (1)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            attacker.execute("DELETE FROM audit.later")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            attacker.execute("DROP TABLE assets.later")
    finally:
        owner.execute("DROP TABLE assets.later, audit.later")


def test_roles_are_made_once_when_two_migrations_race(owner_url):
    """Two migrations of two databases of one server may make the roles at the same moment."""
    suffix = uuid.uuid4().hex[:8]
    reader, writer = f"twin_read_{suffix}", f"twin_write_{suffix}"
    script = sql_file("roles.sql").replace("twin_write", writer).replace("twin_read", reader)
    start, errors = threading.Barrier(4), []

    def make_roles():
        with psycopg.connect(_driver_url(owner_url), autocommit=True) as conn:
            start.wait()
            try:
                conn.execute(script)
                conn.execute(script)
            except psycopg.Error as exc:  # pragma: no cover - the failure message
                errors.append(exc)

    threads = [threading.Thread(target=make_roles) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with psycopg.connect(_driver_url(owner_url), autocommit=True) as conn:
        try:
            made = conn.execute(
                "SELECT rolname, rolcanlogin, pg_has_role(rolname, %s, 'MEMBER') FROM pg_roles "
                "WHERE rolname IN (%s, %s) ORDER BY rolname", (reader, reader, writer)
            ).fetchall()
        finally:
            conn.execute(f"DROP ROLE IF EXISTS {writer}, {reader}")
    assert errors == []
    assert made == [(reader, False, True), (writer, False, True)]


def test_the_app_secret_is_private(db_home):
    from twin.db.cluster import Cluster

    assert Cluster(db_home).app_secret_file.stat().st_mode & 0o077 == 0


def _current_user(app) -> str:
    with app.extensions["twin_engine"].connect() as conn:
        return conn.execute(text("SELECT current_user")).scalar()


def test_twin_serve_on_the_embedded_cluster_connects_as_the_app_login(db_home, db_url):
    if app_role_url(db_url, db_home) is None:
        pytest.skip("an external DATABASE_URL has no embedded cluster")
    app = create_app(Settings(home=db_home, secret_key="test-secret"))
    assert _current_user(app) == APP_LOGIN


def test_with_database_url_the_app_connects_with_the_app_url(owner_url, app_url, tmp_path):
    settings = Settings(home=tmp_path, database_url=owner_url, app_database_url=app_url,
                        secret_key="test-secret")
    assert _current_user(create_app(settings)) == APP_LOGIN


def test_without_an_app_url_the_app_warns_that_it_runs_as_the_owner(owner_url, tmp_path, caplog):
    settings = Settings(home=tmp_path, database_url=owner_url, secret_key="test-secret")
    with caplog.at_level(logging.WARNING, logger="twin.db.engine"):
        app = create_app(settings)
    assert _current_user(app) == make_url(owner_url).username
    assert "TWIN_APP_DATABASE_URL is not set" in caplog.text


def test_twin_db_migrate_runs_as_the_owner_and_the_app_login_cannot(db_url, db_home, tmp_path):
    with scratch_database(db_url, "twin_dbrole_migrate", migrated=False) as url:
        app = app_role_url(url, db_home)
        if app is None:
            pytest.skip("an external DATABASE_URL has no app login of the test cluster")
        env = {"DATABASE_URL": url, "TWIN_APP_DATABASE_URL": app, "TWIN_HOME": str(tmp_path)}
        refused = CliRunner().invoke(cli, ["db", "migrate"],
                                     env={**env, "DATABASE_URL": app})
        assert refused.exit_code != 0
        assert "permission denied" in str(refused.exception) + refused.output
        done = CliRunner().invoke(cli, ["db", "migrate"], env=env)
        assert done.exit_code == 0, done.output
        with psycopg.connect(_driver_url(url)) as conn:
            owners = conn.execute(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = ANY(%s)",
                (list(SCHEMAS[:-1]),),
            ).fetchall()
        assert owners == [(make_url(url).username,)]

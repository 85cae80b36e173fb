"""Personal database logins: made, grouped by role, disabled with the user, never the owner."""

from __future__ import annotations

import doctest
import uuid

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from tests.databases import scratch_database
from twin.auth import db_logins
from twin.auth.cli import users as users_cli
from twin.auth.db_logins import group_role, login_name, scram_verifier
from twin.config import Settings

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def logins_db(db_url):
    """A twin database of its own; the logins its tests make are dropped at the end."""
    with scratch_database(db_url, "logins") as url:
        engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=pool.NullPool)
        yield url, engine
        with engine.connect() as conn:
            for login in conn.execute(text("SELECT rolname FROM pg_roles "
                                           "WHERE rolname LIKE 'twin\\_u\\_dl%'")).scalars():
                conn.execute(text(f'DROP ROLE "{login}"'))
        engine.dispose()


def _memberships(engine, login: str) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :l"), {"l": login}).scalars())


def _can_login(engine, login: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :l"),
                            {"l": login}).scalar_one()


def _service(output: str) -> dict:
    return dict(line.split("=", 1) for line in output.splitlines()
                if "=" in line and not line.startswith("#"))


def test_login_names_are_safe_and_distinct():
    assert login_name("lan") == "twin_u_lan"
    assert login_name("a.b") != login_name("a-b")
    assert len(login_name("x" * 64)) <= 63


def test_docstring_examples_run():
    result = doctest.testmod(db_logins)
    assert result.attempted > 0 and result.failed == 0


def test_only_a_scram_verifier_is_sent():
    verifier = scram_verifier("a secret password")
    assert verifier.startswith("SCRAM-SHA-256$4096:") and "a secret password" not in verifier
    assert verifier != scram_verifier("a secret password")  # salted


def test_add_with_a_db_login_prints_a_service_entry_that_connects(logins_db, tmp_path):
    url, engine = logins_db
    name = f"dl{uuid.uuid4().hex[:6]}"
    settings = Settings(home=tmp_path, database_url=url)
    result = CliRunner().invoke(users_cli, ["add", name, "--role", "editor", "--no-password",
                                            "--db-login"], obj=settings)
    assert result.exit_code == 0, result.output
    entry = _service(result.output)
    owner = make_url(url)
    assert entry["user"] == login_name(name) and entry["dbname"] == owner.database
    assert (entry["host"], int(entry["port"])) == (owner.host, owner.port)
    assert owner.password not in result.output  # the owner's secret is never printed
    with psycopg.connect(**{k: entry[k] for k in ("host", "port", "dbname", "user",
                                                  "password")}) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == login_name(name)
        assert conn.execute("SELECT count(*) FROM qgis.water_pipe").fetchone()[0] == 0
    groups = _memberships(engine, login_name(name))
    assert groups == {group_role("editor")}
    assert owner.username not in groups  # nobody gets the owner role

    again = CliRunner().invoke(users_cli, ["db-login", name], obj=settings)
    assert again.exit_code == 0 and "password=" not in again.output
    reset = CliRunner().invoke(users_cli, ["db-login", name, "--reset-password"], obj=settings)
    new = _service(reset.output)["password"]
    assert new and new != entry["password"]


def test_disabling_the_user_disables_the_login(logins_db, tmp_path):
    url, engine = logins_db
    name = f"dl{uuid.uuid4().hex[:6]}"
    settings = Settings(home=tmp_path, database_url=url)
    runner = CliRunner()
    runner.invoke(users_cli, ["add", name, "--role", "viewer", "--no-password"], obj=settings)
    made = runner.invoke(users_cli, ["db-login", name], obj=settings)
    password = _service(made.output)["password"]
    assert _can_login(engine, login_name(name))
    out = runner.invoke(users_cli, ["disable", name], obj=settings)
    assert "database login disabled" in out.output
    assert not _can_login(engine, login_name(name))
    target = make_url(url)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(host=target.host, port=target.port, dbname=target.database,
                        user=login_name(name), password=password)
    runner.invoke(users_cli, ["enable", name], obj=settings)
    assert _can_login(engine, login_name(name))


def test_the_group_follows_the_role(logins_db, tmp_path):
    url, engine = logins_db
    name = f"dl{uuid.uuid4().hex[:6]}"
    settings = Settings(home=tmp_path, database_url=url)
    runner = CliRunner()
    runner.invoke(users_cli, ["add", name, "--role", "crew", "--no-password", "--db-login"],
                  obj=settings)
    with engine.connect() as conn:
        conn.execute(text("UPDATE auth.users SET role = 'planner' WHERE name = :n"), {"n": name})
    runner.invoke(users_cli, ["db-login", name], obj=settings)
    assert _memberships(engine, login_name(name)) == {group_role("planner")}


def test_an_unknown_user_has_no_login(logins_db, tmp_path):
    url, _ = logins_db
    result = CliRunner().invoke(users_cli, ["db-login", "nobody-here"],
                                obj=Settings(home=tmp_path, database_url=url))
    assert result.exit_code != 0

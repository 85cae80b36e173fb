"""Accounts: hashed passwords, tokens stored as digests, clear refusals."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from twin.auth import users as accounts
from twin.auth.cli import users as users_cli
from twin.auth.models import ApiToken, User
from twin.errors import InvalidInput

pytestmark = pytest.mark.db


def test_password_is_hashed_and_checked(session):
    accounts.add_user(session, "lan", "editor", "correct horse")
    stored = session.execute(select(User.password_hash).where(User.name == "lan")).scalar_one()
    assert "correct horse" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    assert accounts.authenticate(session, "lan", "correct horse").role == "editor"
    assert accounts.authenticate(session, "lan", "wrong password") is None
    assert accounts.authenticate(session, "nobody", "correct horse") is None


def test_bad_users_are_refused_naming_the_rule(session):
    accounts.add_user(session, "minh", "viewer", "longenough")
    cases = [
        ("minh", "viewer", "longenough", "unique"),
        ("bad name!", "viewer", "longenough", "pattern"),
        ("hoa", "boss", "longenough", "allowed_values"),
        ("hoa", "viewer", "short", "min_length"),
    ]
    for name, role, password, rule in cases:
        with pytest.raises(InvalidInput) as err:
            accounts.add_user(session, name, role, password)
        assert err.value.problems[0].rule == rule


def test_token_is_shown_once_and_stored_as_digest(session):
    accounts.add_user(session, "qgis", "viewer")
    token = accounts.issue_token(session, "qgis", label="laptop")
    digests = session.execute(select(ApiToken.token_hash)).scalars().all()
    assert token not in digests
    assert accounts.user_for_token(session, token).name == "qgis"
    assert accounts.user_for_token(session, token + "x") is None
    assert accounts.revoke_tokens(session, "qgis") == 1
    assert accounts.user_for_token(session, token) is None


def test_disabled_user_cannot_log_in_or_use_tokens(session):
    user = accounts.add_user(session, "gone", "crew", "longenough")
    token = accounts.issue_token(session, "gone")
    user.active = False
    session.flush()
    assert accounts.authenticate(session, "gone", "longenough") is None
    assert accounts.user_for_token(session, token) is None


def test_cli_adds_lists_and_issues_tokens(settings, engine):
    runner = CliRunner()
    name = "cli_user_" + engine.url.database[-6:].replace("-", "_")
    result = runner.invoke(
        users_cli,
        ["add", name, "--role", "crew", "--password-stdin"],
        input="a long password\n",
        obj=settings,
    )
    assert result.exit_code == 0, result.output
    token = runner.invoke(users_cli, ["token", name], obj=settings).output.strip()
    assert token.startswith(accounts.TOKEN_PREFIX)
    listing = runner.invoke(users_cli, ["list"], obj=settings).output
    assert any(
        line.split()[:2] == [name, "crew"] and "tokens: 1" in line for line in listing.splitlines()
    )
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM auth.users WHERE name = :n"), {"n": name})

"""``twin users``: add users, issue API tokens, list who has access, end sessions."""

from __future__ import annotations

import sys

import click

from twin.config import Settings
from twin.db.engine import database_url, get_engine, session_scope

from . import db_logins
from . import users as accounts
from .roles import ROLES

__all__ = ["users"]


@click.group()
def users():
    """Users and API tokens (roles: viewer, crew, editor, planner, admin)."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
@click.option("--no-password", is_flag=True, help="Token-only account (for tools).")
@click.option("--db-login", is_flag=True,
              help="Also make a database login for QGIS and print its pg_service.conf entry.")
@click.pass_obj
def add(settings: Settings, name, role, password_stdin, no_password, db_login):
    """Create user NAME with ROLE (asks for a password unless --no-password)."""
    password = None if no_password else _read_password(password_stdin)
    with session_scope(get_engine(settings)) as session:
        accounts.add_user(session, name, role, password)
        entry = _db_login(settings, session, name, reset_password=False) if db_login else None
    click.echo(f"user {name} added with role {role}")
    if entry:
        click.echo(entry, nl=False)


def _db_login(settings: Settings, session, name: str, *, reset_password: bool) -> str:
    login, secret = db_logins.ensure_db_login(session, name, reset_password=reset_password)
    return db_logins.service_entry("twin", database_url(settings), login, secret)


@users.command("db-login")
@click.argument("name")
@click.option("--reset-password", is_flag=True, help="Give the login a new password.")
@click.pass_obj
def db_login(settings: Settings, name, reset_password):
    """Make NAME's database login if missing; print its pg_service.conf entry for QGIS.

    The password is printed only when it is new (a new login, or
    --reset-password): keep it in ~/.pg_service.conf (mode 0600) or let QGIS ask.
    """
    with session_scope(get_engine(settings)) as session:
        entry = _db_login(settings, session, name, reset_password=reset_password)
    click.echo(f"# {name}'s database login; add to ~/.pg_service.conf, use service=twin")
    click.echo(entry, nl=False)


@users.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True)
@click.pass_obj
def password(settings: Settings, name, password_stdin):
    """Set a new password for NAME (ends every session of NAME)."""
    secret = _read_password(password_stdin)
    with session_scope(get_engine(settings)) as session:
        accounts.set_password(session, name, secret)
    click.echo(f"password of {name} changed; every session of {name} ended")


@users.command("signout")
@click.argument("name")
@click.pass_obj
def signout(settings: Settings, name):
    """End every session of NAME, in every browser (API tokens stay valid)."""
    with session_scope(get_engine(settings)) as session:
        accounts.end_sessions(session, name)
    click.echo(f"every session of {name} ended")


@users.command("disable")
@click.argument("name")
@click.pass_obj
def disable(settings: Settings, name):
    """Disable NAME: no login, sessions ended, API tokens refused."""
    with session_scope(get_engine(settings)) as session:
        accounts.set_active(session, name, False)
        login = db_logins.set_login_active(session, name, False)
    click.echo(f"user {name} disabled; sessions ended, tokens refused"
               + ("; database login disabled" if login else ""))


@users.command("enable")
@click.argument("name")
@click.pass_obj
def enable(settings: Settings, name):
    """Enable NAME again (its tokens not revoked work again)."""
    with session_scope(get_engine(settings)) as session:
        accounts.set_active(session, name, True)
        login = db_logins.set_login_active(session, name, True)
    click.echo(f"user {name} enabled" + ("; database login enabled" if login else ""))


@users.command("token")
@click.argument("name")
@click.option("--label", help="What the token is for (e.g. 'QGIS on laptop 3').")
@click.option("--revoke", is_flag=True, help="Revoke every token of NAME instead.")
@click.pass_obj
def token(settings: Settings, name, label, revoke):
    """Print a new API token for NAME (shown once; send as 'Authorization: Bearer ...')."""
    with session_scope(get_engine(settings)) as session:
        if revoke:
            click.echo(f"{accounts.revoke_tokens(session, name)} token(s) of {name} revoked")
            return
        click.echo(accounts.issue_token(session, name, label=label))


@users.command("list")
@click.pass_obj
def list_(settings: Settings):
    """List users, their roles and live token counts."""
    with session_scope(get_engine(settings)) as session:
        rows = accounts.list_users(session)
    if not rows:
        click.echo("no users yet: twin users add NAME --role admin")
    for user, tokens in rows:
        state = "" if user.active else " (disabled)"
        click.echo(f"{user.name:<24} {user.role:<8} tokens: {tokens}{state}")

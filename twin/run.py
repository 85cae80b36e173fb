"""``twin run``: the main job — database up, migrated, demo city loaded, map served.

Each step is skipped when it is already done, so a second ``make run`` is fast.
Steps whose modules are not installed in this build are reported, not hidden.
"""

from __future__ import annotations

import secrets

import click
from sqlalchemy import create_engine, pool

from .config import Settings
from .db import migrate
from .db.cli import status_report
from .db.engine import database_url, session_scope
from .plugins import load_optional
from .private_files import write_private

__all__ = ["run"]


@click.command()
@click.option("--scale", default="city", show_default=True,
              type=click.Choice(["small", "city", "province"]),
              help="Size of the demo city loaded into an empty database.")
@click.option("--seed", default=1, show_default=True, help="Seed of the demo generator.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Serve the web map at the end.")
@click.pass_obj
def run(settings: Settings, scale, seed, host, port, serve):
    """Start the database, migrate it, load the demo city if empty, serve the map."""
    server = load_optional("webmap.serve")
    if serve and server is not None:
        server.check_key(settings, host)  # a weak key is refused before the long steps
    url = database_url(settings)
    where = "external database" if settings.database_url else f"embedded PostGIS in {settings.home / 'pg'}"
    click.echo(f"database: {where}")
    migrate.upgrade(url)
    demo = load_optional("twin.demo.load")
    if demo is not None:
        demo.load_if_empty(url, scale=scale, seed=seed, echo=click.echo)
    click.echo(status_report(url))
    _ensure_an_admin(settings, url)
    if serve and server is not None:
        server.serve(settings, host=host, port=port)
    elif serve:
        click.echo("the web map is not part of this build yet; the database is ready at "
                   f"{url.split('@')[-1]}")


def _ensure_an_admin(settings: Settings, url: str) -> None:
    """A first admin account, so that a fresh twin can be edited at once.

    Its password is random, printed once and kept in ``<home>/admin.password``
    (mode 0600) for the owner of the checkout; change it with
    ``twin users password admin``.
    """
    users = load_optional("twin.auth.users")
    if users is None:
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with session_scope(engine) as session:
        if users.list_users(session):
            return
        password = secrets.token_urlsafe(12)
        users.add_user(session, "admin", "admin", password)
    secret = settings.home / "admin.password"
    write_private(secret, password + "\n")
    click.echo(f"created the user 'admin' (role admin); password: {password} "
               f"(also in {secret}); add others with 'twin users add NAME --role ROLE'")

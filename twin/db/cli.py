"""``twin db``: the embedded cluster and the migrations."""

from __future__ import annotations

import click
from sqlalchemy import create_engine, pool, text

from ..config import Settings
from . import migrate
from .cluster import Cluster
from .engine import database_url

__all__ = ["db"]


def _settings() -> Settings:
    return click.get_current_context().find_object(Settings) or Settings.from_env()


def _external(settings: Settings) -> bool:
    if settings.database_url:
        click.echo("DATABASE_URL is set: the twin uses that server and starts none of its own.")
        return True
    return False


@click.group()
def db():
    """Run the embedded PostGIS cluster and migrate the database."""


@db.command()
def start():
    """Create (first time) and start the embedded cluster; harmless if running."""
    settings = _settings()
    if _external(settings):
        return
    cluster = Cluster(settings.home)
    was_running = cluster.running()
    cluster.start()
    state = "already running" if was_running else "started"
    click.echo(f"PostGIS {state}: {cluster.data_dir} on 127.0.0.1:{cluster.port()}")


@db.command()
def stop():
    """Stop the embedded cluster."""
    settings = _settings()
    if _external(settings):
        return
    Cluster(settings.home).stop()
    click.echo("PostGIS stopped.")


@db.command()
def status():
    """Say where the database is, its migration state and what it holds."""
    settings = _settings()
    if not settings.database_url:
        cluster = Cluster(settings.home)
        if not cluster.running():
            click.echo(f"embedded PostGIS in {cluster.data_dir}: not running")
            raise SystemExit(3)
        click.echo(f"embedded PostGIS in {cluster.data_dir}, port {cluster.port()}, "
                   f"socket {cluster.socket_dir}")
    click.echo(status_report(database_url(settings, start=False)))


def status_report(url: str) -> str:
    """Server versions, migration head and feature counts per table."""
    engine = create_engine(url, poolclass=pool.NullPool)
    lines = []
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
        postgis = conn.execute(text(
            "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")).scalar()
        lines.append(f"PostgreSQL {version}, PostGIS {postgis or 'not installed'}")
        lines.append(f"migration: {migrate.current_revision(url) or 'none'}")
        rows = conn.execute(text(
            "SELECT schemaname, relname, n_live_tup FROM pg_stat_user_tables "
            "WHERE schemaname IN ('assets', 'base') ORDER BY schemaname, relname")).all()
        for schema, table, count in rows:
            lines.append(f"  {schema}.{table:<28} ~{count} features")
    return "\n".join(lines)


@db.command()
@click.option("--driver/--no-driver", default=False,
              help="Include the SQLAlchemy driver (postgresql+psycopg://).")
def url(driver):
    """Print the database URL (it contains the embedded cluster's password)."""
    value = database_url(_settings(), start=False)
    click.echo(value if driver else value.replace("postgresql+psycopg://", "postgresql://"))


@db.command()
@click.option("--revision", default="heads", show_default=True)
def migrate_cmd(revision):
    """Apply the Alembic migrations (starts the embedded cluster if needed)."""
    migrate.upgrade(database_url(_settings()), revision)
    click.echo(f"migrated to {migrate.current_revision(database_url(_settings(), start=False))}")


migrate_cmd.name = "migrate"


@db.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(yes):
    """Drop every table of the twin and migrate again (all data is lost)."""
    target = database_url(_settings())
    if not yes:
        click.confirm("This deletes every asset, plan and history entry. Continue?", abort=True)
    migrate.reset(target)
    click.echo("database reset and migrated")

"""``twin db``: the embedded cluster and the migrations."""

from __future__ import annotations

from pathlib import Path

import click
import psycopg
from sqlalchemy import create_engine, pool, text

from ..config import Settings
from . import archive, migrate
from .backup import LOCAL_TZ, last_backup, make_backup, parse_time
from .cluster import Cluster
from .engine import database_url
from .restore import restore as restore_backup

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
    url = database_url(settings, start=False)
    click.echo(status_report(url))
    click.echo(backup_report(settings.home, url))


def _local(moment) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S %z") if moment else "never"


def backup_report(home: Path, url: str) -> str:
    """The last backup made from this home and the health of the WAL archive."""
    last = last_backup(home)
    lines = [f"last backup: {_local(last.finished_at)}, {last.size / 2**20:.1f} MiB, "
             f"{last.manifest['kind']}, {last.path}" if last else "last backup: none"]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        state = archive.archiver_status(conn)
    if state["archive_mode"] == "off":
        lines.append("WAL archive: off (no point-in-time restore)")
        return "\n".join(lines)
    lines.append(f"WAL archive: {state['archived_count']} segments, last "
                 f"{state['last_archived_wal'] or 'none'} at {_local(state['last_archived_time'])}")
    if state["failed_count"]:
        last_ok, last_failed = state["last_archived_time"], state["last_failed_time"]
        failing = last_failed and (not last_ok or last_failed > last_ok)
        lines.append(f"  {state['failed_count']} failed attempts, last "
                     f"{state['last_failed_wal']} at {_local(last_failed)}"
                     + (": ARCHIVING IS FAILING, see the server log" if failing else ""))
    return "\n".join(lines)


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


@db.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (default: a new file in $TWIN_HOME/backups).")
@click.option("--prune", is_flag=True,
              help="Then delete the archived WAL older than this backup (older backups "
                   "can no longer be rolled forward).")
def backup(out, prune):
    """Back up the whole twin online: users, history, plans, live state.

    The embedded cluster is copied with pg_basebackup (with its WAL, so the
    archive can roll it forward); a DATABASE_URL database with pg_dump.
    """
    made = make_backup(_settings(), out, prune=prune)
    click.echo(f"backup written: {made.path} ({made.size / 2**20:.1f} MiB, "
               f"{made.manifest['kind']}, finished {_local(made.finished_at)})")


@db.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--at", "at", metavar="TIME",
              help="Recover the state at this moment (ISO 8601; local time "
                   "Asia/Ho_Chi_Minh without an offset), later than the backup.")
@click.option("--yes", is_flag=True, help="Replace the existing twin (it is moved aside).")
def restore(file, at, yes):
    """Rebuild the twin from a backup file, optionally at a later moment."""
    moment = parse_time(at) if at else None
    click.echo(restore_backup(_settings(), file, at=moment, yes=yes))


def _home(home: Path | None) -> Path:
    return (home or _settings().home).absolute()


@db.group()
def replica():
    """Hot standbys of the embedded cluster (streaming replication)."""


@replica.command("create")
@click.option("--from", "primary_url", required=True, metavar="PRIMARY_URL",
              help="The primary's replication URL ('twin db replica url' on the primary).")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help="Where the standby lives (default TWIN_HOME); must hold no cluster yet.")
@click.option("--secrets-from", type=click.Path(file_okay=False, path_type=Path),
              help="The primary's home (or copies of its pg.secret and pg-app.secret): the "
                   "standby's logins are the primary's.")
def replica_create(primary_url, home, secrets_from):
    """Copy the primary online (pg_basebackup -R) and start following it read-only."""
    from .replica import create_replica

    cluster = create_replica(_home(home), primary_url, secrets_from=secrets_from)
    click.echo(f"standby started: {cluster.data_dir} on 127.0.0.1:{cluster.port()}")
    if cluster.app_secret_file.exists():
        click.echo(f"read with: twin web serve --replica '{cluster.app_url('postgresql')}'")


@replica.command("url")
def replica_url():
    """Print the replication URL of this primary (it contains the replication password)."""
    from .replica import replication_url

    settings = _settings()
    if _external(settings):
        raise SystemExit(1)
    cluster = Cluster(settings.home)
    cluster.start()
    click.echo(replication_url(cluster))


@db.command()
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help="The standby's home (default TWIN_HOME).")
def promote(home):
    """Make the standby the primary (after the primary failed): it accepts writes."""
    from .replica import promote as promote_standby

    cluster = promote_standby(_home(home))
    click.echo(f"promoted: {cluster.data_dir} on 127.0.0.1:{cluster.port()} accepts writes; "
               "point DATABASE_URL / TWIN_HOME of the twin at it")

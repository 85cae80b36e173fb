"""Alembic environment: the twin's models, PostGIS-aware autogeneration."""

from alembic import context
from sqlalchemy import create_engine, pool

import twin.tables  # noqa: F401  (every module that declares tables)
from twin.config import Settings
from twin.db.engine import database_url
from twin.db.migrate import compare_options
from twin.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("url") or database_url(Settings.from_env())


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      **compare_options())
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(_url(), poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      version_table_schema="public", **compare_options())
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

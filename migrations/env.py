"""Alembic environment: the twin's models, PostGIS-aware autogeneration."""

from alembic import context
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, pool

import twin.db.tables  # noqa: F401  (every module that declares tables)
from twin.config import Settings
from twin.db.engine import database_url
from twin.models import SCHEMAS, Base

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):
    """Compare only the twin's own schemas, never PostGIS' or tiger's tables."""
    if type_ == "table":
        return obj.schema in SCHEMAS
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def include_name(name, type_, parent_names):
    if type_ == "schema":
        return name in SCHEMAS
    return True


def _url() -> str:
    return config.attributes.get("url") or database_url(Settings.from_env())


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      include_schemas=True, include_object=include_object,
                      include_name=include_name,
                      process_revision_directives=alembic_helpers.writer,
                      render_item=alembic_helpers.render_item)
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
                      include_schemas=True, include_object=include_object,
                      include_name=include_name,
                      process_revision_directives=alembic_helpers.writer,
                      render_item=alembic_helpers.render_item,
                      version_table_schema="public")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

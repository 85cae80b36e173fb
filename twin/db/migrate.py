"""Running the Alembic migrations from code (the CLI and the tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, inspect, pool, text

__all__ = ["alembic_config", "compare_options", "current_revision", "downgrade", "reset",
           "upgrade"]

ROOT = Path(__file__).resolve().parents[2]


def _include_object(obj, name, type_, reflected, compare_to):
    """Compare only the twin's own schemas, never PostGIS' or tiger's tables.

    The search's trigram indexes are on ``twin_fold(column)``, a function
    the models do not know; the migration that makes them is their truth.
    """
    from twin.models import SCHEMAS
    from twin.search import SEARCH_INDEX_PREFIX

    if type_ == "table":
        return obj.schema in SCHEMAS
    if type_ == "index" and (name or "").startswith(SEARCH_INDEX_PREFIX):
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def _include_name(name, type_, parent_names):
    from twin.models import SCHEMAS

    return type_ != "schema" or name in SCHEMAS


def compare_options() -> dict:
    """Options shared by migrations/env.py and model/database comparisons."""
    return {"include_schemas": True, "include_object": _include_object,
            "include_name": _include_name,
            "process_revision_directives": alembic_helpers.writer,
            "render_item": alembic_helpers.render_item}


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version", schema="public"):
            return None
        rows = conn.execute(text("SELECT version_num FROM public.alembic_version")).scalars()
        return ",".join(sorted(rows)) or None


def reset(url: str) -> None:
    """Drop everything the twin made and migrate again from nothing."""
    downgrade(url, "base")
    upgrade(url)

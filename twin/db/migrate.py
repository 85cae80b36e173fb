"""Running the Alembic migrations from code (the CLI and the tests use this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, pool, text

__all__ = ["alembic_config", "current_revision", "downgrade", "reset", "upgrade"]

ROOT = Path(__file__).resolve().parents[2]


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

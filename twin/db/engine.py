"""Engines and sessions: the one place that picks the database.

``DATABASE_URL`` wins; otherwise the embedded cluster under ``settings.home``
is started (idempotently) and used.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..config import Settings
from .cluster import Cluster

__all__ = ["database_url", "get_engine", "session_scope"]


def database_url(settings: Settings, *, start: bool = True) -> str:
    """The SQLAlchemy URL to use, starting the embedded cluster if needed."""
    if settings.database_url:
        url = settings.database_url
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    cluster = Cluster(settings.home)
    if start:
        cluster.start()
    return cluster.url()


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_engine(settings: Settings) -> Engine:
    return _engine(database_url(settings))


@contextmanager
def session_scope(engine: Engine):
    """A session committed on success and rolled back on error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session: Session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

"""Engines and sessions: the one place that picks the database and the role.

``DATABASE_URL`` wins; otherwise the embedded cluster under ``settings.home``
is started (idempotently) and used.  Two roles connect: the owner of the
tables (:func:`database_url`: migrations, ``twin db``, the demo loader,
imports and other commands of the administrator) and the app login
(:func:`app_database_url`: the web app and the live ingest), which may only
read and write data.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..config import Settings
from .cluster import Cluster

__all__ = ["app_database_url", "database_url", "get_app_engine", "get_engine", "session_scope"]

log = logging.getLogger(__name__)


def _with_driver(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url(settings: Settings, *, start: bool = True) -> str:
    """The SQLAlchemy URL of the owner, starting the embedded cluster if needed."""
    if settings.database_url:
        return _with_driver(settings.database_url)
    cluster = Cluster(settings.home)
    if start:
        cluster.start()
    return cluster.url()


def app_database_url(settings: Settings, *, start: bool = True) -> str:
    """The SQLAlchemy URL of the web app and the ingest: a login that owns nothing.

    With ``DATABASE_URL`` and no ``TWIN_APP_DATABASE_URL`` it is the owner's,
    which can alter or drop every table: a warning says so.
    """
    if settings.app_database_url:
        return _with_driver(settings.app_database_url)
    if settings.database_url:
        log.warning("TWIN_APP_DATABASE_URL is not set: the web app and the ingest connect as "
                    "the owner of the database, who may alter and drop its tables")
        return database_url(settings)
    cluster = Cluster(settings.home)
    if start:
        cluster.start()
    return cluster.app_url()


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_engine(settings: Settings) -> Engine:
    """The owner's engine (commands of the administrator)."""
    return _engine(database_url(settings))


def get_app_engine(settings: Settings) -> Engine:
    """The app login's engine (the web app, the ingest)."""
    return _engine(app_database_url(settings))


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

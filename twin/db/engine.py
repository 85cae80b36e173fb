"""Engines and sessions: the one place that picks the database and the role.

``DATABASE_URL`` wins; otherwise the embedded cluster under ``settings.home``
is started (idempotently) and used.  Two roles connect: the owner of the
tables (:func:`database_url`: migrations, ``twin db``, the demo loader,
imports and other commands of the administrator) and the app login
(:func:`app_database_url`: the web app and the live ingest), which may only
read and write data.

Every engine survives a restart of the database: a pooled connection the
server closed is replaced at checkout (the pool's ping, or
:func:`replace_closed_on_checkout`), and waits are bounded
(:data:`CONNECT_TIMEOUT_S`, :data:`POOL_TIMEOUT_S`) so that while the
database is away a caller fails within seconds instead of hanging.
"""

from __future__ import annotations

import logging
import select
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import Session, sessionmaker

from ..config import Settings
from .cluster import Cluster

__all__ = ["CONNECT_ARGS", "CONNECT_TIMEOUT_S", "POOL_TIMEOUT_S", "app_database_url",
           "database_url", "engine_for", "get_app_engine", "get_engine",
           "replace_closed_on_checkout", "session_scope", "with_driver"]

log = logging.getLogger(__name__)

#: Seconds a new connection may take (libpq ``connect_timeout``).
CONNECT_TIMEOUT_S = 3
#: libpq arguments of every connection.
CONNECT_ARGS = {"connect_timeout": CONNECT_TIMEOUT_S}
#: Seconds a caller waits for a pooled connection before giving up (a 503 in the web app).
POOL_TIMEOUT_S = 5


def with_driver(url: str) -> str:
    """``url`` with SQLAlchemy's psycopg driver named (a libpq ``postgresql://`` URL gets it)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def database_url(settings: Settings, *, start: bool = True) -> str:
    """The SQLAlchemy URL of the owner, starting the embedded cluster if needed."""
    if settings.database_url:
        return with_driver(settings.database_url)
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
        return with_driver(settings.app_database_url)
    if settings.database_url:
        log.warning("TWIN_APP_DATABASE_URL is not set: the web app and the ingest connect as "
                    "the owner of the database, who may alter and drop its tables")
        return database_url(settings)
    cluster = Cluster(settings.home)
    if start:
        cluster.start()
    return cluster.app_url()


def engine_for(url: str) -> Engine:
    """The pooled engine of ``url`` (one per URL and process); ``postgresql://`` gets psycopg."""
    return _engine(with_driver(url))


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         pool_timeout=POOL_TIMEOUT_S, connect_args=CONNECT_ARGS)


def _closed_by_server(dbapi_connection) -> bool:
    """Whether the server has closed this idle connection, asked without a round trip.

    An idle connection has nothing to read unless the server said goodbye
    (a shutdown sends a FATAL message, a crash leaves end-of-file).
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def replace_closed_on_checkout(engine: Engine) -> Engine:
    """Make ``engine``'s pool drop connections closed by the server (a restart) at checkout.

    The pool's own ping costs a round trip on every checkout; this check
    costs a system call.  When one connection is found closed, every
    connection pooled before it is replaced too, as the ping does.
    """

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, proxy):
        if _closed_by_server(dbapi_connection):
            raise InvalidatePoolError("the server closed the connection (restarted?)")

    return engine


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

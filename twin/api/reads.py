"""The database engine of the API's reads: autocommit, no ping, warm connections, no JIT.

A read request (a page of items, a tile) runs one statement that needs no
transaction.  Run through a transactional pooled connection it would cost
five round trips instead of one: the pool's ping, ``BEGIN``, the statement,
``ROLLBACK`` when the connection goes back, and psycopg's ``DEALLOCATE ALL``
after that rollback (psycopg forgets its prepared statements on every
rollback, so each request would also plan its statement again, and a tile
statement takes longer to plan than to run).  On a busy server every round
trip waits for the database process to be scheduled, so they add up to more
than the query itself.

The engine of :func:`read_engine` therefore

* runs in autocommit (no ``BEGIN``/``ROLLBACK``; psycopg prepares a statement
  after its fifth run on a connection and keeps it);
* hands out the most recently used connection first (LIFO), whose prepared
  statements are warm;
* does not ping: a connection the server closed (a restart) is replaced at
  checkout by a check that needs no round trip
  (:func:`twin.db.engine.replace_closed_on_checkout`); one that breaks during
  its request fails it, and :func:`run_once_more_if_disconnected` retries raw
  cursors once;
* waits a bounded time for a connection (:data:`twin.db.engine.CONNECT_ARGS`,
  :data:`twin.db.engine.POOL_TIMEOUT_S`), so a request fails fast while the
  database is away;
* turns PostgreSQL's JIT and parallel workers off for its sessions
  (:data:`SESSION_OPTIONS`): tile and page statements are short, compiling
  them or starting worker processes costs more than it saves, and a parallel
  plan returns rows in a varying order, so the bytes of a tile (and its
  ETag) would change from one request to the next.  Benchmarks give their
  baseline connections the same options.

Writes never use this engine; they go through the edit service in a
transaction of their own.
"""

from __future__ import annotations

from functools import lru_cache

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine

from ..db.engine import CONNECT_ARGS, POOL_TIMEOUT_S, replace_closed_on_checkout

__all__ = ["SESSION_OPTIONS", "read_engine", "run_once_more_if_disconnected"]

#: libpq ``options`` of every read connection.
SESSION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"


@lru_cache(maxsize=8)
def read_engine(url: str, pool_size: int = 8) -> Engine:
    """The read engine of the database at ``url`` (one per URL and process)."""
    engine = create_engine(
        url,
        isolation_level="AUTOCOMMIT",
        pool_pre_ping=False,
        pool_use_lifo=True,
        pool_size=pool_size,
        max_overflow=2 * pool_size,
        pool_timeout=POOL_TIMEOUT_S,
        connect_args={**CONNECT_ARGS, "options": SESSION_OPTIONS},
    )
    return replace_closed_on_checkout(engine)


def run_once_more_if_disconnected(engine: Engine, work, *, binary: bool = False):
    """``work(cursor)`` on a raw psycopg cursor of ``engine``, retried once on a dead connection.

    A pooled connection may have been closed by the server (a restart, an
    idle timeout); it is then invalidated and ``work`` runs again on a new one.
    ``binary`` asks for results in PostgreSQL's binary format (a ``bytea``
    arrives as its bytes rather than as twice as many hexadecimal digits).
    """
    for attempt in (1, 2):
        fairy = engine.raw_connection()
        conn = fairy.driver_connection
        try:
            with conn.cursor(binary=binary) as cursor:
                return work(cursor)
        except psycopg.OperationalError:
            if attempt == 2 or not (conn.broken or conn.closed):
                raise
            fairy.invalidate()
        finally:
            fairy.close()
    raise AssertionError("unreachable")

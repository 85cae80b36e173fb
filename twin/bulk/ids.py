"""Asset ids and codes for features written in bulk.

Ids come from ``assets.asset_id_seq`` like those of single edits, drawn or
reserved as a block so a million rows do not cost a million round trips.
"""

from __future__ import annotations

import numpy as np
import psycopg

from layers import feature_type

from .connection import raw_connection

__all__ = ["RESERVE_MIN_IDS", "allocate_ids", "code_of", "ids_and_codes"]

#: Fewest ids reserved as one block rather than drawn one by one.
RESERVE_MIN_IDS = 50_000


def allocate_ids(session_or_connection, count: int) -> np.ndarray:
    """``count`` fresh asset ids from ``assets.asset_id_seq``.

    Ids drawn in one statement are consecutive unless another session draws
    at the same moment, so only the first and last cross the wire (fetching
    a million rows cost the client 0.3 s); if they interleave, the ids are
    drawn again and fetched one by one (the first draw leaves a gap, as any
    rolled-back transaction does).
    """
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    conn = raw_connection(session_or_connection)
    if count >= RESERVE_MIN_IDS:
        first = _reserved(conn, count)
        if first is not None:
            return np.arange(first, first + count, dtype=np.int64)
    draw = "SELECT nextval('assets.asset_id_seq') FROM generate_series(1, %s)"
    with conn.cursor() as cur:
        cur.execute(f"SELECT min(id), max(id) FROM ({draw}) AS drawn(id)", (count,))
        first, last = cur.fetchone()
        if last - first + 1 == count:
            return np.arange(first, last + 1, dtype=np.int64)
        cur.execute(draw, (count,))
        return np.fromiter((r[0] for r in cur.fetchall()), dtype=np.int64, count=count)


def _reserved(conn, count: int) -> int | None:
    """The first of ``count`` consecutive ids reserved in one step, or ``None``.

    A million ``nextval`` calls cost the database 0.3 s.  Raising the
    sequence's increment for one call takes the block at once; that needs
    the sequence's owner, so the database function
    ``assets.reserve_asset_ids`` (``migrations/sql/privileged.sql``) does it
    for the app login too.  Its lock blocks every other ``nextval``
    meanwhile, so it runs in a transaction of its own on a second connection
    (held for milliseconds, committed even if the load is rolled back, which
    leaves a gap as any rolled-back transaction does).  When the sequence is
    busy in an open transaction or was never used, ``None``: draw them one
    by one.
    """
    try:
        with (
            psycopg.connect(
                conn.info.dsn, password=conn.info.password or None, connect_timeout=10
            ) as side,
            side.cursor() as cur,
        ):
            cur.execute("SELECT assets.reserve_asset_ids(%s)", (int(count),))
            first = cur.fetchone()[0]
            side.commit()
    except psycopg.Error:
        return None
    return first


def code_of(table: str, asset_id: int) -> str:
    """The code the twin gives a feature of ``table`` with id ``asset_id``."""
    return f"{feature_type(table).code_prefix}-{int(asset_id):06d}"


def ids_and_codes(conn, table: str, given_ids: list, given_codes: list) -> tuple[list, list]:
    """Ids and codes for rows given some or none: fresh ids where ``None``, codes
    ``<prefix>-<id:06d>`` where none is given."""
    missing = given_ids.count(None)
    if missing:
        fresh = iter(allocate_ids(conn, missing).tolist())
        ids = [next(fresh) if i is None else int(i) for i in given_ids]
    else:
        ids = list(map(int, given_ids))
    prefix = feature_type(table).code_prefix
    if given_codes.count(None) == len(given_codes):
        return ids, list(map(f"{prefix}-%06d".__mod__, ids))
    if None not in given_codes and "" not in given_codes:
        return ids, given_codes
    return ids, [c or f"{prefix}-{i:06d}" for c, i in zip(given_codes, ids, strict=True)]

"""Indexes dropped for a big load into an empty table, rebuilt after.

Building an index over a million rows at once (sorted, in parallel workers
for B-trees) costs about half of maintaining it row by row.  It needs the
table to itself: the load takes an ``ACCESS EXCLUSIVE`` lock, so readers of
that one table wait until the import commits.  That is why it is done only
when the table is empty and the load big (:data:`REBUILD_MIN_ROWS`), the
loading role owns the table (the owner loading the demo or an import on the
command line; never the web app's login, which may not alter tables), and
only when the lock is free at once; otherwise the rows go in with the
indexes in place.  The primary key goes too: checked row by row it costs a
million-row load about 0.75 s of database time, built after 0.2 s; tables
that foreign keys point at keep everything.  Everything happens in the
caller's transaction: a failed load rolls the drops back too.
"""

from __future__ import annotations

from contextlib import contextmanager

import psycopg

__all__ = ["REBUILD_MIN_ROWS", "indexes_rebuilt_after"]

#: Rows a load must bring into an empty table for its indexes to be rebuilt.
REBUILD_MIN_ROWS = 100_000

_INDEXES = """
    SELECT c.conname, pg_get_constraintdef(c.oid), i.indexrelid::regclass::text,
           pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
    WHERE i.indrelid = %(t)s::regclass
    ORDER BY i.indisprimary DESC, c.conname NULLS LAST, i.indexrelid
"""


def _locked_when_free(cur, qualified: str) -> bool:
    cur.execute("SAVEPOINT bulk_indexes")
    try:
        cur.execute(f"LOCK TABLE {qualified} IN ACCESS EXCLUSIVE MODE NOWAIT")
    except psycopg.errors.LockNotAvailable:
        cur.execute("ROLLBACK TO SAVEPOINT bulk_indexes")
        return False
    finally:
        cur.execute("RELEASE SAVEPOINT bulk_indexes")
    return True


def _worth_it(cur, qualified: str, rows: int) -> bool:
    if rows < REBUILD_MIN_ROWS:
        return False
    cur.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM {qualified}) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = %(t)s::regclass) "
        "AND pg_has_role((SELECT relowner FROM pg_class WHERE oid = %(t)s::regclass), 'USAGE')",
        {"t": qualified},
    )
    return cur.fetchone()[0] and _locked_when_free(cur, qualified)


def _drop(cur, qualified: str) -> list[str]:
    """Drop the indexes (primary key included); the statements that build them again."""
    cur.execute(_INDEXES, {"t": qualified})
    rebuild = []
    for constraint, definition, index, create in cur.fetchall():
        if constraint is not None:
            cur.execute(f'ALTER TABLE {qualified} DROP CONSTRAINT "{constraint}"')
            rebuild.append(f'ALTER TABLE {qualified} ADD CONSTRAINT "{constraint}" {definition}')
        else:
            cur.execute(f"DROP INDEX {index}")
            rebuild.append(create)
    return rebuild


@contextmanager
def indexes_rebuilt_after(conn, qualified: str, rows: int):
    """Around a load of ``rows`` rows into ``qualified``: its indexes
    are dropped first and built again after, when that pays (see above).

    Yields whether they were dropped.
    """
    with conn.cursor() as cur:
        rebuild = _drop(cur, qualified) if _worth_it(cur, qualified, rows) else []
    yield bool(rebuild)
    with conn.cursor() as cur:
        for statement in rebuild:
            cur.execute(statement)

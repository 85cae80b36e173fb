"""A bulk load recorded once in ``audit.bulk_load`` rather than per feature.

The assets of a load are named by ranges of their ids (a PostgreSQL
``int8multirange``): ids drawn from one sequence in one go are consecutive,
so a million features usually make one range.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["id_ranges", "record_load"]


def id_ranges(ids: Sequence[int]) -> str:
    """The ``int8multirange`` literal holding exactly ``ids``."""
    values = np.asarray(ids, dtype=np.int64)
    if len(values) > 1 and not (np.diff(values) > 0).all():  # fresh ids already rise
        values = np.unique(values)
    if not len(values):
        return "{}"
    breaks = np.flatnonzero(np.diff(values) != 1) + 1
    starts = values[np.r_[0, breaks]]
    ends = values[np.r_[breaks - 1, len(values) - 1]] + 1
    return "{" + ",".join(f"[{a},{b})" for a, b in zip(starts, ends, strict=True)) + "}"


def record_load(conn, table: str, ids: Sequence[int], *, user, reason) -> int:
    """Record the load of ``ids`` into ``table`` (the caller's transaction); its id."""
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO audit.bulk_load (feature_type, features, asset_ids, changed_by, reason) "
            "VALUES (%s, %s, %s::int8multirange, %s, %s) RETURNING id",
            (table, len(ids), id_ranges(ids), user, reason),
        )
        return cur.fetchone()[0]

"""Who writes and why, told to the database's audit triggers for one transaction.

The triggers of every feature table (``migrations/sql/audit_triggers.sql``)
stamp each change with a version and record it in ``audit.history``.  They
learn the twin user, the reason and the kind of write from settings local to
the transaction; a client that sets none (QGIS, psql) is recorded under its
database login.  The settings:

``twin.username``
    the twin user the change is recorded for (heeded from trusted logins only);
``twin.reason``
    why;
``twin.action``
    ``revert`` to record an update as a revert;
``twin.snap_tolerance_m``
    how far a line end reaches for a node (metres);
``twin.bulk_load``
    ``on`` while :mod:`twin.bulk` copies rows, recorded once per load.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy import text

__all__ = ["ACTION", "BULK_LOAD", "REASON", "SNAP_TOLERANCE", "USER", "acting", "set_local"]

USER = "twin.username"
REASON = "twin.reason"
ACTION = "twin.action"
SNAP_TOLERANCE = "twin.snap_tolerance_m"
BULK_LOAD = "twin.bulk_load"


def set_local(bind, settings: dict[str, object]) -> None:
    """Set ``settings`` (name -> value, ``None`` for unset) until the transaction ends.

    ``bind`` is a SQLAlchemy session or connection, or a psycopg connection.
    """
    if not settings:
        return
    pairs = [(name, "" if value is None else str(value)) for name, value in settings.items()]
    calls = ", ".join(f"set_config(%(n{i})s, %(v{i})s, true)" for i in range(len(pairs)))
    params = {k: v for i, (name, value) in enumerate(pairs)
              for k, v in ((f"n{i}", name), (f"v{i}", value))}
    if isinstance(bind, psycopg.Connection):
        bind.execute(f"SELECT {calls}", params)
    else:
        bind.execute(text("SELECT " + calls.replace("%(", ":").replace(")s", "")), params)


@contextmanager
def acting(bind, *, user: str | None, reason: str | None = None, action: str | None = None,
           snap_tolerance_m: float | None = None) -> Iterator[None]:
    """Writes inside the block are recorded for ``user`` with ``reason``.

    The settings are cleared when the block ends normally, so later writes
    of the same transaction are not credited to this one's user; after an
    error the caller rolls back, which clears them.
    """
    settings = {USER: user, REASON: reason, ACTION: action, SNAP_TOLERANCE: snap_tolerance_m}
    set_local(bind, settings)
    yield
    set_local(bind, dict.fromkeys(settings))

"""Writing many features at once with PostgreSQL's COPY, recorded as one load.

The edit service (:mod:`twin.edits`) writes one feature at a time with full
validation and snapping; an import or the demo generator writes hundreds of
thousands.  :func:`copy_features` streams rows into a feature table with
``COPY`` and records the load once in ``audit.bulk_load`` (who, when, why,
which asset ids; :mod:`twin.bulk.loads`), so the audit trail stays complete
without a history row per feature, which would cost the database twice the
feature itself: while it copies, the transaction sets ``twin.bulk_load``,
so the feature tables' audit triggers stand aside (:mod:`twin.db.actor`).
Deletions (:func:`delete_features`) and commune fills go through those
triggers: one history row per asset changed.

Each row is written once: missing communes are looked up in memory
(:mod:`twin.bulk.communes`), chunk by chunk, in a thread that works ahead
while the database takes the previous chunk (:mod:`twin.bulk.pipeline`).  A
big load into an empty table builds its indexes after the rows
(:mod:`twin.bulk.indexes`).  Everything happens in the caller's transaction;
validation is the caller's business (the table's constraints remain the
last line of defence).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from layers import feature_type

from ..db.actor import BULK_LOAD, acting, set_local
from ..errors import InvalidInput, Problem
from ..models import model
from .cells import as_shapes
from .communes import current_communes
from .communes import fill_communes as _fill_communes
from .connection import qualified, raw_connection
from .ids import RESERVE_MIN_IDS, allocate_ids, code_of, ids_and_codes
from .ids import _reserved as _reserved  # the block reservation, checked by the tests
from .indexes import indexes_rebuilt_after
from .loads import record_load
from .pipeline import ahead
from .rows import Rows, chunks

__all__ = [
    "RESERVE_MIN_IDS",
    "allocate_ids",
    "code_of",
    "copy_columns",
    "copy_features",
    "delete_features",
    "fill_communes",
    "Loader",
    "raw_connection",
]

#: Columns the twin fills itself; rows may not set them.
_DERIVED = {"length_m", "area_m2", "created_at", "updated_at", "layer"}
#: Most rows per COPY statement: the unit of progress and of work done ahead.
CHUNK_ROWS = 20_000
#: Fewest rows per COPY statement; smaller loads go in one.
MIN_CHUNK_ROWS = 1_000


def fill_communes(session_or_connection, table: str, ids: Sequence[int] | None = None, *,
                  user: str | None = None, reason: str | None = None) -> int:
    """Set ``commune`` of stored features of ``table`` that have none (in SQL).

    The current commune holding a point on each feature's surface; ``ids``
    limits the update to those features.  Each feature updated gets a new
    version and a history row for ``user`` with ``reason`` (from the
    table's triggers).  Returns the number updated.
    """
    conn = raw_connection(session_or_connection)
    with acting(conn, user=user, reason=reason or "commune filled in"):
        return _fill_communes(conn, qualified(table), ids)


def delete_features(session_or_connection, table: str, ids: Sequence[int], *,
                    user: str | None, reason: str | None = None) -> int:
    """Delete the features of ``table`` with ``ids``; the number deleted.

    Each deletion is recorded in ``audit.history`` (whole feature as
    ``old``, ``user``, ``reason``) by the table's trigger.
    """
    if not len(ids):
        return 0
    conn = raw_connection(session_or_connection)
    with acting(conn, user=user, reason=reason), conn.cursor() as cur:
        cur.execute(f"DELETE FROM {qualified(table)} WHERE id = ANY(%s::bigint[])",
                    (list(map(int, ids)),))
        return cur.rowcount


def _columns(table: str, rows: Sequence[dict]) -> list[str]:
    known = {c.name for c in model(table).__table__.columns} - _DERIVED
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    unknown = [k for k in seen if k not in known]
    if unknown:
        raise InvalidInput(
            f"{table}: unknown column(s) {', '.join(sorted(unknown))}",
            [
                Problem(field=k, rule="known_column", message=f"{table} has no column {k!r}")
                for k in sorted(unknown)
            ],
        )
    if "geom" not in seen:
        raise InvalidInput(
            f"{table}: rows carry no geometry",
            [Problem(field="geom", rule="required", message="every feature needs a geometry")],
        )
    return [c for c in seen if c not in ("id", "code")]


def copy_features(
    session_or_connection,
    table: str,
    rows: Iterable[dict],
    *,
    user: str | None,
    reason: str | None = None,
    history: bool = True,
    communes: bool = False,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write ``rows`` into the feature table ``table`` with COPY; return the count.

    Parameters
    ----------
    session_or_connection
        A SQLAlchemy session or connection; the rows join its transaction.
    table
        Feature table name, e.g. ``"water_pipe"``.
    rows
        Dicts of column values: attribute names, core fields (``status``,
        ``owner``, ``commune``, ``extra`` as a dict ...), ``geom`` as a shapely
        geometry in WGS 84 (or WKB, WKT, EWKT), optionally ``id`` and
        ``code`` (else a fresh id from the asset sequence and the code
        ``<prefix>-<id:06d>``); network edges give ``start_node``/``end_node``.
    user, reason
        Stamped on the rows (``created_by``/``updated_by``) and the history.
    history
        Record the load in ``audit.bulk_load`` (see :mod:`twin.bulk.loads`).
    communes
        Give rows without a ``commune`` the current commune they lie in
        (see :func:`twin.bulk.communes.communes_at`).
    progress
        Called with the number of rows written since the last call (e.g.
        ``tqdm.update``).
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    names = _columns(table, rows)
    columns = {c: [r.get(c) for r in rows] for c in ("id", "code", *names)}
    return copy_columns(
        session_or_connection,
        table,
        columns,
        user=user,
        reason=reason,
        history=history,
        communes=communes,
        progress=progress,
    )


def copy_columns(
    session_or_connection,
    table: str,
    columns: dict[str, list],
    *,
    user: str | None,
    reason: str | None = None,
    history: bool = True,
    communes: bool = False,
    progress: Callable[[int], object] | None = None,
) -> int:
    """:func:`copy_features` for data already in columns (lists of equal length).

    The fast path of generators and the importer: no per-row dicts.
    ``columns`` holds ``geom`` and any of the columns :func:`copy_features`
    accepts.
    """
    count = len(columns["geom"])
    if not count:
        return 0
    with Loader(
        session_or_connection,
        table,
        count,
        user=user,
        reason=reason,
        history=history,
        communes=communes,
        progress=progress,
    ) as loader:
        loader.write(columns)
    return count


class Loader:
    """One bulk write into ``table`` whose rows arrive in parts.

    A context manager: entering it drops the table's indexes when the
    ``expected`` number of rows makes that pay (:mod:`twin.bulk.indexes`),
    :meth:`write` copies each part as it comes (so an importer can check the
    next part of a file while the database stores this one), and leaving it
    without an error builds the indexes again and records the load once.
    Arguments are those of :func:`copy_columns`.
    """

    def __init__(
        self,
        session_or_connection,
        table: str,
        expected: int,
        *,
        user: str | None,
        reason: str | None = None,
        history: bool = True,
        communes: bool = False,
        progress: Callable[[int], object] | None = None,
    ):
        self.conn = raw_connection(session_or_connection)
        self.table, self.expected = table, expected
        self.user, self.reason, self.history = user, reason, history
        self.communes, self.progress = communes, progress
        self.ids: list[np.ndarray] = []
        self._indexes = None
        self._current_communes = None

    def __enter__(self) -> Loader:
        set_local(self.conn, {BULK_LOAD: "on"})
        self._indexes = indexes_rebuilt_after(self.conn, qualified(self.table), self.expected)
        self._indexes.__enter__()
        if self.communes:
            self._current_communes = current_communes(self.conn)
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is not None:
            return  # the caller's transaction is rolled back, the index drops with it
        self._indexes.__exit__(None, None, None)
        set_local(self.conn, {BULK_LOAD: None})
        if self.history and self.ids:
            ids = np.concatenate(self.ids)
            record_load(self.conn, self.table, ids, user=self.user, reason=self.reason)

    @property
    def current_communes(self) -> tuple[list[str], np.ndarray]:
        """Codes and polygons of the communes in force (with ``communes``)."""
        return self._current_communes

    def write(self, columns: dict[str, list]) -> int:
        """Copy one part (columns as for :func:`copy_columns`) chunk by chunk, the
        next chunk built ahead; the rows written."""
        rows = self.rows(columns)
        # A few chunks even for small loads: the database takes one while the next is built.
        size = min(CHUNK_ROWS, max(MIN_CHUNK_ROWS, -(-len(rows) // 4)))
        with ahead(chunks(rows, size)) as ready:
            for done, text in ready:
                self.send(rows.names, text, done)
        return len(rows)

    def rows(self, columns: dict[str, list]) -> Rows:
        """One part made ready to copy (ids drawn for rows without one).

        With every id given it does not touch the database, so a thread can
        prepare the next part while :meth:`send` sends this one.
        """
        table, conn = self.table, self.conn
        count = len(columns["geom"])
        ft = feature_type(table)
        given = [c for c in _columns(table, [dict.fromkeys(columns)]) if c != "geom"]
        ids, codes = ids_and_codes(
            conn,
            table,
            list(columns.get("id") or [None] * count),
            list(columns.get("code") or [None] * count),
        )
        values = {"id": ids, "code": codes, **{c: list(columns[c]) for c in given}}
        shapes = as_shapes(columns["geom"], multi=ft.geometry == "MultiPolygon")
        lookup = None
        if self.communes:
            values.setdefault("commune", [None] * count)
            lookup = _commune_polygons(table, values, shapes, self._current_communes)
        stamps = {c: self.user for c in ("created_by", "updated_by") if c not in values}
        self.ids.append(np.asarray(ids, dtype=np.int64))
        return Rows(table, values, stamps, shapes, communes=lookup)

    def copy_binary(self, names: list[str], ids: np.ndarray, data: bytes) -> None:
        """Send rows made elsewhere in binary COPY format (:mod:`twin.bulk.binary`;
        ``names`` their columns, ``ids`` their ids)."""
        self.send(names, data, len(ids), binary=True)
        self.ids.append(np.asarray(ids, dtype=np.int64))

    def send(self, names: list[str], data, count: int, *, binary: bool = False) -> None:
        """COPY ``count`` rows of columns ``names``: COPY text (as
        :func:`twin.bulk.rows.chunks` makes it for :meth:`rows`) or binary."""
        how = " (FORMAT binary)" if binary else ""
        sql = f"COPY {qualified(self.table)} ({', '.join(names)}) FROM STDIN{how}"
        with self.conn.cursor() as cur, cur.copy(sql) as copy:
            copy.write(data)
        if self.progress is not None:
            self.progress(count)


def _commune_polygons(table: str, values: dict[str, list], shapes: np.ndarray, current):
    """Codes and polygons of the communes rows without one are placed in.

    Admin units being written count too when they are current communes, as
    they would for a join made after the write.
    """
    codes, polygons = current
    if table == "base_admin_unit":
        codes, polygons = _with_own_communes(codes, polygons, values, shapes)
    return codes, polygons


def _with_own_communes(codes, polygons, values, shapes):
    count = len(shapes)
    level = values.get("level") or [None] * count
    valid_to = values.get("valid_to") or [None] * count
    own = [i for i in range(count) if level[i] == "commune" and valid_to[i] is None]
    pairs = sorted(
        [*zip(codes, polygons, strict=True), *((values["code"][i], shapes[i]) for i in own)],
        key=lambda pair: pair[0],
    )
    return [c for c, _ in pairs], np.array([p for _, p in pairs], dtype=object)

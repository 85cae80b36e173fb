"""Writing many features at once with PostgreSQL's COPY, history included.

The edit service (:mod:`twin.edits`) writes one feature at a time with full
validation and snapping; an import or the demo generator writes hundreds of
thousands.  :func:`copy_features` streams rows into a feature table with
``COPY`` and then records one ``import`` entry per feature in
``audit.history``, built in SQL from the stored rows, so the audit trail
stays complete without a round trip per feature.  Everything happens in the
caller's transaction; validation is the caller's business.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from layers import feature_type

from .config import STORAGE_SRID
from .errors import InvalidInput, Problem
from .models import model

__all__ = [
    "allocate_ids",
    "code_of",
    "copy_columns",
    "copy_features",
    "fill_communes",
    "raw_connection",
]

#: Columns the twin fills itself; rows may not set them.
_DERIVED = {"length_m", "area_m2", "created_at", "updated_at", "layer"}
_PROGRESS_STEP = 10_000


def raw_connection(session_or_connection):
    """The psycopg connection behind a SQLAlchemy session or connection.

    COPY needs the driver's connection; it shares the SQLAlchemy transaction,
    so what is copied is committed or rolled back with the caller's work.
    """
    conn = session_or_connection
    if hasattr(conn, "get_bind") and hasattr(conn, "connection"):  # a Session
        conn = conn.connection()
    return conn.connection.driver_connection


def allocate_ids(session_or_connection, count: int) -> np.ndarray:
    """``count`` fresh asset ids from ``assets.asset_id_seq`` in one round trip."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    with raw_connection(session_or_connection).cursor() as cur:
        cur.execute("SELECT nextval('assets.asset_id_seq') FROM generate_series(1, %s)", (count,))
        return np.fromiter((r[0] for r in cur.fetchall()), dtype=np.int64, count=count)


def code_of(table: str, asset_id: int) -> str:
    """The code the twin gives a feature of ``table`` with id ``asset_id``."""
    return f"{feature_type(table).code_prefix}-{int(asset_id):06d}"


def _qualified(table: str) -> str:
    t = model(table).__table__
    return f'{t.schema}."{t.name}"'


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


def _as_shapes(values: list, *, multi: bool) -> np.ndarray:
    """Shapely geometries from shapely objects, WKB bytes/hex, WKT or EWKT text."""
    shapes = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        if isinstance(v, BaseGeometry):
            shapes[i] = v
        elif isinstance(v, (bytes, bytearray, memoryview)):
            shapes[i] = shapely.from_wkb(bytes(v))
        elif isinstance(v, str) and v.upper().startswith("SRID="):
            shapes[i] = shapely.from_wkt(v.split(";", 1)[1])
        elif isinstance(v, str):
            shapes[i] = shapely.from_wkb(v) if _is_hex(v) else shapely.from_wkt(v)
        else:
            raise InvalidInput(f"unreadable geometry of type {type(v).__name__}")
    if multi:
        polys = shapely.get_type_id(shapes) == 3
        shapes[polys] = [MultiPolygon([p]) for p in shapes[polys]]
    return shapes


def _is_hex(text: str) -> bool:
    return len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text[:16])


def _ewkb_hex(values: list, *, multi: bool) -> list[str]:
    """Hex EWKB with the storage SRID, the text form PostGIS reads fastest."""
    if all(isinstance(v, BaseGeometry) for v in values):
        shapes = np.asarray(values, dtype=object)
        if multi:
            shapes = _as_shapes(values, multi=True)
    else:
        shapes = _as_shapes(values, multi=multi)
    plain = shapely.to_wkb(shapes, hex=True, byte_order=1).tolist()
    # Little-endian WKB of a 2D geometry: "01" + type (4 bytes) + body.  EWKB
    # sets the SRID flag in the type's last byte and puts the SRID after it.
    srid = STORAGE_SRID.to_bytes(4, "little").hex().upper()
    if all(h[8:10] == "00" for h in plain):
        return [f"{h[:8]}20{srid}{h[10:]}" for h in plain]
    shapes = shapely.set_srid(shapes, STORAGE_SRID)
    return shapely.to_wkb(shapes, hex=True, include_srid=True, byte_order=1).tolist()


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _text_cell(value) -> str:
    """One value in COPY text format (NULL, escaped text, JSON, ISO dates)."""
    if value is None:
        return _NULL
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool | np.bool_):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_json_default).translate(_ESCAPES)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return _NULL
    return str(value)


def _text_column(values: list) -> list[str]:
    """A column in COPY text format, with fast paths for plain numbers and text."""
    kinds = {type(v) for v in values}
    if kinds <= {int, float}:
        return [_NULL if v != v else str(v) for v in values]
    if kinds == {str}:
        joined = "".join(values)
        if not any(c in joined for c in "\\\t\n\r"):
            return values
    return [_text_cell(v) for v in values]


def _json_default(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} in JSON")


def _ids_and_codes(conn, table: str, rows: Sequence[dict]) -> tuple[list[int], list[str]]:
    given = [r.get("id") for r in rows]
    missing = given.count(None)
    if missing:
        fresh = iter(allocate_ids(conn, missing).tolist())
        ids = [next(fresh) if i is None else int(i) for i in given]
    else:
        ids = [int(i) for i in given]
    prefix = feature_type(table).code_prefix
    codes = [r.get("code") for r in rows]
    if codes.count(None) == len(codes):
        return ids, [f"{prefix}-{i:06d}" for i in ids]
    return ids, [c or f"{prefix}-{i:06d}" for c, i in zip(codes, ids, strict=True)]


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
        Record one ``import`` entry per feature in ``audit.history``.
    communes
        Fill ``commune`` of rows that have none by a spatial join with the
        current communes before the history is written (see :func:`fill_communes`).
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

    The fast path of generators: no per-row dicts.  ``columns`` holds
    ``geom`` and any of the columns :func:`copy_features` accepts.
    """
    count = len(columns["geom"])
    if not count:
        return 0
    conn = raw_connection(session_or_connection)
    ft = feature_type(table)
    cols = _columns(table, [dict.fromkeys(columns)])
    given = [
        {"id": i, "code": c}
        for i, c in zip(
            columns.get("id") or [None] * count, columns.get("code") or [None] * count, strict=True
        )
    ]
    ids, codes = _ids_and_codes(session_or_connection, table, given)
    geoms = _ewkb_hex(list(columns["geom"]), multi=ft.geometry == "MultiPolygon")
    stamped = [c for c in ("created_by", "updated_by") if c not in cols]
    attr_cols = [c for c in cols if c != "geom"]
    names = ["id", "code", *attr_cols, "geom", *stamped]
    sql = f"COPY {_qualified(table)} ({', '.join(names)}) FROM STDIN"
    text_columns = [
        [str(i) for i in ids],
        _text_column(codes),
        *(_text_column(list(columns[c])) for c in attr_cols),
        geoms,
        *([_text_cell(user)] * count for _ in stamped),
    ]
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for start in range(0, count, _PROGRESS_STEP):
            chunk = [col[start : start + _PROGRESS_STEP] for col in text_columns]
            copy.write("".join(["\t".join(line) + "\n" for line in zip(*chunk)]))
            if progress is not None:
                progress(len(chunk[0]))
    if communes:
        fill_communes(session_or_connection, table, ids)
    if history:
        _record_import(conn, table, ids, user=user, reason=reason)
    return count


def _record_import(conn, table: str, ids: list[int], *, user, reason) -> None:
    """One history entry per copied feature, the feature built as GeoJSON in SQL.

    The ``new`` state has the shape :func:`twin.features.row_to_feature` gives.
    """
    # The properties record lists every column but the geometry, so PostgreSQL never
    # renders the geometry as hex only to drop it again.
    props = ", ".join(f't."{c.name}"' for c in model(table).__table__.columns if c.name != "geom")
    sql = f"""
        INSERT INTO audit.history (asset_id, feature_type, code, version, action,
                                   changed_by, reason, new)
        SELECT t.id, %(table)s::text, t.code, t.version, 'import', %(user)s::text, %(reason)s::text,
               jsonb_build_object(
                   'type', 'Feature', 'id', t.code,
                   'geometry', ST_AsGeoJSON(t.geom, 9)::jsonb,
                   'properties', to_jsonb(p) || jsonb_build_object('feature_type', %(table)s::text))
        FROM {_qualified(table)} t
        JOIN unnest(%(ids)s::bigint[]) AS u(id) ON u.id = t.id
        CROSS JOIN LATERAL (SELECT {props}) AS p
    """
    with conn.cursor() as cur:
        cur.execute(sql, {"table": table, "user": user, "reason": reason, "ids": ids})


def fill_communes(session_or_connection, table: str, ids: Sequence[int] | None = None) -> int:
    """Set ``commune`` of features that have none to the current commune they lie in.

    A point on the surface of each feature is joined with the communes in
    force (``valid_to IS NULL``), subdivided first so the join stays fast on
    detailed boundaries.  ``ids`` limits the update to those features;
    returns the number of features updated.
    """
    conn = raw_connection(session_or_connection)
    only = "AND t.id = ANY(%(ids)s::bigint[])" if ids is not None else ""
    with conn.cursor() as cur:
        cur.execute("""
            CREATE TEMP TABLE IF NOT EXISTS _bulk_communes ON COMMIT DROP AS
            SELECT code, ST_Subdivide(geom, 128) AS geom FROM base.base_admin_unit
            WHERE level = 'commune' AND valid_to IS NULL""")
        cur.execute(
            "CREATE INDEX IF NOT EXISTS _bulk_communes_geom ON _bulk_communes USING gist (geom)"
        )
        cur.execute("ANALYZE _bulk_communes")
        cur.execute(
            f"""
            UPDATE {_qualified(table)} t SET commune = c.code
            FROM _bulk_communes c
            WHERE t.commune IS NULL {only}
              AND ST_Intersects(c.geom, ST_PointOnSurface(t.geom))""",
            {"ids": list(ids) if ids is not None else None},
        )
        updated = cur.rowcount
        cur.execute("DROP TABLE _bulk_communes")
    return updated

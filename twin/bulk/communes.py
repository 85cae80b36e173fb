"""The commune each feature lies in, for features written in bulk.

Features that arrive without a commune get the current commune (level
``commune``, ``valid_to`` null) that holds a point on their surface, the
rule of :mod:`twin.edits`.  :func:`communes_at` does it in memory before the
rows are copied, so each row is written once; :func:`fill_communes` does it
in SQL for features already stored, an update the feature tables' triggers
version and record like any other (:func:`twin.bulk.fill_communes` names
the user).  A single write gets its commune from the trigger itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

__all__ = ["commune_index", "communes_at", "current_communes", "fill_communes"]


def current_communes(conn) -> tuple[list[str], np.ndarray]:
    """Codes and polygons (WGS 84) of the communes in force, ordered by code.

    ``conn`` is a psycopg connection; rows written earlier in its
    transaction count.
    """
    with conn.cursor() as cur:
        cur.execute(
            "SELECT code, ST_AsBinary(geom) FROM base.base_admin_unit "
            "WHERE level = 'commune' AND valid_to IS NULL ORDER BY code"
        )
        rows = cur.fetchall()
    polygons = shapely.from_wkb([bytes(wkb) for _, wkb in rows]) if rows else np.empty(0, object)
    return [code for code, _ in rows], np.asarray(polygons, dtype=object)


def communes_at(shapes: np.ndarray, codes: Sequence[str], polygons: np.ndarray) -> list:
    """The code of the commune holding a point on the surface of each shape.

    Parameters
    ----------
    shapes : numpy.ndarray
        Shapely geometries (WGS 84).
    codes, polygons
        The communes, as :func:`current_communes` returns them.  Where
        communes overlap or share the boundary a point lies on, the first
        in ``codes`` wins.

    Returns
    -------
    list
        One code per shape, ``None`` outside every commune.
    """
    if not len(shapes) or not len(codes):
        return [None] * len(shapes)
    found = commune_index(_surface_points(np.asarray(shapes, dtype=object)), polygons)
    named = np.append(np.asarray(codes, dtype=object), None)  # index -1: no commune
    return named[found].tolist()


def commune_index(xy: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """For each point (rows of ``xy``), the index of the first of ``polygons``
    holding it, -1 for none."""
    found = np.full(len(xy), -1)
    if not len(xy) or not len(polygons):
        return found
    # Points sorted by longitude: each commune tests only the strip under its box.
    order = np.argsort(xy[:, 0], kind="stable")
    xs = xy[order, 0]
    polygons = np.asarray(polygons, dtype=object)
    shapely.prepare(polygons)
    for k, (w, s, e, n) in enumerate(shapely.bounds(polygons).tolist()):
        lo, hi = np.searchsorted(xs, w, "left"), np.searchsorted(xs, e, "right")
        rows = order[lo:hi]
        y = xy[rows, 1]
        rows = rows[(y >= s) & (y <= n) & (found[rows] < 0)]
        if len(rows):
            inside = shapely.intersects_xy(polygons[k], xy[rows, 0], xy[rows, 1])
            found[rows[inside]] = k
    return found


def _surface_points(shapes: np.ndarray) -> np.ndarray:
    """Coordinates of a point on each shape's surface (the point itself for
    points), NaN for missing or empty shapes."""
    present = ~(shapely.is_missing(shapes) | shapely.is_empty(shapes))
    points = shapes[present]
    if not (shapely.get_type_id(points) == 0).all():
        points = shapely.point_on_surface(points)
    xy = np.full((len(shapes), 2), np.nan)  # no position, no commune
    xy[present] = np.column_stack([shapely.get_x(points), shapely.get_y(points)])
    return xy


def fill_communes(conn, qualified_table: str, ids: Sequence[int] | None = None) -> int:
    """Set ``commune`` of stored features that have none, in SQL; the count updated.

    A point on the surface of each feature is joined with the communes in
    force, subdivided first so the join stays fast on detailed boundaries.
    ``ids`` limits the update to those features.
    """
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
            UPDATE {qualified_table} t SET commune = c.code
            FROM _bulk_communes c
            WHERE t.commune IS NULL {only}
              AND ST_Intersects(c.geom, ST_PointOnSurface(t.geom))""",
            {"ids": list(ids) if ids is not None else None},
        )
        updated = cur.rowcount
        cur.execute("DROP TABLE _bulk_communes")
    return updated

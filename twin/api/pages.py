"""Pages of features written as GeoJSON by PostgreSQL, in one statement.

A page is read once (one row more than asked, to know whether a next page
exists); PostgreSQL turns each row into the JSON text of a GeoJSON Feature
(``json_build_object`` with ``ST_AsGeoJSON``) in the shape of
:func:`twin.features.row_to_feature`, and, only when the page is full, says
how many features match: an exact count capped at :data:`COUNT_CAP` (NULL
beyond), or for an unfiltered list the planner's estimate of the table's
rows when that is larger (``pg_class.reltuples``, kept fresh by autovacuum).
Counting never scans a whole large table.

The statement of the most common pages (a table, with or without a bbox,
now) is compiled once per table by :func:`plain_page_sql`: building and
compiling it costs about as much as PostgreSQL takes to answer it.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    Integer,
    Text,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect

from layers import feature_type, layer
from twin.config import STORAGE_SRID
from twin.declare import FeatureType
from twin.features import PERSONAL_HIDDEN, personal_names
from twin.models import model

from .schema import USER_FIELDS
from .sorting import Sort, order_by

__all__ = [
    "COUNT_CAP",
    "PAGE_PARAMETERS",
    "bbox_clause",
    "capped_count",
    "features_of",
    "page_statement",
    "plain_page_sql",
]

COUNT_CAP = 10_000
#: The bind parameters of :func:`plain_page_sql`, given per request.
PAGE_PARAMETERS = ("limit", "more", "offset", "west", "south", "east", "north")
_PG_CLASS = table("pg_class", column("oid"), column("reltuples"), schema="pg_catalog")


def bbox_clause(source, west, south, east, north):
    """Features of ``source`` meeting a lon/lat box (values or bind parameters)."""
    return func.ST_Intersects(source.c.geom, func.ST_MakeEnvelope(west, south, east, north, STORAGE_SRID))


def _property_columns(
    ft: FeatureType, page, hide_personal: bool, hide_users: bool, properties=None
) -> list:
    """The properties of a feature, in column order, personal values and user
    stamps masked if asked; only ``properties`` if given."""
    personal = personal_names(ft) if hide_personal else set()
    if hide_users:
        personal |= USER_FIELDS
    hidden = cast(literal(PERSONAL_HIDDEN), Text)
    cols = [
        case((page.c[c.name].is_not(None), hidden)).label(c.name) if c.name in personal else c
        for c in page.c
        if c.name != "geom" and (properties is None or c.name in properties)
    ]
    if properties is None or "feature_type" in properties:
        cols.append(cast(literal(ft.table), Text).label("feature_type"))
    return cols


def features_of(
    ft: FeatureType,
    page,
    hide_personal: bool,
    *extra,
    hide_users: bool = False,
    sort: Sort = (),
    properties: tuple[str, ...] | None = None,
    skip_geometry: bool = False,
):
    """A SELECT of one GeoJSON Feature (JSON text) per row of ``page``, in ``sort`` order.

    The properties are the row's columns without the geometry, plus
    ``feature_type``; the same shape as :func:`twin.features.row_to_feature`.
    ``properties`` keeps only those named; ``skip_geometry`` writes a null geometry.
    """
    columns = _property_columns(ft, page, hide_personal, hide_users, properties)
    props = select(*columns).correlate(page).lateral("p")
    geometry = (
        literal_column("NULL::json")
        if skip_geometry
        else cast(func.ST_AsGeoJSON(page.c.geom, 9), JSON)
    )
    feature = func.json_build_object(
        literal_column("'type'"),
        literal_column("'Feature'"),
        literal_column("'id'"),
        page.c.code,
        literal_column("'geometry'"),
        geometry,
        literal_column("'properties'"),
        literal_column(props.name),
    )
    return (
        select(cast(feature, Text).label("feature"), *extra)
        .select_from(page.join(props, true()))
        .order_by(*order_by(page.c, sort))
    )


def capped_count(source, where):
    """The number of matches, counting no further than :data:`COUNT_CAP` (NULL beyond)."""
    capped = select(literal(1)).select_from(source).where(*where).limit(COUNT_CAP + 1)
    n = select(func.count()).select_from(capped.subquery()).scalar_subquery()
    return func.nullif(n, COUNT_CAP + 1)


def _matched_when_full(ft: FeatureType, source, where, page, limit, *, estimate: bool):
    matched = capped_count(source, where)
    if estimate:
        name = f"{layer(ft.layer).schema}.{ft.table}"
        rows = (
            select(cast(_PG_CLASS.c.reltuples, BigInteger))
            .where(_PG_CLASS.c.oid == func.to_regclass(name))
            .scalar_subquery()
        )
        matched = case((rows > COUNT_CAP, rows), else_=matched)
    in_page = select(func.count()).select_from(page).scalar_subquery()
    return case((in_page > limit, matched)).label("matched")


def page_statement(
    ft: FeatureType,
    source,
    where,
    *,
    limit,
    more,
    offset,
    estimate: bool,
    hide_personal: bool,
    hide_users: bool = False,
    sort: Sort = (),
    after=None,
    properties: tuple[str, ...] | None = None,
    skip_geometry: bool = False,
):
    """Rows ``(feature, matched, key_0.., key_id)`` of one page.

    ``matched`` is NULL unless the page is full; the ``key_*`` columns are
    the sort values and id of each row (the last one makes the next cursor).
    ``limit``, ``more`` (``limit + 1``) and ``offset`` are values or bind
    parameters; ``after`` is the keyset clause of a cursor (not counted in
    ``matched``); ``estimate`` allows the planner's row count (unfiltered lists).
    """
    starts = [] if after is None else [after]
    page = select(*source.c).where(*where, *starts).order_by(*order_by(source.c, sort))
    page = page.offset(offset).limit(more).cte("page")
    matched = _matched_when_full(ft, source, where, page, limit, estimate=estimate)
    keys = [page.c[name].label(f"key_{i}") for i, (name, _) in enumerate(sort)]
    return features_of(
        ft,
        page,
        hide_personal,
        matched,
        *keys,
        page.c.id.label("key_id"),
        hide_users=hide_users,
        sort=sort,
        properties=properties,
        skip_geometry=skip_geometry,
    )


@lru_cache(maxsize=512)
def plain_page_sql(
    table_name: str, hide_personal: bool, with_bbox: bool, hide_users: bool = False
) -> tuple[str, dict]:
    """The SQL text (psycopg placeholders, :data:`PAGE_PARAMETERS`) of a page of a table now.

    Returns the text and its fixed parameters; ``with_bbox`` adds the
    ``west``/``south``/``east``/``north`` box.
    """
    ft = feature_type(table_name)
    source = model(table_name).__table__
    box = [bindparam(n, type_=Float) for n in ("west", "south", "east", "north")]
    stmt = page_statement(
        ft,
        source,
        [bbox_clause(source, *box)] if with_bbox else [],
        limit=bindparam("limit", type_=Integer),
        more=bindparam("more", type_=Integer),
        offset=bindparam("offset", type_=Integer),
        estimate=not with_bbox,
        hide_personal=hide_personal,
        hide_users=hide_users,
    )
    compiled = stmt.compile(dialect=psycopg_dialect())
    fixed = {k: v for k, v in compiled.params.items() if k not in PAGE_PARAMETERS}
    return str(compiled), fixed

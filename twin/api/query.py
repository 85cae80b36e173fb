"""Listing and reading features: the ``/items`` logic of OGC API – Features, no web framework.

:func:`parse_items_query` (:mod:`twin.api.parameters`) reads the query
parameters, :func:`items_page` answers with a page of features and its paging links
(:func:`query_items` with the same as a GeoJSON dict), :func:`read_item`
with one feature.

PostgreSQL writes the GeoJSON of each feature and says how many match, in
one statement (:mod:`twin.api.pages`); the page is sent as that text:
Python never builds a dict per feature unless the output CRS is not CRS84
(pyproj reprojects it) or HTML is asked for.  ``numberMatched`` is given
only when it is cheap: a page that is not full knows it without counting.
The ``next`` link carries a keyset cursor (:mod:`twin.api.sorting`).

``datetime`` is time travel: one instant, answered from the history
(:mod:`twin.api.timetravel`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from twin.declare import FeatureType, normal_code
from twin.errors import NotFound
from twin.models import model

from .crs import STORAGE, ApiCrs, from_storage
from .errors import bad_parameter
from .filters import attribute_filters, compile_filter
from .pages import COUNT_CAP, bbox_clause, capped_count, features_of, page_statement, plain_page_sql
from .parameters import DEFAULT_LIMIT, MAX_LIMIT, ItemsQuery, parse_datetime, parse_items_query
from .schema import queryable_types
from .sorting import after_clause, encode_cursor
from .timetravel import state_at

__all__ = [
    "COUNT_CAP",
    "DEFAULT_LIMIT",
    "ItemsPage",
    "ItemsQuery",
    "MAX_LIMIT",
    "items_page",
    "parse_datetime",
    "parse_items_query",
    "query_items",
    "read_item",
    "source_of",
]


def source_of(ft: FeatureType, when: datetime | None):
    """The table of ``ft`` now, or its rebuilt state at ``when``."""
    return model(ft.table).__table__ if when is None else state_at(ft.table, when)


def _where(ft: FeatureType, source, q: ItemsQuery, personal: bool, users: bool = True) -> list:
    types = queryable_types(ft, personal=personal, users=users)
    clauses = attribute_filters(q.attributes, source, types)
    if q.tree is not None:
        clauses.append(compile_filter(q.tree, source, types, filter_crs=q.filter_crs))
    if q.bbox is not None:
        clauses.append(bbox_clause(source, *q.bbox))
    return clauses


def _in_crs(features: list[str], crs: ApiCrs) -> list[str]:
    if crs.is_storage:
        return features
    out = []
    for text_ in features:
        feature = json.loads(text_)
        feature["geometry"] = from_storage(feature["geometry"], crs)
        out.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return out


def _link(href: str, rel: str, type_: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def _page_links(
    url: str, params: Mapping[str, str], q: ItemsQuery, next_cursor: str | None
) -> list[dict]:
    def page(**where) -> str:
        args = {k: v for k, v in params.items() if k not in ("offset", "cursor", "f")}
        args.update(where, limit=q.limit)
        return f"{url}?{urlencode(args)}"

    geo = "application/geo+json"
    here = {"cursor": params["cursor"]} if params.get("cursor") else {"offset": q.offset}
    links = [
        _link(page(**here) + "&f=json", "self", geo, "This page"),
        _link(page(**here) + "&f=html", "alternate", "text/html", "This page as HTML"),
    ]
    if next_cursor is not None:
        links.append(_link(page(cursor=next_cursor), "next", geo, "Next page"))
    if q.offset > 0 and q.cursor is None:
        links.append(_link(page(offset=max(q.offset - q.limit, 0)), "prev", geo, "Previous page"))
    return links


def _run(session, stmt, params: dict | None = None):
    """Rows of a statement (or of SQL text with ``params``); bad values are a 400."""
    try:
        if params is None:
            return session.execute(stmt).all()
        conn = session.connection() if isinstance(session, Session) else session
        return conn.exec_driver_sql(stmt, params).all()
    except DataError as exc:  # a value PostgreSQL could not take, e.g. out of range
        first = str(exc.orig).splitlines()[0]
        raise bad_parameter("filter", "value", first) from exc


def _page_rows(session, ft: FeatureType, q: ItemsQuery, hide_personal: bool, hide_users: bool):
    """Rows ``(feature, matched)`` of the page ``q`` asks for."""
    limits = {"limit": q.limit, "more": q.limit + 1, "offset": q.offset}
    if q.plain:
        sql, fixed = plain_page_sql(ft.table, hide_personal, q.bbox is not None, hide_users)
        box = dict(zip(("west", "south", "east", "north"), q.bbox or (), strict=False))
        return _run(session, sql, {**fixed, **limits, **box})
    source = source_of(ft, q.when)
    where = _where(ft, source, q, not hide_personal, not hide_users)
    stmt = page_statement(
        ft,
        source,
        where,
        estimate=not q.filtered and q.when is None,
        hide_personal=hide_personal,
        hide_users=hide_users,
        sort=q.sort,
        after=None if q.cursor is None else after_clause(source.c, q.sort, q.cursor),
        properties=q.properties,
        skip_geometry=q.skip_geometry,
        **limits,
    )
    return _run(session, stmt)


def _next_cursor(last, q: ItemsQuery) -> str:
    """The cursor of the page after the one ending with the row ``last``."""
    keys = [getattr(last, f"key_{i}") for i in range(len(q.sort))]
    return encode_cursor([*keys, last.key_id])


@dataclass(frozen=True)
class ItemsPage:
    """One page of ``/items``: its features as GeoJSON text, and what is said about them."""

    features: list[str]
    matched: int | None
    links: list[dict]
    time_stamp: str

    def _tail(self) -> dict:
        tail = {"numberReturned": len(self.features)}
        if self.matched is not None:
            tail["numberMatched"] = self.matched
        return {**tail, "timeStamp": self.time_stamp, "links": self.links}

    def to_json(self) -> str:
        """The FeatureCollection as JSON text, the features spliced in as PostgreSQL wrote them."""
        tail = json.dumps(self._tail(), ensure_ascii=False, separators=(",", ":"))
        features = ",".join(self.features)
        return f'{{"type":"FeatureCollection","features":[{features}],{tail[1:]}'

    def to_dict(self) -> dict:
        features = [json.loads(f) for f in self.features]
        return {"type": "FeatureCollection", "features": features, **self._tail()}


def items_page(
    session,
    ft: FeatureType,
    q: ItemsQuery,
    *,
    url: str,
    params: Mapping[str, str],
    hide_personal: bool,
    hide_users: bool = False,
) -> ItemsPage:
    """One page of features with its ``next``/``prev`` links, in one statement.

    ``session`` is a :class:`~sqlalchemy.orm.Session` or a
    :class:`~sqlalchemy.engine.Connection`.  The page (one row more than
    ``limit``, to know whether a next page exists) is read once; PostgreSQL
    turns each row into GeoJSON and, only when the page is full, counts the
    matches.  A page that is not full says how many matched without counting.
    """
    rows = _page_rows(session, ft, q, hide_personal, hide_users)
    more = len(rows) > q.limit
    if more:
        number = rows[0].matched
    elif (rows or q.offset == 0) and q.cursor is None:
        number = q.offset + len(rows)
    else:  # the last page of a cursor, or past the last page: count (capped)
        source = source_of(ft, q.when)
        number = _run(session, select(capped_count(source, _where(ft, source, q, True))))[0][0]
    return ItemsPage(
        features=_in_crs([r.feature for r in rows[: q.limit]], q.crs),
        matched=number,
        links=_page_links(url, params, q, _next_cursor(rows[q.limit - 1], q) if more else None),
        time_stamp=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def query_items(session, ft: FeatureType, q: ItemsQuery, **options) -> dict:
    """One page of features as a GeoJSON FeatureCollection dict (see :func:`items_page`)."""
    return items_page(session, ft, q, **options).to_dict()


def read_item(
    session,
    ft: FeatureType,
    code: str,
    *,
    when: datetime | None = None,
    crs: ApiCrs = STORAGE,
    hide_personal: bool = False,
    hide_users: bool = False,
) -> dict:
    """The feature ``code`` (in any case) now or at ``when``; :class:`NotFound` if it did not
    exist then."""
    source = source_of(ft, when)
    page = select(*source.c).where(source.c.code == normal_code(code)).limit(1).cte("page")
    rows = _run(session, features_of(ft, page, hide_personal, hide_users=hide_users))
    if not rows:
        moment = f" at {when.isoformat()}" if when else ""
        raise NotFound(f"{ft.table}: no feature with code {code!r}{moment}")
    return json.loads(_in_crs([rows[0].feature], crs)[0])

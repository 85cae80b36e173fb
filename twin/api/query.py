"""Listing and reading features: the ``/items`` logic of OGC API – Features, no web framework.

:func:`parse_items_query` reads the query parameters (``limit``, ``offset``,
``bbox``/``bbox-crs``, ``datetime``, ``crs``, ``filter``, ``?name=value``),
:func:`query_items` answers with a GeoJSON FeatureCollection and its paging
links, :func:`read_item` with one feature.

``datetime`` is time travel: one instant, answered from the history
(:mod:`twin.api.timetravel`).  ``numberMatched`` is given only when it is
cheap: for an unfiltered list on a large table, PostgreSQL's own estimate of
the row count (``pg_class.reltuples``, kept fresh by autovacuum); otherwise
an exact count capped at :data:`COUNT_CAP` rows, omitted beyond.  Counting
never scans a whole large table on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode

from sqlalchemy import func, literal, select, text
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from layers import layer
from twin.declare import FeatureType
from twin.errors import NotFound
from twin.features import row_to_feature
from twin.models import model

from . import cql2
from .crs import STORAGE, ApiCrs, api_crs, bbox_to_storage, from_storage
from .errors import bad_parameter
from .filters import attribute_filters, compile_filter
from .schema import queryable_types
from .timetravel import state_at

__all__ = [
    "COUNT_CAP",
    "DEFAULT_LIMIT",
    "ItemsQuery",
    "MAX_LIMIT",
    "parse_datetime",
    "parse_items_query",
    "query_items",
    "read_item",
    "source_of",
]

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
COUNT_CAP = 10_000
ITEMS_PARAMETERS = frozenset(
    {
        "f",
        "limit",
        "offset",
        "bbox",
        "bbox-crs",
        "datetime",
        "crs",
        "filter",
        "filter-lang",
        "filter-crs",
    }
)


@dataclass(frozen=True)
class ItemsQuery:
    """What a client asked of ``/items``, checked and in storage coordinates."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    when: datetime | None = None
    tree: tuple | None = None
    filter_crs: ApiCrs = STORAGE
    attributes: dict = field(default_factory=dict)
    crs: ApiCrs = STORAGE

    @property
    def filtered(self) -> bool:
        return bool(self.bbox or self.tree or self.attributes)


def _integer(params: Mapping[str, str], name: str, default: int, low: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_parameter(name, "type", f"{raw!r} is not a whole number") from None
    if value < low:
        raise bad_parameter(name, "minimum", f"{value} is below {low}")
    return value


def parse_datetime(raw: str | None) -> datetime | None:
    """One instant (RFC 3339, or a date meaning the end of that day, UTC)."""
    if raw is None or raw == "":
        return None
    if "/" in raw:
        raise bad_parameter(
            "datetime",
            "instant",
            "time travel takes one instant (e.g. 2025-07-01T08:00:00Z), not an interval",
        )
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time.max, tzinfo=UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise bad_parameter(
            "datetime", "rfc3339", f"{raw!r} is not an RFC 3339 date-time"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _bbox(params: Mapping[str, str]):
    raw = params.get("bbox")
    if raw is None or raw == "":
        return None
    try:
        numbers = tuple(float(v) for v in raw.split(","))
    except ValueError:
        raise bad_parameter(
            "bbox", "numbers", f"{raw!r}: four or six numbers separated by commas"
        ) from None
    if len(numbers) not in (4, 6) or not all(abs(v) < 1e12 for v in numbers):
        raise bad_parameter("bbox", "numbers", f"{raw!r}: four or six finite numbers")
    west, south, east, north = bbox_to_storage(
        numbers, api_crs(params.get("bbox-crs"), parameter="bbox-crs")
    )
    if west > east or south > north:
        raise bad_parameter("bbox", "order", "give the lower corner first (west,south,east,north)")
    return (west, south, east, north)


def parse_items_query(
    ft: FeatureType, params: Mapping[str, str], *, personal: bool = False
) -> ItemsQuery:
    """Check every parameter; unknown names are a 400 naming them."""
    types = queryable_types(ft, personal=personal)
    unknown = [k for k in params if k not in ITEMS_PARAMETERS and k not in types]
    if unknown:
        raise bad_parameter(
            unknown[0],
            "known_parameter",
            f"unknown parameter; filter on one of {', '.join(sorted(types))}",
        )
    lang = params.get("filter-lang") or "cql2-text"
    if lang != "cql2-text":
        raise bad_parameter("filter-lang", "supported", f"{lang!r}: only cql2-text is supported")
    raw_filter = params.get("filter")
    return ItemsQuery(
        limit=min(_integer(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT),
        offset=_integer(params, "offset", 0, 0),
        bbox=_bbox(params),
        when=parse_datetime(params.get("datetime")),
        tree=cql2.parse(raw_filter) if raw_filter else None,
        filter_crs=api_crs(params.get("filter-crs"), parameter="filter-crs"),
        attributes={k: v for k, v in params.items() if k in types},
        crs=api_crs(params.get("crs")),
    )


def source_of(ft: FeatureType, when: datetime | None):
    """The table of ``ft`` now, or its rebuilt state at ``when``."""
    return model(ft.table).__table__ if when is None else state_at(ft.table, when)


def _where(ft: FeatureType, source, q: ItemsQuery, personal: bool) -> list:
    types = queryable_types(ft, personal=personal)
    clauses = attribute_filters(q.attributes, source, types)
    if q.tree is not None:
        clauses.append(compile_filter(q.tree, source, types, filter_crs=q.filter_crs))
    if q.bbox is not None:
        clauses.append(func.ST_Intersects(source.c.geom, func.ST_MakeEnvelope(*q.bbox, 4326)))
    return clauses


def _select_features(source):
    cols = [c for c in source.c if c.name != "geom"]
    return select(*cols, func.ST_AsGeoJSON(source.c.geom, 9).label("geojson"))


def _estimated_rows(session: Session, ft: FeatureType) -> float:
    name = f"{layer(ft.layer).schema}.{ft.table}"
    value = session.execute(
        text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:n)"), {"n": name}
    ).scalar()
    return float(value or -1)


def _number_matched(session: Session, ft: FeatureType, source, where, q: ItemsQuery):
    if not q.filtered and q.when is None:
        estimate = _estimated_rows(session, ft)
        if estimate > COUNT_CAP:
            return int(estimate)
    capped = select(literal(1)).select_from(source).where(*where).limit(COUNT_CAP + 1)
    n = session.execute(select(func.count()).select_from(capped.subquery())).scalar_one()
    return n if n <= COUNT_CAP else None


def _features(ft: FeatureType, rows, q: ItemsQuery, hide_personal: bool) -> list[dict]:
    features = [row_to_feature(ft.table, r, hide_personal=hide_personal) for r in rows]
    if not q.crs.is_storage:
        for f in features:
            f["geometry"] = from_storage(f["geometry"], q.crs)
    return features


def _link(href: str, rel: str, type_: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def _page_links(url: str, params: Mapping[str, str], q: ItemsQuery, more: bool) -> list[dict]:
    def page(offset: int) -> str:
        args = {k: v for k, v in params.items() if k not in ("offset", "f")}
        args.update(offset=offset, limit=q.limit)
        return f"{url}?{urlencode(args)}"

    geo = "application/geo+json"
    links = [
        _link(page(q.offset) + "&f=json", "self", geo, "This page"),
        _link(page(q.offset) + "&f=html", "alternate", "text/html", "This page as HTML"),
    ]
    if more:
        links.append(_link(page(q.offset + q.limit), "next", geo, "Next page"))
    if q.offset > 0:
        links.append(_link(page(max(q.offset - q.limit, 0)), "prev", geo, "Previous page"))
    return links


def _run(session: Session, stmt):
    try:
        return session.execute(stmt).all()
    except DataError as exc:  # a value PostgreSQL could not take, e.g. out of range
        first = str(exc.orig).splitlines()[0]
        raise bad_parameter("filter", "value", first) from exc


def query_items(
    session: Session,
    ft: FeatureType,
    q: ItemsQuery,
    *,
    url: str,
    params: Mapping[str, str],
    hide_personal: bool,
) -> dict:
    """One page of features as a GeoJSON FeatureCollection with ``next``/``prev`` links."""
    source = source_of(ft, q.when)
    where = _where(ft, source, q, not hide_personal)
    stmt = (
        _select_features(source)
        .where(*where)
        .order_by(source.c.id)
        .offset(q.offset)
        .limit(q.limit + 1)
    )
    rows = _run(session, stmt)
    more = len(rows) > q.limit
    features = _features(ft, rows[: q.limit], q, hide_personal)
    body = {"type": "FeatureCollection", "features": features, "numberReturned": len(features)}
    matched = _number_matched(session, ft, source, where, q)
    if matched is not None:
        body["numberMatched"] = matched
    body["timeStamp"] = datetime.now(UTC).isoformat(timespec="seconds")
    body["links"] = _page_links(url, params, q, more)
    return body


def read_item(
    session: Session,
    ft: FeatureType,
    code: str,
    *,
    when: datetime | None = None,
    crs: ApiCrs = STORAGE,
    hide_personal: bool = False,
) -> dict:
    """The feature ``code`` now or at ``when``; :class:`NotFound` if it did not exist then."""
    source = source_of(ft, when)
    rows = _run(session, _select_features(source).where(source.c.code == code).limit(1))
    if not rows:
        moment = f" at {when.isoformat()}" if when else ""
        raise NotFound(f"{ft.table}: no feature with code {code!r}{moment}")
    q = ItemsQuery(crs=crs)
    return _features(ft, rows, q, hide_personal)[0]

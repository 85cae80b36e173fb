"""``/items`` of the record collections (inspections, work orders): pages, filters, photos.

The parameters are those of a layer's ``/items`` that make sense for a
record kept as it was made: ``limit``/``offset`` paging with ``next`` and
``prev`` links, ``bbox``, CQL2 ``filter`` (compiled by
:mod:`twin.api.filters`, so a filter reads the same on a layer and on a
form), ``?name=value`` on the queryables, and ``datetime``: an instant or
an interval (``a/b``, ``..`` for an open end) that the time the record
covers must meet — when an inspection was made, when a work order is
planned.  Records are newest first unless ``sortby`` names queryables
(:func:`twin.api.sorting.parse_sortby`: the time, the asset code, any
declared answer); newest first then breaks ties, so paging stays exact.

A record's photos are links to the files, given only to readers who may
see photos (never anonymous ones); the people it names are masked for
readers who may not see them (:func:`twin.features.masked`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import Date, func, select
from sqlalchemy.orm import Session

from twin import photos
from twin.errors import NotFound
from twin.features import masked

from . import cql2
from .crs import STORAGE, ApiCrs, api_crs
from .errors import bad_parameter
from .filters import attribute_filters, compile_filter
from .pages import bbox_clause
from .parameters import DEFAULT_LIMIT, MAX_LIMIT, _bbox, _integer
from .query import _run
from .record_collections import RecordCollection
from .sorting import Sort, parse_sortby

__all__ = ["RecordsQuery", "parse_records_query", "read_record", "records_page"]

#: ``lang`` is the language of the HTML page (as on every page of the twin).
_PARAMETERS = frozenset({"limit", "offset", "bbox", "bbox-crs", "datetime", "filter",
                         "filter-lang", "filter-crs", "sortby", "f", "lang"})
_LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_MAX_ID = 2**63 - 1  # a bigint


@dataclass(frozen=True)
class RecordsQuery:
    """What a client asked of a record collection's ``/items``, checked."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    period: tuple[datetime | None, datetime | None] | None = None
    tree: tuple | None = None
    filter_crs: ApiCrs = STORAGE
    attributes: dict = field(default_factory=dict)
    sort: Sort = ()


def _moment(raw: str, *, end: bool) -> datetime | None:
    if raw in ("", ".."):
        return None
    try:
        if len(raw) == 10:
            return datetime.combine(date.fromisoformat(raw), time.max if end else time.min,
                                    tzinfo=UTC)
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise bad_parameter("datetime", "rfc3339",
                            f"{raw!r} is not an RFC 3339 date-time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _period(raw: str | None):
    """``datetime`` as (start, end): one instant is both; ``..`` leaves an end open."""
    if not raw:
        return None
    first, sep, last = raw.partition("/")
    if not sep:
        return _moment(first, end=False), _moment(first, end=True)
    start, stop = _moment(first, end=False), _moment(last, end=True)
    if start and stop and start > stop:
        raise bad_parameter("datetime", "order", "the interval ends before it starts")
    return start, stop


def parse_records_query(rc: RecordCollection, params: Mapping[str, str], *,
                        anonymous: bool) -> RecordsQuery:
    """Check every parameter; unknown names are a 400 naming them."""
    types = rc.queryable_types(anonymous=anonymous)
    unknown = [k for k in params if k not in _PARAMETERS and k not in types]
    if unknown:
        raise bad_parameter(unknown[0], "known_parameter",
                            f"unknown parameter; filter on one of {', '.join(sorted(types))}")
    raw_filter = params.get("filter")
    return RecordsQuery(
        limit=min(_integer(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT),
        offset=_integer(params, "offset", 0, 0),
        bbox=_bbox(params),
        period=_period(params.get("datetime")),
        tree=cql2.parse_filter(raw_filter, params.get("filter-lang")) if raw_filter else None,
        filter_crs=api_crs(params.get("filter-crs"), parameter="filter-crs"),
        attributes={k: v for k, v in params.items() if k in types},
        sort=parse_sortby(params.get("sortby"), types),
    )


def _bound(column, moment: datetime):
    """``moment`` as the column takes it: a date column compares with Vietnam's date."""
    return moment.astimezone(_LOCAL).date() if isinstance(column.type, Date) else moment


def _where(rc: RecordCollection, q: RecordsQuery, types: dict[str, str]) -> list:
    source = rc.table
    clauses = attribute_filters(q.attributes, source, types)
    if q.tree is not None:
        clauses.append(compile_filter(q.tree, source, types, filter_crs=q.filter_crs))
    if q.bbox is not None:
        clauses.append(bbox_clause(source, *q.bbox))
    if q.period is not None:
        start, stop = q.period
        first, last = (source.c[name] for name in rc.period)
        if stop is not None:
            clauses.append(first <= _bound(first, stop))
        if start is not None:
            clauses.append(func.coalesce(last, first) >= _bound(first, start))
    return clauses


def _select(rc: RecordCollection):
    columns = [rc.table.c[name] for name in (*rc.types, *rc.shown)]
    return select(*columns, func.ST_AsGeoJSON(rc.table.c.geom, 7).label("geojson"))


def _photo_links(rc: RecordCollection, ids: list, base: str, session) -> dict[int, list]:
    subjects = {f"{rc.id}/{i}": i for i in ids}
    found = photos.photo_ids_of(session, rc.photo_kind, subjects)
    return {subjects[s]: [link for photo_id, content_type in shots for link in (
        {"href": f"{base}/photos/{photo_id}", "rel": "enclosure", "type": content_type,
         "title": f"Photo {photo_id}"},
        {"href": f"{base}/photos/{photo_id}/thumbnail.jpg", "rel": "preview",
         "type": "image/jpeg", "title": f"Thumbnail of photo {photo_id}"})]
        for s, shots in found.items()}


def _features(session, rc: RecordCollection, rows, *, base: str, anonymous: bool) -> list:
    links = {} if anonymous or rc.photo_kind is None else _photo_links(
        rc, [r.id for r in rows], base, session)
    out = []
    for row in rows:
        data = dict(row._mapping)
        geometry = json.loads(data.pop("geojson")) if data.get("geojson") else None
        props = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
        feature = {"type": "Feature", "id": row.id, "geometry": geometry, "properties": props}
        feature = masked(feature, set(rc.people)) if anonymous else feature
        if links.get(row.id):
            feature["links"] = links[row.id]
        out.append(feature)
    return out


def _page_links(url: str, params: Mapping[str, str], q: RecordsQuery, more: bool) -> list:
    def page(offset: int) -> str:
        args = {k: v for k, v in params.items() if k not in ("offset", "f")}
        return f"{url}?{urlencode({**args, 'limit': q.limit, 'offset': offset})}"

    geo = "application/geo+json"
    links = [{"href": page(q.offset), "rel": "self", "type": geo, "title": "This page"}]
    if more:
        links.append({"href": page(q.offset + q.limit), "rel": "next", "type": geo,
                      "title": "Next page"})
    if q.offset > 0:
        links.append({"href": page(max(q.offset - q.limit, 0)), "rel": "prev", "type": geo,
                      "title": "Previous page"})
    return links


def records_page(session: Session, rc: RecordCollection, q: RecordsQuery, *, base: str,
                 params: Mapping[str, str], anonymous: bool) -> dict:
    """One page of records, in ``sortby`` order then newest first, as a GeoJSON FeatureCollection with its links."""
    types = rc.queryable_types(anonymous=anonymous)
    where = _where(rc, q, types)
    order = [(rc.table.c[name].desc() if descending else rc.table.c[name].asc()).nulls_last()
             for name, descending in q.sort]
    order += [rc.table.c[name].desc() for name in rc.newest_first]
    rows = _run(session, _select(rc).where(*where).order_by(*order)
                .limit(q.limit).offset(q.offset))
    matched = _run(session, select(func.count()).select_from(rc.table).where(*where))[0][0]
    url = f"{base}/collections/{rc.id}/items"
    return {"type": "FeatureCollection",
            "features": _features(session, rc, rows, base=base, anonymous=anonymous),
            "numberMatched": matched, "numberReturned": len(rows),
            "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "links": _page_links(url, params, q, q.offset + len(rows) < matched)}


def read_record(session: Session, rc: RecordCollection, record_id: str, *, base: str,
                anonymous: bool) -> dict:
    """One record by its id; :class:`NotFound` names the collection."""
    if not record_id.isdigit() or int(record_id) > _MAX_ID:
        raise NotFound(f"{rc.id}: no record {record_id!r}")
    rows = _run(session, _select(rc).where(rc.table.c.id == int(record_id)))
    if not rows:
        raise NotFound(f"{rc.id}: no record {record_id!r}")
    return _features(session, rc, rows, base=base, anonymous=anonymous)[0]

"""The query parameters of ``/items``, defined once: their OpenAPI description and their parsing.

:data:`ITEM_PARAMETERS` is what the OpenAPI document says of each parameter
(:mod:`twin.api.openapi` takes it as it is); :func:`parse_items_query` reads
the same names, and no other, into an :class:`ItemsQuery`.  Parameters named
like a queryable (``?status=in_service``) are filters besides these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from twin.declare import FeatureType

from . import cql2
from .crs import CRS84, STORAGE, ApiCrs, api_crs, bbox_to_storage, supported_crs
from .errors import bad_parameter
from .filters import typed_value
from .schema import queryable_types
from .sorting import Sort, decode_cursor, parse_sortby

__all__ = [
    "DEFAULT_LIMIT",
    "ITEM_PARAMETERS",
    "ItemsQuery",
    "MAX_LIMIT",
    "param",
    "parse_datetime",
    "parse_items_query",
]

DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000


def param(
    name: str, where: str, schema: dict, description: str, *, required: bool = False, **extra
) -> dict:
    """An OpenAPI parameter object."""
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema,
        **extra,
    }


def _item_parameters() -> dict[str, dict]:
    crs = {"type": "string", "format": "uri", "enum": supported_crs(), "default": CRS84}
    names = {"type": "array", "items": {"type": "string"}}
    limit = {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}
    box = {
        "type": "array",
        "minItems": 4,
        "maxItems": 4,
        "items": {"type": "number", "minimum": -1e7, "maximum": 1e7},
    }
    listed = {"style": "form", "explode": False}
    found = (
        param("limit", "query", limit, "Features per page (larger values are lowered)."),
        param(
            "offset",
            "query",
            {"type": "integer", "minimum": 0, "default": 0},
            "Features to skip; deep pages are cheaper through the 'next' link's cursor.",
        ),
        param(
            "cursor",
            "query",
            {"type": "string", "maxLength": 2000},
            "Where the page starts: the token of a 'next' link (keyset paging).",
        ),
        param("bbox", "query", box, "west,south,east,north in bbox-crs.", **listed),
        param("bbox-crs", "query", crs, "CRS of bbox (Part 2)."),
        param("crs", "query", crs, "CRS of the returned geometries (Part 2)."),
        param(
            "datetime",
            "query",
            {"type": "string", "format": "date-time"},
            "Time travel: the features as they stood at this instant "
            "(RFC 3339, or a date meaning the end of that day, UTC).",
        ),
    )
    return {p["name"]: p for p in found + _selection_parameters(crs, names, listed)}


def _selection_parameters(crs: dict, names: dict, listed: dict) -> tuple[dict, ...]:
    """The parameters that choose which features and properties come back."""
    return (
        param(
            "filter",
            "query",
            {"type": "string", "maxLength": 10000},
            "CQL2 filter in filter-lang, e.g. status = 'in_service' AND diameter_mm >= 200.",
        ),
        param(
            "filter-lang",
            "query",
            {"type": "string", "enum": list(cql2.LANGUAGES), "default": "cql2-text"},
            "Filter language: CQL2 text or CQL2 JSON.",
        ),
        param("filter-crs", "query", crs, "CRS of geometries in the filter."),
        param(
            "sortby",
            "query",
            names,
            "Queryables to sort on, '-' before a name for descending (e.g. -diameter_mm,code).",
            **listed,
        ),
        param(
            "properties",
            "query",
            names,
            "The properties to return (default: all).",
            **listed,
        ),
        param(
            "skipGeometry",
            "query",
            {"type": "boolean", "default": False},
            "Return features without their geometry.",
        ),
        param(
            "f",
            "query",
            {"type": "string", "enum": ["json", "html"]},
            "Response format (otherwise from the Accept header).",
        ),
    )


#: OpenAPI parameter objects of ``/items``, by name.
ITEM_PARAMETERS = _item_parameters()


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
    sort: Sort = ()
    cursor: list | None = None
    properties: tuple[str, ...] | None = None
    skip_geometry: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.bbox or self.tree or self.attributes)

    @property
    def plain(self) -> bool:
        """Only a page of the table now, perhaps in a box: the precompiled statement."""
        return not (
            self.tree
            or self.attributes
            or self.when
            or self.sort
            or self.cursor
            or self.properties is not None
            or self.skip_geometry
        )


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


def _properties(raw: str | None, types: dict[str, str]) -> tuple[str, ...] | None:
    if raw is None:
        return None
    known = {*types, "extra", "feature_type"}
    names = tuple(n.strip() for n in raw.split(",") if n.strip())
    for name in names:
        if name not in known:
            raise bad_parameter(
                "properties",
                "known",
                f"no property {name!r}; choose among {', '.join(sorted(known))}",
            )
    return names


def _boolean(params: Mapping[str, str], name: str) -> bool:
    raw = (params.get(name) or "false").lower()
    if raw not in ("true", "false"):
        raise bad_parameter(name, "boolean", f"{raw!r}: true or false")
    return raw == "true"


def _cursor(raw: str | None, sort: Sort, types: dict[str, str]) -> list | None:
    if not raw:
        return None
    kinds = {**types, "id": "bigint"}

    def convert(name: str, value):
        return typed_value(value, kinds[name], name, parameter="cursor")

    return decode_cursor(raw, sort, convert)


def parse_items_query(
    ft: FeatureType, params: Mapping[str, str], *, personal: bool = False, users: bool = True
) -> ItemsQuery:
    """Check every parameter; unknown names are a 400 naming them."""
    types = queryable_types(ft, personal=personal, users=users)
    unknown = [k for k in params if k not in ITEM_PARAMETERS and k not in types]
    if unknown:
        raise bad_parameter(
            unknown[0],
            "known_parameter",
            f"unknown parameter; filter on one of {', '.join(sorted(types))}",
        )
    raw_filter, lang = params.get("filter"), params.get("filter-lang")
    if lang and lang not in cql2.LANGUAGES:
        raise bad_parameter(
            "filter-lang", "supported", f"{lang!r}: use {' or '.join(cql2.LANGUAGES)}"
        )
    sort = parse_sortby(params.get("sortby"), types)
    return ItemsQuery(
        limit=min(_integer(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT),
        offset=_integer(params, "offset", 0, 0),
        bbox=_bbox(params),
        when=parse_datetime(params.get("datetime")),
        tree=cql2.parse_filter(raw_filter, lang) if raw_filter else None,
        filter_crs=api_crs(params.get("filter-crs"), parameter="filter-crs"),
        attributes={k: v for k, v in params.items() if k in types and k not in ITEM_PARAMETERS},
        crs=api_crs(params.get("crs")),
        sort=sort,
        cursor=_cursor(params.get("cursor"), sort, types),
        properties=_properties(params.get("properties"), types),
        skip_geometry=_boolean(params, "skipGeometry"),
    )

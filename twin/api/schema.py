"""JSON schemas of collections, derived from the layer declarations (never written twice).

The same schemas feed the queryables of each collection, the OpenAPI
document and the parsing of filters, so what the API accepts and what it
documents cannot drift apart.
"""

from __future__ import annotations

from twin.declare import ASSET_STATUSES, Attribute, FeatureType
from twin.validation import CORE_FIELDS

__all__ = [
    "GEOMETRY_SCHEMAS",
    "INT32_MAX",
    "feature_schema",
    "property_schema",
    "USER_FIELDS",
    "queryable_types",
    "system_types",
]

INT32_MAX = 2_147_483_647

_JSON_TYPES = {
    "text": {"type": "string"},
    "integer": {"type": "integer", "format": "int32", "minimum": -INT32_MAX, "maximum": INT32_MAX},
    "float": {"type": "number", "format": "double"},
    "date": {"type": "string", "format": "date"},
    "boolean": {"type": "boolean"},
    "timestamp": {"type": "string", "format": "date-time"},
    "bigint": {"type": "integer", "format": "int64"},
}
_POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}
_RING = {"type": "array", "minItems": 4, "items": _POSITION}
GEOMETRY_SCHEMAS = {
    "Point": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {"type": {"type": "string", "enum": ["Point"]}, "coordinates": _POSITION},
    },
    "LineString": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["LineString"]},
            "coordinates": {"type": "array", "minItems": 2, "items": _POSITION},
        },
    },
    "Polygon": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["Polygon"]},
            "coordinates": {"type": "array", "minItems": 1, "items": _RING},
        },
    },
    "MultiPolygon": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["MultiPolygon", "Polygon"]},
            "coordinates": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "array", "items": _RING},
            },
        },
    },
}


#: The stamps that name a user of the twin: hidden from anonymous readers.
USER_FIELDS = frozenset({"created_by", "updated_by"})


def system_types(ft: FeatureType) -> dict[str, str]:
    """Fields the twin sets itself (read-only to clients), with their types."""
    types = {
        "id": "bigint",
        "layer": "text",
        "version": "integer",
        "created_by": "text",
        "created_at": "timestamp",
        "updated_by": "text",
        "updated_at": "timestamp",
    }
    if ft.geometry == "LineString":
        types["length_m"] = "float"
    if ft.geometry in ("Polygon", "MultiPolygon"):
        types["area_m2"] = "float"
    if ft.network == "edge":
        types.update(start_node="bigint", end_node="bigint")
    return types


def queryable_types(
    ft: FeatureType, *, personal: bool = False, users: bool = True
) -> dict[str, str]:
    """Property name -> type of everything a filter may name.

    Personal attributes are queryable only by those who may see them, so a
    filter cannot be used to probe a customer's phone number; the user
    stamps (:data:`USER_FIELDS`) only by signed-in readers (``users``), so an
    anonymous one cannot probe who works on the twin.
    """
    types = dict(CORE_FIELDS)
    types.update({a.name: a.type for a in ft.attributes if personal or not a.personal})
    types.update(system_types(ft))
    if not users:
        for name in USER_FIELDS:
            types.pop(name, None)
    return types


def property_schema(kind: str, attribute: Attribute | None = None) -> dict:
    """The JSON schema of one property, with labels, unit, range and allowed values."""
    schema = dict(_JSON_TYPES[kind])
    if attribute is None:
        return schema
    schema["title"] = attribute.en
    description = attribute.vi + (f" [{attribute.unit}]" if attribute.unit else "")
    schema["description"] = description
    if attribute.choices:
        schema["enum"] = list(attribute.allowed)
    if attribute.minimum is not None:
        schema["minimum"] = attribute.minimum
    if attribute.maximum is not None:
        schema["maximum"] = attribute.maximum
    if attribute.personal:
        schema["x-personal"] = True
    return schema


def _properties(ft: FeatureType, *, writable_only: bool) -> dict:
    props = {name: property_schema(kind) for name, kind in CORE_FIELDS.items()}
    props["status"] = {"type": "string", "enum": list(ASSET_STATUSES), "title": "Status"}
    props["extra"] = {"type": "object", "description": "Free-form extra attributes"}
    for a in ft.attributes:
        props[a.name] = property_schema(a.type, a)
    if not writable_only:
        for name, kind in system_types(ft).items():
            props[name] = {**property_schema(kind), "readOnly": True}
    for a in ft.attributes:
        if not a.required:
            props[a.name] = {**props[a.name], "nullable": True}
    return props


def feature_schema(ft: FeatureType, *, mode: str = "read") -> dict:
    """A GeoJSON Feature schema of ``ft``: ``read``, ``create`` or ``patch`` (all optional)."""
    props = _properties(ft, writable_only=mode != "read")
    properties_schema = {"type": "object", "properties": props}
    required = [a.name for a in ft.attributes if a.required]
    if mode == "create" and required:
        properties_schema["required"] = required
    schema = {
        "type": "object",
        "title": f"{ft.en} ({ft.vi})",
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string"},
            "geometry": GEOMETRY_SCHEMAS[ft.geometry],
            "properties": properties_schema,
        },
    }
    schema["required"] = ["type"] if mode == "patch" else ["type", "geometry", "properties"]
    return schema

"""Landing page, conformance, collections and queryables of the feature API.

Every collection is one feature type of a layer (id = table name, e.g.
``water_pipe``); its description, extent, CRS list and queryables are derived
from the layer declaration.  Callers pass the feature types the user may read.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import layer
from twin.crs import VIETNAM_BOUNDS
from twin.declare import FeatureType

from .crs import CRS84, supported_crs
from .schema import property_schema, queryable_types
from .tilesets import TILES_CONFORMANCE

__all__ = [
    "CONFORMANCE",
    "collection",
    "collections",
    "conformance",
    "extent_of",
    "landing_page",
    "queryables",
    "sortables",
]

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/sortables",
    "http://www.opengis.net/spec/ogcapi-features-6/1.0/conf/property-selection",
    "http://www.opengis.net/spec/ogcapi-features-8/1.0/conf/sorting",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    *TILES_CONFORMANCE,
]
JSON, GEOJSON, HTML = "application/json", "application/geo+json", "text/html"


def _link(href: str, rel: str, type_: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def landing_page(base: str, *, title: str = "Digital twin of the city's infrastructure") -> dict:
    base = base.rstrip("/")
    return {
        "title": title,
        "description": "Water, drainage, power, telecom, lighting, trees and the base map "
        "as OGC API – Features (read and edit) and vector tiles (OGC API – Tiles, MapLibre "
        "styles).",
        "links": [
            _link(f"{base}/?f=json", "self", JSON, "This document"),
            _link(f"{base}/?f=html", "alternate", HTML, "This document as HTML"),
            _link(
                f"{base}/api",
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
                "The API definition (OpenAPI 3.0)",
            ),
            _link(f"{base}/conformance", "conformance", JSON, "Conformance classes"),
            _link(f"{base}/collections", "data", JSON, "Collections"),
            _link(
                f"{base}/tiles",
                "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
                JSON,
                "Vector tilesets (OGC API – Tiles)",
            ),
            _link(
                f"{base}/tileMatrixSets",
                "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes",
                JSON,
                "Tile matrix sets",
            ),
        ],
    }


def conformance() -> dict:
    return {"conformsTo": list(CONFORMANCE)}


def extent_of(session: Session, ft: FeatureType) -> list[float]:
    """Bounding box (lon/lat) from the planner's statistics; Vietnam if none yet."""
    schema = layer(ft.layer).schema
    row = session.execute(
        text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_EstimatedExtent(:s, :t, 'geom')::geometry AS e) x"
        ),
        {"s": schema, "t": ft.table},
    ).first()
    if row is None or row[0] is None:
        return list(VIETNAM_BOUNDS)
    return [round(float(v), 6) for v in row]


def collection(ft: FeatureType, base: str, *, bbox: list[float] | None = None) -> dict:
    base = base.rstrip("/")
    here = f"{base}/collections/{ft.table}"
    lyr = layer(ft.layer)
    return {
        "id": ft.table,
        "title": f"{ft.en} ({ft.vi})",
        "description": f"{lyr.en} – {ft.en}; {lyr.vi} – {ft.vi}. "
        f"Geometry: {ft.geometry}" + (f", network {ft.network}" if ft.network else "") + ".",
        "itemType": "feature",
        "keywords": [lyr.name, ft.name, ft.geometry],
        "extent": {"spatial": {"bbox": [bbox or list(VIETNAM_BOUNDS)], "crs": CRS84}},
        "crs": supported_crs(),
        "storageCrs": CRS84,
        "links": [
            _link(f"{here}?f=json", "self", JSON, "This collection"),
            _link(f"{here}?f=html", "alternate", HTML, "This collection as HTML"),
            _link(f"{here}/items?f=json", "items", GEOJSON, "Features"),
            _link(f"{here}/items?f=html", "items", HTML, "Features as HTML"),
            _link(
                f"{here}/queryables",
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "application/schema+json",
                "Queryables",
            ),
            _link(
                f"{here}/sortables",
                "http://www.opengis.net/def/rel/ogc/1.0/sortables",
                "application/schema+json",
                "Sortables",
            ),
            _link(f"{base}/tiles/{ft.table}.json", "describedby", JSON, "Vector tiles (TileJSON)"),
        ],
    }


def collections(fts: list[FeatureType], base: str, *, extents: dict | None = None) -> dict:
    base = base.rstrip("/")
    extents = extents or {}
    return {
        "links": [
            _link(f"{base}/collections?f=json", "self", JSON, "Collections"),
            _link(f"{base}/collections?f=html", "alternate", HTML, "Collections as HTML"),
        ],
        "collections": [collection(ft, base, bbox=extents.get(ft.table)) for ft in fts],
    }


def queryables(
    ft: FeatureType, base: str, *, personal: bool = False, users: bool = True
) -> dict:
    """The JSON schema of what ``filter`` and ``?name=value`` may name."""
    attrs = {a.name: a for a in ft.attributes}
    props = {
        name: property_schema(kind, attrs.get(name))
        for name, kind in queryable_types(ft, personal=personal, users=users).items()
    }
    props["geometry"] = {"$ref": f"https://geojson.org/schema/{ft.geometry}.json"}
    return _schema_of(ft, base, "queryables", props)


def sortables(
    ft: FeatureType, base: str, *, personal: bool = False, users: bool = True
) -> dict:
    """The JSON schema of what ``sortby`` may name: the queryables but the geometry."""
    props = queryables(ft, base, personal=personal, users=users)["properties"]
    props = {name: schema for name, schema in props.items() if name != "geometry"}
    return _schema_of(ft, base, "sortables", props)


def _schema_of(ft: FeatureType, base: str, kind: str, props: dict) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base.rstrip('/')}/collections/{ft.table}/{kind}",
        "type": "object",
        "title": f"{ft.en} ({ft.vi})",
        "properties": props,
        "additionalProperties": False,
    }

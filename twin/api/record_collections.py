"""Inspections and work orders as collections of the feature API, beside the layers.

Each inspection form declared in ``layers/`` (its table
``ops.inspection_<feature table>_<form>``) and the work orders
(``ops.work_order``) are read-only collections of ``/collections``.  What a
filter may name (the queryables) is derived from the form's checks as a
layer's is from its attributes, so the form, its table and its collection
never drift apart.  Records name people (the inspector, the crew): a reader
who may not see them (anonymous) cannot filter on them and reads them masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sqlalchemy import Table

from twin import inspections, maintenance
from twin.crs import VIETNAM_BOUNDS

from .crs import CRS84, supported_crs
from .schema import property_schema

__all__ = ["WORK_ORDERS", "RecordCollection", "record_collection", "record_collections",
           "record_queryables"]

#: The collection id of the work orders.
WORK_ORDERS = "work_orders"

_INSPECTION_CORE = {"id": "bigint", "asset_code": "text", "asset_version": "integer",
                    "inspected_at": "timestamp", "inspected_by": "text",
                    "received_at": "timestamp", "result": "text"}
_WORK_ORDER = {"id": "bigint", "kind": "text", "title": "text", "status": "text",
               "crew": "text", "planned_start": "date", "planned_end": "date",
               "cost_vnd": "bigint", "incident_code": "text", "plan": "text",
               "closing_note": "text", "done_at": "timestamp", "created_by": "text",
               "created_at": "timestamp"}


@dataclass(frozen=True)
class RecordCollection:
    """One read-only collection of records (inspections of one form, or work orders).

    ``types`` maps each property to its type (``text``, ``timestamp`` …);
    ``schemas`` are their JSON schemas; ``period`` the columns of the start
    and end of the time a record covers (what ``datetime`` meets);
    ``people`` the properties naming people; ``layer`` the layer of the
    inspected assets (None for work orders, which only signed-in users read);
    ``photo_kind`` the kind of photo a record may have; ``shown`` properties
    given but not queryable (a work order's list of assets).
    """

    id: str
    title: str
    description: str
    table: Table
    types: Mapping[str, str]
    schemas: Mapping[str, dict]
    period: tuple[str, str]
    newest_first: tuple[str, ...]
    people: frozenset[str]
    geometry: str
    layer: str | None = None
    photo_kind: str | None = None
    shown: tuple[str, ...] = ()
    heading: Mapping[str, str] = field(default_factory=dict)
    checks: tuple = ()

    def queryable_types(self, *, anonymous: bool) -> dict[str, str]:
        """What a filter may name: the people only for readers who may see them."""
        return {k: v for k, v in self.types.items() if not (anonymous and k in self.people)}


def _inspection_collection(table: str, ft, form) -> RecordCollection:
    types = {**_INSPECTION_CORE, **{a.name: a.type for a in form.checks}}
    checks = {a.name: a for a in form.checks}
    schemas = {name: property_schema(kind, checks.get(name)) for name, kind in types.items()}
    schemas["result"] = {**schemas["result"], "title": f"{form.rule.sets} ({form.rule.method})"}
    return RecordCollection(
        id=table, title=f"{ft.en}: {form.en} ({ft.vi}: {form.vi})",
        description=f"Inspections '{form.name}' of {ft.en}; the rule sets {form.rule.sets} "
        f"({form.rule.source}).",
        table=inspections.inspection_model(table).__table__, types=types, schemas=schemas,
        period=("inspected_at", "inspected_at"), newest_first=("inspected_at", "id"),
        people=frozenset({"inspected_by"}), geometry="Point", layer=ft.layer,
        photo_kind="inspection", heading={"vi": f"{ft.vi}: {form.vi}", "en": f"{ft.en}: {form.en}"},
        checks=(*form.checks, replace(ft.attribute(form.rule.sets), name="result")))


def _work_orders() -> RecordCollection:
    schemas = {name: property_schema(kind) for name, kind in _WORK_ORDER.items()}
    schemas["kind"]["enum"] = list(maintenance.KINDS)
    schemas["status"]["enum"] = list(maintenance.STATUSES)
    schemas["cost_vnd"]["description"] = "cost [VND]"
    return RecordCollection(
        id=WORK_ORDERS, title="Work orders (Lệnh công việc)",
        description="Planned maintenance and repairs of incidents, with the assets they "
        "touch (assets, a point on each in the same order); open ones have status "
        "planned, scheduled or in_progress.",
        table=maintenance.WorkOrder.__table__, types=_WORK_ORDER, schemas=schemas,
        period=("planned_start", "planned_end"), newest_first=("planned_start", "id"),
        people=frozenset({"crew", "created_by"}), geometry="MultiPoint", shown=("assets",),
        heading={"vi": "Lệnh công việc", "en": "Work orders"})


@lru_cache(maxsize=1)
def record_collections() -> dict[str, RecordCollection]:
    """Every record collection by id: one per declared inspection form, then the work orders."""
    out = {table: _inspection_collection(table, ft, form)
           for table, (ft, form) in inspections.FORMS.items()}
    out[WORK_ORDERS] = _work_orders()
    return out


def _link(href: str, rel: str, type_: str, title: str) -> dict:
    return {"href": href, "rel": rel, "type": type_, "title": title}


def record_collection(rc: RecordCollection, base: str) -> dict:
    """``/collections/<id>`` of a record collection, as ``/collections`` lists it too."""
    here = f"{base.rstrip('/')}/collections/{rc.id}"
    return {
        "id": rc.id, "title": rc.title, "description": rc.description, "itemType": "feature",
        "keywords": ["inspection" if rc.photo_kind else "work order", rc.geometry],
        "extent": {"spatial": {"bbox": [list(VIETNAM_BOUNDS)], "crs": CRS84}},
        "crs": supported_crs(), "storageCrs": CRS84,
        "links": [
            _link(f"{here}?f=json", "self", "application/json", "This collection"),
            _link(f"{here}/items?f=json", "items", "application/geo+json", "Records"),
            _link(f"{here}/items?f=csv", "alternate", "text/csv", "Records as CSV"),
            _link(f"{here}/items?f=gpkg", "alternate", "application/geopackage+sqlite3",
                  "Records as GeoPackage"),
            _link(f"{here}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                  "application/schema+json", "Queryables"),
        ],
    }


def record_queryables(rc: RecordCollection, base: str, *, anonymous: bool) -> dict:
    """The JSON schema of what ``filter`` and ``?name=value`` may name."""
    props = {name: rc.schemas[name] for name in rc.queryable_types(anonymous=anonymous)}
    props["geometry"] = {"$ref": f"https://geojson.org/schema/{rc.geometry}.json"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base.rstrip('/')}/collections/{rc.id}/queryables",
        "type": "object", "title": rc.title, "properties": props,
        "additionalProperties": False,
    }

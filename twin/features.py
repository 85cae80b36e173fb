"""Reading features of any layer as GeoJSON-like dicts (one query shape for all).

The feature id seen by users is the asset ``code``; the numeric ``id`` is
the twin's internal key and is returned as a property.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layers import feature_type

from .declare import normal_code
from .errors import NotFound
from .models import BulkLoad, History, model

__all__ = [
    "PERSONAL_HIDDEN",
    "data_version",
    "feature_select",
    "get_feature",
    "masked",
    "personal_names",
    "row_to_feature",
]

PERSONAL_HIDDEN = "[hidden]"
_SKIP = {"geom", "geojson"}


def data_version(session) -> int:
    """The twin's data version: the id of the newest history entry or bulk load.

    Edits and bulk loads share one id sequence, so a larger version means
    some feature may have changed since; 0 for a twin never written to.
    ``session`` is a Session or a Connection.
    """
    return session.execute(
        select(
            func.greatest(
                select(func.coalesce(func.max(History.id), 0)).scalar_subquery(),
                select(func.coalesce(func.max(BulkLoad.id), 0)).scalar_subquery(),
            )
        )
    ).scalar_one()


def personal_names(ft) -> set[str]:
    """Names of the attributes of feature type ``ft`` that hold personal data."""
    return {a.name for a in ft.attributes if a.personal}


def masked(feature: dict | None, names: set[str]) -> dict | None:
    """A copy of GeoJSON ``feature`` whose non-null values of ``names`` read
    :data:`PERSONAL_HIDDEN` (None, or nothing to mask: the feature itself).

    The one rule for every reader who may not see personal data; that a
    value exists is not secret, what it is is.

    >>> masked({"properties": {"phone": "0900", "note": None, "size": 3}}, {"phone", "note"})
    {'properties': {'phone': '[hidden]', 'note': None, 'size': 3}}
    """
    if feature is None or not names:
        return feature
    props = dict(feature.get("properties") or {})
    for name in names & props.keys():
        if props[name] is not None:
            props[name] = PERSONAL_HIDDEN
    return {**feature, "properties": props}


def feature_select(table: str):
    """A select of every column of ``table`` plus its geometry as GeoJSON."""
    m = model(table)
    cols = [c for c in m.__table__.columns if c.name != "geom"]
    return select(*cols, func.ST_AsGeoJSON(m.geom, 9).label("geojson"))


def row_to_feature(table: str, row, *, hide_personal: bool = False) -> dict:
    """A GeoJSON Feature dict from a row of :func:`feature_select`."""
    data = dict(row._mapping)
    props = {}
    for key, value in data.items():
        if key in _SKIP:
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        props[key] = value
    props["feature_type"] = table
    geometry = json.loads(data["geojson"]) if data.get("geojson") else None
    feature = {"type": "Feature", "id": data["code"], "geometry": geometry, "properties": props}
    return masked(feature, personal_names(feature_type(table))) if hide_personal else feature


def get_feature(session: Session, table: str, code: str, *, for_update: bool = False,
                hide_personal: bool = False) -> dict:
    """The feature ``code`` (in any case) of ``table``; :class:`NotFound` names both."""
    m = model(table)
    stmt = feature_select(table).where(m.code == normal_code(code))
    if for_update:
        stmt = stmt.with_for_update(of=m.__table__)
    row = session.execute(stmt).first()
    if row is None:
        raise NotFound(f"{table}: no feature with code {code!r}")
    return row_to_feature(table, row, hide_personal=hide_personal)

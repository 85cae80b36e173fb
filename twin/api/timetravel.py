"""The twin as it stood at a past moment, rebuilt from ``audit.history``.

:func:`state_at` returns a selectable with exactly the columns of the
feature type's table, so listing, filtering and tiling work on the past as
on the present.  It is cheap when the moment is recent: only assets changed
since then are read from the history; the others come from the table.

For an asset changed after the moment ``T``:

* the newest history entry at or before ``T`` gives its state (nothing if
  that entry is a deletion: deleted assets stay deleted);
* with no entry before ``T``, the ``old`` state of its first later entry is
  used (nothing if that entry is its creation or import), so assets loaded
  without history still have a past.

Assets not changed after ``T`` are taken from the table if they were created
by then (``created_at <= T``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, cast, func, select, union_all
from sqlalchemy.dialects.postgresql import JSONB, distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.sql import type_coerce

from twin.errors import NotFound
from twin.features import PERSONAL_HIDDEN
from twin.models import History, model

__all__ = ["changes_between", "history_of", "state_at"]


def _column_from_json(column, state):
    props = state["properties"]
    if column.name == "geom":
        geojson = func.ST_GeomFromGeoJSON(state["geometry"])
        return type_coerce(func.ST_SetSRID(geojson, 4326), column.type).label("geom")
    if isinstance(column.type, JSONB):
        return props[column.name].label(column.name)
    return cast(props[column.name].astext, column.type).label(column.name)


def state_at(table: str, when: datetime):
    """A subquery shaped like ``table`` holding its features as they were at ``when``."""
    t = model(table).__table__
    h = History.__table__
    changed = (
        select(h.c.asset_id)
        .where(h.c.feature_type == table, h.c.changed_at > when)
        .distinct()
        .scalar_subquery()
    )
    present = select(*t.columns).where(t.c.created_at <= when, t.c.id.not_in(changed))
    before = h.c.changed_at <= when
    latest = (
        select(h.c.asset_id, case((before, h.c.new), else_=h.c.old).label("state"))
        .where(h.c.feature_type == table, h.c.asset_id.in_(changed))
        .ext(distinct_on(h.c.asset_id))
        .order_by(
            h.c.asset_id,
            before.desc(),
            case((before, h.c.changed_at)).desc().nulls_last(),
            h.c.changed_at.asc(),
            case((before, -h.c.id), else_=h.c.id),
        )
        .subquery("latest")
    )
    past = select(*[_column_from_json(c, latest.c.state) for c in t.columns]).where(
        func.jsonb_typeof(latest.c.state) == "object"
    )
    return union_all(present, past).subquery("state")


def _hide(feature: dict | None, personal: set[str]) -> dict | None:
    if feature is None or not personal:
        return feature
    props = dict(feature.get("properties") or {})
    for name in personal & props.keys():
        if props[name] is not None:
            props[name] = PERSONAL_HIDDEN
    return {**feature, "properties": props}


def changes_between(old: dict | None, new: dict | None) -> dict:
    """``{field: [old, new]}`` for every property (and the geometry) that differs."""
    old_props = (old or {}).get("properties") or {}
    new_props = (new or {}).get("properties") or {}
    skip = {
        "version",
        "updated_at",
        "updated_by",
        "created_at",
        "created_by",
        "id",
        "feature_type",
        "layer",
    }
    changes = {
        k: [old_props.get(k), new_props.get(k)]
        for k in sorted(old_props.keys() | new_props.keys())
        if k not in skip and old_props.get(k) != new_props.get(k)
    }
    if (old or {}).get("geometry") != (new or {}).get("geometry"):
        changes["geometry"] = [(old or {}).get("geometry"), (new or {}).get("geometry")]
    return changes


def history_of(
    session: Session, table: str, code: str, *, personal: set[str] = frozenset()
) -> list[dict]:
    """Every recorded version of the asset ``code`` (even if it was deleted), oldest first.

    Entries name who, when, what action, why, and what changed (old and new
    values, geometry included); ``personal`` names fields to mask.
    """
    h = History.__table__
    ids = select(h.c.asset_id).where(h.c.feature_type == table, h.c.code == code).distinct()
    rows = session.execute(
        select(h)
        .where(h.c.feature_type == table, h.c.asset_id.in_(ids))
        .order_by(h.c.changed_at, h.c.id)
    ).all()
    if not rows:
        raise NotFound(f"{table}: no history for a feature with code {code!r}")
    entries = []
    for r in rows:
        old, new = _hide(r.old, personal), _hide(r.new, personal)
        entries.append(
            {
                "version": r.version,
                "action": r.action,
                "changed_by": r.changed_by,
                "changed_at": r.changed_at.isoformat(),
                "reason": r.reason,
                "code": r.code,
                "changes": changes_between(old, new),
                "feature": new or old,
            }
        )
    return entries

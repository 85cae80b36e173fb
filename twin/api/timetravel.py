"""The twin as it stood at a past moment, rebuilt from ``audit.history``.

:func:`state_at` returns a selectable with exactly the columns of the
feature type's table, so listing, filtering and tiling work on the past as
on the present.  It is cheap when the moment is recent: only assets changed
since then are read from the history; the others come from the table.

For an asset changed after the moment ``T``:

* the newest history entry at or before ``T`` gives its state (nothing if
  that entry is a deletion: deleted assets stay deleted);
* with no entry before ``T``, the ``old`` state of its first later entry is
  used if the asset was created by then (nothing if that entry is its
  creation), so assets brought by a bulk load (recorded once in
  ``audit.bulk_load``, not per feature) have a past.

Assets not changed after ``T`` are taken from the table if they were created
by then (``created_at <= T``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, cast, func, select, text, union_all
from sqlalchemy.dialects.postgresql import JSONB, distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.sql import type_coerce

from twin.config import STORAGE_SRID
from twin.declare import normal_code
from twin.errors import NotFound
from twin.features import get_feature, masked
from twin.models import History, model

from .schema import USER_FIELDS

__all__ = ["changes_between", "history_of", "state_at"]


def _column_from_json(column, state):
    props = state["properties"]
    if column.name == "geom":
        geojson = func.ST_GeomFromGeoJSON(state["geometry"])
        return type_coerce(func.ST_SetSRID(geojson, STORAGE_SRID), column.type).label("geom")
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
    created = cast(latest.c.state["properties"]["created_at"].astext, t.c.created_at.type)
    past = select(*[_column_from_json(c, latest.c.state) for c in t.columns]).where(
        func.jsonb_typeof(latest.c.state) == "object", created <= when
    )
    return union_all(present, past).subquery("state")


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


def _entry(action, who, when, reason, code, version, old, new) -> dict:
    return {
        "version": version,
        "action": action,
        "changed_by": who,
        "changed_at": when.isoformat(),
        "reason": reason,
        "code": code,
        "changes": changes_between(old, new),
        "feature": new or old,
    }


def _loads_of(session: Session, table: str, code: str, ids: set[int], rows) -> list:
    """``(load, state)`` of each bulk load that brought one of ``ids``.

    A load keeps no copy of the features: the state it gave an asset is the
    ``old`` of the asset's first later history entry, or the stored row if
    the asset has not changed since.
    """
    if not ids:
        return []
    loads = session.execute(
        text(
            "SELECT b.id, i.id AS asset_id, b.changed_by, b.changed_at, b.reason "
            "FROM audit.bulk_load b, unnest(CAST(:ids AS bigint[])) AS i(id) "
            "WHERE b.feature_type = :t AND b.asset_ids @> i.id ORDER BY b.id"
        ),
        {"t": table, "ids": sorted(ids)},
    ).all()
    out = []
    for load in loads:
        later = next((r for r in rows if r.asset_id == load.asset_id and r.id > load.id), None)
        if later is not None:
            state = later.old
        else:
            try:
                state = get_feature(session, table, code)
            except NotFound:
                state = None
            if state is not None and state["properties"]["id"] != load.asset_id:
                state = None
        out.append((load, state))
    return out


#: Properties of a feature that name users of the twin.
def _history_rows(session: Session, table: str, code: str) -> tuple[set[int], list]:
    """The asset ids recorded under ``code`` (in the history and in the table) and
    their history rows, oldest first."""
    h, t = History.__table__, model(table).__table__
    ids = set(
        session.scalars(
            select(h.c.asset_id).where(h.c.feature_type == table, h.c.code == code).distinct()
        )
    )
    ids.update(session.scalars(select(t.c.id).where(t.c.code == code)))
    rows = (
        session.execute(
            select(h)
            .where(h.c.feature_type == table, h.c.asset_id.in_(ids))
            .order_by(h.c.changed_at, h.c.id)
        ).all()
        if ids
        else []
    )
    return ids, rows


def history_of(
    session: Session,
    table: str,
    code: str,
    *,
    personal: set[str] = frozenset(),
    users: bool = True,
) -> list[dict]:
    """Every recorded version of the asset ``code`` (even if it was deleted), oldest first.

    Entries name who, when, what action, why, and what changed (old and new
    values, geometry included); ``personal`` names fields to mask.  With
    ``users`` False (anonymous readers) no entry names a user: ``changed_by``
    is left out and :data:`USER_FIELDS` are masked.  Bulk loads
    (``audit.bulk_load``) count as the ``import`` of their assets.
    """
    if not users:
        entries = history_of(session, table, code, personal={*personal, *USER_FIELDS})
        return [{k: v for k, v in e.items() if k != "changed_by"} for e in entries]
    code = normal_code(code)
    ids, rows = _history_rows(session, table, code)
    timeline = [
        (
            r.changed_at,
            r.id,
            _entry(
                r.action,
                r.changed_by,
                r.changed_at,
                r.reason,
                r.code,
                r.version,
                masked(r.old, personal),
                masked(r.new, personal),
            ),
        )
        for r in rows
    ]
    for load, state in _loads_of(session, table, code, ids, rows):
        version = state["properties"]["version"] if state else None
        when = load.changed_at
        state = masked(state, personal)
        entry = _entry("import", load.changed_by, when, load.reason, code, version, None, state)
        timeline.append((when, load.id, entry))
    if not timeline:
        raise NotFound(f"{table}: no history for a feature with code {code!r}")
    timeline.sort(key=lambda item: (item[0], item[1]))
    return [entry for _, _, entry in timeline]

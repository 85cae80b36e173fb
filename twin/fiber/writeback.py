"""Store a plan in the twin as planned telecom assets, replacing the previous run.

Access nodes, cabinets (branch cabinets, splice closures, taps) and cables
are written with status ``planned`` and ``extra`` = ``{"fiber_plan": <plan
id>, "phase": <year>, ...}`` through :func:`twin.bulk.copy_features`, which
records each table's load in ``audit.bulk_load``.  The planned assets an earlier
run of the same plan id wrote are deleted first through
:func:`twin.bulk.delete_features`, the tables' triggers recording each with
a ``delete`` entry.  Everything happens in the caller's transaction: commit once and the
map, the feature API and the zoning reconciliation see the whole plan, or
roll back and they see none of it.
"""

from __future__ import annotations

from sqlalchemy import text

from twin.bulk import allocate_ids, copy_features, delete_features
from twin.models import model

from .features import PlanFeatures, plan_features
from .plan import FiberPlan

__all__ = ["OPERATOR_NOTE", "plan_ids", "remove_plan", "write_plan"]

#: Tables the plan writes, cables last (they name the nodes).
TABLES = ("telecom_access_node", "telecom_cabinet", "telecom_cable")
OPERATOR_NOTE = "fibre rollout plan"


def _qualified(table: str) -> str:
    t = model(table).__table__
    return f'{t.schema}."{t.name}"'


def remove_plan(session, plan_id: str, *, user: str | None) -> int:
    """Delete the planned assets of ``plan_id`` (each recorded in the history); the count."""
    removed = 0
    for table in reversed(TABLES):
        ids = session.execute(
            text(f"SELECT id FROM {_qualified(table)} "
                 "WHERE status = 'planned' AND extra->>'fiber_plan' = :plan"),
            {"plan": plan_id}).scalars().all()
        removed += delete_features(session, table, ids, user=user,
                                   reason=f"{OPERATOR_NOTE} {plan_id}: replaced")
    return removed


def _extra(plan_id: str, row: dict, *keys: str) -> dict:
    extra = {"fiber_plan": plan_id, "phase": row.get("phase")}
    extra.update({k: row[k] for k in keys if row.get(k) is not None})
    return extra


def write_plan(
    session, plan: FiberPlan, *, user: str | None, features: PlanFeatures | None = None
) -> dict[str, int]:
    """Replace ``plan.plan_id``'s planned assets with ``plan``'s; counts per table.

    Parameters
    ----------
    session : Session or Connection
        The caller's transaction (not committed here).
    plan : FiberPlan
        The plan to store.
    user : str or None
        Recorded as the author in the rows and the history.
    features : PlanFeatures, optional
        :func:`~twin.fiber.features.plan_features` of ``plan`` if already made.
    """
    f = features or plan_features(plan)
    counts = {"removed": remove_plan(session, plan.plan_id, user=user)}
    nodes = f.access_nodes + f.cabinets
    ids = dict(
        zip([r["key"] for r in nodes], allocate_ids(session, len(nodes)).tolist(), strict=True)
    )
    ids.update(f.existing_ids)
    rows = _rows(f, ids, plan.plan_id)
    reason = f"{OPERATOR_NOTE} {plan.plan_id}"
    for table in TABLES:
        counts[table] = copy_features(
            session, table, rows[table], user=user, reason=reason, communes=True
        )
    return counts


def _rows(f: PlanFeatures, ids: dict, pid: str) -> dict[str, list[dict]]:
    """The rows of each table for :func:`twin.bulk.copy_features`; ``ids`` maps the
    features' keys to asset ids (the cables' ends included)."""
    return {
        "telecom_access_node": [
            {
                "id": ids[r["key"]],
                "geom": r["geom"],
                "status": "planned",
                "village": r["village"],
                "ports": r["ports"],
                "households": r["households"],
                "extra": _extra(pid, r),
            }
            for r in f.access_nodes
        ],
        "telecom_cabinet": [
            {
                "id": ids[r["key"]],
                "geom": r["geom"],
                "status": "planned",
                "cabinet_type": r["cabinet_type"],
                "extra": _extra(pid, r, "role", "redundant_for", "taps_cable"),
            }
            for r in f.cabinets
        ],
        "telecom_cable": [
            {
                "geom": r["geom"],
                "status": "planned",
                "start_node": ids[r["start_key"]],
                "end_node": ids[r["end_key"]],
                "fiber_count": r["fiber_count"],
                "fibers_used": 0,
                "placement": r["placement"],
                "extra": _extra(pid, r, "kinds", "redundant_for"),
            }
            for r in f.cables
        ],
    }


def plan_ids(session) -> list[str]:
    """Plan ids that have planned assets in the twin."""
    sql = " UNION ".join(
        f"SELECT DISTINCT extra->>'fiber_plan' AS plan FROM {_qualified(t)} "
        "WHERE status = 'planned' AND extra ? 'fiber_plan'"
        for t in TABLES
    )
    return sorted(r[0] for r in session.execute(text(sql)))

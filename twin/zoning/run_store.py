"""Check runs, their findings and the planners' decisions in the database.

A decision is written to ``finding_history`` and copied onto every stored
finding with the same fingerprint; the latest decision per fingerprint is
what a new run takes over for a conflict that is still there unchanged.
Callers commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

import shapely
import shapely.geometry
from geoalchemy2.shape import to_shape
from psycopg.types.json import Jsonb
from sqlalchemy import ARRAY, Text, any_, bindparam, func, select, update
from sqlalchemy.orm import Session

from twin.bulk import raw_connection
from twin.config import STORAGE_SRID
from twin.crs import STORAGE_CRS, reproject
from twin.errors import NotFound
from twin.zoning import model, tables

__all__ = [
    "decide_finding",
    "decision_history",
    "finding_feature",
    "finish_run",
    "get_finding",
    "get_run",
    "geometry_of",
    "kind_counts",
    "latest_decisions",
    "latest_run",
    "recent_runs",
    "run_findings",
    "start_run",
    "stale_decision_count",
    "store_findings",
]


def start_run(
    session: Session,
    plans: Sequence[tables.Plan],
    against: Sequence[tables.Plan],
    *,
    with_assets: bool,
    user: str | None,
) -> tables.CheckRun:
    """A new run in state ``running`` (flushed, so it has its id)."""
    run = tables.CheckRun(
        status="running",
        started_by=user,
        plan_ids=[p.id for p in plans],
        against_ids=[p.id for p in against],
        with_assets=with_assets,
    )
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: tables.CheckRun, *, error: str | None = None, **values):
    """Mark ``run`` done (or failed with ``error``) and record ``values`` on it."""
    run.status = "failed" if error else "done"
    run.error = error
    run.finished_at = datetime.now(UTC)
    for name, value in values.items():
        setattr(run, name, value)
    session.flush()


def latest_decisions(session: Session, fingerprints: Iterable[str]) -> list[model.Decision]:
    """The latest planner decision for each of ``fingerprints`` that has one."""
    wanted = sorted(set(fingerprints))
    if not wanted:
        return []
    h = tables.FindingHistory
    query = (
        select(h.fingerprint, h.status, h.note, h.decided_by, h.decided_at)
        .where(h.fingerprint == any_(bindparam("wanted", wanted, type_=ARRAY(Text))))
        .order_by(h.decided_at, h.id)
    )
    latest = {fp: (status, note, by, at) for fp, status, note, by, at in session.execute(query)}
    return [
        model.Decision(fp, status, note, by, at.isoformat())
        for fp, (status, note, by, at) in latest.items()
        if status in model.DECISION_STATUSES
    ]


def stale_decision_count(
    session: Session, plan_names: Sequence[str], current: Iterable[str], *, with_assets: bool
) -> int:
    """Decided conflicts of these plans (or of assets alone) that a new run no longer finds."""
    h, f = tables.FindingHistory, tables.Finding
    scope = f.plans.overlap(list(plan_names))
    if with_assets:
        scope = scope | (func.cardinality(f.plans) == 0)
    decided = select(h.fingerprint).join(f, f.fingerprint == h.fingerprint).where(scope).distinct()
    return len(set(session.scalars(decided)) - set(current))


_FINDING_COLUMNS = (
    "run_id",
    "fingerprint",
    "kind",
    "severity",
    "rule",
    "plans",
    "plan_ids",
    "involved",
    "area_m2",
    "length_m",
    "details",
    "geom",
    "status",
    "note",
    "decided_by",
    "decided_at",
)


def _ewkb_hex(geometries) -> list[str | None]:
    """Hex EWKB in the storage SRID, the text form COPY gives a geometry column."""
    with_srid = shapely.set_srid(geometries, STORAGE_SRID)
    return list(shapely.to_wkb(with_srid, hex=True, include_srid=True))


def store_findings(
    session: Session,
    run: tables.CheckRun,
    findings: Sequence[model.Finding],
    *,
    crs,
    plan_ids: Mapping[str, int],
    decisions: Iterable[model.Decision] = (),
) -> int:
    """Write the findings of ``run`` (geometries from ``crs`` to WGS 84) with COPY; how many.

    A run of a 1/2000 plan against a town's assets finds tens of thousands of
    conflicts: COPY writes them in one stream, in the caller's transaction.
    """
    if not findings:
        return 0
    by_fingerprint = {d.fingerprint: d for d in decisions}
    geometries = _ewkb_hex(reproject([f.geometry for f in findings], crs, STORAGE_CRS))
    session.flush()
    columns = ", ".join(_FINDING_COLUMNS)
    with raw_connection(session).cursor() as cursor:
        with cursor.copy(f"COPY {tables.SCHEMA}.finding ({columns}) FROM STDIN") as copy:
            for finding, geometry in zip(findings, geometries, strict=True):
                decision = by_fingerprint.get(finding.fingerprint)
                copy.write_row(
                    (
                        run.id,
                        finding.fingerprint,
                        finding.kind,
                        finding.severity,
                        finding.rule,
                        list(finding.plan_ids),
                        [plan_ids[name] for name in finding.plan_ids if name in plan_ids],
                        list(finding.involved),
                        finding.area_m2,
                        finding.length_m,
                        Jsonb(dict(finding.details)),
                        geometry,
                        finding.status,
                        finding.note,
                        decision.decided_by if decision else None,
                        _when(decision.decided_at) if decision else None,
                    )
                )
    return len(findings)


def _when(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.fromisoformat(stamp)


def kind_counts(findings: Iterable[model.Finding]) -> dict[str, int]:
    """Findings per kind, in the order of ``model.FINDING_KINDS``."""
    counts = Counter(f.kind for f in findings)
    return {kind: counts[kind] for kind in model.FINDING_KINDS if counts[kind]}


def get_run(session: Session, run_id: int) -> tables.CheckRun:
    run = session.get(tables.CheckRun, run_id)
    if run is None:
        raise NotFound(f"no check run {run_id}")
    return run


def latest_run(session: Session) -> tables.CheckRun:
    """The most recent finished run."""
    run = session.scalars(
        select(tables.CheckRun)
        .where(tables.CheckRun.status == "done")
        .order_by(tables.CheckRun.id.desc())
        .limit(1)
    ).first()
    if run is None:
        raise NotFound("no check has been run yet: run 'twin zoning check' first")
    return run


def run_findings(session: Session, run_id: int) -> list[tables.Finding]:
    """The findings of one run, most severe kinds first as the checks sorted them."""
    query = select(tables.Finding).where(tables.Finding.run_id == run_id)
    return list(session.scalars(query.order_by(tables.Finding.id)))


def get_finding(session: Session, finding_id: int) -> tables.Finding:
    finding = session.get(tables.Finding, finding_id)
    if finding is None:
        raise NotFound(f"no finding {finding_id}")
    return finding


def decide_finding(
    session: Session, finding_id: int, status: str, note: str, *, user: str
) -> tables.Finding:
    """Mark a finding ``resolved`` or ``accepted`` with a note, keeping the decision in history.

    Every stored finding of the same conflict (same fingerprint, in any run)
    takes the decision, and so will later runs that find it unchanged.

    Raises
    ------
    InvalidInput
        Unknown status or an empty note (rules of ``model.Decision``).
    NotFound
        No such finding.
    """
    finding = get_finding(session, finding_id)
    decision = model.Decision(finding.fingerprint, status, (note or "").strip(), user)
    entry = tables.FindingHistory(
        finding_id=finding.id,
        fingerprint=finding.fingerprint,
        kind=finding.kind,
        previous_status=finding.status,
        status=decision.status,
        note=decision.note,
        decided_by=user,
    )
    session.add(entry)
    session.flush()
    session.execute(
        update(tables.Finding)
        .where(tables.Finding.fingerprint == finding.fingerprint)
        .values(
            status=decision.status, note=decision.note, decided_by=user, decided_at=entry.decided_at
        )
    )
    session.refresh(finding)
    return finding


def decision_history(session: Session, finding_id: int) -> list[tables.FindingHistory]:
    """Every decision on the conflict of ``finding_id`` (by fingerprint), oldest first."""
    finding = get_finding(session, finding_id)
    h = tables.FindingHistory
    query = select(h).where(h.fingerprint == finding.fingerprint).order_by(h.decided_at, h.id)
    return list(session.scalars(query))


def geometry_of(finding: tables.Finding):
    """The finding's geometry as a shapely geometry in WGS 84 (None when it has none)."""
    return None if finding.geom is None else to_shape(finding.geom)


def finding_feature(finding: tables.Finding) -> dict:
    """A stored finding as a GeoJSON Feature (WGS 84), its id the finding's id."""
    geometry = geometry_of(finding)
    return {
        "type": "Feature",
        "id": finding.id,
        "geometry": None if geometry is None else shapely.geometry.mapping(geometry),
        "properties": {
            "id": finding.id,
            "run_id": finding.run_id,
            "fingerprint": finding.fingerprint,
            "kind": finding.kind,
            "severity": finding.severity,
            "rule": finding.rule,
            "plans": list(finding.plans),
            "involved": list(finding.involved),
            "area_m2": None if finding.area_m2 is None else round(finding.area_m2, 2),
            "length_m": None if finding.length_m is None else round(finding.length_m, 2),
            "details": finding.details,
            "status": finding.status,
            "note": finding.note,
            "decided_by": finding.decided_by,
            "decided_at": None if finding.decided_at is None else finding.decided_at.isoformat(),
        },
    }


def recent_runs(session: Session, limit: int = 20) -> list[tables.CheckRun]:
    """The latest runs, newest first."""
    query = select(tables.CheckRun).order_by(tables.CheckRun.id.desc()).limit(limit)
    return list(session.scalars(query))

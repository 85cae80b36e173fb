"""The findings of a run at the scale of real plans: by kind, a page at a time, decided in bulk.

A 1/2000 plan checked against a town finds thousands of conflicts; a planner
reads them grouped by kind, one page at a time, and accepts (or resolves) all
findings of a kind in the area on screen at once.  Each bulk decision goes
through :func:`run_store.decide_finding`, so every finding gets its own entry
in the decision history.  Callers commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from twin.config import STORAGE_SRID
from twin.zoning import model, run_store, tables

__all__ = ["FindingFilter", "FindingPage", "decide_findings", "findings_page", "kind_totals"]

#: The most findings one page may hold.
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class FindingFilter:
    """Which findings of a run: ``kind``, ``status`` and ``bbox`` (lon/lat) when given."""

    run_id: int
    kind: str | None = None
    status: str | None = None
    bbox: Sequence[float] | None = None


@dataclass(frozen=True)
class FindingPage:
    """One page of findings, the number matching in all and where the page is."""

    rows: list[tables.Finding]
    total: int
    page: int
    per_page: int


def _where(query: Select, wanted: FindingFilter, *, by_kind: bool = True) -> Select:
    f = tables.Finding
    query = query.where(f.run_id == wanted.run_id)
    if by_kind and wanted.kind:
        query = query.where(f.kind == wanted.kind)
    if wanted.status:
        query = query.where(f.status == wanted.status)
    if wanted.bbox is not None:
        envelope = func.ST_MakeEnvelope(*wanted.bbox, STORAGE_SRID)
        query = query.where(func.ST_Intersects(f.geom, envelope))
    return query


def kind_totals(session, wanted: FindingFilter) -> dict[str, dict[str, int]]:
    """Findings per kind (all kinds, whatever ``wanted.kind``): ``{kind: {total, open}}``.

    Kinds come in the order of ``model.FINDING_KINDS``; kinds with none are left out.
    """
    f = tables.Finding
    query = select(f.kind, func.count(), func.count().filter(f.status == "open"))
    rows = session.execute(_where(query, wanted, by_kind=False).group_by(f.kind)).all()
    found = {kind: {"total": total, "open": still_open} for kind, total, still_open in rows}
    return {kind: found[kind] for kind in model.FINDING_KINDS if kind in found}


def findings_page(
    session, wanted: FindingFilter, *, page: int = 1, per_page: int = 100
) -> FindingPage:
    """Page ``page`` (from 1) of the findings ``wanted``, ``per_page`` (≤ 500) each, in run order."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    f = tables.Finding
    total = session.scalar(_where(select(func.count()).select_from(f), wanted))
    query = _where(select(f), wanted).order_by(f.id)
    rows = list(session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return FindingPage(rows, total, page, per_page)


def decide_findings(
    session, wanted: FindingFilter, status: str, note: str, *, user: str
) -> list[int]:
    """Decide every finding ``wanted`` still open; the ids decided, in run order.

    Each goes through :func:`run_store.decide_finding` (its rules: a known
    status and a note), so each has its entry in the history.  Findings
    sharing a conflict take the decision once.
    """
    model.Decision("bulk", status, (note or "").strip(), user)  # refuse before any write
    f = tables.Finding
    open_only = FindingFilter(wanted.run_id, wanted.kind, "open", wanted.bbox)
    rows = session.execute(_where(select(f.id, f.fingerprint), open_only).order_by(f.id))
    decided, seen = [], set()
    for finding_id, fingerprint in rows.all():
        if fingerprint not in seen:
            seen.add(fingerprint)
            run_store.decide_finding(session, finding_id, status, note, user=user)
            decided.append(finding_id)
    return decided

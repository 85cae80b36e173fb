"""Findings of a check run: a page of them, one with its sides and history, decisions."""

from __future__ import annotations

from flask import jsonify, request

from twin import zoning
from twin.errors import InvalidInput, Problem

from ..db import get_session
from ..i18n import shown
from ..pages import json_object
from .blueprint import bbox_arg, bp, user_name

__all__: list[str] = []


def _finding_feature(row) -> dict:
    """A stored finding as GeoJSON, its rule in the reader's language."""
    feature = zoning.finding_feature(row)
    stored = (row.details or {}).get("rule_message")
    if stored:
        feature["properties"]["rule"] = shown(stored)
    return feature


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput(
            name, [Problem(name, "positive_integer", f"{name} is a whole number ≥ 1")]
        )
    return int(value)


def _kind(value) -> str | None:
    if value in (None, ""):
        return None
    if value not in zoning.FINDING_KINDS:
        raise InvalidInput("kind", [Problem("kind", "one_of", f"unknown finding kind {value!r}")])
    return value


@bp.get("/runs/<int:run_id>/findings")
def run_findings(run_id: int):
    """A page of the run's findings (``?kind=&status=&bbox=&page=&per_page=``), counts by kind."""
    session = get_session()
    zoning.get_run(session, run_id)
    wanted = zoning.FindingFilter(
        run_id, _kind(request.args.get("kind")), request.args.get("status") or None, bbox_arg()
    )
    page = zoning.findings_page(
        session, wanted, page=_int_arg("page", 1), per_page=_int_arg("per_page", 100)
    )
    return jsonify(
        {
            "type": "FeatureCollection",
            "features": [_finding_feature(f) for f in page.rows],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "kinds": zoning.kind_totals(session, wanted),
        }
    )


def _lonlat_box(bbox) -> None:
    """Refuse a ``bbox`` that is not four numbers (None is no box)."""
    if bbox is not None and (
        not isinstance(bbox, list)
        or len(bbox) != 4
        or not all(isinstance(v, int | float) for v in bbox)
    ):
        raise InvalidInput("bbox", [Problem("bbox", "four_numbers", "west,south,east,north")])


@bp.post("/runs/<int:run_id>/decisions")
def decide_many(run_id: int):
    """Decide every open finding of one kind of a run, in ``bbox`` (lon/lat) when given."""
    body, session = json_object(), get_session()
    zoning.get_run(session, run_id)
    kind = _kind(body.get("kind"))
    if kind is None:
        raise InvalidInput("kind", [Problem("kind", "required", "name the kind to decide")])
    bbox = body.get("bbox")
    _lonlat_box(bbox)
    wanted = zoning.FindingFilter(run_id, kind, None, bbox)
    decided = zoning.decide_findings(
        session, wanted, str(body.get("status") or ""), str(body.get("note") or ""),
        user=user_name(),
    )
    session.commit()
    return jsonify({"decided": decided, "count": len(decided)})


def _history(session, finding_id: int) -> list[dict]:
    return [
        {
            "previous_status": h.previous_status,
            "status": h.status,
            "note": h.note,
            "decided_by": h.decided_by,
            "decided_at": h.decided_at.isoformat(),
        }
        for h in zoning.decision_history(session, finding_id)
    ]


@bp.get("/findings/<int:finding_id>")
def finding(finding_id: int):
    session = get_session()
    row = zoning.get_finding(session, finding_id)
    return jsonify(
        {
            "finding": _finding_feature(row),
            "sides": zoning.finding_sides(session, row),
            "history": _history(session, finding_id),
        }
    )


@bp.post("/findings/<int:finding_id>/decision")
def decide(finding_id: int):
    body, session = json_object(), get_session()
    row = zoning.decide_finding(
        session,
        finding_id,
        str(body.get("status") or ""),
        str(body.get("note") or ""),
        user=user_name(),
    )
    session.commit()
    return jsonify({"finding": _finding_feature(row), "history": _history(session, finding_id)})

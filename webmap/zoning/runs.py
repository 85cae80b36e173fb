"""Check runs: start one, follow its progress, list the recent ones, download the report."""

from __future__ import annotations

import io

from flask import jsonify, send_file

from twin import zoning
from twin.errors import InvalidInput, Problem
from twin.i18n import Message

from ..db import get_session
from ..i18n import shown
from ..pages import json_object
from ..rate_limits import charge
from .blueprint import bp, check_jobs, user_name

__all__: list[str] = []


def _ids(value, field: str) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise InvalidInput("plan ids", [Problem(field, "list_of_ids", "a list of plan ids")])
    return value


@bp.post("/runs")
def start_run():
    body = json_object()
    charge("run")
    run_id = check_jobs().start(
        _ids(body.get("plans"), "plans") or [],
        _ids(body.get("against"), "against"),
        with_assets=bool(body.get("assets", True)),
        user=user_name(),
    )
    return jsonify(_run_json(run_id)), 202


def _run_json(run_id: int) -> dict:
    session = get_session()
    run = zoning.get_run(session, run_id)
    session.refresh(run)
    progress = check_jobs().progress(run_id)
    return {
        "id": run.id,
        "status": run.status,
        "started_by": run.started_by,
        "started_at": run.started_at.isoformat(),
        "plan_ids": list(run.plan_ids),
        "against_ids": list(run.against_ids),
        "with_assets": run.with_assets,
        "asset_count": run.asset_count,
        "counts": run.counts,
        "kept_decisions": run.kept_decisions,
        "stale_decisions": run.stale_decisions,
        "error": run.error,
        "progress": None if progress is None else _progress_json(progress),
    }


def _progress_json(progress) -> dict:
    """The run's progress, its step in the reader's language (statuses stay keys)."""
    answer = progress.to_dict()
    if isinstance(progress.message, Message):
        answer["message"] = shown(progress.message)
    return answer


@bp.get("/runs")
def runs():
    session = get_session()
    return jsonify({"runs": [_run_json(run.id) for run in zoning.recent_runs(session)]})


@bp.get("/runs/<int:run_id>")
def run_status(run_id: int):
    return jsonify(_run_json(run_id))


@bp.get("/runs/<int:run_id>/report.zip")
def report(run_id: int):
    charge("export")
    return send_file(
        io.BytesIO(zoning.report_zip(get_session(), run_id)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"zoning-run-{run_id}.zip",
    )

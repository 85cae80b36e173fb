"""``/zoning``: the planner page and the JSON it uses (role planner, and admin).

Views parse the request and shape the answer; the work is in ``twin.zoning``.
Checks run as background jobs (:mod:`webmap.zoning.jobs`) that the page
polls.  Browser writes carry the ``X-CSRFToken`` header (see ``webmap.auth``).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from flask import (
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext, pgettext

from twin.errors import InvalidInput, Problem
from twin.i18n import Message
from twin.zoning import (
    DECISION_STATUSES,
    FINDING_KINDS,
    finding_pages,
    run_store,
    sides,
    store,
    write_report,
    zone_edits,
)

from ..auth.setup import current_principal
from ..db import get_session
from ..i18n import shown
from ..jobs import pool
from ..pages import app_service, page_blueprint
from ..rate_limits import charge
from .jobs import CheckJobs

__all__ = ["bp"]

bp = page_blueprint("zoning", __name__, permission="plan", what="plan reconciliation")


def _jobs() -> CheckJobs:
    return app_service("twin_zoning_jobs", lambda: CheckJobs(pool.runner()))


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(
            "a JSON object is expected", [Problem("body", "json_object", "send JSON")]
        )
    return body


def _vendor(package: str, path: str) -> str:
    if "vendor" in current_app.blueprints:
        return url_for("vendor.vendor_file", target=f"{package}/{path}")
    return f"{request.script_root}/vendor/{package}/{path}"


def _user() -> str:
    return current_principal().name


def _status_name(status: str) -> str:
    """A finding's status in the user's language (the value stays the stable key)."""
    names = {
        "open": pgettext("finding", "open"),
        "resolved": pgettext("finding", "resolved"),
        "accepted": pgettext("finding", "accepted"),
    }
    return names.get(status, status)


def _kind_names() -> dict[str, str]:
    """Finding kinds (the keys of ``FINDING_KINDS``, in its order) in the user's language."""
    names = {
        "invalid_geometry": gettext("invalid geometry"),
        "unknown_code": gettext("unknown land-use code"),
        "overlap": gettext("overlap"),
        "gap": gettext("gap"),
        "sliver": gettext("sliver"),
        "plan_overlap": gettext("plans overlap"),
        "incompatible_neighbour": gettext("incompatible neighbour"),
        "red_line_mismatch": gettext("red line mismatch"),
        "corridor_mismatch": gettext("corridor mismatch"),
        "land_use_conflict": gettext("land-use conflict"),
        "road_not_followed": gettext("road not followed"),
        "asset_in_planned_building": gettext("asset in a planned building"),
        "tree_in_road_widening": gettext("tree in a road widening"),
        "pole_in_road_widening": gettext("pole in a road widening"),
        "fiber_in_restricted_zone": gettext("fibre in a restricted zone"),
        "clearance": gettext("clearance"),
    }
    return {kind: names.get(kind, kind) for kind in FINDING_KINDS}


def _value_names() -> dict[str, dict[str, str]]:
    """The values the page shows (kinds, severities, statuses, plan levels) by their keys."""
    return {
        "kinds": _kind_names(),
        "severities": {
            "high": pgettext("severity", "high"),
            "medium": pgettext("severity", "medium"),
            "low": pgettext("severity", "low"),
        },
        "statuses": {s: _status_name(s) for s in ("open", *DECISION_STATUSES)},
        "levels": {
            "general": pgettext("plan level", "general"),
            "zoning": pgettext("plan level", "zoning"),
            "detailed": pgettext("plan level", "detailed"),
        },
        "features": {
            "zone": gettext("zone"),
            "red_line": gettext("red line"),
            "corridor": gettext("corridor"),
            "asset": gettext("asset"),
        },
        "run_statuses": {
            "queued": pgettext("check run", "queued"),
            "running": pgettext("check run", "running"),
            "done": pgettext("check run", "done"),
            "failed": pgettext("check run", "failed"),
        },
        "plan_statuses": {
            "draft": pgettext("plan", "draft"),
            "approved": pgettext("plan", "approved"),
            "superseded": pgettext("plan", "superseded"),
        },
    }


def _words() -> dict[str, str]:
    """Words the page's script writes, in the user's language; {name} is a value."""
    return {
        "run_n": gettext("run {id}"),
        "conflicts": gettext("{count} conflicts"),
        "kept": gettext("{count} earlier decisions kept"),
        "more_features": gettext(
            "{count} more features of the plan around the conflict on the map"
        ),
        "plan_side": gettext("plan {name}@{version} ({level}, {status})"),
        "asset_side": gettext("asset {code} ({table})"),
        "asset_gone": gettext("asset {code} (no longer stored)"),
        "pick_draft": gettext("pick a draft plan to draw in (✎)"),
        "code_prompt": gettext("Land-use code of the new zone (e.g. ODT, DKV):"),
        "page_of": gettext("page {page} of {pages}"),
        "kind_count": gettext("{name}: {open} open of {total}"),
        "decided_n": gettext("{count} conflicts decided"),
        "legend": gettext("Legend"),
        "by_severity": gettext("Conflicts by severity"),
    }


@bp.get("/")
def page():
    names = _value_names()
    return render_template(
        "zoning/index.html",
        vendor=_vendor,
        user=current_principal(),
        kinds=names["kinds"],
        statuses=list(DECISION_STATUSES),
        status_name=_status_name,
        names=names,
        words=_words(),
    )


@bp.get("/plans")
def plans():
    return jsonify({"plans": store.plan_summaries(get_session())})


def _bbox():
    text = request.args.get("bbox")
    if not text:
        return None
    try:
        box = tuple(float(v) for v in text.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise InvalidInput("bbox", [Problem("bbox", "four_numbers", "west,south,east,north")])
    return box


@bp.get("/plans/<int:plan_id>/zones")
def zones(plan_id: int):
    return jsonify(zone_edits.zone_features(get_session(), plan_id, bbox=_bbox()))


@bp.post("/plans/<int:plan_id>/zones")
def create_zone(plan_id: int):
    body, session = _body(), get_session()
    zone = zone_edits.create_zone(
        session, plan_id, body.get("properties") or {}, body.get("geometry"), user=_user()
    )
    session.commit()
    return jsonify(zone_edits.zone_feature(zone)), 201


def _expected_version(body: dict | None = None):
    given = (body or {}).get("version") or request.args.get("version")
    given = given or request.headers.get("If-Match", "").strip('"') or None
    if given is None or not str(given).isdigit():
        raise InvalidInput(
            "the zone's version is required",
            [
                Problem(
                    "version",
                    "required",
                    "send the version you edited (body, ?version= or If-Match)",
                )
            ],
        )
    return int(given)


@bp.patch("/zones/<int:zone_id>")
def update_zone(zone_id: int):
    body, session = _body(), get_session()
    zone = zone_edits.update_zone(
        session,
        zone_id,
        expected_version=_expected_version(body),
        properties=body.get("properties"),
        geometry=body.get("geometry"),
        user=_user(),
    )
    session.commit()
    return jsonify(zone_edits.zone_feature(zone))


@bp.delete("/zones/<int:zone_id>")
def delete_zone(zone_id: int):
    session = get_session()
    zone_edits.delete_zone(session, zone_id, expected_version=_expected_version(), user=_user())
    session.commit()
    return Response(status=204)


def _ids(value, field: str) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise InvalidInput("plan ids", [Problem(field, "list_of_ids", "a list of plan ids")])
    return value


@bp.post("/runs")
def start_run():
    body = _body()
    charge("run")
    run_id = _jobs().start(
        _ids(body.get("plans"), "plans") or [],
        _ids(body.get("against"), "against"),
        with_assets=bool(body.get("assets", True)),
        user=_user(),
    )
    return jsonify(_run_json(run_id)), 202


def _run_json(run_id: int) -> dict:
    session = get_session()
    run = run_store.get_run(session, run_id)
    session.refresh(run)
    progress = _jobs().progress(run_id)
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
    return jsonify({"runs": [_run_json(run.id) for run in run_store.recent_runs(session)]})


@bp.get("/runs/<int:run_id>")
def run_status(run_id: int):
    return jsonify(_run_json(run_id))


def _finding_feature(row) -> dict:
    """A stored finding as GeoJSON, its rule in the reader's language."""
    feature = run_store.finding_feature(row)
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
    if value not in FINDING_KINDS:
        raise InvalidInput("kind", [Problem("kind", "one_of", f"unknown finding kind {value!r}")])
    return value


@bp.get("/runs/<int:run_id>/findings")
def run_findings(run_id: int):
    """A page of the run's findings (``?kind=&status=&bbox=&page=&per_page=``), counts by kind."""
    session = get_session()
    run_store.get_run(session, run_id)
    wanted = finding_pages.FindingFilter(
        run_id, _kind(request.args.get("kind")), request.args.get("status") or None, _bbox()
    )
    page = finding_pages.findings_page(
        session, wanted, page=_int_arg("page", 1), per_page=_int_arg("per_page", 100)
    )
    return jsonify(
        {
            "type": "FeatureCollection",
            "features": [_finding_feature(f) for f in page.rows],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "kinds": finding_pages.kind_totals(session, wanted),
        }
    )


@bp.post("/runs/<int:run_id>/decisions")
def decide_many(run_id: int):
    """Decide every open finding of one kind of a run, in ``bbox`` (lon/lat) when given."""
    body, session = _body(), get_session()
    run_store.get_run(session, run_id)
    kind = _kind(body.get("kind"))
    if kind is None:
        raise InvalidInput("kind", [Problem("kind", "required", "name the kind to decide")])
    bbox = body.get("bbox")
    if bbox is not None and (
        not isinstance(bbox, list)
        or len(bbox) != 4
        or not all(isinstance(v, int | float) for v in bbox)
    ):
        raise InvalidInput("bbox", [Problem("bbox", "four_numbers", "west,south,east,north")])
    wanted = finding_pages.FindingFilter(run_id, kind, None, bbox)
    decided = finding_pages.decide_findings(
        session, wanted, str(body.get("status") or ""), str(body.get("note") or ""), user=_user()
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
        for h in run_store.decision_history(session, finding_id)
    ]


@bp.get("/findings/<int:finding_id>")
def finding(finding_id: int):
    session = get_session()
    row = run_store.get_finding(session, finding_id)
    return jsonify(
        {
            "finding": _finding_feature(row),
            "sides": sides.finding_sides(session, row),
            "history": _history(session, finding_id),
        }
    )


@bp.post("/findings/<int:finding_id>/decision")
def decide(finding_id: int):
    body, session = _body(), get_session()
    row = run_store.decide_finding(
        session,
        finding_id,
        str(body.get("status") or ""),
        str(body.get("note") or ""),
        user=_user(),
    )
    session.commit()
    return jsonify({"finding": _finding_feature(row), "history": _history(session, finding_id)})


@bp.get("/runs/<int:run_id>/report.zip")
def report(run_id: int):
    charge("export")
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="zoning-report-") as folder:
        paths = write_report(get_session(), run_id, Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths.values():
                archive.write(path, path.name)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"zoning-run-{run_id}.zip",
    )
